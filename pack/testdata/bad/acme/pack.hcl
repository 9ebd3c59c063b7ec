provider "acme" {
  title      = "Acme"
  test_cards = ["4242424242424241"]
}

endpoint "api" {
  purpose     = "apis"
  environment = "live"
  hosts       = ["API.acme.test"]
}

credential "acme_key" {
  kind    = "secret"
  mode    = "live"
  secret  = true
  pattern = "[a-z]+_key_[0-9]{8}"
}

credential "acme_token" {
  kind    = "token"
  mode    = "live"
  secret  = true
  pattern = "acme_(unclosed"
}

switch "mode" {
  code = ["acme_mode"]
  live = ["live"]
  test = ["test"]
}

webhook {
  scheme    = "none"
  algorithm = "none"
  forge {
    headers = { "X-Sig" = forged.signature }
    body    = "{}"
  }
}

code_value "nothing" {
  value = "^x$"
}

code_value "strings_only" {
  strings = true
  langs   = ["cobol"]
}
