# PCI DSS v4.0.1 scope rules for e-commerce payment pages.
#
# Which self-assessment questionnaire (SAQ) applies decides how many
# requirements are in scope, so it is determined first, from the page itself
# and from what the scanner finds in code and logs:
#   D    card fields post to the merchant's own origin, or card numbers are
#        stored in the merchant's code, data or logs;
#   A-EP the merchant's page renders card fields but sends them straight to a
#        PCI DSS validated provider (direct post or the provider's script);
#   A    every payment element comes from the provider (redirect or the
#        provider's iframe) and no card data is stored.
# A static reading of a page whose content scripts may build cannot decide:
# the SAQ is then undetermined, never A. The page is best read by the
# browser engine (headless Chromium), which sees what the scripts built.
#
# Each step names the SAQs it belongs to (PCI DSS v4.0.1 and the SAQ
# instructions of April 2025); outside the determined SAQ it is skipped.
# Provider hosts are a variable: extend them with extra_provider_hosts.

checklist "pci-dss" {
  title       = "PCI DSS v4.0.1 scope and payment page controls"
  description = "Determines the SAQ (A, A-EP, D) from the payment page and the card data found, then checks the requirements that follow."
}

variable "checkout_page" {
  type        = string
  description = "The payment page: an https URL or a built HTML file."
}

variable "source_dirs" {
  type        = list(string)
  default     = ["."]
  description = "Code and data folders swept for card numbers and live secrets."
}

variable "log_dirs" {
  type        = list(string)
  default     = []
  description = "Log and export folders swept for card numbers (archives, compressed files, office documents, PDFs and binaries read too)."
}

variable "exclude" {
  type        = list(object({ pattern = string, reason = string }))
  default     = []
  description = "Paths deliberately left out of the card and secret sweep, each with its reason (shown in every report): a doublestar pattern relative to the integration file's folder, or a name (node_modules)."
}

variable "merchant_file" {
  type        = string
  default     = null
  description = "Merchant profile listing service providers and their AOC dates (12.8.4)."
}

variable "script_allowlist" {
  type    = any
  default = []
  # In audit.hcl, entries may also be blocks of the use block:
  #   script "https://js.stripe.com/v3/" { reason = "…" dynamic = true }
  block       = "script"
  description = "Authorised scripts (6.4.3), each a string or { script = \"…\", reason = \"why it is needed\", dynamic = true (the provider changes it in place), integrity = \"sha384-…\" (pinned) }, or in a use block a script \"…\" { reason = \"…\" } block. A script is a host (js.stripe.com: any https URL on exactly that host), an https origin or URL (that origin; that path, or below a path ending in /), a path of the merchant's origin (/assets/app.js), an inline hash (sha256-…), or an inline script whose code changes per request, named by its id or a data attribute (inline#state, inline[data-role=state], dynamic = true) or by its code with declared variable parts (script = \"inline\", code = \"window.csrf = '{{token}}';\", parts = { token = \"[0-9a-f]{32}\" }). URLs are compared resolved: no prefix or dot-segment tricks."
}

variable "provider_hosts" {
  type        = list(string)
  description = "Hosts of PCI DSS validated payment providers that have no provider pack (checkout pages, iframes, scripts); every pack's script, iframe, checkout and SDK hosts are added to them."
  default = [
    "secure.checkout.com", "cdn.checkout.com", "js.squareup.com", "web.squarecdn.com",
  ]
}

variable "extra_redirect_script_hosts" {
  type        = list(string)
  default     = []
  description = "Script hosts of providers without a pack whose script only sends the buyer to the provider's own pages (a JavaScript redirect, PCI SSC FAQ 1588), added to the packs' redirect endpoints: such a page embeds no payment form."
}

variable "merchant_hosts" {
  type        = list(string)
  default     = []
  description = "The merchant's own hosts besides the payment page's origin (its API, a checkout subdomain): card fields posting there, and typed card data sent there, are the merchant's (SAQ D), never taken for a skimmer's."
}

variable "extra_provider_hosts" {
  type        = list(string)
  default     = []
  description = "More provider hosts, added to provider_hosts."
}

probe "page" "checkout" {
  source           = var.checkout_page
  script_allowlist = var.script_allowlist
  track_changes    = true
}

probe "tls" "checkout" {
  enabled = startswith(lower(var.checkout_page), "https://")
  url     = var.checkout_page
}

probe "scan" "code" {
  paths   = var.source_dirs
  exclude = var.exclude
}

probe "scan" "logs" {
  enabled = length(var.log_dirs) > 0
  paths   = var.log_dirs
  exclude = var.exclude
}

probe "merchant" "profile" {
  enabled = var.merchant_file != null
  file    = var.merchant_file
}

