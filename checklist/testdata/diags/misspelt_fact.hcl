checklist "demo" {
  title = "Demo"
}

probe "config" "app" {
  files = ["app.env"]
}

step "a" {
  title    = "A"
  severity = "high"
  assert {
    condition = length(probe.config.app.entires) == 0
    message   = "x"
  }
}
