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
  description = "Name of the environment variable holding a secret or restricted key that can read the account; without it the account steps are skipped."
}

probe "stripe_account" "account" {
  enabled  = var.secret_key_env != null
  api_base = var.account_api
  key_env  = var.secret_key_env
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
  title       = "The Stripe account can accept charges"
  severity    = "critical"
  tags        = ["finance"]
  references  = ["https://docs.stripe.com/api/accounts/object#account_object-charges_enabled"]
  when        = var.secret_key_env != null
  skip_reason = "no secret_key_env declared"
  assert {
    condition = local.a.charges_enabled
    message   = "Account ${local.a.id} cannot accept charges (charges_enabled = false${local.a.disabled_reason == "" ? "" : ", disabled: ${local.a.disabled_reason}"}): complete the account's activation in the Dashboard."
  }
  pass_message = "Account ${local.a.id} accepts charges."
}

step "account_payouts_enabled" {
  title       = "The Stripe account can pay out"
  severity    = "critical"
  tags        = ["finance"]
  references  = ["https://docs.stripe.com/api/accounts/object#account_object-payouts_enabled"]
  when        = var.secret_key_env != null
  skip_reason = "no secret_key_env declared"
  assert {
    condition = local.a.payouts_enabled
    message   = "Account ${local.a.id} cannot pay out (payouts_enabled = false): funds would pile up in the Stripe balance; finish verification and add a bank account."
  }
  pass_message = "Account ${local.a.id} pays out."
}

step "account_requirements" {
  title       = "No verification requirement is due or past due"
  severity    = "high"
  tags        = ["legal"]
  references  = ["https://docs.stripe.com/connect/required-verification-information", "https://docs.stripe.com/api/accounts/object#account_object-requirements"]
  when        = var.secret_key_env != null
  skip_reason = "no secret_key_env declared"
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
  title       = "A payout bank account is attached"
  severity    = "critical"
  tags        = ["finance"]
  references  = ["https://docs.stripe.com/payouts#adding-bank-account-information"]
  when        = var.secret_key_env != null
  skip_reason = "no secret_key_env declared"
  assert {
    condition = local.a.external_accounts > 0
    message   = "Account ${local.a.id} has no external (bank) account: add the account Stripe pays out to."
  }
  pass_message = "${local.a.external_accounts} external account(s)."
}

step "account_support_contacts" {
  title       = "Public support details are set on the account"
  severity    = "medium"
  tags        = ["operations"]
  references  = ["https://docs.stripe.com/get-started/account/activate#public-business-information"]
  when        = var.secret_key_env != null
  skip_reason = "no secret_key_env declared"
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
  title       = "The statement descriptor buyers see is set and valid"
  description = "The statement descriptor is what appears on the buyer's card statement: an unclear one causes disputes. Stripe requires 5 to 22 characters, at least one letter, and none of < > \\ ' \" *."
  severity    = "medium"
  tags        = ["operations"]
  references  = ["https://docs.stripe.com/get-started/account/statement-descriptors", "https://docs.stripe.com/get-started/checklist/go-live"]
  when        = var.secret_key_env != null
  skip_reason = "no secret_key_env declared"
  assert {
    condition = strlen(trimspace(local.a.statement_descriptor)) >= 5 && strlen(local.a.statement_descriptor) <= 22 && can(regex("[A-Za-z]", local.a.statement_descriptor)) && !can(regex("[<>\\\\'\"*]", local.a.statement_descriptor))
    message   = "The statement descriptor \"${local.a.statement_descriptor}\" of ${local.a.id} is ${trimspace(local.a.statement_descriptor) == "" ? "not set" : "not valid (5 to 22 characters, a letter, no < > \\ ' \" *)"}: set one buyers recognise in Settings → Public details."
  }
  pass_message = "Statement descriptor \"${local.a.statement_descriptor}\"."
}

step "account_branding" {
  title       = "The account has a logo or icon for receipts and Checkout"
  severity    = "low"
  tags        = ["marketing"]
  references  = ["https://docs.stripe.com/get-started/account/branding"]
  when        = var.secret_key_env != null
  skip_reason = "no secret_key_env declared"
  assert {
    condition = local.a.logo
    message   = "Account ${local.a.id} has no branding logo or icon: upload one in Settings → Branding."
  }
  pass_message = "Branding logo set."
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

