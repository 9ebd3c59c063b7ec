package main

import (
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/audit-tool/audit/internal/testenv"
	"github.com/audit-tool/audit/outcome"
	"github.com/audit-tool/audit/reports"
)

const fixedNow = "2026-11-23T10:00:00Z"

// runJSON runs the command line with --format json and decodes the result.
func runJSON(t *testing.T, args ...string) (int, map[string]reports.Step) {
	t.Helper()
	args = append(args, "--format", "json", "--now", fixedNow)
	code, out, stderr := audit(t, args...)
	require.Contains(t, []int{outcome.ExitGo, outcome.ExitNoGo, outcome.ExitUndetermined}, code, stderr)
	var res reports.Result
	require.NoError(t, json.Unmarshal([]byte(out), &res), out+stderr)
	steps := map[string]reports.Step{}
	for _, s := range res.Steps {
		steps[s.ID] = s
	}
	return code, steps
}

func assertStatuses(t *testing.T, steps map[string]reports.Step, want map[string]reports.Status) {
	t.Helper()
	for id, st := range want {
		require.Contains(t, steps, id)
		assert.Equal(t, st, steps[id].Status, "%s: %s", id, steps[id].Message)
	}
}

func TestProviderExamplesOffline(t *testing.T) {
	cases := []struct {
		dir  string
		code int
		want map[string]reports.Status
		// A fragment of the message of each failing step: the planted defect.
		why map[string]string
	}{
		{"stripe-shop", outcome.ExitNoGo, map[string]reports.Status{
			"stripe.live_keys":                  reports.Fail,
			"stripe.no_secret_key_client_side":  reports.Fail,
			"stripe.stripe_js_from_stripe":      reports.Fail,
			"stripe.account_charges_enabled":    reports.Skip,
			"stripe.account_payouts_enabled":    reports.Skip,
			"stripe.account_requirements":       reports.Skip,
			"stripe.account_external_account":   reports.Skip,
			"stripe.account_support_contacts":   reports.Skip,
			"stripe.account_branding":           reports.Skip,
			"stripe.webhook_signature_verified": reports.Skip,
		}, map[string]string{
			"stripe.live_keys":                 "publishable key",
			"stripe.no_secret_key_client_side": "live secret key (sk_live_…(sha256:",
			"stripe.stripe_js_from_stripe":     "/assets/vendor/stripe.v3.js",
		}},
		{"stripe-shop-ready", outcome.ExitGo, map[string]reports.Status{
			"stripe.live_keys":                  reports.Pass,
			"stripe.no_secret_key_client_side":  reports.Pass,
			"stripe.stripe_js_from_stripe":      reports.Pass,
			"stripe.account_charges_enabled":    reports.Skip,
			"stripe.webhook_signature_verified": reports.Skip,
		}, nil},
		{"adyen-shop", outcome.ExitNoGo, map[string]reports.Status{
			"adyen.live_endpoints":             reports.Fail,
			"adyen.client_key_environment":     reports.Fail,
			"adyen.webhook_hmac_verified":      reports.Skip,
			"adyen.live_transaction_validated": reports.Pending,
		}, map[string]string{
			"adyen.live_endpoints":         "checkout-test.adyen.com at config/payments.yaml:3",
			"adyen.client_key_environment": "public/assets/app.js:6",
		}},
		{"adyen-shop-ready", outcome.ExitGo, map[string]reports.Status{
			"adyen.live_endpoints":             reports.Pass,
			"adyen.client_key_environment":     reports.Pass,
			"adyen.webhook_hmac_verified":      reports.Skip,
			"adyen.live_transaction_validated": reports.Pass,
		}, nil},
		{"paypal-shop", outcome.ExitNoGo, map[string]reports.Status{
			"paypal.live_endpoints":             reports.Fail,
			"paypal.sdk_client_id_live":         reports.Fail,
			"paypal.webhook_verification":       reports.Skip,
			"paypal.live_transaction_validated": reports.Pending,
			"paypal.sdks_current":               reports.Fail,
		}, map[string]string{
			"paypal.sdks_current":       "@paypal/checkout-server-sdk 1.0.3 at package-lock.json:16 is deprecated",
			"paypal.live_endpoints":     "api-m.sandbox.paypal.com at config/payments.yaml:3",
			"paypal.sdk_client_id_live": `sandbox client-id "sb" at public/checkout.html:7`,
		}},
		{"paypal-shop-ready", outcome.ExitGo, map[string]reports.Status{
			"paypal.live_endpoints":             reports.Pass,
			"paypal.sdk_client_id_live":         reports.Pass,
			"paypal.webhook_verification":       reports.Skip,
			"paypal.live_transaction_validated": reports.Pass,
			"paypal.sdks_current":               reports.Pass,
		}, map[string]string{"paypal.sdks_current": "@paypal/paypal-server-sdk 1.0.0: none deprecated"}},
		{"braintree-shop", outcome.ExitNoGo, map[string]reports.Status{
			"braintree.production_environment":       reports.Fail,
			"braintree.tokenization_key_environment": reports.Fail,
			"braintree.hosted_fields_from_braintree": reports.Fail,
			"braintree.webhook_signature_verified":   reports.Skip,
			"braintree.live_transaction_validated":   reports.Pending,
		}, map[string]string{
			"braintree.production_environment":       "BRAINTREE_ENVIRONMENT at .env.production:6",
			"braintree.tokenization_key_environment": "sandbox_…(sha256:",
			"braintree.hosted_fields_from_braintree": "/assets/vendor/braintree-hosted-fields.min.js",
		}},
		{"braintree-shop-ready", outcome.ExitGo, map[string]reports.Status{
			"braintree.production_environment":       reports.Pass,
			"braintree.tokenization_key_environment": reports.Pass,
			"braintree.hosted_fields_from_braintree": reports.Pass,
			"braintree.webhook_signature_verified":   reports.Skip,
			"braintree.live_transaction_validated":   reports.Pass,
		}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.dir, func(t *testing.T) {
			code, steps := runJSON(t, "run", filepath.Join("../../examples", tc.dir), "--offline", "--allow-unchecked")
			assert.Equal(t, tc.code, code)
			assert.Len(t, steps, len(tc.want)+countMissing(steps, tc.want), "steps")
			assertStatuses(t, steps, tc.want)
			for id, frag := range tc.why {
				assert.Contains(t, steps[id].Message, frag, id)
			}
			for id, s := range steps {
				if s.Status == reports.Skip && strings.HasSuffix(id, "webhook_signature_verified") {
					assert.Contains(t, s.Message, "offline", id)
				}
			}
		})
	}
}

