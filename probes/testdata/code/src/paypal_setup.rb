require "paypal-sdk-rest"
PayPal::SDK.configure(mode: "sandbox", client_id: ENV["PAYPAL_CLIENT_ID"])
# PayPal::SDK.configure(mode: "live")
