# Go-live audit of the Café Étoile shop, ready for launch. Paths are relative to this file.
# Run: audit run examples/amazon-pay-shop-ready

use "amazon-pay" {
  region        = "eu"
  merchant_file = "merchant.hcl"
  config_files  = [".env.production", "config/payments.yaml"]
  source_dirs   = ["src", "public"]
  checkout_page = "dist/checkout.html"
  launch_date   = "2026-12-10"
  log_dirs      = ["logs"]
}

use "pci-dss" {
  checkout_page = "dist/checkout.html"
  source_dirs   = ["src", "config"]
  log_dirs      = ["logs"]
  merchant_file = "merchant.hcl"
  script_allowlist = [
    "static-eu.payments-amazon.com",
    "/assets/app.js",
    "sha256-gga+Kk6NRfrFcgRnYpUf9rU5yUdKRfiyAHHLYX9bUwo=", # the inline renderButton call
  ]
}

attest "amazon-pay.sandbox_tests_passed" {
  by       = "Claire Martin, launch manager"
  date     = "2026-11-18"
  evidence = "Sandbox scenarios 1-12 passed, see ticket SHOP-311"
}

attest "amazon-pay.production_transaction_validated" {
  by       = "Claire Martin, launch manager"
  date     = "2026-11-21"
  evidence = "Order 1042 seen in Seller Central and the OMS, refunded the same day"
}

attest "pci-dss.mfa_for_cde_access" {
  by       = "Marc Petit, CISO"
  date     = "2026-11-19"
  evidence = "MFA enforced on the admin and hosting consoles, see SEC-90"
}

attest "amazon-pay.javascript_origins_registered" {
  by       = "Launch manager"
  date     = "2026-11-19"
  evidence = "Production origins, return URLs and privacy-policy URL verified in Seller Central (Integration Central)"
}

attest "pci-dss.asv_scan" {
  by       = "Marc Petit, CISO"
  date     = "2026-10-28"
  evidence = "Quarterly external scan by an approved scanning vendor passed, report ASV-2026-Q4 (PCI DSS 11.3.2)"
}

attest "pci-dss.tpsp_responsibility_matrix" {
  by       = "Marc Petit, CISO"
  date     = "2026-11-19"
  evidence = "Responsibility matrix with Amazon Pay signed, see contract annex C (PCI DSS 12.8.5)"
}
