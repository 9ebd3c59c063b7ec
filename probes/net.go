package probes

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Loopback reports whether host (a name or an IP, without port) is on this
// machine. Names other than localhost are not resolved: resolving is itself
// network traffic.
func Loopback(host string) bool {
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// CheckURL returns ErrOffline (wrapped) when u may not be reached.
func (e *Env) CheckURL(u *url.URL) error {
	if e.Offline && !Loopback(u.Hostname()) {
		return fmt.Errorf("%s needs the network: %w", u.Redacted(), ErrOffline)
	}
	return nil
}

// DialContext is the only way probes open connections, so --offline holds
// for every kind.
func (e *Env) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", addr, err)
	}
	if e.Offline && !Loopback(host) {
		return nil, fmt.Errorf("dial %s: %w", addr, ErrOffline)
	}
	d := net.Dialer{Timeout: 10 * time.Second}
	return d.DialContext(ctx, network, addr)
}

// HTTPClient returns a client that dials through DialContext. It follows at
// most maxRedirects redirects (0: none); the caller sets per-request
// deadlines through the request context. With Debug set, each request and
// answer is logged (see Transport for the *http.Transport under it).
func (e *Env) HTTPClient(maxRedirects int) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil // a probe checks the merchant's server, not a proxy's view of it
	tr.DialContext = e.DialContext
	if e.RootCAs != nil {
		tr.TLSClientConfig = &tls.Config{RootCAs: e.RootCAs, MinVersion: tls.VersionTLS12}
	}
	var rt http.RoundTripper = tr
	if e.Debug != nil {
		rt = debugTransport{base: tr, log: e.Debug}
	}
	return &http.Client{
		Transport: rt,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > maxRedirects {
				return http.ErrUseLastResponse
			}
			return e.CheckURL(req.URL)
		},
	}
}
