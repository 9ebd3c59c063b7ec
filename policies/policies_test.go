package policies_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/audit-tool/audit/checklist"
	"github.com/audit-tool/audit/internal/runner"
	"github.com/audit-tool/audit/policies"
	"github.com/audit-tool/audit/probes"
	"github.com/audit-tool/audit/reports"
)

var now = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// audit runs the built-in pci-dss checklist with vars from testdata, as
// `audit run --checklist pci-dss --var …` does.
func audit(t *testing.T, roots *x509.CertPool, vars ...string) (*reports.Result, map[string]reports.Step) {
	t.Helper()
	return auditWith(t, runner.Options{RootCAs: roots}, vars...)
}

// auditWith is audit with more run options; the run is always offline, on
// the test clock, and uses the package's shared browser unless opt.Engine
// says "static".
func auditWith(t *testing.T, opt runner.Options, vars ...string) (*reports.Result, map[string]reports.Step) {
	t.Helper()
	lib, err := checklist.NewLibrary(checklist.Builtins(), policies.Builtins())
	require.NoError(t, err)
	l := &checklist.Loader{Parser: checklist.NewParser(), Library: lib, Registry: probes.Default(), Now: func() time.Time { return now }}
	plan, diags := l.Load(checklist.Request{Checklists: []string{"pci-dss"}, Vars: vars, WorkDir: "testdata"})
	require.False(t, diags.HasErrors(), diags.Error())
	opt.Offline, opt.Now, opt.FailOn = true, func() time.Time { return now }, reports.High
	if opt.Engine != "static" {
		opt.Browser = testBrowser
	}
	res := runner.Run(context.Background(), plan, opt)
	steps := map[string]reports.Step{}
	for _, s := range res.Steps {
		steps[strings.TrimPrefix(s.ID, "pci-dss.")] = s
	}
	return res, steps
}

func TestScopeOfPages(t *testing.T) {
	tests := []struct {
		page, saq string
		reason    string // in the first reason
		fields    reports.Status
	}{
		{"redirect.html", "A", "payment is handed to the provider (static-eu.payments-amazon.com)", reports.Pass},
		{"iframe.html", "A", "provider's iframe (checkoutshopper-live.adyen.com)", reports.Pass},
		{"stripe_element.html", "A", "(js.stripe.com)", reports.Pass},
		{"aep.html", "A-EP", "card-number at pages/aep.html:8) and sent to the provider by js.braintreegateway.com", reports.Fail},
		{"direct_post.html", "A-EP", "posted straight to https://secure.checkout.com/direct-post", reports.Fail},
		{"merchant_post.html", "D", `card fields post to the merchant's own origin (form action "/checkout/pay" at pages/merchant_post.html:5)`, reports.Fail},
		{"api_post.html", "D", "card fields post to api.shop.example, not a listed PCI DSS validated provider", reports.Fail},
	}
	for _, tt := range tests {
		t.Run(tt.page, func(t *testing.T) {
			res, steps := audit(t, nil, "checkout_page=pages/"+tt.page, `source_dirs=["pages"]`)
			require.NotNil(t, res.Scope)
			assert.Equal(t, tt.saq, res.Scope.SAQ, res.Scope.Reasons)
			require.NotEmpty(t, res.Scope.Reasons)
			assert.Contains(t, res.Scope.Reasons[0], tt.reason)
			assert.Equal(t, reports.Pass, steps["saq_scope"].Status)
			assert.Contains(t, steps["saq_scope"].Message, "SAQ "+tt.saq+": ")
			assert.Equal(t, tt.fields, steps["no_card_fields_on_merchant_page"].Status, steps["no_card_fields_on_merchant_page"].Message)
			assert.Equal(t, reports.Pass, steps["no_stored_pan"].Status, steps["no_stored_pan"].Message)
			// A local file has no TLS, certificate or headers to check.
			for _, id := range []string{"tls_strong", "certificate_valid", "hsts", "content_security_policy"} {
				assert.Equal(t, reports.Skip, steps[id].Status, id)
				if id != "content_security_policy" || tt.saq != "A" {
					assert.Contains(t, steps[id].Message, "checkout_page is", id)
				}
			}
			if tt.saq == "A" {
				assert.Equal(t, reports.Skip, steps["mfa_for_cde_access"].Status, "8.4 is not in SAQ A")
				assert.Contains(t, steps["mfa_for_cde_access"].Message, "not in SAQ A")
			} else {
				assert.Equal(t, reports.Pending, steps["mfa_for_cde_access"].Status)
			}
		})
	}
}

