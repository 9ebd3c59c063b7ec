use "stripe" {
  config_files  = ["server/java/.env.production"]
  source_dirs   = ["server/java/src", "client/html"]
  checkout_page = "client/html/index.html"
}
