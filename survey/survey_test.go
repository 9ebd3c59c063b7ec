package survey

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/audit-tool/audit/pack"
)

func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	}
	return dir
}

func providers(s *Survey) []string {
	var names []string
	for _, p := range s.Providers {
		names = append(names, p.Name)
	}
	return names
}

func TestDir(t *testing.T) {
	page := `<html><head><script src="https://js.stripe.com/v3/"></script></head><body>Pay</body></html>`
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  Survey
	}{
		{
			name: "a manifest names the SDK; its folder holds packages",
			files: map[string]string{
				"server/package.json": `{"dependencies": {"stripe": "^16.0.0", "express": "^4"}}`,
				"server/index.js":     "require('stripe')",
			},
			want: Survey{Providers: []Provider{{Name: "stripe"}}, SourceDirs: []string{"server"}, PackageDirs: []string{"server"}},
		},
		{
			name: "a Braintree server SDK in a lockfile-less manifest (PHP)",
			files: map[string]string{
				"composer.json": `{"require": {"braintree/braintree_php": "^6.18", "php": ">=8.1"}}`,
				"src/Pay.php":   "<?php $gateway = new Braintree\\Gateway([]);",
			},
			want: Survey{Providers: []Provider{{Name: "braintree"}}, SourceDirs: []string{"src"}, PackageDirs: []string{"."}},
		},
		{
			name: "templates, tooling and tests are not the integration",
			files: map[string]string{
				".env.example":              "STRIPE_SECRET_KEY=",
				".env.sample":               "X=1",
				".env":                      "APP_ENV=production",
				".devcontainer/.env":        "STRIPE_SECRET_KEY=",
				".github/workflows/ci.json": `{"url": "https://api.stripe.com/v1"}`,
				"test/app.test.js":          "test()",
				"spec/pay_spec.rb":          "describe",
			},
			want: Survey{ConfigFiles: []string{".env"}, Templates: []string{".env.example", ".env.sample"}},
		},
		{
			name: "a page with a provider's script beats a page named checkout",
			files: map[string]string{
				"public/checkout.html": "<html><body>Your cart, your order</body></html>",
				"dist/pay.html":        page,
				"about.html":           "<html><body>About</body></html>",
			},
			want: Survey{Providers: []Provider{{Name: "stripe"}}, SourceDirs: []string{".", "dist", "public"},
				Pages: []Page{{File: "dist/pay.html"}, {File: "public/checkout.html"}}},
		},
		{
			name: "configuration counts when it names a provider, its host or key; documentation links and reports do not",
			files: map[string]string{
				"config/payments.yaml": "adyen:\n  url: https://checkout-test.adyen.com/v71\n",
				"config/app.yaml":      "name: shop\n",
				"config/shop.yml":      "payment_methods: [paypal, card]\n",
				"settings.json":        `{"stripe": {"currency": "eur"}}`,
				"reports/audit.json":   `{"steps": [{"id": "stripe.live_keys"}]}`,
				"docs.json":            `{"see": "https://docs.stripe.com/keys"}`,
				"logs/app.log":         "started\n",
				"logs/old/app.log.1":   "started\n",
			},
			want: Survey{Providers: []Provider{{Name: "adyen"}}, ConfigFiles: []string{"config/payments.yaml", "config/shop.yml", "settings.json"},
				LogDirs: []string{"logs", "logs/old"}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Dir(context.Background(), tree(t, tc.files), pack.Builtin(), 0)
			require.NoError(t, err)
			assert.Equal(t, providers(&tc.want), providers(s))
			assert.Equal(t, tc.want.ConfigFiles, orNil(s.ConfigFiles), "config")
			assert.Equal(t, tc.want.Templates, orNil(s.Templates), "templates")
			assert.Equal(t, tc.want.SourceDirs, orNil(s.SourceDirs), "sources")
			assert.Equal(t, tc.want.PackageDirs, orNil(s.PackageDirs), "packages")
			assert.Equal(t, tc.want.LogDirs, orNil(s.LogDirs), "logs")
			var pages []string
			for _, p := range s.Pages {
				pages = append(pages, p.File)
			}
			var want []string
			for _, p := range tc.want.Pages {
				want = append(want, p.File)
			}
			assert.Equal(t, want, pages, "pages, best first")
		})
	}
}

func orNil(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

func TestDirIsBounded(t *testing.T) {
	dir := tree(t, map[string]string{"a.js": "", "b.js": "", "c/d.js": "", "c/e.js": "", "f.js": ""})
	s, err := Dir(context.Background(), dir, pack.Builtin(), 3)
	require.NoError(t, err)
	assert.True(t, s.Truncated)
	assert.Equal(t, 3, s.Files)
	s, err = Dir(context.Background(), dir, pack.Builtin(), 0)
	require.NoError(t, err)
	assert.False(t, s.Truncated)
	assert.Equal(t, 5, s.Files)
}
