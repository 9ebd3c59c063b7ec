# Go-live audit of the Casa Olea shop on PayPal, ready for launch. Paths are relative to this file.
# Run: audit run examples/paypal-shop-ready --offline

use "paypal" {
  environment   = "live"
  client_id     = "AVq3nN1zXo9Wc2Lr8Tb5Ke7Yh0Jd4Gf6Sm1Pa3Ux8Qi2Oz5Ct7Ev9Bw0Ry4Dn6Hl1Mk3Fj8Ig2As5"
  config_files  = [".env.production", "config/payments.yaml"]
  source_dirs   = ["src"]
  checkout_page = "public/checkout.html"
  webhook_url   = "https://casa-olea.example/paypal/webhooks"
}

attest "paypal.live_transaction_validated" {
  by       = "Lucía Romero, launch manager"
  date     = "2026-11-20"
  evidence = "Live order CO-2001 paid with PayPal, captured and refunded; seen in the business account, see ticket CO-58"
}
