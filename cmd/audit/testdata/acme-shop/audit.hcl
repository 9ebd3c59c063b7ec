use "acmepay" {
  config_files  = ["app.env"]
  source_dirs   = ["src"]
  checkout_page = "public/checkout.html"
}
