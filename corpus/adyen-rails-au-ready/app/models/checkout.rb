require 'adyen-ruby-api-library'

class Checkout
  class << self
    def start_session(host)
      adyen_client.checkout.payments_api.sessions({
        amount: { currency: 'AUD', value: 8900 },
        countryCode: 'AU',
        merchantAccount: ENV['ADYEN_MERCHANT_ACCOUNT'],
        reference: SecureRandom.uuid,
        returnUrl: "#{host}/checkout/redirect"
      })
    end

    private

    def adyen_client
      @adyen_client ||= begin
        adyen = Adyen::Client.new
        adyen.api_key = ENV['ADYEN_API_KEY']
        adyen.env = :live
        adyen.live_url_prefix = ENV['ADYEN_LIVE_URL_PREFIX']
        adyen
      end
    end
  end
end
