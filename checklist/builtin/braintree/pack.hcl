# What audit knows about Braintree (a PayPal service). Sandbox and
# production are separate gateways: api.sandbox.braintreegateway.com vs
# api.braintreegateway.com; every SDK is configured with an environment
# (braintree.Environment.Sandbox, Braintree\Configuration::environment('sandbox'),
# Environment.SANDBOX, :sandbox); the browser SDKs (Drop-in, Hosted Fields)
# are authorised by a tokenization key (sandbox_… / production_…) or a
# client token the server generates.
# Sources: https://developer.paypal.com/braintree/docs/guides/authorization/tokenization-key,
# https://developer.paypal.com/braintree/docs/start/hello-server,
# https://developer.paypal.com/braintree/docs/guides/webhooks/parse,
# https://developer.paypal.com/braintree/docs/reference/general/testing

provider "braintree" {
  title = "Braintree"
  docs  = ["https://developer.paypal.com/braintree/docs/start/go-live"]
  test_cards = [
    "4111111111111111", "4005519200000004", "4009348888881881", "4012000033330026",
    "4012000077777777", "4012888888881881", "4217651111111119", "4500600000000061",
    "5555555555554444", "2223000048400011", "378282246310005", "371449635398431",
    "6011111111111117", "3530111333300000", "4000000000001000", "4000000000001091",
    "6011000991300009", "36259600000004", "6304000000000000",
  ]
}

endpoint "api_sandbox" {
  purpose     = "api"
  environment = "test"
  hosts       = ["api.sandbox.braintreegateway.com", "payments.sandbox.braintree-api.com"]
}

endpoint "api_production" {
  purpose     = "api"
  environment = "live"
  hosts       = ["api.braintreegateway.com", "payments.braintree-api.com"]
}

# The browser SDKs (client, hosted-fields, data-collector, Drop-in).
endpoint "js" {
  purpose     = "script"
  environment = "any"
  hosts       = ["js.braintreegateway.com"]
}

# Hosted Fields' card iframes and Drop-in's assets.
endpoint "assets" {
  purpose     = "iframe"
  environment = "any"
  hosts       = ["assets.braintreegateway.com"]
}

# The Control Panels: linked to, never called.
endpoint "control_panel" {
  purpose     = "docs"
  environment = "any"
  hosts       = ["sandbox.braintreegateway.com", "www.braintreegateway.com", "www.braintreepayments.com", "developer.paypal.com"]
}

# Tokenization keys authorise the browser SDKs: public by design, but
# their environment must be the integration's.
credential "braintree_production_tokenization_key" {
  kind    = "tokenization_key"
  mode    = "live"
  secret  = false
  pattern = "production_[0-9a-z]{8}_[0-9a-z]{16}"
}

credential "braintree_sandbox_tokenization_key" {
  kind    = "tokenization_key"
  mode    = "test"
  secret  = false
  pattern = "sandbox_[0-9a-z]{8}_[0-9a-z]{16}"
}

# A client token pasted into a page (base64 of {"version":2,…}): it
# expires, and says its environment only inside.
credential "braintree_client_token" {
  kind    = "client_token"
  mode    = "any"
  secret  = false
  pattern = "eyJ2ZXJzaW9uIjoy[A-Za-z0-9+/]{40,}={0,2}"
  mask    = "eyJ2ZXJzaW9u"
}

# BRAINTREE_ENVIRONMENT=sandbox in configuration; in code,
# braintree.Environment.Sandbox (Node, Python), Environment.SANDBOX (Java),
# Braintree\Configuration::environment('sandbox') or
# new Braintree\Gateway(['environment' => 'sandbox', …]) (PHP),
# Braintree::Configuration.environment = :sandbox (Ruby).
switch "environment" {
  settings = ["(?i)(braintree|^bt).*env(ironment)?$"]
  code     = ["braintree\\.Environment\\.(Sandbox|Production)\\b", "Braintree\\\\Configuration::environment\\(\\s*['\"](sandbox|production)['\"]", "Braintree::Configuration\\.environment\\s*=\\s*:(sandbox|production)\\b"]
  # new BraintreeGateway("sandbox", merchantId, publicKey, privateKey): the
  # Java gateway's first argument names the environment.
  code_keys  = ["(?i)^environment$", "^new BraintreeGateway#0$"]
  code_files = ["(?i)braintree"]
  live       = ["production"]
  test       = ["sandbox", "development", "qa"]
}

# Drop-in and Hosted Fields: the option object holds the authorization.
js_call "dropin" {
  callee  = "braintree.dropin.create"
  options = 0
}

js_call "client" {
  callee  = "braintree.client.create"
  options = 0
}

js_call "hosted_fields" {
  callee  = "braintree.hostedFields.create"
  options = 0
}

# Libraries, as package managers name them (each repository's README
# under github.com/braintree gives the install line).
sdk "npm" "braintree" { docs = "https://github.com/braintree/braintree_node" }
sdk "npm" "braintree-web" { docs = "https://github.com/braintree/braintree-web" }
sdk "npm" "braintree-web-drop-in" { docs = "https://github.com/braintree/braintree-web-drop-in" }
sdk "composer" "braintree/braintree_php" { docs = "https://github.com/braintree/braintree_php" }
sdk "pypi" "braintree" { docs = "https://github.com/braintree/braintree_python" }
sdk "gem" "braintree" { docs = "https://github.com/braintree/braintree_ruby" }
sdk "maven" "com.braintreepayments.gateway:braintree-java" { docs = "https://github.com/braintree/braintree_java" }
sdk "nuget" "Braintree" { docs = "https://github.com/braintree/braintree_dotnet" }

# Webhooks are form posts of bt_signature and bt_payload:
# bt_signature = "PUBLIC_KEY|" + hex(HMAC-SHA1(SHA1(PRIVATE_KEY), bt_payload)),
# bt_payload = base64 of the notification's XML. gateway.webhookNotification.parse
# checks it; an endpoint that skips parse accepts anyone's notification.
webhook {
  scheme    = "HMAC-SHA1 of bt_payload keyed with SHA-1 of the private key, in bt_signature as public_key|hex"
  header    = "bt_signature"
  algorithm = "hmac-sha1"
  docs      = "https://developer.paypal.com/braintree/docs/guides/webhooks/parse"
  forge {
    headers = { "Content-Type" = "application/x-www-form-urlencoded" }
    body    = "bt_signature=${urlencode("auditforgedkey|${forged.hex}")}&bt_payload=${urlencode(base64encode("<notification><kind>transaction_settled</kind><timestamp type=\"datetime\">${forged.time}</timestamp><subject><transaction><id>audit${forged.ref}</id><status>settled</status><amount>42.00</amount></transaction></subject></notification>\n"))}"
  }
}
