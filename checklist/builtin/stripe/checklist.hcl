# Stripe go-live readiness.
#
# Source: Stripe's go-live checklist (switch to live keys, keep secret keys
# server-side, load Stripe.js from js.stripe.com, verify webhook signatures)
# and the account state the Dashboard must show before the first live charge:
# charges and payouts enabled, no outstanding requirements, a payout bank
# account, public support details and branding.

checklist "stripe" {
  title       = "Stripe go-live readiness"
  description = "Checks the keys in configuration, sources and the payment page, how Stripe.js is loaded, the webhook endpoint and, with a secret key, the account state from the Stripe API."
}

# config_files, source_dirs, checkout_page, webhook_url and the config,
# source and page probes over them (builtin/common/integration.hcl).
include "integration" {}

# package_dirs, the packages probe and the sdks_current step (builtin/common/sdks.hcl).
include "sdks" {
  provider   = "stripe"
  title      = "Stripe"
  references = ["https://docs.stripe.com/libraries/versioning"]
}

# log_dirs, the errors probe and the provider_errors step (builtin/common/errors.hcl).
include "errors" {
  provider   = "stripe"
  title      = "Stripe"
  references = ["https://docs.stripe.com/error-codes"]
}

variable "account_api" {
  type        = string
  default     = "https://api.stripe.com"
  description = "Base URL of the Stripe API the account state is read from."
}

variable "secret_key_env" {
  type        = string
  default     = null
  description = "Name of the environment variable holding a secret or restricted key that can read the account (live, for the live-mode steps); without it the account steps are unchecked."
}

probe "stripe_account" "account" {
  enabled     = var.secret_key_env != null
  api_base    = var.account_api
  key_env     = var.secret_key_env
  object_dirs = var.source_dirs
}

probe "webhook" "events" {
  enabled  = var.webhook_url != null
  url      = var.webhook_url
  provider = "stripe"
}

locals {
  has_page = var.checkout_page != null
  page     = probe.page.checkout
  a        = probe.stripe_account.account

  # Every Stripe key, masked, wherever it appears (the pack's credential
  # rules). Configuration values are named by their setting, never shown.
  keys = concat(
    length(var.source_dirs) > 0 ? [for k in probe.source.code.credentials : {
      kind = k.kind, live = k.live, client_side = k.client_side, shown = k.masked, file = k.file, line = k.line
    } if k.provider == "stripe"] : [],
    [for k in probe.config.app.credentials : {
      kind = k.kind, live = k.live, client_side = false, shown = k.key, file = k.file, line = k.line
    } if k.provider == "stripe"],
    local.has_page ? [for k in local.page.credentials : {
      kind = k.kind, live = k.live, client_side = true, shown = k.masked, file = local.page.source, line = k.line
    } if k.provider == "stripe"] : [],
  )
  test_keys    = [for k in local.keys : k if !k.live]
  live_keys    = [for k in local.keys : k if k.live]
  exposed_keys = [for k in local.keys : k if k.client_side && k.kind != "publishable"]

  # Stripe.js must come from js.stripe.com: a bundled or self-hosted copy
  # breaks fraud signals and PCI DSS eligibility.
  stripe_js = local.has_page ? [for s in local.page.scripts : s if s.host == "js.stripe.com"] : []
  stripe_js_copies = local.has_page ? [for s in local.page.scripts : s
  if s.host != "js.stripe.com" && can(regex("(?i)(^|[/._-])stripe([/._-]|$)", s.src)) && can(regex("(?i)\\.js($|\\?)", s.src))] : []

  # What the code says (the pack's code_value blocks).
  code_values  = length(var.source_dirs) > 0 ? [for v in probe.source.code.code_values : v if v.provider == "stripe"] : []
  api_versions = [for v in local.code_values : v if v.name == "api_version"]
  sdk_inits    = [for v in local.code_values : v if v.name == "sdk_init"]
  typed_inits  = [for v in local.code_values : v if v.name == "typed_sdk_init"]
  # Server libraries in lockfiles, by whether they send their own API version.
  server_sdks    = length(var.package_dirs) > 0 ? [for p in probe.packages.sdks.packages : p if p.pins_api_version != ""] : []
  pinning_sdks   = [for p in local.server_sdks : p if p.pins_api_version == "yes"]
  unpinned_sdks  = [for p in local.server_sdks : p if p.pins_api_version == "no"]
  version_pinned = length(local.api_versions) > 0 || length(local.pinning_sdks) > 0 || length(local.typed_inits) > 0

  # Event types the code handles, first place of each.
  handled_by_name = { for v in local.code_values : v.normal => v... if v.name == "handled_event" }
  handled_names   = distinct([for v in local.code_values : v.normal if v.name == "handled_event"])
  handled         = [for n in local.handled_names : local.handled_by_name[n][0]]
  live_endpoints  = [for e in local.a.webhook_endpoints : e if e.livemode && e.status == "enabled"]
  missing_events = [for h in local.handled : h
  if !anytrue([for e in local.live_endpoints : contains(e.normal_events, "*") || contains(e.normal_events, h.normal)])]

  # Objects the code names, as the live API knows them.
  objects_unreadable = [for o in local.a.objects : o if o.error != ""]
  objects_missing    = [for o in local.a.objects : o if o.error == "" && (!o.found || !o.livemode)]

  # The endpoint the webhook_url is, among the live ones.
  webhook_live = var.webhook_url == null ? [] : [for e in local.live_endpoints : e if trimsuffix(lower(e.url), "/") == trimsuffix(lower(var.webhook_url), "/")]

}

