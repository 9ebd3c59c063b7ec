checklist "demo" {
  title = "Demo"
}

probe "config" "app" {
  files = ["app.env"]
}

locals {
  a = local.b
  b = local.a
}

step "a" {
  title    = "A"
  severity = "high"
  when     = probe.config.app.values["ENABLED"] == "1"
  assert {
    condition = local.a
    message   = "x"
  }
}
