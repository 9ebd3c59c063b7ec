checklist "demo" {
  title = "Demo"
}

variable "region" {
  type    = string
  default = "eu"
}

variable "files" {
  type = list(string)
}

probe "config" "app" {
  files = var.files
}

step "a" {
  title    = "A"
  severity = "high"
  assert {
    condition = length(probe.config.app.entries) > 0
    message   = "no entries"
  }
}
