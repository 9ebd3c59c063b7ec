# What audit knows about Amazon Pay (API v2, Checkout v2). Sandbox and
# production share the regional API host and differ by the /sandbox/ path
# and the public key id's prefix (SANDBOX- / LIVE-).
# Sources: https://developer.amazon.com/docs/amazon-pay-api-v2/introduction.html,
# https://developer.amazon.com/docs/amazon-pay-checkout/add-the-amazon-pay-button.html,
# https://developer.amazon.com/docs/amazon-pay-api-v2/ipn.html

provider "amazon-pay" {
  title = "Amazon Pay"
  docs  = ["https://pay.amazon.com/help/201212390"]
  # The sandbox accepts the networks' generic test numbers.
  test_cards = ["4111111111111111", "5555555555554444", "378282246310005"]
}

endpoint "api_sandbox" {
  purpose     = "api"
  environment = "test"
  hosts       = ["pay-api.amazon.com", "pay-api.amazon.eu", "pay-api.amazon.jp"]
  path        = "(?i)^/sandbox(/|$)"
}

# Amazon Pay v1 (Login and Pay with Amazon) talks to MWS: one host per
# region, the sandbox under /OffAmazonPayments_Sandbox/.
endpoint "mws_sandbox" {
  purpose     = "api"
  environment = "test"
  hosts       = ["mws.amazonservices.com", "mws-eu.amazonservices.com", "mws.amazonservices.jp"]
  path        = "(?i)^/OffAmazonPayments_Sandbox(/|$)"
}

endpoint "mws_na" {
  purpose     = "api"
  environment = "live"
  region      = "na"
  hosts       = ["mws.amazonservices.com"]
  path        = "(?i)^/OffAmazonPayments(/|$)"
}

endpoint "mws_eu" {
  purpose     = "api"
  environment = "live"
  region      = "eu"
  hosts       = ["mws-eu.amazonservices.com"]
  path        = "(?i)^/OffAmazonPayments(/|$)"
}

endpoint "mws_jp" {
  purpose     = "api"
  environment = "live"
  region      = "jp"
  hosts       = ["mws.amazonservices.jp"]
  path        = "(?i)^/OffAmazonPayments(/|$)"
}

endpoint "api_na" {
  purpose     = "api"
  environment = "live"
  region      = "na"
  hosts       = ["pay-api.amazon.com"]
}

endpoint "api_eu" {
  purpose     = "api"
  environment = "live"
  region      = "eu"
  hosts       = ["pay-api.amazon.eu"]
}

endpoint "api_jp" {
  purpose     = "api"
  environment = "live"
  region      = "jp"
  hosts       = ["pay-api.amazon.jp"]
}

# Any other regional host (pay-api.amazon.co.uk, a typo) is still an API
# URL, of no region: the production step flags it.
endpoint "api_other" {
  purpose     = "api"
  environment = "any"
  hosts       = ["pay-api.amazon.*"]
}

# checkout.js, per region; the button decides sandbox by its option. It
# embeds no payment form: it sends the buyer to Amazon's own pages, a
# JavaScript redirect (PCI SSC FAQ 1588), hence purpose "redirect".
endpoint "checkout_js_na" {
  purpose     = "redirect"
  environment = "any"
  region      = "na"
  hosts       = ["static-na.payments-amazon.com"]
}

endpoint "checkout_js_eu" {
  purpose     = "redirect"
  environment = "any"
  region      = "eu"
  hosts       = ["static-eu.payments-amazon.com"]
}

endpoint "checkout_js_jp" {
  purpose     = "redirect"
  environment = "any"
  region      = "jp"
  hosts       = ["static-fe.payments-amazon.com"]
}

# The hosted pages buyers are sent to.
endpoint "checkout" {
  purpose     = "checkout"
  environment = "any"
  hosts       = ["payments.amazon.com", "payments.amazon.co.uk", "payments.amazon.de", "payments.amazon.fr", "payments.amazon.co.jp"]
}

# Public key ids name the key pair and its environment; public, shown in
# full.
credential "amazon_pay_live_key_id" {
  kind    = "key_id"
  mode    = "live"
  secret  = false
  show    = true
  pattern = "LIVE-[A-Z0-9]{24}"
}

# Legacy Amazon Pay (MWS, the v1 API) authenticates with AWS-style access
# keys: the key id is shown with its secret key beside it in config files.
# Neither says its mode, so both count as live.
credential "amazon_mws_access_key_id" {
  kind    = "access_key"
  mode    = "any"
  secret  = true
  pattern = "AKIA[0-9A-Z]{16}"
}

credential "amazon_mws_temporary_access_key_id" {
  kind    = "access_key"
  mode    = "any"
  secret  = true
  pattern = "ASIA[0-9A-Z]{16}"
}

credential "amazon_pay_sandbox_key_id" {
  kind    = "key_id"
  mode    = "test"
  secret  = false
  show    = true
  pattern = "SANDBOX-[A-Z0-9]{24}"
}

# AMAZON_PAY_SANDBOX=true, amazon_pay.environment: sandbox; the SDKs
# spell it 'sandbox' => true (PHP), sandbox: true (Node),
# .setEnvironment(Environment.SANDBOX) (Java).
switch "sandbox_flag" {
  settings   = ["(?i)sandbox"]
  code       = ["'sandbox'\\s*=>\\s*(true|false)", "sandbox\\s*:\\s*(true|false)\\b"]
  code_keys  = ["(?i)^(is_?)?sandbox$"]
  code_files = ["(?i)amazon|amzn|apay"]
  live       = ["false", "0", "no", "off"]
  test       = ["true", "1", "yes", "on"]
}

