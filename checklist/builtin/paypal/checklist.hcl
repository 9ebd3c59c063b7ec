# PayPal go-live readiness.
#
# Source: PayPal's go-live guide. Sandbox and live are separate: the REST
# API is api-m.sandbox.paypal.com vs api-m.paypal.com, SDK modes are
# "sandbox" vs "live", and the JS SDK (https://www.paypal.com/sdk/js) runs
# in whichever environment its client-id belongs to ("sb" is the shared
# sandbox id; buyer-country is honoured in sandbox only). Webhooks must be
# verified (verify-webhook-signature or the certificate) before they are
# trusted.

checklist "paypal" {
  title       = "PayPal go-live readiness"
  description = "Checks that REST endpoints, SDK mode settings and the JS SDK's client id all belong to the declared environment, and that the webhook endpoint rejects unverifiable events."
}

# config_files, source_dirs, checkout_page, webhook_url and the config,
# source and page probes over them (builtin/common/integration.hcl).
include "integration" {}

# package_dirs, the packages probe and the sdks_current step (builtin/common/sdks.hcl).
include "sdks" {
  provider   = "paypal"
  title      = "PayPal"
  references = ["https://developer.paypal.com/serversdk/"]
}

# log_dirs, the errors probe and the provider_errors step (builtin/common/errors.hcl).
include "errors" {
  provider   = "paypal"
  title      = "PayPal"
  references = ["https://developer.paypal.com/api/rest/responses/"]
}

variable "environment" {
  type        = string
  default     = "live"
  description = "The environment the integration must use: sandbox or live."
  validation {
    condition     = contains(["sandbox", "live"], var.environment)
    error_message = "environment must be sandbox or live."
  }
}

variable "client_id" {
  type        = string
  default     = null
  description = "The REST app's client id for the environment (public, from the developer dashboard); when set, every SDK and configured client id must be it."
}

probe "webhook" "events" {
  enabled  = var.webhook_url != null
  url      = var.webhook_url
  provider = "paypal"
}

locals {
  live     = var.environment == "live"
  has_page = var.checkout_page != null
  page     = probe.page.checkout
  has_src  = length(var.source_dirs) > 0

  # REST and IPN endpoints (the pack's hosts) in sources and configuration.
  endpoints = concat(
    local.has_src ? [for e in probe.source.code.endpoints : { url = e.url, live = e.environment == "live", file = e.file, line = e.line }
    if e.provider == "paypal" && e.purpose == "api"] : [],
    [for e in probe.config.app.endpoints : { url = e.url, live = e.environment == "live", file = e.file, line = e.line }
    if e.provider == "paypal" && e.purpose == "api"],
  )
  wrong_endpoints = [for e in local.endpoints : e if e.live != local.live]

  # SDK mode settings: PAYPAL_MODE=sandbox, new SandboxEnvironment(…)…
  mode_settings = concat(
    [for e in probe.config.app.switches : e if e.provider == "paypal"],
    local.has_src ? [for e in probe.source.code.switches : e if e.provider == "paypal"] : [],
  )
  wrong_modes = [for e in local.mode_settings : e if(e.mode == "live") != local.live && e.mode != "undetermined"]
  # Chosen at run time: a conditional between modes, a live default.
  undetermined_modes = [for e in local.mode_settings : e if e.mode == "undetermined"]

  # JS SDK loads, from sources and the page, and configured client ids.
  page_sdk = local.has_page ? [for s in local.page.scripts : {
    client_id     = try(regex("[?&]client-id=([^&#]+)", s.src)[0], "")
    host          = lower(s.host)
    buyer_country = can(regex("[?&]buyer-country=", s.src))
    file          = local.page.source
    line          = s.line
    v6            = can(regex("(?i)/web-sdk/v6/", s.src))
  } if can(regex("(?i)^https?://[^/]*paypal\\.com/(sdk/js|web-sdk/v6/)", s.src))] : []
  # A script named like the SDK but served from elsewhere is a copy: the
  # JS SDK must come from PayPal.
  sdk_copies = local.has_page ? [for s in local.page.scripts : s
  if !s.inline && !can(regex("(?i)(^|\\.)paypal\\.com$", s.host)) && can(regex("(?i)paypal[^/]*/(sdk|web-sdk)(/|\\.|-)|/paypal[-_.]?sdk[^/]*\\.js", s.src))] : []
  v6_loads = [for s in local.page_sdk : s if s.v6]
  # No JS SDK anywhere (a classic card form posting to the server, NVP/SOAP):
  # nothing needs a client id.
  no_js_sdk = local.has_page && length(local.page_sdk) == 0 && length(local.sdk_copies) == 0 && (!local.has_src || length([for e in probe.source.code.endpoints : e if e.provider == "paypal" && e.purpose == "sdk"]) == 0)
  client_ids = concat(
    local.has_src ? [for e in probe.source.code.endpoints : { client_id = regex("[?&]client-id=([^&#]+)", e.url)[0], file = e.file, line = e.line }
    if e.provider == "paypal" && e.purpose == "sdk" && can(regex("[?&]client-id=[^&#]", e.url))] : [],
    [for s in local.page_sdk : { client_id = s.client_id, file = s.file, line = s.line }],
    [for e in probe.config.app.entries : { client_id = e.value, file = e.file, line = e.line }
    if can(regex("(?i)paypal.*client_?id$", e.key)) && e.value != ""],
  )
  sandbox_ids   = local.live ? [for c in local.client_ids : c if contains(["sb", "test"], lower(c.client_id))] : []
  other_ids     = var.client_id == null ? [] : [for c in local.client_ids : c if c.client_id != var.client_id]
  sandbox_loads = local.live ? [for s in local.page_sdk : s if s.buyer_country || can(regex("sandbox", s.host))] : []
}

