package probes

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/gocty"
)

// TLSInfo is the fact type of the TLS connection an HTTP response came over.
var TLSInfo = cty.Object(map[string]cty.Type{
	"version":      cty.String, // "TLS 1.3"
	"cipher_suite": cty.String,
	"certificate":  Certificate,
})

var httpFacts = cty.Object(map[string]cty.Type{
	"url":            cty.String,
	"final_url":      cty.String,
	"status":         cty.Number,
	"headers":        cty.Map(cty.String), // lower-case names; repeated headers joined with ", "
	"redirects":      cty.List(cty.String),
	"body_sha256":    cty.String,
	"body_bytes":     cty.Number,
	"body_truncated": cty.Bool,
	"tls":            TLSInfo, // null over plain HTTP
})

// HTTP fetches one URL. Redirects are followed up to a limit and the body
// is read up to a bound, so a hostile or broken server cannot stall a run
// or exhaust memory.
type HTTP struct{}

// Name implements Kind.
func (HTTP) Name() string { return "http" }

// Doc implements Kind.
func (HTTP) Doc() string {
	return "Fetches a URL: status, headers, redirects, body digest and the TLS certificate."
}

// Spec implements Kind.
func (HTTP) Spec() hcldec.Spec {
	return &hcldec.ObjectSpec{
		"url":           &hcldec.AttrSpec{Name: "url", Type: cty.String, Required: true},
		"method":        defaulted("method", cty.String, cty.StringVal(http.MethodGet)),
		"headers":       &hcldec.AttrSpec{Name: "headers", Type: cty.Map(cty.String)},
		"body":          &hcldec.AttrSpec{Name: "body", Type: cty.String},
		"timeout":       defaulted("timeout", cty.String, cty.StringVal("15s")),
		"max_redirects": defaulted("max_redirects", cty.Number, cty.NumberIntVal(5)),
		"max_body":      defaulted("max_body", cty.Number, cty.NumberIntVal(1<<20)),
	}
}

// Facts implements Kind.
func (HTTP) Facts() cty.Type { return httpFacts }

// ValidateSettings implements SettingsValidator: a malformed URL or
// timeout is the checklist author's mistake, reported before anything runs.
func (HTTP) ValidateSettings(cfg cty.Value) hcl.Diagnostics {
	if !cfg.IsWhollyKnown() {
		return nil // values from variables not set yet; Run checks again
	}
	if _, err := decodeHTTP(cfg); err != nil {
		return configDiag("http", err)
	}
	return nil
}

type httpConfig struct {
	url          *url.URL
	method       string
	headers      map[string]string
	body         string
	timeout      time.Duration
	maxRedirects int
	maxBody      int64
}

func decodeHTTP(cfg cty.Value) (httpConfig, error) {
	c := httpConfig{
		method: cfgString(cfg, "method"),
		body:   cfgString(cfg, "body"),
	}
	u, err := url.Parse(cfgString(cfg, "url"))
	if err != nil {
		return c, fmt.Errorf("url: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return c, fmt.Errorf("url %q: want an absolute http or https URL", u.Redacted())
	}
	c.url = u
	if h := cfg.GetAttr("headers"); !h.IsNull() {
		if err := gocty.FromCtyValue(h, &c.headers); err != nil {
			return c, fmt.Errorf("headers: %w", err)
		}
	}
	if c.timeout, err = cfgDuration(cfg, "timeout"); err != nil {
		return c, err
	}
	if c.maxRedirects, err = cfgCount(cfg, "max_redirects"); err != nil {
		return c, err
	}
	maxBody, err := cfgCount(cfg, "max_body")
	if err != nil {
		return c, err
	}
	c.maxBody = int64(maxBody)
	return c, nil
}

// Run implements Kind.
func (HTTP) Run(ctx context.Context, env *Env, cfg cty.Value) (cty.Value, error) {
	c, err := decodeHTTP(cfg)
	if err != nil {
		return cty.NilVal, err
	}
	if err := env.CheckURL(c.url); err != nil {
		return cty.NilVal, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()

	client := env.HTTPClient(c.maxRedirects)
	tr, ok := Transport(client.Transport)
	if !ok {
		return cty.NilVal, fmt.Errorf("http probe: unexpected transport %T", client.Transport)
	}
	defer tr.CloseIdleConnections()
	// The certificate is judged by certificateVal and reported as a fact;
	// refusing it here would turn a failing step into an undecided one.
	tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // verified below
	var redirects []string
	follow := client.CheckRedirect
	client.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if err := follow(req, via); err != nil {
			return err
		}
		redirects = append(redirects, req.URL.String())
		return nil
	}

	var body io.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
	}
	req, err := http.NewRequestWithContext(ctx, c.method, c.url.String(), body)
	if err != nil {
		return cty.NilVal, fmt.Errorf("http probe: %w", err)
	}
	for k, v := range c.headers {
		if strings.EqualFold(k, "Host") {
			req.Host = v // net/http ignores a Host entry in Header
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		return cty.NilVal, fmt.Errorf("http probe: %w", err)
	}
	defer resp.Body.Close()

	digest := sha256.New()
	n, err := io.Copy(digest, io.LimitReader(resp.Body, c.maxBody))
	if err != nil {
		return cty.NilVal, fmt.Errorf("http probe: reading the body of %s: %w", resp.Request.URL.Redacted(), err)
	}
	truncated := false
	if n == c.maxBody {
		var one [1]byte
		m, _ := io.ReadFull(resp.Body, one[:]) // any byte past the bound means truncated; an error here changes nothing read
		truncated = m > 0
	}

	tlsVal := cty.NullVal(TLSInfo)
	if resp.TLS != nil {
		cert, err := certificateVal(env, resp.TLS, resp.Request.URL.Hostname())
		if err != nil {
			return cty.NilVal, fmt.Errorf("http probe: %w", err)
		}
		tlsVal = cty.ObjectVal(map[string]cty.Value{
			"version":      cty.StringVal(tls.VersionName(resp.TLS.Version)),
			"cipher_suite": cty.StringVal(tls.CipherSuiteName(resp.TLS.CipherSuite)),
			"certificate":  cert,
		})
	}
	return cty.ObjectVal(map[string]cty.Value{
		"url":            cty.StringVal(c.url.String()),
		"final_url":      cty.StringVal(resp.Request.URL.String()),
		"status":         cty.NumberIntVal(int64(resp.StatusCode)),
		"headers":        headersVal(resp.Header),
		"redirects":      Strings(redirects),
		"body_sha256":    cty.StringVal(hex.EncodeToString(digest.Sum(nil))),
		"body_bytes":     cty.NumberIntVal(n),
		"body_truncated": cty.BoolVal(truncated),
		"tls":            tlsVal,
	}), nil
}

func headersVal(h http.Header) cty.Value {
	if len(h) == 0 {
		return cty.MapValEmpty(cty.String)
	}
	m := make(map[string]cty.Value, len(h))
	for k, vs := range h {
		name := strings.ToLower(k)
		if prev, ok := m[name]; ok { // two spellings of one name: keep both, deterministically
			parts := append([]string{prev.AsString()}, vs...)
			sort.Strings(parts)
			m[name] = cty.StringVal(strings.Join(parts, ", "))
			continue
		}
		m[name] = cty.StringVal(strings.Join(vs, ", "))
	}
	return cty.MapVal(m)
}

// configDiag reports a probe block's invalid settings at load time. The
// decoded value carries no source ranges, so the diagnostic has no subject.
func configDiag(kind string, err error) hcl.Diagnostics {
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  fmt.Sprintf("Invalid %s probe", kind),
		Detail:   err.Error(),
	}}
}