step "live_keys" {
  title      = "Only live-mode Stripe keys are configured"
  severity   = "critical"
  tags       = ["engineering"]
  references = ["https://docs.stripe.com/keys#test-live-modes", "https://docs.stripe.com/get-started/checklist/go-live"]
  assert {
    condition = length(local.test_keys) == 0
    message   = "${length(local.test_keys)} test-mode Stripe key(s), first a ${local.test_keys[0].kind} key (${local.test_keys[0].shown}) at ${local.test_keys[0].file}:${local.test_keys[0].line}: test keys cannot take real payments; use the live keys from the Dashboard (Developers → API keys)."
    evidence  = [for k in local.test_keys : { source = k.file, line = k.line, detail = "test ${k.kind} key ${k.shown}" }]
  }
  assert {
    condition = length(local.test_keys) > 0 || length(local.live_keys) > 0
    message   = "No live Stripe key was found in the configuration, sources or page: the production integration needs at least the live publishable key (pk_live_…)."
  }
  pass_message = "${length(local.live_keys)} live key(s), no test key."
}

step "no_secret_key_client_side" {
  title      = "No secret, restricted or webhook key reaches the browser"
  severity   = "critical"
  tags       = ["security"]
  references = ["https://docs.stripe.com/keys#safe-keys", "https://docs.stripe.com/keys#rolling-keys"]
  assert {
    condition = length(local.exposed_keys) == 0
    message   = "A Stripe ${local.exposed_keys[0].live ? "live" : "test"} ${local.exposed_keys[0].kind} key (${local.exposed_keys[0].shown}) is served to browsers at ${local.exposed_keys[0].file}:${local.exposed_keys[0].line}: anyone can use it. Roll it in the Dashboard now and keep it server-side; only publishable keys belong in pages and bundles."
    evidence  = [for k in local.exposed_keys : { source = k.file, line = k.line, detail = "${k.kind} key ${k.shown}" }]
  }
  pass_message = "Only publishable keys in client-side files."
}

step "stripe_js_from_stripe" {
  title       = "Stripe.js is loaded from js.stripe.com, not bundled or self-hosted"
  severity    = "high"
  tags        = ["engineering", "security"]
  references  = ["https://docs.stripe.com/js/including"]
  when        = var.checkout_page != null
  skip_reason = "no checkout_page declared"
  assert {
    condition = length(local.stripe_js_copies) == 0
    message   = "A copy of Stripe.js is served from ${local.stripe_js_copies[0].host == "" ? "the shop itself" : local.stripe_js_copies[0].host} (${local.stripe_js_copies[0].src}, ${local.page.source} line ${local.stripe_js_copies[0].line}): load https://js.stripe.com/v3/ directly, as Stripe requires for PCI compliance."
    evidence  = [for s in local.stripe_js_copies : { source = local.page.source, line = s.line, detail = s.src }]
  }
  assert {
    condition = length(local.stripe_js) > 0
    message   = "No script from https://js.stripe.com on ${local.page.source}: the payment form (Elements, Payment Element) needs Stripe.js from js.stripe.com."
  }
  pass_message = "Stripe.js from ${local.stripe_js[0].src}."
}