step "live_endpoints" {
  title       = "Every PayPal API endpoint and SDK mode is the declared environment's (live by default)"
  description = "Sandbox and live are separate systems: api-m.sandbox.paypal.com and mode \"sandbox\" in production take no real payments."
  severity    = "critical"
  tags        = ["engineering"]
  references  = ["https://developer.paypal.com/api/rest/#link-sandboxandliveenvironments", "https://developer.paypal.com/api/rest/production/"]
  assert {
    condition = length(local.wrong_endpoints) == 0
    message   = "${length(local.wrong_endpoints)} PayPal endpoint(s) are not ${var.environment} ones, first ${local.wrong_endpoints[0].url} at ${local.wrong_endpoints[0].file}:${local.wrong_endpoints[0].line}: use ${local.live ? "https://api-m.paypal.com" : "https://api-m.sandbox.paypal.com"}."
    evidence  = [for e in local.wrong_endpoints : { source = e.file, line = e.line, detail = e.url }]
  }
  assert {
    condition = length(local.wrong_modes) == 0
    message   = "The PayPal mode is \"${local.wrong_modes[0].value}\" (${local.wrong_modes[0].key} at ${local.wrong_modes[0].file}:${local.wrong_modes[0].line}); the integration must run in ${var.environment}."
    evidence  = [for e in local.wrong_modes : { source = e.file, line = e.line, detail = "${e.key} = ${e.value}" }]
  }
  assert {
    condition = length(local.undetermined_modes) == 0 ? true : undecided("${local.undetermined_modes[0].key} at ${local.undetermined_modes[0].file}:${local.undetermined_modes[0].line} is chosen at run time (a conditional, or a live default behind a lookup): the PayPal mode cannot be decided from the code; audit the configuration the deployment runs with.")
    message   = "undecided"
  }
  pass_message = "${length(local.endpoints)} endpoint(s) and ${length(local.mode_settings)} mode setting(s), all ${var.environment}."
}

