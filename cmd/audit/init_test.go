package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zclconf/go-cty/cty"

	"github.com/audit-tool/audit/outcome"
)

// initFixture copies testdata/init/NAME to a temporary folder, where init
// may write.
func initFixture(t *testing.T, name string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.CopyFS(dst, os.DirFS(filepath.Join("testdata", "init", name))))
	return dst
}

// useBlocks reads the use blocks of an audit.hcl: checklist name to its
// attributes as strings (lists joined with ",").
func useBlocks(t *testing.T, file string) map[string]map[string]string {
	t.Helper()
	src, err := os.ReadFile(file)
	require.NoError(t, err)
	f, diags := hclsyntax.ParseConfig(src, file, hcl.InitialPos)
	require.False(t, diags.HasErrors(), diags.Error())
	out := map[string]map[string]string{}
	for _, b := range f.Body.(*hclsyntax.Body).Blocks {
		if b.Type != "use" {
			continue
		}
		attrs := map[string]string{}
		for name, a := range b.Body.Attributes {
			v, diags := a.Expr.Value(nil)
			require.False(t, diags.HasErrors(), diags.Error())
			attrs[name] = showCty(v)
		}
		out[b.Labels[0]] = attrs
	}
	return out
}

func showCty(v cty.Value) string {
	if v.Type() == cty.String {
		return v.AsString()
	}
	var parts []string
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		parts = append(parts, e.AsString())
	}
	return strings.Join(parts, ",")
}

func TestInitWritesAStartThatValidates(t *testing.T) {
	for _, tc := range []struct {
		fixture string
		uses    map[string]map[string]string
		// merchant: a starting merchant.hcl is written.
		merchant bool
		stderr   []string
	}{
		{
			fixture: "stripe-node",
			uses: map[string]map[string]string{
				// .env.example is a template, .devcontainer/.env tooling,
				// test/ holds tests: none is configuration or source.
				"stripe":  {"source_dirs": "public,server", "checkout_page": "public/checkout.html", "log_dirs": "logs"},
				"pci-dss": {"checkout_page": "public/checkout.html", "log_dirs": "logs"},
			},
			stderr: []string{"stripe: package.json:8 npm package stripe; public/checkout.html:6 script host js.stripe.com",
				"checkout_page: public/checkout.html (script js.stripe.com, named checkout, in public/"},
		},
		{
			fixture: "adyen-java",
			uses: map[string]map[string]string{
				"adyen": {"config_files": "src/main/resources/application.properties", "source_dirs": "src"},
			},
			stderr: []string{"adyen: pom.xml:16 maven package com.adyen:adyen-java-api-library; src/main/resources/application.properties:2 api host checkout-test.adyen.com",
				"pci-dss: no built payment page found"},
		},
		{
			fixture: "amazon-pay-php",
			uses: map[string]map[string]string{
				"amazon-pay": {"config_files": ".env.production", "source_dirs": "dist,src", "checkout_page": "dist/checkout.html"},
				"pci-dss":    {"checkout_page": "dist/checkout.html"},
			},
			merchant: true,
			stderr:   []string{"amazon-pay: .env.production:1 AMAZON_PAY_ENV (test); composer.json:5 composer package amzn/amazon-pay-api-sdk-php"},
		},
		{
			fixture: "braintree-ruby",
			uses: map[string]map[string]string{
				"braintree": {"source_dirs": "app,public", "checkout_page": "public/new.html"},
				"pci-dss":   {"checkout_page": "public/new.html"},
			},
			stderr: []string{"braintree: public/new.html:3 script host js.braintreegateway.com"},
		},
		{
			fixture: "paypal-python",
			uses:    map[string]map[string]string{"paypal": {"source_dirs": "."}},
			stderr:  []string{"paypal: pyproject.toml:4 pypi package paypal-server-sdk"},
		},
		{
			fixture: "dotnet-shop",
			uses:    map[string]map[string]string{"stripe": {"source_dirs": "."}},
			stderr:  []string{"stripe: Shop.csproj:3 nuget package Stripe.net; go.mod:5 go package github.com/stripe/stripe-go"},
		},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			dir := initFixture(t, tc.fixture)
			code, out, stderr := audit(t, "init", dir)
			require.Equal(t, outcome.ExitGo, code, stderr)
			assert.Empty(t, out, "init writes files, and tells stderr")
			for _, want := range tc.stderr {
				assert.Contains(t, stderr, want)
			}
			assert.Equal(t, tc.uses, useBlocks(t, filepath.Join(dir, "audit.hcl")))
			_, err := os.Stat(filepath.Join(dir, "merchant.hcl"))
			assert.Equal(t, tc.merchant, err == nil, "merchant.hcl written")

			code, out, stderr = audit(t, "validate", dir)
			assert.Equal(t, outcome.ExitGo, code, stderr)
			assert.Contains(t, out, "valid (")
		})
	}
}

