# Amazon Pay go-live readiness.
#
# Source: Amazon Pay's "five steps" go-live guide, step 5 (payout bank account,
# a valid credit card, verified tax status, Seller Central access for customer
# service and finance, logo, customer-service contacts, production endpoints
# on launch day, production transactions validated) and the failures merchants
# meet in practice (sandbox keys in production, wrong endpoints per
# environment, the button's sandbox flag, unsigned notifications accepted,
# currency mismatches).

checklist "amazon-pay" {
  title       = "Amazon Pay go-live readiness"
  description = "Checks the merchant account, the integration's endpoints, keys and button, and the IPN endpoint before launch day."
}

# config_files, source_dirs, checkout_page, webhook_url and the config,
# source and page probes over them (builtin/common/integration.hcl).
include "integration" {}

# package_dirs, the packages probe and the sdks_current step (builtin/common/sdks.hcl).
include "sdks" {
  provider   = "amazon-pay"
  title      = "Amazon Pay"
  references = ["https://developer.amazon.com/docs/amazon-pay-checkout/get-set-up-for-integration.html"]
}

# log_dirs, the errors probe and the provider_errors step (builtin/common/errors.hcl).
include "errors" {
  provider   = "amazon-pay"
  title      = "Amazon Pay"
  references = ["https://developer.amazon.com/docs/amazon-pay-api-v2/error-handling.html"]
}

variable "region" {
  type        = string
  default     = "eu"
  description = "Amazon Pay region of the merchant account: na, eu or jp."
  validation {
    condition     = contains(["na", "eu", "jp"], var.region)
    error_message = "region must be na, eu or jp."
  }
}

variable "merchant_file" {
  type        = string
  default     = "merchant.hcl"
  description = "Merchant profile (payout account, card on file, tax id, users, logo, support)."
}

variable "private_key_file" {
  type        = string
  default     = null
  description = "The private key the integration signs with (a PEM file, or its public half): when set, the button's payloadJSON signature is verified against it."
}

variable "launch_date" {
  type        = string
  default     = null
  description = "Planned go-live date (YYYY-MM-DD); default: today."
}

probe "merchant" "profile" {
  file = var.merchant_file
}

probe "webhook" "ipn" {
  enabled  = var.webhook_url != null
  url      = var.webhook_url
  provider = "amazon-pay"
}