// countMissing counts the steps a case does not list (the ready stripe
// case lists only some of its skipped account steps).
func countMissing(steps map[string]reports.Step, want map[string]reports.Status) int {
	n := 0
	for id := range steps {
		if _, ok := want[id]; !ok {
			n++
		}
	}
	return n
}

var accountSteps = []string{
	"stripe.account_charges_enabled", "stripe.account_payouts_enabled", "stripe.account_requirements",
	"stripe.account_external_account", "stripe.account_support_contacts", "stripe.account_branding",
	"stripe.account_statement_descriptor",
}

// stripeAccountRun runs only the account steps against api.
func stripeAccountRun(t *testing.T, api string, extra ...string) (int, map[string]reports.Step) {
	t.Helper()
	args := append([]string{
		"run", t.TempDir(), "--checklist", "stripe", "--var", "account_api=" + api,
		"--var", "secret_key_env=STRIPE_TEST_KEY", "--only", strings.Join(accountSteps, ","),
	}, extra...)
	return runJSON(t, args...)
}

func TestStripeAccountReadyIsGo(t *testing.T) {
	body, err := os.ReadFile("../../probes/testdata/stripe/account_ready.json")
	require.NoError(t, err)
	const key = "rk_live_51AuditReadOnlyAccountKey00"
	var mu sync.Mutex
	var auth []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auth = append(auth, r.URL.Path+" "+r.Header.Get("Authorization"))
		mu.Unlock()
		if r.URL.Path == "/v1/webhook_endpoints" && r.Header.Get("Authorization") == "Bearer "+key {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"object":"list","data":[],"has_more":false}`))
			return
		}
		if r.URL.Path != "/v1/account" || r.Header.Get("Authorization") != "Bearer "+key {
			http.Error(w, `{"error":{"type":"invalid_request_error","message":"no"}}`, http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	t.Setenv("STRIPE_TEST_KEY", key)

	code, steps := stripeAccountRun(t, srv.URL)
	assert.Equal(t, outcome.ExitGo, code)
	require.Len(t, steps, len(accountSteps))
	for _, id := range accountSteps {
		assert.Equal(t, reports.Pass, steps[id].Status, "%s: %s", id, steps[id].Message)
	}
	assert.Contains(t, steps["stripe.account_support_contacts"].Message, "aide@cafe-etoile.fr")
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []string{"/v1/account Bearer " + key, "/v1/webhook_endpoints Bearer " + key}, auth,
		"one account call and the webhook endpoint list, with the key from the named variable")
}

// stripe-mock answers GET /v1/account with its canned fixture: a US
// account (acct_…) with charges_enabled and payouts_enabled false,
// requirements.currently_due = [business_profile.product_description,
// business_profile.support_phone, business_profile.url, external_account,
// tos_acceptance.date, tos_acceptance.ip], past_due empty, disabled_reason
// "requirements.past_due", one bank account in external_accounts.data,
// every business_profile support field null and no branding logo or icon.
func TestStripeAccountAgainstStripeMock(t *testing.T) {
	api := testenv.StripeMock(t)
	t.Setenv("STRIPE_TEST_KEY", "sk_"+"test_51AuditStripeMockKey000")

	code, steps := stripeAccountRun(t, api)
	assert.Equal(t, outcome.ExitNoGo, code)
	assertStatuses(t, steps, map[string]reports.Status{
		"stripe.account_charges_enabled":  reports.Fail,
		"stripe.account_payouts_enabled":  reports.Fail,
		"stripe.account_requirements":     reports.Fail,
		"stripe.account_external_account": reports.Pass,
		"stripe.account_support_contacts": reports.Fail,
		"stripe.account_branding":         reports.Fail,
	})
	assert.Equal(t, reports.Fail, steps["stripe.account_statement_descriptor"].Status, "stripe-mock's account has no statement descriptor")
	assert.Contains(t, steps["stripe.account_statement_descriptor"].Message, "is not set")
	assert.Contains(t, steps["stripe.account_charges_enabled"].Message, "disabled: requirements.past_due")
	req := steps["stripe.account_requirements"].Message
	assert.Contains(t, req, "6 requirement(s) are currently due")
	assert.Contains(t, req, "external_account, tos_acceptance.date, tos_acceptance.ip")
	assert.NotContains(t, req, "past due on", "past_due is empty")
	assert.Equal(t, "1 external account(s).", steps["stripe.account_external_account"].Message)
	support := steps["stripe.account_support_contacts"].Message
	for _, want := range []string{`support email ""`, `support phone ""`, `support URL ""`} {
		assert.Contains(t, support, want)
	}
}

func TestStripeAccountStepsSkipWithoutKeyOrOffline(t *testing.T) {
	t.Setenv("STRIPE_TEST_KEY", "sk_live_51AuditNeverSentAnywhere000")
	_, steps := stripeAccountRun(t, "https://api.stripe.com", "--offline")
	for _, id := range accountSteps {
		assert.Equal(t, reports.Skip, steps[id].Status, id)
		assert.Contains(t, steps[id].Message, "offline", id)
	}

	// Without a key the account is not "not applicable": it is unchecked,
	// so the verdict is UNDETERMINED unless --allow-unchecked.
	code, steps := runJSON(t, "run", t.TempDir(), "--checklist", "stripe", "--only", strings.Join(accountSteps, ","))
	assert.Equal(t, outcome.ExitUndetermined, code)
	for _, id := range accountSteps {
		assert.Equal(t, reports.Skip, steps[id].Status, id)
		assert.True(t, steps[id].Unchecked, id)
		assert.Contains(t, steps[id].Message, "no secret_key_env declared", id)
	}
}

// The webhook steps post a forged notification to an https test server the
// run trusts through --ca-file: an endpoint that answers 2xx fails, one that
// rejects it with 4xx passes.
func TestProviderWebhookRejection(t *testing.T) {
	cases := []struct {
		checklist, step, header, accepted string
	}{
		{"stripe", "stripe.webhook_signature_verified", "Stripe-Signature", "forged Stripe-Signature"},
		{"adyen", "adyen.webhook_hmac_verified", "Content-Type", "forged hmacSignature"},
		{"paypal", "paypal.webhook_verification", "Paypal-Transmission-Sig", "forged PAYPAL-TRANSMISSION-SIG"},
	}
	for _, tc := range cases {
		for _, status := range []int{http.StatusOK, http.StatusBadRequest} {
			t.Run(tc.checklist+"/"+http.StatusText(status), func(t *testing.T) {
				var mu sync.Mutex
				var seen []string
				srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					mu.Lock()
					seen = append(seen, r.Header.Get(tc.header))
					mu.Unlock()
					w.WriteHeader(status)
				}))
				t.Cleanup(srv.Close)
				ca := filepath.Join(t.TempDir(), "ca.pem")
				require.NoError(t, os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o644))
				code, steps := runJSON(t, "run", t.TempDir(), "--checklist", tc.checklist, "--ca-file", ca,
					"--var", "webhook_url="+srv.URL+"/hooks", "--only", tc.step, "--offline")
				s := steps[tc.step]
				if status == http.StatusOK {
					assert.Equal(t, outcome.ExitNoGo, code)
					assert.Equal(t, reports.Fail, s.Status)
					assert.Contains(t, s.Message, tc.accepted)
				} else {
					assert.Equal(t, outcome.ExitGo, code, s.Message)
					assert.Equal(t, reports.Pass, s.Status)
				}
				mu.Lock()
				defer mu.Unlock()
				require.Len(t, seen, 1)
				assert.NotEmpty(t, seen[0], "the forged %s notification carries %s", tc.checklist, tc.header)
			})
		}
	}
}

func TestCAFileErrors(t *testing.T) {
	notPEM := filepath.Join(t.TempDir(), "x.pem")
	require.NoError(t, os.WriteFile(notPEM, []byte("hello"), 0o644))
	code, _, stderr := audit(t, "run", example, "--ca-file", notPEM)
	assert.Equal(t, outcome.ExitUsage, code)
	assert.Contains(t, stderr, "no PEM certificate")
}

func TestAdyenLivePrefix(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "adyen.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte(
		"checkout: https://checkout-live.adyen.com/v71\n"+
			"pal: https://abcdef0123456789-Other-pal-live.adyenpayments.com/pal/servlet/Payment/v68\n"+
			"ok: https://1797a841fbb37ca7-VeloNord-checkout-live.adyenpayments.com/checkout/v71\n"), 0o644))
	code, steps := runJSON(t, "run", dir, "--checklist", "adyen", "--var", `config_files=["`+cfg+`"]`,
		"--var", "live_prefix=1797a841fbb37ca7-VeloNord", "--only", "adyen.live_endpoints")
	assert.Equal(t, outcome.ExitNoGo, code)
	msg := steps["adyen.live_endpoints"].Message
	assert.Contains(t, msg, "checkout-live.adyen.com at "+cfg+":1 has no company prefix")
	assert.Contains(t, msg, `uses the prefix "abcdef0123456789-other"`)
	assert.NotContains(t, msg, "not live ones")

	code, steps = runJSON(t, "run", dir, "--checklist", "adyen", "--var", `config_files=["`+cfg+`"]`,
		"--var", "environment=test", "--only", "adyen.live_endpoints")
	assert.Equal(t, outcome.ExitNoGo, code)
	assert.Contains(t, steps["adyen.live_endpoints"].Message, "3 Adyen endpoint(s) are not test ones")
}

func TestListDocumentsProviderSteps(t *testing.T) {
	code, out, stderr := audit(t, "list")
	require.Equal(t, 0, code, stderr)
	for _, id := range append(accountSteps,
		"stripe.live_keys", "stripe.no_secret_key_client_side", "stripe.stripe_js_from_stripe", "stripe.webhook_signature_verified",
		"adyen.live_endpoints", "adyen.client_key_environment", "adyen.webhook_hmac_verified", "adyen.live_transaction_validated",
		"paypal.live_endpoints", "paypal.sdk_client_id_live", "paypal.webhook_verification", "paypal.live_transaction_validated",
	) {
		line := ""
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(l, " "+id+" ") {
				line = l
			}
		}
		require.NotEmpty(t, line, id)
		title := strings.TrimSpace(line[strings.Index(line, id)+len(id):])
		assert.Regexp(t, `^(critical|high|medium|low|info)\s+\S+`, title, "%s has a severity and a title", id)
	}
}

// secret_key_env naming a variable that holds no Stripe key (a CI token)
// makes the account steps error, and the server never sees it.
func TestStripeAccountNeverSendsANonStripeVariable(t *testing.T) {
	var mu sync.Mutex
	var auth []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auth = append(auth, r.Header.Get("Authorization"))
		mu.Unlock()
		http.Error(w, "no", http.StatusTeapot)
	}))
	t.Cleanup(srv.Close)
	const token = "glcbt-64_AuditCiJobTokenNotAStripeKey"
	t.Setenv("STRIPE_TEST_KEY", token)

	_, steps := stripeAccountRun(t, srv.URL)
	for _, id := range accountSteps {
		assert.Equal(t, reports.Error, steps[id].Status, id)
		assert.Contains(t, steps[id].Message, `"STRIPE_TEST_KEY" does not hold a Stripe secret or restricted key`, id)
		assert.NotContains(t, steps[id].Message, token, id)
	}
	mu.Lock()
	defer mu.Unlock()
	assert.Empty(t, auth, "nothing reached the server")
}

// --verbose says, for each probe that sends a key from the environment,
// which variables it may come from and where it may go.
func TestVerboseListsTheCredentialVariables(t *testing.T) {
	code, _, stderr := audit(t, "--verbose", "run", t.TempDir(), "--offline", "--checklist", "stripe",
		"--var", "secret_key_env=MY_SHOP_STRIPE_KEY", "--only", strings.Join(accountSteps, ","), "--format", "json")
	assert.NotEqual(t, outcome.ExitUsage, code, stderr)
	assert.Regexp(t, `credentials: probe stripe\.stripe_account\.\S+ reads a Stripe key from \$MY_SHOP_STRIPE_KEY only \(allowed: STRIPE_SECRET_KEY, STRIPE_AUDIT_KEY, MY_SHOP_STRIPE_KEY\), sent over https to api\.stripe\.com`, stderr)
}
