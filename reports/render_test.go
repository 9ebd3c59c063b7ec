package reports

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// fixture is a run with every status, a current and an expired waiver, an
// attestation, accented text, evidence with and without a file line, and a
// PCI DSS scope.
func fixture() *Result {
	start := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	steps := []Step{
		{
			ID: "amazon-pay.production_endpoints", Checklist: "amazon-pay", Severity: Critical, Status: Fail,
			Title:   "Production endpoints are configured",
			Message: "api host pay-api.amazon.eu/sandbox is the sandbox | not production",
			Evidence: []Evidence{
				{Source: "config/payments.yaml", Line: 12, Detail: "api host pay-api.amazon.eu/sandbox"},
				{Source: "https://shop.example/checkout", Detail: "renderButton(sandbox: true)"},
			},
			References: []string{"https://developer.amazon.com/docs/amazon-pay-checkout/going-live.html"},
			DurationMS: 3,
		},
		{
			ID: "amazon-pay.support_contacts", Checklist: "amazon-pay", Severity: Medium, Status: Pass,
			Title:      "Support contacts are filled in for Café Étoile SARL",
			Message:    "aide@cafe-etoile.fr, +33 1 42 68 53 00",
			Evidence:   []Evidence{{Source: "merchant.hcl", Line: 9}},
			DurationMS: 1,
		},
		{
			ID: "amazon-pay.production_transaction_validated", Checklist: "amazon-pay", Severity: High, Status: Pass,
			Title: "A production transaction was validated in Seller Central", Manual: true,
			Attestation: &Attestation{By: "Launch manager", Date: "2026-11-20", Evidence: "Order 1042 seen in Seller Central"},
		},
		{
			ID: "amazon-pay.sandbox_tests_passed", Checklist: "amazon-pay", Severity: High, Status: Pending,
			Title: "Sandbox tests passed", Message: "no attestation", Manual: true,
			Location: &Evidence{Source: "audit.hcl", Line: 1},
		},
		{
			ID: "amazon-pay.ipn_endpoint", Checklist: "amazon-pay", Severity: High, Status: Skip,
			Title: "The IPN endpoint answers", Message: "offline: probe webhook.ipn needs the network", Unchecked: true,
			Location: &Evidence{Source: "audit.hcl", Line: 1},
		},
		{
			ID: "pci-dss.hsts", Checklist: "pci-dss", Severity: Medium, Status: Waived,
			Title:      "HSTS is sent on the payment page",
			Message:    "Strict-Transport-Security header missing",
			Evidence:   []Evidence{{Source: "dist/checkout.html"}},
			References: []string{"PCI DSS 4.2.1"},
			Tags:       []string{"tls"},
			Waiver:     &Waiver{Reason: "HSTS ships with the CDN migration (Größe)", ApprovedBy: "CISO", Expires: "2026-12-10", Ticket: "SEC-42"},
			Location:   &Evidence{Source: "audit.hcl", Line: 14},
			DurationMS: 2,
		},
		{
			ID: "pci-dss.content_security_policy", Checklist: "pci-dss", Severity: High, Status: Fail,
			Title:      "A Content-Security-Policy restricts scripts",
			Message:    "no Content-Security-Policy on <script> tags",
			Evidence:   []Evidence{{Source: "public/index.html", Line: 4, Detail: "<script src=\"https://cdn.example/x.js\">"}},
			References: []string{"PCI DSS 6.4.3", "https://www.w3.org/TR/CSP3/"},
			Waiver:     &Waiver{Reason: "CSP rollout", ApprovedBy: "CTO", Expires: "2026-10-31", Expired: true},
			DurationMS: 4,
		},
		{
			ID: "pci-dss.tls_strong", Checklist: "pci-dss", Severity: Critical, Status: Error,
			Title: "TLS is strong", Message: "dial tcp 127.0.0.1:443: connection refused",
			Evidence: []Evidence{{Source: "https://shop.example", Detail: "handshake"}},
			Location: &Evidence{Source: "audit.hcl", Line: 6},
		},
		{
			ID: "pci-dss.no_stored_pan", Checklist: "pci-dss", Severity: Low, Status: Fail,
			Title: "No stored card numbers", Message: "card number 411111******1111 in a log",
			Evidence: []Evidence{{Source: "logs/app.log", Line: 1042, Detail: "411111******1111"}},
		},
	}
	r := &Result{
		SchemaVersion: SchemaVersion,
		Tool:          Tool{Name: "audit", Version: "0.1.0"},
		StartedAt:     start,
		FinishedAt:    start.Add(2 * time.Second),
		FailOn:        High,
		Scope:         &Scope{SAQ: "A-EP", Reasons: []string{"card fields are built by a script on the merchant origin"}},
		Merchant:      "Café Étoile SARL",
		Folder:        "shops/cafe-etoile",
		Commit:        "5f3c1a9e0b7d4c2a8e6f1b3d5c7a9e0f2b4d6c8a",
		Steps:         steps,
	}
	r.Decide()
	return r
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./reports -update to create it")
	assert.Equal(t, string(want), string(got))
}

func render(t testing.TB, f func(*bytes.Buffer) error) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, f(&buf))
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	tests := []struct {
		format string
		file   string
	}{
		{"table", "table.golden"},
		{"json", "json.golden"},
		{"junit", "junit.golden"},
		{"sarif", "sarif.golden"},
		{"markdown", "markdown.golden"},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			f, ok := Lookup(tt.format)
			require.True(t, ok)
			r := fixture()
			got := render(t, func(b *bytes.Buffer) error { return f.Render(b, r, Options{}) })
			golden(t, tt.file, got)
			assert.Equal(t, fixture(), r, "rendering must not change the result")
			again := render(t, func(b *bytes.Buffer) error { return f.Render(b, fixture(), Options{}) })
			assert.Equal(t, got, again, "output must be deterministic")
		})
	}
}

// Every format tells that a waiver ran out and who approved a current one.
func TestWaiversInEveryFormat(t *testing.T) {
	for _, name := range []string{"table", "json", "junit", "sarif", "markdown"} {
		t.Run(name, func(t *testing.T) {
			f, _ := Lookup(name)
			out := string(render(t, func(b *bytes.Buffer) error { return f.Render(b, fixture(), Options{}) }))
			if name == "json" {
				assert.Contains(t, out, `"expired": true`)
				assert.Contains(t, out, `"approved_by": "CISO"`)
				return
			}
			assert.Contains(t, out, "waiver expired 2026-10-31")
			assert.Contains(t, out, "waived by CISO until 2026-12-10")
		})
	}
}

func TestFormatsRegistered(t *testing.T) {
	for name, file := range map[string]string{
		"table": "audit.txt", "json": "audit.json", "junit": "audit.junit.xml",
		"sarif": "audit.sarif", "markdown": "audit.md",
	} {
		f, ok := Lookup(name)
		require.True(t, ok, name)
		assert.Equal(t, file, f.File)
		assert.Equal(t, name, f.Name)
	}
}

func BenchmarkRender1000Steps(b *testing.B) {
	r := manyResult(1000)
	for _, name := range []string{"table", "json", "junit", "sarif", "markdown"} {
		f, _ := Lookup(name)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := f.Render(io.Discard, r, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