func TestCardDataInLogs(t *testing.T) {
	tests := []struct {
		tree     string
		saq      string
		stored   reports.Status
		masking  reports.Status
		messages []string // in pan_masking's message
	}{
		{"stored", "D", reports.Fail, reports.Fail, []string{"Card numbers appear in full (first 453957******1486 at trees/stored/logs/app.log:2)"}},
		{"overmasked", "A", reports.Pass, reports.Fail, []string{
			"1 masked card number(s) show more than the first six and last four digits, first at trees/overmasked/logs/app.log:2",
			"9 leading + 4 trailing", "411111******1111 once masked properly",
		}},
		{"clean", "A", reports.Pass, reports.Pass, []string{"2 masked number(s) seen, all compliant"}},
	}
	for _, tt := range tests {
		t.Run(tt.tree, func(t *testing.T) {
			res, steps := audit(t, nil, "checkout_page=pages/redirect.html", `source_dirs=["pages"]`,
				fmt.Sprintf(`log_dirs=["trees/%s/logs"]`, tt.tree))
			assert.Equal(t, tt.saq, res.Scope.SAQ)
			assert.Equal(t, tt.stored, steps["no_stored_pan"].Status, steps["no_stored_pan"].Message)
			assert.Equal(t, tt.masking, steps["pan_masking"].Status, steps["pan_masking"].Message)
			for _, m := range tt.messages {
				assert.Contains(t, steps["pan_masking"].Message, m)
			}
			for _, s := range res.Steps {
				assert.NotContains(t, s.Message, "4539578763621486", s.ID)
				assert.NotContains(t, s.Message, "411111111***1111", s.ID)
				for _, e := range s.Evidence {
					assert.NotContains(t, e.Detail, "4539578763621486", s.ID)
					assert.NotContains(t, e.Detail, "411111111***1111", s.ID)
				}
			}
		})
	}
}

// pageServer serves a checkout page over TLS from 127.0.0.1 with the given
// headers and TLS floor.
func pageServer(t *testing.T, minVersion uint16, headers map[string]string) (url string, roots *x509.CertPool) {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		for k, v := range headers {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Type", "text/html")
		// A direct-post card form: SAQ A-EP, where the header steps apply.
		_, _ = io.WriteString(w, `<!doctype html><html><head><script src="https://js.stripe.com/v3/"></script></head><body>`+
			`<form action="https://secure.checkout.com/direct-post" method="post"><input name="cardnumber" autocomplete="cc-number"></form></body></html>`)
	}))
	srv.TLS = &tls.Config{MinVersion: minVersion}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are the point
	srv.StartTLS()
	t.Cleanup(srv.Close)
	roots = x509.NewCertPool()
	roots.AddCert(srv.Certificate())
	return srv.URL + "/checkout", roots
}

func TestServedPage(t *testing.T) {
	good := map[string]string{
		"Strict-Transport-Security": "max-age=31536000; includeSubDomains",
		"Content-Security-Policy":   "default-src 'self'; script-src 'self' https://js.stripe.com 'nonce-r4nd0m'; frame-ancestors 'none'",
	}
	tests := []struct {
		name    string
		min     uint16
		headers map[string]string
		want    map[string]reports.Status
		message map[string]string
	}{
		{"strong", tls.VersionTLS12, good, map[string]reports.Status{
			"tls_strong": reports.Pass, "certificate_valid": reports.Pass, "hsts": reports.Pass, "content_security_policy": reports.Pass,
		}, map[string]string{"tls_strong": "TLS 1.0/1.1 refused"}},
		{"tls 1.0 and no headers", tls.VersionTLS10, nil, map[string]reports.Status{
			"tls_strong": reports.Fail, "certificate_valid": reports.Pass, "hsts": reports.Fail, "content_security_policy": reports.Fail,
		}, map[string]string{
			"tls_strong": "still accepts TLS 1.0", "hsts": "sends no Strict-Transport-Security header",
			"content_security_policy": "sends no enforced Content-Security-Policy",
		}},
		{"weak headers", tls.VersionTLS12, map[string]string{
			"Strict-Transport-Security": "max-age=86400",
			"Content-Security-Policy":   "script-src 'self' 'unsafe-inline'",
		}, map[string]reports.Status{"hsts": reports.Fail, "content_security_policy": reports.Fail}, map[string]string{
			"hsts": "is 86400 s, under a year", "content_security_policy": "'unsafe-inline' without a nonce or hash",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url, roots := pageServer(t, tt.min, tt.headers)
			res, steps := audit(t, roots, "checkout_page="+url, `source_dirs=["pages"]`)
			assert.Equal(t, "A-EP", res.Scope.SAQ)
			for id, want := range tt.want {
				assert.Equal(t, want, steps[id].Status, "%s: %s", id, steps[id].Message)
			}
			for id, m := range tt.message {
				assert.Contains(t, steps[id].Message, m, id)
			}
		})
	}
}

func TestUntrustedCertificate(t *testing.T) {
	url, _ := pageServer(t, tls.VersionTLS12, nil)
	_, steps := audit(t, nil, "checkout_page="+url, `source_dirs=["pages"]`)
	// Without the test CA the page cannot even be fetched: the page's steps
	// are errors, never passes, and the certificate step says why.
	assert.Equal(t, reports.Fail, steps["certificate_valid"].Status, steps["certificate_valid"].Message)
	assert.Contains(t, steps["certificate_valid"].Message, "is not trusted")
	assert.Equal(t, reports.Error, steps["hsts"].Status)
}
