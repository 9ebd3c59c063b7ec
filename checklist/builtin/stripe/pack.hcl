# What audit knows about Stripe. Read by package pack; applied by the
# generic probes (config, source, page, scan, webhook).
# Sources: https://docs.stripe.com/keys, https://docs.stripe.com/testing,
# https://docs.stripe.com/webhooks#verify-events, https://docs.stripe.com/js/including

provider "stripe" {
  title = "Stripe"
  docs  = ["https://docs.stripe.com/keys", "https://docs.stripe.com/get-started/checklist/go-live"]
  # Published test numbers (docs.stripe.com/testing): reported, never card data.
  test_cards = [
    "4242424242424242", "4000056655665556", "5555555555554444", "2223003122003222",
    "5200828282828210", "5105105105105100", "378282246310005", "371449635398431",
    "6011111111111117", "6011000990139424", "3056930009020004", "36227206271667",
    "3566002020360505", "6200000000000005", "4000002500003155", "4000000000000002",
    "4000002760003184", "4000003800000446", "4000000000003220", "4000000000003063",
    "4000008400001629", "4000000000009995", "4000000000009987", "4000000000009979",
    "4000000000000069", "4000000000000127", "4000000000000119", "4000000000000101",
    "4000000000000036", "4000000000000077", "4000000000000093", "4000000000000341",
    "4000000000000259", "4000000000005126", "4000000000000010", "4000000000000028",
    "4000000000000044", "4000000000003055", "4000000000003238", "4000000000003246",
    "4000000000003253", "4000000000000309", "4000000000000325", "4000000000003014",
    "4000000000003022", "4000000000003030", "4000000000003048", "4000000000003089",
    "4000000000003097", "4000000760000002", "4000001240000000", "4000000400000008",
    "4000000560000004", "4000002080000001", "4000002460000001", "4000002500000003",
    "4000002760000016", "4000003720000005", "4000003800000008", "4000004400000000",
    "4000005280000002", "4000005780000007", "4000006200000007", "4000006430000009",
    "4000007240000007", "4000007560000009", "4000008260000000", "5200000000001096",
    "5200000000001005", "6011981111111113", "6200000000000047", "6205500000000000004",
    "6555900000604105",
  ]
}

# Test and live mode share hosts: the key decides the mode.
endpoint "api" {
  purpose     = "api"
  environment = "any"
  hosts       = ["api.stripe.com", "files.stripe.com", "connect.stripe.com"]
}

endpoint "stripe_js" {
  purpose     = "script"
  environment = "any"
  hosts       = ["js.stripe.com"]
}

endpoint "checkout" {
  purpose     = "checkout"
  environment = "any"
  hosts       = ["checkout.stripe.com", "buy.stripe.com"]
}

# Elements' iframes and the fraud-signal frames they load.
endpoint "elements" {
  purpose     = "iframe"
  environment = "any"
  hosts       = ["m.stripe.network", "hooks.stripe.com"]
}

endpoint "docs" {
  purpose     = "docs"
  environment = "any"
  hosts       = ["stripe.com", "www.stripe.com", "docs.stripe.com", "dashboard.stripe.com", "support.stripe.com"]
}

# Keys: secret and restricted keys act on the account; publishable keys
# belong in pages. env: the variables conventionally holding a key the
# stripe_account probe sends to the api endpoint's hosts (any variable the
# integration names is read, its value sent only when it has one of these
# shapes). Bodies are at least 16 letters and digits (real ones
# are 24 to 99).
credential "stripe_live_secret_key" {
  kind    = "secret"
  mode    = "live"
  secret  = true
  pattern = "sk_live_[0-9A-Za-z]{16,}"
  env     = ["STRIPE_SECRET_KEY", "STRIPE_AUDIT_KEY"]
}

credential "stripe_test_secret_key" {
  kind    = "secret"
  mode    = "test"
  secret  = true
  pattern = "sk_test_[0-9A-Za-z]{16,}"
  env     = ["STRIPE_SECRET_KEY", "STRIPE_AUDIT_KEY"]
}

credential "stripe_live_restricted_key" {
  kind    = "restricted"
  mode    = "live"
  secret  = true
  pattern = "rk_live_[0-9A-Za-z]{16,}"
  env     = ["STRIPE_SECRET_KEY", "STRIPE_AUDIT_KEY"]
}

