package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/audit-tool/audit/outcome"
)

func TestVersionFlagAndCommand(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}} {
		code, out, stderr := audit(t, args...)
		assert.Equal(t, outcome.ExitGo, code, stderr)
		assert.Equal(t, "audit "+version+"\n", out, args)
	}
}

func TestShortOutFlag(t *testing.T) {
	for _, args := range [][]string{
		{"run", example, "--offline", "--format", "json,markdown"},
		{"report", "", "--format", "json,markdown"},
		{"scan", scanTree, "--format", "json,sarif"},
	} {
		dir := t.TempDir()
		if args[0] == "report" {
			args[1] = storedResult(t, t.TempDir(), map[string]outcome.Status{"amazon-pay.logo": outcome.Pass})
		}
		code, _, stderr := audit(t, append(args, "-o", dir)...)
		assert.NotEqual(t, outcome.ExitUsage, code, "%v: %s", args, stderr)
		entries, err := os.ReadDir(dir)
		require.NoError(t, err)
		assert.Len(t, entries, 2, "%v writes two files under -o", args)
	}
}

func TestLang(t *testing.T) {
	code, _, stderr := audit(t, "run", example, "--offline", "--lang", "es")
	assert.Equal(t, outcome.ExitUsage, code)
	assert.Contains(t, stderr, `audit: --lang "es" is not one of en, fr, de`)
	code, _, stderr = audit(t, "run", example, "--offline", "--lang", "fr")
	assert.Equal(t, outcome.ExitNoGo, code, stderr)

	tests := []struct {
		lcAll, lang, want string
	}{
		{"", "", "en"},
		{"", "fr_FR.UTF-8", "fr"},
		{"de_CH.UTF-8", "fr_FR.UTF-8", "de"},
		{"C", "fr_FR.UTF-8", "en"}, // LC_ALL wins, and C is English
		{"", "ja_JP.UTF-8", "en"},
	}
	for _, tt := range tests {
		t.Setenv("LC_ALL", tt.lcAll)
		t.Setenv("LANG", tt.lang)
		got, err := parseLang("")
		require.NoError(t, err)
		assert.Equal(t, tt.want, got, "LC_ALL=%q LANG=%q", tt.lcAll, tt.lang)
	}
}

// TestNowIsReproducible: with --now, two runs write the same bytes in
// every format, the PDF included.
func TestNowIsReproducible(t *testing.T) {
	var runs [2]map[string][]byte
	for i := range runs {
		dir := t.TempDir()
		code, _, stderr := audit(t, "run", example, "--offline", "--now", "2026-11-23T10:00:00Z",
			"--format", "json,junit,sarif,markdown,pdf,table", "-o", dir)
		require.Equal(t, outcome.ExitNoGo, code, stderr)
		runs[i] = map[string][]byte{}
		entries, err := os.ReadDir(dir)
		require.NoError(t, err)
		for _, e := range entries {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			require.NoError(t, err)
			runs[i][e.Name()] = b
		}
	}
	require.Len(t, runs[0], 5)
	for name, b := range runs[0] {
		assert.True(t, bytes.Equal(b, runs[1][name]), "%s differs between two runs with --now", name)
	}
	assert.NotContains(t, string(runs[0]["audit.json"]), `"duration_ms": 1`)
}

func TestQuiet(t *testing.T) {
	dir := t.TempDir()
	code, out, stderr := audit(t, "run", example, "--offline", "--quiet", "--format", "table,json", "-o", dir)
	assert.Equal(t, outcome.ExitNoGo, code)
	assert.Regexp(t, `^Verdict: NO-GO \(fail-on high\); \d+ steps: \d+ pass, [^\n]*unchecked\n$`, out, "one line")
	assert.NotContains(t, stderr, "wrote ")
	assert.FileExists(t, filepath.Join(dir, "audit.json"))
}

// TestIgnoreIntegration: --checklist alone, even in a folder with an
// audit.hcl, when asked.
func TestIgnoreIntegration(t *testing.T) {
	code, steps := runJSON(t, "run", example, "--checklist", "pci-dss", "--ignore-integration", "--offline",
		"--var", "checkout_page="+filepath.Join(example, "dist/checkout.html"), "--var", `source_dirs=["`+filepath.Join(example, "src")+`"]`)
	assert.NotEqual(t, outcome.ExitUsage, code)
	for id := range steps {
		assert.Regexp(t, `^pci-dss\.`, id, "no amazon-pay step from the folder's audit.hcl")
	}
	code, _, stderr := audit(t, "run", example, "--ignore-integration")
	assert.Equal(t, outcome.ExitUsage, code)
	assert.Contains(t, stderr, "--ignore-integration needs --checklist")
}

func TestVerboseTellsEachProbe(t *testing.T) {
	code, out, stderr := audit(t, "run", example, "--offline", "--verbose")
	assert.Equal(t, outcome.ExitNoGo, code)
	assert.Regexp(t, `(?m)^probe scan\.logs in \S+amazon-pay-shop: \d+ ms, read 1 file\(s\)$`, stderr)
	assert.Regexp(t, `(?m)^probe config\.app in \S+: \d+ ms, parsed 2 file\(s\)$`, stderr)
	assert.NotContains(t, out, "probe ", "stdout carries only the report")
	_, _, quiet := audit(t, "run", example, "--offline")
	assert.NotContains(t, quiet, "probe scan.logs", "only with --verbose")
}