step "account_charges_enabled" {
  title            = "The Stripe account can accept charges"
  severity         = "critical"
  tags             = ["finance"]
  references       = ["https://docs.stripe.com/api/accounts/object#account_object-charges_enabled"]
  checkable        = var.secret_key_env != null
  unchecked_reason = "no secret_key_env declared: the account is read from the Stripe API with a secret or restricted key"
  assert {
    condition = local.a.charges_enabled
    message   = "Account ${local.a.id} cannot accept charges (charges_enabled = false${local.a.disabled_reason == "" ? "" : ", disabled: ${local.a.disabled_reason}"}): complete the account's activation in the Dashboard."
  }
  pass_message = "Account ${local.a.id} accepts charges."
}

step "account_payouts_enabled" {
  title            = "The Stripe account can pay out"
  severity         = "critical"
  tags             = ["finance"]
  references       = ["https://docs.stripe.com/api/accounts/object#account_object-payouts_enabled"]
  checkable        = var.secret_key_env != null
  unchecked_reason = "no secret_key_env declared: the account is read from the Stripe API with a secret or restricted key"
  assert {
    condition = local.a.payouts_enabled
    message   = "Account ${local.a.id} cannot pay out (payouts_enabled = false): funds would pile up in the Stripe balance; finish verification and add a bank account."
  }
  pass_message = "Account ${local.a.id} pays out."
}

step "account_requirements" {
  title            = "No verification requirement is due or past due"
  severity         = "high"
  tags             = ["legal"]
  references       = ["https://docs.stripe.com/connect/required-verification-information", "https://docs.stripe.com/api/accounts/object#account_object-requirements"]
  checkable        = var.secret_key_env != null
  unchecked_reason = "no secret_key_env declared: the account is read from the Stripe API with a secret or restricted key"
  assert {
    condition = length(local.a.past_due) == 0
    message   = "${length(local.a.past_due)} requirement(s) are past due on ${local.a.id}: ${join(", ", local.a.past_due)}; the account is or will be restricted until they are provided."
  }
  assert {
    condition = length(local.a.currently_due) == 0
    message   = "${length(local.a.currently_due)} requirement(s) are currently due on ${local.a.id}: ${join(", ", local.a.currently_due)}; provide them in the Dashboard before launch."
  }
  pass_message = "Nothing due on ${local.a.id}."
}

step "account_external_account" {
  title            = "A payout bank account is attached"
  severity         = "critical"
  tags             = ["finance"]
  references       = ["https://docs.stripe.com/payouts#adding-bank-account-information"]
  checkable        = var.secret_key_env != null
  unchecked_reason = "no secret_key_env declared: the account is read from the Stripe API with a secret or restricted key"
  assert {
    condition = local.a.external_accounts > 0
    message   = "Account ${local.a.id} has no external (bank) account: add the account Stripe pays out to."
  }
  pass_message = "${local.a.external_accounts} external account(s)."
}

step "account_support_contacts" {
  title            = "Public support details are set on the account"
  severity         = "medium"
  tags             = ["operations"]
  references       = ["https://docs.stripe.com/get-started/account/activate#public-business-information"]
  checkable        = var.secret_key_env != null
  unchecked_reason = "no secret_key_env declared: the account is read from the Stripe API with a secret or restricted key"
  assert {
    condition = email_valid(local.a.support_email)
    message   = "The support email \"${local.a.support_email}\" of ${local.a.id} is missing or invalid: buyers see it on receipts and statements."
  }
  assert {
    condition = local.a.support_phone != "" && phone_valid(local.a.support_phone, local.a.country)
    message   = "The support phone \"${local.a.support_phone}\" of ${local.a.id} is missing or not a valid number for ${local.a.country}."
  }
  assert {
    condition = startswith(lower(local.a.support_url), "https://")
    message   = "The support URL \"${local.a.support_url}\" of ${local.a.id} is missing or not https."
  }
  pass_message = "${local.a.support_email}, ${local.a.support_phone}, ${local.a.support_url}."
}

