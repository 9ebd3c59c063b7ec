package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/audit-tool/audit/outcome"
	"github.com/audit-tool/audit/reports"
)

// Hostile servers on 127.0.0.1 (harden.md cases 17–19): what a webhook
// endpoint or a checkout page answers never reaches a terminal raw, a
// server that trickles its answer is given up on at the deadline, and a
// certificate nobody vouches for, or one that has expired, fails.

// hostileRun runs one step with every report format and returns it, with
// every output checked clean of control characters, the card number and
// the key.
func hostileRun(t *testing.T, step string, args ...string) (int, reports.Step, time.Duration) {
	t.Helper()
	code, steps, took := hostileRunSteps(t, []string{step}, args...)
	return code, steps[step], took
}

// hostileRunSteps is hostileRun for several steps.
func hostileRunSteps(t *testing.T, ids []string, args ...string) (int, map[string]reports.Step, time.Duration) {
	t.Helper()
	step := strings.Join(ids, ",")
	out := filepath.Join(t.TempDir(), "out")
	args = append([]string{"run", t.TempDir(), "--only", step, "--offline", "--now", fixedNow,
		"--format", "table,json,junit,sarif,markdown", "--out", out}, args...)
	start := time.Now()
	code, stdout, stderr := audit(t, args...)
	took := time.Since(start)
	require.Contains(t, []int{outcome.ExitGo, outcome.ExitNoGo, outcome.ExitUndetermined}, code, stderr)
	assertClean(t, "table", stdout, true)
	assertClean(t, "stderr", stderr, true)
	raw := []byte(cleanReports(t, out)["audit.json"])
	var res reports.Result
	require.NoError(t, json.Unmarshal(raw, &res))
	steps := map[string]reports.Step{}
	for _, s := range res.Steps {
		steps[s.ID] = s
		t.Logf("%s %s in %s: %s", s.ID, s.Status, took.Round(time.Millisecond), s.Message)
	}
	for _, id := range ids {
		require.Contains(t, steps, id, "%s", raw)
	}
	return code, steps, took
}

// caFile writes cert as a PEM file the run can trust (--ca-file).
func caFile(t *testing.T, cert *x509.Certificate) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}), 0o644))
	return p
}

// hostileHTTPS serves h over TLS on 127.0.0.1, with a certificate the run
// trusts through the returned CA file.
func hostileHTTPS(t *testing.T, h http.HandlerFunc) (url, ca string) {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv.URL, caFile(t, srv.Certificate())
}

// raw hijacks the connection and writes b as the whole answer.
func raw(w http.ResponseWriter, b string) {
	conn, buf, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	_, _ = buf.WriteString(b)
	_ = buf.Flush()
}

func TestHostileWebhookAnswersNeverReachTheTerminal(t *testing.T) {
	const step = "stripe.webhook_signature_verified"
	hostileBody := "\x1b[2J\x1b]0;pwned\x07 " + hostileKey + " cc=" + hostilePAN + "\x1b[5m"

	t.Run("500 with escapes, a key and a card number in the body", func(t *testing.T) {
		url, ca := hostileHTTPS(t, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("X-Debug", hostileKey)
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, hostileBody)
		})
		code, s, _ := hostileRun(t, step, "--checklist", "stripe", "--ca-file", ca, "--var", "webhook_url="+url+"/hooks")
		assert.Equal(t, outcome.ExitNoGo, code)
		assert.Equal(t, reports.Fail, s.Status, s.Message)
		assert.Contains(t, s.Message, "500")
		assert.NotContains(t, s.Message, "pwned", "the body is not echoed")
	})

	t.Run("a header line holding an escape", func(t *testing.T) {
		url, ca := hostileHTTPS(t, func(w http.ResponseWriter, _ *http.Request) {
			raw(w, "HTTP/1.1 500 Internal Server Error\r\n\x1b[31mred "+hostilePAN+"\r\nContent-Length: 0\r\n\r\n")
		})
		_, s, _ := hostileRun(t, step, "--checklist", "stripe", "--ca-file", ca, "--var", "webhook_url="+url+"/hooks")
		assert.NotEqual(t, reports.Pass, s.Status, s.Message)
		assert.Contains(t, s.Message, `\x1b[31mred`, "the malformed line is quoted escaped")
	})
}

