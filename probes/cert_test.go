package probes

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zclconf/go-cty/cty"
)

// certPKI is a throw-away certificate authority for the TLS tests.
type certPKI struct {
	ca    *x509.Certificate
	caKey crypto.Signer
	caPEM []byte
}

// certIssued is a leaf certificate in the forms tests need.
type certIssued struct {
	tls     tls.Certificate
	certPEM []byte // leaf then CA, as a server sends it
	keyPEM  []byte
}

func newCertPKI(t testing.TB) *certPKI {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "Audit Test CA", Organization: []string{"Audit Test"}},
		NotBefore:             time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:              time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	require.NoError(t, err)
	ca, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return &certPKI{ca: ca, caKey: key, caPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

// issue signs a leaf for hosts (IPs or names) with key, valid in
// [notBefore, notAfter]. A nil pki self-signs.
func (p *certPKI) issue(t testing.TB, key crypto.Signer, notBefore, notAfter time.Time, hosts ...string) certIssued {
	t.Helper()
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: hosts[0], Organization: []string{"Audit Test"}},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	parent, signer := tmpl, key
	if p != nil {
		parent, signer = p.ca, p.caKey
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), signer)
	require.NoError(t, err)
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)

	out := certIssued{
		certPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		keyPEM:  pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}),
	}
	chain := [][]byte{der}
	if p != nil {
		chain = append(chain, p.ca.Raw)
		out.certPEM = append(out.certPEM, p.caPEM...)
	}
	out.tls = tls.Certificate{Certificate: chain, PrivateKey: key}
	return out
}

func certECDSA(t testing.TB) crypto.Signer {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	return k
}

// certState is the connection state a client sees for c.
func certState(t testing.TB, c certIssued) *tls.ConnectionState {
	t.Helper()
	var st tls.ConnectionState
	for _, der := range c.tls.Certificate {
		x, err := x509.ParseCertificate(der)
		require.NoError(t, err)
		st.PeerCertificates = append(st.PeerCertificates, x)
	}
	return &st
}

func TestCertificateFacts(t *testing.T) {
	pki := newCertPKI(t)
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	valid := pki.issue(t, certECDSA(t), now.Add(-time.Hour), now.Add(10*24*time.Hour+12*time.Hour), "127.0.0.1", "shop.test")
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	require.NoError(t, err)

	tests := []struct {
		name       string
		cert       certIssued
		host       string
		now        time.Time
		verifyErr  string // substring; "" never happens here: the test CA is not a system root
		hostnameOK bool
		selfSigned bool
		days       int64
		keyType    string
		keyBits    int64
	}{
		{"untrusted CA", valid, "127.0.0.1", now, "x509: certificate signed by unknown authority", true, false, 10, "ECDSA", 256},
		{"wrong host", valid, "pay.example", now, "x509: certificate is valid for shop.test, not pay.example", false, false, 10, "ECDSA", 256},
		{"expired", valid, "shop.test", now.Add(12 * 24 * time.Hour), "x509: certificate has expired", true, false, -2, "ECDSA", 256},
		{"self-signed RSA", (*certPKI)(nil).issue(t, rsaKey, now.Add(-time.Hour), now.Add(24*time.Hour), "127.0.0.1"), "127.0.0.1", now,
			"x509: certificate signed by unknown authority", true, true, 1, "RSA", 2048},
		{"Ed25519", pki.issue(t, edKey, now.Add(-time.Hour), now.Add(48*time.Hour), "shop.test"), "shop.test", now, "unknown authority", true, false, 2, "Ed25519", 256},
		{"P-384", pki.issue(t, p384, now.Add(-time.Hour), now.Add(48*time.Hour), "shop.test"), "shop.test", now, "unknown authority", true, false, 2, "ECDSA", 384},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := &Env{Now: func() time.Time { return tt.now }}
			v, err := certificateVal(env, certState(t, tt.cert), tt.host)
			require.NoError(t, err)
			require.True(t, v.Type().Equals(Certificate))
			assert.False(t, v.GetAttr("verified").True())
			assert.Contains(t, v.GetAttr("verify_error").AsString(), tt.verifyErr)
			assert.Equal(t, tt.hostnameOK, v.GetAttr("hostname_ok").True())
			assert.Equal(t, tt.selfSigned, v.GetAttr("self_signed").True())
			assert.True(t, v.GetAttr("days_remaining").Equals(cty.NumberIntVal(tt.days)).True(), v.GetAttr("days_remaining").GoString())
			assert.Equal(t, tt.keyType, v.GetAttr("key_type").AsString())
			assert.True(t, v.GetAttr("key_bits").Equals(cty.NumberIntVal(tt.keyBits)).True())
		})
	}

	v, err := certificateVal(&Env{Now: func() time.Time { return now }}, certState(t, valid), "shop.test")
	require.NoError(t, err)
	assert.Equal(t, "CN=127.0.0.1,O=Audit Test", v.GetAttr("subject").AsString())
	assert.Equal(t, "CN=Audit Test CA,O=Audit Test", v.GetAttr("issuer").AsString())
	assert.Equal(t, Strings([]string{"shop.test"}), v.GetAttr("dns_names"))
	assert.Equal(t, "2026-11-23T09:00:00Z", v.GetAttr("not_before").AsString())
	assert.Equal(t, "2026-12-03T22:00:00Z", v.GetAttr("not_after").AsString())

	chain := chainVal(certState(t, valid))
	require.Equal(t, 2, chain.LengthInt())
	assert.Equal(t, "CN=Audit Test CA,O=Audit Test", chain.Index(cty.NumberIntVal(1)).GetAttr("subject").AsString())

	_, err = certificateVal(&Env{}, &tls.ConnectionState{}, "shop.test")
	require.ErrorContains(t, err, "no certificate")
}

