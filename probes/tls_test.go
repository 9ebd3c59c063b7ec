package probes

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/audit-tool/audit/internal/testenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zclconf/go-cty/cty"
)

// tlsGoServer starts an HTTPS server on 127.0.0.1 limited to the given
// versions and (for TLS 1.0–1.2) suites, and returns its host:port.
func tlsGoServer(t *testing.T, cert tls.Certificate, minV, maxV uint16, suites []uint16) string {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	srv.TLS = &tls.Config{
		Certificates: []tls.Certificate{cert},
		MinVersion:   minV,
		MaxVersion:   maxV,
		CipherSuites: suites,
	}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are the point
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv.Listener.Addr().String()
}

func tlsSuiteIDs(names ...string) []uint16 {
	var ids []uint16
	for _, s := range append(tls.CipherSuites(), tls.InsecureCipherSuites()...) {
		for _, n := range names {
			if s.Name == n {
				ids = append(ids, s.ID)
			}
		}
	}
	return ids
}

func tlsHostPort(t *testing.T, addr string) string {
	t.Helper()
	host, port, err := net.SplitHostPort(addr)
	require.NoError(t, err)
	return fmt.Sprintf("host = %q\nport = %s", host, port)
}

func tlsVersionsOf(v cty.Value) [4]bool {
	vs := v.GetAttr("versions")
	return [4]bool{
		vs.GetAttr("tls1_0").True(), vs.GetAttr("tls1_1").True(),
		vs.GetAttr("tls1_2").True(), vs.GetAttr("tls1_3").True(),
	}
}

func tlsWeak(v cty.Value) []string {
	var out []string
	for it := v.GetAttr("weak_ciphers").ElementIterator(); it.Next(); {
		_, s := it.Element()
		out = append(out, s.AsString())
	}
	return out
}

func TestTLSGoServers(t *testing.T) {
	pki := newCertPKI(t)
	cert := pki.issue(t, certECDSA(t), time.Now().Add(-time.Hour), time.Now().Add(90*24*time.Hour), "127.0.0.1").tls
	modern := tlsSuiteIDs("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256")
	tests := []struct {
		name       string
		minV, maxV uint16
		suites     []uint16
		versions   [4]bool
		negotiated string
		suite      string
		weak       []string
		strong     bool
	}{
		{
			name: "TLS 1.2 and 1.3, AEAD only", minV: tls.VersionTLS12, maxV: tls.VersionTLS13, suites: modern,
			versions: [4]bool{false, false, true, true}, negotiated: "TLS 1.3", suite: "TLS_AES_128_GCM_SHA256",
			strong: true,
		},
		{
			name: "TLS 1.2 only, AEAD", minV: tls.VersionTLS12, maxV: tls.VersionTLS12, suites: modern,
			versions: [4]bool{false, false, true, false}, negotiated: "TLS 1.2", suite: "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
			strong: true,
		},
		{
			name: "TLS 1.2 only, CBC", minV: tls.VersionTLS12, maxV: tls.VersionTLS12,
			suites:   tlsSuiteIDs("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"),
			versions: [4]bool{false, false, true, false}, negotiated: "TLS 1.2", suite: "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
			weak:   []string{"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"},
			strong: false,
		},
		{
			name: "TLS 1.0 to 1.3, RC4 too", minV: tls.VersionTLS10, maxV: tls.VersionTLS13,
			suites:   append(tlsSuiteIDs("TLS_ECDHE_ECDSA_WITH_RC4_128_SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"), modern...),
			versions: [4]bool{true, true, true, true}, negotiated: "TLS 1.3", suite: "TLS_AES_128_GCM_SHA256",
			weak:   []string{"TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA"},
			strong: false,
		},
		{
			name: "TLS 1.0 only", minV: tls.VersionTLS10, maxV: tls.VersionTLS10,
			suites:   tlsSuiteIDs("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"),
			versions: [4]bool{true, false, false, false}, negotiated: "TLS 1.0", suite: "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
			weak:   []string{"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"},
			strong: false,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := tlsGoServer(t, cert, tt.minV, tt.maxV, tt.suites)
			v, err := kindRun(t, TLS{}, &Env{}, tlsHostPort(t, addr))
			require.NoError(t, err)
			assert.Equal(t, tt.versions, tlsVersionsOf(v))
			assert.Equal(t, tt.negotiated, v.GetAttr("negotiated").AsString())
			assert.Equal(t, tt.suite, v.GetAttr("cipher_suite").AsString())
			assert.Equal(t, tt.weak, tlsWeak(v))
			assert.Equal(t, tt.strong, v.GetAttr("strong").True())
			assert.Equal(t, "127.0.0.1", v.GetAttr("host").AsString())
			c := v.GetAttr("certificate")
			assert.Equal(t, "CN=127.0.0.1,O=Audit Test", c.GetAttr("subject").AsString())
			assert.True(t, c.GetAttr("hostname_ok").True())
			assert.Equal(t, 2, v.GetAttr("chain").LengthInt())
		})
	}
}

