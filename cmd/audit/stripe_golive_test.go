package main

import (
	"encoding/json"
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
	"github.com/audit-tool/audit/reports"
)

// goLiveSteps are the steps of Stripe's go-live list that read the code
// and, with a key, the account.
var goLiveSteps = []string{
	"stripe.api_version_pinned", "stripe.webhook_events_registered", "stripe.live_objects_exist", "stripe.webhook_endpoint_live",
}

// Written for this test in the shape of stripe-samples' Node servers: the
// SDK initialised with a pinned version, a webhook handler switching on
// two event types, a comparison on a third, and a price id.
const goLiveServer = `const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY, {
  apiVersion: '2024-06-20',
});
const PRICE = 'price_1PgafmB7WZ01zgkW02Hf9z6c';
// case 'invoice.paid': a comment names no handled event

app.post('/webhook', (req, res) => {
  const event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);
  switch (event.type) {
    case 'payment_intent.succeeded':
      fulfil(event.data.object);
      break;
    case 'charge.refunded':
      refund(event.data.object);
      break;
  }
  if (event.type === 'checkout.session.completed') { done(); }
  res.sendStatus(200);
});
`

func goLiveDir(t *testing.T, server string) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "src"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "src", "server.js"), []byte(server), 0o644))
	return dir
}

// srcDirs: --var values are not relative to the integration folder.
func srcDirs(dir string) string {
	b, _ := json.Marshal([]string{filepath.Join(dir, "src")})
	return "source_dirs=" + string(b)
}

func goLiveRun(t *testing.T, dir, api string, extra ...string) (int, map[string]reports.Step) {
	t.Helper()
	args := append([]string{
		"run", dir, "--checklist", "stripe", "--var", srcDirs(dir), "--var", "package_dirs=[]",
		"--var", "account_api=" + api, "--var", "secret_key_env=STRIPE_TEST_KEY", "--only", strings.Join(goLiveSteps, ","),
	}, extra...)
	return runJSON(t, args...)
}

func TestStripeGoLiveWithoutKeyIsUnchecked(t *testing.T) {
	dir := goLiveDir(t, goLiveServer)
	_, steps := runJSON(t, "run", dir, "--checklist", "stripe", "--var", srcDirs(dir), "--var", "package_dirs=[]",
		"--var", "webhook_url=https://shop.example/webhook", "--only", strings.Join(goLiveSteps, ","))
	assert.Equal(t, reports.Pass, steps["stripe.api_version_pinned"].Status, steps["stripe.api_version_pinned"].Message)
	assert.Contains(t, steps["stripe.api_version_pinned"].Message, "API version 2024-06-20 set at "+filepath.Join(dir, "src", "server.js")+":2.")
	for _, id := range goLiveSteps[1:] {
		assert.Equal(t, reports.Skip, steps[id].Status, id)
		assert.True(t, steps[id].Unchecked, id)
		assert.Contains(t, steps[id].Message, "no secret_key_env declared", id)
	}
}

