class CheckoutsController < ApplicationController
end