func TestTLSURLTarget(t *testing.T) {
	pki := newCertPKI(t)
	cert := pki.issue(t, certECDSA(t), time.Now().Add(-time.Hour), time.Now().Add(time.Hour), "127.0.0.1").tls
	addr := tlsGoServer(t, cert, tls.VersionTLS13, tls.VersionTLS13, nil)
	v, err := kindRun(t, TLS{}, &Env{}, `url = "https://`+addr+`/checkout"`)
	require.NoError(t, err)
	_, port, _ := net.SplitHostPort(addr)
	assert.Equal(t, port, v.GetAttr("port").AsBigFloat().String())
	assert.Equal(t, [4]bool{false, false, false, true}, tlsVersionsOf(v))
	assert.Empty(t, tlsWeak(v), "no version below 1.3 to try weak suites at")
}

func TestTLSCannotDecide(t *testing.T) {
	// A server that accepts TCP and hangs up: every version refused.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	_, err = kindRun(t, TLS{}, &Env{}, tlsHostPort(t, l.Addr().String()))
	require.ErrorContains(t, err, "refused TLS 1.0 to 1.3")

	// Nothing listening: the probe cannot decide either.
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := closed.Addr().String()
	closed.Close()
	_, err = kindRun(t, TLS{}, &Env{}, tlsHostPort(t, addr))
	require.ErrorContains(t, err, "connection refused")
}

func TestTLSStalledServerTimesOut(t *testing.T) {
	// Accepts and never answers: each handshake gives up at the timeout,
	// so no version is accepted.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() })
		}
	}()
	start := time.Now()
	_, err = kindRun(t, TLS{}, &Env{}, tlsHostPort(t, l.Addr().String())+"\ntimeout = \"100ms\"")
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 5*time.Second)
}

func TestTLSOffline(t *testing.T) {
	for _, src := range []string{`url = "https://shop.example/"`, `host = "shop.example"`} {
		_, err := kindRun(t, TLS{}, &Env{Offline: true}, src)
		require.ErrorIs(t, err, ErrOffline, src)
	}
}

func TestTLSValidate(t *testing.T) {
	tests := []struct {
		src  string
		want string // "" when valid
	}{
		{`url = "https://shop.example/checkout"`, ""},
		{"host = \"shop.example\"\nport = 8443\ntimeout = \"3s\"", ""},
		{``, "set url or host"},
		{"url = \"https://shop.example/\"\nhost = \"shop.example\"", "not both"},
		{`url = "http://shop.example/"`, "absolute https URL"},
		{"host = \"shop.example\"\nport = 70000", "out of range"},
		{"host = \"shop.example\"\ntimeout = \"0s\"", `timeout "0s" is not a positive duration`},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			diags := TLS{}.Validate(&Env{}, kindCfg(t, TLS{}, tt.src))
			if tt.want == "" {
				assert.Empty(t, diags)
				return
			}
			require.True(t, diags.HasErrors())
			assert.Contains(t, diags[0].Detail, tt.want)
		})
	}
}

// TestTLSAgainstNginx checks the verdicts against OpenSSL, not only Go's
// own server: nginx with TLS 1.0 only, and with TLS 1.2 and 1.3.
func TestTLSAgainstNginx(t *testing.T) {
	pki := newCertPKI(t)
	leaf := pki.issue(t, certECDSA(t), time.Now().Add(-time.Hour), time.Now().Add(30*24*time.Hour), "127.0.0.1", "localhost")
	tests := []struct {
		protocols  string
		versions   [4]bool
		negotiated string
		strong     bool
	}{
		{"TLSv1", [4]bool{true, false, false, false}, "TLS 1.0", false},
		{"TLSv1.2 TLSv1.3", [4]bool{false, false, true, true}, "TLS 1.3", true},
	}
	for _, tt := range tests {
		t.Run(tt.protocols, func(t *testing.T) {
			addr := testenv.NginxTLS(t, tt.protocols, leaf.certPEM, leaf.keyPEM)
			v, err := kindRun(t, TLS{}, &Env{}, tlsHostPort(t, addr))
			require.NoError(t, err)
			assert.Equal(t, tt.versions, tlsVersionsOf(v))
			assert.Equal(t, tt.negotiated, v.GetAttr("negotiated").AsString())
			assert.Equal(t, tt.strong, v.GetAttr("strong").True())
			// OpenSSL at security level 0 takes CBC suites at 1.0 and
			// CBC and RSA key exchange at 1.2.
			weak := tlsWeak(v)
			assert.Contains(t, weak, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA")
			for _, w := range weak {
				assert.False(t, strongSuite(w), w)
			}
			c := v.GetAttr("certificate")
			assert.Equal(t, "ECDSA", c.GetAttr("key_type").AsString())
			assert.Equal(t, 2, v.GetAttr("chain").LengthInt())
			assert.True(t, strings.HasPrefix(c.GetAttr("verify_error").AsString(), "x509: "))
		})
	}
}
