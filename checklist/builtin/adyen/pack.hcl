# What audit knows about Adyen. Test and live are separate platforms:
# test hosts carry "-test", live ones "-live" (API hosts with the
# company's prefix: PREFIX-checkout-live.adyenpayments.com).
# Sources: https://docs.adyen.com/development-resources/live-endpoints,
# https://docs.adyen.com/development-resources/client-side-authentication,
# https://docs.adyen.com/development-resources/webhooks/verify-hmac-signatures,
# https://docs.adyen.com/development-resources/test-cards-and-credentials/test-card-numbers

provider "adyen" {
  title = "Adyen"
  docs  = ["https://docs.adyen.com/get-started-with-adyen/launch-checklist"]
  test_cards = [
    "4111111111111111", "4988438843884305", "4166676667666746", "4646464646464644",
    "5555444433331111", "5454545454545454", "2222400070000005", "5500000000000004",
    "370000000000002", "6011601160116611", "36006666333344", "4000020000000000",
    "4000620000000007", "4444333322221111", "4917610000000000", "4917610000000000003",
    "4035501000000008", "4360000001000005", "4484070000035519", "4988080000000000",
    "4462030000000000", "4917300800000000", "5431111111111111", "2223520043560014",
    "5101180000000007", "5577000055770004", "5136333333333335", "5585558555855583",
    "2222410740360010", "2222990905257051", "5100290029002909", "5399999999999999",
    "370000000100018", "374245455400126", "374251018720018", "374101000000608",
    "343434343434343", "371111111111114", "6011000400000000", "6445644564456445",
    "36148900647913", "36070500001020", "3569990010095841", "3528000000000007",
    "3566111111111113", "3569990010030400", "3528000700000000", "3569990000000009",
    "6250946000000016", "6243030000000001", "6212345678901232", "6250947000000014",
    "6212345678901265", "6703444444444449", "6771798021000008", "5000550000000029",
    "6759649826438453", "6799990100000000019", "5018000000000009", "6761000000000006",
    "6763000000000004", "6771798025000004", "6331101999990016", "5019717010103742",
  ]
}

# First match wins: links to documentation and the Customer Area are not
# endpoints.
endpoint "docs" {
  purpose     = "docs"
  environment = "any"
  hosts       = ["adyen.com", "www.adyen.com", "docs.adyen.com", "help.adyen.com", "ca-test.adyen.com", "ca-live.adyen.com"]
}

# Drop-in and Components: scripts, styles and card iframes, from the
# checkoutshopper hosts or their CDN (checkoutshopper-*.cdn.adyen.com),
# one per live region: Europe (live), live-us, live-au, live-apse, live-in.
endpoint "checkoutshopper_live" {
  purpose     = "script"
  environment = "live"
  hosts = [
    "checkoutshopper-live.adyen.com", "checkoutshopper-live-us.adyen.com", "checkoutshopper-live-au.adyen.com", "checkoutshopper-live-apse.adyen.com", "checkoutshopper-live-in.adyen.com",
    "checkoutshopper-live.cdn.adyen.com", "checkoutshopper-live-us.cdn.adyen.com", "checkoutshopper-live-au.cdn.adyen.com", "checkoutshopper-live-apse.cdn.adyen.com", "checkoutshopper-live-in.cdn.adyen.com",
  ]
}

endpoint "checkoutshopper_test" {
  purpose     = "script"
  environment = "test"
  hosts       = ["checkoutshopper-test.adyen.com", "checkoutshopper-test.cdn.adyen.com"]
}

# Checkout and classic (pal) APIs; live hosts carry the company prefix.
endpoint "api_live" {
  purpose     = "api"
  environment = "live"
  hosts       = ["*live*.adyen.com", "*live*.adyenpayments.com"]
}

endpoint "api_test" {
  purpose     = "api"
  environment = "test"
  hosts       = ["*.adyen.com", "*.adyenpayments.com"]
}

# The API key of a web service user: its format does not say test or
# live, so it counts as live.
credential "adyen_api_key" {
  kind    = "api_key"
  mode    = "any"
  secret  = true
  pattern = "AQE[A-Za-z0-9+/]{37,}=+-[^\\s\"'`]+"
}

# Client keys of the web and mobile SDKs: public, but must match the
# SDK's environment.
credential "adyen_live_client_key" {
  kind    = "client_key"
  mode    = "live"
  secret  = false
  pattern = "live_[A-Z0-9]{32}"
}

