package probes

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zclconf/go-cty/cty"
)

func merchantEnv() *Env { return &Env{BaseDir: "testdata/merchant"} }

func TestMerchantGolden(t *testing.T) {
	for _, name := range []string{"cafe-etoile", "minimal", "us-shop", "jp-shop"} {
		t.Run(name, func(t *testing.T) {
			v, err := kindRun(t, Merchant{}, merchantEnv(), `file = "`+name+`.hcl"`)
			require.NoError(t, err)
			probeGolden(t, "merchant/"+name+".golden.json", probeFactsJSON(t, v))
		})
	}
}

func TestMerchantFacts(t *testing.T) {
	v, err := kindRun(t, Merchant{}, merchantEnv(), `file = "cafe-etoile.hcl"`)
	require.NoError(t, err)
	assert.Equal(t, "cafe-etoile.hcl", v.GetAttr("file").AsString())
	assert.Equal(t, "Café Étoile SARL", v.GetAttr("legal_name").AsString())
	assert.True(t, v.GetAttr("payout_account").GetAttr("present").True())
	assert.Equal(t, 2, v.GetAttr("seller_central_users").LengthInt())

	loc := func(key string) int64 {
		l, ok := v.GetAttr("locations").AsValueMap()[key]
		require.True(t, ok, "no location %q", key)
		assert.Equal(t, "cafe-etoile.hcl", l.GetAttr("file").AsString())
		line, _ := l.GetAttr("line").AsBigFloat().Int64()
		return line
	}
	for key, line := range map[string]int64{
		"merchant": 2, "legal_name": 3, "tax_id": 5, "payout_account": 8, "payout_account.iban": 9,
		"card_on_file.expires": 16, "logo": 18, "support.phone": 21, "seller_central_user": 24,
		"seller_central_user.1": 28, "seller_central_user.1.roles": 30,
		"service_provider.amazon-pay": 32, "service_provider.amazon-pay.aoc_date": 32,
		"service_provider.ovhcloud": 33,
	} {
		assert.Equal(t, line, loc(key), key)
	}

	// Absent blocks are facts, not nulls.
	m, err := kindRun(t, Merchant{}, merchantEnv(), `file = "minimal.hcl"`)
	require.NoError(t, err)
	assert.True(t, m.IsWhollyKnown())
	for _, block := range []string{"payout_account", "card_on_file", "support"} {
		assert.False(t, m.GetAttr(block).GetAttr("present").True(), block)
	}
	assert.Equal(t, "", m.GetAttr("card_on_file").GetAttr("expires").AsString())
	assert.Equal(t, 0, m.GetAttr("seller_central_users").LengthInt())
}

func TestMerchantInvalid(t *testing.T) {
	tests := []struct {
		file    string
		summary string
		line    int // of the diagnostic's subject
	}{
		{"unknown_attribute", "Unsupported argument", 4},
		{"unknown_block", "Unsupported block type", 4},
		{"wrong_type", "Unsuitable value type", 4},
		{"missing_legal_name", "Missing required argument", 1},
		{"missing_merchant", "Unsupported argument", 1},
		{"syntax_error", "Unclosed configuration block", 1},
		{"bad_country", "Invalid country", 3},
		{"bad_expires", "Invalid expiry date", 7},
		{"pan_in_last4", "Invalid last4", 5},
		{"duplicate_provider", "Duplicate service_provider block", 5},
		{"expressions", "Variables not allowed", 2}, // and "Function calls not allowed" on line 3
		{"duplicate_support", "Duplicate support block", 7},
		{"user_without_email", "Missing required argument", 4},
	}
	var rendered bytes.Buffer
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata/merchant/invalid", tt.file+".hcl")
			diags := Merchant{}.Validate(merchantEnv(), cty.ObjectVal(map[string]cty.Value{
				"file": cty.StringVal(filepath.Join("invalid", tt.file+".hcl")),
			}))
			require.True(t, diags.HasErrors())
			d := diags[0]
			assert.Equal(t, tt.summary, d.Summary)
			if d.Subject == nil { // the value must not be shown: position in the text
				assert.Contains(t, d.Detail, fmt.Sprintf("%s:%d:", path, tt.line))
			} else {
				assert.Equal(t, path, d.Subject.Filename)
				assert.Equal(t, tt.line, d.Subject.Start.Line)
			}

			_, err := kindRun(t, Merchant{}, merchantEnv(), `file = "invalid/`+tt.file+`.hcl"`)
			require.ErrorContains(t, err, path+":")

			src, err := os.ReadFile(path)
			require.NoError(t, err)
			w := hcl.NewDiagnosticTextWriter(&rendered, map[string]*hcl.File{path: {Bytes: src}}, 100, false)
			require.NoError(t, w.WriteDiagnostics(diags))
		})
	}
	// How `audit validate` shows them, source snippets included.
	probeGolden(t, "merchant/invalid.golden.txt", rendered.Bytes())
	assert.NotContains(t, rendered.String(), "4111111111111111")
}

