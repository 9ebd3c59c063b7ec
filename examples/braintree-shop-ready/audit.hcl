# Go-live audit of the Atelier Lune shop on Braintree, ready for launch. Paths are relative to this file.
# Run: audit run examples/braintree-shop-ready --offline --allow-unchecked

use "braintree" {
  environment   = "production"
  config_files  = [".env.production", "config/payments.yaml"]
  source_dirs   = ["src"]
  checkout_page = "public/checkout.html"
  webhook_url   = "https://atelier-lune.example/braintree/webhooks"
}

attest "braintree.live_transaction_validated" {
  by       = "Camille Roux, launch manager"
  date     = "2026-11-20"
  evidence = "Production transaction AL-3001 settled and refunded; seen in the production Control Panel, ticket AL-77"
}
