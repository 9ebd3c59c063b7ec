checklist "demo" {
  title = "Demo"
}

variable "checkout_page" {
  type = string
}

probe "config" "app" {
  files = ["app.env"]
}

step "a" {
  title     = "A"
  severity  = "high"
  checkable = probe.config.app.values["TLS"] == "1"
  assert {
    condition = true
    message   = "x"
  }
}
