package probes

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zclconf/go-cty/cty"
)

// FuzzParseCSP: any header or <meta> policy, however hostile, parses into
// lower-case directives without whitespace, keeps the first of a repeated
// directive, never lets a <meta> policy set frame-ancestors, and never says
// a policy restricts scripts while its script sources allow any host.
func FuzzParseCSP(f *testing.F) {
	for _, seed := range []string{
		"script-src 'self' https://js.stripe.com; frame-ancestors 'none'",
		"script-src * data: blob:",
		"default-src 'none'; script-src 'nonce-r4nd0m' 'strict-dynamic' https: 'unsafe-inline'",
		"SCRIPT-SRC 'SELF' 'NONCE-AbC' 'Sha256-xyz='",
		"script-src 'self'; script-src *",
		"script-src https://*.com *.example https://*; frame-ancestors https://a.example",
		"script-src 'self',script-src *,,;;, ; ;",
		"script-src http://[::1]:8080/x https://shop.example:443/ wss: filesystem:",
		"script-src 'nonce-",
		"script-src '",
		"\x00script-src\x00'self'\x00",
		"script-src\t'self'\f'unsafe-eval'\r\n'wasm-unsafe-eval'",
		"frame-ancestors 'none'; report-uri /csp; sandbox",
		"script-src 'self' \xff\xfe https://xn--80ak6aa92e.com",
		strings.Repeat("script-src a;", 500),
		strings.Repeat(",", 1000),
	} {
		f.Add(seed, false)
		f.Add(seed, true)
	}
	f.Fuzz(func(t *testing.T, raw string, meta bool) {
		pols := parseCSP(raw, meta)
		for _, p := range pols {
			require.Len(t, p.dirs, len(p.order))
			for _, name := range p.order {
				assert.Equal(t, strings.ToLower(name), name)
				assert.NotContains(t, name, ";")
				assert.NotContains(t, name, ",")
				if meta {
					assert.NotContains(t, []string{"frame-ancestors", "report-uri", "sandbox"}, name, "a <meta> policy cannot set %s", name)
				}
				for _, v := range p.dirs[name] {
					assert.NotEmpty(t, v)
					assert.Equal(t, -1, strings.IndexFunc(v, isCSPSpace), "a source has no whitespace: %q", v)
				}
			}
			c := p.scripts()
			if c.restricts && !c.dynamic {
				for _, v := range c.src {
					assert.NotContains(t, []string{"*", "https:", "http:", "data:", "blob:"}, strings.ToLower(v), "restricts_scripts with %q", v)
				}
			}
			if c.restricts {
				assert.False(t, c.unsafeInline)
			}
		}
		if !utf8.ValidString(raw) {
			return // headers and attributes reach cty as valid UTF-8 only
		}
		h := http.Header{}
		if !meta {
			h.Set("Content-Security-Policy", raw)
		}
		metaRaw := ""
		if meta {
			metaRaw = raw
		}
		v := pageCSP(h, metaRaw)
		require.True(t, v.Type().Equals(pageCSPType), v.Type().FriendlyName())
		if v.GetAttr("restricts_scripts").True() {
			assert.True(t, v.GetAttr("present").True())
		}
		if meta {
			assert.Equal(t, 0, v.GetAttr("frame_ancestors").LengthInt(), "frame-ancestors counts only from a header")
		}
	})
}

// isCSPSpace is what strings.Fields splits on.
func isCSPSpace(r rune) bool { return strings.TrimSpace(string(r)) == "" }

