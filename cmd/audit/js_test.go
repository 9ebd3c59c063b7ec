package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/audit-tool/audit/reports"
)

// TestButtonSandboxFromCode runs the amazon-pay button step over pages
// whose sandbox option only the code decides: folded constants decide it,
// a run-time value makes the step an error, never a pass.
func TestButtonSandboxFromCode(t *testing.T) {
	cases := []struct {
		name, script string
		want         reports.Status
		message      string
	}{
		{"minified !0", `amazon.Pay.renderButton("#b",{merchantId:"A1",sandbox:!0})`, reports.Fail, "sandbox: true"},
		{"Boolean(0)", `amazon.Pay.renderButton("#b",{merchantId:"A1",sandbox:Boolean(0)})`, reports.Pass, ""},
		{"options in a variable", "var o = {merchantId: 'A1', sandbox: false};\namazon.Pay.renderButton('#b', o);", reports.Pass, ""},
		{"window.X", `amazon.Pay.renderButton("#b",{merchantId:"A1",sandbox:window.APAY_SANDBOX})`, reports.Error, "cannot be decided from the code"},
		{"spread", `amazon.Pay.renderButton("#b",{merchantId:"A1",...window.cfg})`, reports.Error, "cannot be decided from the code"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			page := "<html><body>\n<script src=\"https://static-eu.payments-amazon.com/checkout.js\"></script>\n<script>\n" + tc.script + "\n</script></body></html>\n"
			require.NoError(t, os.WriteFile(filepath.Join(dir, "checkout.html"), []byte(page), 0o644))
			merchant, err := filepath.Abs("../../examples/amazon-pay-shop-ready/merchant.hcl")
			require.NoError(t, err)
			_, steps := runJSON(t, "run", "--checklist", "amazon-pay", "--var", "checkout_page="+filepath.Join(dir, "checkout.html"),
				"--var", "merchant_file="+merchant,
				"--only", "amazon-pay.button_production_mode", "--offline")
			s := steps["amazon-pay.button_production_mode"]
			assert.Equal(t, tc.want, s.Status, s.Message)
			assert.Contains(t, s.Message, tc.message)
		})
	}
}
