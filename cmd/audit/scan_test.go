package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/audit-tool/audit/outcome"
)

var updateScan = flag.Bool("update-scan", false, "rewrite testdata/scan.golden.txt")

// scanTree is the scan package's test tree: live and test cards in every
// format, Stripe, PayPal and Adyen keys, an Amazon Pay PEM key.
const scanTree = "../../scan/testdata/tree"

// planted are values in scanTree that must never be printed in clear.
var planted = []string{
	"4539578763621486", "5425-2334-3010-9903", "5425233430109903", "3782 822463 10005", "378282246310005",
	"6011 0009 9013 9424", "6011000990139424", "3530111333300000", "3056930902590", "6759649826438453",
	"6212345678901265", "4242424242424242", "5555555555554444",
	"sk_live_51HqLyjWDarjtT1zdp7dcXcHf", "51HqLyjWDarjtT1zdp7dcXcHf", "4eC39HqLyjWDarjtT1zdp7dc",
	"x7k2mq9w4r8t1v5z", "0f1e2d3c4b5a69788796a5b4c3d2e1f0", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj",
	"rfzK8y7M8dJm32vUQbMCg9nh9E1aQyzQwbtjpdP8LWM",
}

func assertNoLeak(t *testing.T, outputs ...string) {
	t.Helper()
	for _, out := range outputs {
		for _, p := range planted {
			assert.NotContains(t, out, p)
		}
	}
}

func TestScanTableGolden(t *testing.T) {
	code, stdout, stderr := audit(t, "scan", scanTree)
	assert.Equal(t, outcome.ExitNoGo, code)
	assert.Contains(t, stderr, "NO-GO: 6 live card number(s) or secret(s) found")
	golden := filepath.Join("testdata", "scan.golden.txt")
	if *updateScan {
		require.NoError(t, os.WriteFile(golden, []byte(stdout), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), stdout)
	assertNoLeak(t, stdout, stderr)
}

func TestScanJSONAndSARIFFiles(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := audit(t, "scan", scanTree, "--format", "table,json,sarif", "--out", out)
	require.Equal(t, outcome.ExitNoGo, code, stderr)
	assert.Contains(t, stdout, "453957******1486")

	data, err := os.ReadFile(filepath.Join(out, "scan.json"))
	require.NoError(t, err)
	var doc struct {
		SchemaVersion int   `json:"schema_version"`
		FilesScanned  int64 `json:"files_scanned"`
		BytesScanned  int64 `json:"bytes_scanned"`
		Findings      []map[string]any
	}
	require.NoError(t, json.Unmarshal(data, &doc))
	assert.Equal(t, 1, doc.SchemaVersion)
	assert.EqualValues(t, 4, doc.FilesScanned)
	assert.Positive(t, doc.BytesScanned)
	require.Len(t, doc.Findings, 16)
	first := doc.Findings[0]
	assert.Equal(t, map[string]any{
		"type": "secret", "kind": "stripe_live_secret_key", "masked": "sk_live_…(sha256:0410bd0a)", "live": true,
		"file": scanTree + "/config/.env", "line": 3.0, "column": 19.0,
	}, first)
	var pan map[string]any
	for _, f := range doc.Findings {
		if f["type"] == "pan" {
			pan = f
			break
		}
	}
	assert.Equal(t, map[string]any{
		"type": "pan", "brand": "visa", "masked": "453957******1486", "test_card": false, "live": true,
		"file": scanTree + "/logs/app.log", "line": 2.0, "column": 49.0,
	}, pan)

	sarif, err := os.ReadFile(filepath.Join(out, "scan.sarif"))
	require.NoError(t, err)
	var s struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string
					Rules []struct{ ID string }
				}
			}
			Results []struct {
				RuleID    string
				Level     string
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine, StartColumn int }
					}
				}
			}
		}
	}
	require.NoError(t, json.Unmarshal(sarif, &s))
	assert.Equal(t, "2.1.0", s.Version)
	require.Len(t, s.Runs, 1)
	var rules []string
	for _, r := range s.Runs[0].Tool.Driver.Rules {
		rules = append(rules, r.ID)
	}
	assert.Equal(t, []string{"adyen_api_key", "pan", "paypal_live_access_token", "pkcs8_private_key",
		"stripe_live_restricted_key", "stripe_live_secret_key", "stripe_test_secret_key", "test-pan"}, rules)
	require.Len(t, s.Runs[0].Results, 16)
	r0 := s.Runs[0].Results[0]
	assert.Equal(t, "stripe_live_secret_key", r0.RuleID)
	assert.Equal(t, "error", r0.Level)
	assert.Equal(t, "scan/testdata/tree/config/.env", r0.Locations[0].PhysicalLocation.ArtifactLocation.URI, "relative to the repository root")
	assert.Equal(t, 3, r0.Locations[0].PhysicalLocation.Region.StartLine)
	assert.Equal(t, 19, r0.Locations[0].PhysicalLocation.Region.StartColumn)

	assertNoLeak(t, stdout, stderr, string(data), string(sarif))
}

