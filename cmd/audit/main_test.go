package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/audit-tool/audit/outcome"
	"github.com/audit-tool/audit/reports"
)

// audit runs the command line in-process.
func audit(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	a := newApp(&out, &errOut)
	a.renderer = testBrowser
	code = a.execute(args)
	return code, out.String(), errOut.String()
}

const example = "../../examples/amazon-pay-shop"

func TestRunExampleJSONIsNoGoAndStable(t *testing.T) {
	code, out, stderr := audit(t, "run", example, "--format", "json", "--now", "2026-11-23T10:00:00Z", "--offline")
	require.Equal(t, outcome.ExitNoGo, code, stderr)
	var res reports.Result
	require.NoError(t, json.Unmarshal([]byte(out), &res), out)
	assert.Equal(t, 1, res.SchemaVersion)
	assert.Equal(t, reports.NoGo, res.Verdict)
	assert.Equal(t, reports.High, res.FailOn)
	require.NotNil(t, res.Scope)
	assert.Equal(t, "D", res.Scope.SAQ, "a full card number in the logs")

	status := map[string]reports.Status{}
	for _, s := range res.Steps {
		status[s.ID] = s.Status
	}
	for id, want := range map[string]reports.Status{
		"amazon-pay.production_endpoints":             reports.Fail,
		"amazon-pay.live_keys":                        reports.Fail,
		"amazon-pay.button_production_mode":           reports.Fail,
		"amazon-pay.return_urls_https":                reports.Fail,
		"amazon-pay.private_key_protected":            reports.Fail,
		"amazon-pay.credit_card_on_file":              reports.Fail,
		"amazon-pay.seller_central_access":            reports.Fail,
		"amazon-pay.logo":                             reports.Waived,
		"amazon-pay.payout_bank_account":              reports.Pass,
		"amazon-pay.tax_id_verified":                  reports.Pass,
		"amazon-pay.support_contacts":                 reports.Pass,
		"amazon-pay.currency_matches_region":          reports.Pass,
		"amazon-pay.ipn_endpoint":                     reports.Skip,
		"amazon-pay.sandbox_tests_passed":             reports.Pass,
		"amazon-pay.production_transaction_validated": reports.Pending,
		"pci-dss.no_stored_pan":                       reports.Fail,
		"pci-dss.script_inventory":                    reports.Fail,
		"pci-dss.tls_strong":                          reports.Skip,
	} {
		assert.Equal(t, want, status[id], id)
	}

	// Two runs diff cleanly: same steps, order, statuses and messages.
	code2, out2, _ := audit(t, "run", example, "--format", "json", "--now", "2026-11-23T10:00:00Z", "--offline")
	require.Equal(t, code, code2)
	var res2 reports.Result
	require.NoError(t, json.Unmarshal([]byte(out2), &res2))
	require.Len(t, res2.Steps, len(res.Steps))
	for i := range res.Steps {
		a, b := res.Steps[i], res2.Steps[i]
		a.DurationMS, b.DurationMS = 0, 0
		assert.Equal(t, a, b)
	}
}

// TestRunReadyExampleIsGo: the fixed shop's checkout page is a built file,
// so TLS and response headers cannot be checked on it; the run says so
// (UNDETERMINED) unless the gate accepts that with --allow-unchecked.
func TestRunReadyExampleIsGo(t *testing.T) {
	const ready = "../../examples/amazon-pay-shop-ready"
	code, out, stderr := audit(t, "run", ready, "--now", "2026-11-23T10:00:00Z", "--offline", "--allow-unchecked")
	assert.Equal(t, outcome.ExitGo, code, out+stderr)
	assert.Contains(t, out, "Verdict: GO (fail-on high)\n")
	assert.Contains(t, out, "Unchecked in this run (allowed by --allow-unchecked):\n  - pci-dss.payment_page_https: ")

	code, out, stderr = audit(t, "run", ready, "--now", "2026-11-23T10:00:00Z", "--offline")
	assert.Equal(t, outcome.ExitUndetermined, code, out+stderr)
	assert.Contains(t, out, "Verdict: UNDETERMINED (fail-on high)\n")
	// The CSP step is not in SAQ A (skipped, not unchecked); the page's
	// transport is.
	for _, id := range []string{"pci-dss.payment_page_https", "pci-dss.tls_strong", "pci-dss.certificate_valid", "pci-dss.hsts"} {
		assert.Contains(t, out, "  - "+id+": checkout_page is ", id)
	}
	assert.Contains(t, out, "pci-dss.content_security_policy")
	assert.NotContains(t, out, "  - pci-dss.content_security_policy: ")
}

