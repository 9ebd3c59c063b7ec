package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/audit-tool/audit/outcome"
)

// chdir runs the rest of the test in dir, so diagnostics name short paths.
func chdir(t *testing.T, dir string) {
	t.Helper()
	wd, err := os.Getwd()
	require.NoError(t, err)
	require.NoError(t, os.Chdir(dir))
	t.Cleanup(func() { _ = os.Chdir(wd) })
}

// TestNullAndEmptyValuesAreLocated: values a user can slip into audit.hcl
// give an error at that attribute, first line FILE:LINE:COL, never a panic
// nor a message without a place.
func TestNullAndEmptyValuesAreLocated(t *testing.T) {
	tests := []struct {
		attr, want string
	}{
		{`merchant_file = null`, "audit.hcl:2:19: error: Null value\n"},
		{`merchant_file = ""`, "audit.hcl:2:19: error: Unreadable merchant profile\n"},
		{`config_files = null`, "audit.hcl:2:18: error: Null value\n"},
		{`source_dirs = null`, "audit.hcl:2:17: error: Null value\n"},
		{`region = null`, "audit.hcl:2:12: error: Null value\n"},
		{`region = ""`, "audit.hcl:2:12: error: Invalid value for variable\n"},
		{`checkout_page = null`, ""}, // null is its default: no page
	}
	merchant, err := os.ReadFile("../../examples/amazon-pay-shop-ready/merchant.hcl")
	require.NoError(t, err)
	for _, tt := range tests {
		t.Run(tt.attr, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{"audit.hcl": "use \"amazon-pay\" {\n  " + tt.attr + "\n}\n", "merchant.hcl": string(merchant)})
			chdir(t, dir)
			if tt.want == "" {
				code, _, stderr := audit(t, "validate", ".")
				assert.Equal(t, outcome.ExitGo, code, stderr)
				return
			}
			for _, cmd := range []string{"validate", "run"} {
				code, _, stderr := audit(t, cmd, ".")
				assert.Equal(t, outcome.ExitUsage, code, stderr)
				assert.True(t, strings.HasPrefix(stderr, tt.want), "%s: %s", cmd, stderr)
				assert.NotContains(t, stderr, "panic")
				for _, line := range strings.Split(stderr, "\n") {
					if strings.Contains(line, ": error: ") {
						assert.Regexp(t, `^[^ ]+:\d+:\d+: error: `, line, "every error has a place")
					}
				}
			}
		})
	}
}

func TestValidateJSONAndGitHub(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"good/checkout.html": "<html><body><p>Pay</p></body></html>\n",
		"good/audit.hcl":     "use \"pci-dss\" {\n  checkout_page = \"checkout.html\"\n  source_dirs = [\".\"]\n}\nattest \"pci-dss.mfa_for_cde_access\" {\n  by = \"CISO\"\n  date = \"2026-11-01\"\n  evidence = \"SEC-90\"\n}\n",
		"bad/audit.hcl":      "use \"pci-dss\" {\n  sourc_dirs = [\".\"]\n  checkout_page = \"x.html\"\n}\n",
		"bad/x.html":         "<html></html>\n",
	})
	chdir(t, dir)

	code, out, stderr := audit(t, "validate", "good", "bad/audit.hcl", "--format", "json")
	assert.Equal(t, outcome.ExitUsage, code)
	assert.NotContains(t, stderr, "Unsupported argument", "json goes to stdout only")
	var doc jsonDiagnostics
	require.NoError(t, json.Unmarshal([]byte(out), &doc), out)
	assert.False(t, doc.Valid)
	assert.Equal(t, 1, doc.ErrorCount)
	require.Len(t, doc.Files, 2)
	assert.Equal(t, validatedFile{Path: "good", Valid: true, Checklists: 1, Steps: doc.Files[0].Steps}, doc.Files[0])
	assert.Positive(t, doc.Files[0].Steps)
	assert.False(t, doc.Files[1].Valid)
	require.Len(t, doc.Diagnostics, 1)
	d := doc.Diagnostics[0]
	assert.Equal(t, "error", d.Severity)
	assert.Equal(t, "Unsupported argument", d.Summary)
	assert.Contains(t, d.Detail, `Did you mean "source_dirs"?`)
	assert.Equal(t, &jsonRange{Filename: filepath.Join("bad", "audit.hcl"), Start: jsonPos{2, 3, 18}, End: jsonPos{2, 13, 28}}, d.Range)
	assert.Equal(t, &jsonSnippet{Code: `  sourc_dirs = ["."]`, StartLine: 2}, d.Snippet)

	code, out, _ = audit(t, "validate", "good", "--format", "json")
	assert.Equal(t, outcome.ExitGo, code)
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	assert.True(t, doc.Valid)
	assert.Empty(t, doc.Diagnostics)

	code, out, stderr = audit(t, "validate", "bad", "--format", "github")
	assert.Equal(t, outcome.ExitUsage, code)
	assert.Equal(t, "::error file=bad/audit.hcl,line=2,col=3,endLine=2,endColumn=13,title=Unsupported argument::"+
		"Checklist \"pci-dss\" has no variable named \"sourc_dirs\". Did you mean \"source_dirs\"?\n", out)
	assert.Contains(t, stderr, "bad/audit.hcl:2:3: error: Unsupported argument\n", "text on stderr too")

	code, _, stderr = audit(t, "validate", "good", "--format", "xml")
	assert.Equal(t, outcome.ExitUsage, code, stderr)
}
