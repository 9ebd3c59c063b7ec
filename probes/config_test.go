package probes

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zclconf/go-cty/cty"
)

// Several test files of this package take -update; whichever registers
// it first wins, so the flag is looked up rather than declared here.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files")
	}
}

func updateGolden() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// kindCfg decodes an HCL probe body through the kind's Spec, as the runner
// does, so defaults and types are those a checklist gets.
func kindCfg(t testing.TB, k Kind, src string) cty.Value {
	t.Helper()
	f, diags := hclsyntax.ParseConfig([]byte(src), "probe.hcl", hcl.InitialPos)
	require.False(t, diags.HasErrors(), diags.Error())
	v, diags := hcldec.Decode(f.Body, k.Spec(), nil)
	require.False(t, diags.HasErrors(), diags.Error())
	return v
}

// kindRun decodes src and runs k, checking that a value conforms to Facts.
func kindRun(t testing.TB, k Kind, env *Env, src string) (cty.Value, error) {
	t.Helper()
	v, err := k.Run(context.Background(), env, kindCfg(t, k, src))
	if err == nil {
		require.True(t, v.Type().Equals(k.Facts()), "Run returned %s, Facts says %s", v.Type().GoString(), k.Facts().GoString())
	}
	return v, err
}

func configEnv() *Env { return &Env{BaseDir: "testdata/config"} }

func renderEntries(v cty.Value) string {
	var b strings.Builder
	for it := v.GetAttr("entries").ElementIterator(); it.Next(); {
		_, e := it.Element()
		line, _ := e.GetAttr("line").AsBigFloat().Int64()
		fmt.Fprintf(&b, "%s:%d %s = %q\n", e.GetAttr("file").AsString(), line, e.GetAttr("key").AsString(), e.GetAttr("value").AsString())
	}
	return b.String()
}

func TestConfigFormatsGolden(t *testing.T) {
	for _, name := range []string{"app.env", "app.json", "app.yaml", "app.toml", "app.properties", "app.ini",
		"app.php", "app.config.js", "app.ts", "web.config", "appsettings.json"} {
		t.Run(name, func(t *testing.T) {
			v, err := kindRun(t, Config{}, configEnv(), fmt.Sprintf(`files = [%q]`, name))
			require.NoError(t, err)
			got := renderEntries(v)
			golden := filepath.Join("testdata", "config", name+".golden")
			if updateGolden() {
				require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err)
			assert.Equal(t, string(want), got)
		})
	}
}

func TestConfigValues(t *testing.T) {
	tests := []struct {
		file string
		want map[string]string
	}{
		{"app.env", map[string]string{
			"AMAZON_PAY_REGION":        "eu",
			"AMAZON_PAY_SANDBOX":       "false",
			"AMAZON_PAY_PUBLIC_KEY_ID": "LIVE-AEXAMPLE",
			"MULTI":                    "line one\nline two",
			"CHECKOUT_URL":             "https://shop.example/return/checkout",
			"EMPTY":                    "",
		}},
		{"app.json", map[string]string{
			"amazonPay.sandbox":   "false",
			"amazonPay.timeoutMs": "1500",
			"amazonPay.ratio":     "1.50",
			"amazonPay.note":      "",
			"currencies.1":        "GBP",
			"endpoints.0.url":     "https://shop.example/ipn",
		}},
		{"app.yaml", map[string]string{
			"amazon_pay.timeout":         "30",
			"amazon_pay.sandbox":         "false",
			"amazon_pay.private_key":     "",
			"amazon_pay.description":     "first line\nsecond line\n",
			"amazon_pay.currencies.0":    "EUR",
			"amazon_pay.endpoints.0.url": "https://shop.example/ipn",
			"second_document":            "yes",
		}},
		{"app.toml", map[string]string{
			"title":                   "shop",
			"amazon_pay.max_amount":   "1000",
			"amazon_pay.mode":         "493",
			"amazon_pay.ratio":        "1.5e3",
			"amazon_pay.since":        "2026-11-23",
			"amazon_pay.currencies.1": "GBP",
			"amazon_pay.endpoint.url": "https://shop.example/ipn",
			"amazon_pay.retry.count":  "3",
			"products.0.name":         "coffee",
			"products.1.name":         "tea",
			"products.1.price.amount": "4",
		}},
		{"app.properties", map[string]string{
			"amazon.pay.region":        "eu",
			"amazon.pay.sandbox":       "false",
			"amazon.pay.public.key.id": "LIVE-AEXAMPLE",
			"amazon.pay.description":   "first second",
			"key with spaces":          "value\twith\ttabs",
			"unicode":                  "café",
		}},
		{"app.php", map[string]string{
			"AMAZON_PAY_SANDBOX":             "false",
			"AMAZON_PAY_REGION":              "eu",
			"amazonpay_config.public_key_id": "LIVE-AEXAMPLE",
			"amazonpay_config.sandbox":       "false",
			"config.paypal.mode":             "live",
			"amazon_pay.currencies.1":        "CHF",
			"amazon_pay.timeout":             "30",
			"amazon_pay.note":                "multi\nline",
		}},
		{"app.config.js", map[string]string{
			"adyen.environment": "live",
			"adyen.clientKey":   "live_EXAMPLE",
			"adyen.timeoutMs":   "1500",
			"currencies.1":      "GBP",
			"debug":             "false",
		}},
		{"app.ts", map[string]string{
			"config.paypal.mode": "live",
			"stripeApiVersion":   "2024-06-20",
		}},
		{"web.config", map[string]string{
			"configuration.appSettings.AmazonPay:Sandbox": "false",
			"configuration.connectionStrings.Shop":        "Server=db;Database=shop",
			"configuration.system.web.compilation.debug":  "false",
			"configuration.system.web.customErrors.mode":  "On",
			"configuration.system.web.customErrors":       "RemoteOnly",
		}},
		{"appsettings.json", map[string]string{
			"Adyen.Environment":        "Live",
			"Logging.LogLevel.Default": "Warning",
		}},
		{"app.ini", map[string]string{
			"name":                     "shop",
			"amazon_pay.sandbox":       "false",
			"amazon_pay.public_key_id": "LIVE-AEXAMPLE",
			"amazon_pay.flag":          "",
			"database.url":             "postgres://db.internal/shop",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			v, err := kindRun(t, Config{}, configEnv(), fmt.Sprintf(`files = [%q]`, tt.file))
			require.NoError(t, err)
			values := v.GetAttr("values")
			for k, want := range tt.want {
				require.True(t, values.HasIndex(cty.StringVal(k)).True(), "missing key %q", k)
				assert.Equal(t, want, values.Index(cty.StringVal(k)).AsString(), k)
			}
		})
	}
}

