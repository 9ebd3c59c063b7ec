use "stripe" {
  config_files  = ["server/python/.env.production"]
  source_dirs   = ["server/python", "client"]
  checkout_page = "client/index.html"
}

use "pci-dss" {
  checkout_page    = "client/index.html"
  source_dirs      = ["server", "client"]
  script_allowlist = ["js.stripe.com", "/script.js"]
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
