package probes

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/audit-tool/audit/browser"
	"github.com/audit-tool/audit/pack"
)

// Several test files of this package take -update; whichever registers it
// first wins, so the flag is looked up rather than declared.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files")
	}
}

// probeGolden compares got with testdata/name, rewriting it under -update.
func probeGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create it")
	assert.Equal(t, string(want), string(got))
}

// probeFactsJSON renders facts as indented JSON, keys sorted by cty.
func probeFactsJSON(t testing.TB, v cty.Value) []byte {
	t.Helper()
	raw, err := ctyjson.Marshal(v, v.Type())
	require.NoError(t, err)
	var out bytes.Buffer
	require.NoError(t, json.Indent(&out, raw, "", "  "))
	out.WriteByte('\n')
	return out.Bytes()
}

// probeRunHCL decodes an HCL probe body through k's Spec, as the runner
// does, runs k and checks the value against Facts.
func probeRunHCL(t testing.TB, k Kind, env *Env, src string) (cty.Value, error) {
	t.Helper()
	f, diags := hclsyntax.ParseConfig([]byte(src), "probe.hcl", hcl.InitialPos)
	require.False(t, diags.HasErrors(), diags.Error())
	cfg, diags := hcldec.Decode(f.Body, k.Spec(), nil)
	require.False(t, diags.HasErrors(), diags.Error())
	v, err := k.Run(context.Background(), env, cfg)
	if err == nil {
		require.Empty(t, v.Type().TestConformance(k.Facts()), "Run returned %s", v.Type().GoString())
		require.True(t, v.IsWhollyKnown())
	}
	return v, err
}

func pageInt(t testing.TB, v cty.Value) int {
	t.Helper()
	n, acc := v.AsBigFloat().Int64()
	require.Zero(t, acc)
	return int(n)
}

func TestPageFactsType(t *testing.T) {
	// Everything but the dynamic config must be exactly the declared type.
	v, err := probeRunHCL(t, Page{}, &Env{BaseDir: "testdata/page"}, `source = "checkout.html"`)
	require.NoError(t, err)
	attrs := v.Type().AttributeTypes()
	for name, want := range (Page{}).Facts().AttributeTypes() {
		if name == "js_calls" {
			continue
		}
		assert.True(t, attrs[name].Equals(want), "%s is %s", name, attrs[name].GoString())
	}
	assert.True(t, v.GetAttr("js_calls").Type().IsTupleType())
}

