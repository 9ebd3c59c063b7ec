package pack

import (
	"fmt"
	"github.com/audit-tool/audit/checklist/builtin"
	"github.com/audit-tool/audit/lexer"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBuiltinPacks(t *testing.T) {
	s := Builtin()
	var names []string
	for _, p := range s.Packs() {
		names = append(names, p.Name)
		assert.NotNil(t, p.Checklist, "%s has a checklist", p.Name)
		assert.NotEmpty(t, p.Credentials, p.Name)
		assert.NotNil(t, p.Webhook, p.Name)
		assert.Equal(t, "builtin/"+p.Name, p.Dir)
	}
	assert.Subset(t, names, []string{"adyen", "amazon-pay", "paypal", "stripe"})
}

func TestLoadDiagnostics(t *testing.T) {
	_, diags := LoadDir("testdata/bad")
	require.True(t, diags.HasErrors())
	var got []string
	for _, d := range diags {
		where := "-"
		if d.Subject != nil {
			where = fmt.Sprintf("%s:%d:%d", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column)
		}
		got = append(got, where+" "+d.Summary)
	}
	want := []string{
		"testdata/bad/acme/pack.hcl:1:1 Invalid test card number",
		"testdata/bad/acme/pack.hcl:6:1 Invalid purpose",
		"testdata/bad/acme/pack.hcl:9:18 Invalid host",
		"testdata/bad/acme/pack.hcl:16:13 Credential pattern needs a literal start",
		"testdata/bad/acme/pack.hcl:23:13 Invalid regular expression",
		"testdata/bad/acme/pack.hcl:27:11 Pattern needs a group",
		"testdata/bad/acme/pack.hcl:26:1 Switch matches nothing", // its only pattern was refused
		"testdata/bad/acme/pack.hcl:41:1 code_value finds nothing",
		"testdata/bad/acme/pack.hcl:45:1 strings without value",
		"testdata/bad/acme/pack.hcl:45:1 Unknown language",
		"testdata/bad/acme/pack.hcl:36:27 Unknown forge value",
		"testdata/bad/wrongname/pack.hcl:1:1 Provider name differs from its folder",
	}
	assert.Equal(t, want, got)
}

func TestMatcher(t *testing.T) {
	m := Builtin().Matcher()
	cases := []struct {
		text, rule, found string
	}{
		{"STRIPE_SECRET_KEY=sk_live_51HqLyjWDarjtT1zdp7dcXcHf\n", "stripe_live_secret_key", "sk_live_51HqLyjWDarjtT1zdp7dcXcHf"},
		{"key: 'rk_test_4eC39HqLyjWDarjtT1zdp7dc'", "stripe_test_restricted_key", "rk_test_4eC39HqLyjWDarjtT1zdp7dc"},
		{"pk_live_51AuditExampleLiveModeKey0000", "stripe_live_publishable_key", "pk_live_51AuditExampleLiveModeKey0000"},
		{"sk_live_51Habc", "", ""},                      // too short
		{"sk_live_xxxxxxxxxxxxxxxxxxxx", "", ""},        // placeholder
		{"mysk_live_51HqLyjWDarjtT1zdp7dcXcHf", "", ""}, // inside a word
		{"whsec_0123456789abcdefABCD", "stripe_webhook_secret", "whsec_0123456789abcdefABCD"},
		{"id=SANDBOX-AHEGSJCM3L6J5LSCR6E3XXXX;", "amazon_pay_sandbox_key_id", "SANDBOX-AHEGSJCM3L6J5LSCR6E3XXXX"},
		{"LIVE-AHEGSJCM3L6J5LSCR6E3ABCDE", "", ""}, // 25 characters: not an id
		{"clientKey: \"test_ABCDEFGHIJKLMNOPQRSTUVWXYZ012345\"", "adyen_test_client_key", "test_ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"},
		{"unit_test_ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", "", ""},
		{"t=access_token$production$abcdefgh01234567$0123456789abcdef0123456789abcdef ", "paypal_live_access_token", "access_token$production$abcdefgh01234567$0123456789abcdef0123456789abcdef"},
		{"X-API-Key: AQEyhmfxK4PJahFGw0m/n3Q5qf3VaY9UCJ14XWZE03G/k2NFikzVGEiYj+4vtN01BchqAcwQwV1bDb7kfNy1WIxIIkxgBw==-uA2G3DMSoqVk+hxjgGrHWnlNi6LfKT6UwSqEOBKJkrU=-i1i{=<LGQ99U[r:MZd2", "adyen_api_key", "AQEyhmfxK4PJahFGw0m/n3Q5qf3VaY9UCJ14XWZE03G/k2NFikzVGEiYj+4vtN01BchqAcwQwV1bDb7kfNy1WIxIIkxgBw==-uA2G3DMSoqVk+hxjgGrHWnlNi6LfKT6UwSqEOBKJkrU=-i1i{=<LGQ99U[r:MZd2"},
	}
	for _, c := range cases {
		var got []Match
		m.Find([]byte(c.text), 0, len(c.text), func(mt Match) { got = append(got, mt) })
		if c.rule == "" {
			assert.Empty(t, got, c.text)
			continue
		}
		if assert.Len(t, got, 1, c.text) {
			assert.Equal(t, c.rule, got[0].Rule.Name, c.text)
			assert.Equal(t, c.found, c.text[got[0].Start:got[0].End])
		}
	}
}

func TestEndpoint(t *testing.T) {
	s := Builtin()
	cases := []struct {
		url, provider, endpoint string
	}{
		{"https://pay-api.amazon.eu/sandbox/v2/checkoutSessions", "amazon-pay", "api_sandbox"},
		{"https://pay-api.amazon.eu/v2/checkoutSessions", "amazon-pay", "api_eu"},
		{"https://1797a841fbb37ca7-AdyenDemo-checkout-live.adyenpayments.com/checkout/v71", "adyen", "api_live"},
		{"https://checkout-test.adyen.com/v71/payments", "adyen", "api_test"},
		{"https://docs.adyen.com/x", "adyen", "docs"},
		{"https://api-m.sandbox.paypal.com/v2/checkout/orders", "paypal", "api_sandbox"},
		{"https://www.paypal.com/sdk/js?client-id=sb", "paypal", "sdk"},
		{"https://www.paypal.com/cgi-bin/webscr", "paypal", "ipn_live"},
		{"https://js.stripe.com/v3/", "stripe", "stripe_js"},
	}
	for _, c := range cases {
		u, err := url.Parse(c.url)
		require.NoError(t, err)
		m, ok := s.Endpoint(u)
		if assert.True(t, ok, c.url) {
			assert.Equal(t, c.provider, m.Provider, c.url)
			assert.Equal(t, c.endpoint, m.Endpoint.Name, c.url)
		}
	}
	_, ok := s.Endpoint(&url.URL{Scheme: "https", Host: "shop.example"})
	assert.False(t, ok)
}

func TestSettingAndCode(t *testing.T) {
	s := Builtin()
	sw := s.Setting("PAYPAL_MODE", "Sandbox")
	require.Len(t, sw, 1)
	assert.Equal(t, "paypal", sw[0].Provider)
	assert.Equal(t, Test, sw[0].Mode)
	assert.Empty(t, s.Setting("PAYPAL_MODE", "maybe"))

	src := []byte("$client = new Adyen\\Client();\nconfig.setEnvironment(Environment.TEST);\n")
	var found []string
	for _, m := range s.Code(src) {
		found = append(found, m.Provider+" "+m.Switch.Name+" "+m.Mode+" "+m.Value)
	}
	assert.Contains(t, found, "adyen environment test TEST")
}

func TestForge(t *testing.T) {
	p, ok := Builtin().Lookup("stripe")
	require.True(t, ok)
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	h1, b1, err := p.Webhook.Forge(now)
	require.NoError(t, err)
	_, b2, err := p.Webhook.Forge(now)
	require.NoError(t, err)
	assert.Equal(t, b1, b2, "same clock, same bytes")
	assert.Regexp(t, `^t=1795428000,v1=[0-9a-f]{64}$`, h1["Stripe-Signature"])
	assert.Contains(t, string(b1), `"type":"payment_intent.succeeded"`)
}

func TestDuplicateProvider(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(dir+"/stripe", 0o755))
	require.NoError(t, os.WriteFile(dir+"/stripe/pack.hcl", []byte("provider \"stripe\" {\n  title = \"Mine\"\n}\n"), 0o644))
	user, diags := LoadDir(dir)
	require.False(t, diags.HasErrors(), diags.Error())
	_, diags = Merge(Builtin(), user)
	require.True(t, diags.HasErrors())
	assert.Equal(t, "Duplicate provider pack", diags[0].Summary)
	assert.Equal(t, hcl.Pos{Line: 1, Column: 1, Byte: 0}, diags[0].Subject.Start)
}