locals {
  page   = probe.page.checkout
  is_url = startswith(lower(var.checkout_page), "https://") || startswith(lower(var.checkout_page), "http://")
  # The hosts buyers' browsers meet (scripts, iframes, hosted pages) of
  # every provider pack, exact names only.
  pack_hosts = flatten([for p in provider : [for e in p.endpoints : [for h in e.hosts : h if replace(h, "*", "") == h]
  if contains(["script", "redirect", "iframe", "checkout", "sdk"], e.purpose)]])
  providers = distinct(concat(local.pack_hosts, var.provider_hosts, var.extra_provider_hosts, var.extra_redirect_script_hosts))
  # Scripts that only send the buyer to the provider's pages (the packs'
  # redirect endpoints): a page with only these embeds no payment form.
  redirect_hosts = distinct(concat(flatten([for p in provider : [for e in p.endpoints : [for h in e.hosts : h if replace(h, "*", "") == h]
  if e.purpose == "redirect"]]), var.extra_redirect_script_hosts))

  provider_iframes = [for f in local.page.iframes : f if contains(local.providers, lower(f.host))]
  provider_scripts = [for s in local.page.scripts : s if !s.inline && contains(local.providers, lower(s.host))]
  embeds_provider  = length(local.provider_iframes) > 0 || length([for s in local.provider_scripts : s if !contains(local.redirect_hosts, lower(s.host))]) > 0
  runnable         = [for s in local.page.scripts : s if contains(["", "module", "text/javascript", "application/javascript", "application/ecmascript", "text/ecmascript"], lower(trimspace(s.type)))]
  # Scripts of the merchant or of third parties (not a listed provider):
  # any may build card fields or send them, which a static reading cannot see.
  builders     = [for s in local.runnable : s if s.inline || !contains(local.providers, lower(s.host))]
  static_blind = local.page.engine == "static" && length(local.builders) > 0
  card_fields  = local.page.card_fields
  # A field is sent with its form only when it has a name: tokenising
  # scripts (Stripe.js v2, Braintree) leave card inputs unnamed on purpose.
  card_forms     = [for f in local.page.forms : f if anytrue([for i in f.inputs : i.card_field && i.name != ""])]
  merchant_hosts = [for h in var.merchant_hosts : lower(h)]
  merchant_posts = [for f in local.card_forms : f if f.posts_to_merchant || contains(local.merchant_hosts, lower(f.action_host))]
  # A post to a host that is neither the merchant's nor a listed provider
  # (an undeclared API host, an unlisted gateway) cannot be taken as A-EP.
  unknown_posts = [for f in local.card_forms : f if !f.posts_to_merchant && !contains(local.merchant_hosts, lower(f.action_host)) && !contains(local.providers, lower(f.action_host))]
  # Such a card form that the page as received does not have — a script
  # built it, or changed where it posts — is a form-jacker's: where card
  # data goes, as a request carrying it would be (card_data_destinations).
  jacked_forms = [for f in local.unknown_posts : f if f.built]
  # Card fields no form sends (outside any form, or unnamed inputs) and no
  # provider script tokenises: the merchant's own code sends them, to the
  # merchant (D) or a provider (A-EP), which the page does not show until
  # someone pays.
  # In the browser a test card number is typed into the page's fields
  # (and Pay pressed, offline and on local pages): the requests that carry
  # it show where card data goes. To the merchant's origin: SAQ D; to a
  # host neither the merchant's nor a provider's: a skimmer, or an
  # unlisted gateway (D, and card_data_destinations fails); only to a
  # provider: the fields no form sends are routed (A-EP).
  card_requests    = [for r in local.page.requests : r if r.carries_card]
  card_to_merchant = [for r in local.card_requests : r if r.same_origin || contains(local.merchant_hosts, lower(r.host))]
  card_leaks       = [for r in local.card_requests : r if !r.same_origin && !contains(local.merchant_hosts, lower(r.host)) && !contains(local.providers, lower(r.host))]
  card_to_provider = [for r in local.card_requests : r if !r.same_origin && contains(local.providers, lower(r.host))]
  # A WebSocket to such a host that was held back offline: what its frames
  # would carry cannot be seen (an HTTP request shows its body even when
  # blocked; a socket that never opens sends no frame).
  unseen_sockets = [for r in local.page.requests : r if r.type == "websocket" && r.blocked == "offline" && !contains(local.merchant_hosts, lower(r.host)) && !contains(local.providers, lower(r.host))]
  unrouted       = length(local.card_fields) > 0 && length(local.card_forms) == 0 && length(local.provider_scripts) == 0 && length(local.card_to_provider) == 0

  # A folder under both source_dirs and log_dirs is read by both probes:
  # each finding counts once.
  stored = distinct(concat(
    [for p in probe.scan.code.live_pans : p],
    length(var.log_dirs) > 0 ? [for p in probe.scan.logs.live_pans : p] : [],
  ))

  stored_sad = distinct(concat(
    [for p in probe.scan.code.live_sad : p],
    length(var.log_dirs) > 0 ? [for p in probe.scan.logs.live_sad : p] : [],
  ))

  saq = (length(local.merchant_posts) > 0 || length(local.unknown_posts) > 0 || length(local.stored) > 0 || length(local.card_to_merchant) > 0 || length(local.card_leaks) > 0 ? "D"
    : local.static_blind || local.unrouted ? "undetermined"
  : length(local.card_fields) > 0 ? "A-EP" : "A")

  reasons = local.saq == "undetermined" && local.static_blind ? [
    "the page was read statically (no Chromium) and ${length(local.builders)} script(s) may build its content, first ${local.builders[0].inline ? "an inline script at ${local.page.source}:${local.builders[0].line}" : local.builders[0].url}: card fields a script builds, and where it sends them, are invisible without running it; install Chromium (scripts/setup.sh) or run with --engine browser",
    ] : concat(
    [for f in local.merchant_posts : "card fields post to the merchant's own origin (form action \"${f.action}\" at ${local.page.source}:${f.line})" if f.posts_to_merchant],
    [for f in local.merchant_posts : "card fields post to the merchant's own host ${f.action_host} (form action \"${f.action}\" at ${local.page.source}:${f.line})" if !f.posts_to_merchant],
    [for f in local.unknown_posts : "card fields post to ${f.action_host}, not a listed PCI DSS validated provider (form action \"${f.action}\" at ${local.page.source}:${f.line}); if it is one, add it to extra_provider_hosts, if it is the merchant's own, to merchant_hosts"],
    [for p in local.stored : "a card number ${p.masked} is stored at ${p.file}:${p.line}"],
    [for r in slice(local.card_to_merchant, 0, min(1, length(local.card_to_merchant))) : "a card number typed into the page is sent to the merchant's own origin (${upper(r.method)} ${r.url}${r.injected_by != "" ? ", by ${r.injected_by}" : ""})"],
    [for r in slice(local.card_leaks, 0, min(1, length(local.card_leaks))) : "a card number typed into the page is sent to ${r.host}, neither the merchant's origin nor a listed provider (${upper(r.method)} ${r.url}${r.injected_by != "" ? ", by ${r.injected_by}" : ""})"],
    length(local.merchant_posts) + length(local.unknown_posts) + length(local.card_to_merchant) + length(local.card_leaks) == 0 && length(local.card_fields) > 0 ? (
      length(local.provider_scripts) > 0
      ? ["card fields are built by the merchant's page (${local.card_fields[0].name} at ${local.page.source}:${local.card_fields[0].line}) and sent to the provider by ${local.provider_scripts[0].host}"]
      : length(local.card_to_provider) > 0
      ? ["card fields are built by the merchant's page (${local.card_fields[0].name} at ${local.page.source}:${local.card_fields[0].line}) and a card number typed into them is sent to the provider ${local.card_to_provider[0].host} only"]
      : local.unrouted
      ? ["card fields are built by the merchant's page (${local.card_fields[0].name} at ${local.page.source}:${local.card_fields[0].line}) but no form sends them (${local.card_fields[0].form_action != "" ? "their inputs have no name" : "they are outside any form"}) and no provider script is recognised: the page's own code sends them, to the merchant (SAQ D) or to a provider (A-EP), which cannot be seen before someone pays; if a provider's script tokenises them, add its host to extra_provider_hosts"]
      : ["card fields are built by the merchant's page (${local.card_fields[0].name} at ${local.page.source}:${local.card_fields[0].line}) and posted straight to ${local.card_fields[0].form_action}"]
    ) : [],
    length(local.card_fields) == 0 && length(local.stored) == 0 ? (
      length(local.provider_iframes) > 0
      ? ["card data is entered in the provider's iframe (${local.provider_iframes[0].host}) and no card number was found stored"]
      : length(local.provider_scripts) > 0
      ? ["payment is handed to the provider (${join(", ", distinct([for s in local.provider_scripts : s.host]))}) and the page has no card field; no card number was found stored"]
      : ["the page has no card field and no card number was found stored: payment happens on the provider's pages"]
    ) : [],
    local.page.engine == "browser" ? ["read as a browser runs it (${length(local.page.scripts)} script(s), ${length(local.page.frames)} frame(s))"] : [],
  )

  # 6.4.3: scripts and whether each is authorised, matched by resolved URL
  # (the page probe applies script_allowlist). A script the CSP stopped
  # never runs in any browser; one stopped offline would run online.
  inventory = [for s in local.page.scripts : {
    name       = s.inline ? s.sha256 : s.url
    host       = s.host
    line       = s.line
    inline     = s.inline
    third      = !s.inline && !s.same_origin
    provider   = !s.inline && contains(local.providers, lower(s.host))
    integrity  = s.integrity != ""
    authorised = s.authorised
    reason     = s.reason
    dynamic    = s.dynamic
    injected   = s.injected_by
    blocked    = s.blocked
  } if s.blocked != "csp"]
  unauthorised = [for s in local.inventory : s if !s.authorised]
  unjustified  = [for s in local.inventory : s if s.authorised && s.reason == ""]
  # Providers such as Stripe forbid pinning their scripts (they update them in
  # place), so integrity is required of other third-party scripts only.
  unpinned = [for s in local.inventory : s if s.third && !s.provider && !s.integrity]
  tampered = [for s in local.inventory : s if s.blocked == "integrity mismatch"]
  # SAQ A's script criterion (FAQ 1588: techniques such as 6.4.3's): every
  # script but the providers' — the merchant's own and inline ones too, a
  # compromised first-party bundle being the usual skimmer — authorised
  # with a written reason, third-party ones pinned unless they change in place.
  unprotected      = [for s in local.inventory : s if !s.provider && (!s.authorised || s.reason == "")]
  unpinned_foreign = [for s in local.inventory : s if s.third && !s.provider && !s.integrity && !s.dynamic]

  csp        = local.page.csp
  script_src = local.csp.script_src
  page_host  = local.is_url ? lower(split("/", split("://", local.page.url)[1])[0]) : ""
  # Script hosts the CSP allows beyond the merchant's own and the providers'.
  csp_foreign_hosts = [for h in local.csp.script_hosts : h if !contains(local.providers, h) && h != local.page_host && !(local.page_host != "" && startswith(h, "${local.page_host}:"))]
  csp_limits_scripts = (local.csp.present && !local.csp.report_only && local.csp.restricts_scripts
  && (local.csp.strict_dynamic || length(local.csp_foreign_hosts) == 0))

  # 11.6.1: what changed since the baseline, and what the allowlist covers.
  changes              = local.page.baseline.changes
  unauthorised_changes = [for c in local.changes : c if !c.authorised]

  # Transport: the page and every hop before it on https.
  http_hops = [for u in local.page.redirects : u if startswith(lower(u), "http://")]

  # 3.4.1: masked card numbers showing more than first six / last four.
  overexposed = distinct(concat(
    [for m in probe.scan.code.masked_pans : m if !m.compliant],
    length(var.log_dirs) > 0 ? [for m in probe.scan.logs.masked_pans : m if !m.compliant] : [],
  ))
  masked_seen = length(probe.scan.code.masked_pans) + (length(var.log_dirs) > 0 ? length(probe.scan.logs.masked_pans) : 0)

  aoc_stale = var.merchant_file == null ? [] : [for sp in probe.merchant.profile.service_providers : sp if days_until(sp.aoc_date) < -365]
}

