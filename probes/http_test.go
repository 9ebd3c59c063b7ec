package probes

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zclconf/go-cty/cty"
)

// httpTestServer serves the routes the HTTP probe tests need.
func httpTestHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/checkout", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Add("Set-Cookie", "a=1")
		w.Header().Add("Set-Cookie", "b=2")
		w.Header().Set("Strict-Transport-Security", "max-age=63072000")
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, "<html>checkout</html>")
	})
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/moved", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/checkout", http.StatusFound)
	})
	// /loop/N redirects to /loop/N+1 for ever.
	mux.HandleFunc("/loop/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		http.Redirect(w, r, fmt.Sprintf("/loop/%d", n+1), http.StatusFound)
	})
	mux.HandleFunc("/away", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://shop.example/checkout", http.StatusFound)
	})
	mux.HandleFunc("/bytes/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		_, _ = io.WriteString(w, strings.Repeat("x", n))
	})
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Method", r.Method)
		w.Header().Set("X-Host", r.Host)
		w.Header().Set("X-Token", r.Header.Get("X-Token"))
		w.Header().Set("X-Body", string(body))
		w.WriteHeader(http.StatusAccepted)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	return mux
}

func httpServers(t *testing.T) (plain, secure *httptest.Server) {
	t.Helper()
	plain = httptest.NewServer(httpTestHandler())
	secure = httptest.NewTLSServer(httpTestHandler())
	t.Cleanup(plain.Close)
	t.Cleanup(secure.Close)
	return plain, secure
}

func httpHeader(v cty.Value, name string) string {
	h := v.GetAttr("headers")
	if !h.HasIndex(cty.StringVal(name)).True() {
		return ""
	}
	return h.Index(cty.StringVal(name)).AsString()
}

func TestHTTPFactsOverTLS(t *testing.T) {
	_, srv := httpServers(t)
	v, err := kindRun(t, HTTP{}, &Env{}, `url = "`+srv.URL+`/old"`)
	require.NoError(t, err)

	sum := sha256.Sum256([]byte("<html>checkout</html>"))
	assert.Equal(t, srv.URL+"/old", v.GetAttr("url").AsString())
	assert.Equal(t, srv.URL+"/checkout", v.GetAttr("final_url").AsString())
	assert.True(t, v.GetAttr("status").Equals(cty.NumberIntVal(200)).True())
	assert.Equal(t, Strings([]string{srv.URL + "/moved", srv.URL + "/checkout"}), v.GetAttr("redirects"))
	assert.Equal(t, "a=1, b=2", httpHeader(v, "set-cookie"))
	assert.Equal(t, "max-age=63072000", httpHeader(v, "strict-transport-security"))
	assert.Equal(t, hex.EncodeToString(sum[:]), v.GetAttr("body_sha256").AsString())
	assert.True(t, v.GetAttr("body_bytes").Equals(cty.NumberIntVal(int64(len("<html>checkout</html>")))).True())
	assert.False(t, v.GetAttr("body_truncated").True())

	tlsInfo := v.GetAttr("tls")
	require.False(t, tlsInfo.IsNull())
	assert.Equal(t, "TLS 1.3", tlsInfo.GetAttr("version").AsString())
	assert.Equal(t, "TLS_AES_128_GCM_SHA256", tlsInfo.GetAttr("cipher_suite").AsString())
	cert := tlsInfo.GetAttr("certificate")
	// httptest's certificate is its own CA, unknown to the system pool: a
	// fact, not a probe error.
	assert.False(t, cert.GetAttr("verified").True())
	assert.Contains(t, cert.GetAttr("verify_error").AsString(), "x509: certificate signed by unknown authority")
	assert.True(t, cert.GetAttr("hostname_ok").True())
	assert.True(t, cert.GetAttr("self_signed").True())
}

func TestHTTPPlain(t *testing.T) {
	srv, _ := httpServers(t)
	v, err := kindRun(t, HTTP{}, &Env{}, `url = "`+srv.URL+`/checkout"`)
	require.NoError(t, err)
	assert.True(t, v.GetAttr("tls").IsNull())
	assert.Equal(t, cty.ListValEmpty(cty.String), v.GetAttr("redirects"))
}

func TestHTTPRequest(t *testing.T) {
	srv, _ := httpServers(t)
	v, err := kindRun(t, HTTP{}, &Env{}, `
url     = "`+srv.URL+`/echo"
method  = "POST"
headers = { "X-Token" = "t0k", Host = "shop.example" }
body    = "{\"ping\":true}"`)
	require.NoError(t, err)
	assert.True(t, v.GetAttr("status").Equals(cty.NumberIntVal(http.StatusAccepted)).True())
	assert.Equal(t, "POST", httpHeader(v, "x-method"))
	assert.Equal(t, "shop.example", httpHeader(v, "x-host"))
	assert.Equal(t, "t0k", httpHeader(v, "x-token"))
	assert.Equal(t, `{"ping":true}`, httpHeader(v, "x-body"))
}

