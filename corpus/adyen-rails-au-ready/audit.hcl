use "adyen" {
  environment   = "live"
  live_prefix   = "5a1f9c0e7d3b2a44-KookaburraGoods"
  config_files  = ["config/local_env.yml"]
  source_dirs   = ["app"]
  checkout_page = "app/views/layouts/application.html.erb"
}

attest "adyen.live_transaction_validated" {
  by       = "Launch manager"
  date     = "2026-11-20"
  evidence = "Claimed by the merchant for this corpus case; the audit judges the code"
}

