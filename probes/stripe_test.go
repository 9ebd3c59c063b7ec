package probes

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"

	"github.com/audit-tool/audit/internal/testenv"
	"github.com/audit-tool/audit/scan"
)

// Keys are assembled at run time so `audit scan` over this repository does
// not report the test file itself.
var (
	stripeTestLiveKey = "sk_" + "live_51Nv0FGQ9RKHgCVdK4xYzAbCdEfGh"
	stripeTestKey     = "sk_" + "test_4eC39HqLyjWDarjtT1zdp7dc"
)

// stripeReadyCondition is what a go-live step asserts over the facts.
const stripeReadyCondition = `f.charges_enabled && f.payouts_enabled && f.details_submitted && length(f.currently_due) == 0 && length(f.past_due) == 0 && f.external_accounts > 0`

// stripeConcludes evaluates an assert condition over facts as a checklist
// step would.
func stripeConcludes(t *testing.T, facts cty.Value, condition string) bool {
	t.Helper()
	expr, diags := hclsyntax.ParseExpression([]byte(condition), "step.hcl", hcl.InitialPos)
	require.False(t, diags.HasErrors(), diags.Error())
	v, diags := expr.Value(&hcl.EvalContext{
		Variables: map[string]cty.Value{"f": facts},
		Functions: map[string]function.Function{"length": stdlib.LengthFunc},
	})
	require.False(t, diags.HasErrors(), diags.Error())
	return v.True()
}

// stripeConfig decodes a probe body the way a checklist does, defaults
// included.
func stripeConfig(t *testing.T, body string) cty.Value {
	t.Helper()
	f, diags := hclsyntax.ParseConfig([]byte(body), "probe.hcl", hcl.InitialPos)
	require.False(t, diags.HasErrors(), diags.Error())
	cfg, diags := hcldec.Decode(f.Body, StripeAccount{}.Spec(), nil)
	require.False(t, diags.HasErrors(), diags.Error())
	return cfg
}

func stripeRun(t *testing.T, env *Env, body string) (cty.Value, error) {
	t.Helper()
	return StripeAccount{}.Run(context.Background(), env, stripeConfig(t, body))
}

// stripeServer serves one canned response and records the requests.
type stripeServer struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []*http.Request
}

func newStripeServer(t *testing.T, status int, header http.Header, body []byte) *stripeServer {
	t.Helper()
	s := &stripeServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.reqs = append(s.reqs, r.Clone(context.Background()))
		s.mu.Unlock()
		if strings.HasSuffix(r.URL.Path, "/v1/webhook_endpoints") && status == http.StatusOK {
			// The account's endpoints: none.
			_, _ = w.Write([]byte(`{"object":"list","data":[],"has_more":false}`))
			return
		}
		for k, v := range header {
			w.Header()[k] = v
		}
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}))
	t.Cleanup(s.Close)
	return s
}

// requests are the account requests the server saw (the webhook endpoint
// listing that follows a successful one is left out).
func (s *stripeServer) requests() []*http.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*http.Request
	for _, r := range s.reqs {
		if !strings.HasSuffix(r.URL.Path, "/v1/webhook_endpoints") {
			out = append(out, r)
		}
	}
	return out
}

func TestStripeAccountSpec(t *testing.T) {
	cfg := stripeConfig(t, `key_env = "STRIPE_SECRET_KEY"`)
	assert.Equal(t, "https://api.stripe.com", cfg.GetAttr("api_base").AsString())
	assert.Equal(t, "15s", cfg.GetAttr("timeout").AsString())
	assert.True(t, cfg.GetAttr("account").IsNull())

	f, diags := hclsyntax.ParseConfig([]byte(`api_base = "http://127.0.0.1:1"`), "probe.hcl", hcl.InitialPos)
	require.False(t, diags.HasErrors())
	_, diags = hcldec.Decode(f.Body, StripeAccount{}.Spec(), nil)
	require.True(t, diags.HasErrors(), "key_env is required")
	assert.Contains(t, diags.Error(), "key_env")
}

