checklist "demo" {
  title = "Demo"
}

step "a" {
  title    = "A"
  severity = "high"
  colour   = "red"
  assert {
    condition = true
    message   = "x"
  }
}