func TestMerchantValidate(t *testing.T) {
	ok := Merchant{}.Validate(merchantEnv(), cty.ObjectVal(map[string]cty.Value{"file": cty.StringVal("cafe-etoile.hcl")}))
	assert.Empty(t, ok)

	unknown := Merchant{}.Validate(merchantEnv(), cty.ObjectVal(map[string]cty.Value{"file": cty.UnknownVal(cty.String)}))
	assert.Empty(t, unknown, "validated before variables are known: nothing to say yet")

	missing := Merchant{}.Validate(merchantEnv(), cty.ObjectVal(map[string]cty.Value{"file": cty.StringVal("nope.hcl")}))
	require.True(t, missing.HasErrors())
	assert.Equal(t, "Unreadable merchant profile", missing[0].Summary)
	assert.Contains(t, missing[0].Detail, "nope.hcl")
}

func TestMerchantRegistered(t *testing.T) {
	for _, name := range []string{"merchant", "image"} {
		_, ok := Default().Lookup(name)
		assert.True(t, ok, name)
	}
}

func FuzzMerchant(f *testing.F) {
	for _, name := range []string{"cafe-etoile.hcl", "minimal.hcl", "invalid/duplicate_provider.hcl", "invalid/syntax_error.hcl"} {
		src, err := os.ReadFile(filepath.Join("testdata/merchant", name))
		require.NoError(f, err)
		f.Add(src)
	}
	// Hostile shapes: deep nesting, NUL and control characters, huge
	// numbers, glued card numbers and keys, expressions where data goes.
	for _, seed := range []string{
		"merchant {\n legal_name = " + strings.Repeat("(", 300) + "1" + strings.Repeat(")", 300) + "\n}\n",
		"merchant {\n legal_name = \"a\x00b\x1b[2J\"\n country = \"FR\"\n}\n",
		"merchant {\n legal_name = \"x\"\n tax_id = 1e999999\n}\n",
		"merchant {\n legal_name = \"cc%3D4539148803436467\"\n logo = \"../../../../proc/self/environ\"\n}\n",
		"merchant {\n legal_name = file(\"/etc/passwd\")\n}\n",
		"merchant {\n legal_name = \"${upper(\"sk_live_51HqLyjWDarjtT1zdp7dcXcHf\")}\"\n}\n",
		"merchant {}\nmerchant {}\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		m, locs, diags := parseMerchant(src, "fuzz.hcl")
		if diags.HasErrors() {
			return
		}
		v := merchantVal("fuzz.hcl", m, locs)
		if !v.Type().Equals(merchantFacts) || !v.IsWhollyKnown() {
			t.Fatalf("facts %s do not conform", v.GoString())
		}
		if _, ok := locs["merchant"]; !ok {
			t.Fatalf("no merchant location in %v", locs)
		}
	})
}

func TestMerchantHugeNumberIsADiagnostic(t *testing.T) {
	for _, n := range []string{"1e999999", "1e-999999", "1" + strings.Repeat("0", 5000)} {
		_, _, diags := parseMerchant([]byte("merchant {\n legal_name = \"x\"\n country = \"FR\"\n tax_id = "+n+"\n}\n"), "m.hcl")
		require.True(t, diags.HasErrors(), n)
		assert.Equal(t, "Number too large", diags[0].Summary)
		assert.Equal(t, 4, diags[0].Subject.Start.Line)
	}
	_, _, diags := parseMerchant([]byte("merchant {\n legal_name = \"x\"\n country = \"FR\"\n tax_id = 12345678901234567890\n}\n"), "m.hcl")
	for _, d := range diags {
		assert.NotEqual(t, "Number too large", d.Summary)
	}
}