func TestStripeAccountFixtures(t *testing.T) {
	tests := []struct {
		fixture string
		key     string
		want    map[string]cty.Value
		ready   bool
	}{{
		fixture: "account_ready.json",
		key:     stripeTestLiveKey,
		want: map[string]cty.Value{
			"id":                   cty.StringVal("acct_1Nv0FGQ9RKHgCVdK"),
			"livemode_key":         cty.True,
			"charges_enabled":      cty.True,
			"payouts_enabled":      cty.True,
			"details_submitted":    cty.True,
			"currently_due":        cty.ListValEmpty(cty.String),
			"past_due":             cty.ListValEmpty(cty.String),
			"eventually_due":       cty.ListValEmpty(cty.String),
			"disabled_reason":      cty.StringVal(""),
			"external_accounts":    cty.NumberIntVal(1),
			"support_email":        cty.StringVal("aide@cafe-etoile.fr"),
			"support_phone":        cty.StringVal("+33142685300"),
			"support_url":          cty.StringVal("https://cafe-etoile.fr/aide"),
			"business_url":         cty.StringVal("https://cafe-etoile.fr"),
			"statement_descriptor": cty.StringVal("CAFE ETOILE PARIS"),
			"logo":                 cty.True,
			"country":              cty.StringVal("FR"),
			"default_currency":     cty.StringVal("eur"),
		},
		ready: true,
	}, {
		fixture: "account_not_ready.json",
		key:     stripeTestKey,
		want: map[string]cty.Value{
			"id":                cty.StringVal("acct_1PbR4sLk8WmZ2yQa"),
			"livemode_key":      cty.False,
			"charges_enabled":   cty.True,
			"payouts_enabled":   cty.False,
			"details_submitted": cty.True,
			"currently_due": cty.ListVal([]cty.Value{
				cty.StringVal("business_profile.support_phone"),
				cty.StringVal("business_profile.url"),
				cty.StringVal("external_account"),
			}),
			"past_due": cty.ListVal([]cty.Value{cty.StringVal("external_account")}),
			"eventually_due": cty.ListVal([]cty.Value{
				cty.StringVal("business_profile.support_phone"),
				cty.StringVal("business_profile.url"),
				cty.StringVal("external_account"),
				cty.StringVal("representative.verification.document"),
			}),
			"disabled_reason":      cty.StringVal("requirements.past_due"),
			"external_accounts":    cty.NumberIntVal(0),
			"support_email":        cty.StringVal("aide@cafe-etoile.fr"),
			"support_phone":        cty.StringVal(""),
			"support_url":          cty.StringVal(""),
			"business_url":         cty.StringVal(""),
			"statement_descriptor": cty.StringVal(""),
			"logo":                 cty.False,
			"country":              cty.StringVal("FR"),
			"default_currency":     cty.StringVal("eur"),
		},
	}}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join("testdata", "stripe", tt.fixture))
			require.NoError(t, err)
			srv := newStripeServer(t, http.StatusOK, http.Header{"Content-Type": {"application/json"}}, body)
			t.Setenv("AUDIT_TEST_STRIPE_KEY", tt.key)

			// Offline still allows the loopback test server.
			facts, err := stripeRun(t, &Env{Offline: true}, `
				api_base = "`+srv.URL+`"
				key_env  = "AUDIT_TEST_STRIPE_KEY"`)
			require.NoError(t, err)
			assert.True(t, facts.Type().Equals(StripeAccount{}.Facts()), "facts conform to Facts()")
			for name, want := range tt.want {
				assert.True(t, want.RawEquals(facts.GetAttr(name)), "%s: got %#v", name, facts.GetAttr(name))
			}
			assert.Empty(t, facts.GetAttr("webhook_endpoints_error").AsString(), "the canned server lists nothing, but answers")
			assert.Equal(t, tt.ready, stripeConcludes(t, facts, stripeReadyCondition))

			reqs := srv.requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, http.MethodGet, reqs[0].Method)
			assert.Equal(t, "/v1/account", reqs[0].URL.Path)
			assert.Equal(t, "Bearer "+tt.key, reqs[0].Header.Get("Authorization"))
			assert.Equal(t, stripeAPIVersion, reqs[0].Header.Get("Stripe-Version"))
		})
	}
}

