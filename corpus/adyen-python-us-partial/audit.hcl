use "adyen" {
  environment   = "live"
  config_files  = [".env"]
  source_dirs   = ["app"]
  checkout_page = "app/templates/layout.html"
}

attest "adyen.live_transaction_validated" {
  by       = "Launch manager"
  date     = "2026-11-20"
  evidence = "Claimed by the merchant for this corpus case; the audit judges the code"
}

