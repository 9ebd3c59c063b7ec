use "paypal" {
  environment  = "live"
  config_files = ["samples/Configuration.php"]
  source_dirs  = ["samples"]
  checkout_page = "samples/DirectPayment/DoDirectPayment.html.php"
}

attest "paypal.live_transaction_validated" {
  by       = "Launch manager"
  date     = "2026-11-20"
  evidence = "Claimed by the merchant for this corpus case; the audit judges the code"
}


use "pci-dss" {
  checkout_page = "samples/DirectPayment/DoDirectPayment.html.php"
  source_dirs   = [".", "logs"]
  log_dirs      = ["logs"]
}

attest "pci-dss.mfa_for_cde_access" {
  by       = "CISO"
  date     = "2026-11-20"
  evidence = "Claimed by the merchant for this corpus case; the audit judges the code"
}

attest "pci-dss.asv_scan" {
  by       = "Security lead"
  date     = "2026-11-20"
  evidence = "Claimed by the merchant for this corpus case; the audit judges the code"
}

attest "pci-dss.tpsp_responsibility_matrix" {
  by       = "Security lead"
  date     = "2026-11-20"
  evidence = "Claimed by the merchant for this corpus case; the audit judges the code"
}
