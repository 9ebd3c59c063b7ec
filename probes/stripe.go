package probes

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"

	"github.com/audit-tool/audit/lexer"
	"github.com/audit-tool/audit/pack"
	"github.com/audit-tool/audit/scan"
	"github.com/audit-tool/audit/walk"
)

// stripeAccountID is the shape of a connected account's id.
var stripeAccountID = regexp.MustCompile(`^acct_[A-Za-z0-9]+$`)

// stripeAPIVersion pins the account object's shape the facts are read from;
// it is the version of the OpenAPI spec stripe-mock serves.
const stripeAPIVersion = "2026-08-26.dahlia"

// stripeMaxBody bounds what is read from the API: an account object is a
// few kilobytes, so more means something else answered.
const stripeMaxBody = 4 << 20

// StripeAccount asks the Stripe API for the account's go-live state:
// charges and payouts enabled, outstanding requirements, support details.
type StripeAccount struct{}

// Name implements Kind.
func (StripeAccount) Name() string { return "stripe_account" }

// Doc implements Kind.
func (StripeAccount) Doc() string {
	return "Stripe account state from the Stripe API: charges, payouts, requirements, support details, branding."
}

// Spec implements Kind.
func (StripeAccount) Spec() hcldec.Spec {
	return hcldec.ObjectSpec{
		"api_base": defaulted("api_base", cty.String, cty.StringVal("https://api.stripe.com")),
		// The name of the variable, never the key: checklists and
		// integration files are committed, keys are not.
		"key_env": &hcldec.AttrSpec{Name: "key_env", Type: cty.String, Required: true},
		"account": &hcldec.AttrSpec{Name: "account", Type: cty.String},
		"timeout": defaulted("timeout", cty.String, cty.StringVal("15s")),
		// Source folders whose object ids (the pack's object_id code
		// values: price_…, prod_…) are read back with the key.
		"object_dirs": defaulted("object_dirs", cty.List(cty.String), cty.ListValEmpty(cty.String)),
	}
}

var (
	stripeEndpointType = cty.Object(map[string]cty.Type{
		"id": cty.String, "url": cty.String, "livemode": cty.Bool, "status": cty.String,
		"enabled_events": cty.List(cty.String),
		// normal_events: enabled_events folded as code values' normal is.
		"normal_events": cty.List(cty.String),
	})
	stripeObjectType = cty.Object(map[string]cty.Type{
		"id": cty.String, "kind": cty.String, "file": cty.String, "line": cty.Number,
		// found: the API returned the object; livemode: as the object
		// says. error: why it could not be told ("" when found or when
		// the API answered that no such object exists).
		"found": cty.Bool, "livemode": cty.Bool, "error": cty.String,
	})
)

var stripeAccountFacts = cty.Object(map[string]cty.Type{
	"id":                   cty.String,
	"livemode_key":         cty.Bool,
	"charges_enabled":      cty.Bool,
	"payouts_enabled":      cty.Bool,
	"details_submitted":    cty.Bool,
	"currently_due":        cty.List(cty.String),
	"past_due":             cty.List(cty.String),
	"eventually_due":       cty.List(cty.String),
	"disabled_reason":      cty.String,
	"external_accounts":    cty.Number,
	"support_email":        cty.String,
	"support_phone":        cty.String,
	"support_url":          cty.String,
	"business_url":         cty.String,
	"statement_descriptor": cty.String,
	"logo":                 cty.Bool,
	"country":              cty.String,
	"default_currency":     cty.String,
	// The account's webhook endpoints (GET /v1/webhook_endpoints, every
	// page up to stripeMaxPages); complete is false when more remained;
	// error is why they could not be listed ("" when they were).
	"webhook_endpoints":          cty.List(stripeEndpointType),
	"webhook_endpoints_complete": cty.Bool,
	"webhook_endpoints_error":    cty.String,
	// Object ids found in object_dirs, each read back (GET
	// /v1/prices/ID…); objects_unchecked counts ids over stripeMaxObjects.
	"objects":           cty.List(stripeObjectType),
	"objects_unchecked": cty.Number,
	"objects_coverage":  CoverageType,
})

