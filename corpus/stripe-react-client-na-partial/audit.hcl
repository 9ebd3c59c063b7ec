use "stripe" {
  source_dirs   = ["client/react-cra/src", "client/react-cra/public"]
  checkout_page = "client/react-cra/public/index.html"
}

use "pci-dss" {
  checkout_page    = "client/react-cra/public/index.html"
  source_dirs      = ["client"]
  script_allowlist = ["js.stripe.com"]
}

attest "pci-dss.mfa_for_cde_access" {
  by       = "Security lead"
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
