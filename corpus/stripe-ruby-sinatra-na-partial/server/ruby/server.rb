require 'stripe'
require 'sinatra'
require 'dotenv'

Dotenv.load
Stripe.api_version = '2020-08-27'
Stripe.api_key = ENV['STRIPE_SECRET_KEY']

set :static, true
set :public_folder, File.join(File.dirname(__FILE__), ENV['STATIC_DIR'])

get '/create-payment-intent' do
  intent = Stripe::PaymentIntent.create(amount: 1999, currency: 'usd', automatic_payment_methods: { enabled: true })
  { clientSecret: intent.client_secret }.to_json
end

post '/webhook' do
  event = Stripe::Webhook.construct_event(request.body.read, request.env['HTTP_STRIPE_SIGNATURE'], ENV['STRIPE_WEBHOOK_SECRET'])
  puts 'Payment succeeded' if event['type'] == 'payment_intent.succeeded'
  status 200
rescue Stripe::SignatureVerificationError
  status 400
end
