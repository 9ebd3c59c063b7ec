package funcs

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zclconf/go-cty/cty"
)

// pssPayload and pssSignature were made outside Go, as Amazon Pay's SDKs
// sign a button payload: openssl dgst -sha256 -sigopt rsa_padding_mode:pss
// -sigopt rsa_pss_saltlen:20 over "AMZN-PAY-RSASSA-PSS\n" + hex(sha256(payload)).
const (
	pssPayload   = `{"webCheckoutDetails":{"checkoutReviewReturnUrl":"https://shop.example/review"},"storeId":"amzn1.application-oa2-client.x"}`
	pssSignature = "AAhi+IUddY/XqJOZd53nQHXYR2MlPV9IanpCACf6kyvIjocvkwNYKb7GOZCC9szTJsRnEMu/apjgmENIBI/rUzhC5GG95QzuMuz6mCb5zRZQBsKfSVX9oSoVjCmbrWwtFNZHbrkPjw9FHT4nF/ndQARbG14Fjl1jaINqdTcbV9Nr0r0TwLoXvMbNkocHd3Y01PEg51srQPuftD+MwGWy24dlc1BfJ5p1z0jX4KWJJE/fjX/VE+UmxsiuHKDI2q9FozlKiz2XClDPUUGgGwzJt66a6aGJ/hXWCJG4rf6lZPscJ7VbNikd7yMKx0M8OfcyoOQi+j0qj5F3UYUU7CvvUA=="
)

func pssStringToSign(payload string) string {
	h := sha256.Sum256([]byte(payload))
	return "AMZN-PAY-RSASSA-PSS\n" + hex.EncodeToString(h[:])
}

func TestPSSVerify(t *testing.T) {
	tests := []struct {
		key, message, signature string
		want                    bool
	}{
		{"private.pem", pssStringToSign(pssPayload), pssSignature, true},
		{"public.pem", pssStringToSign(pssPayload), pssSignature, true},
		{"other.pem", pssStringToSign(pssPayload), pssSignature, false},                                     // signed with another key
		{"private.pem", pssStringToSign(pssPayload + " "), pssSignature, false},                             // payload changed
		{"private.pem", "AMZN-PAY-RSASSA-PSS-V2\n" + pssStringToSign(pssPayload)[20:], pssSignature, false}, // other algorithm label
		{"private.pem", pssStringToSign(pssPayload), "not base64!", false},
	}
	for _, tt := range tests {
		data, err := os.ReadFile("testdata/pss/" + tt.key)
		require.NoError(t, err)
		key, err := RSAPublicKey(data)
		require.NoError(t, err)
		assert.Equal(t, tt.want, PSSVerify(key, tt.message, tt.signature), "%s %q", tt.key, tt.message)
	}
}

func TestSHA256Func(t *testing.T) {
	got, err := sha256Func.Call([]cty.Value{cty.StringVal(pssPayload)})
	require.NoError(t, err)
	assert.Equal(t, pssStringToSign(pssPayload)[len("AMZN-PAY-RSASSA-PSS\n"):], got.AsString())
}

func TestPSSVerifyFunc(t *testing.T) {
	f := pssVerifyFunc("testdata/pss", nil)
	got, err := f.Call([]cty.Value{cty.StringVal("private.pem"), cty.StringVal(pssStringToSign(pssPayload)), cty.StringVal(pssSignature)})
	require.NoError(t, err)
	assert.True(t, got.True())
	_, err = f.Call([]cty.Value{cty.StringVal("missing.pem"), cty.StringVal("x"), cty.StringVal("eA==")})
	assert.Error(t, err, "an unreadable key file is an error, never false or true")
	_, err = f.Call([]cty.Value{cty.StringVal("../../pss_test.go"), cty.StringVal("x"), cty.StringVal("eA==")})
	assert.ErrorContains(t, err, "no RSA key")
}

func FuzzRSAPublicKey(f *testing.F) {
	for _, n := range []string{"private.pem", "public.pem"} {
		data, err := os.ReadFile("testdata/pss/" + n)
		require.NoError(f, err)
		f.Add(data)
	}
	f.Add([]byte("-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		key, err := RSAPublicKey(data)
		if err == nil {
			require.NotNil(t, key)
			PSSVerify(key, "m", "c2ln") // must not panic
		}
	})
}