func TestConfigLaterFileWinsAndLocations(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "config"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, ".env.production"), []byte("REGION=na\nKEY=a\n"), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "config", "payments.yaml"), []byte("x: 1\nREGION: eu\n"), 0o600))

	v, err := kindRun(t, Config{}, &Env{BaseDir: dir}, `files = [".env.production", "config/payments.yaml"]`)
	require.NoError(t, err)
	assert.Equal(t, "eu", v.GetAttr("values").Index(cty.StringVal("REGION")).AsString())
	assert.Equal(t, cty.ListVal([]cty.Value{
		cty.ObjectVal(map[string]cty.Value{"path": cty.StringVal(".env.production"), "format": cty.StringVal("dotenv")}),
		cty.ObjectVal(map[string]cty.Value{"path": cty.StringVal("config/payments.yaml"), "format": cty.StringVal("yaml")}),
	}), v.GetAttr("files"))
	assert.Equal(t, ".env.production:1 REGION = \"na\"\n.env.production:2 KEY = \"a\"\n"+
		"config/payments.yaml:1 x = \"1\"\nconfig/payments.yaml:2 REGION = \"eu\"\n", renderEntries(v))
}

func TestConfigFormatOverride(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "settings"), []byte("[s]\nk = v\n"), 0o600))
	v, err := kindRun(t, Config{}, &Env{BaseDir: dir}, `
files  = ["settings"]
format = "ini"`)
	require.NoError(t, err)
	assert.Equal(t, "v", v.GetAttr("values").Index(cty.StringVal("s.k")).AsString())
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		src  string
		want string // the error text must contain this
	}{
		{`files = ["missing.yaml"]`, "missing.yaml: no such file"},
		{`files = ["broken.json"]`, "broken.json:3:"},
		{`files = ["broken.yaml"]`, "broken.yaml: yaml: line"},
		{`files = ["broken.toml"]`, "broken.toml:2:"},
		{`files = ["duplicate.toml"]`, "duplicate.toml:2:"},
		{`files = ["broken.ini"]`, "broken.ini:1:1: section header without ]"},
		{`files = ["broken.env"]`, "broken.env: "},
		{`files = ["broken.php"]`, "broken.php:3:3: unterminated string"},
		{`files = ["broken.js"]`, "broken.js:2:6: unterminated template literal"},
		{`files = ["broken.xml"]`, "broken.xml:4: element <add> closed by </appSettings>"},
		{`files = ["app.unknown"]`, "cannot tell the format"},
		{"files = [\"app.ini\"]\nformat = \"hcl\"", `format "hcl"`},
		{`files = null`, "files is null"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			_, err := kindRun(t, Config{}, configEnv(), tt.src)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestConfigErrorsDoNotQuoteValues(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"bad.env":        "STRIPE_SECRET_KEY=\"sk_live_51Habc\n",
		"bad.properties": "stripe.key = sk_live_51Habc\\u12\n",
	}
	for name, content := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600))
		_, err := kindRun(t, Config{}, &Env{BaseDir: dir}, fmt.Sprintf(`files = [%q]`, name))
		require.Error(t, err, name)
		assert.NotContains(t, err.Error(), "sk_live", name)
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		src   string
		valid bool
	}{
		{`files = ["a.env", "b.yml", "c.conf"]`, true},
		{"files = [\"settings\"]\nformat = \"toml\"", true},
		{`files = ["settings"]`, false},
		{"files = [\"a.env\"]\nformat = \"hcl\"", false},
		{`files = ["config/amazon_pay.php", "web.config", "config/adyen.ts", "settings.xml", ".env.local.php"]`, true},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			diags := Config{}.Validate(configEnv(), kindCfg(t, Config{}, tt.src))
			assert.Equal(t, !tt.valid, diags.HasErrors(), diags.Error())
		})
	}
	unknown := cty.ObjectVal(map[string]cty.Value{"files": cty.UnknownVal(cty.List(cty.String)), "format": cty.NullVal(cty.String)})
	assert.Empty(t, Config{}.Validate(configEnv(), unknown), "values not known yet are checked at run time")
}

