use "paypal" {
  environment   = "live"
  client_id     = "AZm3q0Xk7H2bT9vWcLr5nY8sJd1fGpQe4uBiNoKa6MtVhR0xEyDlCwSzPjUgF7I2oA9"
  source_dirs   = ["wp-content/plugins/shop-paypal-buttons"]
  checkout_page = "saved/checkout.html"
}

use "pci-dss" {
  checkout_page    = "saved/checkout.html"
  source_dirs      = ["wp-content"]
  script_allowlist = ["www.paypal.com", "/wp-includes/js/", "/wp-content/plugins/"]
}

attest "paypal.live_transaction_validated" {
  by       = "Launch manager"
  date     = "2026-11-20"
  evidence = "Claimed by the merchant for this corpus case; the audit judges the code"
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
