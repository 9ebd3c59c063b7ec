package probes

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"
)

var tlsFacts = cty.Object(map[string]cty.Type{
	"host": cty.String,
	"port": cty.Number,
	"versions": cty.Object(map[string]cty.Type{
		"tls1_0": cty.Bool,
		"tls1_1": cty.Bool,
		"tls1_2": cty.Bool,
		"tls1_3": cty.Bool,
	}),
	"negotiated":   cty.String, // highest version accepted, "TLS 1.3"
	"cipher_suite": cty.String, // suite of that handshake
	"weak_ciphers": cty.List(cty.String),
	"strong":       cty.Bool,
	"certificate":  Certificate,
	"chain":        cty.List(chainEntry),
})

// tlsVersions are probed one by one, oldest first; the fact names follow.
var tlsVersions = []struct {
	id   uint16
	fact string
}{
	{tls.VersionTLS10, "tls1_0"},
	{tls.VersionTLS11, "tls1_1"},
	{tls.VersionTLS12, "tls1_2"},
	{tls.VersionTLS13, "tls1_3"},
}

// TLS handshakes a server once per protocol version and once per weak
// cipher suite, for PCI DSS 4.2.1 ("strong cryptography" on open networks).
// It can only detect what crypto/tls implements: suites such as DHE, ARIA
// or Camellia are invisible to it.
type TLS struct{}

// Name implements Kind.
func (TLS) Name() string { return "tls" }

// Doc implements Kind.
func (TLS) Doc() string {
	return "Handshakes a TLS server per protocol version and weak cipher suite; reports the certificate."
}

// Spec implements Kind.
func (TLS) Spec() hcldec.Spec {
	return &hcldec.ObjectSpec{
		"url":     &hcldec.AttrSpec{Name: "url", Type: cty.String},
		"host":    &hcldec.AttrSpec{Name: "host", Type: cty.String},
		"port":    defaulted("port", cty.Number, cty.NumberIntVal(443)),
		"timeout": defaulted("timeout", cty.String, cty.StringVal("10s")), // per handshake
	}
}

// Facts implements Kind.
func (TLS) Facts() cty.Type { return tlsFacts }

// Validate implements Validator.
func (TLS) Validate(_ *Env, cfg cty.Value) hcl.Diagnostics {
	if !cfg.IsWhollyKnown() {
		return nil
	}
	if _, err := decodeTLS(cfg); err != nil {
		return configDiag("tls", err)
	}
	return nil
}

type tlsTarget struct {
	host    string
	port    int
	timeout time.Duration
}

func (t tlsTarget) addr() string { return net.JoinHostPort(t.host, strconv.Itoa(t.port)) }

func decodeTLS(cfg cty.Value) (tlsTarget, error) {
	var t tlsTarget
	rawURL, host := cfgString(cfg, "url"), cfgString(cfg, "host")
	port, err := cfgCount(cfg, "port")
	if err != nil {
		return t, err
	}
	switch {
	case rawURL != "" && host != "":
		return t, errors.New("set url or host, not both")
	case rawURL != "":
		u, err := url.Parse(rawURL)
		if err != nil {
			return t, fmt.Errorf("url: %w", err)
		}
		if u.Scheme != "https" || u.Hostname() == "" {
			return t, fmt.Errorf("url %q: want an absolute https URL", u.Redacted())
		}
		host = u.Hostname()
		if p := u.Port(); p != "" {
			if port, err = strconv.Atoi(p); err != nil {
				return t, fmt.Errorf("url %q: port: %w", u.Redacted(), err)
			}
		}
	case host == "":
		return t, errors.New("set url or host")
	}
	if port < 1 || port > 65535 {
		return t, fmt.Errorf("port %d: out of range", port)
	}
	t.host, t.port = host, port
	if t.timeout, err = cfgDuration(cfg, "timeout"); err != nil {
		return t, err
	}
	return t, nil
}