func TestStripeAccountConnectedPath(t *testing.T) {
	body, err := os.ReadFile(filepath.Join("testdata", "stripe", "account_ready.json"))
	require.NoError(t, err)
	srv := newStripeServer(t, http.StatusOK, nil, body)
	t.Setenv("AUDIT_TEST_STRIPE_KEY", stripeTestKey)

	tests := []struct {
		account, path, err string
	}{
		{"acct_1Nv0FGQ9RKHgCVdK", "/proxy/v1/accounts/acct_1Nv0FGQ9RKHgCVdK", ""},
		{"acct_1/../../v1/balance", "", "want a Stripe account id"},
		{"cus_123", "", "want a Stripe account id"},
	}
	for _, tt := range tests {
		t.Run(tt.account, func(t *testing.T) {
			before := len(srv.requests())
			_, err := stripeRun(t, &Env{}, `
				api_base = "`+srv.URL+`/proxy"
				key_env  = "AUDIT_TEST_STRIPE_KEY"
				account  = "`+tt.account+`"`)
			reqs := srv.requests()[before:]
			if tt.err != "" {
				require.ErrorContains(t, err, tt.err)
				assert.Empty(t, reqs, "nothing sent")
				return
			}
			require.NoError(t, err)
			require.Len(t, reqs, 1)
			assert.Equal(t, tt.path, reqs[0].URL.EscapedPath())
		})
	}
}

func TestStripeAccountResponseVariants(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		external int64
		logo     bool
	}{
		{"total_count wins over a short page", `{"object":"account","id":"acct_1","external_accounts":{"total_count":3,"data":[{}]}}`, 3, false},
		{"data length without total_count", `{"object":"account","id":"acct_1","external_accounts":{"data":[{},{}]}}`, 2, false},
		{"no external_accounts", `{"object":"account","id":"acct_1"}`, 0, false},
		{"icon alone counts as a logo", `{"object":"account","id":"acct_1","settings":{"branding":{"logo":null,"icon":"file_1"}}}`, 0, true},
		{"expanded logo file", `{"object":"account","id":"acct_1","settings":{"branding":{"logo":{"id":"file_1","object":"file"}}}}`, 0, true},
		{"empty logo id", `{"object":"account","id":"acct_1","settings":{"branding":{"logo":"","icon":null}}}`, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			acct, err := stripeParseAccount([]byte(tt.body))
			require.NoError(t, err)
			facts := cty.ObjectVal(acct.values(stripeTestKey))
			assert.True(t, cty.NumberIntVal(tt.external).RawEquals(facts.GetAttr("external_accounts")))
			assert.Equal(t, tt.logo, facts.GetAttr("logo").True())
		})
	}
}

