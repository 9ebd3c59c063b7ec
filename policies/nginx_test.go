package policies_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/audit-tool/audit/internal/testenv"
	"github.com/audit-tool/audit/reports"
)

// selfSigned makes a certificate for 127.0.0.1 valid around the test clock.
func selfSigned(t *testing.T) (certPEM, keyPEM []byte, roots *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "shop.test"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:    now.Add(-24 * time.Hour),
		NotAfter:     now.Add(365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	roots = x509.NewCertPool()
	roots.AddCert(cert)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), roots
}

// TestTLSStepsAgainstNginx runs the TLS steps against a real nginx, one
// configured TLS 1.0 only (as old load balancers still are) and one TLS 1.2+.
func TestTLSStepsAgainstNginx(t *testing.T) {
	tests := []struct {
		protocols string
		want      reports.Status
		message   string
	}{
		{"TLSv1", reports.Fail, "still accepts TLS 1.0"},
		{"TLSv1.2 TLSv1.3", reports.Pass, "TLS 1.0/1.1 refused"},
	}
	for _, tt := range tests {
		t.Run(tt.protocols, func(t *testing.T) {
			certPEM, keyPEM, roots := selfSigned(t)
			addr := testenv.NginxTLS(t, tt.protocols, certPEM, keyPEM)
			_, steps := audit(t, roots, "checkout_page=https://"+addr+"/", `source_dirs=["pages"]`)
			assert.Equal(t, tt.want, steps["tls_strong"].Status, steps["tls_strong"].Message)
			assert.Contains(t, steps["tls_strong"].Message, tt.message)
			assert.Equal(t, reports.Pass, steps["certificate_valid"].Status, steps["certificate_valid"].Message)
		})
	}
}
