package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/audit-tool/audit/outcome"
	"github.com/audit-tool/audit/reports"
)

// TestFictitiousPack adds a provider with no Go change: a folder holding
// pack.hcl and checklist.hcl, given with --packs. Its credential rules reach
// the config and source probes, audit scan and masking; its hosts, switches
// and js_call reach the probes; its checklist runs by name.
func TestFictitiousPack(t *testing.T) {
	code, steps := runJSON(t, "run", "--packs", "testdata/packs", "testdata/acme-shop", "--offline")
	assert.Equal(t, outcome.ExitNoGo, code)
	assertStatuses(t, steps, map[string]reports.Status{
		"acmepay.live_keys":      reports.Fail,
		"acmepay.live_endpoints": reports.Fail,
		"acmepay.widget_live":    reports.Fail,
	})
	assert.Contains(t, steps["acmepay.live_keys"].Message, "acme_sk_test_…(sha256:", "masked by the pack's rule")
	assert.Contains(t, steps["acmepay.live_endpoints"].Message, "https://api.sandbox.acmepay.test/v1/charges at src/pay.js:2")
	assert.Contains(t, steps["acmepay.widget_live"].Message, "{test: true}")

	_, stdout, _ := audit(t, "scan", "--packs", "testdata/packs", "--format", "json", "testdata/acme-shop/app.env")
	assert.Contains(t, stdout, `"kind":"acmepay_test_secret"`)
	assert.NotContains(t, stdout, "0123456789abcdef01234567")

	// Without the folder the checklist does not exist.
	code, _, stderr := audit(t, "run", "testdata/acme-shop", "--offline")
	assert.Equal(t, outcome.ExitUsage, code)
	assert.Contains(t, stderr, "acmepay")
}

// TestPackDiagnostics: a broken user pack is a configuration error with
// file:line:col, and nothing runs.
func TestPackDiagnostics(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "bad"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "bad", "pack.hcl"),
		[]byte("provider \"bad\" {\n  title = \"Bad\"\n}\n\ncredential \"k\" {\n  kind    = \"secret\"\n  mode    = \"live\"\n  secret  = true\n  pattern = \"[a-z]+_key\"\n}\n"), 0o644))
	code, _, stderr := audit(t, "validate", "--packs", dir, "../../examples/stripe-shop")
	assert.Equal(t, outcome.ExitUsage, code)
	assert.Contains(t, stderr, "Credential pattern needs a literal start")
	assert.True(t, strings.Contains(stderr, "pack.hcl line 9") || strings.Contains(stderr, "pack.hcl:9"), stderr)
}

// TestRedirectEndpointFromPack: whether a provider's script only redirects
// the buyer (a full redirect, outside SAQ A's FAQ 1588 criterion) is the
// pack's data, not the pci-dss checklist's: the same page beside an
// unauthorised tag is exempt when the pack says "redirect", and must be
// protected when it says "script".
func TestRedirectEndpointFromPack(t *testing.T) {
	page := filepath.Join(t.TempDir(), "checkout.html")
	require.NoError(t, os.WriteFile(page, []byte(`<!doctype html><html><head><title>Pay</title>
<script src="https://pay.hopco.test/button.js"></script>
<script src="https://tags.analytics.test/t.js"></script>
</head><body><div id="hop"></div></body></html>`), 0o644))
	for _, tt := range []struct {
		purpose string
		want    reports.Status
		message string
	}{
		{"redirect", reports.Pass, "Full redirect"},
		{"script", reports.Fail, "embeds the provider's script (pay.hopco.test) beside 1 script(s) not authorised with a reason, first https://tags.analytics.test/t.js (third-party)"},
	} {
		t.Run(tt.purpose, func(t *testing.T) {
			packs := t.TempDir()
			require.NoError(t, os.MkdirAll(filepath.Join(packs, "hopco"), 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(packs, "hopco", "pack.hcl"), []byte(`provider "hopco" { title = "HopCo (fictitious)" }
endpoint "button" {
  purpose     = "`+tt.purpose+`"
  environment = "any"
  hosts       = ["pay.hopco.test"]
}
`), 0o644))
			_, steps := runJSON(t, "run", t.TempDir(), "--packs", packs, "--checklist", "pci-dss", "--offline", "--engine", "browser",
				"--only", "pci-dss.saq_a_script_protection,pci-dss.saq_scope", "--var", "checkout_page="+page, "--var", `source_dirs=["`+t.TempDir()+`"]`)
			assert.Contains(t, steps["pci-dss.saq_scope"].Message, "SAQ A:")
			st := steps["pci-dss.saq_a_script_protection"]
			assert.Equal(t, tt.want, st.Status, st.Message)
			assert.Contains(t, st.Message, tt.message)
		})
	}
}

// TestScanHonoursPackTestCards: a number a user pack lists in test_cards
// is a test card to audit scan (reported, not live: exit 0); without the
// pack it is a live card number (exit 1).
func TestScanHonoursPackTestCards(t *testing.T) {
	packs, dir := t.TempDir(), t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(packs, "acme"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(packs, "acme", "pack.hcl"),
		[]byte("provider \"acme\" {\n  title      = \"Acme\"\n  test_cards = [\"4539578763621486\"]\n}\n"), 0o644))
	file := filepath.Join(dir, "orders.log")
	require.NoError(t, os.WriteFile(file, []byte("charge 4539578763621486 ok\n"), 0o644))

	code, stdout, stderr := audit(t, "scan", "--packs", packs, "--format", "json", file)
	assert.Equal(t, outcome.ExitGo, code, stderr)
	assert.Contains(t, stdout, `"masked":"453957******1486","test_card":true,"live":false`)

	code, stdout, _ = audit(t, "scan", "--format", "json", file)
	assert.Equal(t, outcome.ExitNoGo, code)
	assert.Contains(t, stdout, `"masked":"453957******1486","test_card":false,"live":true`)
}