func TestStripeAccountErrors(t *testing.T) {
	key := stripeTestLiveKey
	mask := scan.MaskSecret(key)
	jsonHeader := http.Header{"Content-Type": {"application/json"}, "Request-Id": {"req_8Kx2Qv"}}
	tests := []struct {
		name   string
		status int
		header http.Header
		body   string
		want   []string
	}{{
		name:   "401 invalid key, quoted back",
		status: http.StatusUnauthorized,
		header: jsonHeader,
		body:   `{"error":{"type":"invalid_request_error","message":"Invalid API Key provided: ` + key + `"}}`,
		want:   []string{"401 Unauthorized", "invalid_request_error", "Invalid API Key provided", mask, "req_8Kx2Qv"},
	}, {
		name:   "401 with Stripe's own starred key",
		status: http.StatusUnauthorized,
		header: jsonHeader,
		body:   `{"error":{"type":"invalid_request_error","message":"Invalid API Key provided: sk_` + `live_****************************EfGh"}}`,
		want:   []string{"401 Unauthorized", "Invalid API Key provided: sk_live_…(sha256:"},
	}, {
		name:   "403 connected account not reachable",
		status: http.StatusForbidden,
		header: jsonHeader,
		body:   `{"error":{"type":"invalid_request_error","code":"account_invalid","message":"The provided key does not have access to account 'acct_9'."}}`,
		want:   []string{"403 Forbidden", "invalid_request_error/account_invalid", "does not have access"},
	}, {
		name:   "card number in a message",
		status: http.StatusBadRequest,
		header: jsonHeader,
		body:   `{"error":{"type":"invalid_request_error","message":"Unexpected value 4111111111111111 in metadata"}}`,
		want:   []string{"400 Bad Request", "411111******1111"},
	}, {
		name:   "502 page from a proxy",
		status: http.StatusBadGateway,
		body:   "<html><body>Bad gateway " + key + strings.Repeat(" padding", 100) + "</body></html>",
		want:   []string{"502 Bad Gateway", "<html>", mask, "…"},
	}, {
		name:   "200 with another object",
		status: http.StatusOK,
		body:   `{"object":"list","data":[]}`,
		want:   []string{"not an account object", `"list"`},
	}, {
		name:   "200 with broken JSON",
		status: http.StatusOK,
		body:   `{"object":"account","id":`,
		want:   []string{"decoding"},
	}, {
		name:   "redirect is not followed",
		status: http.StatusFound,
		header: http.Header{"Location": {"http://127.0.0.1:1/v1/account"}},
		want:   []string{"302 Found"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newStripeServer(t, tt.status, tt.header, []byte(tt.body))
			t.Setenv("AUDIT_TEST_STRIPE_KEY", key)
			_, err := stripeRun(t, &Env{}, `
				api_base = "`+srv.URL+`"
				key_env  = "AUDIT_TEST_STRIPE_KEY"`)
			require.Error(t, err)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.NotContains(t, err.Error(), key)
			assert.NotContains(t, err.Error(), "EfGh", "no tail of a key either")
			assert.NotContains(t, err.Error(), "4111111111111111")
			assert.Len(t, srv.requests(), 1)
		})
	}
}

