package probes

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/audit-tool/audit/pack"
	"github.com/audit-tool/audit/scan"
	"github.com/audit-tool/audit/walk"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Keys are assembled at run time so this file holds no string a secret
// scanner (ours included) would flag.
var (
	sourceTestSK    = "sk_" + "live_" + "51HxAuditFakeSecretKey0123456789abcdef"
	sourceTestSKT   = "sk_" + "test_" + "4eC39HqLyjWDarjtT1zdp7dc"
	sourceTestPK    = "pk_" + "live_" + "51HxAuditFakePublishableKey0123456789"
	sourceTestRK    = "rk_" + "live_" + "51HxAuditFakeRestrictedKey012345"
	sourceTestWhsec = "whsec_" + "AuditFakeWebhookSigningSecret0123"
	sourceTestAdyen = "live_" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
	sourceTestPEM   = "-----BEGIN " + "RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAauditfakekeymaterialAAAAAAAAAAAA\n-----END RSA PRIVATE KEY-----\n"
)

// sourceShop writes a small but realistic merchant repository.
func sourceShop(t testing.TB) string {
	t.Helper()
	root := t.TempDir()
	files := map[string]string{
		"config/payments.yaml": "amazon_pay:\n" +
			"  region: eu\n" +
			"  endpoint: https://pay-api.amazon.eu/sandbox/v2/checkoutSessions\n" +
			"  public_key_id: SANDBOX-AHXG3OMRCWBCRLZE3HDSMNO4\n" +
			"  live_key_id: LIVE-AHQ7ZZ3OMRCWBCRLZE3HDSMN\n" +
			"  publicKeyId: \"AHQ7ZZ3OMRCWBCRLZE3HDSMX\"\n" +
			"  private_key_path: keys/amazon-pay.pem\n",
		".env.production": "STRIPE_SECRET_KEY=" + sourceTestSK + "\n" +
			"STRIPE_WEBHOOK_SECRET=" + sourceTestWhsec + "\n" +
			"DATABASE_URL=postgres://shop:hunter2@db.internal/shop\n" +
			"CALLBACK=https://ops:s3cr3tpass@hooks.shop.example/cb?token=abc123&lang=fr\n",
		"src/payments/adyen.js": "const client = new Client({ environment: 'LIVE' });\n" +
			"const base = 'https://1797a841fbb37ca7-AdyenDemo-checkout-live.adyenpayments.com/checkout/v71';\n" +
			"const test = \"https://checkout-test.adyen.com/v71/payments\";\n" +
			"// docs: https://docs.adyen.com/online-payments\n" +
			"const clientKey = '" + sourceTestAdyen + "';\n",
		"src/payments/paypal.php": "<?php\n$api = 'https://api-m.sandbox.paypal.com/v2/checkout/orders';\n" +
			"$ipn = \"https://ipnpb.paypal.com/cgi-bin/webscr\";\n" +
			"echo '<script src=\"https://www.paypal.com/sdk/js?client-id=AbCdEf123&currency=EUR\"></script>';\n",
		"src/server.go":        "package main\n\n// Looks for keys, holds none:\nconst marker = \"-----BEGIN RSA PRIVATE KEY-----\"\n",
		"public/js/bundle.js":  "!function(){var s=\"" + sourceTestPK + "\",t=\"" + sourceTestSKT + "\";fetch(\"https://api.stripe.com/v1/tokens\")}();\n",
		"public/checkout.html": "<script>Stripe('" + sourceTestRK + "')</script>\n",
		"keys/amazon-pay.pem":  sourceTestPEM,
		"public/keys/leak.pem": sourceTestPEM,
		"config/cert.pem":      "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa\n-----END CERTIFICATE-----\n",
		"config/keys.json":     `{"private_key": "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n"}` + "\n",
		// Never scanned: tooling folders, excluded fixtures, binaries, big files.
		"node_modules/stripe/index.js":    "const k = '" + sourceTestSK + "';\n",
		".git/config":                     "url = https://github.com/shop/shop.git\n",
		"vendor/lib/x.php":                "$k = '" + sourceTestSK + "';\n",
		"test/fixtures/keys.env":          "STRIPE=" + sourceTestSK + "\n",
		"src/payments/legacy.min.js":      "var k='" + sourceTestSK + "';\n",
		"assets/logo.png":                 "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR " + sourceTestSK,
		"dumps/catalog.sql":               strings.Repeat("INSERT INTO t VALUES (1);\n", 100),
		"src/payments/nested/deep/ok.txt": "see https://pay-api.amazon.eu/live/v2/\n",
	}
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	}
	return root
}

