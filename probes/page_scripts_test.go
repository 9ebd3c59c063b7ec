package probes

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zclconf/go-cty/cty"

	"github.com/audit-tool/audit/pack"
)

func TestAllowlistMatching(t *testing.T) {
	page := &url.URL{Scheme: "https", Host: "shop.example", Path: "/checkout"}
	tests := []struct {
		entry, script string
		want          bool
	}{
		{"https://cdn.shop.example", "https://cdn.shop.example/lib/a.js", true},
		{"https://cdn.shop.example", "https://cdn.shop.example.attacker.example/x.js", false},
		{"https://cdn.shop.example", "https://cdn.shop.example:8443/a.js", false},
		{"https://cdn.shop.example", "http://cdn.shop.example/a.js", false},
		{"cdn.shop.example", "https://cdn.shop.example.attacker.example/x.js", false},
		{"cdn.shop.example", "https://cdn.shop.example/x.js", true},
		{"cdn.shop.example", "http://cdn.shop.example/x.js", false},
		{"cdn.shop.example", "https://evil.cdn.shop.example/x.js", false},
		{"/assets/app.js", "https://shop.example/assets/app.js", true},
		{"/assets/app.js", "https://shop.example/assets/app.js?v=3", true},
		{"/assets/app.js", "https://shop.example/assets/app.js/../../evil/skim.js", false},
		{"/assets/app.js", "https://shop.example/assets/app.js.evil.js", false},
		{"/assets/app.js", "https://cdn.other.example/assets/app.js", false},
		{"/assets/", "https://shop.example/assets/vendor/x.js", true},
		{"/assets/", "https://shop.example/assets/%2e%2e/evil.js", false},
		{"/assets/", "https://shop.example/assetsevil/x.js", false},
		{"https://js.stripe.com/v3/", "https://js.stripe.com/v3/", true},
		{"https://js.stripe.com/v3/", "https://js.stripe.com/v3/../v2/evil.js", false},
		{"https://js.stripe.com/v3", "https://js.stripe.com/v3/x.js", false},
		{"https://cdn.example/a.js?x=1", "https://cdn.example/a.js?x=2", false},
	}
	for _, tt := range tests {
		t.Run(tt.entry+" "+tt.script, func(t *testing.T) {
			allow, err := parseAllowlist(cty.TupleVal([]cty.Value{cty.StringVal(tt.entry)}))
			require.NoError(t, err)
			u, _ := url.Parse(tt.script)
			// What the browser requests: the resolved, dot-free URL.
			u = page.ResolveReference(u)
			host, same := pageResolve(u.String(), page, page)
			s := &pageScan{scripts: []pageScript{{src: tt.script, url: tt.script, host: host, sameOrigin: same}}}
			s.authorise(allow, page)
			assert.Equal(t, tt.want, s.scripts[0].authorised)
		})
	}
}

func TestAllowlistEntries(t *testing.T) {
	allow, err := parseAllowlist(cty.TupleVal([]cty.Value{
		cty.StringVal("/assets/app.js"),
		cty.ObjectVal(map[string]cty.Value{
			"script": cty.StringVal("https://js.stripe.com/v3/"), "reason": cty.StringVal("Stripe.js: card iframe"),
			"dynamic": cty.True,
		}),
		cty.ObjectVal(map[string]cty.Value{
			"script": cty.StringVal("https://cdn.example/lib.js"), "reason": cty.StringVal("charting"),
			"integrity": cty.StringVal("sha384-good"),
		}),
	}))
	require.NoError(t, err)
	page := &url.URL{Scheme: "https", Host: "shop.example", Path: "/checkout"}
	s := &pageScan{scripts: []pageScript{
		{url: "https://js.stripe.com/v3/", host: "js.stripe.com"},
		{url: "https://cdn.example/lib.js", host: "cdn.example", integrity: "sha384-good"},
		{url: "https://cdn.example/lib.js", host: "cdn.example", integrity: "sha384-other"},
		{inline: true, body: []byte("x()")},
		{inline: true, typ: "application/ld+json", body: []byte("{}")},
	}}
	s.authorise(allow, page)
	assert.True(t, s.scripts[0].authorised)
	assert.Equal(t, "Stripe.js: card iframe", s.scripts[0].reason)
	assert.True(t, s.scripts[1].authorised, "the pinned integrity matches")
	assert.False(t, s.scripts[2].authorised, "another integrity is another script")
	assert.False(t, s.scripts[3].authorised)
	assert.True(t, s.scripts[4].authorised, "JSON-LD is not run")

	for _, bad := range []cty.Value{
		cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"script": cty.StringVal("a.example")})}),
		cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"script": cty.StringVal("a.example"), "reason": cty.StringVal("x"), "color": cty.StringVal("y")})}),
		cty.TupleVal([]cty.Value{cty.StringVal("https://*.example")}),
		cty.TupleVal([]cty.Value{cty.StringVal("*.example")}),
		cty.TupleVal([]cty.Value{cty.NumberIntVal(3)}),
		cty.StringVal("a.example"),
	} {
		_, err := parseAllowlist(bad)
		assert.Error(t, err, bad.GoString())
	}
}

