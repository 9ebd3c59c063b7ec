use "stripe" {
  config_files  = ["server/php/config.ini"]
  source_dirs   = ["server/php/public"]
  checkout_page = "server/php/public/index.html"
}
