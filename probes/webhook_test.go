package probes

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/audit-tool/audit/pack"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zclconf/go-cty/cty"
)

var webhookTestNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func webhookEnv() *Env { return &Env{Now: func() time.Time { return webhookTestNow }} }

// webhookStripeVerifier checks Stripe-Signature as Stripe's libraries do:
// HMAC-SHA256 of "t.body" under the endpoint secret.
func webhookStripeVerifier(secret string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var ts, sig string
		for _, part := range strings.Split(r.Header.Get("Stripe-Signature"), ",") {
			k, v, _ := strings.Cut(part, "=")
			switch k {
			case "t":
				ts = v
			case "v1":
				sig = v
			}
		}
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write([]byte(ts + "." + string(body)))
		got, err := hex.DecodeString(sig)
		if err != nil || !hmac.Equal(got, mac.Sum(nil)) {
			http.Error(w, "bad signature", http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusOK)
	}
}

// webhookSNSVerifier refuses an SNS message whose certificate is not on
// an Amazon SNS host, the first check of every SNS verifier.
func webhookSNSVerifier(w http.ResponseWriter, r *http.Request) {
	var msg struct{ SigningCertURL string }
	if err := json.NewDecoder(r.Body).Decode(&msg); err != nil {
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}
	u, err := url.Parse(msg.SigningCertURL)
	if err != nil || u.Scheme != "https" || !strings.HasSuffix(u.Hostname(), ".amazonaws.com") {
		http.Error(w, "untrusted certificate", http.StatusUnauthorized)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func webhookAcceptAll(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	_, _ = w.Write([]byte("[accepted]"))
}

func webhookFactMap(t *testing.T, v cty.Value) map[string]any {
	t.Helper()
	out := map[string]any{}
	for name, val := range v.AsValueMap() {
		switch val.Type() {
		case cty.String:
			out[name] = val.AsString()
		case cty.Bool:
			out[name] = val.True()
		case cty.Number:
			out[name] = pageInt(t, val)
		}
	}
	return out
}

func TestWebhook(t *testing.T) {
	quiet := func(s *httptest.Server) *httptest.Server {
		s.Config.ErrorLog = log.New(io.Discard, "", 0)
		return s
	}
	stripeSrv := httptest.NewServer(webhookStripeVerifier("whsec_test_endpoint_secret"))
	defer stripeSrv.Close()
	snsTLS := quiet(httptest.NewUnstartedServer(http.HandlerFunc(webhookSNSVerifier)))
	snsTLS.StartTLS()
	defer snsTLS.Close()
	open := httptest.NewServer(http.HandlerFunc(webhookAcceptAll))
	defer open.Close()
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://login.shop.example/?next=/ipn", http.StatusFound)
	}))
	defer redirect.Close()
	release := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer hang.Close()
	defer close(release)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := "http://" + l.Addr().String() + "/ipn"
	require.NoError(t, l.Close())
	roots := x509.NewCertPool()
	roots.AddCert(snsTLS.Certificate())

	tests := []struct {
		name     string
		roots    *x509.CertPool
		body     string
		want     map[string]any
		errorHas string
	}{
		{
			name: "stripe endpoint verifies the signature",
			body: `url = "` + stripeSrv.URL + `/stripe" ` + "\nprovider = \"stripe\"",
			want: map[string]any{"answered": true, "status": 400, "rejected": true, "https": false},
		},
		{
			name:  "amazon pay IPN over TLS refuses a foreign certificate",
			roots: roots,
			body:  `url = "` + snsTLS.URL + `/ipn"` + "\nprovider = \"amazon-pay\"",
			want:  map[string]any{"answered": true, "status": 401, "rejected": true, "https": true},
		},
		{
			name: "generic endpoint accepts anything",
			body: `url = "` + open.URL + `/hook"`,
			want: map[string]any{"answered": true, "status": 200, "rejected": false},
		},
		{
			name: "adyen endpoint accepts anything",
			body: `url = "` + open.URL + `/adyen"` + "\nprovider = \"adyen\"",
			want: map[string]any{"answered": true, "status": 200, "rejected": false},
		},
		{
			name: "redirect is reported, not followed",
			body: `url = "` + redirect.URL + `/ipn"` + "\nprovider = \"paypal\"",
			want: map[string]any{"answered": true, "status": 302, "rejected": false, "location": "https://login.shop.example/?next=/ipn"},
		},
		{
			name:     "hanging endpoint",
			body:     `url = "` + hang.URL + `/ipn"` + "\ntimeout = \"150ms\"",
			want:     map[string]any{"answered": false, "status": 0, "rejected": false},
			errorHas: "no answer within 150ms",
		},
		{
			name:     "closed port",
			body:     `url = "` + closed + `"`,
			want:     map[string]any{"answered": false, "status": 0},
			errorHas: "connection refused",
		},
		{
			name:     "untrusted certificate",
			body:     `url = "` + snsTLS.URL + `/ipn"` + "\nprovider = \"amazon-pay\"",
			want:     map[string]any{"answered": false, "https": true},
			errorHas: "certificate",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := webhookEnv()
			env.RootCAs = tt.roots
			v, err := probeRunHCL(t, Webhook{}, env, tt.body)
			require.NoError(t, err)
			require.True(t, v.Type().Equals((Webhook{}).Facts()))
			got := webhookFactMap(t, v)
			for k, want := range tt.want {
				assert.Equal(t, want, got[k], k)
			}
			if tt.errorHas == "" {
				assert.Equal(t, "", got["error"])
			} else {
				assert.Contains(t, got["error"], tt.errorHas)
			}
			assert.GreaterOrEqual(t, got["duration_ms"], 0)
		})
	}
}

