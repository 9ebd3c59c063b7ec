checklist "demo" {
  title = "Demo"
}

locals {
  hosts = flatten([for e in provider["strpe"].endpoints : e.hosts])
}

step "a" {
  title    = "A"
  severity = "high"
  assert {
    condition = length(local.hosts) > 0
    message   = "x"
  }
}