func TestPageLocalFile(t *testing.T) {
	v, err := probeRunHCL(t, Page{}, &Env{BaseDir: "testdata/page"}, `source = "checkout.html"`)
	require.NoError(t, err)
	probeGolden(t, "page/checkout.golden.json", probeFactsJSON(t, v))

	assert.True(t, v.GetAttr("local").True())
	assert.Equal(t, "", v.GetAttr("url").AsString())
	assert.Equal(t, 0, v.GetAttr("headers").LengthInt())

	csp := v.GetAttr("csp")
	assert.True(t, csp.GetAttr("present").True())
	assert.Equal(t, "meta", csp.GetAttr("source").AsString())
	assert.Equal(t, []string{"'self'", "https://static-eu.payments-amazon.com", "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"},
		pageStrings(csp.GetAttr("directives").Index(cty.StringVal("script-src"))))
	assert.False(t, v.GetAttr("hsts").GetAttr("present").True(), "a file has no HSTS")

	scripts := v.GetAttr("scripts").AsValueSlice()
	require.Len(t, scripts, 7)
	assert.True(t, scripts[0].GetAttr("same_origin").True(), "relative src of a file is the merchant's")
	assert.Equal(t, "cdn.analytics.example", scripts[1].GetAttr("host").AsString())
	assert.False(t, scripts[1].GetAttr("same_origin").True())
	assert.Equal(t, "anonymous", scripts[2].GetAttr("crossorigin").AsString())
	assert.Equal(t, 10, pageInt(t, scripts[2].GetAttr("line")), "line of the tag's start")
	// The inline script hash is the one CSP's script-src allows.
	assert.Equal(t, "sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI=", scripts[4].GetAttr("sha256").AsString())
	assert.True(t, scripts[4].GetAttr("inline").True())
	assert.Equal(t, "", scripts[0].GetAttr("sha256").AsString())

	forms := v.GetAttr("forms").AsValueSlice()
	require.Len(t, forms, 2)
	assert.True(t, forms[0].GetAttr("posts_to_merchant").True())
	assert.Equal(t, "post", forms[0].GetAttr("method").AsString())
	assert.False(t, forms[1].GetAttr("posts_to_merchant").True())
	assert.Equal(t, "tracker.example", forms[1].GetAttr("action_host").AsString())

	var cards []string
	for _, c := range v.GetAttr("card_fields").AsValueSlice() {
		cards = append(cards, fmt.Sprintf("%s@%d", c.GetAttr("name").AsString(), pageInt(t, c.GetAttr("line"))))
		assert.Equal(t, "/commande", c.GetAttr("form_action").AsString())
	}
	assert.Equal(t, []string{"cardnumber@22", "payment[card_expiry]@23", "cvc@24"}, cards)

	calls := v.GetAttr("js_calls").AsValueSlice()
	require.Len(t, calls, 1)
	c := calls[0]
	assert.Equal(t, "amazon-pay", c.GetAttr("provider").AsString())
	assert.Equal(t, "button", c.GetAttr("call").AsString())
	assert.Equal(t, 38, pageInt(t, c.GetAttr("line")))
	assert.True(t, c.GetAttr("truthy").Index(cty.StringVal("sandbox")).True())
	opts := c.GetAttr("options")
	assert.Equal(t, "A2AUDITMERCHANT", opts.GetAttr("merchantId").AsString())
	assert.Equal(t, "window.amazonSignature", opts.GetAttr("createCheckoutSessionConfig").GetAttr("signature").AsString())
	assert.Equal(t, "42.00", opts.GetAttr("estimatedOrderAmount").GetAttr("amount").AsString())
	assert.Empty(t, pageStrings(c.GetAttr("undecided")), "every top-level option is fixed by the code")

	keys := v.GetAttr("credentials").AsValueSlice()
	require.Len(t, keys, 1)
	assert.Equal(t, 40, pageInt(t, keys[0].GetAttr("line")))
	assert.Equal(t, "SANDBOX-AHXG3OMRCWBCRLZE3HDSMNO4", keys[0].GetAttr("value").AsString(), "a key id is public: shown")
	assert.Equal(t, "amazon-pay", v.GetAttr("scripts").Index(cty.NumberIntVal(3)).GetAttr("provider").AsString())
}

func pageStrings(v cty.Value) []string {
	var out []string
	for _, e := range v.AsValueSlice() {
		out = append(out, e.AsString())
	}
	return out
}

// pageServer serves the checkout page over plain or TLS HTTP.
func pageServer(t *testing.T, tlsOn bool) *httptest.Server {
	t.Helper()
	page, err := os.ReadFile("testdata/page/checkout.html")
	require.NoError(t, err)
	mux := http.NewServeMux()
	mux.HandleFunc("/checkout", func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'nonce-r4nd0m'")
		h.Add("Content-Security-Policy", "frame-ancestors 'none'")
		h.Set("Strict-Transport-Security", `max-age="31536000"; includeSubDomains; preload`)
		h.Add("Set-Cookie", "session=s3cr3t-session-id; Path=/; Secure; HttpOnly")
		_, _ = w.Write(bytes.ReplaceAll(page, []byte(`src="/js/app.js"`), []byte(`src="`+"http://"+r.Host+`/js/app.js"`)))
	})
	mux.HandleFunc("/old-checkout", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/checkout", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/offsite", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://shop.example/checkout", http.StatusFound)
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write(bytes.Repeat([]byte("<p>filler</p>\n"), 1000))
	})
	var srv *httptest.Server
	if tlsOn {
		srv = httptest.NewUnstartedServer(mux)
		// The refused handshake of the untrusted case is the test, not noise.
		srv.Config.ErrorLog = log.New(io.Discard, "", 0)
		srv.StartTLS()
	} else {
		srv = httptest.NewServer(mux)
	}
	t.Cleanup(srv.Close)
	return srv
}

