use "adyen" {
  environment   = "live"
  live_prefix   = "1797a841fbb37ca7-BergblickSport"
  config_files  = [".env"]
  source_dirs   = ["src", "public", "views"]
  checkout_page = "views/layouts/main.handlebars"
}

attest "adyen.live_transaction_validated" {
  by       = "Launch manager"
  date     = "2026-11-20"
  evidence = "Claimed by the merchant for this corpus case; the audit judges the code"
}

