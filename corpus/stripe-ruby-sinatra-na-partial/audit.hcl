use "stripe" {
  config_files  = ["server/ruby/.env.production"]
  source_dirs   = ["server/ruby", "client/html"]
  checkout_page = "client/html/index.html"
}
