# Adyen go-live readiness.
#
# Source: Adyen's go-live checklist. Test and live are separate platforms:
# test endpoints are checkout-test.adyen.com and pal-test.adyen.com, live
# ones carry the company's prefix (PREFIX-checkout-live.adyenpayments.com);
# the client key of the web and mobile SDKs starts with test_ or live_ and
# must match the SDK's environment; webhooks must be verified with the HMAC
# key before they are trusted.

checklist "adyen" {
  title       = "Adyen go-live readiness"
  description = "Checks that endpoints, environment settings and client keys all point at the declared environment, and that the webhook endpoint rejects notifications with a bad HMAC signature."
}

# config_files, source_dirs, checkout_page, webhook_url and the config,
# source and page probes over them (builtin/common/integration.hcl).
include "integration" {}

# package_dirs, the packages probe and the sdks_current step (builtin/common/sdks.hcl).
include "sdks" {
  provider   = "adyen"
  title      = "Adyen"
  references = ["https://docs.adyen.com/development-resources/libraries"]
}

# log_dirs, the errors probe and the provider_errors step (builtin/common/errors.hcl).
include "errors" {
  provider   = "adyen"
  title      = "Adyen"
  references = ["https://docs.adyen.com/development-resources/error-codes"]
}

variable "environment" {
  type        = string
  default     = "live"
  description = "The environment the integration must use: test or live."
  validation {
    condition     = contains(["test", "live"], var.environment)
    error_message = "environment must be test or live."
  }
}

variable "live_prefix" {
  type        = string
  default     = null
  description = "The company's live endpoint prefix from the Customer Area (Developers → API URLs), e.g. 1797a841fbb37ca7-AdyenDemo; when set, live endpoints must use it."
}

variable "region" {
  type        = string
  default     = null
  description = "The live region of the Adyen account: eu, us, au, apse or in; when set, live hosts and environment values must be that region's. Without it they must agree with each other."
  validation {
    condition     = var.region == null || contains(["eu", "us", "au", "apse", "in"], coalesce(var.region, "eu"))
    error_message = "region must be eu, us, au, apse or in."
  }
}

probe "webhook" "notifications" {
  enabled  = var.webhook_url != null
  url      = var.webhook_url
  provider = "adyen"
}

