package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPCIMasksCardNumbersInEveryFormat runs pci-dss over logs holding a
// full card number and an over-revealing masked one, and reads every
// output back (the PDF through pdftotext): none shows either in clear.
func TestPCIMasksCardNumbersInEveryFormat(t *testing.T) {
	pdftotext, err := exec.LookPath("pdftotext")
	require.NoError(t, err, "pdftotext is needed (poppler-utils, scripts/setup.sh)")
	dir := t.TempDir()
	logs := filepath.Join(dir, "logs")
	require.NoError(t, os.MkdirAll(logs, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(logs, "app.log"), []byte(
		"2026-11-20T10:00:01Z DEBUG charge card=4539578763621486 amount=42.00\n"+
			"2026-11-20T10:00:02Z INFO refund card 411111111***1111\n"), 0o644))
	page, err := filepath.Abs("../../policies/testdata/pages/redirect.html")
	require.NoError(t, err)
	out := filepath.Join(dir, "out")

	code, stdout, stderr := audit(t, "run", "--checklist", "pci-dss", "--offline", "--now", "2026-11-23T10:00:00Z",
		"--var", "checkout_page="+page, "--var", `source_dirs=["`+filepath.Dir(page)+`"]`, "--var", `log_dirs=["`+logs+`"]`,
		"--format", "table,json,junit,sarif,markdown,pdf", "--out", out)
	require.Equal(t, exitNoGo, code, stderr)

	outputs := map[string]string{"stdout": stdout, "stderr": stderr}
	for _, name := range []string{"audit.json", "audit.junit.xml", "audit.sarif", "audit.md"} {
		b, err := os.ReadFile(filepath.Join(out, name))
		require.NoError(t, err, name)
		outputs[name] = string(b)
	}
	txt, err := exec.Command(pdftotext, "-layout", filepath.Join(out, "audit.pdf"), "-").Output()
	require.NoError(t, err)
	outputs["audit.pdf"] = string(txt)

	for name, text := range outputs {
		text = strings.ReplaceAll(text, `\*`, "*") // markdown escapes
		assert.NotContains(t, text, "4539578763621486", name)
		assert.NotContains(t, text, "411111111***1111", name)
		if name != "stderr" {
			assert.Contains(t, text, "453957******1486", name)
		}
	}
	assert.Contains(t, outputs["audit.json"], `"saq": "D"`)
	assert.Contains(t, outputs["audit.json"], "411111******1111 once masked properly")
}
