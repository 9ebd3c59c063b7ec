package probes

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"
	"golang.org/x/net/html"

	"github.com/audit-tool/audit/internal/input"
	"github.com/audit-tool/audit/pack"
)

// pageMaxRedirects is how far a checkout URL may bounce (http → https →
// locale) before the probe gives up.
const pageMaxRedirects = 5

// Page reads the payment page — a URL, or a built HTML file — and reports
// what a PCI DSS or go-live review looks at: security headers, scripts and
// their origins, forms and card fields, and the options of the JavaScript
// calls the provider packs name (js_call blocks), read by a parser from the
// inline scripts and the page's own external scripts.
type Page struct{}

// Name implements Kind.
func (Page) Name() string { return "page" }

// Doc implements Kind.
func (Page) Doc() string {
	return "The payment page (URL or built HTML file): headers, CSP, HSTS, scripts, iframes, forms, card fields, provider JavaScript calls with their options."
}

// Spec implements Kind.
func (Page) Spec() hcldec.Spec {
	return hcldec.ObjectSpec{
		"source":    &hcldec.AttrSpec{Name: "source", Type: cty.String, Required: true},
		"timeout":   defaulted("timeout", cty.String, cty.StringVal("15s")),
		"max_bytes": defaulted("max_bytes", cty.Number, cty.NumberIntVal(5<<20)),
		// auto: the browser when Chromium is available, else static.
		"engine": defaulted("engine", cty.String, cty.StringVal(engineAuto)),
		// Authorised scripts (6.4.3): strings, or objects with a reason.
		"script_allowlist": defaulted("script_allowlist", cty.DynamicPseudoType, cty.EmptyTupleVal),
		// Compare with (or record) the page in the --baseline file (11.6.1).
		"track_changes": defaulted("track_changes", cty.Bool, cty.False),
	}
}

