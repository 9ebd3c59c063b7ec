use "stripe" {
  config_files  = ["server/node/.env"]
  source_dirs   = ["server/node", "client/html"]
  checkout_page = "client/html/index.html"
}
