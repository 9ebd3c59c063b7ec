use "pci-dss" {
  checkout_page    = "page.html"
  source_dirs      = ["."]
  script_allowlist = ["/assets/app.js"]

  script "https://js.stripe.com/v3/" {
    reason  = "Stripe.js: the card iframe"
    dynamic = true
  }
  script "https://cdn.example.com/lib.js" {
    reason    = "charts"
    integrity = "sha384-abc"
  }
}