var (
	// provider, purpose and environment: the provider pack endpoint the
	// URL is on, "" when none.
	pageScriptType = cty.Object(map[string]cty.Type{
		"src": cty.String, "host": cty.String, "inline": cty.Bool, "type": cty.String,
		"integrity": cty.String, "crossorigin": cty.String, "same_origin": cty.Bool,
		// path: where a same-origin script is served ("./app.js" → "/app.js"), "" otherwise.
		"path": cty.String,
		"line": cty.Number, "sha256": cty.String,
		"provider": cty.String, "purpose": cty.String, "environment": cty.String,
		// url is the resolved address (a local page's are root-relative);
		// injected_by the script that added it ("" for the HTML); executed
		// and blocked say what the browser did with it (the static engine
		// runs nothing); received whether sha256 is of what was received.
		"url": cty.String, "injected_by": cty.String, "frame": cty.String,
		"executed": cty.Bool, "blocked": cty.String, "received": cty.Bool,
		// The 6.4.3 inventory: the allowlist entry that authorises it and
		// its written justification.
		"authorised": cty.Bool, "allowlist_entry": cty.String, "reason": cty.String,
		// dynamic: its entry says it changes in place (it cannot be pinned).
		"dynamic": cty.Bool,
	})
	pageFrameType = cty.Object(map[string]cty.Type{
		"url": cty.String, "origin": cty.String, "host": cty.String, "depth": cty.Number, "same_origin": cty.Bool,
	})
	pageRequestType = cty.Object(map[string]cty.Type{
		"url": cty.String, "host": cty.String, "method": cty.String, "type": cty.String,
		"same_origin": cty.Bool, "blocked": cty.String, "injected_by": cty.String,
		"sends_data": cty.Bool, "status": cty.Number, "carries_card": cty.Bool,
	})
	pageUnseenType = cty.Object(map[string]cty.Type{"item": cty.String, "detail": cty.String})
	pageChangeType = cty.Object(map[string]cty.Type{
		"kind": cty.String, "item": cty.String, "detail": cty.String, "authorised": cty.Bool, "reason": cty.String,
	})
	pageRefType = cty.Object(map[string]cty.Type{
		"src": cty.String, "host": cty.String, "line": cty.Number,
		"provider": cty.String, "purpose": cty.String, "environment": cty.String,
	})
	pageLinkType = cty.Object(map[string]cty.Type{
		"href": cty.String, "host": cty.String, "line": cty.Number,
		"provider": cty.String, "purpose": cty.String, "environment": cty.String,
	})
	pageInputType = cty.Object(map[string]cty.Type{
		"name": cty.String, "id": cty.String, "type": cty.String, "autocomplete": cty.String,
		"card_field": cty.Bool, "line": cty.Number,
	})
	pageFormType = cty.Object(map[string]cty.Type{
		"action": cty.String, "action_host": cty.String, "method": cty.String,
		"posts_to_merchant": cty.Bool, "line": cty.Number, "inputs": cty.List(pageInputType),
		"frame": cty.String,
		// browser: the page as received has no such form — a script built
		// it, or changed its action or method; built_by is the script that
		// created the element ("" when unknown: the parser made it and a
		// script changed where it posts).
		"built": cty.Bool, "built_by": cty.String,
	})
	pageCardFieldType = cty.Object(map[string]cty.Type{
		"name": cty.String, "autocomplete": cty.String, "form_action": cty.String, "line": cty.Number,
		"label": cty.String, "frame": cty.String,
	})
	pageFacts = cty.Object(map[string]cty.Type{
		"source": cty.String,
		"url":    cty.String,
		"local":  cty.Bool,
		"engine": cty.String, // "browser" or "static"
		// Every URL the page went through, the final one last (static and
		// browser): an http hop exposes the page.
		"redirects": cty.List(cty.String),
		"status":    cty.Number,
		"origin":    cty.String,
		"headers":   cty.Map(cty.String),
		"csp":       pageCSPType,
		"hsts": cty.Object(map[string]cty.Type{
			"present": cty.Bool, "max_age": cty.Number, "include_subdomains": cty.Bool, "preload": cty.Bool,
		}),
		"scripts":     cty.List(pageScriptType),
		"iframes":     cty.List(pageRefType),
		"forms":       cty.List(pageFormType),
		"card_fields": cty.List(pageCardFieldType),
		// The packs' js_call calls: provider, call, callee, file ("" for
		// the page itself), line, options as written (values the code
		// fixes are folded: !0 is true), and per top-level option: truthy
		// (its value in a boolean context), lines, undecided (set at run
		// time: window.X, a call, a spread; "*" when any key may be).
		"js_calls": cty.DynamicPseudoType,
		// Same-origin external scripts that could not be read, and
		// scripts that could not be parsed although they name a wanted
		// call: a call there cannot be seen.
		"scripts_unread": cty.List(cty.Object(map[string]cty.Type{"src": cty.String, "reason": cty.String})),
		// Credentials anywhere in the page (scripts, attributes,
		// comments), by the packs' rules; all are served to browsers.
		"credentials": cty.List(credentialType),
		"links":       cty.List(pageLinkType),
		"frames":      cty.List(pageFrameType),   // browser: every frame below the page
		"requests":    cty.List(pageRequestType), // browser: every request, blocked ones too
		// browser: pressing Pay was played (a submit event on each form,
		// then a click on each button or element listened to near the
		// card fields: clicks_played of them; offline and for local pages
		// only), beside the typed input.
		"submit_played": cty.Bool,
		"clicks_played": cty.Number,
		"console":       cty.List(cty.String), // browser: errors and warnings
		"baseline": cty.Object(map[string]cty.Type{
			"tracked":  cty.Bool,   // a --baseline file is in use for this page
			"recorded": cty.Bool,   // it held no record of the page: this run recorded it
			"file":     cty.String, // the baseline file
			"since":    cty.String, // when the compared record was taken
			"changes":  cty.List(pageChangeType),
			// Scripts whose content could not be compared (not received
			// in this run, or when recorded): item, detail.
			"unseen": cty.List(pageUnseenType),
		}),
	})
)

// ValidateSettings implements SettingsValidator: each bad allowlist entry
// is the user's to fix, at its file:line:col, before anything runs.
func (Page) ValidateSettings(cfg cty.Value) hcl.Diagnostics {
	v := cfg.GetAttr("script_allowlist")
	if !v.IsWhollyKnown() {
		return nil // a variable not set yet; Run checks again
	}
	if _, err := parseAllowlist(v); err == nil || !(v.Type().IsListType() || v.Type().IsTupleType() || v.Type().IsSetType()) {
		if err != nil {
			return configDiag("page", fmt.Errorf("script_allowlist: %w", err))
		}
		return nil
	}
	var diags hcl.Diagnostics
	i := 0
	for it := v.ElementIterator(); it.Next(); i++ {
		_, el := it.Element()
		_, err := parseAllowlist(cty.TupleVal([]cty.Value{el}))
		var ae *allowlistError
		if !errors.As(err, &ae) {
			continue
		}
		ae.index = i
		d := configDiag("page", fmt.Errorf("script_allowlist: %w", ae))
		d[0].Extra = SettingElement{Attr: "script_allowlist", Index: i}
		diags = append(diags, d...)
	}
	return diags
}