locals {
  live     = var.environment == "live"
  has_page = var.checkout_page != null
  page     = probe.page.checkout
  has_src  = length(var.source_dirs) > 0

  # Every Adyen endpoint (the pack's hosts): API URLs in sources and
  # configuration, SDK scripts, styles and links on the page.
  endpoints = concat(
    local.has_src ? [for e in probe.source.code.endpoints : {
      url = e.url, host = e.host, live = e.environment == "live", file = e.file, line = e.line
    } if e.provider == "adyen"] : [],
    [for e in probe.config.app.endpoints : {
      url = e.url, host = e.host, live = e.environment == "live", file = e.file, line = e.line
    } if e.provider == "adyen"],
    local.has_page ? [for s in concat(local.page.scripts, [for l in local.page.links : { src = l.href, host = l.host, line = l.line, provider = l.provider, purpose = l.purpose, environment = l.environment }]) : {
      url = s.src, host = lower(s.host), live = s.environment == "live", file = local.page.source, line = s.line
    } if s.provider == "adyen" && s.purpose != "docs"] : [],
  )
  wrong_env = [for e in local.endpoints : e if e.live != local.live]

  # Live API hosts (Checkout, classic pal) must carry the company prefix.
  live_api       = [for e in local.endpoints : e if e.live && can(regex("(^|-)(checkout|pal)-live(-[a-z]+)?\\.", e.host))]
  unprefixed     = [for e in local.live_api : e if !can(regex("^.+-(checkout|pal)-live(-[a-z]+)?\\.adyenpayments\\.com$", e.host))]
  prefixed       = [for e in local.live_api : merge(e, { prefix = regex("^(.+)-(?:checkout|pal)-live(?:-[a-z]+)?\\.adyenpayments\\.com$", e.host)[0] }) if !contains(local.unprefixed, e)]
  wrong_prefixes = var.live_prefix == null ? [] : [for e in local.prefixed : e if e.prefix != lower(var.live_prefix)]

  # Library and SDK settings naming the environment: Environment.TEST,
  # ADYEN_ENVIRONMENT=live-us… (the pack's switches).
  env_settings = concat(
    [for e in probe.config.app.switches : e if e.provider == "adyen"],
    local.has_src ? [for e in probe.source.code.switches : e if e.provider == "adyen"] : [],
  )
  wrong_settings = [for e in local.env_settings : e if e.mode != var.environment && e.mode != "undetermined"]
  # Chosen at run time: `env === 'prod' ? 'live' : 'test'`, a live default.
  undetermined_settings = [for e in local.env_settings : e if e.mode == "undetermined"]

  # Live regions: checkoutshopper-live-us(.cdn).adyen.com is us, a bare
  # -live host eu; environment values live-us… name theirs (a bare "live"
  # is also the server libraries' word for every region, so it names none).
  region_of = { "live" = "eu", "live-us" = "us", "live-au" = "au", "live-apse" = "apse", "live-in" = "in" }
  region_marks = concat(
    [for e in local.endpoints : { region = local.region_of[regex("checkoutshopper-(live(?:-[a-z]+)?)\\.", e.host)[0]], file = e.file, line = e.line, what = e.host }
    if e.live && can(regex("checkoutshopper-(live(?:-[a-z]+)?)\\.", e.host)) && contains(keys(local.region_of), try(regex("checkoutshopper-(live(?:-[a-z]+)?)\\.", e.host)[0], ""))],
    [for e in local.env_settings : { region = local.region_of[lower(e.value)], file = e.file, line = e.line, what = "${e.key} = ${e.value}" }
    if e.mode == "live" && lower(e.value) != "live" && contains(keys(local.region_of), lower(e.value))],
  )
  regions_seen   = distinct([for r in local.region_marks : r.region])
  wrong_regions  = var.region == null ? [] : [for r in local.region_marks : r if r.region != var.region]
  mixed_regions  = var.region == null && length(local.regions_seen) > 1
  region_example = length(local.region_marks) > 0 ? local.region_marks[0] : { region = "", file = "", line = 0, what = "" }

  # The server libraries build live URLs from the company's prefix
  # (liveEndpointUrlPrefix, live_endpoint_prefix, live_url_prefix,
  # setEnvironment(LIVE, prefix)) and refuse live without it. Positive
  # evidence of one: a prefixed live API URL, a *PREFIX* setting with a
  # value, or the live_prefix declared here.
  live_switches  = [for e in local.env_settings : e if e.mode == "live"]
  prefix_entries = [for e in probe.config.app.entries : e if can(regex("(?i)prefix", e.key)) && trimspace(e.value) != ""]
  has_prefix     = var.live_prefix != null || length(local.prefixed) > 0 || length(local.prefix_entries) > 0

  # Client keys, masked; configuration values are named by their setting.
  client_keys = concat(
    local.has_src ? [for k in probe.source.code.credentials : { shown = k.masked, live = k.live, file = k.file, line = k.line }
    if k.provider == "adyen" && k.kind == "client_key"] : [],
    [for k in probe.config.app.credentials : { shown = k.key, live = k.live, file = k.file, line = k.line }
    if k.provider == "adyen" && k.kind == "client_key"],
  )
  wrong_keys = [for k in local.client_keys : k if k.live != local.live]

  # API keys (AQE…) say nothing of their environment: one is generated in
  # each Customer Area (test and live). Their mode is the environment the
  # integration pairs them with: its environment settings.
  api_keys = concat(
    local.has_src ? [for k in probe.source.code.credentials : { shown = k.masked, file = k.file, line = k.line }
    if k.provider == "adyen" && k.kind == "api_key"] : [],
    [for k in probe.config.app.credentials : { shown = k.key, file = k.file, line = k.line }
    if k.provider == "adyen" && k.kind == "api_key"],
  )
  paired_test = [for e in local.env_settings : e if e.mode == "test"]
  paired_live = [for e in local.env_settings : e if e.mode == "live"]
}