step "account_statement_descriptor" {
  title            = "The statement descriptor buyers see is set and valid"
  description      = "The statement descriptor is what appears on the buyer's card statement: an unclear one causes disputes. Stripe requires 5 to 22 characters, at least one letter, and none of < > \\ ' \" *."
  severity         = "medium"
  tags             = ["operations"]
  references       = ["https://docs.stripe.com/get-started/account/statement-descriptors", "https://docs.stripe.com/get-started/checklist/go-live"]
  checkable        = var.secret_key_env != null
  unchecked_reason = "no secret_key_env declared: the account is read from the Stripe API with a secret or restricted key"
  assert {
    condition = strlen(trimspace(local.a.statement_descriptor)) >= 5 && strlen(local.a.statement_descriptor) <= 22 && can(regex("[A-Za-z]", local.a.statement_descriptor)) && !can(regex("[<>\\\\'\"*]", local.a.statement_descriptor))
    message   = "The statement descriptor \"${local.a.statement_descriptor}\" of ${local.a.id} is ${trimspace(local.a.statement_descriptor) == "" ? "not set" : "not valid (5 to 22 characters, a letter, no < > \\ ' \" *)"}: set one buyers recognise in Settings → Public details."
  }
  pass_message = "Statement descriptor \"${local.a.statement_descriptor}\"."
}

step "account_branding" {
  title            = "The account has a logo or icon for receipts and Checkout"
  severity         = "low"
  tags             = ["marketing"]
  references       = ["https://docs.stripe.com/get-started/account/branding"]
  checkable        = var.secret_key_env != null
  unchecked_reason = "no secret_key_env declared: the account is read from the Stripe API with a secret or restricted key"
  assert {
    condition = local.a.logo
    message   = "Account ${local.a.id} has no branding logo or icon: upload one in Settings → Branding."
  }
  pass_message = "Branding logo set."
}

step "api_version_pinned" {
  title       = "The Stripe API version is pinned where the SDK is initialised"
  description = "Stripe's go-live checklist: requests without a pinned version use the account's default API version, which changes for every caller when someone upgrades it in the Dashboard. The version is set in code (apiVersion, api_version, stripe_version, setApiVersion), or by the library: stripe-node 12, stripe-php 11, stripe-python 6 and stripe-ruby 9 on send the version they were released with, and the Java, .NET and Go libraries always do (the pack's pins_api_version)."
  severity    = "medium"
  tags        = ["engineering"]
  references  = ["https://docs.stripe.com/sdks/set-version", "https://docs.stripe.com/upgrades", "https://docs.stripe.com/get-started/checklist/go-live"]
  when        = length(var.source_dirs) > 0
  skip_reason = "no source_dirs declared"
  assert {
    condition = local.version_pinned || length(local.unpinned_sdks) == 0
    message   = "${local.unpinned_sdks[0].name} ${local.unpinned_sdks[0].version} (${local.unpinned_sdks[0].file}:${local.unpinned_sdks[0].line}) predates the releases that send their own API version, and no version is set in code: requests use the account's default API version. Set it where the SDK is initialised${length(local.sdk_inits) > 0 ? " (${local.sdk_inits[0].file}:${local.sdk_inits[0].line})" : ""} or upgrade the library."
    evidence  = [for p in local.unpinned_sdks : { source = p.file, line = p.line, detail = "${p.name} ${p.version}: no API version of its own" }]
  }
  assert {
    condition = local.version_pinned || length(local.unpinned_sdks) > 0 || length(local.sdk_inits) == 0
    message   = "The Stripe SDK initialised at ${local.sdk_inits[0].file}:${local.sdk_inits[0].line} (${local.sdk_inits[0].value}) sets no API version, and no lockfile shows a library that sends its own: requests may use the account's default API version. Pass it where the SDK is initialised (apiVersion: \"YYYY-MM-DD.name\", stripe.api_version = …) or commit the lockfile."
    evidence  = [for v in local.sdk_inits : { source = v.file, line = v.line, detail = "${v.value} without an API version" }]
  }
  assert {
    condition = local.version_pinned || length(local.unpinned_sdks) > 0 || length(local.sdk_inits) > 0 ? true : undecided("No Stripe server library is initialised in source_dirs nor listed in a lockfile: whether the API calls pin a version cannot be decided from the code.")
    message   = "undecided"
  }
  pass_message = length(local.api_versions) > 0 ? "API version ${local.api_versions[0].value} set at ${local.api_versions[0].file}:${local.api_versions[0].line}." : length(local.pinning_sdks) > 0 ? "${local.pinning_sdks[0].name} ${local.pinning_sdks[0].version} (${local.pinning_sdks[0].file}:${local.pinning_sdks[0].line}) sends the API version it was released with." : "The typed Stripe library initialised at ${local.typed_inits[0].file}:${local.typed_inits[0].line} sends the API version it was released with."
  evidence     = concat([for v in local.api_versions : { source = v.file, line = v.line, detail = "API version ${v.value}" }], [for p in local.pinning_sdks : { source = p.file, line = p.line, detail = "${p.name} ${p.version} pins its API version" }])
}

step "webhook_events_registered" {
  title            = "Live webhook endpoints receive every event type the code handles"
  description      = "The event types the code handles (case labels, comparisons, handler tables, library constants) must be enabled on an enabled live-mode webhook endpoint, or the handler never runs in production. Read with the key from GET /v1/webhook_endpoints."
  severity         = "high"
  tags             = ["engineering"]
  references       = ["https://docs.stripe.com/webhooks#register-webhook", "https://docs.stripe.com/api/webhook_endpoints/list", "https://docs.stripe.com/get-started/checklist/go-live"]
  when             = length(var.source_dirs) > 0
  skip_reason      = "no source_dirs declared"
  checkable        = var.secret_key_env != null
  unchecked_reason = "no secret_key_env declared: the webhook endpoints are read from the Stripe API with a live secret or restricted key"
  assert {
    condition = local.a.webhook_endpoints_error == "" ? true : undecided("The webhook endpoints could not be listed: ${local.a.webhook_endpoints_error}")
    message   = "undecided"
  }
  assert {
    condition = length(local.handled) == 0 || length(local.live_endpoints) > 0
    message   = "The code handles ${length(local.handled)} Stripe event type(s) (first ${local.handled[0].value} at ${local.handled[0].file}:${local.handled[0].line}) but the account has no enabled live-mode webhook endpoint${local.a.livemode_key ? "" : " (the key is a test key: it reads test-mode endpoints only; give a live key)"}: add one in the Dashboard (Developers → Webhooks) for these events."
  }
  assert {
    condition = length(local.live_endpoints) == 0 || length(local.missing_events) == 0
    message   = "${length(local.missing_events)} event type(s) the code handles are enabled on no live webhook endpoint: ${join(", ", [for h in local.missing_events : "${h.value} (${h.file}:${h.line})"])}. Enable them on the live endpoint, or the handler never runs in production."
    evidence  = [for h in local.missing_events : { source = h.file, line = h.line, detail = "${h.value} not enabled on a live endpoint" }]
  }
  assert {
    condition = length(local.missing_events) > 0 || local.a.webhook_endpoints_complete || length(local.handled) == 0 ? true : undecided("The account has more webhook endpoints than were read: whether every handled event is enabled cannot be decided.")
    message   = "undecided"
  }
  pass_message = length(local.handled) == 0 ? "The code handles no Stripe event type (${probe.source.code.files_scanned} file(s) read): no live endpoint is needed for it." : "${length(local.handled)} handled event type(s) enabled on ${length(local.live_endpoints)} live endpoint(s): ${join(", ", [for h in local.handled : h.value])}."
}

step "live_objects_exist" {
  title            = "The prices and products the code names exist in live mode"
  description      = "Ids of prices, products, plans, promotion codes, tax and shipping rates made in test mode do not exist in live mode: Checkout and subscriptions fail on them at the first live payment. Each id found in the code is read back with the key (GET /v1/prices/ID, …)."
  severity         = "high"
  tags             = ["engineering"]
  references       = ["https://docs.stripe.com/keys#test-live-modes", "https://docs.stripe.com/get-started/checklist/go-live"]
  when             = length(var.source_dirs) > 0
  skip_reason      = "no source_dirs declared"
  checkable        = var.secret_key_env != null
  unchecked_reason = "no secret_key_env declared: the objects are read back from the Stripe API with a live secret or restricted key"
  assert {
    condition = length(local.objects_missing) == 0
    message   = "${length(local.objects_missing)} object(s) named in the code do not exist in live mode${local.a.livemode_key ? "" : " (the key is a test key: give a live one)"}: ${join(", ", [for o in local.objects_missing : "${o.id} (${o.file}:${o.line}${o.found ? ", test mode only" : ", not found"})"])}. Create them in live mode (or copy them from test mode in the Dashboard) and use the live ids."
    evidence  = [for o in local.objects_missing : { source = o.file, line = o.line, detail = "${o.id} ${o.found ? "is a test-mode object" : "not found with the key"}" }]
  }
  assert {
    condition = length(local.objects_unreadable) == 0 && local.a.objects_unchecked == 0 ? true : undecided(length(local.objects_unreadable) > 0 ? "${local.objects_unreadable[0].id} (${local.objects_unreadable[0].file}:${local.objects_unreadable[0].line}) could not be read back: ${local.objects_unreadable[0].error}" : "${local.a.objects_unchecked} more object ids than are read back in one run")
    message   = "undecided"
  }
  pass_message = length(local.a.objects) == 0 ? "No price, product, plan, promotion code, tax or shipping rate id in the code (${local.a.objects_coverage.files_read} file(s) read)." : "${length(local.a.objects)} object(s) found in live mode: ${join(", ", [for o in local.a.objects : o.id])}."
}

step "webhook_endpoint_live" {
  title            = "The webhook_url is a live-mode endpoint of the account"
  description      = "A signing secret (whsec_…) does not say its mode, and the API returns it only when the endpoint is created, so the tool cannot compare it with the secret the code uses. What it checks: the webhook_url is registered as an enabled live-mode endpoint, so the secret to configure is that endpoint's (Dashboard → Webhooks → the endpoint → Signing secret), not a test endpoint's or the Stripe CLI's."
  severity         = "high"
  tags             = ["engineering", "security"]
  references       = ["https://docs.stripe.com/webhooks#verify-events", "https://docs.stripe.com/api/webhook_endpoints/object"]
  when             = var.webhook_url != null
  skip_reason      = "no webhook_url declared"
  checkable        = var.secret_key_env != null
  unchecked_reason = "no secret_key_env declared: the webhook endpoints are read from the Stripe API with a live secret or restricted key"
  assert {
    condition = local.a.webhook_endpoints_error == "" ? true : undecided("The webhook endpoints could not be listed: ${local.a.webhook_endpoints_error}")
    message   = "undecided"
  }
  assert {
    condition = length(local.webhook_live) > 0 || !local.a.webhook_endpoints_complete
    message   = "${coalesce(var.webhook_url, "-")} is not an enabled live-mode webhook endpoint of ${local.a.id}${local.a.livemode_key ? "" : " (the key is a test key: it reads test-mode endpoints only; give a live key)"}: register it in live mode and configure that endpoint's signing secret."
  }
  assert {
    condition = length(local.webhook_live) > 0 || local.a.webhook_endpoints_complete ? true : undecided("The account has more webhook endpoints than were read: whether ${coalesce(var.webhook_url, "-")} is one cannot be decided.")
    message   = "undecided"
  }
  pass_message = "${local.webhook_live[0].url} is live endpoint ${local.webhook_live[0].id} (${length(local.webhook_live[0].enabled_events)} event type(s)): use its signing secret."
}

step "webhook_signature_verified" {
  title       = "The webhook endpoint rejects events with a bad Stripe-Signature"
  severity    = "high"
  tags        = ["engineering", "security"]
  references  = ["https://docs.stripe.com/webhooks#verify-events"]
  when        = var.webhook_url != null
  skip_reason = "no webhook_url declared: payment state must be polled"
  assert {
    condition = probe.webhook.events.https
    message   = "The webhook endpoint ${probe.webhook.events.url} is not https: live-mode events are only sent to https endpoints."
  }
  assert {
    condition = probe.webhook.events.answered
    message   = "The webhook endpoint ${probe.webhook.events.url} does not answer (${probe.webhook.events.error}): events would be retried, then lost."
  }
  assert {
    condition = !probe.webhook.events.answered || probe.webhook.events.rejected
    message   = "The webhook endpoint ${probe.webhook.events.url} accepted an event with a forged Stripe-Signature (HTTP ${probe.webhook.events.status}): verify it with the endpoint's signing secret (constructEvent) and answer 400 to bad ones."
  }
  pass_message = "${probe.webhook.events.url} rejected a forged event with HTTP ${probe.webhook.events.status}."
}