const sourceShopProbe = `
dirs           = [".", "src"]
exclude        = ["test/fixtures/**", "*.min.js"]
max_file_bytes = 2000
`

func TestSourceShop(t *testing.T) {
	root := sourceShop(t)
	v, err := probeRunHCL(t, Source{}, &Env{BaseDir: root}, sourceShopProbe)
	require.NoError(t, err)
	require.True(t, v.Type().Equals((Source{}).Facts()), "Run returned %s", v.Type().GoString())
	out := probeFactsJSON(t, v)
	probeGolden(t, "source/shop.golden.json", out)

	for _, secret := range []string{sourceTestSK, sourceTestSKT, sourceTestPK, sourceTestRK, sourceTestWhsec, sourceTestAdyen, "hunter2", "s3cr3tpass", "abc123"} {
		assert.NotContains(t, string(out), secret, "secrets never appear unmasked")
	}
	// 12 text files: the binary, big, excluded and tooling files are not read.
	assert.Equal(t, 12, pageInt(t, v.GetAttr("files_scanned")))
	skipped := v.GetAttr("files_skipped").AsValueSlice()
	require.Len(t, skipped, 1)
	assert.Equal(t, "dumps/catalog.sql", skipped[0].GetAttr("file").AsString())

	var creds []string
	for _, k := range v.GetAttr("credentials").AsValueSlice() {
		creds = append(creds, fmt.Sprintf("%s %s live=%t client=%t %s:%d %s %s",
			k.GetAttr("provider").AsString(), k.GetAttr("kind").AsString(), k.GetAttr("live").True(), k.GetAttr("client_side").True(),
			k.GetAttr("file").AsString(), pageInt(t, k.GetAttr("line")), k.GetAttr("masked").AsString(), k.GetAttr("value").AsString()))
	}
	assert.Equal(t, []string{
		"stripe secret live=true client=false .env.production:1 " + scan.MaskSecret(sourceTestSK) + " ",
		"stripe webhook_secret live=true client=false .env.production:2 " + scan.MaskSecret(sourceTestWhsec) + " ",
		"amazon-pay key_id live=false client=false config/payments.yaml:4 " + scan.MaskSecret("SANDBOX-AHXG3OMRCWBCRLZE3HDSMNO4") + " SANDBOX-AHXG3OMRCWBCRLZE3HDSMNO4",
		"amazon-pay key_id live=true client=false config/payments.yaml:5 " + scan.MaskSecret("LIVE-AHQ7ZZ3OMRCWBCRLZE3HDSMN") + " LIVE-AHQ7ZZ3OMRCWBCRLZE3HDSMN",
		"stripe restricted live=true client=true public/checkout.html:1 " + scan.MaskSecret(sourceTestRK) + " ",
		"stripe publishable live=true client=true public/js/bundle.js:1 " + scan.MaskSecret(sourceTestPK) + " ",
		"stripe secret live=false client=true public/js/bundle.js:1 " + scan.MaskSecret(sourceTestSKT) + " ",
		"adyen client_key live=true client=false src/payments/adyen.js:5 " + scan.MaskSecret(sourceTestAdyen) + " ",
	}, creds)

	var pems []string
	for _, p := range v.GetAttr("pem_keys").AsValueSlice() {
		pems = append(pems, fmt.Sprintf("%s private=%t web=%t %s:%d", p.GetAttr("type").AsString(),
			p.GetAttr("private").True(), p.GetAttr("under_web_root").True(),
			p.GetAttr("file").AsString(), pageInt(t, p.GetAttr("line"))))
	}
	assert.Equal(t, []string{
		"CERTIFICATE private=false web=false config/cert.pem:1",
		"PRIVATE KEY private=true web=false config/keys.json:1",
		"RSA PRIVATE KEY private=true web=false keys/amazon-pay.pem:1",
		"RSA PRIVATE KEY private=true web=true public/keys/leak.pem:1",
	}, pems, "the marker in server.go has no key after it")

	var ends []string
	for _, e := range v.GetAttr("endpoints").AsValueSlice() {
		ends = append(ends, fmt.Sprintf("%s %s %s %s %s:%d", e.GetAttr("provider").AsString(), e.GetAttr("endpoint").AsString(),
			e.GetAttr("environment").AsString(), e.GetAttr("host").AsString(), e.GetAttr("file").AsString(), pageInt(t, e.GetAttr("line"))))
	}
	assert.Equal(t, []string{
		"amazon-pay api_sandbox test pay-api.amazon.eu config/payments.yaml:3",
		"stripe api any api.stripe.com public/js/bundle.js:1",
		"adyen api_live live 1797a841fbb37ca7-adyendemo-checkout-live.adyenpayments.com src/payments/adyen.js:2",
		"adyen api_test test checkout-test.adyen.com src/payments/adyen.js:3",
		"amazon-pay api_eu live pay-api.amazon.eu src/payments/nested/deep/ok.txt:1",
		"paypal api_sandbox test api-m.sandbox.paypal.com src/payments/paypal.php:2",
		"paypal api_live live ipnpb.paypal.com src/payments/paypal.php:3",
		"paypal sdk any www.paypal.com src/payments/paypal.php:4",
	}, ends, "docs.adyen.com is not an endpoint")

	for _, u := range v.GetAttr("urls").AsValueSlice() {
		assert.NotContains(t, u.GetAttr("file").AsString(), "node_modules")
		assert.NotContains(t, u.GetAttr("file").AsString(), ".git/")
	}
}