func TestHTTPRedirectLimit(t *testing.T) {
	srv, _ := httpServers(t)
	tests := []struct {
		max       int
		redirects int
		final     string
	}{
		{0, 0, "/loop/0"},
		{2, 2, "/loop/2"},
		{5, 5, "/loop/5"},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.max), func(t *testing.T) {
			v, err := kindRun(t, HTTP{}, &Env{}, fmt.Sprintf("url = %q\nmax_redirects = %d", srv.URL+"/loop/0", tt.max))
			require.NoError(t, err)
			// The redirect not followed is what the probe reports.
			assert.True(t, v.GetAttr("status").Equals(cty.NumberIntVal(http.StatusFound)).True())
			assert.Equal(t, tt.redirects, v.GetAttr("redirects").LengthInt())
			assert.Equal(t, srv.URL+tt.final, v.GetAttr("final_url").AsString())
			assert.Equal(t, fmt.Sprintf("/loop/%d", tt.max+1), httpHeader(v, "location"))
		})
	}
	v, err := kindRun(t, HTTP{}, &Env{}, `url = "`+srv.URL+`/loop/0"`)
	require.NoError(t, err)
	assert.Equal(t, 5, v.GetAttr("redirects").LengthInt(), "default limit")
}

func TestHTTPBodyBound(t *testing.T) {
	srv, _ := httpServers(t)
	tests := []struct {
		size, max int
		bytes     int
		truncated bool
	}{
		{999, 1000, 999, false},
		{1000, 1000, 1000, false},
		{1001, 1000, 1000, true},
		{5 << 20, 1000, 1000, true},
		{10, 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d_of_%d", tt.size, tt.max), func(t *testing.T) {
			v, err := kindRun(t, HTTP{}, &Env{}, fmt.Sprintf("url = %q\nmax_body = %d", fmt.Sprintf("%s/bytes/%d", srv.URL, tt.size), tt.max))
			require.NoError(t, err)
			sum := sha256.Sum256([]byte(strings.Repeat("x", tt.bytes)))
			assert.Equal(t, hex.EncodeToString(sum[:]), v.GetAttr("body_sha256").AsString())
			assert.True(t, v.GetAttr("body_bytes").Equals(cty.NumberIntVal(int64(tt.bytes))).True())
			assert.Equal(t, tt.truncated, v.GetAttr("body_truncated").True())
		})
	}
}

func TestHTTPTimeout(t *testing.T) {
	srv, _ := httpServers(t)
	start := time.Now()
	_, err := kindRun(t, HTTP{}, &Env{}, `
url     = "`+srv.URL+`/slow"
timeout = "200ms"`)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 5*time.Second, "the probe gave up at its timeout")
}

func TestHTTPUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	_, err := kindRun(t, HTTP{}, &Env{}, `url = "`+url+`"`)
	require.ErrorContains(t, err, "connection refused")
}

func TestHTTPOffline(t *testing.T) {
	srv, _ := httpServers(t)
	offline := &Env{Offline: true}

	_, err := kindRun(t, HTTP{}, offline, `url = "https://shop.example/"`)
	require.ErrorIs(t, err, ErrOffline)

	_, err = kindRun(t, HTTP{}, offline, `url = "`+srv.URL+`/away"`)
	require.ErrorIs(t, err, ErrOffline, "a redirect off loopback is refused too")

	v, err := kindRun(t, HTTP{}, offline, `url = "`+srv.URL+`/checkout"`)
	require.NoError(t, err, "loopback stays allowed")
	assert.True(t, v.GetAttr("status").Equals(cty.NumberIntVal(200)).True())
}

func TestHTTPValidate(t *testing.T) {
	tests := []struct {
		src  string
		want string // "" when valid
	}{
		{`url = "https://shop.example/"`, ""},
		{"url = \"https://shop.example/\"\ntimeout = \"1m\"\nmax_redirects = 0", ""},
		{`url = "shop.example/checkout"`, "absolute http or https URL"},
		{`url = "ftp://shop.example/"`, "absolute http or https URL"},
		{"url = \"https://shop.example/\"\ntimeout = \"soon\"", "timeout"},
		{"url = \"https://shop.example/\"\ntimeout = \"-1s\"", `timeout "-1s" is not a positive duration`},
		{"url = \"https://shop.example/\"\nmax_redirects = -1", "must not be negative"},
		{"url = \"https://shop.example/\"\nmax_body = 1.5", "max_body"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			cfg := kindCfg(t, HTTP{}, tt.src)
			diags := HTTP{}.ValidateSettings(cfg)
			if tt.want == "" {
				assert.Empty(t, diags)
				return
			}
			require.True(t, diags.HasErrors())
			assert.Contains(t, diags[0].Detail, tt.want)
			_, err := HTTP{}.Run(context.Background(), &Env{}, cfg)
			require.ErrorContains(t, err, tt.want, "Run refuses what Validate refuses")
		})
	}
}
