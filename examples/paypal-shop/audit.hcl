# Go-live audit of the Casa Olea shop on PayPal. Paths are relative to this file.
# Run: audit run examples/paypal-shop --offline

use "paypal" {
  environment   = "live"
  client_id     = "AVq3nN1zXo9Wc2Lr8Tb5Ke7Yh0Jd4Gf6Sm1Pa3Ux8Qi2Oz5Ct7Ev9Bw0Ry4Dn6Hl1Mk3Fj8Ig2As5"
  config_files  = [".env.production", "config/payments.yaml"]
  source_dirs   = ["src"]
  checkout_page = "public/checkout.html"
  webhook_url   = "https://casa-olea.example/paypal/webhooks"
}