func TestStripeAccountCannotDecide(t *testing.T) {
	tls := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"object":"account","id":"acct_1","charges_enabled":true}`))
	}))
	t.Cleanup(tls.Close)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	t.Cleanup(slow.Close)

	tests := []struct {
		name    string
		keyVal  string
		body    string
		want    string
		offline bool
	}{
		{"unset key variable", "", `key_env = "AUDIT_TEST_STRIPE_KEY"`, `"AUDIT_TEST_STRIPE_KEY"`, false},
		{"offline with the real API", stripeTestKey, `key_env = "AUDIT_TEST_STRIPE_KEY"`, "offline", true},
		{"not a URL", stripeTestKey, `
			api_base = "ftp://127.0.0.1/"
			key_env  = "AUDIT_TEST_STRIPE_KEY"`, "want an http(s) URL", false},
		{"bad timeout", stripeTestKey, `
			api_base = "` + tls.URL + `"
			key_env  = "AUDIT_TEST_STRIPE_KEY"
			timeout  = "soon"`, "timeout", false},
		{"untrusted certificate", stripeTestKey, `
			api_base = "` + tls.URL + `"
			key_env  = "AUDIT_TEST_STRIPE_KEY"`, "certificate", false},
		{"timeout", stripeTestKey, `
			api_base = "` + slow.URL + `"
			key_env  = "AUDIT_TEST_STRIPE_KEY"
			timeout  = "100ms"`, "deadline exceeded", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("AUDIT_TEST_STRIPE_KEY", tt.keyVal)
			_, err := stripeRun(t, &Env{Offline: tt.offline}, tt.body)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Equal(t, tt.offline, errors.Is(err, ErrOffline))
			if tt.keyVal != "" {
				assert.NotContains(t, err.Error(), tt.keyVal)
			}
		})
	}
}

// TestStripeAccountStripeMock runs the probe against Stripe's own API mock,
// which validates requests against Stripe's OpenAPI spec.
func TestStripeAccountStripeMock(t *testing.T) {
	base := testenv.StripeMock(t)

	t.Run("own account", func(t *testing.T) {
		t.Setenv("AUDIT_TEST_STRIPE_KEY", stripeTestKey)
		facts, err := stripeRun(t, &Env{Offline: true}, `
			api_base = "`+base+`"
			key_env  = "AUDIT_TEST_STRIPE_KEY"`)
		require.NoError(t, err)
		require.True(t, facts.Type().Equals(StripeAccount{}.Facts()))

		// stripe-mock's canned account is a fresh, unfinished one: charges
		// and payouts off, details not submitted, six requirements due.
		assert.Regexp(t, regexp.MustCompile(`^acct_`), facts.GetAttr("id").AsString())
		assert.False(t, facts.GetAttr("livemode_key").True())
		assert.False(t, facts.GetAttr("charges_enabled").True())
		assert.False(t, facts.GetAttr("payouts_enabled").True())
		assert.False(t, facts.GetAttr("details_submitted").True())
		assert.Equal(t, "requirements.past_due", facts.GetAttr("disabled_reason").AsString())
		var due []string
		for _, v := range facts.GetAttr("currently_due").AsValueSlice() {
			due = append(due, v.AsString())
		}
		assert.Len(t, due, 6)
		assert.Contains(t, due, "external_account")
		assert.True(t, cty.NumberIntVal(1).RawEquals(facts.GetAttr("external_accounts")))
		assert.False(t, facts.GetAttr("logo").True())
		assert.Equal(t, "", facts.GetAttr("support_phone").AsString())
		assert.Equal(t, "US", facts.GetAttr("country").AsString())
		assert.Equal(t, "usd", facts.GetAttr("default_currency").AsString())

		assert.False(t, stripeConcludes(t, facts, stripeReadyCondition), "stripe-mock's account is not ready to go live")
	})

	t.Run("connected account", func(t *testing.T) {
		t.Setenv("AUDIT_TEST_STRIPE_KEY", "rk_"+"test_51Restricted0000")
		facts, err := stripeRun(t, &Env{}, `
			api_base = "`+base+`"
			key_env  = "AUDIT_TEST_STRIPE_KEY"
			account  = "acct_1Connected"`)
		require.NoError(t, err)
		assert.Equal(t, "acct_1Connected", facts.GetAttr("id").AsString())
	})

	t.Run("live key refused, key not repeated", func(t *testing.T) {
		// stripe-mock accepts test keys only and quotes the whole
		// Authorization header back in its error.
		t.Setenv("AUDIT_TEST_STRIPE_KEY", stripeTestLiveKey)
		_, err := stripeRun(t, &Env{}, `
			api_base = "`+base+`"
			key_env  = "AUDIT_TEST_STRIPE_KEY"`)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "401 Unauthorized")
		assert.Contains(t, err.Error(), "Please authenticate")
		assert.Contains(t, err.Error(), scan.MaskSecret(stripeTestLiveKey))
		assert.NotContains(t, err.Error(), stripeTestLiveKey)
	})
}

func FuzzStripeParseAccount(f *testing.F) {
	for _, name := range []string{"account_ready.json", "account_not_ready.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", "stripe", name))
		require.NoError(f, err)
		f.Add(b)
	}
	f.Add([]byte(`{"object":"account","id":"acct_1","external_accounts":{"total_count":-1}}`))
	f.Add([]byte(`{"object":"account","id":"acct_1","requirements":{"currently_due":null}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		acct, err := stripeParseAccount(body)
		if err != nil {
			return
		}
		facts := acct.values(stripeTestKey)
		for name := range facts {
			require.True(t, stripeAccountFacts.HasAttribute(name), name)
		}
		require.NotEmpty(t, facts["id"].AsString())
	})
}