// stripeMaxPages bounds the webhook endpoint pages read (100 each);
// stripeMaxObjects the object ids read back.
const (
	stripeMaxPages   = 10
	stripeMaxObjects = 100
)

// stripeObjectPaths are the API collections of the id prefixes the pack's
// object_id code value finds.
var stripeObjectPaths = map[string]string{
	"price": "prices", "prod": "products", "plan": "plans", "promo": "promotion_codes",
	"txr": "tax_rates", "shr": "shipping_rates",
}

// Facts implements Kind.
func (StripeAccount) Facts() cty.Type { return stripeAccountFacts }

// Run implements Kind.
func (StripeAccount) Run(ctx context.Context, env *Env, cfg cty.Value) (cty.Value, error) {
	base, err := url.Parse(cfgString(cfg, "api_base"))
	if err != nil {
		return cty.NilVal, fmt.Errorf("api_base: %w", err)
	}
	if (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		return cty.NilVal, fmt.Errorf("api_base %q: want an http(s) URL", base.Redacted())
	}
	sp, ok := env.PackSet().Lookup("stripe")
	if !ok {
		return cty.NilVal, errors.New("no stripe provider pack is loaded: it names the hosts the key may be sent to")
	}
	// Before anything is dialled, even offline: a wrong host is a
	// configuration error, not something this run could not check.
	cred := Credential{Pack: sp, Variable: cfgString(cfg, "key_env")}
	if err := cred.Target("api_base", base); err != nil {
		return cty.NilVal, err
	}
	// Offline comes first: a skipped step needs no key.
	if err := env.CheckURL(base); err != nil {
		return cty.NilVal, err
	}
	timeout, err := cfgDuration(cfg, "timeout")
	if err != nil {
		return cty.NilVal, err
	}
	key, err := cred.Read()
	if err != nil {
		return cty.NilVal, err
	}

	endpoint := base.JoinPath("v1", "account")
	if id := cfgString(cfg, "account"); id != "" {
		// Checked, not escaped: JoinPath would resolve "../" in an id.
		if !stripeAccountID.MatchString(id) {
			return cty.NilVal, fmt.Errorf("account %q: want a Stripe account id (acct_…)", stripeClip(id))
		}
		endpoint = base.JoinPath("v1", "accounts", id)
	}
	var dirs []string
	for _, v := range cfg.GetAttr("object_dirs").AsValueSlice() {
		if v.IsNull() {
			return cty.NilVal, errors.New("object_dirs: null entry")
		}
		dirs = append(dirs, v.AsString())
	}
	ids, cov, err := stripeObjectIDs(ctx, env, sp, dirs)
	if err != nil {
		return cty.NilVal, err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	client := env.HTTPClient(0)
	var raw json.RawMessage
	if err := stripeGet(ctx, client, endpoint, key, &raw); err != nil {
		return cty.NilVal, err
	}
	acct, err := stripeParseAccount(raw)
	if err != nil {
		return cty.NilVal, fmt.Errorf("stripe GET %s: %w", endpoint.Redacted(), err)
	}
	facts := acct.values(key)
	hooks, complete, err := stripeWebhookEndpoints(ctx, client, base, key)
	facts["webhook_endpoints"] = ListOf(stripeEndpointType, hooks)
	facts["webhook_endpoints_complete"] = cty.BoolVal(complete)
	facts["webhook_endpoints_error"] = cty.StringVal(errText(err))
	var objects []cty.Value
	for i, id := range ids {
		if i == stripeMaxObjects {
			break
		}
		objects = append(objects, stripeObject(ctx, client, base, key, id))
	}
	facts["objects"] = ListOf(stripeObjectType, objects)
	facts["objects_unchecked"] = cty.NumberIntVal(int64(max(0, len(ids)-stripeMaxObjects)))
	facts["objects_coverage"] = cov.Value()
	return cty.ObjectVal(facts), nil
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// stripeID is an object id found in code, first place only.
type stripeID struct {
	id, kind string
	at       sourceAt
}

// stripeObjectIDs lists the distinct object ids the pack's object_id code
// values find under dirs, read as the source probe reads (the shared
// walker, node_modules and vendor left out, comments ignored).
func stripeObjectIDs(ctx context.Context, env *Env, sp *pack.Pack, dirs []string) ([]stripeID, Coverage, error) {
	var cov Coverage
	if len(dirs) == 0 {
		return nil, cov, nil
	}
	only := &pack.Pack{Name: sp.Name}
	for _, v := range sp.CodeValues {
		if v.Name == "object_id" {
			only.CodeValues = append(only.CodeValues, v)
		}
	}
	files, skips, err := sourceFiles(ctx, env, dirs, sourceSkipDirs())
	if err != nil {
		return nil, cov, err
	}
	for _, sk := range skips {
		if sk.Gap {
			cov.NotRead = append(cov.NotRead, CoverageItem{File: env.Rel(sk.Name), Pattern: sk.Pattern, Reason: sk.Reason})
		}
	}
	seen := map[string]bool{}
	var out []stripeID
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return nil, cov, err
		}
		data, err := sourceRead(env.Scope, f.path, 4<<20)
		if err != nil {
			cov.NotRead = append(cov.NotRead, CoverageItem{File: f.rel, Reason: walk.Reason(err)})
			continue
		}
		cov.FilesRead++
		cov.BytesRead += int64(len(data))
		lang, ok := lexer.ForFile(f.rel)
		if !ok {
			continue // ids live in code; templates and prose are not read for them
		}
		code := lexer.Blank(lang, data)
		toks, _ := lexer.Tokenize(lang, code)
		lines := newNewlineIndex(code)
		for _, m := range only.FindValues(lang, code, toks, nil) {
			if seen[m.Text] {
				continue
			}
			seen[m.Text] = true
			kind, _, _ := strings.Cut(m.Text, "_")
			out = append(out, stripeID{id: m.Text, kind: kind, at: sourceAt{file: f.rel, line: lines.line(m.Off)}})
		}
	}
	return out, cov, nil
}

