use "stripe" {
  config_files  = ["server/dotnet/.env"]
  source_dirs   = ["server/dotnet", "client/html"]
  checkout_page = "client/html/index.html"
}