func FuzzStripeErrorText(f *testing.F) {
	f.Add(`{"error":{"message":"Invalid API Key provided: KEY"}}`, "51Nv0FGQ9RKHgCVdK")
	f.Add(`Authorization was 'Bearer KEY'`, "abcd")
	f.Add(`{"error":{"message":"sk_`+"live_KEYKEY\",\"type\":\"KEY\"}}", "0000")
	validSuffix := regexp.MustCompile(`^[A-Za-z0-9]{4,64}$`)
	f.Fuzz(func(t *testing.T, body, suffix string) {
		if !validSuffix.MatchString(suffix) {
			return // not a key Stripe would issue
		}
		key := "sk_" + "live_" + suffix
		body = strings.ReplaceAll(body, "KEY", key)
		text := stripeErrorText("401 Unauthorized", "", []byte(body), key)
		require.NotContains(t, text, key)
	})
}

// TestStripeAccountSendsTheKeyOnlyToStripe: a variable that does not hold
// a Stripe key, or a host that is neither Stripe's API nor loopback, is an
// error before anything is sent.
func TestStripeAccountSendsTheKeyOnlyToStripe(t *testing.T) {
	hostile := newStripeServer(t, http.StatusOK, http.Header{"Content-Type": {"application/json"}}, []byte(`{"object":"account","id":"acct_1"}`))
	ciToken := "glcbt-" + "64_Zx9yQwErTyUiOpAsDfGhJkL"
	tests := []struct {
		name, value, body string
		want              []string
	}{
		{"a CI token", ciToken, `
			api_base = "` + hostile.URL + `"
			key_env  = "CI_JOB_TOKEN"`, []string{`"CI_JOB_TOKEN"`, "does not hold a Stripe secret or restricted key", "sk_live_…", "STRIPE_SECRET_KEY"}},
		{"a publishable key", "pk_" + "live_51Nv0FGQ9RKHgCVdK4xYzAbCdEfGh", `
			api_base = "` + hostile.URL + `"
			key_env  = "CI_JOB_TOKEN"`, []string{"does not hold a Stripe secret"}},
		{"a key with something appended", stripeTestKey + " " + ciToken, `
			api_base = "` + hostile.URL + `"
			key_env  = "CI_JOB_TOKEN"`, []string{"does not hold a Stripe secret"}},
		// Offline: were the host checked after the offline check (or after
		// a dial), the error would be ErrOffline; nothing can leave either way.
		{"another host", stripeTestKey, `
			api_base = "https://audit-hostile.invalid"
			key_env  = "CI_JOB_TOKEN"`, []string{"audit-hostile.invalid is neither a Stripe API host", "api.stripe.com", "nothing was sent"}},
		{"a look-alike host", stripeTestKey, `
			api_base = "https://api.stripe.com.audit-hostile.invalid"
			key_env  = "CI_JOB_TOKEN"`, []string{"neither a Stripe API host"}},
		{"plain http to Stripe", stripeTestKey, `
			api_base = "http://api.stripe.com"
			key_env  = "CI_JOB_TOKEN"`, []string{"over https only"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("CI_JOB_TOKEN", tt.value)
			_, err := stripeRun(t, &Env{Offline: true}, tt.body)
			require.Error(t, err)
			assert.False(t, errors.Is(err, ErrOffline), "refused, not unchecked: %v", err)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.NotContains(t, err.Error(), tt.value)
			assert.NotContains(t, err.Error(), ciToken)
		})
	}
	assert.Empty(t, hostile.requests(), "no request, let alone an Authorization header, reached the server")

	// The same server is asked once a Stripe-shaped key is in the variable.
	t.Setenv("CI_JOB_TOKEN", stripeTestKey)
	_, err := stripeRun(t, &Env{}, `
		api_base = "`+hostile.URL+`"
		key_env  = "CI_JOB_TOKEN"`)
	require.NoError(t, err)
	reqs := hostile.requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "Bearer "+stripeTestKey, reqs[0].Header.Get("Authorization"))
}
