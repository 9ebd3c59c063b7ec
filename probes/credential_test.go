package probes

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/audit-tool/audit/pack"
)

func TestCredentialRule(t *testing.T) {
	sp, ok := pack.Builtin().Lookup("stripe")
	require.True(t, ok)
	c := Credential{Pack: sp, Variable: "SHOP_KEY"}
	assert.Equal(t, []string{"STRIPE_SECRET_KEY", "STRIPE_AUDIT_KEY", "SHOP_KEY"}, c.Vars())
	assert.Equal(t, []string{"STRIPE_SECRET_KEY", "STRIPE_AUDIT_KEY"}, Credential{Pack: sp, Variable: "STRIPE_AUDIT_KEY"}.Vars())
	assert.Contains(t, c.Hosts(), "api.stripe.com")

	for _, tc := range []struct {
		url, says string
	}{
		{"https://api.stripe.com", ""},
		{"http://127.0.0.1:12111", ""},
		{"https://[::1]:8443", ""},
		{"http://api.stripe.com", "over https only"},
		{"https://api.stripe.com.audit-hostile.invalid", "neither a Stripe API host"},
		{"https://169.254.169.254", "neither a Stripe API host"},
		{"http://localhost.audit-hostile.invalid", "over https only"},
	} {
		u, err := url.Parse(tc.url)
		require.NoError(t, err)
		err = c.Target("api_base", u)
		if tc.says == "" {
			assert.NoError(t, err, tc.url)
			continue
		}
		require.Error(t, err, tc.url)
		assert.Contains(t, err.Error(), tc.says)
		assert.Contains(t, err.Error(), "nothing was sent")
	}

	for _, tc := range []struct{ value, says string }{
		{"sk_live_" + "51HqLyjWDarjtT1zdp7dcXcHf", ""},
		{"", "empty or unset"},
		{"glcbt-64_AuditCiJobToken", "does not hold a Stripe secret"},
		{"pk_live_51HqLyjWDarjtT1zdp7dcXcHf", "does not hold a Stripe secret"},
		{"sk_live_51HqLyjWDarjtT1zdp7dcXcHf extra", "does not hold a Stripe secret"},
	} {
		t.Setenv("SHOP_KEY", tc.value)
		key, err := c.Read()
		if tc.says == "" {
			assert.NoError(t, err)
			assert.Equal(t, tc.value, key)
			continue
		}
		require.Error(t, err, tc.value)
		assert.Contains(t, err.Error(), tc.says)
		if tc.value != "" {
			assert.NotContains(t, err.Error(), tc.value, "the value is never shown")
		}
	}
	_, err := Credential{Pack: sp}.Read()
	assert.ErrorContains(t, err, "no environment variable named")
}
