# What audit knows about PayPal. Sandbox and live are separate systems:
# api-m.sandbox.paypal.com vs api-m.paypal.com; the JS SDK
# (www.paypal.com/sdk/js) runs in whichever environment its client-id
# belongs to ("sb" is the shared sandbox id).
# Sources: https://developer.paypal.com/api/rest/#link-sandboxandliveenvironments,
# https://developer.paypal.com/sdk/js/configuration/,
# https://developer.paypal.com/api/rest/webhooks/rest/#link-verifywebhooksignature,
# https://developer.paypal.com/tools/sandbox/card-testing/

provider "paypal" {
  title = "PayPal"
  docs  = ["https://developer.paypal.com/api/rest/production/"]
  test_cards = [
    "4032039317984658", "4032036247327321", "371449635398431", "4222222222222",
    "4012888888881", "4263982640269299", "4917484589897107", "4001919257537193",
    "4007702835532454", "4005550000000001", "5424000000000015", "5425233430109903",
    "2222420000001113", "2223000010005798", "378734493671000", "340000000000009",
    "6011000000000004", "6011000000000012", "30569309025904", "38520000023237",
    "30000000000004", "5610591081018250",
  ]
}

# The JS SDK: its URL carries client-id (and, in sandbox only, buyer-country).
endpoint "sdk" {
  purpose     = "sdk"
  environment = "any"
  hosts       = ["www.paypal.com", "www.sandbox.paypal.com"]
  path        = "^/sdk/js"
}

# The v6 web SDK (client tokens or client id given to createInstance).
endpoint "sdk_v6" {
  purpose     = "sdk"
  environment = "any"
  hosts       = ["www.paypal.com", "www.sandbox.paypal.com"]
  path        = "^/web-sdk/v6/"
}

# REST, IPN, and the classic NVP/SOAP APIs (api-3t for signature
# credentials, api for certificates, svcs for Adaptive Payments).
endpoint "api_sandbox" {
  purpose     = "api"
  environment = "test"
  hosts       = ["api.sandbox.paypal.com", "api-m.sandbox.paypal.com", "ipnpb.sandbox.paypal.com", "api-3t.sandbox.paypal.com", "svcs.sandbox.paypal.com"]
}

endpoint "ipn_sandbox" {
  purpose     = "api"
  environment = "test"
  hosts       = ["www.sandbox.paypal.com"]
  path        = "^/cgi-bin/webscr"
}

endpoint "api_live" {
  purpose     = "api"
  environment = "live"
  hosts       = ["api.paypal.com", "api-m.paypal.com", "ipnpb.paypal.com", "api-3t.paypal.com", "svcs.paypal.com"]
}

endpoint "ipn_live" {
  purpose     = "api"
  environment = "live"
  hosts       = ["www.paypal.com"]
  path        = "^/cgi-bin/webscr"
}

# Buttons, hosted card fields and their assets.
endpoint "checkout_live" {
  purpose     = "checkout"
  environment = "live"
  hosts       = ["www.paypal.com", "www.paypalobjects.com"]
}

endpoint "checkout_sandbox" {
  purpose     = "checkout"
  environment = "test"
  hosts       = ["www.sandbox.paypal.com"]
}

endpoint "docs" {
  purpose     = "docs"
  environment = "any"
  hosts       = ["paypal.com", "developer.paypal.com", "*.paypal.com"]
}

# An OAuth access token of the REST API (also issued through Braintree):
# access_token$production$<16 [0-9a-z]>$<32 hex>.
credential "paypal_live_access_token" {
  kind    = "access_token"
  mode    = "live"
  secret  = true
  pattern = "access_token\\$production\\$[0-9a-z]{16}\\$[0-9a-f]{32}"
  mask    = "access_token$production$"
}

credential "paypal_sandbox_access_token" {
  kind    = "access_token"
  mode    = "test"
  secret  = true
  pattern = "access_token\\$sandbox\\$[0-9a-z]{16}\\$[0-9a-f]{32}"
  mask    = "access_token$sandbox$"
}

