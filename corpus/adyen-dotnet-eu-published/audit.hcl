use "adyen" {
  environment   = "live"
  config_files  = ["appsettings.json"]
  source_dirs   = ["."]
  checkout_page = "Views/Shared/_Layout.cshtml"
}

attest "adyen.live_transaction_validated" {
  by       = "Launch manager"
  date     = "2026-11-20"
  evidence = "Claimed by the merchant for this corpus case; the audit judges the code"
}