locals {
  prod_host   = { na = "pay-api.amazon.com", eu = "pay-api.amazon.eu", jp = "pay-api.amazon.jp" }[var.region]
  static_host = { na = "static-na.payments-amazon.com", eu = "static-eu.payments-amazon.com", jp = "static-fe.payments-amazon.com" }[var.region]
  currencies  = { na = ["USD"], eu = ["EUR", "GBP"], jp = ["JPY"] }[var.region]
  # Presentment currencies of multi-currency checkout, open to EU and UK
  # accounts only; the buyer is charged in them, the merchant paid out in
  # the ledger currency.
  presentment_currencies = {
    na = [], jp = [],
    eu = ["AUD", "GBP", "DKK", "EUR", "HKD", "JPY", "NZD", "NOK", "ZAR", "SEK", "CHF", "USD"],
  }[var.region]
  # checkoutLanguage values each region's button renders.
  languages  = { na = ["en_US"], eu = ["en_GB", "de_DE", "fr_FR", "it_IT", "es_ES"], jp = ["ja_JP"] }[var.region]
  page       = probe.page.checkout
  has_source = length(var.source_dirs) > 0
  src_pems   = local.has_source ? probe.source.code.pem_keys : []
  has_page   = var.checkout_page != null
  m          = probe.merchant.profile
  where      = probe.merchant.profile.locations

  # Every Amazon Pay API URL in sources and configuration (the pack's
  # hosts): the wrong region's host, or a sandbox path, is not production.
  api_urls = concat(
    local.has_source ? [for e in probe.source.code.endpoints : e if e.provider == "amazon-pay" && e.purpose == "api"] : [],
    [for e in probe.config.app.endpoints : e if e.provider == "amazon-pay" && e.purpose == "api"],
  )
  wrong_endpoints = [for u in local.api_urls : u if u.environment == "test" || u.region != var.region]

  # Amazon Pay v1 (Login and Pay with Amazon): the MWS API hosts are pack
  # endpoints (their sandbox is /OffAmazonPayments_Sandbox/); Widgets.js
  # runs in sandbox when loaded from .../sandbox/... of the static hosts.
  sandbox_widgets = local.has_page ? [for sc in local.page.scripts : { url = sc.src, line = sc.line }
  if can(regex("(?i)^https?://static-(na|eu|fe)\\.payments-amazon\\.com/OffAmazonPayments/(.+/)?sandbox/", sc.src))] : []

  # SDK settings that switch the whole integration to sandbox.
  sandbox_settings = concat(
    [for e in probe.config.app.switches : e if e.provider == "amazon-pay" && e.mode == "test"],
    local.has_source ? [for e in probe.source.code.switches : e if e.provider == "amazon-pay" && e.mode == "test"] : [],
  )
  # Chosen at run time: `'sandbox' => $prod ? false : true`, a live default.
  undetermined_settings = concat(
    [for e in probe.config.app.switches : e if e.provider == "amazon-pay" && e.mode == "undetermined"],
    local.has_source ? [for e in probe.source.code.switches : e if e.provider == "amazon-pay" && e.mode == "undetermined"] : [],
  )

  # Public key ids wherever they appear.
  key_ids = concat(
    local.has_source ? [for k in probe.source.code.credentials : { id = k.value, file = k.file, line = k.line } if k.provider == "amazon-pay" && k.kind == "key_id"] : [],
    [for k in probe.config.app.credentials : { id = k.value, file = k.file, line = k.line } if k.provider == "amazon-pay" && k.kind == "key_id"],
    local.has_page ? [for k in local.page.credentials : { id = k.value, file = local.page.source, line = k.line } if k.provider == "amazon-pay" && k.kind == "key_id"] : [],
  )
  # Key pairs made before environment-specific keys (no LIVE-/SANDBOX-
  # prefix) serve both environments: the SDK's sandbox flag decides
  # (Client::createServiceUrl, clientHelper.prepareOptions,
  # Util.getServiceVersionName), so such a key is a sandbox key exactly when
  # the integration is switched to sandbox.
  legacy_key_ids = concat(
    [for e in probe.config.app.entries : { id = e.value, file = e.file, line = e.line }
    if can(regex("(?i)public_?key_?id$", e.key)) && can(regex("^[A-Z0-9]{20,32}$", e.value))],
    local.has_page && can(regex("^[A-Z0-9]{20,32}$", local.button.public_key_id)) ? [{ id = local.button.public_key_id, file = local.page.source, line = local.button.line }] : [],
  )
  # Positive evidence only: a legacy key is live when a setting says
  # production, not merely when none says sandbox (the flag may sit in code).
  production_settings = [for e in probe.config.app.entries : e
    if(can(regex("(?i)sandbox", e.key)) && contains(["false", "0", "no", "off"], lower(e.value)))
  || (can(regex("(?i)(amazon|apay|amzn).*(env|environment|mode)$", e.key)) && contains(["live", "production"], lower(e.value)))]
  legacy_in_sandbox = length(local.sandbox_settings) > 0 || (local.has_page && try(local.button.sandbox, false))
  legacy_live       = !local.legacy_in_sandbox && length(local.production_settings) > 0
  sandbox_key_ids   = concat([for k in local.key_ids : k if startswith(k.id, "SANDBOX-")], local.legacy_in_sandbox ? local.legacy_key_ids : [])
  live_key_ids      = concat([for k in local.key_ids : k if startswith(k.id, "LIVE-")], local.legacy_live ? local.legacy_key_ids : [])

  # The button as the page sets it up: the pack's js_call calls
  # (renderButton, initCheckout) read from the page and its own scripts,
  # and checkout.js as the page loads it. The first call's options count;
  # one sandbox call is enough to break production checkouts.
  apay_calls  = local.has_page ? [for c in local.page.js_calls : c if c.provider == "amazon-pay"] : []
  checkout_js = local.has_page ? [for s in local.page.scripts : s if s.provider == "amazon-pay" && s.purpose == "redirect" && can(regex("(?i)/checkout\\.js([?#]|$)", s.src))] : []
  opts        = try(local.apay_calls[0].options, {})
  sandbox_on  = [for c in local.apay_calls : c if lookup(c.truthy, "sandbox", false)]
  sandbox_unk = [for c in local.apay_calls : c if contains(c.undecided, "sandbox") || (contains(c.undecided, "*") && !contains(keys(c.truthy), "sandbox"))]
  button_line = length(local.apay_calls) > 0 ? local.apay_calls[0].line : (length(local.checkout_js) > 0 ? local.checkout_js[0].line : 0)
  payload     = try(local.opts.createCheckoutSessionConfig.payloadJSON, null)
  payload_obj = try(jsondecode(local.payload), local.payload)
  # The signed payload as the page sends it (a string literal) and its
  # signature; verified only when the merchant names the key.
  button_payload   = try(tostring(local.opts.createCheckoutSessionConfig.payloadJSON), "")
  button_signature = try(tostring(local.opts.createCheckoutSessionConfig.signature), "")
  signature_ok = var.private_key_file == null || local.button_payload == "" || local.button_signature == "" ? false : (
    rsa_pss_sha256_verify(var.private_key_file, "AMZN-PAY-RSASSA-PSS\n${sha256(local.button_payload)}", local.button_signature)
    || rsa_pss_sha256_verify(var.private_key_file, "AMZN-PAY-RSASSA-PSS-V2\n${sha256(local.button_payload)}", local.button_signature)
  )
  button = local.has_page ? {
    present           = length(local.checkout_js) > 0 || length(local.apay_calls) > 0
    script_src        = length(local.checkout_js) > 0 ? local.checkout_js[0].src : ""
    script_host       = length(local.checkout_js) > 0 ? local.checkout_js[0].host : ""
    sandbox           = length(local.sandbox_on) > 0
    sandbox_undecided = length(local.sandbox_unk) == 0 ? "" : try(tostring(local.sandbox_unk[0].options.sandbox), local.sandbox_unk[0].options_source != "" ? local.sandbox_unk[0].options_source : "set by a spread of run-time values")
    sandbox_line      = length(local.sandbox_on) > 0 ? lookup(local.sandbox_on[0].lines, "sandbox", local.sandbox_on[0].line) : length(local.sandbox_unk) > 0 ? lookup(local.sandbox_unk[0].lines, "sandbox", local.sandbox_unk[0].line) : local.button_line
    merchant_id       = try(tostring(local.opts.merchantId), "")
    public_key_id     = try(tostring(local.opts.publicKeyId), try(tostring(local.opts.createCheckoutSessionConfig.publicKeyId), ""))
    ledger_currency   = try(tostring(local.opts.ledgerCurrency), "")
    checkout_language = try(tostring(local.opts.checkoutLanguage), "")
    return_urls = compact(distinct([
      try(tostring(local.payload_obj.webCheckoutDetails.checkoutReviewReturnUrl), ""),
      try(tostring(local.payload_obj.webCheckoutDetails.checkoutResultReturnUrl), ""),
      try(tostring(local.opts.createCheckoutSession.url), ""),
    ]))
    line = local.button_line
  } : null

  return_urls = concat(
    local.has_page ? [for u in local.button.return_urls : { url = u, file = local.page.source, line = local.button.line }] : [],
    [for e in probe.config.app.entries : { url = e.value, file = e.file, line = e.line }
    if can(regex("(?i)(return|result|review|redirect|cancel|success).*url", e.key)) && can(regex("^[a-z]+://", e.value))],
    # Set in code (the pack's return_url code value): payloads built in Ruby, PHP, Java…
    local.has_source ? [for v in probe.source.code.code_values : { url = v.value, file = v.file, line = v.line } if v.provider == "amazon-pay" && v.name == "return_url"] : [],
  )
  insecure_return_urls = [for u in local.return_urls : u if !startswith(lower(u.url), "https://")]

  currency_settings = [for e in probe.config.app.entries : e
  if can(regex("(?i)(ledger_?currency|currency_?code|currency)$", e.key)) && !can(regex("(?i)presentment", e.key)) && can(regex("^[A-Za-z]{3}$", e.value))]
  page_currency  = local.has_page ? upper(local.button.ledger_currency) : ""
  currencies_met = concat([for e in local.currency_settings : { code = upper(e.value), file = e.file, line = e.line }], local.page_currency != "" ? [{ code = local.page_currency, file = local.page.source, line = local.button.line }] : [])
  wrong_currency = [for c in local.currencies_met : c if !contains(local.currencies, c.code)]
  presentment_settings = [for e in probe.config.app.entries : { code = upper(e.value), file = e.file, line = e.line }
  if can(regex("(?i)presentment_?currency$", e.key)) && can(regex("^[A-Za-z]{3}$", e.value))]
  wrong_presentment = [for c in local.presentment_settings : c if !contains(concat(local.currencies, local.presentment_currencies), c.code)]

  language_settings = concat(
    [for e in probe.config.app.entries : { code = e.value, file = e.file, line = e.line } if can(regex("(?i)(checkout|button)_?language$", e.key)) && e.value != ""],
    local.has_page && try(local.button.checkout_language, "") != "" ? [{ code = local.button.checkout_language, file = local.page.source, line = local.button.line }] : [],
  )
  wrong_language = [for l in local.language_settings : l if !contains(local.languages, replace(l.code, "-", "_"))]

  private_keys = [for k in local.src_pems : k if k.private]
  exposed_keys = [for k in local.private_keys : k if k.under_web_root]
  # A key file a .gitignore keeps out of the repository is a runtime file
  # (the SDK samples generate keys/privateKey.pem that way): not committed,
  # though still exposed when it lies under a web root.
  committed_keys = [for k in local.private_keys : k if !k.under_web_root && !k.git_ignored]

  days_to_launch = var.launch_date == null ? 0 : days_until(var.launch_date)
  card_days_left = local.m.card_on_file.present ? days_until(local.m.card_on_file.expires) : -1

  payout_problem = payout_account_problem(local.m.country, local.m.payout_account)
  payout_label   = payout_account_label(local.m.payout_account)
  tax_id_problem = tax_id_problem(local.m.country, local.m.tax_id)
  tax_id_kind    = tax_id_kind(local.m.country, local.m.tax_id)

  cs_users      = [for u in local.m.seller_central_users : u if contains(u.roles, "customer_service") || contains(u.roles, "admin")]
  finance_users = [for u in local.m.seller_central_users : u if contains(u.roles, "finance") || contains(u.roles, "admin")]
}

