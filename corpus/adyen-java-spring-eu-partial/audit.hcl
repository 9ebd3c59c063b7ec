use "adyen" {
  environment   = "live"
  config_files  = ["src/main/resources/application.properties"]
  source_dirs   = ["src/main"]
  checkout_page = "src/main/resources/templates/layout.html"
}

attest "adyen.live_transaction_validated" {
  by       = "Launch manager"
  date     = "2026-11-20"
  evidence = "Claimed by the merchant for this corpus case; the audit judges the code"
}