// Facts implements Kind. js_calls is dynamic: its options have the shape
// the page gives them.
func (Page) Facts() cty.Type { return pageFacts }

// pageFetch is what the network (or the file system) said about the page.
type pageFetch struct {
	body      []byte
	final     *url.URL // nil for a local file
	status    int
	headers   http.Header
	redirects []string // every URL of the way, the final one last
}

// Run implements Kind.
func (k Page) Run(ctx context.Context, env *Env, cfg cty.Value) (cty.Value, error) {
	src := cfg.GetAttr("source")
	if src.IsNull() || src.AsString() == "" {
		return cty.NilVal, fmt.Errorf("source: a URL or an HTML file is required")
	}
	source := src.AsString()
	timeout, err := cfgDuration(cfg, "timeout")
	if err != nil {
		return cty.NilVal, err
	}
	maxBytes, acc := cfg.GetAttr("max_bytes").AsBigFloat().Int64()
	if acc != big.Exact || maxBytes <= 0 {
		return cty.NilVal, fmt.Errorf("max_bytes: want a positive whole number")
	}

	allow, err := parseAllowlist(cfg.GetAttr("script_allowlist"))
	if err != nil {
		return cty.NilVal, fmt.Errorf("script_allowlist: %w", err)
	}
	engine, err := pageEngine(cfgString(cfg, "engine"), env)
	if err != nil {
		return cty.NilVal, err
	}

	var f pageFetch
	var scan *pageScan
	if engine == engineBrowser {
		f, scan, err = k.render(ctx, env, source, timeout, maxBytes)
		if err != nil {
			return cty.NilVal, err
		}
	} else {
		if pageIsURL(source) {
			f, err = k.fetch(ctx, env, source, timeout, maxBytes)
		} else {
			f.body, err = pageReadFile(env.Scope, env.Path(source), maxBytes)
		}
		if err != nil {
			return cty.NilVal, err
		}
		scan, err = scanPage(env.PackSet(), f.body, f.final)
		if err != nil {
			return cty.NilVal, fmt.Errorf("%s: %w", source, err)
		}
		scan.engine = engineStatic
		scan.staticScripts(env, source, f.final, maxBytes)
	}
	// The packs' calls in same-origin external scripts, read from where the
	// page is served (both engines: the browser ran them, the calls' options
	// are read from their source).
	scan.readExternal(ctx, env, pageWanted(env.PackSet()), source, f.final, timeout, maxBytes)
	scan.authorise(allow, f.final)
	track := pageTrack{}
	if cfg.GetAttr("track_changes").True() && env.Baselines != nil {
		track, err = scan.track(ctx, env, source, f, allow)
		if err != nil {
			return cty.NilVal, err
		}
	}
	return scan.facts(source, f, track), nil
}

func pageIsURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