step "payout_bank_account" {
  title      = "A payout bank account is registered"
  severity   = "critical"
  tags       = ["finance"]
  references = ["https://pay.amazon.com/help/201212390"]
  assert {
    condition = local.m.payout_account.present
    message   = "The merchant profile ${local.m.file} has no payout_account: add the account Amazon Pay pays out to (an IBAN; in the UK a sort code, in the US an ABA routing number, in Japan a bank and branch code, each with the account number) and its holder, as registered in Seller Central."
  }
  assert {
    condition = !local.m.payout_account.present || local.payout_problem == ""
    message   = "The payout account in ${local.m.file} is not valid for a merchant in ${local.m.country}: ${local.payout_problem}. Correct it in Seller Central and in the profile."
    evidence  = [for k in ["payout_account"] : { source = local.where[k].file, line = local.where[k].line, detail = local.payout_label } if contains(keys(local.where), k)]
  }
  assert {
    condition = !local.m.payout_account.present || trimspace(local.m.payout_account.holder) != ""
    message   = "The payout account in ${local.m.file} has no holder name: give the account holder as the bank knows it."
  }
  pass_message = "${local.payout_label} of ${local.m.payout_account.holder} is valid."
}

step "credit_card_on_file" {
  title      = "A valid credit card is on file, not expiring around launch"
  severity   = "high"
  tags       = ["finance"]
  references = ["https://pay.amazon.com/help/201212390"]
  assert {
    condition = local.m.card_on_file.present
    message   = "The merchant profile ${local.m.file} has no card_on_file: Amazon Pay needs a valid credit card on the account for fees and chargebacks."
  }
  assert {
    condition = !local.m.card_on_file.present || local.card_days_left >= 0
    message   = "The ${local.m.card_on_file.brand} card ending ${local.m.card_on_file.last4} expired (${local.m.card_on_file.expires}): register a valid card in Seller Central."
    evidence  = [{ source = local.where["card_on_file.expires"].file, line = local.where["card_on_file.expires"].line, detail = "expires ${local.m.card_on_file.expires}" }]
  }
  assert {
    condition = !local.m.card_on_file.present || local.card_days_left < 0 || local.card_days_left >= local.days_to_launch + 30
    message   = "The ${local.m.card_on_file.brand} card ending ${local.m.card_on_file.last4} expires ${local.m.card_on_file.expires}, within 30 days of launch: replace it before go-live."
    evidence  = [{ source = local.where["card_on_file.expires"].file, line = local.where["card_on_file.expires"].line, detail = "expires ${local.m.card_on_file.expires}" }]
  }
  pass_message = "${local.m.card_on_file.brand} card ending ${local.m.card_on_file.last4} valid until ${local.m.card_on_file.expires}."
}

