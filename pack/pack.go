// Package pack loads provider packs: one folder per payment provider
// holding its checklist (checklist.hcl) and what the tool knows about the
// provider (pack.hcl) — API hosts per environment and region, credential
// formats, test card numbers, environment switches as configuration and
// SDKs spell them, JavaScript calls to read, the webhook signature scheme
// and how to forge a notification. Generic probes apply these rules; no
// provider is named in their Go code.
//
// The format (see README.md, "Provider packs"):
//
//	provider "stripe" { title = "Stripe" }
//	endpoint "api"    { purpose = "api" environment = "live" hosts = ["api.stripe.com"] }
//	credential "stripe_live_secret_key" {
//	  kind = "secret"  mode = "live"  secret = true
//	  pattern = "sk_live_[0-9A-Za-z]{16,}"   # RE2; starts with a literal of 3+ bytes
//	}
//	switch "mode" { settings = ["(?i)paypal.*mode$"] live = ["live"] test = ["sandbox"] }
//	webhook { header = "Stripe-Signature" algorithm = "hmac-sha256" forge { ... } }
package pack

import (
	"github.com/hashicorp/hcl/v2"
)

// Environments and modes a rule may name.
const (
	Live = "live"
	Test = "test"
	Any  = "any" // both, or the value does not say: counted as live
	// Undetermined: code chooses the mode at run time (a conditional, a
	// live default behind a lookup); a step cannot pass on it.
	Undetermined = "undetermined"
)

// Pack is one provider's knowledge.
type Pack struct {
	Name  string
	Title string
	Docs  []string
	// Dir names where the pack was read from: "builtin/stripe", or the
	// folder given by the user.
	Dir string
	// Checklist is the pack's checklist.hcl, nil when it has none.
	Checklist *File
	// Fragments are the pack folder's other *.hcl files (shared blocks a
	// checklist includes), by file name.
	Fragments map[string]*File

	Endpoints   []*Endpoint
	Credentials []*Credential
	TestCards   []string
	Switches    []*Switch
	JSCalls     []*JSCall
	SDKs        []*SDK
	LogErrors   []*LogError
	CodeValues  []*CodeValue
	Webhook     *Webhook

	DeclRange hcl.Range
}

// File is an HCL source file of a pack.
type File struct {
	Name string // as diagnostics show it: "builtin/stripe/checklist.hcl"
	Src  []byte
}

// Endpoint is a set of provider hosts with one purpose and environment.
type Endpoint struct {
	Name string
	// Purpose: api (server calls), script (JS SDK), redirect (a script that
	// only sends the buyer to the provider's pages), iframe (hosted fields),
	// checkout (a hosted payment page), sdk (a script URL carrying the
	// client id), docs (linked to, never called: not an endpoint).
	Purpose     string
	Environment string // live, test or any
	Region      string // optional
	// Hosts are exact names or path.Match globs ("*-checkout-live.adyenpayments.com").
	Hosts []string
	// Path, when set, is an RE2 the URL's path must match: Amazon Pay's
	// sandbox shares the live host and differs by /sandbox/.
	Path *Regexp

	DeclRange hcl.Range
}

// Credential is a key, token or id format.
type Credential struct {
	Name string // the finding kind: "stripe_live_secret_key"
	// Kind is the provider's word for it: secret, publishable,
	// restricted, webhook_secret, client_key, api_key, key_id, …
	Kind string
	Mode string // live, test or any
	// Secret false: public by design (publishable keys, client keys, key
	// ids); `audit scan` and masking leave them alone.
	Secret bool
	// Show: the value may appear in reports in full (an Amazon Pay key id
	// names the key pair to replace); otherwise facts carry it masked.
	Show bool
	// Pattern is matched where Prefix occurs; Prefix is its literal start.
	Pattern *Regexp
	Prefix  string
	// Mask is what a masked value keeps in clear (default: Prefix).
	Mask string
	// Env, when set, makes this an API key a probe may read from the
	// environment and send to the pack's api endpoints: the variables
	// conventionally holding it. Any other variable the integration names
	// is read too, but its value is sent only when it has this shape.
	Env []string

	DeclRange hcl.Range
}