func TestPageHTTP(t *testing.T) {
	srv := pageServer(t, false)
	v, err := probeRunHCL(t, Page{}, &Env{Offline: true}, fmt.Sprintf(`source = "%s/old-checkout"`, srv.URL))
	require.NoError(t, err, "loopback is allowed offline")

	assert.Equal(t, srv.URL+"/checkout", v.GetAttr("url").AsString(), "the final URL after redirects")
	assert.Equal(t, srv.URL, v.GetAttr("origin").AsString())
	assert.False(t, v.GetAttr("local").True())
	assert.Equal(t, 200, pageInt(t, v.GetAttr("status")))

	headers := v.GetAttr("headers")
	assert.Equal(t, "text/html; charset=utf-8", headers.Index(cty.StringVal("content-type")).AsString())
	cookie := headers.Index(cty.StringVal("set-cookie")).AsString()
	assert.Equal(t, "session=…; Path=/; Secure; HttpOnly", cookie)
	assert.NotContains(t, string(probeFactsJSON(t, v)), "s3cr3t")

	csp := v.GetAttr("csp")
	// Browsers enforce the header and the <meta> policy both: a script
	// must pass each.
	assert.Equal(t, "header+meta", csp.GetAttr("source").AsString())
	assert.True(t, strings.HasPrefix(csp.GetAttr("raw").AsString(), "default-src 'self'; script-src 'self' 'nonce-r4nd0m', frame-ancestors 'none', "))
	assert.Equal(t, []string{"'none'"}, pageStrings(csp.GetAttr("directives").Index(cty.StringVal("frame-ancestors"))))
	assert.False(t, v.GetAttr("hsts").GetAttr("present").True(), "browsers ignore HSTS over http")

	scripts := v.GetAttr("scripts").AsValueSlice()
	assert.True(t, scripts[0].GetAttr("same_origin").True(), "absolute URL on the page's own origin")
	assert.Equal(t, "127.0.0.1", scripts[0].GetAttr("host").AsString())
	forms := v.GetAttr("forms").AsValueSlice()
	assert.True(t, forms[0].GetAttr("posts_to_merchant").True())
	assert.Equal(t, "127.0.0.1", forms[0].GetAttr("action_host").AsString())
}

func TestPageHTTPS(t *testing.T) {
	srv := pageServer(t, true)
	roots := x509.NewCertPool()
	roots.AddCert(srv.Certificate())

	v, err := probeRunHCL(t, Page{}, &Env{RootCAs: roots}, fmt.Sprintf(`source = "%s/checkout"`, srv.URL))
	require.NoError(t, err)
	hsts := v.GetAttr("hsts")
	assert.True(t, hsts.GetAttr("present").True())
	assert.Equal(t, 31536000, pageInt(t, hsts.GetAttr("max_age")))
	assert.True(t, hsts.GetAttr("include_subdomains").True())
	assert.True(t, hsts.GetAttr("preload").True())
	scripts := v.GetAttr("scripts").AsValueSlice()
	assert.False(t, scripts[0].GetAttr("same_origin").True(), "http script on an https page is another origin")

	// Without trusting the test CA, the certificate is refused: no facts.
	_, err = probeRunHCL(t, Page{}, &Env{}, fmt.Sprintf(`source = "%s/checkout"`, srv.URL))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "certificate")
}