step "live_endpoints" {
  title       = "Every Adyen endpoint and environment setting is the declared environment's (live by default)"
  description = "Test and live are separate platforms: a test endpoint or Environment.TEST in production sends real shoppers to the test platform, and live API URLs only work with the company's prefix."
  severity    = "critical"
  tags        = ["engineering"]
  references  = ["https://docs.adyen.com/development-resources/live-endpoints", "https://docs.adyen.com/get-started-with-adyen/launch-checklist"]
  assert {
    condition = length(local.wrong_env) == 0
    message   = "${length(local.wrong_env)} Adyen endpoint(s) are not ${var.environment} ones, first ${local.wrong_env[0].host} at ${local.wrong_env[0].file}:${local.wrong_env[0].line}: ${local.live ? "use PREFIX-checkout-live.adyenpayments.com for the API and checkoutshopper-live.adyen.com for the SDK" : "use checkout-test.adyen.com and checkoutshopper-test.adyen.com"}."
    evidence  = [for e in local.wrong_env : { source = e.file, line = e.line, detail = e.url }]
  }
  assert {
    condition = length(local.wrong_settings) == 0
    message   = "The environment is set to \"${local.wrong_settings[0].value}\" by ${local.wrong_settings[0].key} at ${local.wrong_settings[0].file}:${local.wrong_settings[0].line}; the integration must run against ${var.environment}."
    evidence  = [for e in local.wrong_settings : { source = e.file, line = e.line, detail = "${e.key} = ${e.value}" }]
  }
  assert {
    condition = !local.live || length(local.live_switches) == 0 || local.has_prefix
    message   = "The integration is switched to live (${try(local.live_switches[0].key, "")} = ${try(local.live_switches[0].value, "")} at ${try(local.live_switches[0].file, "")}:${try(local.live_switches[0].line, 0)}) but no live URL prefix is set anywhere: the Adyen libraries refuse live API calls without it. Set it (ADYEN_LIVE_PREFIX → liveEndpointUrlPrefix / live_endpoint_prefix / live_url_prefix) from the Customer Area (Developers → API URLs) and declare live_prefix here."
    evidence  = [for e in local.live_switches : { source = e.file, line = e.line, detail = "${e.key} = ${e.value}" }]
  }
  assert {
    condition = length(local.wrong_regions) == 0 && !local.mixed_regions
    message   = local.mixed_regions ? "Live hosts and environment values name different regions (${join(", ", local.regions_seen)}), e.g. ${local.region_example.what} at ${local.region_example.file}:${local.region_example.line}: the SDK, its CDN and the API must all use the account's region." : "${try(local.wrong_regions[0].what, "")} at ${try(local.wrong_regions[0].file, "")}:${try(local.wrong_regions[0].line, 0)} is region ${try(local.wrong_regions[0].region, "")}, not the account's ${coalesce(var.region, "eu")}: use the ${coalesce(var.region, "eu") == "eu" ? "live" : "live-${coalesce(var.region, "eu")}"} hosts and environment."
    evidence  = [for r in(local.mixed_regions ? local.region_marks : local.wrong_regions) : { source = r.file, line = r.line, detail = "${r.what} (region ${r.region})" }]
  }
  assert {
    condition = length(local.unprefixed) == 0
    message   = "The live API URL host ${local.unprefixed[0].host} at ${local.unprefixed[0].file}:${local.unprefixed[0].line} has no company prefix: live requests go to https://PREFIX-checkout-live.adyenpayments.com/checkout/…, PREFIX from the Customer Area (Developers → API URLs)."
    evidence  = [for e in local.unprefixed : { source = e.file, line = e.line, detail = e.url }]
  }
  assert {
    condition = length(local.wrong_prefixes) == 0
    message   = "The live API URL at ${local.wrong_prefixes[0].file}:${local.wrong_prefixes[0].line} uses the prefix \"${local.wrong_prefixes[0].prefix}\", not the company's \"${coalesce(var.live_prefix, "")}\"."
    evidence  = [for e in local.wrong_prefixes : { source = e.file, line = e.line, detail = e.url }]
  }
  assert {
    condition = length(local.undetermined_settings) == 0 ? true : undecided("${local.undetermined_settings[0].key} at ${local.undetermined_settings[0].file}:${local.undetermined_settings[0].line} is chosen at run time (a conditional, or a live default behind a lookup): the Adyen environment cannot be decided from the code; audit the configuration the deployment runs with.")
    message   = "undecided"
  }
  pass_message = "${length(local.endpoints)} Adyen endpoint(s) and ${length(local.env_settings)} environment setting(s), all ${var.environment}."
}

