# Go-live audit of the Atelier Lumen shop on Stripe, ready for launch. Paths are relative to this file.
# Run: audit run examples/stripe-shop-ready --offline

use "stripe" {
  config_files  = [".env.production", "config/payments.yaml"]
  source_dirs   = ["src", "public"]
  checkout_page = "public/checkout.html"
  webhook_url   = "https://atelier-lumen.example/stripe/webhook"
  # The account steps read the account from the Stripe API with the key in
  # this variable; run where it is set (CI secret), e.g.:
  #   STRIPE_AUDIT_KEY=rk_live_… audit run examples/stripe-shop-ready
  # Without it they are skipped.
}