func TestPageErrors(t *testing.T) {
	srv := pageServer(t, false)
	bad := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(bad, "broken.html"),
		[]byte("<script>amazon.Pay.renderButton('#b', {merchantId: 'A1', sandbox: false</script>"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(bad, "variable.html"),
		[]byte("<script>amazon.Pay.renderButton('#b', opts);</script>"), 0o644))
	tests := []struct {
		name, src string
		env       *Env
		offline   bool
		want      string
	}{
		{"not found", `source = "` + srv.URL + `/nope"`, &Env{}, false, "404"},
		{"too large", `source = "` + srv.URL + `/big"` + "\nmax_bytes = 1000", &Env{}, false, "larger than max_bytes"},
		{"offline", `source = "https://shop.example/checkout"`, &Env{Offline: true}, true, "needs the network"},
		{"offline redirect", `source = "` + srv.URL + `/offsite"`, &Env{Offline: true}, true, "offline"},
		{"missing file", `source = "nope.html"`, &Env{BaseDir: bad}, false, "no such file"},
		{"file too large", `source = "broken.html"` + "\nmax_bytes = 10", &Env{BaseDir: bad}, false, "larger than max_bytes"},
		{"bad timeout", `source = "x.html"` + "\ntimeout = \"soon\"", &Env{}, false, "timeout"},
		{"empty source", `source = ""`, &Env{}, false, "required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := probeRunHCL(t, Page{}, tt.env, tt.src)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Equal(t, tt.offline, errors.Is(err, ErrOffline))
		})
	}
}

func TestPageTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	start := time.Now()
	_, err := probeRunHCL(t, Page{}, &Env{}, `source = "`+srv.URL+`"`+"\ntimeout = \"100ms\"")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "deadline")
	assert.Less(t, time.Since(start), 5*time.Second)
}

func TestPageCardField(t *testing.T) {
	tests := []struct {
		in   pageInput
		want bool
	}{
		{pageInput{typ: "text", autocomplete: "cc-number"}, true},
		{pageInput{typ: "text", autocomplete: "section-pay billing cc-csc"}, true},
		{pageInput{typ: "text", autocomplete: "cc-exp-month"}, true},
		{pageInput{typ: "text", autocomplete: "cc-name"}, false},
		{pageInput{typ: "text", name: "cardNumber"}, true},
		{pageInput{typ: "tel", name: "card-number"}, true},
		{pageInput{typ: "text", name: "card_number"}, true},
		{pageInput{typ: "text", name: "ccnum"}, true},
		{pageInput{typ: "text", id: "pan"}, true},
		{pageInput{typ: "text", name: "CVV"}, true},
		{pageInput{typ: "text", name: "payment[cvc]"}, true},
		{pageInput{typ: "text", name: "csc"}, true},
		{pageInput{typ: "text", name: "expiry"}, true},
		{pageInput{typ: "hidden", name: "pan"}, true},
		{pageInput{typ: "text", name: "company"}, false},
		{pageInput{typ: "text", name: "panel"}, false},
		{pageInput{typ: "text", name: "cardholder"}, false},
		{pageInput{typ: "text", name: "giftcard"}, false},
		{pageInput{typ: "submit", name: "card_number"}, false},
		{pageInput{typ: "checkbox", name: "save_card_number"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.in.name+tt.in.id+tt.in.autocomplete, func(t *testing.T) {
			assert.Equal(t, tt.want, pageIsCardField(tt.in))
		})
	}
}

// TestPageCardPart: what the browser types into a card field follows
// what the field holds, so that a skimmer checking the expiry and code
// before it sends the number sends it.
func TestPageCardPart(t *testing.T) {
	tests := []struct {
		in   pageInput
		want browser.CardPart
	}{
		{pageInput{typ: "text", autocomplete: "cc-number"}, browser.CardNumber},
		{pageInput{typ: "text", autocomplete: "cc-exp-year", name: "card-exp-month"}, browser.CardExpiryYear},
		{pageInput{typ: "text", name: "creditCardCvc"}, browser.CardCode},
		{pageInput{typ: "text", name: "cvv"}, browser.CardCode},
		{pageInput{typ: "text", labelText: "Kartenprüfnummer"}, browser.CardCode},
		{pageInput{typ: "text", labelText: "Date d’expiration de la carte bancaire"}, browser.CardExpiry},
		{pageInput{typ: "text", name: "expiry", placeholder: "MM/YY"}, browser.CardExpiry},
		{pageInput{typ: "text", name: "expiry", placeholder: "MM"}, browser.CardExpiryMonth},
		{pageInput{typ: "text", labelText: "Vervaldatum jaar"}, browser.CardExpiryYear},
		{pageInput{typ: "text", name: "cardNumber"}, browser.CardNumber},
		{pageInput{typ: "tel", placeholder: "4242 4242 4242 4242"}, browser.CardNumber},
		{pageInput{typ: "text", name: "company"}, browser.NotCard},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, pageCardPartOf(tt.in), "%+v", tt.in)
	}
}