func TestConfigFormatFromName(t *testing.T) {
	tests := map[string]string{
		".env": "dotenv", ".env.production": "dotenv", "prod.env": "dotenv", "config/app.JSON": "json",
		"a.yml": "yaml", "a.yaml": "yaml", "a.toml": "toml", "a.properties": "properties",
		"a.ini": "ini", "a.cfg": "ini", "nginx.conf": "ini", "config/payment.php": "php", ".env.local.php": "php",
		"web.config": "xml", "App.config": "xml", "a.xml": "xml", "next.config.mjs": "js", "adyen.ts": "js",
	}
	for name, want := range tests {
		got, err := configFormat(name, "")
		require.NoError(t, err, name)
		assert.Equal(t, want, got, name)
	}
}

func TestConfigHostileYAML(t *testing.T) {
	// Nine levels of ten-fold aliases would expand to a billion values.
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 9; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [", i, i)
		for j := range 10 {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*a%d", i-1)
		}
		b.WriteString("]\n")
	}
	_, err := parseYAML([]byte(b.String()))
	require.Error(t, err)

	_, err = parseJSON([]byte(strings.Repeat("[", 5000) + strings.Repeat("]", 5000)))
	require.ErrorContains(t, err, "nested too deeply")
}

// fuzzConfigParser checks a parser never panics and places every value on
// a line of the input.
func fuzzConfigParser(f *testing.F, parse func([]byte) ([]configKV, error), seeds ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		kvs, err := parse(data)
		if err != nil {
			return
		}
		// YAML also breaks lines at a lone \r, and places an implicit null
		// value just past the end ("?" alone).
		lines := strings.Count(string(data), "\n") + strings.Count(string(data), "\r") + 2
		for _, kv := range kvs {
			if kv.line < 0 || kv.line > lines {
				t.Fatalf("key %q placed on line %d of %d", kv.key, kv.line, lines)
			}
		}
	})
}

func fixture(f *testing.F, name string) string {
	data, err := os.ReadFile(filepath.Join("testdata", "config", name))
	require.NoError(f, err)
	return string(data)
}

func FuzzConfigDotenv(f *testing.F) {
	fuzzConfigParser(f, parseDotenv, fixture(f, "app.env"), "A=1\nexport B='x'\n", `C="a\nb"`)
}

func FuzzConfigJSON(f *testing.F) {
	fuzzConfigParser(f, parseJSON, fixture(f, "app.json"), `[1, {"a": null}]`, `{"a":`)
}

func FuzzConfigYAML(f *testing.F) {
	fuzzConfigParser(f, parseYAML, fixture(f, "app.yaml"), "a: &x [1]\nb: *x\n", "- a\n- b: c\n")
}

func FuzzConfigTOML(f *testing.F) {
	fuzzConfigParser(f, parseTOML, fixture(f, "app.toml"), "[[a]]\n[[a.b]]\nc = 1\n", "x = {y = [1, {z = 2}]}")
}

func FuzzConfigProperties(f *testing.F) {
	fuzzConfigParser(f, parseProperties, fixture(f, "app.properties"), "a=b\\\n", `k\u00=v`)
}

func FuzzConfigPHP(f *testing.F) {
	fuzzConfigParser(f, parsePHPConfig, fixture(f, "app.php"), "<?php return ['a' => ['b' => 1]];", "<?php define('X', <<<E\nv\nE);")
}
func FuzzConfigJS(f *testing.F) {
	fuzzConfigParser(f, parseJSConfig, fixture(f, "app.config.js"), fixture(f, "app.ts"), "export default {a: [1, {b: `c`}]}")
}
func FuzzConfigXML(f *testing.F) {
	fuzzConfigParser(f, parseXMLConfig, fixture(f, "web.config"), `<a b="c"><d>e</d></a>`, "<a>\n<b/>\n")
}
func FuzzConfigJSONC(f *testing.F) {
	fuzzConfigParser(f, parseJSON, fixture(f, "appsettings.json"), "{\"a\": 1, // c\n}", "[1,/* x */]")
}
func FuzzConfigINI(f *testing.F) {
	fuzzConfigParser(f, parseINI, fixture(f, "app.ini"), "[s\n", "=v\n")
}
