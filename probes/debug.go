package probes

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/audit-tool/audit/scan"
)

// debugTransport tells Env.Debug of every request a probe's HTTP client
// sends and of its answer (audit --debug), headers masked.
type debugTransport struct {
	base *http.Transport
	log  func(string)
}

func (d debugTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	d.log(fmt.Sprintf("http %s %s%s", req.Method, req.URL.Redacted(), headerText(req.Header)))
	resp, err := d.base.RoundTrip(req)
	ms := time.Since(start).Milliseconds()
	if err != nil {
		d.log(fmt.Sprintf("http %s %s: %v (%d ms)", req.Method, req.URL.Redacted(), err, ms))
		return nil, err
	}
	d.log(fmt.Sprintf("http %s %s → %s (%d ms)%s", req.Method, req.URL.Redacted(), resp.Status, ms, headerText(resp.Header)))
	return resp, nil
}

// Transport is the *http.Transport under a client's transport: the one
// HTTPClient built, whether or not --debug wraps it.
func Transport(rt http.RoundTripper) (*http.Transport, bool) {
	if d, ok := rt.(debugTransport); ok {
		return d.base, true
	}
	tr, ok := rt.(*http.Transport)
	return tr, ok
}

// headerText lists headers one a line, sorted, the values of credentials
// and cookies masked to a prefix and a hash: a debug log is pasted into
// tickets.
func headerText(h http.Header) string {
	names := make([]string, 0, len(h))
	for n := range h {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		for _, v := range h[n] {
			b.WriteString("\n    " + n + ": " + MaskValue(n, v))
		}
	}
	return b.String()
}

// MaskValue is a header's or setting's value as debug output shows it:
// credentials, cookies, signatures and tokens masked to a prefix and a
// hash (an auth scheme kept in clear).
func MaskValue(name, value string) string {
	if !sensitiveName(name) || value == "" {
		return value
	}
	if scheme, rest, ok := strings.Cut(value, " "); ok && !strings.ContainsAny(scheme, "=,") {
		return scheme + " " + scan.MaskSecret(rest)
	}
	return scan.MaskSecret(value)
}

// sensitiveName reports whether a header or setting name says its value
// is a credential.
func sensitiveName(name string) bool {
	n := strings.ToLower(name)
	if strings.HasSuffix(n, "_env") {
		return false // the name of a variable (secret_key_env), not its value
	}
	for _, w := range []string{"authorization", "cookie", "key", "token", "secret", "signature", "password", "auth"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}
