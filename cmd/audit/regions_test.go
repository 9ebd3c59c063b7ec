package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/audit-tool/audit/outcome"
	"github.com/audit-tool/audit/reports"
)

// TestReadyMerchantOfEachRegionIsGo: a launch-ready shop of each Amazon Pay
// region (eu, na, jp) with that country's payout account and tax id. The
// eu shop's checkout page is a built file (TLS and headers unchecked), hence
// --allow-unchecked.
func TestReadyMerchantOfEachRegionIsGo(t *testing.T) {
	for region, dir := range map[string]string{
		"eu": "../../examples/amazon-pay-shop-ready",
		"na": "../../examples/amazon-pay-shop-us",
		"jp": "../../examples/amazon-pay-shop-jp",
	} {
		t.Run(region, func(t *testing.T) {
			code, steps := runJSON(t, "run", dir, "--offline", "--allow-unchecked")
			assert.Equal(t, outcome.ExitGo, code)
			assertStatuses(t, steps, map[string]reports.Status{
				"amazon-pay.payout_bank_account":     reports.Pass,
				"amazon-pay.tax_id_verified":         reports.Pass,
				"amazon-pay.currency_matches_region": reports.Pass,
				"amazon-pay.button_production_mode":  reports.Pass,
				"amazon-pay.live_keys":               reports.Pass,
			})
		})
	}
}

// regionVariant copies an example and rewrites one of its files.
func regionVariant(t *testing.T, example, file, old, new string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "shop")
	require.NoError(t, os.CopyFS(dir, os.DirFS(example)))
	p := filepath.Join(dir, file)
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	require.Contains(t, string(b), old)
	require.NoError(t, os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o644))
	return dir
}

func TestRegionalDefects(t *testing.T) {
	const (
		eu = "../../examples/amazon-pay-shop-ready"
		us = "../../examples/amazon-pay-shop-us"
		jp = "../../examples/amazon-pay-shop-jp"
	)
	tests := []struct {
		name, example, file, old, new string
		step                          string
		status                        reports.Status
		message                       string
	}{
		{"us shop with an iban", us, "merchant.hcl", `routing_number = "053112505"`, `iban = "FR14 2004 1010 0505 0001 3M02 606"`,
			"amazon-pay.payout_bank_account", reports.Fail, "paid into a US account (routing_number and account_number), and this is an IBAN account"},
		{"aba checksum", us, "merchant.hcl", `"053112505"`, `"053112506"`,
			"amazon-pay.payout_bank_account", reports.Fail, "ABA routing number is not valid"},
		{"ein prefix", us, "merchant.hcl", `"84-2790516"`, `"07-2790516"`,
			"amazon-pay.tax_id_verified", reports.Fail, "not a valid EIN"},
		{"us shop with a vat number", us, "merchant.hcl", `"84-2790516"`, `"FR40303265045"`,
			"amazon-pay.tax_id_verified", reports.Fail, "not a valid EIN"},
		{"jp corporate check digit", jp, "merchant.hcl", `"T1180301018771"`, `"T2180301018771"`,
			"amazon-pay.tax_id_verified", reports.Fail, "not a valid qualified invoice number"},
		{"jp corporate number", jp, "merchant.hcl", `"T1180301018771"`, `"1180301018771"`,
			"amazon-pay.tax_id_verified", reports.Pass, "corporate number 1180301018771"},
		{"jp branch code", jp, "merchant.hcl", `branch_code    = "001"`, `branch_code    = "01"`,
			"amazon-pay.payout_bank_account", reports.Fail, "branch code"},
		{"eu multi-currency", eu, ".env.production", "AMAZON_PAY_SANDBOX=false", "AMAZON_PAY_SANDBOX=false\nPRESENTMENT_CURRENCY=CHF",
			"amazon-pay.currency_matches_region", reports.Pass, "presentment CHF"},
		{"eu presentment not supported", eu, ".env.production", "AMAZON_PAY_SANDBOX=false", "AMAZON_PAY_SANDBOX=false\nPRESENTMENT_CURRENCY=PLN",
			"amazon-pay.currency_matches_region", reports.Fail, "not one multi-currency checkout supports"},
		{"na has no multi-currency", us, ".env.production", "AMAZON_PAY_SANDBOX=false", "AMAZON_PAY_SANDBOX=false\nPRESENTMENT_CURRENCY=CHF",
			"amazon-pay.currency_matches_region", reports.Fail, "EU and UK accounts only"},
		{"jp ledger in usd", jp, "config/amazon_pay.php", "'ledger_currency' => 'JPY'", "'ledger_currency' => 'USD'",
			"amazon-pay.currency_matches_region", reports.Fail, "not a ledger currency of region jp"},
		{"jp sandbox in php config", jp, "config/amazon_pay.php", "'sandbox'         => false, // true while testing", "'sandbox' => true, // false at launch",
			"amazon-pay.production_endpoints", reports.Fail, "sandbox = true at config/amazon_pay.php:12"},
		{"jp sandbox commented out", jp, "config/amazon_pay.php", "'sandbox'         => false, // true while testing", "'sandbox' => false, // 'sandbox' => true,",
			"amazon-pay.production_endpoints", reports.Pass, ""},
		{"signature failures in the logs", eu, "logs/app.log", "2026-11-20T10:01:03Z INFO amazon pay checkout session created id=c1a2b3",
			"2026-11-20T10:01:03Z ERROR amazon pay {\"reasonCode\":\"InvalidRequestSignature\"}",
			"amazon-pay.provider_errors", reports.Fail, "1 Amazon Pay error(s) in logs: InvalidRequestSignature (signature) ×1 from 2026-11-20T10:01:03Z to 2026-11-20T10:01:03Z, first at logs/app.log:2"},
		{"jp button in english", jp, "dist/checkout.html", "checkoutLanguage: 'ja_JP'", "checkoutLanguage: 'en_GB'",
			"amazon-pay.button_production_mode", reports.Fail, "Checkout language en_GB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := regionVariant(t, tt.example, tt.file, tt.old, tt.new)
			_, steps := runJSON(t, "run", dir, "--offline")
			require.Contains(t, steps, tt.step)
			assert.Equal(t, tt.status, steps[tt.step].Status, steps[tt.step].Message)
			assert.Contains(t, steps[tt.step].Message, tt.message)
		})
	}
}