func TestScanExitCodes(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
	}
	write("clean.log", "2026-11-20 order 1042 paid 12.50 EUR\n")
	write("fixtures.js", `const cards = ["4242 4242 4242 4242", "378282246310005"]; const k = "sk_test_4eC39HqLyjWDarjtT1zdp7dc";`+"\n")
	write("bin.dat", "\x00\x01 4242424242424242")

	code, stdout, stderr := audit(t, "scan", dir, "--format", "json")
	assert.Equal(t, outcome.ExitGo, code, "test cards and test keys do not fail: "+stderr)
	assert.Contains(t, stdout, `"test_card":true`)
	assert.Contains(t, stdout, `"complete": true`)

	write("leak.log", "charged 4539578763621486\n")
	code, _, _ = audit(t, "scan", dir, "--format", "sarif")
	assert.Equal(t, outcome.ExitNoGo, code)
	code, stdout, _ = audit(t, "scan", dir, "--exclude", "leak.*=rotated test log")
	assert.Equal(t, outcome.ExitGo, code)
	assert.Contains(t, stdout, "EXCLUDED  "+filepath.ToSlash(dir)+"/leak.log (leak.*): rotated test log")

	// Nothing live, but a FIFO nobody can read: the scan proves nothing.
	require.NoError(t, syscall.Mkfifo(filepath.Join(dir, "pipe"), 0o644))
	code, stdout, stderr = audit(t, "scan", dir, "--exclude", "leak.*=rotated", "--format", "json")
	assert.Equal(t, outcome.ExitUndetermined, code, stderr)
	assert.Contains(t, stdout, `"complete": false`)
	assert.Contains(t, stdout, `"reason":"named pipe (FIFO), not a regular file"`)
	assert.Contains(t, stderr, "UNDETERMINED")
	require.NoError(t, os.Remove(filepath.Join(dir, "pipe")))

	for _, args := range [][]string{
		{"scan"},
		{"scan", filepath.Join(dir, "missing")},
		{"scan", dir, "--format", "xml"},
		{"scan", dir, "--format", "json,sarif"},
		{"scan", dir, "--exclude", "[bad"},
		{"scan", dir, "--nope"},
	} {
		code, _, stderr := audit(t, args...)
		assert.Equal(t, outcome.ExitUsage, code, "%v: %s", args, stderr)
		assert.True(t, strings.HasPrefix(stderr, "audit: "), stderr)
	}
}

// TestScanTimeout: a scan stopped by --timeout proves nothing: exit 3, and
// the report says what was not read. Neither timeout can be met (no file
// is read in a nanosecond, nor 22 MB in a millisecond), so the test does
// not hang on the machine's speed.
func TestScanTimeout(t *testing.T) {
	dir := t.TempDir()
	for i := range 200 {
		require.NoError(t, os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%03d.log", i)), bytes.Repeat([]byte("order paid\n"), 10000), 0o644))
	}
	for _, timeout := range []string{"1ns", "1ms"} {
		t.Run(timeout, func(t *testing.T) {
			code, stdout, stderr := audit(t, "scan", dir, "--timeout", timeout, "--format", "json")
			assert.Equal(t, outcome.ExitUndetermined, code, stderr)
			assert.Contains(t, stderr, "UNDETERMINED")
			var doc struct {
				FilesScanned int `json:"files_scanned"`
				Coverage     struct {
					Complete bool                            `json:"complete"`
					NotRead  []struct{ File, Reason string } `json:"not_read"`
				} `json:"coverage"`
			}
			require.NoError(t, json.Unmarshal([]byte(stdout), &doc), stdout)
			assert.False(t, doc.Coverage.Complete)
			require.NotEmpty(t, doc.Coverage.NotRead)
			for _, n := range doc.Coverage.NotRead {
				assert.Contains(t, n.Reason, "time limit", n.File)
			}
			assert.Less(t, doc.FilesScanned, 200, "not every file was read")
		})
	}
}
