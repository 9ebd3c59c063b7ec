package main

import (
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/audit-tool/audit/outcome"
)

const debugChecklist = `
checklist "dbg" { title = "Debug output" }

variable "url"    { type = string }
variable "closed" { type = string }

probe "http" "api" {
  url     = var.url
  headers = { Authorization = "Bearer ${"sk_live_"}4eC39HqLyjWDarjtT1zdp7dc", "X-Shop" = "cafe-etoile" }
}
probe "http" "down" { url = var.closed }

step "api_up" {
  title    = "The API answers"
  severity = "high"
  assert {
    condition = probe.http.api.status == 200
    message   = "status ${probe.http.api.status}"
  }
}
step "down_up" {
  title    = "The other API answers"
  severity = "high"
  assert {
    condition = probe.http.down.status == 200
    message   = "status ${probe.http.down.status}"
  }
}
`

// TestDebugShowsMoreThanVerboseAndNoSecret runs a checklist with an http
// probe to a test server (sending an Authorization header) and one to a
// closed port, with --verbose and with --debug.
func TestDebugShowsMoreThanVerboseAndNoSecret(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "s3cr3t-session-value-0123456789"})
		w.Header().Set("X-Card", "4111111111111111")
		_, _ = w.Write([]byte("ok"))
	}))
	t.Cleanup(srv.Close)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := "http://" + l.Addr().String() + "/"
	require.NoError(t, l.Close())

	file := filepath.Join(t.TempDir(), "dbg.hcl")
	require.NoError(t, os.WriteFile(file, []byte(debugChecklist), 0o644))
	base := []string{"run", "--checklist", file, "--var", "url=" + srv.URL + "/v1/account", "--var", "closed=" + closed, "--now", "2026-11-23"}

	for _, tc := range []struct {
		flag    string
		want    []string
		notWant []string
	}{
		{"--verbose",
			[]string{"probe http.api in .: ", "probe http.down in .: "},
			[]string{"settings:", "debug:", "error chain:", "GET "}},
		{"--debug",
			[]string{
				"probe http.api in .: ", `settings: {"body":null,"headers":{"Authorization":"Bearer sk_live_…(sha256:`, `"X-Shop":"cafe-etoile"`,
				"debug: http GET " + srv.URL + "/v1/account\n    Authorization: Bearer sk_live_…(sha256:",
				"    X-Shop: cafe-etoile",
				"debug: http GET " + srv.URL + "/v1/account → 200 OK (",
				"    Set-Cookie: ses…(sha256:",
				"    X-Card: 411111******1111",
				"debug: loaded 1 checklist(s) in ", "debug: ran 2 step(s) in ",
				"error chain:\n    *fmt.wrapError: ", "*url.Error: Get \"" + closed + "\"", "*net.OpError: dial tcp ",
			},
			nil},
	} {
		t.Run(tc.flag, func(t *testing.T) {
			code, _, stderr := audit(t, append(append([]string{}, base...), tc.flag)...)
			assert.Equal(t, outcome.ExitUndetermined, code, stderr)
			for _, w := range tc.want {
				assert.Contains(t, stderr, w)
			}
			for _, w := range tc.notWant {
				assert.NotContains(t, stderr, w)
			}
			for _, secret := range []string{"4eC39HqLyjWDarjtT1zdp7dc", "s3cr3t-session-value", "4111111111111111"} {
				assert.NotContains(t, stderr, secret)
			}
		})
	}
}

// TestDebugErrorChainOfACommand: a failing command's error is shown with
// what it wraps.
func TestDebugErrorChainOfACommand(t *testing.T) {
	code, _, stderr := audit(t, "run", filepath.Join(t.TempDir(), "missing"), "--debug")
	assert.Equal(t, outcome.ExitUsage, code)
	assert.Contains(t, stderr, "debug: error chain:\n  *main.exitError: ")
	assert.Equal(t, 1, strings.Count(stderr, "audit: "), "the error itself once")
}