func pageReadFile(scope *input.Scope, path string, maxBytes int64) ([]byte, error) {
	fh, _, err := scope.Open(path)
	if err != nil {
		return nil, fmt.Errorf("page: %w", err)
	}
	defer fh.Close()
	body, err := io.ReadAll(io.LimitReader(fh, maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("page %s: %w", path, err)
	}
	if int64(len(body)) > maxBytes {
		return nil, fmt.Errorf("page %s: larger than max_bytes (%d)", path, maxBytes)
	}
	return body, nil
}

func (k Page) fetch(ctx context.Context, env *Env, source string, timeout time.Duration, maxBytes int64) (pageFetch, error) {
	u, err := url.Parse(source)
	if err != nil || u.Host == "" {
		return pageFetch{}, fmt.Errorf("source %q: not a valid URL", source)
	}
	if err := env.CheckURL(u); err != nil {
		return pageFetch{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return pageFetch{}, fmt.Errorf("page: %w", err)
	}
	req.Header.Set("User-Agent", "audit (payment page review)")
	req.Header.Set("Accept", "text/html,application/xhtml+xml")
	resp, err := env.HTTPClient(pageMaxRedirects).Do(req)
	if err != nil {
		return pageFetch{}, fmt.Errorf("page: %w", err)
	}
	defer resp.Body.Close()
	final := resp.Request.URL
	// An error page has no checkout on it: judging its (absent) scripts
	// and card fields would pass steps that were never checked.
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return pageFetch{}, fmt.Errorf("page %s answered %s", final.Redacted(), resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBytes+1))
	if err != nil {
		return pageFetch{}, fmt.Errorf("page %s: %w", final.Redacted(), err)
	}
	if int64(len(body)) > maxBytes {
		return pageFetch{}, fmt.Errorf("page %s: larger than max_bytes (%d)", final.Redacted(), maxBytes)
	}
	var hops []string
	for r := resp.Request; r != nil && r.Response != nil; {
		r = r.Response.Request
		hops = append([]string{r.URL.Redacted()}, hops...)
	}
	hops = append(hops, final.Redacted())
	return pageFetch{body: body, final: final, status: resp.StatusCode, headers: resp.Header, redirects: hops}, nil
}

// pageScript is one <script> element.
type pageScript struct {
	src, host, typ, integrity, crossorigin string
	on                                     pageOn
	inline, sameOrigin                     bool
	line                                   int
	body                                   []byte
	bodyLine                               int

	url, injectedBy, frame, blocked string
	executed, received              bool
	sum                             string // sha256 of what was received, when known
	entry, reason                   string // the allowlist entry that authorises it
	entryAt                         int    // its index in the allowlist + 1; 0 for none
	authorised, dynamic             bool   // dynamic: its entry says it changes in place
	// attrs are an inline script's id and data-* attributes: how an
	// allowlist entry names a script whose code changes per request.
	attrs map[string]string
}

type pageRef struct {
	ref, host string
	on        pageOn
	line      int
}

// pageOn is the provider endpoint a reference points at.
type pageOn struct{ provider, purpose, environment string }

func (o pageOn) attrs(m map[string]cty.Value) cty.Value {
	m["provider"] = cty.StringVal(o.provider)
	m["purpose"] = cty.StringVal(o.purpose)
	m["environment"] = cty.StringVal(o.environment)
	return cty.ObjectVal(m)
}

// pageClassify finds the pack endpoint ref (resolved against base) is on.
func pageClassify(set *pack.Set, ref string, base *url.URL) pageOn {
	u, err := url.Parse(strings.TrimSpace(ref))
	if err != nil {
		return pageOn{}
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	m, ok := set.Endpoint(u)
	if !ok {
		return pageOn{}
	}
	return pageOn{provider: m.Provider, purpose: m.Endpoint.Purpose, environment: m.Endpoint.Environment}
}

type pageInput struct {
	name, id, typ, autocomplete string
	card                        bool
	line                        int
	// What a person reads next to it, and its shape: a card form in any
	// language, or with meaningless names, is still recognised.
	placeholder, ariaLabel, inputmode, maxlength, pattern string
	label                                                 int    // the <label> it sits in, -1 when none
	labelText                                             string // resolved: that label or a <label for>
}

type pageForm struct {
	action, host, method string
	merchant             bool
	line                 int
	inputs               []pageInput
	frame                string // the same-origin frame it is in, "" for the page
	built                bool   // not in the document as received
	builtBy              string // the script that created it, when known
	// submitters are its submit buttons that send it elsewhere
	// (formaction), each added as a form of its own once read.
	submitters []pageSubmitter
}

// pageSubmitter is a submit button with its own formaction.
type pageSubmitter struct {
	action, method string
	line           int
}

type pageCardField struct {
	name, autocomplete, formAction string
	line                           int
	label, frame                   string
}

// pageScan is everything read from the HTML itself.
type pageScan struct {
	metaCSP    string
	scripts    []pageScript
	iframes    []pageRef
	forms      []pageForm
	cardFields []pageCardField
	links      []pageRef
	creds      []credential
	jsCalls    []pageJSCall
	unread     []pageUnread
	// savedFrom is the origin a saved page names as its own (canonical
	// link, og:url): CMSs such as WordPress print their own scripts and
	// form actions as absolute URLs on it.
	savedFrom string

	inputs []pageInputAt // every input, in page order
	labels []pageLabel

	engine       string
	submitPlayed bool
	clicksPlayed int
	frames       []pageFrame
	requests     []pageRequest
	console      []string
}

// scanPage reads the HTML. base is the page's final URL (nil for a file):
// references are resolved against it.
func scanPage(set *pack.Set, body []byte, base *url.URL) (*pageScan, error) {
	s := &pageScan{}
	resolveBase := base
	z := html.NewTokenizer(bytes.NewReader(body))
	line := 1
	form := -1        // index of the open <form>
	script := -1      // index of the open <script>
	label := -1       // index of the open <label>
	seenBase := false // only the first <base href> counts, as in browsers
	for {
		tt := z.Next()
		tokLine := line
		line += bytes.Count(z.Raw(), []byte{'\n'})
		switch tt {
		case html.ErrorToken:
			// io.EOF, or a reader error that a bytes.Reader never returns.
			if base == nil {
				s.ownAbsoluteURLs()
			}
			s.classifyInputs()
			s.submitterForms(base, resolveBase)
			wanted := pageWanted(set)
			for _, sc := range s.scripts {
				if sc.inline && pageIsJS(sc.typ) {
					s.readScript(wanted, "", jsScript{src: string(sc.body), line: sc.bodyLine})
				}
			}
			var lines newlineIndex // built on the first hit: most pages have none
			s.creds = findCredentials(set, body, func(off int) sourceAt {
				if lines == nil {
					lines = newNewlineIndex(body)
				}
				return sourceAt{line: lines.line(off)}
			}, true, "")
			return s, nil
		case html.TextToken:
			if label >= 0 && script < 0 {
				s.labels[label].text += string(z.Text())
			}
			if script >= 0 {
				sc := &s.scripts[script]
				if sc.body == nil {
					sc.bodyLine = tokLine
				}
				sc.body = append(sc.body, z.Raw()...)
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "form":
				form = -1
			case "script":
				script = -1
			case "label":
				label = -1
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			tag := string(name)
			attrs := pageAttrs(z, hasAttr)
			switch tag {
			case "base":
				if href, ok := attrs["href"]; ok && !seenBase {
					seenBase = true
					if u, err := url.Parse(strings.TrimSpace(href)); err == nil {
						if resolveBase != nil {
							u = resolveBase.ResolveReference(u)
						}
						if u.IsAbs() {
							resolveBase = u
						}
					}
				}
			case "meta":
				if strings.EqualFold(strings.TrimSpace(attrs["http-equiv"]), "content-security-policy") && s.metaCSP == "" {
					s.metaCSP = attrs["content"]
				}
				if strings.EqualFold(strings.TrimSpace(attrs["property"]), "og:url") && s.savedFrom == "" {
					s.savedFrom = pageAbsOrigin(attrs["content"])
				}
			case "link":
				if strings.EqualFold(strings.TrimSpace(attrs["rel"]), "canonical") {
					if o := pageAbsOrigin(attrs["href"]); o != "" {
						s.savedFrom = o
					}
				}
			case "script":
				src, hasSrc := attrs["src"]
				sc := pageScript{
					src: src, typ: attrs["type"], integrity: attrs["integrity"],
					crossorigin: attrs["crossorigin"], inline: !hasSrc, line: tokLine,
				}
				if !hasSrc {
					sc.attrs = inlineAttrs(attrs)
				}
				if hasSrc {
					sc.host, sc.sameOrigin = pageResolve(src, base, resolveBase)
					sc.on = pageClassify(set, src, resolveBase)
				} else {
					sc.sameOrigin = true
				}
				s.scripts = append(s.scripts, sc)
				if tt == html.StartTagToken {
					script = len(s.scripts) - 1
				}
			case "iframe", "frame":
				src := attrs["src"]
				host, _ := pageResolve(src, base, resolveBase)
				s.iframes = append(s.iframes, pageRef{ref: src, host: host, on: pageClassify(set, src, resolveBase), line: tokLine})
			case "a", "area":
				if href, ok := attrs["href"]; ok {
					host, _ := pageResolve(href, base, resolveBase)
					s.links = append(s.links, pageRef{ref: href, host: host, on: pageClassify(set, href, resolveBase), line: tokLine})
				}
			case "form":
				f := pageForm{action: attrs["action"], line: tokLine, method: "get"}
				if m := strings.ToLower(strings.TrimSpace(attrs["method"])); m != "" {
					f.method = m
				}
				f.host, f.merchant = pageResolve(f.action, base, resolveBase)
				s.forms = append(s.forms, f)
				form = len(s.forms) - 1
			case "button":
				if t := strings.ToLower(strings.TrimSpace(attrs["type"])); form >= 0 && (t == "" || t == "submit") {
					s.forms[form].addSubmitter(attrs, tokLine)
				}
			case "input", "select", "textarea":
				if t := strings.ToLower(strings.TrimSpace(attrs["type"])); tag == "input" && form >= 0 && (t == "submit" || t == "image") {
					s.forms[form].addSubmitter(attrs, tokLine)
				}
				in := pageInput{
					name: attrs["name"], id: attrs["id"], autocomplete: attrs["autocomplete"],
					typ: tag, line: tokLine,
				}
				if tag == "input" {
					in.typ = strings.ToLower(strings.TrimSpace(attrs["type"]))
					if in.typ == "" {
						in.typ = "text"
					}
				}
				in.placeholder, in.ariaLabel = attrs["placeholder"], attrs["aria-label"]
				in.inputmode, in.maxlength, in.pattern = attrs["inputmode"], attrs["maxlength"], attrs["pattern"]
				in.label = label
				// Whether it is a card field is decided at the end, once
				// every <label for> has been read.
				at := pageInputAt{form: form, in: in}
				if form >= 0 {
					s.forms[form].inputs = append(s.forms[form].inputs, in)
					at.index = len(s.forms[form].inputs) - 1
				}
				s.inputs = append(s.inputs, at)
			case "label":
				s.labels = append(s.labels, pageLabel{forID: attrs["for"]})
				if tt == html.StartTagToken {
					label = len(s.labels) - 1
				}
			}
		}
	}
}

// pageAttrs returns a tag's attributes; the first of a repeated name wins,
// as in browsers.
func pageAttrs(z *html.Tokenizer, more bool) map[string]string {
	attrs := map[string]string{}
	for more {
		var k, v []byte
		k, v, more = z.TagAttr()
		if _, dup := attrs[string(k)]; !dup {
			attrs[string(k)] = string(v)
		}
	}
	return attrs
}

// pageOrigin is scheme://host[:port] with the default port left out.
func pageOrigin(u *url.URL) string {
	if u == nil || u.Host == "" {
		return ""
	}
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Hostname())
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if p := u.Port(); p != "" && !(scheme == "https" && p == "443") && !(scheme == "http" && p == "80") {
		host += ":" + p
	}
	return scheme + "://" + host
}

// pageResolve returns the host ref points at and whether it stays on the
// page's origin. For a local file (origin nil) a reference with neither
// scheme nor host is the merchant's own.
func pageResolve(ref string, origin, base *url.URL) (host string, sameOrigin bool) {
	u, err := url.Parse(strings.TrimSpace(ref))
	if err != nil {
		return "", false
	}
	relative := u.Scheme == "" && u.Host == ""
	if base != nil {
		u = base.ResolveReference(u)
	}
	host = strings.ToLower(u.Hostname())
	if origin == nil {
		return host, relative
	}
	return host, pageOrigin(u) == pageOrigin(origin)
}

// addSubmitter keeps a submit button that sends the form elsewhere.
func (f *pageForm) addSubmitter(attrs map[string]string, line int) {
	action, ok := attrs["formaction"]
	if !ok {
		return
	}
	f.submitters = append(f.submitters, pageSubmitter{action: action, method: strings.ToLower(strings.TrimSpace(attrs["formmethod"])), line: line})
}

// submitterForms adds a form for each submit button with a formaction: it
// sends the same fields there (a form whose action is the provider's and
// whose button posts to the merchant sends card data to the merchant).
func (s *pageScan) submitterForms(origin, base *url.URL) {
	for i, n := 0, len(s.forms); i < n; i++ {
		f := s.forms[i]
		for _, b := range f.submitters {
			alt := pageForm{action: b.action, method: f.method, line: b.line, inputs: f.inputs, frame: f.frame}
			if b.method != "" {
				alt.method = b.method
			}
			alt.host, alt.merchant = pageResolve(b.action, origin, base)
			if s.savedFrom != "" && pageAbsOrigin(b.action) == s.savedFrom {
				alt.merchant = true
			}
			s.forms = append(s.forms, alt)
		}
	}
}

// ownAbsoluteURLs marks the scripts and form actions of a saved page (a
// local file) that point at the origin the page names as its own.
func (s *pageScan) ownAbsoluteURLs() {
	if s.savedFrom == "" {
		return
	}
	for i := range s.scripts {
		if sc := &s.scripts[i]; !sc.inline && pageAbsOrigin(sc.src) == s.savedFrom {
			sc.sameOrigin = true
		}
	}
	for i := range s.forms {
		if f := &s.forms[i]; pageAbsOrigin(f.action) == s.savedFrom {
			f.merchant = true
		}
	}
}

// pageAbsOrigin is the scheme://host[:port] of an absolute http(s) URL, or "".
func pageAbsOrigin(ref string) string {
	u, err := url.Parse(strings.TrimSpace(ref))
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	return pageOrigin(u)
}

// pagePath is the path a same-origin script is served at, as an allowlist
// names it: "./js/app.js" and "js/app.js" are "/js/app.js", an absolute URL
// on the page's own origin is its path.
func pagePath(src string, sameOrigin bool) string {
	if !sameOrigin {
		return ""
	}
	u, err := url.Parse(strings.TrimSpace(src))
	if err != nil {
		return ""
	}
	p := path.Clean("/" + strings.TrimPrefix(u.Path, "./"))
	if p == "/" && u.Path == "" {
		return ""
	}
	return p
}

// newlineIndex maps byte offsets to 1-based line numbers.
type newlineIndex []int

func newNewlineIndex(b []byte) newlineIndex {
	var idx newlineIndex
	for i, c := range b {
		if c == '\n' {
			idx = append(idx, i)
		}
	}
	return idx
}

func (n newlineIndex) line(off int) int { return sort.SearchInts(n, off) + 1 }

// facts assembles the cty value.
func (s *pageScan) facts(source string, f pageFetch, track pageTrack) cty.Value {
	headers := map[string]cty.Value{}
	for k, vs := range f.headers {
		key := strings.ToLower(k)
		if key == "set-cookie" {
			vs = pageRedactCookies(vs)
		}
		headers[key] = cty.StringVal(strings.Join(vs, ", "))
	}
	headersVal := cty.MapValEmpty(cty.String)
	if len(headers) > 0 {
		headersVal = cty.MapVal(headers)
	}
	finalURL := ""
	if f.final != nil {
		finalURL = f.final.Redacted()
	}

	scripts := make([]cty.Value, len(s.scripts))
	for i, sc := range s.scripts {
		scripts[i] = sc.on.attrs(map[string]cty.Value{
			"src": cty.StringVal(sc.src), "host": cty.StringVal(sc.host), "inline": cty.BoolVal(sc.inline),
			"type": cty.StringVal(sc.typ), "integrity": cty.StringVal(sc.integrity),
			"crossorigin": cty.StringVal(sc.crossorigin), "same_origin": cty.BoolVal(sc.sameOrigin),
			"path": cty.StringVal(pagePath(sc.src, sc.sameOrigin && !sc.inline)),
			"line": cty.NumberIntVal(int64(sc.line)), "sha256": cty.StringVal(sc.hash()),
			"url": cty.StringVal(sc.url), "injected_by": cty.StringVal(sc.injectedBy), "frame": cty.StringVal(sc.frame),
			"executed": cty.BoolVal(sc.executed), "blocked": cty.StringVal(sc.blocked), "received": cty.BoolVal(sc.received),
			"authorised": cty.BoolVal(sc.authorised), "allowlist_entry": cty.StringVal(sc.entry), "reason": cty.StringVal(sc.reason),
			"dynamic": cty.BoolVal(sc.dynamic),
		})
	}
	iframes := make([]cty.Value, len(s.iframes))
	for i, r := range s.iframes {
		iframes[i] = r.on.attrs(map[string]cty.Value{
			"src": cty.StringVal(r.ref), "host": cty.StringVal(r.host), "line": cty.NumberIntVal(int64(r.line)),
		})
	}
	links := make([]cty.Value, len(s.links))
	for i, r := range s.links {
		links[i] = r.on.attrs(map[string]cty.Value{
			"href": cty.StringVal(r.ref), "host": cty.StringVal(r.host), "line": cty.NumberIntVal(int64(r.line)),
		})
	}
	forms := make([]cty.Value, len(s.forms))
	for i, fm := range s.forms {
		inputs := make([]cty.Value, len(fm.inputs))
		for j, in := range fm.inputs {
			inputs[j] = cty.ObjectVal(map[string]cty.Value{
				"name": cty.StringVal(in.name), "id": cty.StringVal(in.id), "type": cty.StringVal(in.typ),
				"autocomplete": cty.StringVal(in.autocomplete), "card_field": cty.BoolVal(in.card),
				"line": cty.NumberIntVal(int64(in.line)),
			})
		}
		forms[i] = cty.ObjectVal(map[string]cty.Value{
			"action": cty.StringVal(fm.action), "action_host": cty.StringVal(fm.host),
			"method": cty.StringVal(fm.method), "posts_to_merchant": cty.BoolVal(fm.merchant),
			"line": cty.NumberIntVal(int64(fm.line)), "inputs": ListOf(pageInputType, inputs),
			"frame": cty.StringVal(fm.frame), "built": cty.BoolVal(fm.built), "built_by": cty.StringVal(fm.builtBy),
		})
	}
	cards := make([]cty.Value, len(s.cardFields))
	for i, c := range s.cardFields {
		cards[i] = cty.ObjectVal(map[string]cty.Value{
			"name": cty.StringVal(c.name), "autocomplete": cty.StringVal(c.autocomplete),
			"form_action": cty.StringVal(c.formAction), "line": cty.NumberIntVal(int64(c.line)),
			"label": cty.StringVal(c.label), "frame": cty.StringVal(c.frame),
		})
	}
	return cty.ObjectVal(map[string]cty.Value{
		"source":         cty.StringVal(source),
		"url":            cty.StringVal(finalURL),
		"local":          cty.BoolVal(!pageIsURL(source)),
		"engine":         cty.StringVal(s.engine),
		"redirects":      Strings(f.redirects),
		"status":         cty.NumberIntVal(int64(f.status)),
		"origin":         cty.StringVal(pageOrigin(f.final)),
		"headers":        headersVal,
		"csp":            pageCSP(f.headers, s.metaCSP),
		"hsts":           pageHSTS(f.headers, f.final),
		"scripts":        ListOf(pageScriptType, scripts),
		"iframes":        ListOf(pageRefType, iframes),
		"forms":          ListOf(pageFormType, forms),
		"card_fields":    ListOf(pageCardFieldType, cards),
		"js_calls":       s.jsCallFacts(),
		"scripts_unread": s.unreadFacts(),
		"credentials":    credentialFacts(s.creds),
		"links":          ListOf(pageLinkType, links),
		"frames":         s.framesVal(),
		"requests":       s.requestsVal(),
		"submit_played":  cty.BoolVal(s.submitPlayed),
		"clicks_played":  cty.NumberIntVal(int64(s.clicksPlayed)),
		"console":        Strings(s.console),
		"baseline":       track.val(),
	})
}

// pageRedactCookies keeps each cookie's name and attributes (Secure,
// HttpOnly, SameSite matter to a review) and drops its value, which is
// often a session secret.
func pageRedactCookies(vs []string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		pair, attrs, _ := strings.Cut(v, ";")
		name, _, _ := strings.Cut(pair, "=")
		out[i] = strings.TrimSpace(name) + "=…"
		if attrs != "" {
			out[i] += ";" + attrs
		}
	}
	return out
}

// pageHSTS reads Strict-Transport-Security as a browser does (RFC 6797):
// only the first header counts, only over https, and only with a valid
// max-age.
func pageHSTS(h http.Header, final *url.URL) cty.Value {
	var maxAge int64
	var present, sub, preload bool
	if final != nil && strings.EqualFold(final.Scheme, "https") && h.Get("Strict-Transport-Security") != "" {
		for _, d := range strings.Split(h.Get("Strict-Transport-Security"), ";") {
			name, val, _ := strings.Cut(strings.TrimSpace(d), "=")
			switch strings.ToLower(strings.TrimSpace(name)) {
			case "max-age":
				n, err := strconv.ParseInt(strings.Trim(strings.TrimSpace(val), `"`), 10, 64)
				if err == nil && n >= 0 {
					maxAge, present = n, true
				}
			case "includesubdomains":
				sub = true
			case "preload":
				preload = true
			}
		}
	}
	if !present {
		sub, preload = false, false
	}
	return cty.ObjectVal(map[string]cty.Value{
		"present": cty.BoolVal(present), "max_age": cty.NumberIntVal(maxAge),
		"include_subdomains": cty.BoolVal(sub), "preload": cty.BoolVal(preload),
	})
}
