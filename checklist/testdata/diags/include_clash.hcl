checklist "demo" {
  title = "Demo"
}

include "integration" {}
include "intergration" {}

variable "source_dirs" {
  type    = list(string)
  default = []
}

step "a" {
  title    = "A"
  severity = "high"
  assert {
    condition = length(probe.config.app.entries) >= 0
    message   = "x"
  }
}
