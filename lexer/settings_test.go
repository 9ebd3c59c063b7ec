package lexer

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func settingsOf(t *testing.T, lang Lang, src string) []string {
	t.Helper()
	toks, err := Tokenize(lang, []byte(src))
	require.NoError(t, err)
	var out []string
	for _, s := range Settings(lang, toks) {
		line := fmt.Sprintf("%d %s=%s", s.Line, s.Key, s.Value)
		if len(s.Choices) > 0 {
			line += " [" + strings.Join(s.Choices, "|") + "]"
		}
		if s.Default {
			line += " (default)"
		}
		out = append(out, line)
	}
	return out
}

// The fixtures follow the shapes of the providers' SDK samples (Adyen's
// Node and Java libraries, the Amazon Pay PHP SDK, PayPal's REST SDKs,
// Stripe's initialisers); they are written here, not copied.
func TestSettings(t *testing.T) {
	tests := []struct {
		name string
		lang Lang
		src  string
		want []string
	}{
		{"js client and drop-in", JS, `const { Client } = require("@adyen/api-library");
const client = new Client({ apiKey: process.env.ADYEN_API_KEY, environment: "TEST" });
// environment: "LIVE"
const checkout = await AdyenCheckout({
  environment: 'test',
  clientKey: ` + "`test_${key}`" + `,
  analytics: { enabled: false },
  amount: { value: -1, currency: cur === 'x' ? 'EUR' : 'USD' },
});
module.exports = { mode: 'sandbox', nested: { currencies: ["EUR", "CHF"] } };
export default { sandbox: true };`, []string{
			"2 client.apiKey=process.env.ADYEN_API_KEY", "2 client.environment=TEST",
			"5 checkout.environment=test", "7 checkout.analytics.enabled=false", "8 checkout.amount.value=-1", "8 checkout.amount.currency=EUR [EUR|USD]",
			"10 module.exports.mode=sandbox", "10 module.exports.nested.currencies.0=EUR", "10 module.exports.nested.currencies.1=CHF",
			"11 sandbox=true",
		}},
		{"ts typed", JS, `const options: CoreOptions = { environment: "live" as const };
let env: string = "test";`, []string{"1 options.environment=live", "2 env=test"}},
		{"java constructor and setter", Java, `Client client = new Client(apiKey, Environment.TEST);
/* Client live = new Client(apiKey, Environment.LIVE, "prefix"); */
config.setEnvironment(Environment.LIVE);
this.client.setApplicationName("shop");`, []string{
			"1 client.1=Environment.TEST", "3 config.environment=Environment.LIVE", "4 this.client.applicationName=shop",
		}},
		{"php sdk config", PHP, `<?php
    $amazonpay_config = array(
        'public_key_id' => 'SANDBOX-AHXXXXXXXXXXXXXXXXXXXXXX',
        'region'        => 'US',
        'sandbox'       => true,
        // 'sandbox'    => false,
    );
    $config['paypal']['mode'] = "sandbox";
    $client = new \Adyen\Client();
    $client->setEnvironment(\Adyen\Environment::TEST);
    $opts = ['environment' => Environment::LIVE, 'key' => getenv('KEY'), 'n' => $other];`, []string{
			"3 amazonpay_config.public_key_id=SANDBOX-AHXXXXXXXXXXXXXXXXXXXXXX", "4 amazonpay_config.region=US", "5 amazonpay_config.sandbox=true",
			"8 config.paypal.mode=sandbox", `10 client.environment=\Adyen\Environment::TEST`, "11 opts.environment=Environment::LIVE",
		}},
		{"csharp initializer and named argument", CSharp, `var client = new Client(apiKey, Environment.Test);
var config = new Config { Environment = Environment.Live, MerchantAccount = "Shop" };
var pp = new PayPalClient(environment: Environment.Sandbox);`, []string{
			"1 client.1=Environment.Test", "2 config.Environment=Environment.Live", `2 config.MerchantAccount=Shop`,
			"3 pp.environment=Environment.Sandbox",
		}},
		{"python kwargs and dict", Python, `client = Client(environment="sandbox", timeout=30)  # environment="live"
paypalrestsdk.configure({"mode": "sandbox", "client_id": os.environ["ID"]})
adyen.client.platform = 'test'
DEBUG: bool = True`, []string{
			"1 client.environment=sandbox", "1 client.timeout=30", "2 mode=sandbox", "3 adyen.client.platform=test", "4 DEBUG=True",
		}},
		{"ruby", Ruby, `PayPal::SDK.configure(mode: "sandbox", client_id: ENV["ID"])
client = Adyen::Client.new(env: :test)
config.environment = :sandbox # = :production
Stripe.api_version = '2024-06-20'
opts = { 'sandbox' => true }`, []string{
			"1 mode=sandbox", "2 client.env=test", "3 config.environment=sandbox", "4 Stripe.api_version=2024-06-20", "5 opts.sandbox=true",
		}},
		{"go struct literal", Go, `client := adyen.NewClient(&common.Config{
	ApiKey:      os.Getenv("ADYEN_API_KEY"),
	Environment: common.TestEnv, // common.LiveEnv
})
cfg := &paypal.Config{Mode: "sandbox"}`, []string{"3 client.Environment=common.TestEnv", "5 cfg.Mode=sandbox"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, settingsOf(t, tt.lang, tt.src))
		})
	}
}