// stripeWebhookEndpoints lists the account's webhook endpoints, page by
// page.
func stripeWebhookEndpoints(ctx context.Context, client *http.Client, base *url.URL, key string) ([]cty.Value, bool, error) {
	var out []cty.Value
	after := ""
	for range stripeMaxPages {
		u := base.JoinPath("v1", "webhook_endpoints")
		q := url.Values{"limit": {"100"}}
		if after != "" {
			q.Set("starting_after", after)
		}
		u.RawQuery = q.Encode()
		var page struct {
			Object  string `json:"object"`
			HasMore bool   `json:"has_more"`
			Data    []struct {
				Object        string   `json:"object"`
				ID            string   `json:"id"`
				URL           string   `json:"url"`
				Livemode      bool     `json:"livemode"`
				Status        string   `json:"status"`
				EnabledEvents []string `json:"enabled_events"`
			} `json:"data"`
		}
		if err := stripeGet(ctx, client, u, key, &page); err != nil {
			return out, false, err
		}
		if page.Object != "list" {
			return out, false, fmt.Errorf("stripe GET %s: response is not a list (object %q)", u.Redacted(), stripeClip(page.Object))
		}
		for _, e := range page.Data {
			if e.Object != "webhook_endpoint" || e.ID == "" {
				return out, false, fmt.Errorf("stripe GET %s: a list entry is not a webhook endpoint (object %q)", u.Redacted(), stripeClip(e.Object))
			}
			normal := make([]string, len(e.EnabledEvents))
			for i, ev := range e.EnabledEvents {
				normal[i] = normalName(ev)
			}
			out = append(out, cty.ObjectVal(map[string]cty.Value{
				"id": cty.StringVal(e.ID), "url": cty.StringVal(e.URL), "livemode": cty.BoolVal(e.Livemode),
				"status": cty.StringVal(e.Status), "enabled_events": Strings(e.EnabledEvents), "normal_events": Strings(normal),
			}))
			after = e.ID
		}
		if !page.HasMore || len(page.Data) == 0 {
			return out, true, nil
		}
	}
	return out, false, nil
}