# Environment.SANDBOX is also how PayPal's, Africa's Talking's and many
# other Java SDKs spell their mode: it counts only in code that names
# Amazon Pay (com.amazon.pay.api.types.Environment).
switch "environment" {
  settings   = ["(?i)(amazon|apay|amzn).*(env|environment|mode)$"]
  code       = ["\\bEnvironment\\.(SANDBOX|LIVE)\\b"]
  code_files = ["(?i)amazon|amzn|apay"]
  live       = ["live", "production"]
  test       = ["sandbox"]
}

# The button and checkout set-up calls whose options the page probe reads.
js_call "button" {
  callee  = "amazon.Pay.renderButton"
  options = 1
}

js_call "init_checkout" {
  callee  = "amazon.Pay.initCheckout"
  options = 0
}

# IPN: an SNS envelope signed with the key of a certificate on
# sns.<region>.amazonaws.com; a verifier must refuse a SigningCertURL
# elsewhere before even checking the signature.
webhook {
  scheme    = "Amazon SNS message signature (SignatureVersion 1, SHA1withRSA) with the certificate at SigningCertURL, which must be on sns.<region>.amazonaws.com"
  header    = "X-Amz-Sns-Message-Type"
  algorithm = "sha1withrsa"
  docs      = "https://developer.amazon.com/docs/amazon-pay-checkout/set-up-instant-payment-notifications.html"
  forge {
    headers = {
      "Content-Type"           = "text/plain; charset=UTF-8"
      "X-Amz-Sns-Message-Type" = "Notification"
      "X-Amz-Sns-Message-Id"   = "audit-${forged.ref}"
      "X-Amz-Sns-Topic-Arn"    = "arn:aws:sns:eu-west-1:291180941288:A2AUDITFORGED0"
    }
    body = jsonencode({
      Type      = "Notification"
      MessageId = "audit-${forged.ref}"
      TopicArn  = "arn:aws:sns:eu-west-1:291180941288:A2AUDITFORGED0"
      Message = jsonencode({
        MerchantID          = "A2AUDITFORGED0"
        ObjectType          = "CHARGE"
        ObjectId            = "S02-0000000-0000000-C000000"
        ChargePermissionId  = "S02-0000000-0000000"
        NotificationType    = "STATE_CHANGE"
        NotificationId      = "audit-${forged.ref}"
        NotificationVersion = "V2"
      })
      Timestamp        = forged.time_ms
      SignatureVersion = "1"
      Signature        = forged.base64_long
      SigningCertURL   = "https://${forged.cert_host}/SimpleNotificationService.pem"
      UnsubscribeURL   = "https://${forged.cert_host}/?Action=Unsubscribe"
    })
  }
}

# Libraries, as package managers name them.
sdk "composer" "amzn/amazon-pay-api-sdk-php" { docs = "https://github.com/amzn/amazon-pay-api-sdk-php" }
sdk "npm" "@amazonpay/amazon-pay-api-sdk-nodejs" { docs = "https://github.com/amzn/amazon-pay-api-sdk-nodejs" }
sdk "nuget" "Amazon.Pay.API.SDK" { docs = "https://github.com/amzn/amazon-pay-api-sdk-dotnet" }
sdk "composer" "amzn/amazon-pay-sdk-php" {
  deprecated = "the SDK of Amazon Pay's legacy v1 (MWS) API; Checkout v2 integrations use amzn/amazon-pay-api-sdk-php"
  docs       = "https://github.com/amzn/amazon-pay-sdk-php"
}

# Error codes of the API v2 and the charge states' reason codes, as the
# SDKs log them ("reasonCode": "InvalidRequestSignature"). Sources:
# https://developer.amazon.com/docs/amazon-pay-api-v2/error-handling.html,
# https://developer.amazon.com/docs/amazon-pay-api-v2/charge.html#states-and-reason-codes
log_error "InvalidRequestSignature" { category = "signature" }
log_error "InvalidParameterValue" { category = "invalid_parameter" }
log_error "MissingParameterValue" { category = "invalid_parameter" }
log_error "InvalidHeaderValue" { category = "invalid_parameter" }
log_error "UnauthorizedAccess" { category = "authentication" }
log_error "TransactionTimedOut" { category = "timeout" }
log_error "SoftDeclined" { category = "decline" }
log_error "HardDeclined" { category = "decline" }
log_error "AmazonRejected" { category = "decline" }
log_error "ProcessingFailure" { category = "other" }

# Return URLs set in code (webCheckoutDetails.checkoutReviewReturnUrl,
# checkoutResultReturnUrl, cancel/success URLs built in a payload), as the
# source probe lists them (probe.source.*.code_values). Source:
# developer.amazon.com/docs/amazon-pay-api-v2/checkout-session.html
code_value "return_url" {
  keys  = ["(?i)(return|result|review|redirect|cancel|success).*url$"]
  value = "^[A-Za-z][A-Za-z0-9+.-]*://"
  # Only in code that talks to Amazon Pay: another provider's return_url is not one.
  files = ["(?i)amazon|amzn|checkoutReviewReturnUrl|checkoutResultReturnUrl"]
}
