package reports

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/audit-tool/audit/scan"
)

func TestGitHubAnnotations(t *testing.T) {
	out := string(render(t, func(b *bytes.Buffer) error { return GitHub(b, fixture(), Options{}) }))
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	assert.Equal(t, []string{
		"::error file=shops/cafe-etoile/config/payments.yaml,line=12,title=amazon-pay.production_endpoints (critical%2C fail)::api host pay-api.amazon.eu/sandbox is the sandbox | not production",
		"::error file=shops/cafe-etoile/audit.hcl,line=1,title=amazon-pay.sandbox_tests_passed (high%2C pending)::no attestation",
		"::warning file=shops/cafe-etoile/audit.hcl,line=1,title=amazon-pay.ipn_endpoint (high%2C unchecked)::offline: probe webhook.ipn needs the network",
		"::error file=shops/cafe-etoile/public/index.html,line=4,title=pci-dss.content_security_policy (high%2C fail)::no Content-Security-Policy on <script> tags (waiver expired 2026-10-31: it no longer waives this step)",
		"::warning file=shops/cafe-etoile/audit.hcl,line=6,title=pci-dss.tls_strong (critical%2C error)::dial tcp 127.0.0.1:443: connection refused",
		"::notice file=shops/cafe-etoile/logs/app.log,line=1042,title=pci-dss.no_stored_pan (low%2C fail)::card number 411111******1111 in a log",
		"::notice title=audit verdict::NO-GO (fail-on high): 9 steps: 2 pass, 3 fail, 1 error, 1 skip, 1 waived, 1 pending; 1 unchecked",
	}, lines)
}

func TestGitHubScanAnnotations(t *testing.T) {
	rep := &scan.Report{Skipped: []scan.Skipped{{File: "pipe", Reason: "named pipe (FIFO), not a regular file"}}}
	rep.Add(
		scan.Finding{Type: scan.TypePAN, Brand: scan.Visa, Masked: "453957******1486", Live: true, File: "logs/app.log", Line: 2, Column: 9},
		scan.Finding{Type: scan.TypeSecret, Kind: "stripe_test_secret_key", Masked: "sk_test_…(sha256:2cafc097)", File: ".env", Line: 4, Column: 17},
	)
	out := string(render(t, func(b *bytes.Buffer) error { return ScanGitHub(b, rep, Options{Folder: "shop"}) }))
	assert.Equal(t, "::error file=shop/logs/app.log,line=2,col=9,title=live pan visa::pan visa 453957******1486 found in clear\n"+
		"::notice file=shop/.env,line=4,col=17,title=test secret stripe_test_secret_key::secret stripe_test_secret_key sk_test_…(sha256:2cafc097) found in clear\n"+
		"::warning file=shop/pipe,title=not read::named pipe (FIFO), not a regular file\n", out)
}

func TestAnnotationEscaping(t *testing.T) {
	a := Annotation{Level: "error", File: "a,b:c.hcl", Line: 3, Title: "50% done, really: yes", Message: "line one\nline two 100%\r"}
	assert.Equal(t, "::error file=a%2Cb%3Ac.hcl,line=3,title=50%25 done%2C really%3A yes::line one%0Aline two 100%25%0D\n", a.String())
}