step "client_key_environment" {
  title      = "The client key matches the environment (live_ for live)"
  severity   = "critical"
  tags       = ["engineering"]
  references = ["https://docs.adyen.com/development-resources/client-side-authentication"]
  assert {
    condition = length(local.wrong_keys) == 0
    message   = "${length(local.wrong_keys)} client key(s) are not ${var.environment} keys, first ${local.wrong_keys[0].shown} at ${local.wrong_keys[0].file}:${local.wrong_keys[0].line}: Drop-in and Components refuse a ${local.live ? "test_ key on the live platform; generate the live_ key on the live API credential" : "live_ key on the test platform"}."
    evidence  = [for k in local.wrong_keys : { source = k.file, line = k.line, detail = "client key ${k.shown}" }]
  }
  assert {
    condition = length(local.client_keys) > 0
    message   = "No Adyen client key (${local.live ? "live_" : "test_"}…) was found in the configuration or sources: Drop-in, Components and the mobile SDKs need one; waive this step if the integration has no client side."
  }
  pass_message = "${length(local.client_keys)} client key(s), all ${local.live ? "live_" : "test_"}."
}

step "api_key_environment" {
  title       = "The API key is the declared environment's (paired with its environment setting)"
  description = "Adyen API keys carry no mode (both start AQE…): one is generated per Customer Area, and the key of one environment is refused by the other (\"When you switch to your live environment, you must generate a new API key in your live Customer Area\"). The key is judged by the environment the integration pairs it with."
  severity    = "high"
  tags        = ["engineering"]
  references  = ["https://docs.adyen.com/development-resources/api-credentials", "https://docs.adyen.com/get-started-with-adyen/launch-checklist"]
  assert {
    condition = length(local.api_keys) == 0 || (local.live ? length(local.paired_test) == 0 : length(local.paired_live) == 0)
    message   = "The API key ${local.api_keys[0].shown} at ${local.api_keys[0].file}:${local.api_keys[0].line} is used with ${local.live ? "the test" : "the live"} environment (${local.live ? local.paired_test[0].key : local.paired_live[0].key} = ${local.live ? local.paired_test[0].value : local.paired_live[0].value} at ${local.live ? local.paired_test[0].file : local.paired_live[0].file}:${local.live ? local.paired_test[0].line : local.paired_live[0].line}): it is that environment's key. Generate the ${var.environment} key in the ${var.environment} Customer Area (Developers → API credentials) and switch both."
    evidence  = [for k in local.api_keys : { source = k.file, line = k.line, detail = "API key ${k.shown}" }]
  }
  assert {
    condition = length(local.api_keys) == 0 || (local.live ? length(local.paired_live) : length(local.paired_test)) > 0 ? true : undecided("The API key ${local.api_keys[0].shown} at ${local.api_keys[0].file}:${local.api_keys[0].line} is paired with no environment setting: its mode cannot be told from the key (Adyen API keys carry none) nor from the code.")
    message   = "undecided"
  }
  pass_message = length(local.api_keys) == 0 ? "No Adyen API key in the configuration or sources read (it comes from the environment at run time)." : "${length(local.api_keys)} API key(s), paired with the ${var.environment} environment (${local.live ? local.paired_live[0].key : local.paired_test[0].key} at ${local.live ? local.paired_live[0].file : local.paired_test[0].file}:${local.live ? local.paired_live[0].line : local.paired_test[0].line})."
}

step "webhook_hmac_verified" {
  title       = "The webhook endpoint rejects notifications with a bad HMAC signature"
  severity    = "high"
  tags        = ["engineering", "security"]
  references  = ["https://docs.adyen.com/development-resources/webhooks/verify-hmac-signatures"]
  when        = var.webhook_url != null
  skip_reason = "no webhook_url declared: payment outcomes must be polled"
  assert {
    condition = probe.webhook.notifications.https
    message   = "The webhook endpoint ${probe.webhook.notifications.url} is not https: Adyen's live platform only delivers to https."
  }
  assert {
    condition = probe.webhook.notifications.answered
    message   = "The webhook endpoint ${probe.webhook.notifications.url} does not answer (${probe.webhook.notifications.error}): notifications would queue up and be lost."
  }
  assert {
    condition = !probe.webhook.notifications.answered || probe.webhook.notifications.rejected
    message   = "The webhook endpoint ${probe.webhook.notifications.url} accepted a notification with a forged hmacSignature (HTTP ${probe.webhook.notifications.status}): verify each NotificationRequestItem with the HMAC key before acting on it."
  }
  pass_message = "${probe.webhook.notifications.url} rejected a forged notification with HTTP ${probe.webhook.notifications.status}."
}

step "live_transaction_validated" {
  title      = "A live payment was made, captured and refunded end to end"
  severity   = "critical"
  tags       = ["operations"]
  references = ["https://docs.adyen.com/get-started-with-adyen/launch-checklist"]
  manual     = true
}