step "tax_id_verified" {
  title      = "The tax id is valid and verified"
  severity   = "high"
  tags       = ["legal"]
  references = ["https://pay.amazon.com/help/201212390"]
  assert {
    condition = local.m.tax_id != "" && local.tax_id_problem == ""
    message   = "The tax id \"${local.m.tax_id}\" in ${local.m.file} is not a valid tax id of a merchant in ${local.m.country}: ${local.tax_id_problem}. Give the id registered with Amazon Pay (EU or UK VAT number, US EIN, Japanese corporate or T-number)."
    evidence  = [for k in ["tax_id"] : { source = local.where[k].file, line = local.where[k].line, detail = "tax_id" } if contains(keys(local.where), k)]
  }
  assert {
    condition = local.m.tax_id_verified
    message   = "The tax status is not verified (tax_id_verified = false in ${local.m.file}): complete the tax interview in Seller Central."
  }
  pass_message = "${local.tax_id_kind} ${local.m.tax_id} is valid and verified."
}

step "seller_central_access" {
  title      = "Customer service and finance can use Seller Central"
  severity   = "medium"
  tags       = ["operations"]
  references = ["https://pay.amazon.com/help/201212390"]
  assert {
    condition = length(local.cs_users) > 0
    message   = "No Seller Central user has the customer_service role in ${local.m.file}: invite the team that answers buyers' claims."
  }
  assert {
    condition = length(local.finance_users) > 0
    message   = "No Seller Central user has the finance role in ${local.m.file}: invite the team that reconciles payouts."
  }
  pass_message = "${length(local.cs_users)} customer-service and ${length(local.finance_users)} finance user(s)."
}

