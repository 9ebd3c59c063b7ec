# Braintree go-live readiness.
#
# Source: Braintree's go-live guide. Sandbox and production are separate
# gateways with separate credentials: every SDK's environment, every API
# host and the browser SDKs' tokenization key must be production's; card
# data is entered in Braintree's Hosted Fields or Drop-in, loaded from
# js.braintreegateway.com; webhooks must be parsed (verified) by the SDK
# before they are trusted.

checklist "braintree" {
  title       = "Braintree go-live readiness"
  description = "Checks that environment settings, API hosts and tokenization keys are production's, that Drop-in or Hosted Fields come from js.braintreegateway.com, and that the webhook endpoint rejects unsigned notifications."
}

# config_files, source_dirs, checkout_page, webhook_url and the config,
# source and page probes over them (builtin/common/integration.hcl).
include "integration" {}

variable "environment" {
  type        = string
  default     = "production"
  description = "The environment the integration must use: sandbox or production."
  validation {
    condition     = contains(["sandbox", "production"], var.environment)
    error_message = "environment must be sandbox or production."
  }
}

probe "webhook" "notifications" {
  enabled  = var.webhook_url != null
  url      = var.webhook_url
  provider = "braintree"
}

locals {
  mode     = var.environment == "production" ? "live" : "test"
  has_src  = length(var.source_dirs) > 0
  has_page = var.checkout_page != null
  page     = probe.page.checkout

  # API hosts and environment settings (the pack's), wherever they appear.
  endpoints = concat(
    [for e in probe.config.app.endpoints : e if e.provider == "braintree" && e.purpose == "api"],
    local.has_src ? [for e in probe.source.code.endpoints : e if e.provider == "braintree" && e.purpose == "api"] : [],
  )
  switches = concat(
    [for s in probe.config.app.switches : s if s.provider == "braintree"],
    local.has_src ? [for s in probe.source.code.switches : s if s.provider == "braintree"] : [],
  )
  wrong_endpoints = [for e in local.endpoints : e if e.environment != local.mode]
  wrong_switches  = [for s in local.switches : s if s.mode != local.mode && s.mode != "undetermined"]
  undetermined    = [for s in local.switches : s if s.mode == "undetermined"]

  # Tokenization keys in configuration, sources and the page (masked;
  # configuration values named by their setting).
  keys = concat(
    [for k in probe.config.app.credentials : { shown = k.key, mode = k.mode, file = k.file, line = k.line }
    if k.provider == "braintree" && k.kind == "tokenization_key"],
    local.has_src ? [for k in probe.source.code.credentials : { shown = k.masked, mode = k.mode, file = k.file, line = k.line }
    if k.provider == "braintree" && k.kind == "tokenization_key"] : [],
    local.has_page ? [for k in local.page.credentials : { shown = k.masked, mode = k.mode, file = local.page.source, line = k.line }
    if k.provider == "braintree" && k.kind == "tokenization_key"] : [],
  )
  wrong_keys = [for k in local.keys : k if k.mode != local.mode]

  # Drop-in and Hosted Fields on the page, and where their scripts come from.
  ui_calls   = local.has_page ? [for c in local.page.js_calls : c if c.provider == "braintree" && contains(["dropin", "hosted_fields"], c.call)] : []
  bt_scripts = local.has_page ? [for s in local.page.scripts : s if s.provider == "braintree" && s.purpose == "script"] : []
  copies = local.has_page ? [for s in local.page.scripts : s
  if s.provider != "braintree" && can(regex("(?i)(braintree|dropin|hosted-fields)[^/]*\\.js($|\\?)", s.src))] : []
}

step "production_environment" {
  title       = "Every Braintree environment setting and API host is the declared environment's (production by default)"
  description = "Sandbox and production are separate gateways: an SDK configured for sandbox takes no real payments, whatever its keys."
  severity    = "critical"
  tags        = ["engineering"]
  references  = ["https://developer.paypal.com/braintree/docs/start/go-live", "https://developer.paypal.com/braintree/docs/start/hello-server"]
  assert {
    condition = length(local.wrong_switches) == 0
    message   = "Braintree runs in ${local.wrong_switches[0].mode == "test" ? "sandbox" : "production"}: ${local.wrong_switches[0].key} at ${local.wrong_switches[0].file}:${local.wrong_switches[0].line}; configure the gateway with the ${var.environment} environment and its credentials."
    evidence  = [for s in local.wrong_switches : { source = s.file, line = s.line, detail = "${s.key} = ${s.value}" }]
  }
  assert {
    condition = length(local.wrong_endpoints) == 0
    message   = "${length(local.wrong_endpoints)} Braintree API URL(s) are not ${var.environment} ones, first ${local.wrong_endpoints[0].url} at ${local.wrong_endpoints[0].file}:${local.wrong_endpoints[0].line}."
    evidence  = [for e in local.wrong_endpoints : { source = e.file, line = e.line, detail = e.url }]
  }
  assert {
    condition = length(local.undetermined) == 0 ? true : undecided("${local.undetermined[0].key} at ${local.undetermined[0].file}:${local.undetermined[0].line} is chosen at run time (a conditional, or a live default behind a lookup): the Braintree environment cannot be decided from the code; audit the configuration the deployment runs with.")
    message   = "undecided"
  }
  pass_message = "${length(local.switches)} environment setting(s) and ${length(local.endpoints)} API URL(s), all ${var.environment}."
}

