# Go-live audit of the Atelier Lumen shop on Stripe. Paths are relative to this file.
# Run: audit run examples/stripe-shop --offline

use "stripe" {
  config_files  = [".env.production", "config/payments.yaml"]
  source_dirs   = ["src", "public"]
  checkout_page = "public/checkout.html"
  webhook_url   = "https://atelier-lumen.example/stripe/webhook"
  # The account steps read the account from the Stripe API with the key in
  # this variable; run where it is set (CI secret), e.g.:
  #   STRIPE_AUDIT_KEY=rk_live_… audit run examples/stripe-shop
  # Without it they are skipped.
}
