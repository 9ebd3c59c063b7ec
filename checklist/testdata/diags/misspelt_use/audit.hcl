use "checks.hcl" {
  regoin = "eu"
  files  = ["app.env"]
}

waiver "demo.nope" {
  reason      = "later"
  approved_by = "CISO"
  expires     = "2026-13-01"
}

attest "demo.a" {
  by       = "Launch manager"
  date     = "2026-11-20"
  evidence = "seen"
}
