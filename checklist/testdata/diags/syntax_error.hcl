checklist "broken" {
  title = "Broken"
}

step "a" {
  title    = "A"
  severity = "high"
  assert {
    condition = true &&
    message   = "x"
  }
}