func TestSourceErrors(t *testing.T) {
	root := sourceShop(t)
	tests := []struct{ name, body, want string }{
		{"missing folder", `dirs = ["nope"]`, "no such file"},
		{"no folders", `dirs = []`, "at least one"},
		{"bad pattern", `dirs = ["."]` + "\nexclude = [\"[\"]", "malformed pattern"},
		{"bad max", `dirs = ["."]` + "\nmax_file_bytes = 0", "max_file_bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := probeRunHCL(t, Source{}, &Env{BaseDir: root}, tt.body)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestSourceExcluded(t *testing.T) {
	tests := []struct {
		pattern, rel string
		want         bool
	}{
		{"*.min.js", "public/js/app.min.js", true},
		{"fixtures", "test/fixtures/a.env", true},
		{"fixtures", "test/fixtures2/a.env", false},
		{"test/fixtures/**", "test/fixtures/deep/a.env", true},
		{"test/fixtures", "test/fixtures/a.env", true},
		{"test/fixtures", "src/test/fixtures/a.env", false},
		{"**/fixtures", "src/test/fixtures/a.env", true},
		{"src/*.js", "src/a.js", true},
		{"src/*.js", "src/lib/a.js", false},
		{"src/**/*.js", "src/lib/deep/a.js", true},
		{"dist/", "dist/app.js", true},
	}
	for _, tt := range tests {
		t.Run(tt.pattern+" "+tt.rel, func(t *testing.T) {
			base := t.TempDir()
			p := filepath.Join(base, filepath.FromSlash(tt.rel))
			require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
			require.NoError(t, os.WriteFile(p, []byte("x"), 0o644))
			files, skips, err := sourceFiles(context.Background(), &Env{BaseDir: base}, []string{"."}, []walk.Exclude{{Pattern: tt.pattern, Reason: "r"}})
			require.NoError(t, err)
			assert.Equal(t, tt.want, len(files) == 0)
			assert.Equal(t, tt.want, len(skips) == 1, "an excluded path is reported")
		})
	}
}

func TestSourceMaskAndRedact(t *testing.T) {
	m := scan.MaskSecret(sourceTestSK)
	assert.Regexp(t, `^sk_live_…\(sha256:[0-9a-f]{8}\)$`, m)
	assert.NotEqual(t, m, scan.MaskSecret(sourceTestSK+"x"), "different keys, different masks")

	s := sourceScan{packs: pack.Builtin()}
	s.addURL("https://user:pw@h.example/p?api_key=K123&page=2&signature=zz).", sourceAt{})
	require.Len(t, s.urls, 1)
	got := s.urls[0].url
	assert.NotContains(t, got, "pw@")
	assert.NotContains(t, got, "K123")
	assert.NotContains(t, got, "=zz")
	assert.Contains(t, got, "page=2")
	assert.Equal(t, "/p", s.urls[0].path)
}

func FuzzSource(f *testing.F) {
	f.Add([]byte("key=" + sourceTestSK + "\nurl=https://api-m.paypal.com/v2\n"))
	f.Add([]byte(sourceTestPEM))
	f.Add([]byte("publicKeyId: 'AHQ7ZZ3OMRCWBCRLZE3HDSMX' LIVE-AHQ7ZZ3OMRCWBCRLZE3HDSMN " + sourceTestAdyen))
	f.Add([]byte("https://www.paypal.com/sdk/js?client-id=x https://x.adyen.com/ https://u:p@h/?token=t"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s := sourceScan{packs: pack.Builtin()}
		s.scanFile("public/x.js", data, false)
		v := s.facts()
		require.True(t, v.Type().Equals(sourceFacts))
		lines := bytes.Count(data, []byte{'\n'}) + 1
		for _, u := range s.urls {
			require.True(t, u.at.line >= 1 && u.at.line <= lines)
		}
		for _, k := range s.credentials {
			masked := k.fact().GetAttr("masked").AsString()
			require.Contains(t, masked, "…(sha256:")
			require.NotContains(t, string(data), masked, "masks are not copied from the input")
			require.True(t, k.at.line >= 1 && k.at.line <= lines)
		}
	})
}

func BenchmarkSource(b *testing.B) {
	root := b.TempDir()
	// 400 source files of ~24 KiB: a mid-size shop.
	line := "const url = 'https://api.shop.example/v1/orders'; // order " + strings.Repeat("x", 40) + "\n"
	body := []byte(strings.Repeat("function f() { return compute(a, b) + other(c); }\n", 400) + strings.Repeat(line, 40))
	var total int64
	for i := range 400 {
		p := filepath.Join(root, fmt.Sprintf("src/m%02d/f%03d.js", i%20, i))
		require.NoError(b, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(b, os.WriteFile(p, body, 0o644))
		total += int64(len(body))
	}
	env := &Env{BaseDir: root}
	b.SetBytes(total)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := probeRunHCL(b, Source{}, env, `dirs = ["src"]`); err != nil {
			b.Fatal(err)
		}
	}
}

// A key file a .gitignore keeps out of the repository is reported as such:
// a runtime file, not a committed key.
func TestSourcePEMGitIgnored(t *testing.T) {
	root := t.TempDir()
	key := "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n-----END RSA PRIVATE KEY-----\n"
	for name, body := range map[string]string{
		".gitignore":           "keys/privateKey.pem\n",
		"keys/privateKey.pem":  key,
		"config/committed.pem": key,
	} {
		p := filepath.Join(root, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	}
	v, err := probeRunHCL(t, Source{}, &Env{BaseDir: root}, `dirs = ["."]`)
	require.NoError(t, err)
	got := map[string]bool{}
	for _, p := range v.GetAttr("pem_keys").AsValueSlice() {
		got[p.GetAttr("file").AsString()] = p.GetAttr("git_ignored").True()
	}
	assert.Equal(t, map[string]bool{"config/committed.pem": false, "keys/privateKey.pem": true}, got)
}

// A React app's src/config.js is built into the browser bundle: a secret
// there is client-side. A package.json of a server (Express, the stripe
// SDK) or of Next.js, where a file may run on either side, says nothing.
func TestSourceBundledForBrowser(t *testing.T) {
	cases := []struct {
		name, pkg, file string
		want            bool
	}{
		{"create-react-app", `{"dependencies":{"react":"^18.3.1","react-scripts":"5.0.1"}}`, "src/config.js", true},
		{"vite vue, nested", `{"devDependencies":{"vite":"^5.0.0"},"dependencies":{"vue":"^3.4.0"}}`, "src/lib/deep/keys.ts", true},
		{"express server", `{"dependencies":{"express":"^4.19.0","react":"^18.3.1"}}`, "src/config.js", false},
		{"node server sdk", `{"dependencies":{"stripe":"^14.0.0"}}`, "src/config.js", false},
		{"next.js", `{"dependencies":{"next":"14.2.0","react":"^18.3.1"}}`, "src/config.js", false},
		{"not a script", `{"dependencies":{"react":"^18.3.1"}}`, "src/config.json", false},
		{"broken package.json", `{"dependencies":`, "src/config.js", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			base := t.TempDir()
			app := filepath.Join(base, "client", "app")
			require.NoError(t, os.MkdirAll(filepath.Join(app, filepath.Dir(tc.file)), 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(app, "package.json"), []byte(tc.pkg), 0o644))
			b := bundleFinder{base: base}
			assert.Equal(t, tc.want, b.bundled(filepath.Join(app, tc.file)))
		})
	}
	t.Run("no package.json up to the integration folder", func(t *testing.T) {
		outer := t.TempDir()
		base := filepath.Join(outer, "integration")
		require.NoError(t, os.WriteFile(filepath.Join(outer, "package.json"), []byte(`{"dependencies":{"react":"1"}}`), 0o644))
		b := bundleFinder{base: base}
		assert.False(t, b.bundled(filepath.Join(base, "src", "config.js")), "a package.json above the integration folder is not read")
	})
}
