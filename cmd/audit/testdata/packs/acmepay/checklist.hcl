checklist "acmepay" {
  title = "AcmePay go-live readiness (fictitious)"
}

variable "config_files" {
  type    = list(string)
  default = []
}

variable "source_dirs" {
  type    = list(string)
  default = []
}

variable "checkout_page" {
  type    = string
  default = null
}

probe "config" "app" {
  files = var.config_files
}

probe "source" "code" {
  enabled = length(var.source_dirs) > 0
  dirs    = var.source_dirs
}

probe "page" "checkout" {
  enabled = var.checkout_page != null
  source  = var.checkout_page
}

locals {
  keys = concat(
    [for k in probe.config.app.credentials : k if k.provider == "acmepay"],
    length(var.source_dirs) > 0 ? [for k in probe.source.code.credentials : k if k.provider == "acmepay"] : [],
  )
  test_keys = [for k in local.keys : k if !k.live]
  endpoints = concat(
    [for e in probe.config.app.endpoints : e if e.provider == "acmepay"],
    length(var.source_dirs) > 0 ? [for e in probe.source.code.endpoints : e if e.provider == "acmepay"] : [],
  )
  test_endpoints = [for e in local.endpoints : e if e.environment == "test"]
  modes = concat(
    [for s in probe.config.app.switches : s if s.provider == "acmepay"],
    length(var.source_dirs) > 0 ? [for s in probe.source.code.switches : s if s.provider == "acmepay"] : [],
  )
  test_modes = [for s in local.modes : s if s.mode == "test"]
  mounts     = var.checkout_page != null ? [for c in probe.page.checkout.js_calls : c if c.provider == "acmepay"] : []
}

step "live_keys" {
  title    = "Only live AcmePay keys"
  severity = "critical"
  assert {
    condition = length(local.test_keys) == 0
    message   = "test key ${local.test_keys[0].masked} at ${local.test_keys[0].file}:${local.test_keys[0].line}"
  }
  assert {
    condition = length(local.keys) > 0
    message   = "no AcmePay key found"
  }
}

step "live_endpoints" {
  title    = "Only live AcmePay endpoints and modes"
  severity = "critical"
  assert {
    condition = length(local.test_endpoints) == 0
    message   = "sandbox endpoint ${local.test_endpoints[0].url} at ${local.test_endpoints[0].file}:${local.test_endpoints[0].line}"
  }
  assert {
    condition = length(local.test_modes) == 0
    message   = "sandbox mode ${local.test_modes[0].key} at ${local.test_modes[0].file}:${local.test_modes[0].line}"
  }
}

step "widget_live" {
  title       = "The checkout widget is mounted in live mode"
  severity    = "high"
  when        = var.checkout_page != null
  skip_reason = "no checkout_page"
  assert {
    condition = length(local.mounts) > 0
    message   = "AcmePay.mount is not called on the page"
  }
  assert {
    condition = !anytrue([for c in local.mounts : lookup(c.truthy, "test", false)])
    message   = "AcmePay.mount(…, {test: true}) on the page"
  }
}