// TestTricklingWebhookIsGivenUpOn: a server that answers a byte at a time
// never holds the run past its deadline, and never passes.
func TestTricklingWebhookIsGivenUpOn(t *testing.T) {
	stop := make(chan struct{})
	defer close(stop)
	url, ca := hostileHTTPS(t, func(w http.ResponseWriter, _ *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		for _, c := range []byte("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n") {
			select {
			case <-stop:
				return
			case <-time.After(400 * time.Millisecond):
			}
			if buf.WriteByte(c) != nil || buf.Flush() != nil {
				return
			}
		}
	})
	code, s, took := hostileRun(t, "stripe.webhook_signature_verified", "--checklist", "stripe", "--ca-file", ca,
		"--var", "webhook_url="+url+"/hooks", "--timeout", "2s")
	assert.Equal(t, outcome.ExitUndetermined, code)
	assert.Equal(t, reports.Error, s.Status, s.Message)
	assert.Contains(t, s.Message, "no answer within 2s")
	assert.Less(t, took, 10*time.Second, "the deadline holds (the full answer takes 20 s)")
}

// issued is a certificate for 127.0.0.1 valid from notBefore to notAfter,
// signed by itself.
func issued(t *testing.T, notBefore, notAfter time.Time) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: notBefore, NotAfter: notAfter, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	leaf, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}
}

// certServer serves a direct-post checkout page and a webhook that
// rejects forgeries, both behind cert.
func certServer(t *testing.T, cert tls.Certificate) string {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/hooks") {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, `<!doctype html><html><body><form action="https://secure.checkout.com/direct-post" method="post"><input name="cardnumber" autocomplete="cc-number"></form></body></html>`)
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestUntrustedAndExpiredCertificatesFail: a self-signed certificate the
// run was not told to trust, and an expired one it was, fail the webhook
// and the checkout page's certificate steps; the TLS protocol step is a
// fact of the handshake, not of trust.
func TestUntrustedAndExpiredCertificatesFail(t *testing.T) {
	// The run's clock (--now) judges the page's certificate, the real one
	// the webhook's handshake: each certificate is the same under both.
	runNow, err := time.Parse(time.RFC3339, fixedNow)
	require.NoError(t, err)
	selfSigned := issued(t, runNow.Add(-24*time.Hour), time.Now().Add(90*24*time.Hour))
	expired := issued(t, runNow.Add(-400*24*time.Hour), runNow.Add(-24*time.Hour))
	tests := []struct {
		name string
		cert tls.Certificate
		ca   bool
		says string
	}{
		{"self-signed", selfSigned, false, "unknown authority"},
		{"expired", expired, true, "expired"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := certServer(t, tt.cert)
			var trust []string
			if tt.ca {
				trust = []string{"--ca-file", caFile(t, tt.cert.Leaf)}
			}
			_, s, _ := hostileRun(t, "stripe.webhook_signature_verified", append(trust, "--checklist", "stripe", "--var", "webhook_url="+url+"/hooks")...)
			assert.NotEqual(t, reports.Pass, s.Status, "a webhook behind a bad certificate never passes: %s", s.Message)
			assert.Contains(t, s.Message, tt.says)

			_, steps, _ := hostileRunSteps(t, []string{"pci-dss.certificate_valid", "pci-dss.tls_strong", "pci-dss.saq_scope"},
				append(trust, "--checklist", "pci-dss", "--var", "checkout_page="+url+"/checkout", "--var", `source_dirs=["."]`)...)
			s = steps["pci-dss.certificate_valid"]
			assert.Equal(t, reports.Fail, s.Status, s.Message)
			assert.Contains(t, s.Message, tt.says)
			assert.NotContains(t, s.Message, "in -", "an expired certificate is said to have expired, not to expire in minus days")
			assert.Equal(t, reports.Pass, steps["pci-dss.tls_strong"].Status, "TLS 1.2+ with a strong suite is a fact of the handshake, not of trust")
			assert.NotEqual(t, reports.Pass, steps["pci-dss.saq_scope"].Status, "a page that could not be read places no SAQ: %s", steps["pci-dss.saq_scope"].Message)
		})
	}
}
