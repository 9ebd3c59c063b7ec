package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/audit-tool/audit/outcome"
	"github.com/audit-tool/audit/reports"
)

// storedResult writes a result of the given step statuses (all high) as
// audit.json and returns its path.
func storedResult(t *testing.T, dir string, statuses map[string]reports.Status) string {
	t.Helper()
	var steps []reports.Step
	for _, id := range []string{"amazon-pay.live_keys", "amazon-pay.logo", "pci-dss.hsts"} {
		if st, ok := statuses[id]; ok {
			steps = append(steps, reports.Step{ID: id, Checklist: "c", Title: "Café " + id, Severity: reports.High, Status: st})
		}
	}
	start := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	res := &reports.Result{
		SchemaVersion: reports.SchemaVersion, Tool: reports.Tool{Name: "audit", Version: "0.1.0"},
		StartedAt: start, FinishedAt: start, FailOn: reports.High, Steps: steps,
	}
	res.Decide()
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, reports.WriteFiles(dir, []reports.File{{Name: "audit.json", Write: func(w io.Writer) error { return reports.JSON(w, res, reports.Options{}) }}}, nil))
	return filepath.Join(dir, "audit.json")
}

func TestReportExitCodeIsStoredVerdict(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name     string
		statuses map[string]reports.Status
		want     int
	}{
		{"go", map[string]reports.Status{"amazon-pay.logo": reports.Pass}, outcome.ExitGo},
		{"no-go", map[string]reports.Status{"amazon-pay.logo": reports.Fail}, outcome.ExitNoGo},
		{"undetermined", map[string]reports.Status{"amazon-pay.logo": reports.Error}, outcome.ExitUndetermined},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := storedResult(t, filepath.Join(dir, tt.name), tt.statuses)
			code, out, stderr := audit(t, "report", path)
			assert.Equal(t, tt.want, code, stderr)
			assert.Contains(t, out, "amazon-pay.logo")
			assert.Contains(t, out, "Verdict: ")
			assert.NotContains(t, out, "\x1b[", "no colour off a terminal")
		})
	}
}

func TestReportWritesFiles(t *testing.T) {
	src := storedResult(t, t.TempDir(), map[string]reports.Status{
		"amazon-pay.live_keys": reports.Fail, "amazon-pay.logo": reports.Pass, "pci-dss.hsts": reports.Pending,
	})
	out := filepath.Join(t.TempDir(), "reports")
	code, stdout, stderr := audit(t, "report", src, "--format", "json,junit,sarif,markdown,table", "--out", out)
	require.Equal(t, outcome.ExitNoGo, code, stderr)
	assert.Contains(t, stdout, "amazon-pay.live_keys", "the table goes to stdout")

	for _, name := range []string{"audit.json", "audit.junit.xml", "audit.sarif", "audit.md"} {
		assert.FileExists(t, filepath.Join(out, name))
		assert.Contains(t, stderr, filepath.Join(out, name))
	}
	orig, err := os.ReadFile(src)
	require.NoError(t, err)
	again, err := os.ReadFile(filepath.Join(out, "audit.json"))
	require.NoError(t, err)
	assert.Equal(t, string(orig), string(again), "re-rendered JSON is the stored one")

	junit, err := os.ReadFile(filepath.Join(out, "audit.junit.xml"))
	require.NoError(t, err)
	var suites struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
	}
	require.NoError(t, xml.Unmarshal(junit, &suites))
	assert.Equal(t, 3, suites.Tests)
	assert.Equal(t, 2, suites.Failures)

	sarif, err := os.ReadFile(filepath.Join(out, "audit.sarif"))
	require.NoError(t, err)
	assert.True(t, json.Valid(sarif))
}