// TestFindValues runs the Stripe pack's code values over code written in
// the shapes the SDKs' own examples use.
func TestFindValues(t *testing.T) {
	sp, ok := Builtin().Lookup("stripe")
	require.True(t, ok)
	cases := []struct {
		name string
		lang lexer.Lang
		code string
		want []string // name=value
	}{
		{"node init with version", lexer.JS, "const stripe = require('stripe')(process.env.K, { apiVersion: '2024-06-20' });",
			[]string{"sdk_init=require('stripe')", "api_version=2024-06-20"}},
		{"stripe.js option skipped", lexer.JS, "const s = Stripe(pk, { apiVersion: '2024-06-20' }); // stripe",
			nil},
		{"handled events and ids", lexer.JS, "switch (event.type) { case 'payment_intent.succeeded': x(); }\nif (e.type === 'charge.refunded') {}\nconst p = 'price_1PgafmB7WZ01zgkW02Hf9z6c'; stripe.x();\nconst q = 'invoice.payment_intent';",
			[]string{"handled_event=payment_intent.succeeded", "handled_event=charge.refunded", "object_id=price_1PgafmB7WZ01zgkW02Hf9z6c"}},
		{"dotnet constants", lexer.CSharp, "using Stripe;\nif (e.Type == Events.PaymentIntentSucceeded) {}\nStripeConfiguration.ApiKey = k;",
			[]string{"handled_event=PaymentIntentSucceeded", "typed_sdk_init=StripeConfiguration.ApiKey"}},
		{"php constant and setter", lexer.PHP, "<?php\n\\Stripe\\Stripe::setApiKey($k);\n\\Stripe\\Stripe::setApiVersion('2023-10-16');\ncase \\Stripe\\Event::CHARGE_SUCCEEDED:",
			[]string{"sdk_init=\\Stripe\\Stripe::setApiKey", "api_version=2023-10-16", "handled_event=CHARGE_SUCCEEDED"}},
		{"typed init only in typed languages", lexer.PHP, "<?php use Stripe\\StripeClient; $s = new StripeClient($k);", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code := lexer.Blank(tc.lang, []byte(tc.code))
			toks, _ := lexer.Tokenize(tc.lang, code)
			var got []string
			for _, m := range sp.FindValues(tc.lang, code, toks, lexer.Settings(tc.lang, toks)) {
				got = append(got, m.Value.Name+"="+m.Text)
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

// A value the code chooses at run time decides no mode: a conditional
// between modes, or a live default behind a lookup, is undetermined; a
// test default is evidence of a test fallback.
func TestModeOfRunTimeValues(t *testing.T) {
	sw := &Switch{Live: []string{"live"}, Test: []string{"test", "sandbox"}}
	cases := []struct {
		name string
		v    lexer.Setting
		want string
	}{
		{"literal", lexer.Setting{Value: "Test"}, Test},
		{"constant", lexer.Setting{Value: "Environment.LIVE", Kind: lexer.Ident}, Live},
		{"conditional between modes", lexer.Setting{Value: "live", Choices: []string{"live", "test"}}, Undetermined},
		{"conditional, same mode", lexer.Setting{Value: "test", Choices: []string{"test", "sandbox"}}, Test},
		{"conditional with an unrelated branch", lexer.Setting{Value: "live", Choices: []string{"live", "x"}}, Undetermined},
		{"conditional of unrelated values", lexer.Setting{Value: "x", Choices: []string{"x", "y"}}, ""},
		{"test default", lexer.Setting{Value: "sandbox", Default: true}, Test},
		{"live default", lexer.Setting{Value: "live", Default: true}, Undetermined},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, sw.ModeOf(tc.v))
		})
	}
}

// A mode constant many SDKs share counts for a provider only in code that
// names it: PayPal's Java SDK spells Environment.SANDBOX as Amazon Pay's does.
func TestCodeFilesNarrowCode(t *testing.T) {
	s := Builtin()
	cases := []struct {
		name, src string
		want      []string
	}{
		{"paypal java", "import com.paypal.sdk.Environment;\nclient.environment(Environment.SANDBOX);\n", nil},
		{"amazon pay java", "import com.amazon.pay.api.types.Environment;\nconfig.setEnvironment(Environment.SANDBOX);\n", []string{"amazon-pay environment test SANDBOX"}},
		{"amazon pay live", "import com.amazon.pay.api.PayConfiguration;\nconfig.setEnvironment(Environment.LIVE);\n", []string{"amazon-pay environment live LIVE"}},
		{"php sandbox flag elsewhere", "<?php return ['paypal' => ['sandbox' => true]];\n", nil},
		{"php amazon sandbox flag", "<?php $amazonpay_config = ['sandbox' => true];\n", []string{"amazon-pay sandbox_flag test true"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var found []string
			for _, m := range s.Code([]byte(c.src)) {
				if m.Provider == "amazon-pay" {
					found = append(found, m.Provider+" "+m.Switch.Name+" "+m.Mode+" "+m.Value)
				}
			}
			assert.Equal(t, c.want, found)
		})
	}
}

func TestEach(t *testing.T) {
	for _, n := range []int{0, 1, 2, 7, 100} {
		var mu sync.Mutex
		seen := map[int]int{}
		each(n, func(i int) {
			mu.Lock()
			seen[i]++
			mu.Unlock()
		})
		assert.Len(t, seen, n)
		for i := range n {
			assert.Equal(t, 1, seen[i], "f(%d) of %d", i, n)
		}
	}
	assert.PanicsWithValue(t, "pack 3", func() {
		each(5, func(i int) {
			if i == 3 {
				panic("pack 3")
			}
		})
	}, "a panic in f reaches the caller")
}

// BenchmarkLoadBuiltin is the start-up cost every command pays for the
// built-in packs: parsing their HCL, compiling their patterns, building
// the matchers.
func BenchmarkLoadBuiltin(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, diags := Load(builtin.FS, "builtin"); diags.HasErrors() {
			b.Fatal(diags)
		}
	}
}
