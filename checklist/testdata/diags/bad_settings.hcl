checklist "demo" {
  title = "X"
}

probe "http" "x" {
  url = "ht!tp://bad"
}

step "a" {
  title    = "A"
  severity = "low"
  assert {
    condition = probe.http.x.status == 200
    message   = "no"
  }
}