scope {
  saq     = local.saq
  reasons = local.reasons
  step    = "saq_scope" # an undetermined SAQ makes it an error, never a pass
}

step "saq_scope" {
  title      = "Self-assessment questionnaire determined"
  severity   = "high"
  tags       = ["security"]
  references = ["PCI DSS v4.0.1 SAQ A, A-EP and D eligibility criteria (April 2025)"]
  saq        = ["A", "A-EP", "D"]
  assert {
    condition = local.saq != "undetermined"
    message   = "The SAQ cannot be determined: ${join("; ", local.reasons)}."
  }
  pass_message = "SAQ ${local.saq}: ${join("; ", local.reasons)}."
  evidence     = concat([for f in concat(local.merchant_posts, local.unknown_posts) : { source = local.page.source, line = f.line, detail = "form posts card data to ${f.action}" }], [for p in local.stored : { source = p.file, line = p.line, detail = "stored ${p.brand} ${p.masked}" }], [for c in local.card_fields : { source = local.page.source, line = c.line, detail = "card field ${c.name}${c.frame != "" ? " in frame ${c.frame}" : ""}" }])
}

step "payment_page_https" {
  title            = "The payment page is served over https, and no redirect goes through http"
  severity         = "critical"
  tags             = ["security"]
  references       = ["PCI DSS v4.0.1 4.2.1", "PCI DSS v4.0.1 SAQ A eligibility criteria (the page that embeds or redirects to the provider)"]
  saq              = ["A", "A-EP", "D"]
  checkable        = startswith(lower(var.checkout_page), "https://") || startswith(lower(var.checkout_page), "http://")
  unchecked_reason = "checkout_page is a local file: how it is served can only be checked on its URL"
  assert {
    condition = startswith(lower(local.page.url), "https://")
    message   = "The payment page is served over plain http (${local.page.url}): anyone on the path can replace the provider's form or add a skimmer. Serve it over https only."
  }
  assert {
    condition = length(local.http_hops) == 0
    message   = "Reaching the payment page goes through http (${join(" → ", local.page.redirects)}): redirect to https first and never back."
    evidence  = [for u in local.http_hops : { source = local.page.source, detail = "http hop ${u}" }]
  }
  pass_message = "${local.page.url} over https${length(local.page.redirects) > 1 ? " (every redirect on https)" : ""}."
}

