checklist "demo" {
  title = "Demo"
}

variable "checkout_page" {
  type = string
}

step "b" {
  title            = "B"
  severity         = "high"
  checkable        = "sometimes"
  unchecked_reason = "a local file has no TLS"
  assert {
    condition = true
    message   = "x"
  }
}
