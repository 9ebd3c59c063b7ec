package probes

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zclconf/go-cty/cty"
)

func renderSwitches(v cty.Value, provider string) []string {
	var out []string
	for it := v.GetAttr("switches").ElementIterator(); it.Next(); {
		_, s := it.Element()
		if s.GetAttr("provider").AsString() != provider {
			continue
		}
		line, _ := s.GetAttr("line").AsBigFloat().Int64()
		out = append(out, fmt.Sprintf("%s:%d %s %s %s=%s", s.GetAttr("file").AsString(), line,
			s.GetAttr("switch").AsString(), s.GetAttr("mode").AsString(), s.GetAttr("key").AsString(), s.GetAttr("value").AsString()))
	}
	return out
}

// TestSourceCodeSwitches: mode switches as each language writes them, with
// commented-out ones, another widget's `environment` and the SDK's own
// constants under node_modules left out.
func TestSourceCodeSwitches(t *testing.T) {
	v, err := kindRun(t, Source{}, &Env{BaseDir: "testdata/code"}, `dirs = ["src", "static", "config", "."]`)
	require.NoError(t, err)
	for provider, want := range map[string][]string{
		"adyen": {
			"src/PaymentService.java:8 environment test Environment.TEST=TEST", // a positional argument: the pattern
			"src/PaymentService.java:12 environment test config.environment=Environment.TEST",
			"src/adyen.go:6 environment test common.TestEnv=Test",
			"src/adyen_client.py:4 environment test adyen.client.platform=test",
			"static/dropin.js:5 environment test configuration.environment=test",
		},
		"paypal": {
			"src/Checkout.cs:4 environment test Environment.Sandbox=Sandbox",
			"src/paypal_setup.rb:2 mode test mode=sandbox",
		},
		"amazon-pay": {
			"config/amazon_pay.php:5 sandbox_flag test amazonpay_config.sandbox=true",
		},
	} {
		assert.Equal(t, want, renderSwitches(v, provider), provider)
	}
}