step "no_stored_pan" {
  title      = "No card number is stored in code, data or logs"
  severity   = "critical"
  tags       = ["security"]
  references = ["PCI DSS v4.0.1 3.2.1", "PCI DSS v4.0.1 3.5.1"]
  saq        = ["A", "A-EP", "D"]
  assert {
    condition = length(local.stored) == 0
    message   = "${length(local.stored)} card number(s) found, first ${local.stored[0].masked} at ${local.stored[0].file}:${local.stored[0].line}: delete them, stop the code path that writes them, and treat these systems as cardholder-data environment until then."
    evidence  = [for p in local.stored : { source = p.file, line = p.line, detail = "${p.brand} ${p.masked}" }]
  }
  # 3.3.1: track data and verification codes may never be kept after
  # authorisation, not even encrypted.
  assert {
    condition = length(local.stored_sad) == 0
    message   = "${length(local.stored_sad)} piece(s) of sensitive authentication data found, first ${local.stored_sad[0].kind} ${local.stored_sad[0].masked} at ${local.stored_sad[0].file}:${local.stored_sad[0].line}: track data and CVVs must never be stored after authorisation (3.3.1)."
    evidence  = [for p in local.stored_sad : { source = p.file, line = p.line, detail = "${p.kind} of a ${p.brand} card ${p.masked}" }]
  }
  pass_message = "No live card number in ${join(", ", concat(var.source_dirs, var.log_dirs))} (${probe.scan.code.files_scanned} files swept)."
}
step "pan_masking" {
  title      = "Card numbers appear masked to first six / last four at most"
  severity   = "high"
  tags       = ["security"]
  references = ["PCI DSS v4.0.1 3.4.1"]
  saq        = ["A", "A-EP", "D"]
  assert {
    condition = length(local.stored) == 0
    message   = "Card numbers appear in full (first ${local.stored[0].masked} at ${local.stored[0].file}:${local.stored[0].line}): mask them to first six / last four at most before they are written or shown."
    evidence  = [for p in local.stored : { source = p.file, line = p.line, detail = "full card number ${p.masked}" }]
  }
  assert {
    condition = length(local.overexposed) == 0
    message   = "${length(local.overexposed)} masked card number(s) show more than the first six and last four digits, first at ${local.overexposed[0].file}:${local.overexposed[0].line} (${local.overexposed[0].visible_first} leading + ${local.overexposed[0].visible_last} trailing digits visible; ${local.overexposed[0].masked} once masked properly): mask to first six / last four at most."
    evidence  = [for m in local.overexposed : { source = m.file, line = m.line, detail = "${m.visible_first}+${m.visible_last} digits visible, should read ${m.masked}" }]
  }
  pass_message = "No card number shows more than its first six and last four digits (${local.masked_seen} masked number(s) seen, all compliant)."
}

