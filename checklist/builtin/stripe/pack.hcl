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
# pins_api_version: from which release a server library sends the API
# version it was released with rather than the account's default
# (docs.stripe.com/sdks/set-version; release notes of stripe-node 12.0.0,
# stripe-php 11.0.0, stripe-python 6.0.0, stripe-ruby 9.0.0). The typed
# libraries (Java, .NET, Go) always do: "You can't target a different
# version when using a strongly typed language".
sdk "npm" "stripe" {
  docs             = "https://github.com/stripe/stripe-node"
  pins_api_version = "12.0.0"
}
sdk "npm" "@stripe/stripe-js" { docs = "https://github.com/stripe/stripe-js" }
sdk "npm" "@stripe/react-stripe-js" { docs = "https://github.com/stripe/react-stripe-js" }
sdk "composer" "stripe/stripe-php" {
  docs             = "https://github.com/stripe/stripe-php"
  pins_api_version = "11.0.0"
}
sdk "pypi" "stripe" {
  docs             = "https://github.com/stripe/stripe-python"
  pins_api_version = "6.0.0"
}
sdk "gem" "stripe" {
  docs             = "https://github.com/stripe/stripe-ruby"
  pins_api_version = "9.0.0"
}
sdk "maven" "com.stripe:stripe-java" {
  docs             = "https://github.com/stripe/stripe-java"
  pins_api_version = "any"
}
sdk "nuget" "Stripe.net" {
  docs             = "https://github.com/stripe/stripe-dotnet"
  pins_api_version = "any"
}
sdk "go" "github.com/stripe/stripe-go" {
  docs             = "https://github.com/stripe/stripe-go"
  pins_api_version = "any"
}
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

# What the source probe lists from the code (probe.source.*.code_values).
# Source: docs.stripe.com/sdks/set-version, docs.stripe.com/webhooks,
# docs.stripe.com/api/events/types.

# The API version set where the SDK is initialised: stripe-node
# new Stripe(key, {apiVersion}), stripe-php Stripe::setApiVersion() and
# StripeClient(['stripe_version' => …]), stripe-python stripe.api_version,
# stripe-ruby Stripe.api_version and StripeClient.new(…, stripe_version:),
# .NET StripeConfiguration.ApiVersion, a raw Stripe-Version header. Not
# Stripe.js's own apiVersion option (Stripe(pk, {apiVersion}), loadStripe).
code_value "api_version" {
  keys       = ["^(apiVersion|api_version|stripe_version|stripeVersion|ApiVersion|StripeVersion|Stripe-Version)$"]
  skip_calls = ["^(window\\.)?Stripe$", "^loadStripe$"]
  value      = "^20[0-9]{2}-[0-9]{2}-[0-9]{2}(\\.[a-z]+)?$"
  files      = ["(?i)stripe"]
}

# Where a dynamically typed server library is initialised: it uses the
# account's default API version unless the call or the library pins one.
code_value "sdk_init" {
  patterns = [
    "(require\\(\\s*['\"]stripe['\"]\\s*\\))\\s*\\(",
    "\\b(new\\s+Stripe)\\s*\\(",
    "(\\\\?Stripe\\\\Stripe::setApiKey)\\s*\\(",
    "\\b(new\\s+\\\\?Stripe\\\\StripeClient)\\s*\\(",
    "\\b(stripe\\.api_key)\\s*=[^=]",
    "\\b(stripe\\.StripeClient)\\s*\\(",
    "\\b(Stripe\\.api_key)\\s*=[^=]",
    "\\b(Stripe::StripeClient\\.new)\\b",
  ]
}

# Where a typed library (Java, .NET, Go) is initialised: it always sends
# the API version it was released with.
code_value "typed_sdk_init" {
  langs = ["java", "csharp", "go"]
  patterns = [
    "\\b(Stripe\\.apiKey)\\s*=[^=]",
    "\\b(new\\s+StripeClient)\\s*\\(",
    "\\b(StripeConfiguration\\.ApiKey)\\s*=[^=]",
    "\\b(StripeConfiguration\\.SetApiKey)\\s*\\(",
    "\\b(stripe\\.Key)\\s*=[^=]",
    "\\b(stripe\\.NewClient|client\\.New)\\s*\\(",
  ]
  files = ["(?i)stripe"]
}

# Event types the code handles: a string naming one (case 'payment_intent.succeeded':,
# event.type == "…", handler tables), or a library constant (.NET
# Events.PaymentIntentSucceeded / EventTypes.…, Go stripe.EventType…, PHP
# Event::PAYMENT_INTENT_SUCCEEDED). Compared with a webhook endpoint's
# enabled_events without case, dots and underscores.
code_value "handled_event" {
  strings = true
  value   = "^(account|application_fee|balance|billing_portal|billing|capability|cash_balance|charge|checkout|climate|coupon|credit_note|customer|customer_cash_balance_transaction|entitlements|file|financial_connections|identity|invoice|invoiceitem|invoice_payment|issuing_authorization|issuing_card|issuing_cardholder|issuing_dispute|issuing_token|issuing_transaction|mandate|payment_intent|payment_link|payment_method|payout|person|plan|price|product|promotion_code|quote|radar|refund|reporting|review|setup_intent|sigma|source|subscription_schedule|tax|tax_rate|terminal|test_helpers|topup|transfer|treasury)(\\.[a-z_]+)*\\.(created|updated|deleted|succeeded|failed|canceled|completed|expired|processing|requires_action|amount_capturable_updated|partially_funded|paid|payment_failed|payment_succeeded|payment_action_required|finalized|finalization_failed|upcoming|voided|marked_uncollectible|sent|refunded|captured|pending|closed|funds_reinstated|funds_withdrawn|async_payment_succeeded|async_payment_failed|trial_will_end|paused|resumed|attached|detached|automatically_updated|available|reversed|released|accepted|authorized|reinstated|will_be_renewed|overdue|overpaid|application_authorized|application_deauthorized|refreshed|ready|redacted|verified|requires_input|reactivated|deactivated|posted|returned|rejected|submitted|overdue|will_be_due|expiring|early_fraud_warning\\.[a-z_]+)$"
  patterns = [
    "\\b(?:Events|EventTypes)\\.([A-Z][A-Za-z]+)\\b",
    "\\bstripe\\.EventType([A-Z][A-Za-z]+)\\b",
    "\\bEvent::([A-Z][A-Z_]+)\\b",
  ]
  files = ["(?i)stripe"]
}

# Ids of objects made in the Dashboard or the API that code refers to:
# made in test mode, they do not exist in live mode. Read back with the
# live key by the stripe_account probe.
code_value "object_id" {
  strings = true
  value   = "^(price|prod|plan|promo|txr|shr)_[A-Za-z0-9]{14,}$"
}