// TestInitStartIsNeverGo: a run of what init wrote is judged like any
// other, and placeholders never pass (the merchant profile's steps fail).
func TestInitStartIsNeverGo(t *testing.T) {
	dir := initFixture(t, "amazon-pay-php")
	code, _, stderr := audit(t, "init", dir)
	require.Equal(t, outcome.ExitGo, code, stderr)
	code, out, stderr := audit(t, "run", dir, "--offline", "--engine", "static", "--format", "json", "--now", "2026-11-23")
	require.Equal(t, outcome.ExitNoGo, code, stderr)
	for _, want := range []string{`"id": "amazon-pay.payout_bank_account"`, `"id": "amazon-pay.production_endpoints"`} {
		assert.Contains(t, out, want)
	}
	assert.Contains(t, out, `"verdict": "NO-GO"`)
}

func TestInitRefusals(t *testing.T) {
	dir := initFixture(t, "stripe-node")
	mine := []byte("use \"stripe\" {\n  source_dirs = [\"server\"]\n}\n")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "audit.hcl"), mine, 0o644))
	notADir := filepath.Join(dir, "package.json")

	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"an existing audit.hcl", []string{"init", dir}, "audit.hcl exists: give --force to overwrite it"},
		{"a file", []string{"init", notADir}, "is not a folder"},
		{"a missing folder", []string{"init", filepath.Join(dir, "nope")}, "no such file or directory"},
		{"nothing to pay with", []string{"init", initFixture(t, "nothing")}, "no payment provider (SDK, host, key or setting the packs know) and no payment page found in 2 file(s); nothing written"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := audit(t, tc.args...)
			assert.Equal(t, outcome.ExitUsage, code)
			assert.Contains(t, stderr, tc.want)
		})
	}
	got, err := os.ReadFile(filepath.Join(dir, "audit.hcl"))
	require.NoError(t, err)
	assert.Equal(t, mine, got, "kept without --force")

	code, _, stderr := audit(t, "init", dir, "--force")
	require.Equal(t, outcome.ExitGo, code, stderr)
	assert.Contains(t, useBlocks(t, filepath.Join(dir, "audit.hcl")), "pci-dss", "rewritten with --force")
}

// TestInitFindsWhatTheExamplesDeclare: on each bundled provider example,
// its audit.hcl removed, init finds the configuration files and the
// checkout page its authors wrote, and no other provider.
func TestInitFindsWhatTheExamplesDeclare(t *testing.T) {
	for _, name := range []string{"stripe-shop", "amazon-pay-shop", "adyen-shop", "paypal-shop", "braintree-shop"} {
		t.Run(name, func(t *testing.T) {
			src := filepath.Join("..", "..", "examples", name)
			want := useBlocks(t, filepath.Join(src, "audit.hcl"))
			dir := filepath.Join(t.TempDir(), name)
			require.NoError(t, os.CopyFS(dir, os.DirFS(src)))
			require.NoError(t, os.Remove(filepath.Join(dir, "audit.hcl")))
			code, _, stderr := audit(t, "init", dir)
			require.Equal(t, outcome.ExitGo, code, stderr)
			got := useBlocks(t, filepath.Join(dir, "audit.hcl"))
			// The provider examples leave PCI DSS out; init adds it for the page.
			for checklist := range got {
				if checklist != "pci-dss" {
					assert.Contains(t, want, checklist, "no other provider")
				}
			}
			for checklist, attrs := range want {
				require.Contains(t, got, checklist)
				for _, attr := range []string{"config_files", "checkout_page"} {
					if v, ok := attrs[attr]; ok {
						assert.Equal(t, v, got[checklist][attr], "%s.%s", checklist, attr)
					}
				}
			}
		})
	}
}
