package probes

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/audit-tool/audit/checklist/funcs"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"

	"github.com/audit-tool/audit/internal/input"
)

const (
	defaultImageMaxBytes = 5 << 20
	defaultImageTimeout  = "10s"
)

var imageFacts = cty.Object(map[string]cty.Type{
	"source": cty.String, // the file relative to BaseDir, or the URL
	"format": cty.String, // "png", "jpeg" or "gif"
	"width":  cty.Number,
	"height": cty.Number,
	"bytes":  cty.Number,
	"sha256": cty.String,
})

// Image reads an image, typically the merchant's logo, from a file or an
// https URL and reports its format, size and digest.
type Image struct{}

// Name implements Kind.
func (Image) Name() string { return "image" }

// Doc implements Kind.
func (Image) Doc() string {
	return "Reads an image (a logo) from a file or an https URL: format, dimensions, bytes, SHA-256."
}

// Spec implements Kind.
func (Image) Spec() hcldec.Spec {
	return &hcldec.ObjectSpec{
		"source":    &hcldec.AttrSpec{Name: "source", Type: cty.String, Required: true},
		"max_bytes": defaulted("max_bytes", cty.Number, cty.NumberIntVal(defaultImageMaxBytes)),
		"timeout":   defaulted("timeout", cty.String, cty.StringVal(defaultImageTimeout)),
	}
}

// Facts implements Kind.
func (Image) Facts() cty.Type { return imageFacts }

// Validate implements Validator.
func (Image) Validate(_ *Env, cfg cty.Value) hcl.Diagnostics {
	if !cfg.IsWhollyKnown() {
		return nil
	}
	if _, err := parseImageConfig(cfg); err != nil {
		return configDiag("image", err)
	}
	return nil
}

type imageConfig struct {
	source   string
	maxBytes int64
	timeout  time.Duration
}

func parseImageConfig(cfg cty.Value) (imageConfig, error) {
	c := imageConfig{source: cfg.GetAttr("source").AsString()}
	maxBytes, acc := cfg.GetAttr("max_bytes").AsBigFloat().Int64()
	if acc != 0 || maxBytes <= 0 {
		return c, fmt.Errorf("max_bytes must be a positive whole number")
	}
	c.maxBytes = maxBytes
	timeout, err := cfgDuration(cfg, "timeout")
	if err != nil {
		return c, err
	}
	c.timeout = timeout
	return c, nil
}

// Run implements Kind.
func (Image) Run(ctx context.Context, env *Env, cfg cty.Value) (cty.Value, error) {
	c, err := parseImageConfig(cfg)
	if err != nil {
		return cty.NilVal, fmt.Errorf("image probe: %w", err)
	}
	var source string
	var data []byte
	if strings.Contains(c.source, "://") {
		source, data, err = fetchImage(ctx, env, c)
	} else {
		path := env.Path(c.source)
		source = env.Rel(path)
		data, err = readImage(env.Scope, path, c.maxBytes)
	}
	if err != nil {
		return cty.NilVal, fmt.Errorf("image probe: %w", err)
	}
	info, err := funcs.DecodeImageConfig(bytes.NewReader(data))
	if err != nil {
		return cty.NilVal, fmt.Errorf("image probe: %s: %w", source, err)
	}
	sum := sha256.Sum256(data)
	return cty.ObjectVal(map[string]cty.Value{
		"source": cty.StringVal(source),
		"format": cty.StringVal(info.Format),
		"width":  cty.NumberIntVal(int64(info.Width)),
		"height": cty.NumberIntVal(int64(info.Height)),
		"bytes":  cty.NumberIntVal(int64(len(data))),
		"sha256": cty.StringVal(hex.EncodeToString(sum[:])),
	}), nil
}

func readImage(scope *input.Scope, path string, maxBytes int64) ([]byte, error) {
	f, _, err := scope.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readCapped(f, maxBytes, path)
}

// fetchImage downloads an https image. A logo shown on the payment page
// must come over https, or the browser blocks it as mixed content.
func fetchImage(ctx context.Context, env *Env, c imageConfig) (string, []byte, error) {
	u, err := url.Parse(c.source)
	if err != nil {
		return c.source, nil, err
	}
	source := u.Redacted()
	switch u.Scheme {
	case "https":
	case "http":
		return source, nil, fmt.Errorf("%s: a logo must be served over https", source)
	default:
		return source, nil, fmt.Errorf("%s: unsupported scheme %q (want a file or an https URL)", source, u.Scheme)
	}
	if err := env.CheckURL(u); err != nil {
		return source, nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return source, nil, err
	}
	resp, err := env.HTTPClient(3).Do(req)
	if err != nil {
		return source, nil, err
	}
	defer resp.Body.Close()
	if resp.Request.URL.Scheme != "https" {
		return source, nil, fmt.Errorf("%s: redirected to %s: a logo must be served over https", source, resp.Request.URL.Redacted())
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return source, nil, fmt.Errorf("%s: HTTP %s", source, resp.Status)
	}
	data, err := readCapped(resp.Body, c.maxBytes, source)
	return source, data, err
}

// readCapped reads r whole unless it holds more than maxBytes.
func readCapped(r io.Reader, maxBytes int64, name string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if int64(len(data)) > maxBytes {
		return nil, fmt.Errorf("%s: %w (max_bytes = %d)", name, errImageTooLarge, maxBytes)
	}
	return data, nil
}

var errImageTooLarge = errors.New("image larger than max_bytes")
