package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/audit-tool/audit/outcome"
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
	require.Equal(t, outcome.ExitNoGo, code, stderr)

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

// TestPCINotReadIsUndetermined: a log folder holding something nobody can
// read (root included: a FIFO, a dangling link, a link out of the tree),
// a format the scanner does not read, or a decompression bomb leaves
// no_stored_pan in error and the run UNDETERMINED, never GO.
func TestPCINotReadIsUndetermined(t *testing.T) {
	page, err := filepath.Abs("../../policies/testdata/pages/redirect.html")
	require.NoError(t, err)
	var bomb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&bomb, gzip.BestCompression)
	zeros := make([]byte, 1<<20)
	for range 300 {
		_, _ = zw.Write(zeros)
	}
	require.NoError(t, zw.Close())

	tests := []struct {
		name, reason string
		make         func(t *testing.T, logs string)
	}{
		{"everything read", "", func(*testing.T, string) {}},
		{"fifo", "named pipe (FIFO)", func(t *testing.T, logs string) {
			require.NoError(t, syscall.Mkfifo(filepath.Join(logs, "pipe.log"), 0o644))
		}},
		{"dangling link", "broken symbolic link", func(t *testing.T, logs string) {
			require.NoError(t, os.Symlink("rotated.log", filepath.Join(logs, "current.log")))
		}},
		{"link out of the tree", "symbolic link out of the tree", func(t *testing.T, logs string) {
			require.NoError(t, os.Symlink("/etc", filepath.Join(logs, "etc")))
		}},
		{"unsupported format", "unsupported format (RAR archive)", func(t *testing.T, logs string) {
			require.NoError(t, os.WriteFile(filepath.Join(logs, "old.rar"), []byte("Rar!\x1a\x07\x01\x00 archive body"), 0o644))
		}},
		{"bomb", "decompression bomb", func(t *testing.T, logs string) {
			require.NoError(t, os.WriteFile(filepath.Join(logs, "app.log.gz"), bomb.Bytes(), 0o644))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs := filepath.Join(t.TempDir(), "logs")
			require.NoError(t, os.MkdirAll(logs, 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(logs, "app.log"), []byte("2026-11-20 order 1042 paid\n"), 0o644))
			tt.make(t, logs)
			out := t.TempDir()
			code, _, stderr := audit(t, "run", "--checklist", "pci-dss", "--offline", "--now", "2026-11-23T10:00:00Z",
				"--var", "checkout_page="+page, "--var", `source_dirs=["`+filepath.Dir(page)+`"]`, "--var", `log_dirs=["`+logs+`"]`,
				"--only", "pci-dss.no_stored_pan,pci-dss.saq_scope", "--format", "json", "--out", out)
			b, err := os.ReadFile(filepath.Join(out, "audit.json"))
			require.NoError(t, err)
			if tt.reason == "" { // the control: the same run with nothing unread is GO
				assert.Equal(t, outcome.ExitGo, code, stderr)
				return
			}
			assert.Equal(t, outcome.ExitUndetermined, code, stderr)
			var res struct {
				Verdict string `json:"verdict"`
				Steps   []struct {
					ID, Status, Message string
					Coverage            *struct {
						Complete bool                            `json:"complete"`
						NotRead  []struct{ File, Reason string } `json:"not_read"`
					} `json:"coverage"`
				} `json:"steps"`
			}
			require.NoError(t, json.Unmarshal(b, &res))
			assert.Equal(t, "UNDETERMINED", res.Verdict)
			for _, s := range res.Steps {
				if s.ID != "pci-dss.no_stored_pan" {
					continue
				}
				assert.Equal(t, "error", s.Status)
				assert.Contains(t, s.Message, tt.reason)
				require.NotNil(t, s.Coverage)
				assert.False(t, s.Coverage.Complete)
				require.Len(t, s.Coverage.NotRead, 1)
				return
			}
			t.Fatal("no pci-dss.no_stored_pan step")
		})
	}
}