// Switch is a setting that puts an integration in live or test mode.
type Switch struct {
	Name string
	// Settings are RE2s over configuration keys ("PAYPAL_MODE").
	Settings []*Regexp
	// Code are RE2s over source text whose first group is the value:
	// `'sandbox'\s*=>\s*(true|false)`, `Environment\.(TEST|LIVE)`. The
	// code probe matches them with the comments blanked out.
	Code []*Regexp
	// CodeKeys are RE2s over the names code sets to a literal (object and
	// array keys, keyword arguments, assignments, setters: the last
	// element of a lexer.Setting's path): `environment: "test"` in any
	// language, however the object is laid out.
	CodeKeys []*Regexp
	// CodeFiles, when set, counts Code matches and CodeKeys settings only
	// in files whose code (comments left out) one of them matches: Adyen's
	// `environment: "test"` or Environment.TEST in a file that mentions
	// AdyenCheckout or com.adyen, not in any object of any file (many SDKs
	// spell their mode Environment.SANDBOX).
	CodeFiles []*Regexp
	// Live and Test are the values (compared case-insensitively) that mean
	// each mode; other values decide nothing.
	Live, Test []string
	// Default, for an SDK call that omits the setting, is the mode the SDK
	// then runs in (PaypalServersdkClient(...) without environment= is
	// sandbox): Code patterns find the call, and a call whose arguments
	// match Unless sets the mode itself.
	Default string
	Unless  *Regexp

	DeclRange hcl.Range
}

// SDK is a library or plugin of the provider as a package manager names
// it: the packages probe finds it in lockfiles and manifests.
type SDK struct {
	// Ecosystem is npm, composer, pypi, gem, maven (group:artifact),
	// nuget or go (a module path; a /vN suffix is part of any version).
	Ecosystem string
	Name      string
	// Minimum, when set, is the oldest version the provider supports.
	Minimum string
	// Deprecated, when set, says that the package itself is no longer
	// maintained, and what replaces it.
	Deprecated string
	Docs       string
	// PinsAPIVersion, when set, is the first version of the library that
	// sends the API version it was released with instead of leaving the
	// account's default in force; "any" for libraries that always do.
	PinsAPIVersion string

	DeclRange hcl.Range
}

// CodeValue is something the source probe lists from the merchant's code
// by name (an API version, event types the code handles, object ids), as
// each SDK spells it: settings whose name matches Keys, string literals
// (Strings), or Patterns over the comment-free code (the first group is
// the value). Value, when set, is what a setting's or a string's value
// must look like; Files narrows everything to files whose code matches
// one; Langs to languages of package lexer ("java", "csharp", "go").
// A setting passed to a call SkipCalls matches is not listed (Stripe.js's
// own apiVersion option is no server library's).
type CodeValue struct {
	Name      string
	Keys      []*Regexp
	SkipCalls []*Regexp
	Strings   bool
	Patterns  []*Regexp
	Value     *Regexp
	Files     []*Regexp
	Langs     []string

	DeclRange hcl.Range
}

// LogError is an error code of the provider as it appears in the
// merchant's logs: the errors probe counts each.
type LogError struct {
	Code string // as the provider documents it: "InvalidRequestSignature"
	// Category groups codes for reports: signature, invalid_parameter,
	// authentication, timeout, decline, other.
	Category string
	// Pattern finds the code in a log line; by default the code as a
	// whole word.
	Pattern *Regexp

	DeclRange hcl.Range
}

// JSCall is a JavaScript call whose options the page probe reads.
type JSCall struct {
	Name    string
	Callee  string // dotted: "amazon.Pay.renderButton"
	Options int    // index of the argument holding the options object

	DeclRange hcl.Range
}

// Webhook is how the provider signs notifications, and how to forge one
// that a correct endpoint must reject.
type Webhook struct {
	Scheme    string // what a verifier checks, in words
	Header    string // where the signature travels (header name), if any
	Algorithm string
	Docs      string
	// Headers and Body are evaluated at run time with forged.* (see
	// ForgeVars) and jsonencode.
	Headers hcl.Expression
	Body    hcl.Expression

	DeclRange hcl.Range
}
