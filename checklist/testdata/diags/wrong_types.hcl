checklist "demo" {
  title = "Demo"
}

probe "config" "app" {
  files = "app.env"
}

step "a" {
  title    = "A"
  severity = "urgent"
  assert {
    condition = "yes"
    message   = "x"
  }
}