func TestWebhookErrors(t *testing.T) {
	open := httptest.NewServer(http.HandlerFunc(webhookAcceptAll))
	defer open.Close()
	tests := []struct {
		name, body string
		env        *Env
		offline    bool
		want       string
	}{
		{"offline", `url = "https://shop.example/ipn"`, &Env{Offline: true}, true, "needs the network"},
		{"unknown provider", `url = "` + open.URL + `"` + "\nprovider = \"square\"", &Env{}, false, `provider "square"`},
		{"not http", `url = "ftp://shop.example/ipn"`, &Env{}, false, "want an http(s) URL"},
		{"no host", `url = "https:///ipn"`, &Env{}, false, "want an http(s) URL"},
		{"bad timeout", `url = "` + open.URL + `"` + "\ntimeout = \"-1s\"", &Env{}, false, "positive duration"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := probeRunHCL(t, Webhook{}, tt.env, tt.body)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Equal(t, tt.offline, errors.Is(err, ErrOffline))
		})
	}

	// Offline still reaches loopback.
	v, err := probeRunHCL(t, Webhook{}, &Env{Offline: true}, `url = "`+open.URL+`"`)
	require.NoError(t, err)
	assert.True(t, v.GetAttr("answered").True())
}

func TestWebhookCancelledRun(t *testing.T) {
	release := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // the server sees the client leave only once the body is read
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer hang.Close()
	defer close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	cfg := cty.ObjectVal(map[string]cty.Value{
		"url": cty.StringVal(hang.URL), "provider": cty.StringVal("generic"), "timeout": cty.StringVal("10s"),
	})
	_, err := Webhook{}.Run(ctx, &Env{}, cfg)
	require.Error(t, err, "a cancelled run learnt nothing about the endpoint")
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

// TestWebhookForgedPayloads pins what each provider's forgery looks like,
// and that it is the same bytes for the same clock.
func TestWebhookForgedPayloads(t *testing.T) {
	for _, provider := range []string{"amazon-pay", "stripe", "adyen", "paypal", "braintree", "generic"} {
		t.Run(provider, func(t *testing.T) {
			var mu sync.Mutex
			var seen [][]byte
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				var b bytes.Buffer
				fmt.Fprintf(&b, "%s %s\n", r.Method, r.URL.Path)
				var names []string
				for k := range r.Header {
					if k != "Accept-Encoding" && k != "Content-Length" {
						names = append(names, k)
					}
				}
				sort.Strings(names)
				for _, k := range names {
					fmt.Fprintf(&b, "%s: %s\n", k, strings.Join(r.Header[k], ", "))
				}
				b.WriteByte('\n')
				var pretty bytes.Buffer
				if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
					form, err := url.ParseQuery(string(body)) // Braintree: bt_signature, bt_payload
					if err != nil || form.Get("bt_signature") == "" || form.Get("bt_payload") == "" {
						t.Errorf("%s body is not a signed form: %s", provider, body)
					}
					pretty.Write(body)
				} else if json.Indent(&pretty, body, "", "  ") != nil {
					t.Errorf("%s body is not JSON: %s", provider, body)
				}
				b.Write(pretty.Bytes())
				b.WriteByte('\n')
				mu.Lock()
				seen = append(seen, b.Bytes())
				mu.Unlock()
				w.WriteHeader(http.StatusUnauthorized)
			}))
			defer srv.Close()
			for range 2 {
				_, err := probeRunHCL(t, Webhook{}, webhookEnv(), `url = "`+srv.URL+`/notify"`+"\nprovider = \""+provider+"\"")
				require.NoError(t, err)
			}
			require.Len(t, seen, 2)
			assert.Equal(t, string(seen[0]), string(seen[1]), "same clock, same request")
			probeGolden(t, "webhook/"+provider+".golden", seen[0])
		})
	}
}

func TestWebhookSNSMessageShape(t *testing.T) {
	req, err := webhookForge(context.Background(), pack.Builtin(), "amazon-pay", &url.URL{Scheme: "https", Host: "shop.example"}, webhookTestNow)
	require.NoError(t, err)
	var env map[string]string
	require.NoError(t, json.NewDecoder(req.Body).Decode(&env))
	cert, err := url.Parse(env["SigningCertURL"])
	require.NoError(t, err)
	assert.NotContains(t, cert.Hostname(), "amazonaws.com")
	var msg map[string]string
	require.NoError(t, json.Unmarshal([]byte(env["Message"]), &msg), "Message is itself JSON, as in Amazon Pay IPNs")
	assert.Equal(t, "STATE_CHANGE", msg["NotificationType"])
}
