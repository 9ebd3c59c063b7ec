# Go-live audit of the Atelier Lune shop on Braintree. Paths are relative to this file.
# Run: audit run examples/braintree-shop --offline

use "braintree" {
  environment   = "production"
  config_files  = [".env.production", "config/payments.yaml"]
  source_dirs   = ["src"]
  checkout_page = "public/checkout.html"
  webhook_url   = "https://atelier-lune.example/braintree/webhooks"
}