credential "stripe_test_restricted_key" {
  kind    = "restricted"
  mode    = "test"
  secret  = true
  pattern = "rk_test_[0-9A-Za-z]{16,}"
  env     = ["STRIPE_SECRET_KEY", "STRIPE_AUDIT_KEY"]
}

credential "stripe_live_publishable_key" {
  kind    = "publishable"
  mode    = "live"
  secret  = false
  pattern = "pk_live_[0-9A-Za-z]{16,}"
}

credential "stripe_test_publishable_key" {
  kind    = "publishable"
  mode    = "test"
  secret  = false
  pattern = "pk_test_[0-9A-Za-z]{16,}"
}

# A webhook signing secret does not say its mode; whoever holds it can
# forge events, so it counts as live.
credential "stripe_webhook_secret" {
  kind    = "webhook_secret"
  mode    = "any"
  secret  = true
  pattern = "whsec_[0-9A-Za-z]{16,}"
}

# Stripe-Signature: t=TIMESTAMP,v1=HMAC-SHA256(secret, "TIMESTAMP.BODY").
webhook {
  scheme    = "HMAC-SHA256 over \"timestamp.payload\" keyed with the endpoint's signing secret (whsec_…), in Stripe-Signature t=…,v1=…"
  header    = "Stripe-Signature"
  algorithm = "hmac-sha256"
  docs      = "https://docs.stripe.com/webhooks#verify-events"
  forge {
    headers = {
      "Content-Type"     = "application/json; charset=utf-8"
      "Stripe-Signature" = "t=${forged.unix},v1=${forged.hex}"
    }
    body = jsonencode({
      id               = "evt_audit${forged.ref}"
      object           = "event"
      api_version      = "2024-06-20"
      created          = forged.unix
      livemode         = true
      type             = "payment_intent.succeeded"
      pending_webhooks = 1
      request          = { id = null, idempotency_key = null }
      data = { object = {
        id              = "pi_audit${forged.ref}", object = "payment_intent", amount = 4200,
        amount_received = 4200, currency = "eur", status = "succeeded", livemode = true
      } }
    })
  }
}

# Libraries, as package managers name them.
sdk "npm" "stripe" { docs = "https://github.com/stripe/stripe-node" }
sdk "npm" "@stripe/stripe-js" { docs = "https://github.com/stripe/stripe-js" }
sdk "npm" "@stripe/react-stripe-js" { docs = "https://github.com/stripe/react-stripe-js" }
sdk "composer" "stripe/stripe-php" { docs = "https://github.com/stripe/stripe-php" }
sdk "pypi" "stripe" { docs = "https://github.com/stripe/stripe-python" }
sdk "gem" "stripe" { docs = "https://github.com/stripe/stripe-ruby" }
sdk "maven" "com.stripe:stripe-java" { docs = "https://github.com/stripe/stripe-java" }
sdk "nuget" "Stripe.net" { docs = "https://github.com/stripe/stripe-dotnet" }
sdk "go" "github.com/stripe/stripe-go" { docs = "https://github.com/stripe/stripe-go" }
sdk "npm" "react-stripe-elements" {
  deprecated = "react-stripe-elements is deprecated; use @stripe/react-stripe-js"
  docs       = "https://github.com/stripe-archive/react-stripe-elements"
}

# Error codes and types as the libraries log them. Sources:
# https://docs.stripe.com/error-codes, https://docs.stripe.com/webhooks#verify-events
log_error "signature_verification" {
  category = "signature"
  pattern  = "(?i)\\bSignatureVerification(Error|Exception)\\b|No signatures found matching the expected signature"
}
log_error "parameter_missing" { category = "invalid_parameter" }
log_error "parameter_invalid_empty" { category = "invalid_parameter" }
log_error "parameter_unknown" { category = "invalid_parameter" }
log_error "api_key_expired" { category = "authentication" }
log_error "api_connection_error" {
  category = "timeout"
  pattern  = "\\bapi_connection_error\\b|\\bStripe(API)?ConnectionError\\b"
}
log_error "card_declined" { category = "decline" }
log_error "expired_card" { category = "decline" }
log_error "incorrect_cvc" { category = "decline" }
log_error "authentication_required" { category = "decline" }