step "no_live_secrets_in_source" {
  title    = "No live secret or private key in source"
  severity = "critical"
  tags     = ["security"]
  # 8.6.2 is an A-EP and D requirement; a live key in source is a breach
  # path whatever the SAQ, so the step stays in all three.
  references = ["PCI DSS v4.0.1 8.3.2", "PCI DSS v4.0.1 8.6.2"]
  saq        = ["A", "A-EP", "D"]
  assert {
    condition = length(probe.scan.code.live_secrets) == 0
    message   = "${length(probe.scan.code.live_secrets)} live secret(s) in source, first ${probe.scan.code.live_secrets[0].kind} ${probe.scan.code.live_secrets[0].masked} at ${probe.scan.code.live_secrets[0].file}:${probe.scan.code.live_secrets[0].line}: revoke it and load it from a secret store."
    evidence  = [for s in probe.scan.code.live_secrets : { source = s.file, line = s.line, detail = "${s.kind} ${s.masked}" }]
  }
  pass_message = "No live secret in ${join(", ", var.source_dirs)}."
}

step "tls_strong" {
  title    = "The payment page's host accepts only strong TLS"
  severity = "high"
  tags     = ["security"]
  # In SAQ A too: weak TLS on the page that frames or redirects to the
  # provider lets an attacker rewrite it (SAQ A eligibility, FAQ 1588).
  references       = ["PCI DSS v4.0.1 4.2.1", "PCI SSC FAQ 1588 (SAQ A: the merchant's page must not be open to script attacks)"]
  saq              = ["A", "A-EP", "D"]
  checkable        = startswith(lower(var.checkout_page), "https://")
  unchecked_reason = "checkout_page is not an https URL: TLS can only be checked on a served page"
  assert {
    condition = !probe.tls.checkout.versions.tls1_0 && !probe.tls.checkout.versions.tls1_1
    message   = "${probe.tls.checkout.host} still accepts ${probe.tls.checkout.versions.tls1_0 ? "TLS 1.0" : "TLS 1.1"}: disable TLS 1.0 and 1.1."
  }
  assert {
    condition = probe.tls.checkout.strong
    message   = "${probe.tls.checkout.host} negotiates ${probe.tls.checkout.negotiated} with ${probe.tls.checkout.cipher_suite}, not a strong suite${length(probe.tls.checkout.weak_ciphers) > 0 ? " (accepts ${join(", ", probe.tls.checkout.weak_ciphers)})" : ""}."
  }
  pass_message = "${probe.tls.checkout.host}: ${probe.tls.checkout.negotiated}, ${probe.tls.checkout.cipher_suite}; TLS 1.0/1.1 refused."
}

step "certificate_valid" {
  title            = "The payment page's certificate is trusted and not about to expire"
  severity         = "high"
  tags             = ["security"]
  references       = ["PCI DSS v4.0.1 4.2.1", "PCI SSC FAQ 1588 (SAQ A: the merchant's page must not be open to script attacks)"]
  saq              = ["A", "A-EP", "D"]
  checkable        = startswith(lower(var.checkout_page), "https://")
  unchecked_reason = "checkout_page is not an https URL: there is no certificate to check"
  assert {
    condition = probe.tls.checkout.certificate.verified
    message   = "The certificate of ${probe.tls.checkout.host} is not trusted: ${probe.tls.checkout.certificate.verify_error}."
  }
  assert {
    condition = probe.tls.checkout.certificate.hostname_ok
    message   = "The certificate of ${probe.tls.checkout.host} does not name that host (it names ${join(", ", probe.tls.checkout.certificate.dns_names)})."
  }
  assert {
    condition = probe.tls.checkout.certificate.days_remaining >= 30
    message   = "The certificate of ${probe.tls.checkout.host} ${probe.tls.checkout.certificate.days_remaining < 0 ? "expired ${abs(probe.tls.checkout.certificate.days_remaining)} day(s) ago" : "expires in ${probe.tls.checkout.certificate.days_remaining} day(s)"} (${probe.tls.checkout.certificate.not_after}): renew it."
  }
  pass_message = "Trusted certificate from ${probe.tls.checkout.certificate.issuer}, ${probe.tls.checkout.certificate.days_remaining} days left."
}

step "hsts" {
  title            = "HSTS is set for at least a year, with subdomains"
  severity         = "medium"
  tags             = ["security"]
  references       = ["RFC 6797 (hardening: HSTS is not itself a PCI DSS requirement)"]
  checkable        = startswith(lower(var.checkout_page), "https://")
  unchecked_reason = "checkout_page is not an https URL: response headers can only be checked on a served page"
  assert {
    condition = local.page.hsts.present
    message   = "${local.page.url} sends no Strict-Transport-Security header: add max-age=31536000; includeSubDomains."
  }
  assert {
    condition = !local.page.hsts.present || local.page.hsts.max_age >= 31536000
    message   = "HSTS max-age on ${local.page.url} is ${local.page.hsts.max_age} s, under a year (31536000)."
  }
  assert {
    condition = !local.page.hsts.present || local.page.hsts.include_subdomains
    message   = "HSTS on ${local.page.url} lacks includeSubDomains."
  }
  pass_message = "max-age=${local.page.hsts.max_age}; includeSubDomains."
}

