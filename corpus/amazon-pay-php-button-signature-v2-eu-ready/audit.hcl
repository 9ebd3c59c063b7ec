use "amazon-pay" {
  region           = "eu"
  merchant_file    = "merchant.hcl"
  config_files     = ["config/amazonpay.php"]
  source_dirs      = ["src", "public", "config"]
  checkout_page    = "public/checkout.html"
  private_key_file = "keys/amazon-pay-public.pem" # the public half of the key pair of publicKeyId
}

attest "amazon-pay.sandbox_tests_passed" {
  by       = "Launch manager"
  date     = "2026-11-18"
  evidence = "Sandbox scenarios passed (claimed by the merchant; the corpus checks what the code says)"
}

attest "amazon-pay.production_transaction_validated" {
  by       = "Launch manager"
  date     = "2026-11-20"
  evidence = "First production order seen in Seller Central (claimed by the merchant)"
}

attest "amazon-pay.javascript_origins_registered" {
  by       = "Launch manager"
  date     = "2026-11-20"
  evidence = "Claimed by the merchant for this corpus case; the audit judges the code"
}