// stripeObject reads one object back: found with its mode, missing (the
// API's 404: no such object in the key's mode), or why it could not be
// told.
func stripeObject(ctx context.Context, client *http.Client, base *url.URL, key string, id stripeID) cty.Value {
	v := map[string]cty.Value{
		"id": cty.StringVal(id.id), "kind": cty.StringVal(id.kind),
		"file": cty.StringVal(id.at.file), "line": cty.NumberIntVal(int64(id.at.line)),
		"found": cty.False, "livemode": cty.False, "error": cty.StringVal(""),
	}
	coll, ok := stripeObjectPaths[id.kind]
	if !ok {
		v["error"] = cty.StringVal("no API collection known for " + id.kind + "_ ids")
		return cty.ObjectVal(v)
	}
	var obj struct {
		ID       string `json:"id"`
		Livemode bool   `json:"livemode"`
		Deleted  bool   `json:"deleted"`
	}
	err := stripeGet(ctx, client, base.JoinPath("v1", coll, id.id), key, &obj)
	var status *stripeStatusError
	switch {
	case errors.As(err, &status) && status.code == http.StatusNotFound:
	case err != nil:
		v["error"] = cty.StringVal(err.Error())
	case obj.ID != id.id:
		v["error"] = cty.StringVal(fmt.Sprintf("the API answered with another object (%q)", stripeClip(obj.ID)))
	default:
		v["found"], v["livemode"] = cty.BoolVal(!obj.Deleted), cty.BoolVal(obj.Livemode)
	}
	return cty.ObjectVal(v)
}

// stripeStatusError is a non-2xx answer.
type stripeStatusError struct {
	code int
	text string
}

func (e *stripeStatusError) Error() string { return e.text }

// CredentialEnv implements Credentialed.
func (StripeAccount) CredentialEnv(cfg cty.Value) (string, string) {
	return "stripe", cfgString(cfg, "key_env")
}

// stripeGet GETs one object and decodes it into v.
func stripeGet(ctx context.Context, client *http.Client, endpoint *url.URL, key string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint.String(), nil)
	if err != nil {
		return fmt.Errorf("stripe request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Stripe-Version", stripeAPIVersion)
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("stripe GET %s: %w", endpoint.Redacted(), err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, stripeMaxBody))
	if err != nil {
		return fmt.Errorf("stripe GET %s: reading response: %w", endpoint.Redacted(), err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return &stripeStatusError{code: resp.StatusCode, text: fmt.Sprintf("stripe GET %s: %s", endpoint.Redacted(), stripeErrorText(resp.Status, resp.Header.Get("Request-Id"), body, key))}
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("stripe GET %s: decoding: %w", endpoint.Redacted(), err)
	}
	return nil
}

// stripeAccountJSON is the part of Stripe's account object the facts come
// from. Nullable strings decode to "" (JSON null leaves a string alone).
type stripeAccountJSON struct {
	Object           string `json:"object"`
	ID               string `json:"id"`
	ChargesEnabled   bool   `json:"charges_enabled"`
	PayoutsEnabled   bool   `json:"payouts_enabled"`
	DetailsSubmitted bool   `json:"details_submitted"`
	Country          string `json:"country"`
	DefaultCurrency  string `json:"default_currency"`
	Requirements     struct {
		CurrentlyDue   []string `json:"currently_due"`
		PastDue        []string `json:"past_due"`
		EventuallyDue  []string `json:"eventually_due"`
		DisabledReason string   `json:"disabled_reason"`
	} `json:"requirements"`
	ExternalAccounts struct {
		TotalCount *int64            `json:"total_count"`
		Data       []json.RawMessage `json:"data"`
	} `json:"external_accounts"`
	BusinessProfile struct {
		SupportEmail string `json:"support_email"`
		SupportPhone string `json:"support_phone"`
		SupportURL   string `json:"support_url"`
		URL          string `json:"url"`
	} `json:"business_profile"`
	Settings struct {
		Branding struct {
			// A file id, or the File object when expanded.
			Logo json.RawMessage `json:"logo"`
			Icon json.RawMessage `json:"icon"`
		} `json:"branding"`
		Payments struct {
			StatementDescriptor string `json:"statement_descriptor"`
		} `json:"payments"`
	} `json:"settings"`
}