func TestPageCSPChoice(t *testing.T) {
	tests := []struct {
		name           string
		header         http.Header
		meta           string
		source, raw    string
		reportOnly     bool
		scriptSrcCount int
	}{
		{"none", nil, "", "", "", false, -1},
		{"meta", nil, "script-src 'self' https://a.example", "meta", "script-src 'self' https://a.example", false, 2},
		{"report only", http.Header{"Content-Security-Policy-Report-Only": {"script-src 'none'"}}, "", "", "script-src 'none'", true, 1},
		{"enforced meta beats report only", http.Header{"Content-Security-Policy-Report-Only": {"script-src 'none'"}}, "script-src *", "meta", "script-src *", false, 1},
		{"first directive wins", http.Header{"Content-Security-Policy": {"SCRIPT-SRC a; script-src b c"}}, "", "header", "SCRIPT-SRC a; script-src b c", false, 1},
		{"empty directive", http.Header{"Content-Security-Policy": {"upgrade-insecure-requests; script-src"}}, "", "header", "upgrade-insecure-requests; script-src", false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := pageCSP(tt.header, tt.meta)
			want := tt.source
			if tt.reportOnly {
				want = "header"
			}
			assert.Equal(t, want, v.GetAttr("source").AsString())
			assert.Equal(t, tt.raw != "", v.GetAttr("present").True())
			assert.Equal(t, tt.raw, v.GetAttr("raw").AsString())
			assert.Equal(t, tt.reportOnly, v.GetAttr("report_only").True())
			d := v.GetAttr("directives")
			if tt.scriptSrcCount < 0 {
				assert.Zero(t, d.LengthInt())
				return
			}
			assert.Equal(t, tt.scriptSrcCount, d.Index(cty.StringVal("script-src")).LengthInt())
		})
	}
}