func TestStripeAPIVersionFromCode(t *testing.T) {
	cases := []struct {
		name, file, code string
		lock             map[string]string
		status           reports.Status
		message          string
	}{
		{"node option", "server.js", "const stripe = new Stripe(key, { apiVersion: '2024-06-20' });\n", nil, reports.Pass, "API version 2024-06-20 set at "},
		{"php setter", "init.php", "<?php\n\\Stripe\\Stripe::setApiKey($key);\n\\Stripe\\Stripe::setApiVersion('2023-10-16');\n", nil, reports.Pass, "2023-10-16 set at "},
		{"php client", "init.php", "<?php\n$stripe = new \\Stripe\\StripeClient(['api_key' => $k, 'stripe_version' => '2024-04-10']);\n", nil, reports.Pass, "2024-04-10"},
		{"python", "app.py", "import stripe\nstripe.api_key = os.environ['K']\nstripe.api_version = '2020-08-27'\n", nil, reports.Pass, "app.py:3"},
		{"ruby", "app.rb", "require 'stripe'\nStripe.api_key = ENV['K']\nStripe.api_version = '2022-11-15'\n", nil, reports.Pass, "2022-11-15"},
		{"stripe.js option is not the server's", "server.js", "const stripe = require('stripe')(key);\nconst s = Stripe(pk, { apiVersion: '2024-06-20' });\n", nil, reports.Fail, "server.js:1 (require('stripe')) sets no API version"},
		{"python without version, old library", "app.py", "import stripe\nstripe.api_key = os.environ['K']\n", map[string]string{"requirements.txt": "stripe==5.5.0\n"}, reports.Fail, "requirements.txt:1) predates"},
		{"python without version, pinning library", "app.py", "import stripe\nstripe.api_key = os.environ['K']\n", map[string]string{"requirements.txt": "stripe==7.1.0\n"}, reports.Pass, "requirements.txt:1) sends the API version it was released with"},
		{"java pins by library", "Server.java", "import com.stripe.Stripe;\nclass S { void init() { Stripe.apiKey = System.getenv(\"K\"); } }\n", nil, reports.Pass, "Server.java:2 sends the API version"},
		{"no server library", "app.js", "const s = Stripe(pk);\n", nil, reports.Error, "cannot be decided from the code"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			require.NoError(t, os.MkdirAll(filepath.Join(dir, "src"), 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(dir, "src", tc.file), []byte(tc.code), 0o644))
			for name, body := range tc.lock {
				require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
			}
			_, steps := runJSON(t, "run", dir, "--checklist", "stripe", "--var", srcDirs(dir), "--var", "package_dirs=[\""+dir+"\"]", "--only", "stripe.api_version_pinned")
			s := steps["stripe.api_version_pinned"]
			assert.Equal(t, tc.status, s.Status, s.Message)
			assert.Contains(t, s.Message, tc.message)
		})
	}
}

// stripe-mock takes test keys only: its webhook endpoint (enabled for
// charge.failed and charge.succeeded) and its prices are test-mode
// objects, so a launch cannot rest on them.
func TestStripeGoLiveAgainstStripeMock(t *testing.T) {
	api := testenv.StripeMock(t)
	t.Setenv("STRIPE_TEST_KEY", "sk_"+"test_51AuditStripeMockKey000")
	_, steps := goLiveRun(t, goLiveDir(t, goLiveServer), api, "--var", "webhook_url=https://example.com/my/webhook/endpoint")

	ev := steps["stripe.webhook_events_registered"]
	assert.Equal(t, reports.Fail, ev.Status, ev.Message)
	assert.Contains(t, ev.Message, "handles 3 Stripe event type(s) (first payment_intent.succeeded at ")
	assert.Contains(t, ev.Message, "the key is a test key")
	assert.NotContains(t, ev.Message, "invoice.paid", "a comment handles nothing")

	obj := steps["stripe.live_objects_exist"]
	assert.Equal(t, reports.Fail, obj.Status, obj.Message)
	assert.Contains(t, obj.Message, "server.js:4, test mode only)")

	hook := steps["stripe.webhook_endpoint_live"]
	assert.Equal(t, reports.Fail, hook.Status, hook.Message)
	assert.Contains(t, hook.Message, "is not an enabled live-mode webhook endpoint")
}

// liveStripe serves what a live account answers: the account, webhook
// endpoints over two pages, and prices it knows (404 for the others, as
// Stripe answers a test-mode id asked with a live key).
type liveStripe struct {
	mu     sync.Mutex
	paths  []string
	prices map[string]bool
	events [][]string
}

