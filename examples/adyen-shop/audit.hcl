# Go-live audit of the Velo Nord shop on Adyen. Paths are relative to this file.
# Run: audit run examples/adyen-shop --offline

use "adyen" {
  environment   = "live"
  live_prefix   = "1797a841fbb37ca7-VeloNord"
  config_files  = [".env.production", "config/payments.yaml"]
  source_dirs   = ["src", "public"]
  checkout_page = "public/checkout.html"
  webhook_url   = "https://velo-nord.example/adyen/webhooks"
}
