package probes

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/zclconf/go-cty/cty"
)

// pageFrame is a frame the browser loaded below the page.
type pageFrame struct {
	url, origin, host string
	depth             int
	sameOrigin        bool
}

// pageRequest is one request the page made in the browser.
type pageRequest struct {
	url, host, method, typ string
	sameOrigin, hasBody    bool
	carriesCard            bool // the card number played into the fields is in it
	blocked, injectedBy    string
	status                 int
}

// hash is the script's sha256 as a CSP source spells it: of the inline
// text, or of what the browser received; "" when nothing was read.
func (sc pageScript) hash() string {
	if sc.sum != "" {
		return sc.sum
	}
	if sc.inline {
		h := sha256.Sum256(sc.body)
		return "sha256-" + base64.StdEncoding.EncodeToString(h[:])
	}
	return ""
}

// allowEntry is one authorised script (6.4.3): an inline hash
// ("sha256-…"), a host ("js.stripe.com": any https URL on that exact
// host), an origin or URL ("https://cdn.example/lib/": that origin, the
// path exactly or, ending in "/", below it), or a root-relative path of the
// merchant's own origin ("/assets/app.js").
type allowEntry struct {
	raw, reason string
	hash        string   // inline hash
	host        string   // bare host
	origin      string   // scheme://host[:port], "" for a same-origin path
	path        string   // normalised; "" for a whole origin
	query       *string  // exact query, when the entry names one
	dir         bool     // path ends in "/": everything below it
	dynamic     bool     // the provider changes it in place: its hash may change (11.6.1)
	integrity   []string // expected integrity values, when pinned
	// An inline script named by an attribute and/or by its code with
	// declared variable parts (page_inline.go).
	inline bool
	sel    *inlineSelector
	tmpl   *inlineTemplate
}

// allowlistError is an error in one entry of the allowlist.
type allowlistError struct {
	index int
	err   error
}

func (e *allowlistError) Error() string { return fmt.Sprintf("entry %d: %v", e.index, e.err) }
func (e *allowlistError) Unwrap() error { return e.err }

// parseAllowlist reads the script_allowlist value: a list or tuple of
// strings and objects { script = "…", reason = "…", dynamic = bool,
// integrity = "sha384-…", code = "…{{part}}…", parts = { part = "RE2" } }.
func parseAllowlist(v cty.Value) ([]allowEntry, error) {
	if v.IsNull() {
		return nil, nil
	}
	if !v.IsKnown() || !(v.Type().IsListType() || v.Type().IsTupleType() || v.Type().IsSetType()) {
		return nil, fmt.Errorf("want a list of scripts, got %s", v.Type().FriendlyName())
	}
	var out []allowEntry
	i := 0
	for it := v.ElementIterator(); it.Next(); i++ {
		_, el := it.Element()
		var e allowEntry
		switch {
		case el.IsNull() || !el.IsKnown():
			return nil, &allowlistError{i, fmt.Errorf("null")}
		case el.Type() == cty.String:
			e.raw = el.AsString()
		case el.Type().IsObjectType() || el.Type().IsMapType():
			get := func(name string) (cty.Value, bool) {
				if el.Type().IsObjectType() && !el.Type().HasAttribute(name) {
					return cty.NilVal, false
				}
				if el.Type().IsMapType() {
					if !el.HasIndex(cty.StringVal(name)).True() {
						return cty.NilVal, false
					}
					return el.Index(cty.StringVal(name)), true
				}
				return el.GetAttr(name), true
			}
			if el.Type().IsObjectType() {
				for name := range el.Type().AttributeTypes() {
					switch name {
					case "script", "reason", "dynamic", "integrity", "code", "parts":
					default:
						return nil, &allowlistError{i, fmt.Errorf("unknown attribute %q (want script, reason, dynamic, integrity, code, parts)", name)}
					}
				}
			}
			sv, ok := get("script")
			if !ok || sv.IsNull() || sv.Type() != cty.String {
				return nil, &allowlistError{i, fmt.Errorf("script (a string) is required")}
			}
			e.raw = sv.AsString()
			if rv, ok := get("reason"); ok && !rv.IsNull() && rv.Type() == cty.String {
				e.reason = strings.TrimSpace(rv.AsString())
			}
			if e.reason == "" {
				return nil, &allowlistError{i, fmt.Errorf("%s: reason is empty: say why the script is needed", e.raw)}
			}
			if dv, ok := get("dynamic"); ok && !dv.IsNull() {
				if dv.Type() != cty.Bool {
					return nil, &allowlistError{i, fmt.Errorf("dynamic must be true or false")}
				}
				e.dynamic = dv.True()
			}
			if iv, ok := get("integrity"); ok && !iv.IsNull() && iv.Type() == cty.String {
				e.integrity = strings.Fields(iv.AsString())
			}
			cv, hasCode := get("code")
			pv, hasParts := get("parts")
			if hasParts && !hasCode {
				return nil, &allowlistError{i, fmt.Errorf("%s: parts are the variable parts of code: give code too", e.raw)}
			}
			if hasCode && !cv.IsNull() {
				if cv.Type() != cty.String {
					return nil, &allowlistError{i, fmt.Errorf("%s: code must be a string", e.raw)}
				}
				if !hasParts {
					pv = cty.NullVal(cty.DynamicPseudoType)
				}
				t, err := parseTemplate(cv.AsString(), pv)
				if err != nil {
					return nil, &allowlistError{i, fmt.Errorf("%s: %w", e.raw, err)}
				}
				e.tmpl = t
			}
		default:
			return nil, &allowlistError{i, fmt.Errorf("want a string or an object, got %s", el.Type().FriendlyName())}
		}
		if err := e.parse(); err != nil {
			return nil, &allowlistError{i, err}
		}
		out = append(out, e)
	}
	return out, nil
}