step "logo" {
  title      = "The logo shown to buyers is set"
  severity   = "low"
  tags       = ["marketing"]
  references = ["https://pay.amazon.com/help/201212390"]
  assert {
    condition = local.m.logo != ""
    message   = "No logo in ${local.m.file}: upload the shop's logo in Seller Central (Integration → Logo) the day before launch at the latest, so that buyers see it on Amazon Pay's pages and emails from the first order, and name the file here."
  }
  assert {
    condition = local.m.logo == "" || startswith(local.m.logo, "https://") || can(image_info(local.m.logo))
    message   = "The logo ${local.m.logo} is neither an https URL nor a readable PNG, JPEG or GIF file."
  }
  pass_message = "Logo ${local.m.logo}."
}

step "support_contacts" {
  title      = "Customer-service contacts are valid"
  severity   = "medium"
  tags       = ["operations"]
  references = ["https://pay.amazon.com/help/201212390"]
  assert {
    condition = local.m.support.present && email_valid(local.m.support.email)
    message   = "The support email \"${local.m.support.email}\" in ${local.m.file} is missing or invalid: buyers see it on their receipts."
  }
  assert {
    condition = local.m.support.present && local.m.support.phone != "" && phone_valid(local.m.support.phone, local.m.country)
    message   = "The support phone \"${local.m.support.phone}\" is missing or not a valid number for ${local.m.country}: give it in international form, e.g. +33 1 23 45 67 89."
    evidence  = [for k in ["support.phone"] : { source = local.where[k].file, line = local.where[k].line, detail = k } if contains(keys(local.where), k)]
  }
  assert {
    condition = local.m.support.present && startswith(lower(local.m.support.url), "https://")
    message   = "The support URL \"${local.m.support.url}\" is missing or not https."
  }
  pass_message = "${local.m.support.email}, ${local.m.support.phone}, ${local.m.support.url}."
}

step "production_endpoints" {
  title       = "Every Amazon Pay API endpoint is the production host of the region"
  description = "Sandbox and production use different endpoints; on launch day every URL must be the region's production host, without /sandbox/."
  severity    = "critical"
  tags        = ["engineering"]
  references  = ["https://developer.amazon.com/docs/amazon-pay-api-v2/introduction.html"]
  assert {
    condition = length(local.wrong_endpoints) == 0
    message   = "${length(local.wrong_endpoints)} Amazon Pay API URL(s) are not production for region ${var.region}, first ${local.wrong_endpoints[0].url} at ${local.wrong_endpoints[0].file}:${local.wrong_endpoints[0].line}: use https://${local.prod_host}/ without /sandbox/."
    evidence  = [for u in local.wrong_endpoints : { source = u.file, line = u.line, detail = "api host ${u.host}${u.path}" }]
  }
  assert {
    condition = length(local.sandbox_widgets) == 0
    message   = "The page loads Amazon Pay v1's sandbox Widgets.js (${try(local.sandbox_widgets[0].url, "")}, ${local.page.source}:${try(local.sandbox_widgets[0].line, 0)}): the widgets run in sandbox; load the production Widgets.js (without /sandbox/) or migrate to Checkout v2."
    evidence  = [for u in local.sandbox_widgets : { source = local.page.source, line = u.line, detail = u.url }]
  }
  assert {
    condition = length(local.sandbox_settings) == 0
    message   = "The integration is switched to sandbox: ${local.sandbox_settings[0].key} = ${local.sandbox_settings[0].value} at ${local.sandbox_settings[0].file}:${local.sandbox_settings[0].line}; set it to production for launch."
    evidence  = [for e in local.sandbox_settings : { source = e.file, line = e.line, detail = "${e.key} = ${e.value}" }]
  }
  assert {
    condition = length(local.undetermined_settings) == 0 ? true : undecided("${local.undetermined_settings[0].key} at ${local.undetermined_settings[0].file}:${local.undetermined_settings[0].line} is chosen at run time (a conditional, or a live default behind a lookup): whether the integration runs in sandbox cannot be decided from the code; audit the configuration the deployment runs with.")
    message   = "undecided"
  }
  pass_message = length(local.api_urls) == 0 ? "No explicit API URL; the SDK's region and sandbox settings decide, and none says sandbox." : "${length(local.api_urls)} API URL(s), all https://${local.prod_host}/."
}