func TestReportUsageErrors(t *testing.T) {
	dir := t.TempDir()
	good := storedResult(t, dir, map[string]reports.Status{"amazon-pay.logo": reports.Pass})
	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"schema_version": 7}`), 0o644))
	garbage := filepath.Join(dir, "garbage.json")
	require.NoError(t, os.WriteFile(garbage, []byte("not json"), 0o644))

	tests := []struct {
		name string
		args []string
		want string
	}{
		{"missing file", []string{"report", filepath.Join(dir, "nope.json")}, "no such file"},
		{"invalid json", []string{"report", garbage}, "invalid character"},
		{"wrong schema", []string{"report", bad}, "schema_version 7"},
		{"unknown format", []string{"report", good, "--format", "html"}, `unknown format "html"`},
		{"several formats without --out", []string{"report", good, "--format", "pdf,json"}, "give --out"},
		{"no argument", []string{"report"}, "accepts 1 arg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := audit(t, tt.args...)
			assert.Equal(t, outcome.ExitUsage, code)
			assert.Contains(t, stderr, tt.want)
			assert.Empty(t, out)
		})
	}
}

func TestDiffCommand(t *testing.T) {
	dir := t.TempDir()
	base := storedResult(t, filepath.Join(dir, "base"), map[string]reports.Status{
		"amazon-pay.live_keys": reports.Fail, "amazon-pay.logo": reports.Pass,
	})
	fixed := storedResult(t, filepath.Join(dir, "fixed"), map[string]reports.Status{
		"amazon-pay.live_keys": reports.Pass, "amazon-pay.logo": reports.Pass,
	})
	worse := storedResult(t, filepath.Join(dir, "worse"), map[string]reports.Status{
		"amazon-pay.live_keys": reports.Pass, "amazon-pay.logo": reports.Fail,
	})
	newFail := storedResult(t, filepath.Join(dir, "new"), map[string]reports.Status{
		"amazon-pay.live_keys": reports.Fail, "amazon-pay.logo": reports.Pass, "pci-dss.hsts": reports.Pending,
	})

	tests := []struct {
		name     string
		args     []string
		want     int
		contains string
	}{
		{"fixed", []string{"diff", base, fixed}, outcome.ExitGo, "fixed"},
		{"regressed", []string{"diff", fixed, worse}, outcome.ExitNoGo, "regressed"},
		{"new failing", []string{"diff", base, newFail, "--format", "json"}, outcome.ExitNoGo, `"change": "new"`},
		{"same", []string{"diff", base, base, "--now", "2026-11-23"}, outcome.ExitGo, "NO-GO (unchanged)"},
		{"bad format", []string{"diff", base, fixed, "--format", "pdf"}, outcome.ExitUsage, ""},
		{"bad now", []string{"diff", base, fixed, "--now", "tomorrow"}, outcome.ExitUsage, ""},
		{"unreadable", []string{"diff", base, filepath.Join(dir, "nope.json")}, outcome.ExitUsage, ""},
		{"one argument", []string{"diff", base}, outcome.ExitUsage, ""},
		{"in French", []string{"diff", fixed, worse, "--lang", "fr"}, outcome.ExitNoGo, "│ régression "},
		{"unknown language", []string{"diff", base, fixed, "--lang", "es"}, outcome.ExitUsage, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := audit(t, tt.args...)
			assert.Equal(t, tt.want, code, stderr)
			assert.Contains(t, out, tt.contains)
		})
	}

	_, out, _ := audit(t, "diff", base, newFail, "--format", "json")
	var d reports.DiffResult
	require.NoError(t, json.Unmarshal([]byte(out), &d))
	assert.True(t, d.Regressed())
	assert.Equal(t, 1, d.Counts[reports.New])
	assert.Equal(t, 1, d.Counts[reports.StillFailing])
}

// TestReportReproducesRunPDF files a run's JSON and PDF, re-renders the PDF
// from the JSON, and expects the same document: a filed copy can always be
// regenerated from its data.
func TestReportReproducesRunPDF(t *testing.T) {
	runDir, reDir := t.TempDir(), t.TempDir()
	code, _, stderr := audit(t, "run", example, "--offline", "--now", "2026-11-23T10:00:00Z",
		"--format", "json,pdf", "--out", runDir)
	require.Equal(t, outcome.ExitNoGo, code, stderr)
	code, _, stderr = audit(t, "report", filepath.Join(runDir, "audit.json"), "--format", "pdf", "--out", reDir)
	require.Equal(t, outcome.ExitNoGo, code, stderr)

	first, err := os.ReadFile(filepath.Join(runDir, "audit.pdf"))
	require.NoError(t, err)
	again, err := os.ReadFile(filepath.Join(reDir, "audit.pdf"))
	require.NoError(t, err)
	assert.Equal(t, pdfText(t, first), pdfText(t, again))
	assert.True(t, bytes.Equal(first, again), "the same result renders the same bytes")
}

func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	require.NoError(t, err, "pdftotext is missing: run scripts/setup.sh")
	cmd := exec.Command(bin, "-layout", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	require.NoError(t, err)
	require.Contains(t, string(out), "Café Étoile SARL")
	return string(out)
}