func TestSettingsSkipsNonLiterals(t *testing.T) {
	got := settingsOf(t, JS, `a = b + 'x'; c = "x" + d; e = f(); g = cond ? 'x' : 'y'; h = 'ok'
i = 'line'
  + 'continued'
switch (x) { case 'a': y = 1; default: z = 2 }`)
	assert.Equal(t, []string{"1 g=x [x|y]", "1 h=ok", "4 y=1", "4 z=2"}, got)
}

// Values the code decides at run time: a conditional between literals is
// listed with its choices, a lookup's literal default as a default, a
// string given to a constructor by position under its index.
func TestSettingsRunTimeValues(t *testing.T) {
	tests := []struct {
		name string
		lang Lang
		src  string
		want []string
	}{
		{"js ternary and nullish default", JS, `const checkout = await AdyenCheckout({
  environment: process.env.NODE_ENV === 'production' ? 'live' : 'test',
  clientKey: process.env.ADYEN_CLIENT_KEY ?? 'test_key',
  locale: lang || 'en-US',
  region: a ? b : 'x',
});
const mode = process.env.PAYPAL_MODE || 'sandbox';`, []string{
			"2 checkout.environment=live [live|test]", "3 checkout.clientKey=test_key (default)", "4 checkout.locale=en-US (default)",
			"7 mode=sandbox (default)",
		}},
		{"php env() default and ?:", PHP, `<?php return [
    'environment' => env('ADYEN_ENVIRONMENT', 'test'),
    'mode' => getenv('PAYPAL_MODE') ?: 'sandbox',
    'sandbox' => env('AMAZON_PAY_SANDBOX', true),
    'live' => $prod ? 'live' : 'test',
    'key' => env('KEY'),
];`, []string{
			"2 environment=test (default)", "3 mode=sandbox (default)", "4 sandbox=true (default)", "5 live=live [live|test]",
		}},
		{"python getenv and conditional", Python, `ENVIRONMENT = os.getenv("ADYEN_ENVIRONMENT", "test")
MODE = os.environ.get('PAYPAL_MODE', 'sandbox')
PLATFORM = "live" if PRODUCTION else "test"
DEBUG = os.environ.get("DEBUG") or False
api = paypalrestsdk.Api({"mode": MODE})`, []string{
			"1 ENVIRONMENT=test (default)", "2 MODE=sandbox (default)", "3 PLATFORM=live [live|test]", "4 DEBUG=False (default)",
			"5 api.mode=MODE",
		}},
		{"ruby fetch and ||", Ruby, `Adyen.configure do |c|
  c.env = ENV.fetch('ADYEN_ENV', 'test')
  c.mode = ENV['MODE'] || 'sandbox'
end`, []string{"2 c.env=test (default)", "3 c.mode=sandbox (default)"}},
		{"positional strings to constructors", Java, `APIContext ctx = new APIContext(clientId, clientSecret, "sandbox");
BraintreeGateway gw = new BraintreeGateway("production", merchantId, publicKey, privateKey);
log.info("started", 1);`, []string{"1 ctx.2=sandbox", "2 gw.0=production"}},
		{"ruby and python constructors", Ruby, `gw = Braintree::Gateway.new("sandbox", id)
puts("sandbox")`, []string{"1 gw.0=sandbox"}},
		{"csharp ternary", CSharp, `var env = isProd ? Environment.Live : Environment.Test;`, []string{"1 env=Environment.Live [Environment.Live|Environment.Test]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, settingsOf(t, tt.lang, tt.src))
		})
	}
}

func FuzzSettings(f *testing.F) {
	for _, s := range []string{"a = {b: [1, {c: 'd'}]}", "<?php $a = array('x' => array(1, 2));", "x := &T{A: B.C}", "f(a: :b)"} {
		f.Add(s, uint8(0))
	}
	langs := []Lang{JS, PHP, Java, CSharp, Python, Ruby, Go}
	f.Fuzz(func(t *testing.T, src string, l uint8) {
		lang := langs[int(l)%len(langs)]
		toks, _ := Tokenize(lang, []byte(src))
		for _, s := range Settings(lang, toks) {
			if s.Line < 1 || s.Kind == 0 || s.Kind == Punct {
				t.Fatalf("%s: bad setting %+v from %q", lang, s, src)
			}
		}
	})
}

func TestSettingsCall(t *testing.T) {
	for _, tc := range []struct {
		lang      Lang
		src, call string
	}{
		{JS, "const checkout = await AdyenCheckout({\n  environment: 'test',\n});", "AdyenCheckout"},
		{JS, "paypal.configure({ mode: 'sandbox' })", "paypal.configure"},
		{Java, "Client client = new Client(apiKey, Environment.TEST);", "new Client"},
		{Ruby, "client = Adyen::Client.new(env: :test)", "Adyen::Client.new"},
		{PHP, "<?php $c = new \\Adyen\\Client(['environment' => 'test']);", "new \\Adyen\\Client"},
		{Python, "c = Client(environment='test')", "Client"},
		{Go, "c := adyen.NewClient(&common.Config{Environment: common.TestEnv})", "adyen.NewClient"},
		{JS, "const x = { environment: 'test' };", ""},
	} {
		toks, err := Tokenize(tc.lang, []byte(tc.src))
		require.NoError(t, err)
		got := Settings(tc.lang, toks)
		require.NotEmpty(t, got, tc.src)
		assert.Equal(t, tc.call, got[len(got)-1].Call, tc.src)
	}
}
