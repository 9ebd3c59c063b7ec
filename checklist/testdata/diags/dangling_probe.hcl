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
    condition = probe.config.ap.values["X"] == "1"
    message   = "x"
  }
}
