use "braintree" {
  environment   = "production"
  config_files  = [".env"]
  source_dirs   = ["lib", "public"]
  checkout_page = "public/checkouts/new.html"
}

attest "braintree.live_transaction_validated" {
  by       = "Launch manager"
  date     = "2026-11-20"
  evidence = "Claimed by the merchant for this corpus case; the audit judges the code"
}

