# Allowlist entries as blocks, and what goes wrong with them.
use "pci-dss" {
  checkout_page = "page.html"
  source_dirs   = ["."]
  script_allowlist = [
    "/assets/app.js",
    { script = "cdn.example.com", reason = "" },
  ]
  widget "x" {}
  script "a" "b" {}
  script "/x.js" {
    script = "/y.js"
    reason = "x"
  }
  script "https://*.stripe.com/v3/" {
    reason = "wildcards are refused"
  }
}
