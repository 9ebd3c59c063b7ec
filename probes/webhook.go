package probes

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"
)

// webhookMaxBody bounds what is read of the endpoint's answer: only the
// status matters, the rest is drained so the connection closes cleanly.
const webhookMaxBody = 64 << 10

// webhookForgedHost is where forged signatures claim their certificate
// lives: a reserved name (RFC 2606) no provider uses.
const webhookForgedHost = "certificates.audit-forged.invalid"

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
	req, err := webhookForge(ctx, provider, u, env.Time())
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
// signature cannot verify. Values are derived from now, so a run with an
// injected clock sends the same bytes.
func webhookForge(ctx context.Context, provider string, u *url.URL, now time.Time) (*http.Request, error) {
	now = now.UTC()
	ts := strconv.FormatInt(now.Unix(), 10)
	// A signature-shaped value that is nobody's signature.
	bogus := sha256.Sum256([]byte("audit forged notification " + ts))
	ref := hex.EncodeToString(bogus[:8])
	header := http.Header{}
	var body any
	switch provider {
	case "amazon-pay":
		// An SNS envelope (Amazon Pay IPN) whose certificate is not on
		// sns.<region>.amazonaws.com: a verifier must refuse it before
		// even checking the signature.
		message, err := json.Marshal(map[string]string{
			"MerchantID":              "A2AUDITFORGED0",
			"ObjectType":              "CHARGE",
			"ObjectId":                "S02-0000000-0000000-C000000",
			"ChargePermissionId":      "S02-0000000-0000000",
			"NotificationType":        "STATE_CHANGE",
			"NotificationId":          "audit-" + ref,
			"NotificationVersion":     "V1",
			"NotificationReferenceId": "audit-" + ref,
		})
		if err != nil {
			return nil, fmt.Errorf("forge amazon-pay notification: %w", err)
		}
		topic := "arn:aws:sns:eu-west-1:291180941288:A2AUDITFORGED0"
		header.Set("Content-Type", "text/plain; charset=UTF-8")
		header.Set("X-Amz-Sns-Message-Type", "Notification")
		header.Set("X-Amz-Sns-Message-Id", "audit-"+ref)
		header.Set("X-Amz-Sns-Topic-Arn", topic)
		body = map[string]string{
			"Type":             "Notification",
			"MessageId":        "audit-" + ref,
			"TopicArn":         topic,
			"Message":          string(message),
			"Timestamp":        now.Format("2006-01-02T15:04:05.000Z"),
			"SignatureVersion": "1",
			"Signature":        base64.StdEncoding.EncodeToString(bytes.Repeat(bogus[:], 8)),
			"SigningCertURL":   "https://" + webhookForgedHost + "/SimpleNotificationService.pem",
			"UnsubscribeURL":   "https://" + webhookForgedHost + "/?Action=Unsubscribe",
		}
	case "stripe":
		header.Set("Content-Type", "application/json; charset=utf-8")
		header.Set("Stripe-Signature", "t="+ts+",v1="+hex.EncodeToString(bogus[:]))
		body = map[string]any{
			"id": "evt_audit" + ref, "object": "event", "api_version": "2024-06-20",
			"created": now.Unix(), "livemode": true, "type": "payment_intent.succeeded",
			"pending_webhooks": 1, "request": map[string]any{"id": nil, "idempotency_key": nil},
			"data": map[string]any{"object": map[string]any{
				"id": "pi_audit" + ref, "object": "payment_intent", "amount": 4200,
				"amount_received": 4200, "currency": "eur", "status": "succeeded", "livemode": true,
			}},
		}
	case "adyen":
		header.Set("Content-Type", "application/json")
		body = map[string]any{
			"live": "true",
			"notificationItems": []any{map[string]any{"NotificationRequestItem": map[string]any{
				"additionalData":      map[string]string{"hmacSignature": base64.StdEncoding.EncodeToString(bogus[:])},
				"amount":              map[string]any{"currency": "EUR", "value": 4200},
				"eventCode":           "AUTHORISATION",
				"eventDate":           now.Format(time.RFC3339),
				"merchantAccountCode": "AuditForged",
				"merchantReference":   "audit-" + ref,
				"paymentMethod":       "visa",
				"pspReference":        "AUDIT" + ref,
				"reason":              "",
				"success":             "true",
			}}},
		}
	case "paypal":
		header.Set("Content-Type", "application/json")
		header.Set("Paypal-Transmission-Id", "audit-"+ref)
		header.Set("Paypal-Transmission-Time", now.Format(time.RFC3339))
		header.Set("Paypal-Transmission-Sig", base64.StdEncoding.EncodeToString(bytes.Repeat(bogus[:], 8)))
		header.Set("Paypal-Cert-Url", "https://"+webhookForgedHost+"/v1/notifications/certs/CERT-AUDIT")
		header.Set("Paypal-Auth-Algo", "SHA256withRSA")
		body = map[string]any{
			"id": "WH-AUDIT-" + ref, "event_version": "1.0", "create_time": now.Format(time.RFC3339),
			"resource_type": "capture", "event_type": "PAYMENT.CAPTURE.COMPLETED",
			"summary": "Payment completed for EUR 42.00",
			"resource": map[string]any{
				"id": "AUDIT" + ref, "status": "COMPLETED", "final_capture": true,
				"amount": map[string]string{"currency_code": "EUR", "value": "42.00"},
			},
		}
	case "generic":
		header.Set("Content-Type", "application/json")
		header.Set("X-Signature", "sha256="+hex.EncodeToString(bogus[:]))
		body = map[string]any{
			"id": "audit-" + ref, "type": "payment.succeeded", "created": now.Format(time.RFC3339),
			"data": map[string]any{"amount": 4200, "currency": "EUR", "status": "succeeded"},
		}
	default:
		return nil, fmt.Errorf("provider %q: want amazon-pay, stripe, adyen, paypal or generic", provider)
	}
	payload, err := json.Marshal(body) // maps marshal in key order: same bytes every run
	if err != nil {
		return nil, fmt.Errorf("forge %s notification: %w", provider, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(payload))
	if err != nil {
		return nil, fmt.Errorf("webhook: %w", err)
	}
	req.Header = header
	req.Header.Set("User-Agent", "audit (forged notification: a correct endpoint rejects it)")
	return req, nil
}