step "content_security_policy" {
  title            = "An enforced Content-Security-Policy limits scripts and framing"
  severity         = "high"
  tags             = ["security"]
  references       = ["PCI DSS v4.0.1 6.4.3 (authorising scripts)", "PCI DSS v4.0.1 11.6.1 (guidance: CSP as a tamper-detection aid)"]
  saq              = ["A-EP", "D"]
  checkable        = startswith(lower(var.checkout_page), "https://") || startswith(lower(var.checkout_page), "http://")
  unchecked_reason = "checkout_page is a local file: the policy is a response header of the served page"
  assert {
    condition = local.csp.present && !local.csp.report_only
    message   = "${local.page.url} sends no enforced Content-Security-Policy${local.csp.report_only ? " (only Report-Only)" : ""}: add one with script-src and frame-ancestors."
  }
  assert {
    condition = !local.csp.present || local.csp.report_only || local.csp.restricts_scripts
    message   = "The CSP of ${local.page.url} does not limit scripts: ${join("; ", local.csp.weaknesses)}."
  }
  assert {
    condition = !local.csp.present || local.csp.report_only || length(local.csp.frame_ancestors) > 0
    message   = "${local.page.url} sets no frame-ancestors in a Content-Security-Policy header${local.csp.source == "meta" ? " (browsers ignore frame-ancestors in <meta>)" : ""}: the payment page can be framed by any site."
  }
  pass_message = "script-src ${join(" ", local.script_src)}; frame-ancestors ${join(" ", local.csp.frame_ancestors)} (${local.csp.source})."
}

step "script_inventory" {
  title      = "Every script on the payment page is inventoried, justified and pinned"
  severity   = "high"
  tags       = ["security"]
  references = ["PCI DSS v4.0.1 6.4.3"]
  saq        = ["A-EP", "D"]
  assert {
    condition = length(local.unauthorised) == 0
    message   = "${length(local.unauthorised)} script(s) on ${local.page.source} are not in script_allowlist, first ${local.unauthorised[0].name}${local.unauthorised[0].host != "" ? " from ${local.unauthorised[0].host}" : ""}${local.unauthorised[0].injected != "" ? " (injected by ${local.unauthorised[0].injected})" : ""}${local.unauthorised[0].blocked == "offline" ? " (blocked offline: it would run online)" : ""}: inventory and authorise each script, with a written reason."
    evidence  = [for s in local.unauthorised : { source = local.page.source, line = s.line, detail = "unauthorised ${s.inline ? "inline script" : "script"} ${s.name}${s.injected != "" ? " injected by ${s.injected}" : ""}${s.blocked != "" ? " (${s.blocked})" : ""}" }]
  }
  assert {
    condition = length(local.unjustified) == 0
    message   = "${length(local.unjustified)} authorised script(s) have no written justification, first ${local.unjustified[0].name}: give each allowlist entry a reason (script \"…\" { reason = \"…\" } in the use block, or { script = \"…\", reason = \"…\" })."
    evidence  = [for s in local.unjustified : { source = local.page.source, line = s.line, detail = "no reason: ${s.name}" }]
  }
  assert {
    condition = length(local.unpinned) == 0
    message   = "${length(local.unpinned)} third-party script(s) on ${local.page.source} have no integrity attribute, first ${local.unpinned[0].name}: add a subresource-integrity hash."
    evidence  = [for s in local.unpinned : { source = local.page.source, line = s.line, detail = "no integrity: ${s.name}" }]
  }
  assert {
    condition = length(local.tampered) == 0
    message   = "The browser refused ${local.tampered[0].name}: what it received does not match its integrity attribute (changed or tampered)."
    evidence  = [for s in local.tampered : { source = local.page.source, line = s.line, detail = "integrity mismatch: ${s.name}" }]
  }
  evidence     = [for s in local.inventory : { source = local.page.source, line = s.line, detail = "${s.authorised ? "authorised" : "NOT authorised"}${s.integrity ? ", integrity" : ""}: ${s.name}${s.reason != "" ? " — ${s.reason}" : ""}" }]
  pass_message = "${length(local.inventory)} script(s), all authorised with a reason${local.page.engine == "browser" ? ", as the browser ran them" : ""}."
}

step "page_change_detection" {
  title      = "Changes to the payment page as received are detected"
  severity   = "high"
  tags       = ["security"]
  references = ["PCI DSS v4.0.1 11.6.1"]
  saq        = ["A-EP", "D"]
  attestable = true # a change- and tamper-detection tool in place, attested
  assert {
    condition = local.page.baseline.tracked
    message   = "No change detection: run audit run --baseline FILE at least weekly (it records the page's scripts, hashes and security headers, then reports what changed), or attest the tamper-detection mechanism in place."
  }
  assert {
    condition = length(local.unauthorised_changes) == 0
    message   = "${length(local.unauthorised_changes)} change(s) to ${local.page.source} since the baseline of ${local.page.baseline.since} are not covered by script_allowlist, first ${local.unauthorised_changes[0].kind} ${local.unauthorised_changes[0].item} (${local.unauthorised_changes[0].detail}): investigate; once authorised, list it and record a new baseline."
    evidence  = [for c in local.unauthorised_changes : { source = local.page.baseline.file, detail = "${c.kind} ${c.item}: ${c.detail}" }]
  }
  # A script nobody received (blocked offline, unreadable) in this run or
  # when the record was taken cannot be said unchanged: never a pass.
  assert {
    condition = length(local.page.baseline.unseen) == 0 ? true : undecided("${length(local.page.baseline.unseen)} script(s) of ${local.page.source} ${local.page.baseline.recorded ? "were recorded in ${local.page.baseline.file} without their content" : "could not be compared with the baseline of ${local.page.baseline.since}"}: ${join("; ", [for u in local.page.baseline.unseen : "${u.item} ${u.detail}"])}. Run where the scripts can be fetched (without --offline), or, for a script its provider changes in place, authorise it with dynamic = true")
    message   = "undecided"
  }
  evidence     = [for c in local.changes : { source = local.page.baseline.file, detail = "${c.authorised ? "authorised" : "UNAUTHORISED"} ${c.kind} ${c.item}: ${c.detail}${c.reason != "" ? " — ${c.reason}" : ""}" } if c.authorised]
  pass_message = local.page.baseline.recorded ? "Baseline recorded in ${local.page.baseline.file} (${length(local.page.scripts)} script(s)); later runs compare the page with it." : "No unauthorised change since the baseline of ${local.page.baseline.since} (${length(local.changes)} authorised change(s))."
}