func (e *allowEntry) parse() error {
	s := strings.TrimSpace(e.raw)
	sel, inline, err := parseInlineSelector(s)
	if err != nil {
		return err
	}
	if inline {
		e.inline, e.sel = true, sel
		switch {
		case sel == nil && e.tmpl == nil:
			return fmt.Errorf("%q: say which inline script: inline#ID, inline[data-NAME=VALUE], or its code with variable parts (code = \"…{{token}}…\", parts = { token = \"[A-Za-z0-9]{32}\" })", s)
		case e.tmpl != nil && e.dynamic:
			return fmt.Errorf("%q: with code only the declared parts may vary; dynamic = true would accept any code: give one or the other", s)
		case len(e.integrity) > 0:
			return fmt.Errorf("%q: an inline script has no integrity attribute; name it by hash (sha256-…) to pin it", s)
		}
		return nil
	}
	if e.tmpl != nil {
		return fmt.Errorf("%q: code is for inline scripts (script = \"inline\", \"inline#ID\" or \"inline[data-NAME=VALUE]\")", s)
	}
	switch {
	case s == "":
		return fmt.Errorf("empty script")
	case strings.HasPrefix(s, "sha256-") || strings.HasPrefix(s, "sha384-") || strings.HasPrefix(s, "sha512-"):
		e.hash = s
	case strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//"):
		p, q, err := pageNormPath(s)
		if err != nil {
			return fmt.Errorf("%q: %w", s, err)
		}
		e.path, e.query = p, q
		e.dir = strings.HasSuffix(p, "/")
	case strings.Contains(s, "://"):
		u, err := url.Parse(s)
		if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
			return fmt.Errorf("%q is not an http(s) URL", s)
		}
		if strings.Contains(u.Host, "*") {
			return fmt.Errorf("%q: wildcards are not accepted, name each host", s)
		}
		e.origin = pageOrigin(u)
		if u.EscapedPath() != "" && u.EscapedPath() != "/" {
			p, q, err := pageNormPath(u.EscapedPath() + querySuffix(u))
			if err != nil {
				return fmt.Errorf("%q: %w", s, err)
			}
			e.path, e.query = p, q
			e.dir = strings.HasSuffix(p, "/")
		} else if u.RawQuery != "" {
			q := u.RawQuery
			e.path, e.query = "/", &q
		}
	case !strings.ContainsAny(s, "/?#* "):
		e.host = strings.ToLower(strings.TrimSuffix(s, "."))
		if !allowHost(e.host) {
			return fmt.Errorf("%q: not a host name (a host is labels of letters, digits and -, without a port)", s)
		}
	default:
		return fmt.Errorf("%q: want a host, an https URL, a /path of the merchant's origin or an inline sha256- hash (wildcards are not accepted)", s)
	}
	return nil
}