step "sdk_client_id_live" {
  title      = "The JS SDK and configuration use the client id of the declared environment"
  severity   = "critical"
  tags       = ["engineering"]
  references = ["https://developer.paypal.com/sdk/js/configuration/#link-clientid", "https://developer.paypal.com/sdk/js/configuration/#link-buyercountry"]
  assert {
    condition = length(local.sandbox_ids) == 0
    message   = "The JS SDK is loaded with the sandbox client-id \"${local.sandbox_ids[0].client_id}\" at ${local.sandbox_ids[0].file}:${local.sandbox_ids[0].line}: use the live app's client id (developer dashboard → Apps & Credentials → Live)."
    evidence  = [for c in local.sandbox_ids : { source = c.file, line = c.line, detail = "client-id=${c.client_id}" }]
  }
  assert {
    condition = length(local.other_ids) == 0
    message   = "Client id \"${local.other_ids[0].client_id}\" at ${local.other_ids[0].file}:${local.other_ids[0].line} is not the ${var.environment} app's (${coalesce(var.client_id, "")})."
    evidence  = [for c in local.other_ids : { source = c.file, line = c.line, detail = "client-id=${c.client_id}" }]
  }
  assert {
    condition = length(local.sandbox_loads) == 0
    message   = "The JS SDK at ${local.sandbox_loads[0].file}:${local.sandbox_loads[0].line} is loaded the sandbox way (${local.sandbox_loads[0].buyer_country ? "buyer-country is a sandbox-only parameter" : "from ${local.sandbox_loads[0].host}"}): load https://www.paypal.com/sdk/js with the live client id only."
    evidence  = [for s in local.sandbox_loads : { source = s.file, line = s.line, detail = s.buyer_country ? "buyer-country" : s.host }]
  }
  assert {
    condition = length(local.sdk_copies) == 0
    message   = "The PayPal JS SDK is served from ${try(local.sdk_copies[0].host == "" ? "the shop itself" : local.sdk_copies[0].host, "")} (${try(local.sdk_copies[0].src, "")}, ${local.page.source} line ${try(local.sdk_copies[0].line, 0)}): load it from https://www.paypal.com (sdk/js or web-sdk/v6/core), never a copy."
    evidence  = [for s in local.sdk_copies : { source = local.page.source, line = s.line, detail = s.src }]
  }
  assert {
    # The v6 SDK takes a client token (or the client id) in createInstance:
    # its URL carries none.
    condition = length(local.client_ids) > 0 || length(local.v6_loads) > 0 || local.no_js_sdk
    message   = "No PayPal client id was found in the JS SDK URL, the page or the configuration: the buttons need one; waive this step if the integration has no client side."
  }
  pass_message = local.no_js_sdk ? "No PayPal JS SDK on ${local.page.source} nor in the sources: no client id is needed." : length(local.client_ids) > 0 ? "${length(local.client_ids)} client id reference(s)${var.client_id == null ? "" : ", all ${coalesce(var.client_id, "")}"}." : "The v6 web SDK is loaded from ${local.v6_loads[0].host}; it is initialised with a client token."
}

step "webhook_verification" {
  title       = "The webhook endpoint rejects events whose signature cannot be verified"
  severity    = "high"
  tags        = ["engineering", "security"]
  references  = ["https://developer.paypal.com/api/rest/webhooks/rest/#link-verifywebhooksignature"]
  when        = var.webhook_url != null
  skip_reason = "no webhook_url declared: order state must be polled"
  assert {
    condition = probe.webhook.events.https
    message   = "The webhook endpoint ${probe.webhook.events.url} is not https: PayPal only delivers to https."
  }
  assert {
    condition = probe.webhook.events.answered
    message   = "The webhook endpoint ${probe.webhook.events.url} does not answer (${probe.webhook.events.error}): events would be retried, then lost."
  }
  assert {
    condition = !probe.webhook.events.answered || probe.webhook.events.rejected
    message   = "The webhook endpoint ${probe.webhook.events.url} accepted an event with a forged PAYPAL-TRANSMISSION-SIG and a certificate off paypal.com (HTTP ${probe.webhook.events.status}): verify it (POST /v1/notifications/verify-webhook-signature) and answer 4xx to bad ones."
  }
  pass_message = "${probe.webhook.events.url} rejected a forged event with HTTP ${probe.webhook.events.status}."
}

step "live_transaction_validated" {
  title      = "A live payment was made, captured and refunded end to end"
  severity   = "critical"
  tags       = ["operations"]
  references = ["https://developer.paypal.com/api/rest/production/"]
  manual     = true
}

