checklist "demo" {
  title = "Demo"
}

probe "confg" "app" {
  files = ["app.env"]
}

step "a" {
  title    = "A"
  severity = "high"
  assert {
    condition = true
    message   = "x"
  }
}
