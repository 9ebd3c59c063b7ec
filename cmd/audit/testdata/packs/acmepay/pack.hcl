# A provider that does not exist: proves a pack is data only. Nothing in
# Go names it; TestFictitiousPack runs its checklist.

provider "acmepay" {
  title      = "AcmePay (fictitious)"
  test_cards = ["4000000000000002"]
}

endpoint "api_test" {
  purpose     = "api"
  environment = "test"
  hosts       = ["api.sandbox.acmepay.test"]
}

endpoint "api_live" {
  purpose     = "api"
  environment = "live"
  hosts       = ["api.acmepay.test"]
}

endpoint "js" {
  purpose     = "script"
  environment = "any"
  hosts       = ["js.acmepay.test"]
}

credential "acmepay_live_secret" {
  kind    = "secret"
  mode    = "live"
  secret  = true
  pattern = "acme_sk_live_[0-9a-f]{24}"
}

credential "acmepay_test_secret" {
  kind    = "secret"
  mode    = "test"
  secret  = true
  pattern = "acme_sk_test_[0-9a-f]{24}"
}

switch "mode" {
  settings = ["(?i)^acme_?mode$"]
  code     = ["AcmePay\\.mode\\s*=\\s*['\"](sandbox|live)['\"]"]
  live     = ["live"]
  test     = ["sandbox"]
}

js_call "checkout" {
  callee  = "AcmePay.mount"
  options = 1
}

webhook {
  scheme    = "HMAC-SHA256 of the body in X-Acme-Signature"
  header    = "X-Acme-Signature"
  algorithm = "hmac-sha256"
  forge {
    headers = { "Content-Type" = "application/json", "X-Acme-Signature" = forged.hex }
    body    = jsonencode({ id = "evt_${forged.ref}", type = "charge.paid", created = forged.unix })
  }
}