// TestCertificateTrustFromSSLCertFile proves verified = true for real: the
// system pool honours SSL_CERT_FILE, but Go loads it once per process, so
// the probes run in a child process whose environment trusts the test CA.
func TestCertificateTrustFromSSLCertFile(t *testing.T) {
	if target := os.Getenv("AUDIT_TEST_TRUSTED_URL"); target != "" {
		certTrustedChild(t, target)
		return
	}
	pki := newCertPKI(t)
	leaf := pki.issue(t, certECDSA(t), time.Now().Add(-time.Hour), time.Now().Add(time.Hour), "127.0.0.1")
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("ok"))
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{leaf.tls}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the TLS probe's refused handshakes
	srv.StartTLS()
	t.Cleanup(srv.Close)

	caFile := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(caFile, pki.caPEM, 0o600))
	cmd := exec.Command(os.Args[0], "-test.run=^TestCertificateTrustFromSSLCertFile$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(),
		"SSL_CERT_FILE="+caFile,
		"SSL_CERT_DIR="+t.TempDir(), // nothing but the test CA
		"AUDIT_TEST_TRUSTED_URL="+srv.URL)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "--- PASS: TestCertificateTrustFromSSLCertFile")

	// The same server, in this process whose roots lack the test CA.
	v, err := kindRun(t, HTTP{}, &Env{}, `url = "`+srv.URL+`"`)
	require.NoError(t, err)
	assert.False(t, v.GetAttr("tls").GetAttr("certificate").GetAttr("verified").True())
}

func certTrustedChild(t *testing.T, target string) {
	h, err := kindRun(t, HTTP{}, &Env{}, `url = "`+target+`"`)
	require.NoError(t, err)
	hc := h.GetAttr("tls").GetAttr("certificate")
	assert.Equal(t, "", hc.GetAttr("verify_error").AsString())
	assert.True(t, hc.GetAttr("verified").True())

	v, err := kindRun(t, TLS{}, &Env{}, `url = "`+target+`"`)
	require.NoError(t, err)
	c := v.GetAttr("certificate")
	assert.Equal(t, "", c.GetAttr("verify_error").AsString())
	assert.True(t, c.GetAttr("verified").True())
	assert.True(t, c.GetAttr("hostname_ok").True())
	assert.False(t, c.GetAttr("self_signed").True())
}
