package probes

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"

	"github.com/audit-tool/audit/pack"
)

// webhookMaxBody bounds what is read of the endpoint's answer: only the
// status matters, the rest is drained so the connection closes cleanly.
const webhookMaxBody = 64 << 10

// Webhook posts a forged provider notification to the merchant's webhook
// (IPN) endpoint. A correct endpoint verifies the signature and rejects it
// with a 4xx; one that answers 2xx would accept anyone's "payment
// succeeded".
type Webhook struct{}

// Name implements Kind.
func (Webhook) Name() string { return "webhook" }

// Doc implements Kind.
func (Webhook) Doc() string {
	return "Posts a forged, wrongly signed provider notification to the webhook endpoint and reports whether it is rejected."
}

// Spec implements Kind.
func (Webhook) Spec() hcldec.Spec {
	return hcldec.ObjectSpec{
		"url":      &hcldec.AttrSpec{Name: "url", Type: cty.String, Required: true},
		"provider": defaulted("provider", cty.String, cty.StringVal("generic")),
		"timeout":  defaulted("timeout", cty.String, cty.StringVal("10s")),
	}
}

var webhookFacts = cty.Object(map[string]cty.Type{
	"url":         cty.String,
	"https":       cty.Bool,
	"answered":    cty.Bool,
	"status":      cty.Number,
	"rejected":    cty.Bool,
	"location":    cty.String,
	"error":       cty.String,
	"duration_ms": cty.Number,
})

// Facts implements Kind.
func (Webhook) Facts() cty.Type { return webhookFacts }

// Run implements Kind. An endpoint that does not answer is a fact (the
// provider could not deliver either), not a probe error.
func (k Webhook) Run(ctx context.Context, env *Env, cfg cty.Value) (cty.Value, error) {
	raw := cfg.GetAttr("url")
	if raw.IsNull() || raw.AsString() == "" {
		return cty.NilVal, errors.New("url: the webhook endpoint is required")
	}
	u, err := url.Parse(raw.AsString())
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return cty.NilVal, fmt.Errorf("url %q: want an http(s) URL", raw.AsString())
	}
	timeout, err := cfgDuration(cfg, "timeout")
	if err != nil {
		return cty.NilVal, err
	}
	provider := cfg.GetAttr("provider").AsString()
	req, err := webhookForge(ctx, env.PackSet(), provider, u, env.Time())
	if err != nil {
		return cty.NilVal, err
	}
	if err := env.CheckURL(u); err != nil {
		return cty.NilVal, err
	}

	reqCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	resp, err := env.HTTPClient(0).Do(req.WithContext(reqCtx))
	facts := map[string]cty.Value{
		"url":         cty.StringVal(u.Redacted()),
		"https":       cty.BoolVal(u.Scheme == "https"),
		"answered":    cty.False,
		"status":      cty.Zero,
		"rejected":    cty.False,
		"location":    cty.StringVal(""),
		"error":       cty.StringVal(""),
		"duration_ms": cty.NumberIntVal(time.Since(start).Milliseconds()),
	}
	if err != nil {
		switch {
		case errors.Is(err, ErrOffline):
			return cty.NilVal, err
		case ctx.Err() != nil: // the run itself was cancelled: nothing was learnt
			return cty.NilVal, fmt.Errorf("webhook %s: %w", u.Redacted(), ctx.Err())
		case reqCtx.Err() != nil:
			facts["error"] = cty.StringVal(fmt.Sprintf("no answer within %s", timeout))
		default:
			facts["error"] = cty.StringVal(err.Error()) // the client strips passwords from the URL
		}
		return cty.ObjectVal(facts), nil
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, webhookMaxBody))
	facts["answered"] = cty.True
	facts["status"] = cty.NumberIntVal(int64(resp.StatusCode))
	facts["rejected"] = cty.BoolVal(resp.StatusCode >= 400 && resp.StatusCode <= 499)
	facts["location"] = cty.StringVal(resp.Header.Get("Location"))
	return cty.ObjectVal(facts), nil
}

// webhookForge builds a realistic notification for provider whose
// signature cannot verify: the provider pack's forge block, or a generic
// signed JSON event.
func webhookForge(ctx context.Context, set *pack.Set, provider string, u *url.URL, now time.Time) (*http.Request, error) {
	header := http.Header{}
	var payload []byte
	if provider == "generic" {
		now = now.UTC()
		bogus := sha256.Sum256([]byte("audit forged notification " + strconv.FormatInt(now.Unix(), 10)))
		body, err := json.Marshal(map[string]any{ // maps marshal in key order: same bytes every run
			"id": "audit-" + hex.EncodeToString(bogus[:8]), "type": "payment.succeeded", "created": now.Format(time.RFC3339),
			"data": map[string]any{"amount": 4200, "currency": "EUR", "status": "succeeded"},
		})
		if err != nil {
			return nil, fmt.Errorf("forge notification: %w", err)
		}
		header.Set("Content-Type", "application/json")
		header.Set("X-Signature", "sha256="+hex.EncodeToString(bogus[:]))
		payload = body
	} else {
		p, ok := set.Lookup(provider)
		if !ok || p.Webhook == nil {
			var names []string
			for _, p := range set.Packs() {
				if p.Webhook != nil {
					names = append(names, p.Name)
				}
			}
			return nil, fmt.Errorf("provider %q: want generic or a provider pack with a webhook block (%s)", provider, strings.Join(names, ", "))
		}
		headers, body, err := p.Webhook.Forge(now)
		if err != nil {
			return nil, fmt.Errorf("forge %s notification: %w", provider, err)
		}
		for k, v := range headers {
			header.Set(k, v)
		}
		payload = body
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(payload))
	if err != nil {
		return nil, fmt.Errorf("webhook: %w", err)
	}
	req.Header = header
	req.Header.Set("User-Agent", "audit (forged notification: a correct endpoint rejects it)")
	return req, nil
}
