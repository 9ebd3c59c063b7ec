# Go-live audit of the Velo Nord shop on Adyen, ready for launch. Paths are relative to this file.
# Run: audit run examples/adyen-shop-ready --offline

use "adyen" {
  environment   = "live"
  live_prefix   = "1797a841fbb37ca7-VeloNord"
  config_files  = [".env.production", "config/payments.yaml"]
  source_dirs   = ["src", "public"]
  checkout_page = "public/checkout.html"
  webhook_url   = "https://velo-nord.example/adyen/webhooks"
}

attest "adyen.live_transaction_validated" {
  by       = "Jonas Weber, launch manager"
  date     = "2026-11-20"
  evidence = "Live payment VN-1001 authorised, captured and refunded; seen in the Customer Area, see ticket VN-214"
}