step "live_keys" {
  title      = "Only live public key ids are used"
  severity   = "critical"
  tags       = ["engineering"]
  references = ["https://developer.amazon.com/docs/amazon-pay-checkout/get-set-up-for-integration.html"]
  assert {
    condition = length(local.sandbox_key_ids) == 0
    message   = "${startswith(local.sandbox_key_ids[0].id, "SANDBOX-") ? "Sandbox public key id" : "Public key id (legacy, used with the sandbox flag on)"} ${local.sandbox_key_ids[0].id} at ${local.sandbox_key_ids[0].file}:${local.sandbox_key_ids[0].line}: create a production key pair in Seller Central and use its LIVE- id (or turn the sandbox flag off for a legacy key)."
    evidence  = [for k in local.sandbox_key_ids : { source = k.file, line = k.line, detail = k.id }]
  }
  assert {
    condition = length(local.sandbox_key_ids) > 0 || length(local.live_key_ids) > 0
    message   = length(local.legacy_key_ids) > 0 ? "Public key id ${local.legacy_key_ids[0].id} at ${local.legacy_key_ids[0].file}:${local.legacy_key_ids[0].line} is a legacy id whose environment is the SDK's sandbox flag, and no setting says production: set sandbox to false in the configuration read here, or use a LIVE- key id." : "No LIVE- public key id was found in the configuration, sources or page: the production integration needs one."
  }
  pass_message = "${length(local.live_key_ids)} production key id(s)${local.legacy_live && length(local.legacy_key_ids) > 0 ? " (legacy ids with the sandbox flag off)" : ""}, no sandbox one."
}

step "button_production_mode" {
  title       = "The Amazon Pay button renders in production mode"
  severity    = "critical"
  tags        = ["engineering"]
  references  = ["https://developer.amazon.com/docs/amazon-pay-checkout/add-the-amazon-pay-button.html"]
  when        = var.checkout_page != null
  skip_reason = "no checkout_page declared"
  assert {
    condition = local.button.present
    message   = "No amazon.Pay.renderButton(...) call was found on ${local.page.source}: the page does not show the Amazon Pay button."
  }
  assert {
    condition = !local.button.present || !local.button.sandbox
    message   = "renderButton is called with sandbox: true on ${local.page.source} (line ${local.button.line}): remove it for production."
    evidence  = [{ source = local.page.source, line = local.button.sandbox_line, detail = "sandbox: true" }]
  }
  assert {
    # An option the page's code sets at run time: an error, never a pass.
    condition = !local.button.present || local.button.sandbox || local.button.sandbox_undecided == "" ? true : undecided("renderButton's sandbox option on ${local.page.source} (line ${local.button.sandbox_line}) is \"${local.button.sandbox_undecided}\": it cannot be decided from the code; audit the page as served (its URL or the rendered HTML) so the value can be read.")
    message   = "renderButton's sandbox option cannot be decided from the code."
    evidence  = [{ source = local.page.source, line = local.button.sandbox_line, detail = "sandbox: ${local.button.sandbox_undecided}" }]
  }
  assert {
    condition = !local.button.present || !startswith(local.button.public_key_id, "SANDBOX-")
    message   = "The button's publicKeyId ${local.button.public_key_id} on ${local.page.source} (line ${local.button.line}) is a sandbox key: its checkout session runs in sandbox. Use the LIVE- key id the server signs with."
    evidence  = [{ source = local.page.source, line = local.button.line, detail = "publicKeyId ${local.button.public_key_id}" }]
  }
  assert {
    condition = length(local.sandbox_widgets) == 0
    message   = "The page loads the sandbox Widgets.js of Amazon Pay v1 (${try(local.sandbox_widgets[0].url, "")}): the widgets run in sandbox."
    evidence  = [for u in local.sandbox_widgets : { source = local.page.source, line = u.line, detail = u.url }]
  }
  assert {
    condition = !local.button.present || trimspace(local.button.merchant_id) != ""
    message   = "renderButton on ${local.page.source} has no merchantId: set your production merchant id from Seller Central."
  }
  assert {
    condition = !local.button.present || length(local.wrong_language) == 0
    message   = "Checkout language ${local.wrong_language[0].code} at ${local.wrong_language[0].file}:${local.wrong_language[0].line} is not one region ${var.region} renders (${join(", ", local.languages)})."
    evidence  = [for l in local.wrong_language : { source = l.file, line = l.line, detail = "checkoutLanguage ${l.code}" }]
  }
  assert {
    condition = !local.button.present || local.button.script_host == local.static_host
    message   = "checkout.js is loaded from \"${local.button.script_host}\" on ${local.page.source}; region ${var.region} needs https://${local.static_host}/checkout.js."
    evidence  = [{ source = local.page.source, line = local.button.line, detail = local.button.script_src }]
  }
  pass_message = "Production button, merchant ${local.button.merchant_id}, checkout.js from ${local.static_host}."
}

