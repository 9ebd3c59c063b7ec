use "paypal" {
  environment   = "live"
  client_id     = "AZm3q0Xk7H2bT9vWcLr5nY8sJd1fGpQe4uBiNoKa6MtVhR0xEyDlCwSzPjUgF7I2oA9"
  config_files  = ["src/main/resources/application.properties"]
  source_dirs   = ["src/main"]
  checkout_page = "src/main/resources/static/index.html"
}

attest "paypal.live_transaction_validated" {
  by       = "Launch manager"
  date     = "2026-11-20"
  evidence = "Claimed by the merchant for this corpus case; the audit judges the code"
}

