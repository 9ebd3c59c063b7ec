use "paypal" {
  environment   = "live"
  config_files  = ["server/node/.env"]
  source_dirs   = ["server/node", "client/html/src"]
  checkout_page = "client/html/src/index.html"
}

attest "paypal.live_transaction_validated" {
  by       = "Launch manager"
  date     = "2026-11-20"
  evidence = "Claimed by the merchant for this corpus case; the audit judges the code"
}