// allowHost reports whether h is a host name an allowlist may name: an
// empty one (".") would authorise every script of the merchant's origin.
func allowHost(h string) bool {
	if h == "" {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" {
			return false
		}
		for _, r := range label {
			if r != '-' && r != '_' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				return false
			}
		}
	}
	return true
}

func querySuffix(u *url.URL) string {
	if u.ForceQuery || u.RawQuery != "" {
		return "?" + u.RawQuery
	}
	return ""
}

// pageNormPath resolves a URL path as a browser does before requesting it:
// "%2e" is a dot, "\" a slash, dot segments are removed. It returns the
// query, when there is one.
func pageNormPath(p string) (string, *string, error) {
	var query *string
	if i := strings.IndexByte(p, '#'); i >= 0 {
		p = p[:i]
	}
	if i := strings.IndexByte(p, '?'); i >= 0 {
		q := p[i+1:]
		query, p = &q, p[:i]
	}
	p = strings.ReplaceAll(p, `\`, "/")
	p = strings.NewReplacer("%2e", ".", "%2E", ".").Replace(p)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	dir := strings.HasSuffix(p, "/") || strings.HasSuffix(p, "/.") || strings.HasSuffix(p, "/..")
	clean := path.Clean(p)
	if dir && clean != "/" {
		clean += "/"
	}
	return clean, query, nil
}

// matches reports whether e authorises the script sc. pageOrig is the
// page's origin ("" for a local page, whose own scripts are root-relative).
func (e allowEntry) matches(sc pageScript, pageOrig string) bool {
	if sc.inline {
		switch {
		case e.hash != "":
			return e.hash == sc.hash()
		case !e.inline:
			return false
		case e.sel != nil && !e.sel.matches(sc.attrs):
			return false
		case e.tmpl != nil && !e.tmpl.matches(string(sc.body)):
			return false
		}
		return true
	}
	if e.hash != "" || e.inline {
		return false
	}
	u, err := url.Parse(sc.url)
	if err != nil {
		return false
	}
	origin := pageOrigin(u)
	if u.Host == "" {
		origin = pageOrig // a local page's own script
	}
	switch {
	case e.host != "":
		return u.Host != "" && strings.EqualFold(u.Scheme, "https") && strings.ToLower(strings.TrimSuffix(u.Hostname(), ".")) == e.host
	case e.origin != "":
		if origin != e.origin {
			return false
		}
	default: // a path of the merchant's own origin
		if !sc.sameOrigin {
			return false
		}
	}
	if e.path == "" {
		return true
	}
	p, q, err := pageNormPath(u.EscapedPath() + querySuffix(u))
	if err != nil {
		return false
	}
	if e.query != nil && (q == nil || *q != *e.query) {
		return false
	}
	if e.dir {
		return strings.HasPrefix(p, e.path)
	}
	return p == e.path
}

// authorise marks each script with the first allowlist entry that covers
// it. A pinned entry authorises only a script carrying one of its
// integrity values.
func (s *pageScan) authorise(allow []allowEntry, final *url.URL) {
	orig := pageOrigin(final)
	// An entry that names an inline script by an attribute alone names
	// one script: when several carry it (one injected beside the real
	// one), it authorises none of them.
	ambiguous := map[int]bool{}
	for j, e := range allow {
		if e.sel == nil || e.tmpl != nil {
			continue
		}
		n := 0
		for _, sc := range s.scripts {
			if sc.inline && pageRunnable(sc.typ) && e.matches(sc, orig) {
				n++
			}
		}
		ambiguous[j] = n > 1
	}
	for i := range s.scripts {
		sc := &s.scripts[i]
		if !pageRunnable(sc.typ) {
			sc.authorised, sc.reason = true, "type "+sc.typ+" is a data block: browsers do not run it"
			continue
		}
		for j, e := range allow {
			if ambiguous[j] || !e.matches(*sc, orig) {
				continue
			}
			if len(e.integrity) > 0 && !pageContainsAny(strings.Fields(sc.integrity), e.integrity) {
				continue
			}
			sc.authorised, sc.entry, sc.entryAt, sc.reason, sc.dynamic = true, e.raw, j+1, e.reason, e.dynamic
			break
		}
	}
}

func pageContainsAny(have, want []string) bool {
	for _, h := range have {
		for _, w := range want {
			if h == w {
				return true
			}
		}
	}
	return false
}

// staticScripts fills what the static engine can know of each script: its
// resolved URL, and for a built page's own scripts, the hash of the file
// the server would send.
func (s *pageScan) staticScripts(env *Env, source string, final *url.URL, maxBytes int64) {
	local := !pageIsURL(source)
	for i := range s.scripts {
		sc := &s.scripts[i]
		if sc.inline {
			continue
		}
		ref, err := url.Parse(strings.TrimSpace(sc.src))
		if err != nil {
			sc.url = sc.src
			continue
		}
		if !local {
			if final != nil {
				ref = final.ResolveReference(ref)
			}
			sc.url = ref.String()
			continue
		}
		if ref.Scheme != "" || ref.Host != "" {
			sc.url = ref.String()
			continue
		}
		// A built page is served from its folder, as the browser engine's
		// loopback server does.
		root := &url.URL{Path: "/" + filepath.Base(source)}
		res := root.ResolveReference(ref)
		sc.url = res.String()
		sc.sum, sc.received = pageFileHash(filepath.Join(filepath.Dir(env.Path(source)), filepath.FromSlash(res.Path)), maxBytes)
	}
}

// pageFileHash hashes a local script file; nothing when it cannot be read
// (a missing file is a broken page, reported by its empty hash).
func pageFileHash(p string, maxBytes int64) (string, bool) {
	f, err := os.Open(p)
	if err != nil {
		return "", false
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() || st.Size() > maxBytes {
		return "", false
	}
	h := sha256.New()
	if _, err := io.Copy(h, io.LimitReader(f, maxBytes)); err != nil {
		return "", false
	}
	return "sha256-" + base64.StdEncoding.EncodeToString(h.Sum(nil)), true
}

func (s *pageScan) framesVal() cty.Value {
	vals := make([]cty.Value, len(s.frames))
	for i, f := range s.frames {
		vals[i] = cty.ObjectVal(map[string]cty.Value{
			"url": cty.StringVal(f.url), "origin": cty.StringVal(f.origin), "host": cty.StringVal(f.host),
			"depth": cty.NumberIntVal(int64(f.depth)), "same_origin": cty.BoolVal(f.sameOrigin),
		})
	}
	return ListOf(pageFrameType, vals)
}

func (s *pageScan) requestsVal() cty.Value {
	vals := make([]cty.Value, len(s.requests))
	for i, r := range s.requests {
		vals[i] = cty.ObjectVal(map[string]cty.Value{
			"url": cty.StringVal(r.url), "host": cty.StringVal(r.host), "method": cty.StringVal(r.method),
			"type": cty.StringVal(r.typ), "same_origin": cty.BoolVal(r.sameOrigin), "blocked": cty.StringVal(r.blocked),
			"injected_by":  cty.StringVal(r.injectedBy),
			"sends_data":   cty.BoolVal(r.hasBody || (r.method != "" && r.method != "GET" && r.method != "HEAD" && r.method != "OPTIONS")),
			"status":       cty.NumberIntVal(int64(r.status)),
			"carries_card": cty.BoolVal(r.carriesCard),
		})
	}
	return ListOf(pageRequestType, vals)
}

// pageRunnable reports whether a <script type> is run by browsers: no type,
// a JavaScript MIME type, or module. Anything else (JSON-LD, templates) is
// data.
func pageRunnable(typ string) bool {
	t := strings.ToLower(strings.TrimSpace(typ))
	if i := strings.IndexByte(t, ';'); i >= 0 {
		t = strings.TrimSpace(t[:i])
	}
	switch t {
	case "", "module", "text/javascript", "application/javascript", "application/ecmascript", "text/ecmascript",
		"application/x-javascript", "application/x-ecmascript", "text/x-javascript", "text/jscript", "text/livescript":
		return true
	}
	return false
}
