require 'sinatra'
require 'amazon-pay-api-sdk-ruby'
require_relative 'keys/keyinfo'

CONFIG = {
  region: 'jp',
  public_key_id: KeyInfo::PUBLIC_KEY_ID,
  private_key: File.read(File.join(__dir__, 'keys', 'privateKey.pem')),
  algorithm: KeyInfo::AMAZON_SIGNATURE_ALGORITHM,
}

get '/cart' do
  payload = {
    webCheckoutDetails: {
      checkoutReviewReturnUrl: 'https://sakura-shoten.example/review'
    },
    storeId: KeyInfo::STORE_ID
  }.to_json
  client = AmazonPayClient.new(CONFIG)
  erb :cart, locals: {
    merchant_id: KeyInfo::MERCHANT_ID,
    payload: payload,
    signature: client.generate_button_signature(payload),
    public_key_id: KeyInfo::PUBLIC_KEY_ID
  }
end

post '/review' do
  client = AmazonPayClient.new(CONFIG)
  client.update_checkout_session(params[:amazonCheckoutSessionId], {
    webCheckoutDetails: { checkoutResultReturnUrl: 'https://sakura-shoten.example/thanks' },
    paymentDetails: { paymentIntent: 'Authorize', chargeAmount: { amount: '3980', currencyCode: 'JPY' } },
    merchantMetadata: { merchantReferenceId: 'SAKURA-1001', merchantStoreName: 'さくら商店' }
  })
end
