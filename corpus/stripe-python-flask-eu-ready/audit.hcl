use "stripe" {
  config_files  = ["server/python/.env.production"]
  source_dirs   = ["server/python", "client/html"]
  checkout_page = "client/html/index.html"
}