step "tokenization_key_environment" {
  title      = "Tokenization keys are the declared environment's (production_ for production)"
  severity   = "critical"
  tags       = ["engineering"]
  references = ["https://developer.paypal.com/braintree/docs/guides/authorization/tokenization-key"]
  assert {
    condition = length(local.wrong_keys) == 0
    message   = "${length(local.wrong_keys)} tokenization key(s) are not ${var.environment} keys, first ${local.wrong_keys[0].shown} at ${local.wrong_keys[0].file}:${local.wrong_keys[0].line}: Drop-in and Hosted Fields would tokenise cards on the ${local.wrong_keys[0].mode == "test" ? "sandbox" : "production"} gateway; create the key in the ${var.environment} Control Panel (Settings → API)."
    evidence  = [for k in local.wrong_keys : { source = k.file, line = k.line, detail = "tokenization key ${k.shown}" }]
  }
  pass_message = length(local.keys) == 0 ? "No tokenization key in the code: the browser SDKs are authorised by client tokens from the server." : "${length(local.keys)} tokenization key(s), all ${var.environment}."
}

step "hosted_fields_from_braintree" {
  title       = "Card data is entered in Drop-in or Hosted Fields loaded from js.braintreegateway.com"
  description = "Braintree's iframes keep card data off the merchant's page (SAQ A); a self-hosted copy of the SDK is no longer Braintree's code."
  severity    = "high"
  tags        = ["engineering", "security"]
  references  = ["https://developer.paypal.com/braintree/docs/guides/hosted-fields/overview/javascript/v3", "https://developer.paypal.com/braintree/docs/guides/drop-in/overview/javascript/v3"]
  when        = var.checkout_page != null
  skip_reason = "no checkout_page declared"
  assert {
    condition = length(local.copies) == 0
    message   = "A copy of the Braintree SDK is served from ${local.copies[0].host == "" ? "the shop itself" : local.copies[0].host} (${local.copies[0].src}, ${local.page.source} line ${local.copies[0].line}): load it from https://js.braintreegateway.com."
    evidence  = [for s in local.copies : { source = local.page.source, line = s.line, detail = s.src }]
  }
  assert {
    condition = length(local.ui_calls) > 0
    message   = "Neither braintree.dropin.create nor braintree.hostedFields.create is called on ${local.page.source}: card data must be entered in Braintree's fields."
  }
  assert {
    condition = length(local.bt_scripts) > 0
    message   = "No script from https://js.braintreegateway.com on ${local.page.source}: Drop-in and Hosted Fields need Braintree's SDK."
  }
  pass_message = "${join(" and ", distinct([for c in local.ui_calls : c.call == "dropin" ? "Drop-in" : "Hosted Fields"]))} from ${local.bt_scripts[0].src}."
}

step "webhook_signature_verified" {
  title       = "The webhook endpoint rejects notifications whose bt_signature does not verify"
  severity    = "high"
  tags        = ["engineering", "security"]
  references  = ["https://developer.paypal.com/braintree/docs/guides/webhooks/parse"]
  when        = var.webhook_url != null
  skip_reason = "no webhook_url declared: transaction state must be polled"
  assert {
    condition = probe.webhook.notifications.https
    message   = "The webhook endpoint ${probe.webhook.notifications.url} is not https: Braintree only delivers to https."
  }
  assert {
    condition = probe.webhook.notifications.answered
    message   = "The webhook endpoint ${probe.webhook.notifications.url} does not answer (${probe.webhook.notifications.error}): notifications would be retried, then lost."
  }
  assert {
    condition = !probe.webhook.notifications.answered || probe.webhook.notifications.rejected
    message   = "The webhook endpoint ${probe.webhook.notifications.url} accepted a notification with a forged bt_signature (HTTP ${probe.webhook.notifications.status}): parse it with gateway.webhookNotification.parse and answer 4xx when it throws."
  }
  pass_message = "${probe.webhook.notifications.url} rejected a forged notification with HTTP ${probe.webhook.notifications.status}."
}

step "live_transaction_validated" {
  title      = "A production transaction was made, settled and refunded end to end"
  severity   = "critical"
  tags       = ["operations"]
  references = ["https://developer.paypal.com/braintree/docs/start/go-live"]
  manual     = true
}