func TestPageHSTS(t *testing.T) {
	https := &url.URL{Scheme: "https", Host: "shop.example"}
	tests := []struct {
		name   string
		header string
		final  *url.URL
		want   [4]any // present, max_age, include_subdomains, preload
	}{
		{"full", "max-age=63072000; includeSubDomains; preload", https, [4]any{true, 63072000, true, true}},
		{"quoted, any case", `Max-Age="600"; INCLUDESUBDOMAINS`, https, [4]any{true, 600, true, false}},
		{"no max-age is invalid", "includeSubDomains", https, [4]any{false, 0, false, false}},
		{"bad max-age", "max-age=soon", https, [4]any{false, 0, false, false}},
		{"over http", "max-age=600", &url.URL{Scheme: "http", Host: "shop.example"}, [4]any{false, 0, false, false}},
		{"absent", "", https, [4]any{false, 0, false, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.header != "" {
				h.Set("Strict-Transport-Security", tt.header)
			}
			v := pageHSTS(h, tt.final)
			got := [4]any{v.GetAttr("present").True(), pageInt(t, v.GetAttr("max_age")),
				v.GetAttr("include_subdomains").True(), v.GetAttr("preload").True()}
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestPageScripts reads calls from inline and same-origin external
// scripts (how WooCommerce ships its button), and reports what it could
// not read instead of failing the page.
func TestPageScripts(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	}
	write("shop/checkout.html", "<html><body>\n"+
		"<script src=\"https://static-eu.payments-amazon.com/checkout.js\"></script>\n"+
		"<script src=\"/wp-content/plugins/apay/button.js?ver=2\"></script>\n"+
		"<script src=\"js/missing.js\"></script>\n"+
		"<script type=\"application/ld+json\">{\"renderButton\": 1}</script>\n"+
		"<script>amazon.Pay.renderButton('#b', {merchantId: 'A1', sandbox: false</script>\n"+
		"</body></html>")
	write("shop/wp-content/plugins/apay/button.js", "(function(){\n  // amazon.Pay.renderButton('#x', {sandbox: true});\n"+
		"  var cfg = {merchantId: 'A2WOO', sandbox: !1, ...window.wcApay};\n  amazon.Pay.renderButton('#AmazonPayButton', cfg);\n})();\n")
	v, err := probeRunHCL(t, Page{}, &Env{BaseDir: dir}, `source = "shop/checkout.html"`)
	require.NoError(t, err, "an unreadable script is a fact, not a page error")
	calls := v.GetAttr("js_calls").AsValueSlice()
	require.Len(t, calls, 1, "the commented-out call is ignored")
	c := calls[0]
	assert.Equal(t, "/wp-content/plugins/apay/button.js?ver=2", c.GetAttr("file").AsString())
	assert.Equal(t, 4, pageInt(t, c.GetAttr("line")))
	assert.Equal(t, "window.wcApay", c.GetAttr("options").GetAttr("merchantId").AsString(), "overridable by the spread: its source")
	assert.Equal(t, []string{"merchantId", "sandbox", "*"}, pageStrings(c.GetAttr("undecided")),
		"a spread after them may override every option")
	var unread []string
	for _, u := range v.GetAttr("scripts_unread").AsValueSlice() {
		unread = append(unread, u.GetAttr("src").AsString())
	}
	assert.Equal(t, []string{"", "js/missing.js"}, unread, "the inline script with a syntax error, the missing file")
}

func TestPageBaseAndLines(t *testing.T) {
	html := "<html><head>\n<base href=\"https://cdn.shop.example/app/\">\n<base href=\"https://ignored.example/\">\n" +
		"</head><body>\n\n<script\n src=\"js/a.js\"></script><iframe src=\"//pay.example/f\"></iframe>\n" +
		"<a href=\"page\">x</a><input name=cvv form=other></body>"
	origin := &url.URL{Scheme: "https", Host: "shop.example", Path: "/checkout"}
	s, err := scanPage(pack.Builtin(), []byte(html), origin)
	require.NoError(t, err)
	require.Len(t, s.scripts, 1)
	assert.Equal(t, "cdn.shop.example", s.scripts[0].host, "resolved against the first <base>")
	assert.False(t, s.scripts[0].sameOrigin)
	assert.Equal(t, 6, s.scripts[0].line)
	require.Len(t, s.iframes, 1)
	assert.Equal(t, "pay.example", s.iframes[0].host)
	assert.Equal(t, 7, s.iframes[0].line)
	require.Len(t, s.links, 1)
	assert.Equal(t, 8, s.links[0].line)
	require.Len(t, s.cardFields, 1, "a card field outside any form still counts")
	assert.Equal(t, "", s.cardFields[0].formAction)
}

func TestPageStripeKeys(t *testing.T) {
	secret := "sk_live_" + "51NvQ2aKz9XbT7yUqW3eRt5Y"
	html := "<html><body>\n<script src=\"https://js.stripe.com/v3/\"></script>\n<script>\n" +
		"const stripe = Stripe('pk_test_51NvQ2aKz9XbT7yUqW3eRt5Y');\n" +
		"fetch('/pay', {headers: {Authorization: 'Bearer " + secret + "'}});\n" +
		"</script><div data-key=\"rk_live_51NvQ2aKz9XbT7yUqW3eRt5Y\"></div></body></html>"
	cases := []struct {
		kind   string
		live   bool
		line   int
		masked string
	}{
		{"publishable", false, 4, "pk_test_…"},
		{"secret", true, 5, "sk_live_…"},
		{"restricted", true, 6, "rk_live_…"},
	}
	s, err := scanPage(pack.Builtin(), []byte(html), nil)
	require.NoError(t, err)
	require.Len(t, s.creds, len(cases))
	for i, tc := range cases {
		k := s.creds[i].fact()
		assert.Equal(t, "stripe", k.GetAttr("provider").AsString())
		assert.Equal(t, tc.kind, k.GetAttr("kind").AsString())
		assert.Equal(t, tc.live, k.GetAttr("live").True())
		assert.Equal(t, int64(tc.line), mustInt(t, k.GetAttr("line")))
		assert.Regexp(t, "^"+tc.masked, k.GetAttr("masked").AsString())
		assert.NotContains(t, k.GetAttr("masked").AsString(), "51NvQ2aKz9XbT7yUqW3eRt5Y", "masked")
	}

	none, err := scanPage(pack.Builtin(), []byte("<p>sk_live_ is how live keys start</p>"), nil)
	require.NoError(t, err)
	assert.Empty(t, none.creds)
}

func FuzzPage(f *testing.F) {
	seed, err := os.ReadFile("testdata/page/checkout.html")
	require.NoError(f, err)
	f.Add(seed)
	f.Add([]byte("<script>amazon.Pay.renderButton('#a', {a: [1, {b: 'c'}], ...x, [k]: 1})</script>"))
	f.Add([]byte("<form action=//x><input autocomplete=cc-number></form><meta http-equiv=content-security-policy content=\"a b;c\">"))
	origin := &url.URL{Scheme: "https", Host: "shop.example"}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, base := range []*url.URL{nil, origin} {
			s, err := scanPage(pack.Builtin(), data, base)
			if err != nil {
				continue
			}
			v := s.facts("fuzz", pageFetch{final: base}, pageTrack{})
			require.Empty(t, v.Type().TestConformance(pageFacts))
			lines := bytes.Count(data, []byte{'\n'}) + 1
			for _, sc := range s.scripts {
				require.True(t, sc.line >= 1 && sc.line <= lines, "line %d of %d", sc.line, lines)
			}
		}
	})
}

func BenchmarkScanPage(b *testing.B) {
	page, err := os.ReadFile("testdata/page/checkout.html")
	require.NoError(b, err)
	// A large storefront: the checkout repeated to about 1 MiB.
	big := bytes.Repeat(page, (1<<20)/len(page))
	origin := &url.URL{Scheme: "https", Host: "shop.example"}
	b.SetBytes(int64(len(big)))
	b.ReportAllocs()
	for b.Loop() {
		s, err := scanPage(pack.Builtin(), big, origin)
		if err != nil {
			b.Fatal(err)
		}
		_ = s.facts("bench", pageFetch{final: origin}, pageTrack{})
	}
}

func mustInt(t *testing.T, v cty.Value) int64 {
	t.Helper()
	n, acc := v.AsBigFloat().Int64()
	require.Equal(t, big.Exact, acc)
	return n
}

// A saved page (a local file) names its own origin in the canonical link:
// its absolute URLs on that origin are the merchant's own, and every
// same-origin script carries the path an allowlist names.
func TestPageSavedPageOwnOrigin(t *testing.T) {
	dir := t.TempDir()
	html := `<html><head>
<script src="https://shop.example/wp-includes/js/jquery.min.js?ver=3.7.1"></script>
<link rel="canonical" href="https://shop.example/checkout/">
<script src="./script.js"></script>
<script src="https://cdn.other.example/x.js"></script>
<script src="https://shop.example.evil.example/y.js"></script>
</head><body>
<form action="https://shop.example/checkout/" method="post"><input name="cardnumber" autocomplete="cc-number"></form>
</body></html>`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "checkout.html"), []byte(html), 0o644))
	v, err := probeRunHCL(t, Page{}, &Env{BaseDir: dir}, `source = "checkout.html"`)
	require.NoError(t, err)
	type script struct {
		Same bool
		Path string
	}
	var got []script
	for _, s := range v.GetAttr("scripts").AsValueSlice() {
		got = append(got, script{s.GetAttr("same_origin").True(), s.GetAttr("path").AsString()})
	}
	assert.Equal(t, []script{
		{true, "/wp-includes/js/jquery.min.js"}, {true, "/script.js"}, {false, ""}, {false, ""},
	}, got)
	forms := v.GetAttr("forms").AsValueSlice()
	require.Len(t, forms, 1)
	assert.True(t, forms[0].GetAttr("posts_to_merchant").True(), "the form posts to the page's own origin")
}