// TestOfflineURLPageIsUndetermined: --offline with an https checkout page
// cannot check it, and never says GO for it.
func TestOfflineURLPageIsUndetermined(t *testing.T) {
	src := `source_dirs=["` + t.TempDir() + `"]`
	ids := []string{"pci-dss.tls_strong", "pci-dss.certificate_valid", "pci-dss.hsts", "pci-dss.content_security_policy", "pci-dss.script_inventory"}
	only := "--only=" + strings.Join(ids, ",")
	code, steps := runJSON(t, "run", t.TempDir(), "--checklist", "pci-dss", "--offline", only,
		"--var", "checkout_page=https://shop.example/checkout", "--var", src)
	assert.Equal(t, outcome.ExitUndetermined, code)
	require.Len(t, steps, len(ids))
	for _, id := range ids {
		assert.Equal(t, reports.Skip, steps[id].Status, id)
		assert.True(t, steps[id].Unchecked, id)
		assert.Contains(t, steps[id].Message, "offline", id)
	}
	code, _ = runJSON(t, "run", t.TempDir(), "--checklist", "pci-dss", "--offline", "--allow-unchecked", only,
		"--var", "checkout_page=https://shop.example/checkout", "--var", src)
	assert.Equal(t, outcome.ExitGo, code, "--allow-unchecked")
}

// TestNoSecretLeaks plants the example's card number and private key, and
// checks that no output of any command carries them.
func TestNoSecretLeaks(t *testing.T) {
	pan := "4929135812345670"
	key, err := os.ReadFile(filepath.Join(example, "public/keys/amazon-pay-private.pem"))
	require.NoError(t, err)
	keyBody := strings.Split(string(key), "\n")[1]
	outDir := t.TempDir()
	code, stdout, stderr := audit(t, "run", example, "--format", "table,json", "--out", outDir, "--offline")
	require.Equal(t, outcome.ExitNoGo, code, stderr)
	outputs := map[string]string{"stdout": stdout, "stderr": stderr}
	entries, err := os.ReadDir(outDir)
	require.NoError(t, err)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(outDir, e.Name()))
		require.NoError(t, err)
		outputs[e.Name()] = string(b)
	}
	for name, text := range outputs {
		assert.NotContains(t, text, pan, name)
		assert.NotContains(t, text, keyBody, name)
	}
	assert.Contains(t, outputs["audit.json"], "492913******5670")
}

func TestUsageErrorsExit2(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"run", "--frobnicate"}, "unknown flag"},
		{"unknown command", []string{"launch"}, "unknown command"},
		{"bad fail-on", []string{"run", example, "--fail-on", "urgent"}, "--fail-on"},
		{"bad format", []string{"run", example, "--format", "docx"}, "unknown format"},
		{"no integration", []string{"run", t.TempDir()}, "has no audit.hcl"},
		{"missing path", []string{"run", "does/not/exist"}, "no such file"},
		{"bad checklist", []string{"validate", "../../checklist/testdata/diags/dangling_probe.hcl"}, "dangling_probe.hcl line 13"},
		{"misspelt use", []string{"validate", "../../checklist/testdata/diags/misspelt_use"}, `Did you mean "region"?`},
		{"syntax", []string{"run", "--checklist", "../../checklist/testdata/diags/syntax_error.hcl"}, "syntax_error.hcl line 9"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := audit(t, tc.args...)
			assert.Equal(t, outcome.ExitUsage, code)
			assert.Contains(t, stderr, tc.want)
		})
	}
}

func TestValidateExamplesAndList(t *testing.T) {
	code, out, stderr := audit(t, "validate", example, "../../examples/amazon-pay-shop-ready")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "valid")

	code, out, stderr = audit(t, "list")
	require.Equal(t, 0, code, stderr)
	for _, want := range []string{"amazon-pay", "pci-dss", "amazon-pay.production_endpoints", "pci-dss.saq_scope", "PROBE KINDS", "config"} {
		assert.Contains(t, out, want)
	}
}

func TestFailOnThresholds(t *testing.T) {
	code, _, _ := audit(t, "run", example, "--offline", "--fail-on", "never")
	assert.Equal(t, outcome.ExitGo, code)
	code, _, _ = audit(t, "run", example, "--offline", "--fail-on", "critical")
	assert.Equal(t, outcome.ExitNoGo, code)
}

// BenchmarkRunExample measures a whole offline audit of the bundled example:
// load and check both checklists, run every probe, judge, render JSON.
func BenchmarkRunExample(b *testing.B) {
	for b.Loop() {
		var out, errOut bytes.Buffer
		if code := run([]string{"run", example, "--offline", "--format", "json"}, &out, &errOut); code != outcome.ExitNoGo {
			b.Fatalf("exit %d: %s", code, errOut.String())
		}
	}
}