// Run implements Kind.
func (TLS) Run(ctx context.Context, env *Env, cfg cty.Value) (cty.Value, error) {
	t, err := decodeTLS(cfg)
	if err != nil {
		return cty.NilVal, err
	}
	if env.Offline && !Loopback(t.host) {
		return cty.NilVal, fmt.Errorf("tls probe: %s needs the network: %w", t.addr(), ErrOffline)
	}

	accepted := map[string]cty.Value{}
	var best *tls.ConnectionState // the highest version's handshake
	var lastRefusal error
	for _, v := range tlsVersions {
		state, refusal, err := t.handshake(ctx, env, v.id, allSuites(v.id))
		if err != nil {
			return cty.NilVal, err
		}
		accepted[v.fact] = cty.BoolVal(refusal == nil)
		if refusal != nil {
			lastRefusal = refusal
			continue
		}
		best = state
	}
	if best == nil {
		return cty.NilVal, fmt.Errorf("tls probe: %s refused TLS 1.0 to 1.3: %w", t.addr(), lastRefusal)
	}

	weak, err := t.weakSuites(ctx, env, accepted)
	if err != nil {
		return cty.NilVal, err
	}
	cert, err := certificateVal(env, best, t.host)
	if err != nil {
		return cty.NilVal, fmt.Errorf("tls probe: %s: %w", t.addr(), err)
	}
	suite := tls.CipherSuiteName(best.CipherSuite)
	strong := accepted["tls1_0"].False() && accepted["tls1_1"].False() &&
		(best.Version == tls.VersionTLS13 || best.Version == tls.VersionTLS12 && strongSuite(suite))
	return cty.ObjectVal(map[string]cty.Value{
		"host":         cty.StringVal(t.host),
		"port":         cty.NumberIntVal(int64(t.port)),
		"versions":     cty.ObjectVal(accepted),
		"negotiated":   cty.StringVal(tls.VersionName(best.Version)),
		"cipher_suite": cty.StringVal(suite),
		"weak_ciphers": Strings(weak),
		"strong":       cty.BoolVal(strong),
		"certificate":  cert,
		"chain":        chainVal(best),
	}), nil
}

// weakSuites offers each weak suite alone at the highest version below
// TLS 1.3 the server accepts (TLS 1.3 has no weak suites) and lists those
// it takes, sorted.
func (t tlsTarget) weakSuites(ctx context.Context, env *Env, accepted map[string]cty.Value) ([]string, error) {
	var version uint16
	for _, v := range tlsVersions {
		if v.id < tls.VersionTLS13 && accepted[v.fact].True() {
			version = v.id
		}
	}
	if version == 0 {
		return nil, nil
	}
	var weak []string
	for _, s := range append(tls.CipherSuites(), tls.InsecureCipherSuites()...) {
		if !slices.Contains(s.SupportedVersions, version) || (!s.Insecure && strongSuite(s.Name)) {
			continue
		}
		_, refusal, err := t.handshake(ctx, env, version, []uint16{s.ID})
		if err != nil {
			return nil, err
		}
		if refusal == nil {
			weak = append(weak, s.Name)
		}
	}
	sort.Strings(weak)
	return weak, nil
}

// strongSuite is a TLS 1.2 suite with forward secrecy (ECDHE) and
// authenticated encryption (GCM, ChaCha20-Poly1305).
func strongSuite(name string) bool {
	return strings.HasPrefix(name, "TLS_ECDHE_") &&
		(strings.Contains(name, "_GCM_") || strings.Contains(name, "_CHACHA20_POLY1305"))
}

// allSuites is every suite crypto/tls implements, insecure ones included,
// so the probe sees what the server accepts rather than what Go prefers.
// TLS 1.3 suites are not configurable.
func allSuites(version uint16) []uint16 {
	if version == tls.VersionTLS13 {
		return nil
	}
	var ids []uint16
	for _, s := range append(tls.CipherSuites(), tls.InsecureCipherSuites()...) {
		ids = append(ids, s.ID)
	}
	return ids
}

// handshake runs one handshake at exactly version offering suites. A
// refused handshake is reported in refusal; err is only for a server that
// cannot be reached at all, which leaves the probe undecided.
func (t tlsTarget) handshake(ctx context.Context, env *Env, version uint16, suites []uint16) (state *tls.ConnectionState, refusal, err error) {
	hctx, cancel := context.WithTimeout(ctx, t.timeout)
	defer cancel()
	conn, err := env.DialContext(hctx, "tcp", t.addr())
	if err != nil {
		return nil, nil, fmt.Errorf("tls probe: %w", err)
	}
	defer conn.Close()
	c := tls.Client(conn, &tls.Config{
		ServerName: t.host,
		// The certificate is judged by certificateVal and reported as a
		// fact; a bad one must not look like a refused version.
		InsecureSkipVerify: true, //nolint:gosec // verified by certificateVal
		MinVersion:         version,
		MaxVersion:         version,
		CipherSuites:       suites,
	})
	if err := c.HandshakeContext(hctx); err != nil {
		if ctx.Err() != nil { // the run was cancelled: nothing was learnt
			return nil, nil, fmt.Errorf("tls probe: %w", ctx.Err())
		}
		// A server that stalls past the timeout has not accepted either.
		return nil, fmt.Errorf("%s: %w", tls.VersionName(version), err), nil
	}
	s := c.ConnectionState()
	return &s, nil, nil
}