step "saq_a_script_protection" {
  title      = "SAQ A: the page embedding the provider's payment form is protected against script attacks"
  severity   = "high"
  tags       = ["security"]
  references = ["PCI DSS v4.0.1 SAQ A (rev. April 2025), eligibility criteria", "PCI SSC FAQ 1588", "PCI DSS v4.0.1 6.4.3", "PCI DSS v4.0.1 11.6.1"]
  saq        = ["A"]
  attestable = true # the provider's written confirmation that its solution protects the page
  # FAQ 1588: protected by techniques such as 6.4.3's and 11.6.1's, or by
  # the provider's confirmation (an attestation). Evidence the page gives:
  # an enforced CSP limiting scripts to the merchant's and the providers',
  # or every script in the justified inventory.
  assert {
    condition = !local.embeds_provider || local.csp_limits_scripts || length(local.unprotected) == 0
    message   = "${local.page.source} embeds ${length(local.provider_iframes) > 0 ? "the provider's iframe (${local.provider_iframes[0].host})" : "the provider's script (${local.provider_scripts[0].host})"} beside ${length(local.unprotected)} script(s) not authorised with a reason, first ${local.unprotected[0].name}${local.unprotected[0].inline ? " (inline)" : local.unprotected[0].third ? " (third-party)" : " (the merchant's own)"}, with no Content-Security-Policy limiting scripts to the merchant's and the providers'${length(local.csp_foreign_hosts) > 0 ? " (the CSP allows ${join(", ", local.csp_foreign_hosts)})" : length(local.csp.weaknesses) > 0 ? " (${local.csp.weaknesses[0]})" : ""}: SAQ A requires the page be protected from script attacks, the merchant's own scripts included — enforce such a CSP, authorise every script with a reason (script_allowlist), or attest the provider's written confirmation."
    evidence  = [for s in local.unprotected : { source = local.page.source, line = s.line, detail = "${s.authorised ? "no reason given for" : "unauthorised"} ${s.inline ? "inline script" : s.third ? "third-party script" : "script"} ${s.name}" }]
  }
  assert {
    condition = !local.embeds_provider || local.csp_limits_scripts || length(local.unpinned_foreign) == 0
    message   = "${length(local.unpinned_foreign)} third-party script(s) on ${local.page.source}, first ${local.unpinned_foreign[0].name}, have no integrity attribute and no CSP limits scripts: pin each with a subresource-integrity hash, or, when its vendor changes it in place, say so in its entry (dynamic = true)."
    evidence  = [for s in local.unpinned_foreign : { source = local.page.source, line = s.line, detail = "no integrity: ${s.name}" }]
  }
  pass_message = (!local.embeds_provider ? "Full redirect: the page embeds no provider iframe or script, so the criterion does not apply."
    : local.csp_limits_scripts ? "An enforced ${local.csp.source} CSP limits scripts to ${join(" ", local.script_src)}."
  : "Every script on the page that is not the provider's, the merchant's own included, is authorised with a reason (${length(local.inventory)} script(s)).")
}

step "no_card_fields_on_merchant_page" {
  title      = "The merchant's page has no card fields of its own"
  severity   = "medium"
  tags       = ["security"]
  references = ["PCI DSS v4.0.1 SAQ A eligibility criteria"]
  saq        = ["A", "A-EP", "D"]
  assert {
    condition = length(local.card_fields) == 0
    message   = "${local.page.source} renders card field ${local.card_fields[0].name} (line ${local.card_fields[0].line}): this puts the site in SAQ ${local.saq}; use the provider's hosted fields or iframe to stay in SAQ A."
    evidence  = [for c in local.card_fields : { source = local.page.source, line = c.line, detail = "card field ${c.name} (${c.autocomplete})" }]
  }
  pass_message = "No card field on the merchant's page."
}

step "card_data_destinations" {
  title      = "Card data typed on the payment page goes to no host but the merchant's and the providers'"
  severity   = "critical"
  tags       = ["security"]
  references = ["PCI DSS v4.0.1 6.4.3", "PCI DSS v4.0.1 11.6.1", "PCI DSS v4.0.1 SAQ A-EP and D eligibility criteria"]
  saq        = ["A-EP", "D"]
  assert {
    condition = length(local.card_leaks) == 0
    message   = "A card number typed into ${local.page.source} is sent to ${join(", ", distinct([for r in local.card_leaks : r.host]))}, first ${upper(local.card_leaks[0].method)} ${local.card_leaks[0].url}${local.card_leaks[0].injected_by != "" ? " by ${local.card_leaks[0].injected_by}" : ""}${local.card_leaks[0].blocked == "offline" ? " (blocked offline: it would be sent online)" : ""}: this is how a skimmer exfiltrates card data. Find what sends it and remove it; if the host is a PCI DSS validated provider, add it to extra_provider_hosts."
    evidence  = [for r in local.card_leaks : { source = local.page.source, detail = "card data sent to ${r.host}: ${upper(r.method)} ${r.url}${r.injected_by != "" ? " by ${r.injected_by}" : ""}" }]
  }
  assert {
    condition = length(local.jacked_forms) == 0
    message   = "${local.page.source} has a card form the page as received does not have — a script built it, or changed where it posts — that posts to ${join(", ", distinct([for f in local.jacked_forms : f.action_host]))} (form action \"${local.jacked_forms[0].action}\"${local.jacked_forms[0].built_by != "" ? ", built by ${local.jacked_forms[0].built_by}" : ""}), neither the merchant's origin, a merchant_hosts entry nor a listed provider: this is how a form-jacker takes card data. Find the script that builds it and remove it; if the host is the merchant's own, add it to merchant_hosts; if a PCI DSS validated provider, to extra_provider_hosts."
    evidence  = [for f in local.jacked_forms : { source = local.page.source, detail = "card form built at run time${f.built_by != "" ? " by ${f.built_by}" : ""} posts to ${f.action_host}: ${upper(f.method)} ${f.action}" }]
  }
  assert {
    condition = length(local.card_fields) == 0 || length(local.unseen_sockets) == 0 ? true : undecided("${local.page.source} opens a WebSocket to ${join(", ", distinct([for r in local.unseen_sockets : r.host]))} (${local.unseen_sockets[0].url}${local.unseen_sockets[0].injected_by != "" ? ", by ${local.unseen_sockets[0].injected_by}" : ""}), held back offline: what its frames would carry cannot be seen. Audit the page where the socket can open (a staging copy), or, if the host is the merchant's own, add it to merchant_hosts")
    message   = "What a WebSocket of the page sends cannot be seen."
  }
  # Read statically, what the page's scripts send cannot be seen.
  assert {
    condition = local.page.engine == "browser" || length(local.card_fields) == 0 || length(local.builders) == 0 ? true : undecided("the page was read statically and its scripts may send typed card data anywhere: run with the browser engine (Chromium) to see where")
    message   = "Where typed card data goes cannot be seen."
  }
  evidence = [for r in local.card_requests : { source = local.page.source, detail = "card data sent to ${r.same_origin ? "the merchant's origin" : r.host}: ${upper(r.method)} ${r.url}" }]
  pass_message = (length(local.card_fields) == 0 ? "No card field on the merchant's page: nothing is typed there."
    : local.page.engine != "browser" ? "Read statically: no script on the page could send typed card data; the form sends it as judged by saq_scope."
  : "A test card number typed into ${length(local.card_fields)} card field(s)${local.page.submit_played ? ", and Pay pressed (${local.page.clicks_played} element(s) clicked)," : ""} went ${length(local.card_requests) == 0 ? "out in no request (a form that sends it is judged by saq_scope)" : "only to ${join(", ", distinct([for r in local.card_requests : r.same_origin ? "the merchant's origin" : r.host]))}"}.")
}

step "tpsp_attestation_current" {
  title       = "Each payment service provider's AOC is under a year old"
  severity    = "medium"
  tags        = ["legal"]
  references  = ["PCI DSS v4.0.1 12.8.4"]
  saq         = ["A", "A-EP", "D"]
  when        = var.merchant_file != null
  skip_reason = "no merchant_file declared: service providers are unknown"
  assert {
    condition = length(probe.merchant.profile.service_providers) > 0
    message   = "The merchant profile lists no service_provider: list each payment provider with the date of its attestation of compliance."
  }
  assert {
    condition = length(local.aoc_stale) == 0
    message   = "The AOC of ${local.aoc_stale[0].name} is dated ${local.aoc_stale[0].aoc_date}, over 12 months ago: request the current one."
    evidence  = [for sp in local.aoc_stale : { source = probe.merchant.profile.file, detail = "${sp.name} AOC ${sp.aoc_date}" }]
  }
  pass_message = "${length(probe.merchant.profile.service_providers)} provider AOC(s) current."
}

step "tpsp_responsibility_matrix" {
  title      = "Which PCI DSS requirements each service provider manages is written down"
  severity   = "medium"
  tags       = ["legal"]
  references = ["PCI DSS v4.0.1 12.8.5"]
  saq        = ["A", "A-EP", "D"]
  manual     = true
}

step "asv_scan" {
  title                    = "A quarterly external vulnerability scan by an ASV passed within the last 90 days"
  severity                 = "high"
  tags                     = ["security"]
  references               = ["PCI DSS v4.0.1 11.3.2"]
  saq                      = ["A", "A-EP", "D"]
  manual                   = true
  attestation_max_age_days = 90
}

step "mfa_for_cde_access" {
  title      = "Multi-factor authentication protects all access to the CDE"
  severity   = "high"
  tags       = ["security"]
  references = ["PCI DSS v4.0.1 8.4.1", "PCI DSS v4.0.1 8.4.2", "PCI DSS v4.0.1 8.4.3"]
  saq        = ["A-EP", "D"]
  manual     = true
}