step "button_signature_valid" {
  title       = "The button's payload signature verifies with the merchant's key"
  description = "Amazon Pay checks createCheckoutSessionConfig.signature against the public key of publicKeyId: an RSASSA-PSS (SHA-256) signature over \"AMZN-PAY-RSASSA-PSS\\n\" (or -V2) + hex(SHA-256(payloadJSON)), as the SDKs' generateButtonSignature makes it. A payload changed after signing, or signed with another key, fails at checkout."
  severity    = "critical"
  tags        = ["engineering"]
  references  = ["https://developer.amazon.com/docs/amazon-pay-checkout/add-the-amazon-pay-button.html", "https://github.com/amzn/amazon-pay-api-sdk-php/blob/master/Amazon/Pay/API/Client.php"]
  when        = var.checkout_page != null && var.private_key_file != null
  skip_reason = "no checkout_page or no private_key_file declared: the button's signature cannot be checked"
  assert {
    condition = local.button.present && local.button_payload != "" && local.button_signature != ""
    message   = "The button on ${local.page.source} has no literal payloadJSON string and signature to check (line ${local.button.line}): audit the rendered page, whose payload is a string."
  }
  assert {
    condition = local.button_payload == "" || local.button_signature == "" || local.signature_ok
    message   = "The button's signature on ${local.page.source} (line ${local.button.line}) does not verify with ${coalesce(var.private_key_file, "-")} over its payloadJSON: the checkout fails with a signature error. Sign the exact payload string the page sends, with the key pair of publicKeyId ${local.button.public_key_id}."
    evidence  = [{ source = local.page.source, line = local.button.line, detail = "signature ${substr(local.button_signature, 0, 12)}…" }]
  }
  pass_message = "The payloadJSON signature on ${local.page.source} verifies with ${coalesce(var.private_key_file, "-")}."
}

step "return_urls_https" {
  title      = "Return URLs are https"
  severity   = "high"
  tags       = ["engineering"]
  references = ["https://developer.amazon.com/docs/amazon-pay-api-v2/checkout-session.html"]
  assert {
    condition = length(local.insecure_return_urls) == 0
    message   = "Return URL ${local.insecure_return_urls[0].url} at ${local.insecure_return_urls[0].file}:${local.insecure_return_urls[0].line} is not https: Amazon Pay only returns buyers to https pages."
    evidence  = [for u in local.insecure_return_urls : { source = u.file, line = u.line, detail = u.url }]
  }
  pass_message = "${length(local.return_urls)} return URL(s), all https."
}

step "currency_matches_region" {
  title       = "The ledger currency matches the region"
  description = "The ledger currency is the one Amazon Pay pays out in (USD, EUR or GBP, JPY); EU and UK accounts may charge buyers in other presentment currencies with multi-currency checkout."
  severity    = "high"
  tags        = ["finance"]
  references  = ["https://developer.amazon.com/docs/amazon-pay-checkout/multi-currency-integration.html"]
  assert {
    condition = length(local.wrong_currency) == 0
    message   = "Currency ${local.wrong_currency[0].code} at ${local.wrong_currency[0].file}:${local.wrong_currency[0].line} is not a ledger currency of region ${var.region} (${join(" or ", local.currencies)})."
    evidence  = [for c in local.wrong_currency : { source = c.file, line = c.line, detail = c.code }]
  }
  assert {
    condition = length(local.wrong_presentment) == 0
    message   = length(local.presentment_currencies) == 0 ? "Presentment currency ${local.wrong_presentment[0].code} at ${local.wrong_presentment[0].file}:${local.wrong_presentment[0].line}: multi-currency checkout is for EU and UK accounts only; region ${var.region} charges in ${join(" or ", local.currencies)}." : "Presentment currency ${local.wrong_presentment[0].code} at ${local.wrong_presentment[0].file}:${local.wrong_presentment[0].line} is not one multi-currency checkout supports (${join(", ", local.presentment_currencies)})."
    evidence  = [for c in local.wrong_presentment : { source = c.file, line = c.line, detail = "presentment ${c.code}" }]
  }
  pass_message = "${length(local.currencies_met) == 0 ? "No ledger currency set explicitly" : "Ledger currency ${local.currencies_met[0].code}"}${length(local.presentment_settings) == 0 ? "" : ", presentment ${join(", ", distinct([for c in local.presentment_settings : c.code]))}"}."
}