credential "adyen_test_client_key" {
  kind    = "client_key"
  mode    = "test"
  secret  = false
  pattern = "test_[A-Z0-9]{32}"
}

# ADYEN_ENVIRONMENT=live-us, adyen.environment: TEST in configuration.
# The libraries take Environment.TEST / Environment.LIVE (Java; C# spells
# them Environment.Test / Environment.Live), common.TestEnv (Go), a
# string "test" or "live-us" (Node, Drop-in, Components), env = :test
# (Ruby) and client.platform = "test" (Python). code_keys count in files
# that use Adyen.
switch "environment" {
  settings = ["(?i)adyen.*env(ironment)?$"]
  code     = ["Environment\\.(TEST|LIVE|Test|Live)\\b", "(?i)adyen[^\\n]{0,80}?environment\\s*[:=]\\s*['\"](test|live|live-us|live-au|live-apse|live-in)['\"]", "\\bcommon\\.(Test|Live)Env\\b"]
  # ADYEN_ENVIRONMENT too: adyen-node-online-payments sets it in its
  # config module, the value the server library is given.
  code_keys  = ["(?i)^(adyen_?)?(environment|env|platform)$"]
  code_files = ["(?i)adyen"]
  live       = ["live", "live-us", "live-au", "live-apse", "live-in"]
  test       = ["test"]
}

# Each NotificationRequestItem carries additionalData.hmacSignature:
# Base64(HMAC-SHA256(hex-decoded HMAC key, pspReference:originalReference:
# merchantAccountCode:merchantReference:value:currency:eventCode:success)).
webhook {
  scheme    = "HMAC-SHA256 of the item's fields keyed with the webhook's HMAC key, Base64, in additionalData.hmacSignature"
  algorithm = "hmac-sha256"
  docs      = "https://docs.adyen.com/development-resources/webhooks/verify-hmac-signatures"
  forge {
    headers = { "Content-Type" = "application/json" }
    body = jsonencode({
      live = "true"
      notificationItems = [{ NotificationRequestItem = {
        additionalData      = { hmacSignature = forged.base64 }
        amount              = { currency = "EUR", value = 4200 }
        eventCode           = "AUTHORISATION"
        eventDate           = forged.time
        merchantAccountCode = "AuditForged"
        merchantReference   = "audit-${forged.ref}"
        paymentMethod       = "visa"
        pspReference        = "AUDIT${forged.ref}"
        reason              = ""
        success             = "true"
      } }]
    })
  }
}

# Libraries, as package managers name them.
sdk "npm" "@adyen/api-library" { docs = "https://github.com/Adyen/adyen-node-api-library" }
sdk "npm" "@adyen/adyen-web" { docs = "https://github.com/Adyen/adyen-web" }
sdk "composer" "adyen/php-api-library" { docs = "https://github.com/Adyen/adyen-php-api-library" }
sdk "pypi" "Adyen" { docs = "https://github.com/Adyen/adyen-python-api-library" }
sdk "gem" "adyen-ruby-api-library" { docs = "https://github.com/Adyen/adyen-ruby-api-library" }
sdk "maven" "com.adyen:adyen-java-api-library" { docs = "https://github.com/Adyen/adyen-java-api-library" }
sdk "nuget" "Adyen" { docs = "https://github.com/Adyen/adyen-dotnet-api-library" }
sdk "go" "github.com/adyen/adyen-go-api-library" { docs = "https://github.com/Adyen/adyen-go-api-library" }

# Errors as the libraries and webhook handlers log them. Sources:
# https://docs.adyen.com/development-resources/error-codes,
# https://docs.adyen.com/development-resources/webhooks/verify-hmac-signatures
log_error "hmac_invalid" {
  category = "signature"
  pattern  = "(?i)hmac[^\\n]{0,40}(invalid|fail|mismatch|not valid)"
}
log_error "validation" {
  category = "invalid_parameter"
  pattern  = "\"errorType\"\\s*:\\s*\"validation\""
}
log_error "security" {
  category = "authentication"
  pattern  = "\"errorType\"\\s*:\\s*\"security\""
}
log_error "Refused" {
  category = "decline"
  pattern  = "\"resultCode\"\\s*:\\s*\"Refused\""
}
