package main

import (
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
	"github.com/audit-tool/audit/reports"
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
	p := &shopPage{scripts: map[string]string{}, headers: map[string]string{
		// A fresh nonce per response, as strict CSPs have it: not a change.
		"Content-Security-Policy": "script-src 'self' 'nonce-{nonce}'; frame-ancestors 'none'",
		"X-Frame-Options":         "DENY",
		"Referrer-Policy":         "strict-origin",
	}}
	p.addScript("/assets/app.js", "document.getElementById('pay').dataset.ready = '1';")
	return p
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
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := newShopPage()
			srv := httptest.NewServer(page)
			defer srv.Close()
			url := srv.URL + "/checkout"
			file := filepath.Join(t.TempDir(), "baseline.json")

			first := changeRun(t, url, file, tt.allow)
			require.Equal(t, reports.Pass, first.Status, first.Message)
			assert.Contains(t, first.Message, "Baseline recorded in "+file)
			b, err := baseline.Load(file)
			require.NoError(t, err)
			rec, ok := b.Pages[url]
			require.True(t, ok, "recorded under the page's source: %v", b.Pages)
			assert.Equal(t, "browser", rec.Engine)
			require.Len(t, rec.Scripts, 2)
			assert.Equal(t, srv.URL+"/assets/app.js", rec.Scripts[1].Key)
			assert.Equal(t, "script-src 'self' 'nonce-*'; frame-ancestors 'none'", rec.Headers["content-security-policy"])
			assert.Equal(t, "DENY", rec.Headers["x-frame-options"])
			raw, err := os.ReadFile(file)
			require.NoError(t, err)

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
					found = found || strings.HasPrefix(d, want) || strings.HasPrefix(d, "UNAUTHORISED "+want) ||
						strings.Contains(d, " "+want)
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
