# Go-live audit of Prairie Goods, a US shop ready for launch on Amazon Pay's
# North American region: ACH payout account, EIN, USD.
# Run: audit run examples/amazon-pay-shop-us

use "amazon-pay" {
  region        = "na"
  merchant_file = "merchant.hcl"
  config_files  = [".env.production"]
  checkout_page = "dist/checkout.html"
  launch_date   = "2026-12-10"
}

attest "amazon-pay.sandbox_tests_passed" {
  by       = "Dana Whitfield, launch manager"
  date     = "2026-11-18"
  evidence = "Sandbox scenarios passed, see ticket PG-88"
}

attest "amazon-pay.production_transaction_validated" {
  by       = "Dana Whitfield, launch manager"
  date     = "2026-11-21"
  evidence = "Order 5001 seen in Seller Central, refunded the same day"
}

attest "amazon-pay.javascript_origins_registered" {
  by       = "Launch manager"
  date     = "2026-11-19"
  evidence = "Production origins, return URLs and privacy-policy URL verified in Seller Central (Integration Central)"
}