// stripeParseAccount decodes an account object; anything else (an HTML
// page from a proxy, another object) is an error, so no step can pass on
// zero values.
func stripeParseAccount(body []byte) (*stripeAccountJSON, error) {
	var acct stripeAccountJSON
	if err := json.Unmarshal(body, &acct); err != nil {
		return nil, fmt.Errorf("decoding account: %w", err)
	}
	if acct.Object != "account" || acct.ID == "" {
		return nil, fmt.Errorf("response is not an account object (object %q, id %q)", stripeClip(acct.Object), stripeClip(acct.ID))
	}
	return &acct, nil
}

func (a *stripeAccountJSON) values(key string) map[string]cty.Value {
	external := int64(len(a.ExternalAccounts.Data))
	if a.ExternalAccounts.TotalCount != nil {
		external = *a.ExternalAccounts.TotalCount
	}
	return map[string]cty.Value{
		"id":                   cty.StringVal(a.ID),
		"livemode_key":         cty.BoolVal(strings.HasPrefix(key, "sk_live_") || strings.HasPrefix(key, "rk_live_")),
		"charges_enabled":      cty.BoolVal(a.ChargesEnabled),
		"payouts_enabled":      cty.BoolVal(a.PayoutsEnabled),
		"details_submitted":    cty.BoolVal(a.DetailsSubmitted),
		"currently_due":        Strings(a.Requirements.CurrentlyDue),
		"past_due":             Strings(a.Requirements.PastDue),
		"eventually_due":       Strings(a.Requirements.EventuallyDue),
		"disabled_reason":      cty.StringVal(a.Requirements.DisabledReason),
		"external_accounts":    cty.NumberIntVal(external),
		"support_email":        cty.StringVal(a.BusinessProfile.SupportEmail),
		"support_phone":        cty.StringVal(a.BusinessProfile.SupportPhone),
		"support_url":          cty.StringVal(a.BusinessProfile.SupportURL),
		"business_url":         cty.StringVal(a.BusinessProfile.URL),
		"statement_descriptor": cty.StringVal(a.Settings.Payments.StatementDescriptor),
		"logo":                 cty.BoolVal(stripeFileSet(a.Settings.Branding.Logo) || stripeFileSet(a.Settings.Branding.Icon)),
		"country":              cty.StringVal(a.Country),
		"default_currency":     cty.StringVal(a.DefaultCurrency),
	}
}

// stripeFileSet reports whether a branding file field holds an id or an
// expanded object rather than null or "".
func stripeFileSet(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && !bytes.Equal(raw, []byte("null")) && !bytes.Equal(raw, []byte(`""`))
}

// stripeErrorText describes a failed call from Stripe's error object. The
// message is scrubbed of the key: Stripe quotes keys back in some errors
// (stripe-mock quotes the whole Authorization header).
func stripeErrorText(status, requestID string, body []byte, key string) string {
	var e struct {
		Error struct {
			Type    string `json:"type"`
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	var b strings.Builder
	b.WriteString(status)
	if json.Unmarshal(body, &e) == nil && e.Error.Message != "" {
		kind := e.Error.Type
		if e.Error.Code != "" {
			kind += "/" + e.Error.Code
		}
		fmt.Fprintf(&b, " (%s): %s", kind, e.Error.Message)
	} else if text := strings.TrimSpace(string(body)); text != "" {
		fmt.Fprintf(&b, ": %s", text)
	}
	if requestID != "" {
		fmt.Fprintf(&b, " [request %s]", requestID)
	}
	return stripeClip(stripeScrub(b.String(), key))
}

// stripeKeyToken matches anything shaped like a Stripe API key, including
// the partly starred ones Stripe itself prints, which scan.Redact (made for
// whole keys) would let through.
var stripeKeyToken = regexp.MustCompile(`\b(?:(?:sk|rk|pk)_(?:live|test)|whsec)_[A-Za-z0-9*]{4,}`)

// stripeScrub masks key, every key-like token and every card number in s.
func stripeScrub(s, key string) string {
	if key != "" {
		s = strings.ReplaceAll(s, key, scan.MaskSecret(key))
	}
	s = scan.Redact(stripeKeyToken.ReplaceAllStringFunc(s, scan.MaskSecret))
	if key != "" && strings.Contains(s, key) {
		return "(message withheld: it quoted the API key)"
	}
	return s
}

// stripeClip keeps an error readable when a server sends a page instead of
// an error object. It cuts on a rune boundary.
func stripeClip(s string) string {
	n := 300
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