func (l *liveStripe) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	l.mu.Lock()
	l.paths = append(l.paths, r.URL.Path+"?"+r.URL.RawQuery)
	l.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.URL.Path == "/v1/account":
		_, _ = w.Write([]byte(`{"object":"account","id":"acct_1Live"}`))
	case r.URL.Path == "/v1/webhook_endpoints":
		// One endpoint per page, to follow starting_after.
		i := 0
		if after := r.URL.Query().Get("starting_after"); after != "" {
			i = int(after[len(after)-1]-'0') + 1
		}
		ep := map[string]any{
			"object": "webhook_endpoint", "id": "we_" + string(rune('0'+i)), "livemode": true, "status": "enabled",
			"url": "https://shop.example/webhook", "enabled_events": l.events[i],
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"object": "list", "has_more": i+1 < len(l.events), "data": []any{ep}})
	case strings.HasPrefix(r.URL.Path, "/v1/prices/"):
		id := strings.TrimPrefix(r.URL.Path, "/v1/prices/")
		if !l.prices[id] {
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"error":{"type":"invalid_request_error","code":"resource_missing","message":"No such price: '` + id + `'; a similar object exists in test mode, but a live mode key was used to make this request."}}`))
			return
		}
		_, _ = w.Write([]byte(`{"object":"price","id":"` + id + `","livemode":true}`))
	default:
		http.NotFound(w, r)
	}
}

func TestStripeGoLiveLiveAccount(t *testing.T) {
	t.Setenv("STRIPE_TEST_KEY", "rk_"+"live_51AuditReadOnlyAccountKey00")
	cases := []struct {
		name   string
		events [][]string
		prices map[string]bool
		want   map[string]reports.Status
		why    map[string]string
	}{{
		name:   "ready",
		events: [][]string{{"payment_intent.succeeded", "charge.refunded"}, {"checkout.session.completed"}},
		prices: map[string]bool{"price_1PgafmB7WZ01zgkW02Hf9z6c": true},
		want: map[string]reports.Status{
			"stripe.webhook_events_registered": reports.Pass, "stripe.live_objects_exist": reports.Pass, "stripe.webhook_endpoint_live": reports.Pass,
		},
		why: map[string]string{
			"stripe.webhook_events_registered": "3 handled event type(s) enabled on 2 live endpoint(s)",
			"stripe.live_objects_exist":        "1 object(s) found in live mode: price_1PgafmB7WZ01zgkW02Hf9z6c",
			"stripe.webhook_endpoint_live":     "https://shop.example/webhook is live endpoint we_0",
		},
	}, {
		name:   "one event missing, test price",
		events: [][]string{{"payment_intent.succeeded"}, {"checkout.session.completed", "invoice.paid"}},
		want: map[string]reports.Status{
			"stripe.webhook_events_registered": reports.Fail, "stripe.live_objects_exist": reports.Fail, "stripe.webhook_endpoint_live": reports.Pass,
		},
		why: map[string]string{
			"stripe.webhook_events_registered": "1 event type(s) the code handles are enabled on no live webhook endpoint: charge.refunded (",
			"stripe.live_objects_exist":        "server.js:4, not found)",
		},
	}, {
		name:   "every event",
		events: [][]string{{"*"}},
		want:   map[string]reports.Status{"stripe.webhook_events_registered": reports.Pass},
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			live := &liveStripe{prices: tc.prices, events: tc.events}
			srv := httptest.NewServer(live)
			t.Cleanup(srv.Close)
			_, steps := goLiveRun(t, goLiveDir(t, goLiveServer), srv.URL, "--var", "webhook_url=https://shop.example/webhook/")
			assertStatuses(t, steps, tc.want)
			for id, frag := range tc.why {
				assert.Contains(t, steps[id].Message, frag, id)
			}
			live.mu.Lock()
			defer live.mu.Unlock()
			assert.Contains(t, live.paths, "/v1/prices/price_1PgafmB7WZ01zgkW02Hf9z6c?")
		})
	}
}

// Adyen API keys carry no mode: the step judges the key by the
// environment setting the integration pairs it with.
func TestAdyenAPIKeyEnvironment(t *testing.T) {
	key := "AQE1hmfxKo7IbhJHw0m/n3Q5qf3VaY9UCJ14XWZE03G0" + "+1Ix8OEkRBCPRIOAEMFdWw2=-FuC9AS5HjE4HZXRY3IfbgM7FF6WmW1Ub5q0nNAeqjoc=-i1i7F8R5Q7LW"
	cases := []struct {
		name, env string
		status    reports.Status
		message   string
	}{
		{"paired with test", "ADYEN_ENVIRONMENT=test\n", reports.Fail, "is used with the test environment (ADYEN_ENVIRONMENT = test at "},
		{"paired with live", "ADYEN_ENVIRONMENT=live\n", reports.Pass, "paired with the live environment (ADYEN_ENVIRONMENT at "},
		{"paired with nothing", "", reports.Error, "carry none"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			env := filepath.Join(dir, ".env")
			require.NoError(t, os.WriteFile(env, []byte("ADYEN_API_KEY="+key+"\n"+tc.env), 0o644))
			_, steps := runJSON(t, "run", dir, "--checklist", "adyen", "--var", `config_files=["`+env+`"]`, "--only", "adyen.api_key_environment")
			s := steps["adyen.api_key_environment"]
			assert.Equal(t, tc.status, s.Status, s.Message)
			assert.Contains(t, s.Message, tc.message)
			assert.NotContains(t, s.Message, key)
		})
	}
}
