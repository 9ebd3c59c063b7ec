require 'sinatra'
require 'paypal_server_sdk'
require 'json'

include PaypalServerSdk

# PAYPAL_MODE is "live" in production; anything else keeps the sandbox.
paypal_client = PaypalServerSdk::Client.new(
  client_credentials_auth_credentials: ClientCredentialsAuthCredentials.new(
    o_auth_client_id: ENV['PAYPAL_CLIENT_ID'],
    o_auth_client_secret: ENV['PAYPAL_CLIENT_SECRET']
  ),
  environment: ENV['PAYPAL_MODE'] == 'live' ? Environment::PRODUCTION : Environment::SANDBOX,
  logging_configuration: LoggingConfiguration.new(log_level: Logger::INFO)
)

post '/api/orders' do
  order = paypal_client.orders.create_order({
    'body' => OrderRequest.new(intent: CheckoutPaymentIntent::CAPTURE,
      purchase_units: [PurchaseUnitRequest.new(amount: AmountWithBreakdown.new(currency_code: 'USD', value: '100.00'))]),
    'prefer' => 'return=representation'
  })
  json order.data
end
