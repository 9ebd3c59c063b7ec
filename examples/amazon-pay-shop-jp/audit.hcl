# Go-live audit of さくら商店, a Japanese shop ready for launch on Amazon Pay's
# Japan region: a bank/branch payout account, a qualified invoice number, JPY.
# Run: audit run examples/amazon-pay-shop-jp

use "amazon-pay" {
  region        = "jp"
  merchant_file = "merchant.hcl"
  config_files  = ["config/amazon_pay.php"]
  checkout_page = "dist/checkout.html"
  launch_date   = "2026-12-10"
}

attest "amazon-pay.sandbox_tests_passed" {
  by       = "佐藤 花子 (launch manager)"
  date     = "2026-11-18"
  evidence = "Sandbox scenarios passed, see ticket SKR-21"
}

attest "amazon-pay.production_transaction_validated" {
  by       = "佐藤 花子 (launch manager)"
  date     = "2026-11-21"
  evidence = "注文 3001 seen in Seller Central, refunded the same day"
}

attest "amazon-pay.javascript_origins_registered" {
  by       = "Launch manager"
  date     = "2026-11-19"
  evidence = "Production origins, return URLs and privacy-policy URL verified in Seller Central (Integration Central)"
}
