checklist "demo" {
  title = "Demo"
}

step "a" {
  title    = "A"
  severity = "high"
  assert {
    condition = true
    message   = "x"
  }
}

step "a" {
  title    = "A again"
  severity = "low"
  assert {
    condition = true
    message   = "x"
  }
}