func TestCSPEvaluation(t *testing.T) {
	tests := []struct {
		name, header, meta string
		restricts          bool
		hosts              []string
		ancestors          []string
	}{
		{"strict", "script-src 'self' https://js.stripe.com; frame-ancestors 'none'", "", true, []string{"js.stripe.com"}, []string{"'none'"}},
		{"wildcard", "script-src *", "", false, nil, nil},
		{"data", "script-src 'self' data:", "", false, nil, nil},
		{"blob", "default-src 'self' blob:", "", false, nil, nil},
		{"https scheme", "script-src https:", "", false, nil, nil},
		{"unsafe inline", "script-src 'self' 'unsafe-inline'", "", false, nil, nil},
		{"unsafe inline with nonce is ignored", "script-src 'self' 'unsafe-inline' 'nonce-abc'", "", true, nil, nil},
		{"strict-dynamic ignores hosts", "script-src 'nonce-abc' 'strict-dynamic' https: *", "", true, nil, nil},
		{"strict-dynamic without nonce does nothing", "script-src 'strict-dynamic' *", "", false, nil, nil},
		{"no script directive", "img-src 'self'", "", false, nil, nil},
		{"meta frame-ancestors is ignored", "", "script-src 'self'; frame-ancestors 'none'", true, nil, nil},
		{"header and meta: the tighter decides", "script-src *", "script-src 'self'", true, nil, nil},
		{"wide wildcard host", "script-src *.com", "", false, nil, nil},
		{"subdomain wildcard", "script-src https://*.shop.example", "", true, []string{"*.shop.example"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.header != "" {
				h.Set("Content-Security-Policy", tt.header)
			}
			v := pageCSP(h, tt.meta)
			assert.Equal(t, tt.restricts, v.GetAttr("restricts_scripts").True(), "weaknesses: %v", pageStrings(v.GetAttr("weaknesses")))
			if tt.hosts != nil {
				assert.Equal(t, tt.hosts, pageStrings(v.GetAttr("script_hosts")))
			}
			assert.Equal(t, tt.ancestors, pageStrings(v.GetAttr("frame_ancestors")))
			if !tt.restricts {
				assert.NotZero(t, v.GetAttr("weaknesses").LengthInt())
			}
		})
	}
}

func TestCardFieldLanguagesAndShape(t *testing.T) {
	page := `<form action="/pay" method="post">
<label for="n">Numéro de carte</label><input id="n" name="f1">
<label>Cryptogramme visuel <input name="f2"></label>
<label for="k">Kartennummer</label><input id="k" name="f3">
<input name="f4" aria-label="Prüfnummer">
<input name="f5" placeholder="Número de tarjeta">
<input name="f6" placeholder="Numero della carta">
<input name="f7" placeholder="Kaartnummer">
<input name="f8" placeholder="Vervaldatum">
<input name="f9" inputmode="numeric" maxlength="19">
<input name="f10" placeholder="1234 1234 1234 1234">
<input name="f11" pattern="[0-9]{13,19}">
<input name="f12" placeholder="Code postal">
<label for="e">E-mail</label><input id="e" name="f13" type="email">
<input name="f14" inputmode="numeric" maxlength="5">
</form>`
	s, err := scanPage(pack.Builtin(), []byte(page), nil)
	require.NoError(t, err)
	var got []string
	for _, c := range s.cardFields {
		got = append(got, c.name)
	}
	assert.Equal(t, []string{"f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "f11"}, got)
	assert.Equal(t, "Numéro de carte", s.cardFields[0].label)
	assert.Equal(t, "/pay", s.cardFields[0].formAction)
	assert.True(t, s.forms[0].inputs[0].card, "the form's own input list agrees")
}