// A root-relative script of a page in a subfolder is found at the site
// root above it (public/checkouts/new.html loads /javascript/demo.js from
// public/), never outside the integration folder.
func TestPageScriptFileFromSiteRoot(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "public", "checkouts"), 0o755))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "public", "javascript"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "public", "javascript", "demo.js"), []byte("braintree.dropin.create({})"), 0o644))
	env := &Env{BaseDir: filepath.Join(dir, "public")}
	body, err := pageScriptFile(env, "checkouts/new.html", "/javascript/demo.js", 1<<20)
	require.NoError(t, err)
	assert.Contains(t, string(body), "dropin")
	_, err = pageScriptFile(env, "checkouts/new.html", "/../outside.js", 1<<20)
	assert.Error(t, err)
}

// TestPageSubmitterTargets: a submit button's formaction sends the form's
// fields elsewhere, and counts as a form of its own.
func TestPageSubmitterTargets(t *testing.T) {
	origin := &url.URL{Scheme: "https", Host: "shop.example", Path: "/checkout"}
	tests := []struct {
		name, html string
		want       []string // action → posts to merchant
	}{
		{"button formaction", `<form action="https://secure.checkout.com/direct-post" method="post"><input name="cardnumber"><button formaction="/collect">Pay</button></form>`,
			[]string{"https://secure.checkout.com/direct-post false", "/collect true"}},
		{"input submit formaction", `<form action="https://secure.checkout.com/p"><input name="cc"><input type="submit" formaction="https://shop.example/x" formmethod="post"></form>`,
			[]string{"https://secure.checkout.com/p false", "https://shop.example/x true"}},
		{"image submit, empty formaction: the page itself", `<form action="https://secure.checkout.com/p"><input type="image" formaction=""></form>`,
			[]string{"https://secure.checkout.com/p false", " true"}},
		{"a plain button does not submit", `<form action="https://secure.checkout.com/p"><button type="button" formaction="/x">?</button></form>`,
			[]string{"https://secure.checkout.com/p false"}},
		{"no formaction", `<form action="/pay"><button>Pay</button></form>`, []string{"/pay true"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := scanPage(pack.Builtin(), []byte(tt.html), origin)
			require.NoError(t, err)
			var got []string
			for _, f := range s.forms {
				got = append(got, fmt.Sprintf("%s %v", f.action, f.merchant))
			}
			assert.Equal(t, tt.want, got)
			for _, f := range s.forms {
				assert.Len(t, f.inputs, len(s.forms[0].inputs), "each target sends the same fields")
			}
		})
	}
}
