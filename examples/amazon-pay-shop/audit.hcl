# Go-live audit of the Café Étoile shop. Paths are relative to this file.
# Run: audit run examples/amazon-pay-shop

use "amazon-pay" {
  region        = "eu"
  merchant_file = "merchant.hcl"
  config_files  = [".env.production", "config/payments.yaml"]
  source_dirs   = ["src", "public"]
  checkout_page = "dist/checkout.html"
  launch_date   = "2026-12-10"
}

use "pci-dss" {
  checkout_page    = "dist/checkout.html"
  source_dirs      = ["src", "config"]
  log_dirs         = ["logs"]
  merchant_file    = "merchant.hcl"
  script_allowlist = ["static-eu.payments-amazon.com", "/assets/app.js"]
}

attest "amazon-pay.sandbox_tests_passed" {
  by       = "Claire Martin, launch manager"
  date     = "2026-11-18"
  evidence = "Sandbox scenarios 1-12 passed, see ticket SHOP-311"
}

waiver "amazon-pay.logo" {
  reason      = "The final logo ships with the brand refresh"
  approved_by = "Élodie Durand, Head of E-commerce"
  expires     = "2026-12-31"
  ticket      = "SHOP-327"
}

waiver "pci-dss.script_inventory" {
  reason      = "Inline button script to be moved to a nonce-based CSP"
  approved_by = "CISO"
  expires     = "2026-10-31"
  ticket      = "SEC-88"
}