// FuzzAllowlist: any entry, as a string or as an object, either is refused
// with an error or parses into exactly one kind of match; and what it then
// authorises is never a look-alike host, another origin, or a path that
// leaves the entry's folder by dot segments.
func FuzzAllowlist(f *testing.F) {
	for _, seed := range [][3]string{
		{"https://cdn.shop.example", "https://cdn.shop.example.attacker.example/skimmer.js", "marketing"},
		{"/assets/app.js", "https://shop.example/assets/app.js/../../evil/skim.js", "checkout"},
		{"/assets/", "https://shop.example/assets/%2e%2e/%2E%2E/evil.js", "bundle"},
		{"cdn.shop.example", "https://cdn.shop.example./x.js", " "},
		{"https://*.stripe.com/", "https://js.stripe.com/v3/", "wild"},
		{"sha256-abc=", "inline", "inline bootstrap"},
		{"//cdn.example/a.js", "https://cdn.example/a.js", "protocol-relative"},
		{"https://js.stripe.com/v3/?x", "https://js.stripe.com/v3/?x", "query"},
		{"https://user:pass@cdn.example:8443/a\\b.js#frag", "https://cdn.example:8443/a/b.js", "userinfo"},
		{"/assets/app.js?v=1#x", "https://shop.example/assets/app.js?v=1", "versioned"},
		{"\x00/assets", "https://shop.example/\x00/assets", "nul"},
		{"https://[::1]:443/", "https://[::1]/x.js", "ipv6"},
		{"HTTPS://CDN.EXAMPLE/A.JS", "https://cdn.example/A.JS", "case"},
		{"javascript:alert(1)", "javascript:alert(1)", "scheme"},
		{"inline#state", "https://shop.example/state.js", "per-request state"},
		{"inline[data-role=state]", "/x.js", "data attribute"},
		{"inline", "/x.js", "no code"},
		{"", "", ""},
	} {
		f.Add(seed[0], seed[1], seed[2], "sha384-x", false, true)
		f.Add(seed[0], seed[1], seed[2], "", true, false)
	}
	page := &url.URL{Scheme: "https", Host: "shop.example", Path: "/checkout"}
	f.Fuzz(func(t *testing.T, script, target, reason, integrity string, dynamic, asObject bool) {
		if !utf8.ValidString(script) || !utf8.ValidString(reason) || !utf8.ValidString(integrity) {
			return // HCL strings are valid UTF-8
		}
		el := cty.StringVal(script)
		if asObject {
			el = cty.ObjectVal(map[string]cty.Value{
				"script": cty.StringVal(script), "reason": cty.StringVal(reason),
				"integrity": cty.StringVal(integrity), "dynamic": cty.BoolVal(dynamic),
			})
		}
		allow, err := parseAllowlist(cty.TupleVal([]cty.Value{el}))
		if err != nil {
			assert.Contains(t, err.Error(), "entry 0")
			return
		}
		require.Len(t, allow, 1)
		e := allow[0]
		assert.Equal(t, script, e.raw)
		kinds := 0
		for _, set := range []bool{e.hash != "", e.host != "", e.origin != "", e.origin == "" && e.path != "", e.inline} {
			if set {
				kinds++
			}
		}
		assert.Equal(t, 1, kinds, "one kind of match: %+v", e)
		if asObject {
			assert.NotEmpty(t, e.reason, "an object entry has a reason")
		}

		u, err := url.Parse(target)
		if err != nil {
			return
		}
		u = page.ResolveReference(u)
		host, same := pageResolve(u.String(), page, page)
		sc := pageScript{src: target, url: u.String(), host: host, sameOrigin: same, integrity: integrity}
		if !e.matches(sc, pageOrigin(page)) {
			return
		}
		switch {
		case e.host != "":
			assert.Equal(t, e.host, strings.ToLower(strings.TrimSuffix(u.Hostname(), ".")))
			assert.Equal(t, "https", strings.ToLower(u.Scheme))
		case e.origin != "":
			assert.Equal(t, e.origin, pageOrigin(u))
		default:
			assert.True(t, same, "a path entry authorises the merchant's own scripts only")
		}
		if e.path != "" {
			p, _, err := pageNormPath(u.EscapedPath() + querySuffix(u))
			require.NoError(t, err)
			assert.NotContains(t, strings.Split(p, "/"), "..")
			if e.dir {
				assert.True(t, strings.HasPrefix(p, e.path), "%s below %s", p, e.path)
			} else {
				assert.Equal(t, e.path, p)
			}
		}
	})
}

// FuzzInlineTemplate: an inline script matches an entry's code only when
// it is that code with each variable part filled by a value holding none of
// partForbidden — so it holds exactly as many quotes, backslashes, < and
// line breaks as the code's literal text. The diff of any two scripts is
// bounded and never panics.
func FuzzInlineTemplate(f *testing.F) {
	f.Add(`window.csrf = "{{token}}";`, "[0-9a-f]{8}", `window.csrf = "deadbeef";`, `window.csrf = "0badf00d";`)
	f.Add(`window.csrf = "{{token}}";`, ".*", `window.csrf = ""; fetch("//x.example"); "";`, `window.csrf = "x";`)
	f.Add(`s={{n}};`, "[0-9]+", "s=1;\nfetch(1)//;", "s=2;")
	f.Add(`{{a}}{{a}}`, `\w*`, "xx", "")
	f.Add(`a={{x}}`, "(", "a=", "a=1")
	f.Fuzz(func(t *testing.T, code, pattern, body, other string) {
		if !utf8.ValidString(code) || !utf8.ValidString(pattern) || !utf8.ValidString(body) || !utf8.ValidString(other) {
			return
		}
		d := textDiff(body, other)
		assert.LessOrEqual(t, utf8.RuneCountInString(d), 4*(2*16+2*80+8)+40, d)
		if body == other {
			assert.Equal(t, "no change in the code", d)
		}
		var parts cty.Value = cty.NullVal(cty.DynamicPseudoType)
		if names := placeholder.FindAllStringSubmatch(code, -1); len(names) > 0 {
			m := map[string]cty.Value{}
			for _, n := range names {
				m[n[1]] = cty.StringVal(pattern)
			}
			parts = cty.ObjectVal(m)
		}
		tmpl, err := parseTemplate(code, parts)
		if err != nil || !tmpl.matches(body) {
			return
		}
		literal := placeholder.ReplaceAllString(strings.TrimSpace(code), "")
		got := strings.TrimSpace(body)
		for _, r := range partForbidden {
			assert.Equal(t, strings.Count(literal, string(r)), strings.Count(got, string(r)), "%q in %q", r, got)
		}
	})
}