# PAYPAL_MODE=sandbox, paypal.mode: live in configuration; mode =
# "sandbox" | "live" in the REST and classic SDKs' configuration (a hash,
# an array, keyword arguments), new APIContext(id, secret, "sandbox") in
# Java. Those SDKs know one live value, "live": anything else (production,
# prod, tls) leaves them on the sandbox, so it counts as test. code_keys
# count in files that use PayPal.
switch "mode" {
  settings   = ["(?i)paypal.*mode$"]
  code       = ["[\"']mode[\"']\\s*=>\\s*[\"'](\\w+)[\"']", "new\\s+APIContext\\s*\\([^()]*?[\"'](sandbox|live)[\"']\\s*\\)"]
  code_keys  = ["(?i)^mode$"]
  code_files = ["(?i)paypal"]
  live       = ["live"]
  test       = ["sandbox", "production", "prod", "tls", "test"]
}

# The environment of the Checkout SDKs (new SandboxEnvironment(…) /
# new LiveEnvironment(…)) and of the server SDKs (Environment.Sandbox,
# Environment::PRODUCTION), and settings and code keys naming it.
switch "environment" {
  settings   = ["(?i)paypal.*env(ironment)?$"]
  code       = ["new\\s+(Sandbox|Live|Production)Environment\\s*\\(", "\\bEnvironment(?:\\.|::)(Sandbox|Production|SANDBOX|PRODUCTION)\\b"]
  code_keys  = ["(?i)^environment$"]
  code_files = ["(?i)paypal"]
  live       = ["live", "production"]
  test       = ["sandbox"]
}

# The server SDKs run in sandbox unless told otherwise: a client built
# without an environment talks to api-m.sandbox.paypal.com
# (paypalserversdk/configuration.py: environment=Environment.SANDBOX;
# PayPal-TypeScript-Server-SDK src/defaultConfiguration.ts:
# environment: Environment.Sandbox).
switch "server_sdk_default" {
  code    = ["\\bPaypalServersdkClient\\s*\\(", "\\bnew\\s+Client\\s*\\(\\s*\\{\\s*clientCredentialsAuthCredentials\\b"]
  unless  = "\\benvironment\\b"
  default = "test"
}

# PAYPAL-TRANSMISSION-SIG: SHA256withRSA over
# "transmissionId|timeStamp|webhookId|crc32(body)", checked with the
# certificate at PAYPAL-CERT-URL, which must be on paypal.com.
webhook {
  scheme    = "SHA256withRSA over transmission id, time, webhook id and the body's CRC32, with the certificate at PAYPAL-CERT-URL (on paypal.com), or POST /v1/notifications/verify-webhook-signature"
  header    = "Paypal-Transmission-Sig"
  algorithm = "sha256withrsa"
  docs      = "https://developer.paypal.com/api/rest/webhooks/rest/#link-verifywebhooksignature"
  forge {
    headers = {
      "Content-Type"             = "application/json"
      "Paypal-Transmission-Id"   = "audit-${forged.ref}"
      "Paypal-Transmission-Time" = forged.time
      "Paypal-Transmission-Sig"  = forged.base64_long
      "Paypal-Cert-Url"          = "https://${forged.cert_host}/v1/notifications/certs/CERT-AUDIT"
      "Paypal-Auth-Algo"         = "SHA256withRSA"
    }
    body = jsonencode({
      id            = "WH-AUDIT-${forged.ref}"
      event_version = "1.0"
      create_time   = forged.time
      resource_type = "capture"
      event_type    = "PAYMENT.CAPTURE.COMPLETED"
      summary       = "Payment completed for EUR 42.00"
      resource = {
        id     = "AUDIT${forged.ref}", status = "COMPLETED", final_capture = true,
        amount = { currency_code = "EUR", value = "42.00" }
      }
    })
  }
}