step "private_key_protected" {
  title       = "The private key is not committed nor served"
  severity    = "critical"
  tags        = ["security"]
  references  = ["https://developer.amazon.com/docs/amazon-pay-checkout/get-set-up-for-integration.html#5-get-your-public-key-id"]
  when        = length(var.source_dirs) > 0
  skip_reason = "no source_dirs declared: nothing to search for private keys"
  assert {
    condition = length(local.exposed_keys) == 0
    message   = "A private key lies under a web root at ${local.exposed_keys[0].file}:${local.exposed_keys[0].line}, where anyone can download it: remove it, revoke it in Seller Central and create a new key pair."
    evidence  = [for k in local.exposed_keys : { source = k.file, line = k.line, detail = k.type }]
  }
  assert {
    condition = length(local.committed_keys) == 0
    message   = "A private key is committed in the source tree at ${local.committed_keys[0].file}:${local.committed_keys[0].line}: load it from a secret store and remove it from the repository."
    evidence  = [for k in local.committed_keys : { source = k.file, line = k.line, detail = k.type }]
  }
  pass_message = "No private key in ${join(", ", var.source_dirs)}."
}

step "ipn_endpoint" {
  title       = "The IPN endpoint is https and acknowledges notifications"
  description = "Checkout v2 notifications carry no state: a handler must read ObjectType and ObjectId and fetch the object (Get Charge, Get Refund, Get Charge Permission) before acting, so an unsigned message cannot change an order by itself. What the endpoint must do is answer: Amazon Pay posts a text/plain SNS envelope and retries when it gets no 2xx. The audit posts a well-formed notification (NotificationVersion V2) for an object that does not exist; the endpoint must answer it without a server error (2xx, or 4xx when it checks the SNS signature) and within the timeout."
  severity    = "high"
  tags        = ["engineering"]
  references  = ["https://developer.amazon.com/docs/amazon-pay-checkout/set-up-instant-payment-notifications.html"]
  when        = var.webhook_url != null
  skip_reason = "no IPN endpoint declared: order state must be polled"
  assert {
    condition = probe.webhook.ipn.https
    message   = "The IPN endpoint ${probe.webhook.ipn.url} is not https: Amazon Pay only notifies https endpoints."
  }
  assert {
    condition = probe.webhook.ipn.answered
    message   = "The IPN endpoint ${probe.webhook.ipn.url} does not answer (${probe.webhook.ipn.error}): notifications would be retried, then lost."
  }
  assert {
    condition = !probe.webhook.ipn.answered || probe.webhook.ipn.status < 500
    message   = "The IPN endpoint ${probe.webhook.ipn.url} fails on a notification for an unknown object (HTTP ${probe.webhook.ipn.status}): fetch the object the message names (Get Charge…) and acknowledge even when it is not one of yours; a 5xx makes Amazon Pay retry and then drop the notifications."
  }
  pass_message = "${probe.webhook.ipn.url} acknowledged a Checkout v2 notification for an unknown object with HTTP ${probe.webhook.ipn.status}."
}

step "javascript_origins_registered" {
  title       = "The shop's JavaScript origins and return URLs are registered and verified in Seller Central"
  description = "Add every production origin (https://shop.example, each domain and subdomain the button renders on), the return URLs and the privacy-policy URL to the Store ID configuration in Seller Central (Integration Central). Amazon Pay reviews them: verification can take up to 48 hours, and the button fails on an origin that is not verified, so register them at least two days before launch."
  severity    = "high"
  tags        = ["operations"]
  references  = ["https://pay.amazon.eu/help/202153200", "https://developer.amazon.com/docs/amazon-pay-checkout/get-set-up-for-integration.html"]
  manual      = true
}

step "production_ipn_url_registered" {
  title       = "The production IPN URL is set in Seller Central"
  description = "Seller Central keeps separate IPN endpoints for Production and Sandbox (the environment menu at the top): set the production one to this integration's endpoint under Settings → Integration Settings → Instant Notifications. Without it no production notification arrives."
  severity    = "high"
  tags        = ["operations"]
  references  = ["https://developer.amazon.com/docs/amazon-pay-checkout/set-up-instant-payment-notifications.html", "https://pay.amazon.eu/help/202153200"]
  when        = var.webhook_url != null
  skip_reason = "no IPN endpoint declared: order state must be polled"
  manual      = true
}

step "sandbox_tests_passed" {
  title      = "The sandbox test scenarios passed"
  severity   = "high"
  tags       = ["engineering"]
  references = ["https://developer.amazon.com/docs/amazon-pay-checkout/testing.html"]
  manual     = true
}

step "production_transaction_validated" {
  title      = "A production transaction was validated in Seller Central"
  severity   = "critical"
  tags       = ["operations"]
  references = ["https://pay.amazon.com/help/201212390"]
  manual     = true
}

