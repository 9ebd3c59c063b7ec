package baseline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSaveLoadRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "baseline.json")
	b := New()
	b.Pages["dist/checkout.html"] = Page{
		RecordedAt: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC), Engine: "browser",
		Scripts: []Script{{Key: "/assets/app.js", SHA256: "sha256-a"}},
		Headers: map[string]string{"content-security-policy": "script-src 'self'"},
	}
	require.NoError(t, b.Save(path))
	got, err := Load(path)
	require.NoError(t, err)
	assert.Equal(t, b, got)

	_, err = Load(filepath.Join(t.TempDir(), "missing.json"))
	assert.ErrorIs(t, err, os.ErrNotExist)
}

// TestFileConcurrentRecords: the page probes of one run share the file;
// each record survives the others.
func TestFileConcurrentRecords(t *testing.T) {
	f := NewFile(filepath.Join(t.TempDir(), "baseline.json"))
	_, ok, err := f.Page(context.Background(), "a")
	require.NoError(t, err)
	assert.False(t, ok, "no file yet: no record")
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			assert.NoError(t, f.Record(context.Background(), fmt.Sprint("page-", i), Page{Engine: "static"}))
		})
	}
	wg.Wait()
	b, err := Load(f.String())
	require.NoError(t, err)
	assert.Len(t, b.Pages, 8)
	p, ok, err := f.Page(context.Background(), "page-3")
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, "static", p.Engine)
}

func TestParseErrors(t *testing.T) {
	_, err := Parse([]byte("{\n  \"version\": 1,\n  \"pages\": {,\n}"), "b.json")
	assert.ErrorContains(t, err, "b.json:3:")
	_, err = Parse([]byte("{\n  \"version\": 1,\n  \"pages\": {"), "b.json")
	assert.ErrorContains(t, err, "b.json:3:13: ", "a truncated file is placed at its end")
	_, err = Parse([]byte("{\"version\": 1,\n \"pages\": []}"), "b.json")
	assert.ErrorContains(t, err, "b.json:2:")
	_, err = Parse([]byte("{\"version\": 1, \"pages\": {}}\n\n  {}"), "b.json")
	assert.ErrorContains(t, err, "b.json:3:3: unexpected data after")
	_, err = Parse([]byte(`{"version": 2, "pages": {}}`), "b.json")
	assert.ErrorContains(t, err, "version 2")
	_, err = Parse([]byte(`{"version": 1, "pages": {}, "extra": 1}`), "b.json")
	assert.Error(t, err, "unknown fields are refused")
}

func TestDiff(t *testing.T) {
	old := Page{
		Scripts: []Script{{Key: "/assets/app.js", SHA256: "sha256-a"}, {Key: "https://js.stripe.com/v3/", SHA256: "sha256-s"}},
		Headers: map[string]string{"content-security-policy": "script-src 'self'", "strict-transport-security": "max-age=31536000"},
	}
	cur := Page{
		Scripts: []Script{{Key: "/assets/app.js", SHA256: "sha256-b"}, {Key: "https://cdn.evil.example/x.js", SHA256: "sha256-x"}},
		Headers: map[string]string{"strict-transport-security": "max-age=31536000", "x-frame-options": "DENY"},
	}
	got := Diff(old, cur)
	assert.Equal(t, []Change{
		{Kind: "script_changed", Item: "/assets/app.js", Detail: "sha256-a → sha256-b"},
		{Kind: "script_added", Item: "https://cdn.evil.example/x.js", Detail: "new script sha256-x"},
		{Kind: "script_removed", Item: "https://js.stripe.com/v3/", Detail: "was sha256-s"},
		{Kind: "header_removed", Item: "content-security-policy", Detail: "was: script-src 'self'"},
		{Kind: "header_added", Item: "x-frame-options", Detail: "DENY"},
	}, got)
	assert.Empty(t, Diff(old, old))
}

// TestDiffUnseen: a script without a hash on either side is not
// "unchanged" — its content cannot be compared; one the page's CSP stops
// runs nowhere and is not compared.
func TestDiffUnseen(t *testing.T) {
	old := Page{Scripts: []Script{
		{Key: "https://a.example/x.js", Blocked: "offline"},
		{Key: "https://b.example/y.js", SHA256: "sha256-b"},
		{Key: "https://c.example/z.js", Blocked: "offline"},
		{Key: "https://d.example/w.js", Blocked: "csp"},
	}}
	cur := Page{Scripts: []Script{
		{Key: "https://a.example/x.js", Blocked: "offline"},
		{Key: "https://b.example/y.js", Blocked: "net::ERR_CONNECTION_REFUSED"},
		{Key: "https://c.example/z.js", SHA256: "sha256-c"},
		{Key: "https://d.example/w.js", Blocked: "csp"},
	}}
	assert.Equal(t, []Change{
		{Kind: "script_unseen", Item: "https://a.example/x.js", Detail: "not received in this run (offline): its content cannot be compared with (no hash)"},
		{Kind: "script_unseen", Item: "https://b.example/y.js", Detail: "not received in this run (net::ERR_CONNECTION_REFUSED): its content cannot be compared with sha256-b"},
		{Kind: "script_unseen", Item: "https://c.example/z.js", Detail: "not received when the baseline was recorded (offline): sha256-c has nothing to be compared with; record the baseline where the script can be fetched"},
	}, Diff(old, cur))
}

func TestHeaderValue(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"content-security-policy", "script-src 'nonce-r4nd0m' 'strict-dynamic'; object-src 'none'", "script-src 'nonce-*' 'strict-dynamic'; object-src 'none'"},
		{"content-security-policy-report-only", "script-src 'NONCE-abc';", "script-src 'nonce-*';"},
		{"content-security-policy", "script-src 'self' https://js.stripe.com", "script-src 'self' https://js.stripe.com"},
		// Only CSPs carry nonces.
		{"permissions-policy", "x='nonce-1'", "x='nonce-1'"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, HeaderValue(tt.name, tt.in), tt.in)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"version": 1, "pages": {"a": {"recorded_at": "2026-11-23T10:00:00Z", "engine": "static", "scripts": [{"key": "k"}], "headers": {}}}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		b, err := Parse(raw, "fuzz")
		if err == nil {
			require.NotNil(t, b.Pages)
		}
	})
}