# Libraries and plugins, as package managers name them. PayPal deprecated
# its REST SDKs (PayPal-Java-SDK's README: "This SDK is deprecated… no new
# features or support requests will be accepted") and archived the
# Checkout SDKs; the PayPal Server SDK replaces both.
sdk "npm" "@paypal/paypal-server-sdk" { docs = "https://developer.paypal.com/serversdk/" }
sdk "npm" "@paypal/paypal-js" { docs = "https://github.com/paypal/paypal-js" }
sdk "npm" "@paypal/react-paypal-js" { docs = "https://github.com/paypal/react-paypal-js" }
sdk "maven" "com.paypal.sdk:paypal-server-sdk" { docs = "https://developer.paypal.com/serversdk/" }
sdk "pypi" "paypal-server-sdk" { docs = "https://developer.paypal.com/serversdk/" }
sdk "nuget" "PayPalServerSDK" { docs = "https://developer.paypal.com/serversdk/" }
sdk "gem" "paypal-server-sdk" { docs = "https://developer.paypal.com/serversdk/" }
sdk "composer" "paypal/paypal-server-sdk" { docs = "https://developer.paypal.com/serversdk/" }

sdk "npm" "paypal-rest-sdk" {
  deprecated = "PayPal's REST SDK for Node is deprecated; use @paypal/paypal-server-sdk"
  docs       = "https://github.com/paypal/PayPal-node-SDK"
}
sdk "composer" "paypal/rest-api-sdk-php" {
  deprecated = "PayPal's REST SDK for PHP is deprecated; use the PayPal Server SDK"
  docs       = "https://github.com/paypal/PayPal-PHP-SDK"
}
sdk "maven" "com.paypal.sdk:rest-api-sdk" {
  deprecated = "PayPal's REST SDK for Java is deprecated; use com.paypal.sdk:paypal-server-sdk"
  docs       = "https://github.com/paypal/PayPal-Java-SDK"
}
sdk "pypi" "paypalrestsdk" {
  deprecated = "PayPal's REST SDK for Python is deprecated; use paypal-server-sdk"
  docs       = "https://github.com/paypal/PayPal-Python-SDK"
}
sdk "gem" "paypal-sdk-rest" {
  deprecated = "PayPal's REST SDK for Ruby is deprecated; use the PayPal Server SDK"
  docs       = "https://github.com/paypal/PayPal-Ruby-SDK"
}
sdk "nuget" "PayPal" {
  deprecated = "PayPal's REST SDK for .NET is deprecated; use PayPalServerSDK"
  docs       = "https://github.com/paypal/PayPal-NET-SDK"
}
sdk "npm" "@paypal/checkout-server-sdk" {
  deprecated = "PayPal archived the Checkout SDKs; use @paypal/paypal-server-sdk"
  docs       = "https://github.com/paypal/Checkout-NodeJS-SDK"
}
sdk "composer" "paypal/paypal-checkout-sdk" {
  deprecated = "PayPal archived the Checkout SDKs; use the PayPal Server SDK"
  docs       = "https://github.com/paypal/Checkout-PHP-SDK"
}
sdk "pypi" "paypal-checkout-serversdk" {
  deprecated = "PayPal archived the Checkout SDKs; use paypal-server-sdk"
  docs       = "https://github.com/paypal/Checkout-Python-SDK"
}
sdk "maven" "com.paypal.sdk:checkout-sdk" {
  deprecated = "PayPal archived the Checkout SDKs; use com.paypal.sdk:paypal-server-sdk"
  docs       = "https://github.com/paypal/Checkout-Java-SDK"
}
sdk "nuget" "PayPalCheckoutSdk" {
  deprecated = "PayPal archived the Checkout SDKs; use PayPalServerSDK"
  docs       = "https://github.com/paypal/Checkout-NET-SDK"
}

# Error names of the REST APIs and webhook verification results, as the
# SDKs log them. Sources: https://developer.paypal.com/api/rest/reference/orders/v2/errors/,
# https://developer.paypal.com/api/rest/webhooks/rest/#link-verifywebhooksignature
log_error "verification_status_failure" {
  category = "signature"
  pattern  = "\"verification_status\"\\s*:\\s*\"FAILURE\""
}
log_error "INVALID_REQUEST" { category = "invalid_parameter" }
log_error "UNPROCESSABLE_ENTITY" { category = "invalid_parameter" }
log_error "AUTHENTICATION_FAILURE" { category = "authentication" }
log_error "INSTRUMENT_DECLINED" { category = "decline" }
log_error "PAYER_ACTION_REQUIRED" { category = "decline" }
