use "adyen" {
  environment   = "live"
  config_files  = [".env"]
  source_dirs   = ["app", "config", "public", "resources"]
  checkout_page = "resources/views/layouts/app.blade.php"
}

attest "adyen.live_transaction_validated" {
  by       = "Launch manager"
  date     = "2026-11-20"
  evidence = "Claimed by the merchant for this corpus case; the audit judges the code"
}

