package scan

import (
	"archive/zip"
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/audit-tool/audit/pack"
	"github.com/audit-tool/audit/walk"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite golden files")

// detectAll returns the findings of s as "type label masked@start-end".
func detectAll(s string) []string {
	d := detector{sw: builtinSweep()}
	var out []string
	d.scan([]byte(s), cursor{}, len(s), func(h hit) {
		label := h.brand + h.kind
		if h.test {
			label += "(test)"
		}
		if !h.live {
			label += "(notlive)"
		}
		out = append(out, h.typ+" "+label+" "+h.masked+" "+s[h.start:h.end])
	})
	return out
}

func TestDetectCards(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string // "brand masked", in order
	}{
		{"visa plain", "card=4539578763621486;", []string{"visa 453957******1486"}},
		{"visa spaces", "x 4539 5787 6362 1486 y", []string{"visa 453957******1486"}},
		{"visa dashes", "x 4539-5787-6362-1486.", []string{"visa 453957******1486"}},
		{"visa 13", "(4222222222222)", []string{"visa(test)(notlive) 422222***2222"}},
		{"visa 19 grouped", "4111 1111 1111 1111 003", []string{"visa 411111*********1003"}},
		{"mastercard 2-series", "2223000048400011", []string{"mastercard(test)(notlive) 222300******0011"}},
		{"mastercard", "5425233430109903", []string{"mastercard(test)(notlive) 542523******9903"}},
		{"amex 4-6-5", "3782 822463 10005", []string{"amex(test)(notlive) 378282*****0005"}},
		{"amex dashes", "3714-496353-98431", []string{"amex(test)(notlive) 371449*****8431"}},
		{"discover", "6011000990139424", []string{"discover(test)(notlive) 601100******9424"}},
		{"diners 4-6-4", "3056 930902 5904", []string{"diners(test)(notlive) 305693****5904"}},
		{"jcb", "3530111333300000", []string{"jcb(test)(notlive) 353011******0000"}},
		{"unionpay", "6212345678901265", []string{"unionpay(test)(notlive) 621234******1265"}},
		{"12 digits are no card", "500000000009 ", nil},
		{"maestro 13 outside its ranges", "5000000000005 ", nil},
		{"maestro 13", "5018000000007 ", []string{"maestro 501800***0007"}},
		{"maestro 18 outside its ranges", "505874919020699650", nil},
		{"column of numbers", "2504730781961\n4052739537881\n6557470319842\n", nil},
		{"column of cards", "4539578763621486\n5425233430109903\n", []string{"visa 453957******1486", "mastercard(test)(notlive) 542523******9903"}},
		{"int64 constants", "\t\t4234737173186232084, 5027558287275472836,", nil},
		{"mir", "2200 0000 0000 0004", []string{"mir 220000******0004"}},
		{"rupay", "6521 0000 0000 0007", []string{"discover 652100******0007"}},
		{"rupay 60", "6070 0000 0000 0002", []string{"rupay 607000******0002"}},
		{"rupay 81", "8100000000000002", []string{"rupay 810000******0002"}},
		{"troy", "9792000000000003", []string{"troy 979200******0003"}},
		{"uatp", "110000000000007", []string{"uatp 110000*****0007"}},
		{"dots", "card 4539.5787.6362.1486.", []string{"visa 453957******1486"}},
		{"url-encoded space", "pan=4539%205787%206362%201486&x", []string{"visa 453957******1486"}},
		{"url-encoded plus", "pan=4539+5787+6362+1486&x", []string{"visa 453957******1486"}},
		{"url-encoded dash", "pan=4539%2D5787%2D6362%2D1486&x", []string{"visa 453957******1486"}},
		{"nbsp utf-8", "4539\u00a05787\u00a06362\u00a01486", []string{"visa 453957******1486"}},
		{"nbsp latin-1", "4539\xa05787\xa06362\xa01486", []string{"visa 453957******1486"}},
		{"nbsp entity", "<td>4539&nbsp;5787&nbsp;6362&nbsp;1486</td>", []string{"visa 453957******1486"}},
		{"nbsp numeric entity", "4539&#160;5787&#160;6362&#160;1486", []string{"visa 453957******1486"}},
		{"track 1", "%B4539578763621486^DOE/JANE^2812101000000000000000?", []string{"visa 453957******1486"}},
		{"track 2", ";4539578763621486=28121010000000000000?", []string{"visa 453957******1486"}},
		{"fixed-width record", "00017SMITHJOHN4539578763621486USD0001250", []string{"visa 453957******1486"}},
		{"decimal fraction", "0.4539578763621486", nil},
		{"decimal integer part", "4539578763621486.0", nil},
		{"negative", "x = -4539578763621486,", nil},
		{"hex", "0x4539578763621486", nil},
		{"hex upper", "0X4539578763621486", nil},
		{"hash", "e3b0c4539578763621486f", nil},
		{"five groups", "4539 5787 6362 1486 1234", nil},
		{"list of constants", "{84926274344903, 4539578763621486, 1028470286882429}", nil},
		{"list of cards", "4539578763621486, 5425233430109903", []string{"visa 453957******1486", "mastercard(test)(notlive) 542523******9903"}},
		{"version", "v1.4539578763621486", nil},
		{"masks glued", "XXXXX4539 5787 6362 1486", nil},
		{"cvv after grouped number", "4539 5787 6362 1486 100", []string{"visa 453957******1486"}},
		{"underscore is a boundary", "pan_4539578763621486_x", []string{"visa 453957******1486"}},
		{"two on a line", "4539578763621486,5425233430109903", []string{"visa 453957******1486", "mastercard(test)(notlive) 542523******9903"}},
		{"luhn fails", "4539578763621487", nil},
		{"too long", "45395787636214861", nil},
		{"twenty digits", "45395787636214860000", nil},
		{"glued left", "ref4539578763621486", nil},
		{"glued right", "4539578763621486x", nil},
		{"already masked", "453957******1486", nil},
		{"no brand", "9999999999999995", nil},
		{"wrong length for brand", "453957876362148", nil},
		{"double space", "4539  5787  6362  1486", nil},
		{"mixed separators", "4539-5787 6362-1486", nil},
		{"inside a longer chain", "6209-4539-5787-6362-1486", nil},
		{"short reading of a chain", "6759-6420-1692-5840", nil},
		{"date and phone", "2026-11-20 +33 1 42 68 53 00", nil},
		{"digits in a secret", "sk_live_4539578763621486abcdefghij", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, f := range detectAll(tt.in) {
				if strings.HasPrefix(f, "pan ") {
					parts := strings.Fields(f)
					got = append(got, parts[1]+" "+parts[2])
				}
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestDetectSAD: track data and verification codes next to a card number
// are findings of their own (PCI DSS 3.3.1), besides the card number.
func TestDetectSAD(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"track 1", "%B4539578763621486^DOE/JANE^2812101000000000000000?",
			[]string{"pan visa 453957******1486", "sad visatrack1 %B453957******1486^… %B4539578763621486^DOE/JANE^2812101"}},
		{"track 2", ";4539578763621486=28121010000000000000?",
			[]string{"pan visa 453957******1486", "sad visatrack2 ;453957******1486=… ;4539578763621486=2812101"}},
		{"cvv after", `{"pan":"4539578763621486","exp":"12/28","cvv":"123"}`,
			[]string{"pan visa 453957******1486", "sad visacvv *** 123"}},
		{"cvc before", "CVC2=0421 card 4539 5787 6362 1486",
			[]string{"sad visacvv *** 0421", "pan visa 453957******1486"}},
		{"test card", "4242424242424242 cvv 123", []string{"pan visa(test)(notlive) 424242******4242", "sad visacvv(notlive) *** 123"}},
		{"no label", "4539578763621486 123", []string{"pan visa 453957******1486"}},
		{"no card", "cvv=123", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, f := range detectAll(tt.in) {
				if strings.HasPrefix(f, "pan ") {
					f = strings.Join(strings.Fields(f)[:3], " ")
				}
				got = append(got, f)
			}
			slices.SortStableFunc(got, func(a, b string) int { return strings.Index(tt.in, a) - strings.Index(tt.in, b) })
			assert.ElementsMatch(t, tt.want, got)
		})
	}
}

func TestDetectSecrets(t *testing.T) {
	rsa := "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,2FB5\n\nMIIEpAIBAAKCAQEA4111111111111111/xMHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oJKRlv8s4AALoAoGCCqGSM49AwEHoUQDQgAE\n-----END RSA PRIVATE KEY-----"
	tests := []struct {
		name, in string
		want     []string // "kind(not live) masked-prefix span"
	}{
		{"stripe live", `key="sk_live_51HqLyjWDarjtT1zdp7dcXcHf"`, []string{"stripe_live_secret_key sk_live_51HqLyjWDarjtT1zdp7dcXcHf"}},
		{"stripe restricted", "rk_live_51HqLyjWDarjtT1zdp7dcXcHf", []string{"stripe_live_restricted_key rk_live_51HqLyjWDarjtT1zdp7dcXcHf"}},
		{"stripe test", "sk_test_4eC39HqLyjWDarjtT1zdp7dc", []string{"stripe_test_secret_key(not live) sk_test_4eC39HqLyjWDarjtT1zdp7dc"}},
		{"stripe restricted test", "rk_test_4eC39HqLyjWDarjtT1zdp7dc", []string{"stripe_test_restricted_key(not live) rk_test_4eC39HqLyjWDarjtT1zdp7dc"}},
		{"publishable is public", "pk_live_51HqLyjWDarjtT1zdp7dcXcHf", nil},
		{"placeholder", "sk_live_XXXXXXXXXXXXXXXXXXXXXXXX", nil},
		{"too short", "sk_live_abc", nil},
		{"glued", "task_live_51HqLyjWDarjtT1zdp7dcXcHf", nil},
		{"paypal live", "access_token$production$x7k2mq9w4r8t1v5z$0f1e2d3c4b5a69788796a5b4c3d2e1f0",
			[]string{"paypal_live_access_token access_token$production$x7k2mq9w4r8t1v5z$0f1e2d3c4b5a69788796a5b4c3d2e1f0"}},
		{"paypal sandbox", "access_token$sandbox$x7k2mq9w4r8t1v5z$0f1e2d3c4b5a69788796a5b4c3d2e1f0",
			[]string{"paypal_sandbox_access_token(not live) access_token$sandbox$x7k2mq9w4r8t1v5z$0f1e2d3c4b5a69788796a5b4c3d2e1f0"}},
		{"adyen", `"AQEyhmfxK4PJahZCw0m/n3Q5qf3VaY9UCJ14XWZE03G/k2NFiqRtfAhS8LyKDHgCYlUbZ3EQwV1bDb7kfNy1WIxIIkxgBw==-rfzK8y7M8dJm32=-kZ3p"`,
			[]string{"adyen_api_key AQEyhmfxK4PJahZCw0m/n3Q5qf3VaY9UCJ14XWZE03G/k2NFiqRtfAhS8LyKDHgCYlUbZ3EQwV1bDb7kfNy1WIxIIkxgBw==-rfzK8y7M8dJm32=-kZ3p"}},
		{"rsa encrypted, card digits inside ignored", "x\n" + rsa + "\ny", []string{"rsa_private_key " + rsa}},
		{"ec", "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oJKRlv8s4AALoAoGCCqGSM49AwEHoUQDQgAE\n-----END EC PRIVATE KEY-----",
			[]string{"ec_private_key -----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oJKRlv8s4AALoAoGCCqGSM49AwEHoUQDQgAE\n-----END EC PRIVATE KEY-----"}},
		{"pkcs8 encrypted", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFMHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oJKRlv8s4AALoAoGCCqGSM49AwEHoUQDQgAE\n-----END ENCRYPTED PRIVATE KEY-----",
			[]string{"encrypted_private_key -----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFMHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oJKRlv8s4AALoAoGCCqGSM49AwEHoUQDQgAE\n-----END ENCRYPTED PRIVATE KEY-----"}},
		{"openssh without END", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXkMHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oJKRlv8s4AALoAoGCCqGSM49AwEHoUQDQgAE\nAAAA\n\"] rest",
			[]string{"openssh_private_key -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXkMHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oJKRlv8s4AALoAoGCCqGSM49AwEHoUQDQgAE\nAAAA\n"}},
		{"header without a body", "-----BEGIN PGP PRIVATE KEY BLOCK-----", nil},
		{"placeholder body", "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----", nil},
		{"stripe webhook secret", "STRIPE_WEBHOOK_SECRET=whsec_5mA9qL2xVbN8rT4kW7zC1dF6pQ3sY0hJ", []string{"stripe_webhook_secret whsec_5mA9qL2xVbN8rT4kW7zC1dF6pQ3sY0hJ"}},
		{"placeholder key", "sk_live_...", nil},
		{"mws access key", "AWS_ACCESS_KEY_ID=AKIAJ7Q2XN4LW5RPZK3M\n", []string{"amazon_mws_access_key_id AKIAJ7Q2XN4LW5RPZK3M"}},
		{"access key glued", "XAKIAJ7Q2XN4LW5RPZK3MQ", nil},
		{"placeholder words", "sk_live_<your key>", nil},
		{"public key is public", "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----", nil},
		{"certificate is public", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			d := detector{sw: builtinSweep()}
			d.scan([]byte(tt.in), cursor{}, len(tt.in), func(h hit) {
				require.Equal(t, TypeSecret, h.typ, "only secrets expected")
				k := h.kind
				if !h.live {
					k += "(not live)"
				}
				body := tt.in[h.start:h.end]
				assert.NotContains(t, h.masked, body[len(body)/2:len(body)/2+6], "the middle of a secret never shows")
				got = append(got, k+" "+tt.in[h.start:h.end])
			})
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestMask(t *testing.T) {
	assert.Equal(t, "411111******1111", MaskPAN("4111111111111111"))
	assert.Equal(t, "411111******1111", MaskPAN("4111 1111-1111 1111"))
	assert.Equal(t, "378282*****0005", MaskPAN("378282246310005"))
	assert.Equal(t, "*****6789", MaskPAN("123456789"))
	assert.Equal(t, "***", MaskPAN("123"))
	// first 8 hex of sha256("sk_live_abc"), computed with sha256sum.
	assert.Equal(t, "sk_live_…(sha256:"+sha8("sk_live_51HqLyjWDarjtT1zdp7dcXcHf")+")", MaskSecret("sk_live_51HqLyjWDarjtT1zdp7dcXcHf"))
	assert.Equal(t, "-----BEGIN RSA PRIVATE KEY-----…(sha256:"+sha8("-----BEGIN RSA PRIVATE KEY-----\nAA")+")",
		MaskSecret("-----BEGIN RSA PRIVATE KEY-----\nAA"))
	assert.Equal(t, "…(sha256:"+sha8("short")+")", MaskSecret("short"))
	assert.Equal(t, "sec…(sha256:"+sha8("secret-value-long-enough")+")", MaskSecret("secret-value-long-enough"))
}

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"nothing here 2026-11-20 12:00", "nothing here 2026-11-20 12:00"},
		{"card 4539 5787 6362 1486 declined", "card 453957******1486 declined"},
		{"key=sk_live_51HqLyjWDarjtT1zdp7dcXcHf pan=4539578763621486",
			"key=sk_live_…(sha256:" + sha8("sk_live_51HqLyjWDarjtT1zdp7dcXcHf") + ") pan=453957******1486"},
		{"test key sk_test_4eC39HqLyjWDarjtT1zdp7dc too", "test key sk_test_…(sha256:" + sha8("sk_test_4eC39HqLyjWDarjtT1zdp7dc") + ") too"},
		{"-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oJKRlv8s4AALoAoGCCqGSM49AwEHoUQDQgAE\n-----END EC PRIVATE KEY----- end",
			"-----BEGIN EC PRIVATE KEY-----…(sha256:" + sha8("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oJKRlv8s4AALoAoGCCqGSM49AwEHoUQDQgAE\n-----END EC PRIVATE KEY-----") + ") end"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Redact(tt.in))
	}
	clean := "audit: probe page.checkout: GET https://shop.example/checkout: 503"
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = Redact(clean) }))
}

// TestTestCardsAreValid: every test card the packs list is a card the
// scanner finds and reports as a test card, or listing it is dead weight;
// and the cards the scanner knew before they moved to the packs are all
// there.
func TestTestCardsAreValid(t *testing.T) {
	n := 0
	for _, p := range pack.Builtin().Packs() {
		for _, c := range p.TestCards {
			n++
			assert.NotEmpty(t, validPAN([]byte(c)), "%s: %s", p.Name, c)
			assert.True(t, isTestCard(c), c)
			var hits []hit
			var d detector
			d.scan([]byte("card "+c+" ok"), cursor{}, len(c)+8, func(h hit) { hits = append(hits, h) })
			require.Len(t, hits, 1, c)
			assert.True(t, hits[0].test && !hits[0].live, c)
		}
	}
	assert.Greater(t, n, 170)
	for _, c := range []string{"4242424242424242", "4000000000003220", "6799990100000000019", "36259600000004", "4222222222222"} {
		assert.True(t, isTestCard(c), c)
	}
	assert.False(t, isTestCard("4539578763621486"))
}

// TestGolden scans testdata/tree (logs, .env, a key, source) and compares
// the JSON report with testdata/tree.golden.json.
func TestGolden(t *testing.T) {
	r, err := Paths(context.Background(), []string{"testdata/tree"}, Options{})
	require.NoError(t, err)
	got, err := json.MarshalIndent(struct {
		*Report
		Findings []Finding `json:"findings"`
	}{r, slices.Collect(r.Findings())}, "", "  ")
	require.NoError(t, err)
	golden := filepath.Join("testdata", "tree.golden.json")
	if *update {
		require.NoError(t, os.WriteFile(golden, append(got, '\n'), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.JSONEq(t, string(want), string(got))
	assert.True(t, r.Live())
	for _, raw := range []string{"4539578763621486", "5425-2334-3010-9903", "sk_live_51HqLyjWDarjtT1zdp7dcXcHf", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj"} {
		assert.NotContains(t, string(got), raw)
	}
}

func write(t *testing.T, path string, data []byte) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, data, 0o644))
}

func TestPathsFiles(t *testing.T) {
	dir := t.TempDir()
	live, mask := "4539578763621486", "453957******1486"
	write(t, filepath.Join(dir, "a.log"), []byte("x "+live+"\n"))
	write(t, filepath.Join(dir, "bin.dat"), []byte("MZ\x00\x00 "+live))
	write(t, filepath.Join(dir, "latin1.txt"), []byte("caf\xe9 \xff\xfe "+live+" \xc3\n"))
	write(t, filepath.Join(dir, "node_modules", "x.js"), []byte(live))
	write(t, filepath.Join(dir, "vendor", "a", "b.txt"), []byte(live))

	// A number across the 1 MiB chunk boundary, and one on a 3 MiB line.
	big := bytes.Repeat([]byte("a"), 3*chunkSize)
	copy(big[chunkSize-5:], " "+live+" ")
	copy(big[2*chunkSize+overlap-3:], " 4539-5787-6362-1486 ")
	// A long digit run across the first read's scan limit, then a key: the
	// card scan stops past the limit, the key must still be found.
	limit := lookbehind + chunkSize
	copy(big[limit-10:], " 123456789012345678901234567890 sk_live_51HqLyjWDarjtT1zdp7dcXcHf ")
	write(t, filepath.Join(dir, "huge.txt"), big)

	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte("line\nline " + live + "\n"))
	require.NoError(t, zw.Close())
	write(t, filepath.Join(dir, "logs", "app.log.gz"), gz.Bytes())

	var zb bytes.Buffer
	za := zip.NewWriter(&zb)
	var inner bytes.Buffer
	zi := zip.NewWriter(&inner)
	wi, err := zi.Create("orders.csv")
	require.NoError(t, err)
	_, _ = wi.Write([]byte("id,pan\n1," + live + "\n"))
	require.NoError(t, zi.Close())
	for name, body := range map[string][]byte{"orders.csv": []byte("id,pan\n1," + live + "\n"), "nested.gz": gz.Bytes(), "inner.zip": inner.Bytes()} {
		w, err := za.Create(name)
		require.NoError(t, err)
		_, _ = w.Write(body)
	}
	require.NoError(t, za.Close())
	write(t, filepath.Join(dir, "export.zip"), zb.Bytes())

	require.NoError(t, os.Symlink(".", filepath.Join(dir, "loop")))
	require.NoError(t, os.Symlink("missing", filepath.Join(dir, "dangling")))
	require.NoError(t, os.Symlink("a.log", filepath.Join(dir, "link.log")))
	if runtime.GOOS == "linux" {
		// Reading /proc/self/mem at offset 0 fails with EIO, even for root.
		require.NoError(t, os.Symlink("/proc/self/mem", filepath.Join(dir, "unreadable")))
	}

	r, err := Paths(context.Background(), []string{dir}, Options{Base: dir, Workers: 3, Exclude: []walk.Exclude{
		{Pattern: "node_modules", Reason: "third-party code"}, {Pattern: "vendor/**/*.txt", Reason: "vendored"},
	}})
	require.NoError(t, err)
	rel := func(f string) string { return strings.TrimPrefix(f, filepath.ToSlash(dir)+"/") }
	var got []string
	for f := range r.Findings() {
		got = append(got, rel(f.File)+":"+itoa(f.Line)+":"+itoa(f.Column)+" "+f.Masked)
	}
	assert.Equal(t, []string{
		"a.log:1:3 " + mask,
		"bin.dat:1:5 " + mask, // runs of NULs in a binary read as one
		"export.zip!inner.zip!orders.csv:2:3 " + mask,
		"export.zip!nested.gz:2:6 " + mask,
		"export.zip!orders.csv:2:3 " + mask,
		"huge.txt:1:" + itoa(chunkSize-3) + " " + mask,
		"huge.txt:1:" + itoa(limit+23) + " " + MaskSecret("sk_live_51HqLyjWDarjtT1zdp7dcXcHf"),
		"huge.txt:1:" + itoa(2*chunkSize+overlap-1) + " " + mask,
		"latin1.txt:1:9 " + mask,
		"link.log:1:3 " + mask,
		"logs/app.log.gz:2:6 " + mask,
	}, got)
	skipped := map[string]string{}
	for _, s := range r.Skipped {
		skipped[rel(s.File)] = s.Reason
	}
	want := map[string]string{
		"dangling": walk.ReasonBrokenLink,
		"loop":     walk.ReasonLinkLoop,
	}
	if runtime.GOOS == "linux" {
		want["unreadable"] = walk.ReasonLinkOut
	}
	for k, v := range want {
		assert.Contains(t, skipped, k)
		assert.Equal(t, v, skipped[k], k)
	}
	assert.Len(t, skipped, len(want))
	assert.EqualValues(t, 7, r.FilesScanned) // a.log, bin, huge, latin1, link, gz, zip
	assert.False(t, r.Complete())
	excluded := map[string]string{}
	for _, s := range r.Excluded {
		excluded[rel(s.File)] = s.Pattern + ": " + s.Reason
	}
	assert.Equal(t, map[string]string{"node_modules": "node_modules: third-party code", "vendor/a/b.txt": "vendor/**/*.txt: vendored"}, excluded)
}

func TestPathsErrors(t *testing.T) {
	_, err := Paths(context.Background(), []string{"testdata/nope"}, Options{})
	assert.ErrorIs(t, err, os.ErrNotExist)
	_, err = Paths(context.Background(), nil, Options{})
	assert.Error(t, err)
	_, err = Paths(context.Background(), []string{"testdata"}, Options{Exclude: []walk.Exclude{{Pattern: "[a"}}})
	assert.Error(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = Paths(ctx, []string{"testdata"}, Options{})
	assert.ErrorIs(t, err, context.Canceled)
}

func itoa(n int) string { return strconv.Itoa(n) }

func sha8(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:4])
}

// TestPathsMergesWorkers: findings come out sorted by file, line and
// column whatever worker scanned which file, a file given twice is merged
// by position, and masked numbers go to MaskedPANs in the same order.
func TestPathsMergesWorkers(t *testing.T) {
	dir := t.TempDir()
	live := "4539578763621486"
	for _, name := range []string{"a.b", "a/b", "a/c.log", "b", "z/y/x.txt", "a-b"} {
		var b strings.Builder
		for i := range 50 {
			fmt.Fprintf(&b, "line %d %s and 411111******1111\n", i, live)
		}
		write(t, filepath.Join(dir, filepath.FromSlash(name)), []byte(b.String()))
	}
	one, err := Paths(context.Background(), []string{dir}, Options{Workers: 1})
	require.NoError(t, err)
	findings, masked := slices.Collect(one.Findings()), slices.Collect(one.MaskedPANs())
	require.Len(t, findings, 6*50)
	require.Len(t, masked, 6*50)
	for _, workers := range []int{2, 3, 8} {
		r, err := Paths(context.Background(), []string{dir}, Options{Workers: workers})
		require.NoError(t, err)
		assert.Equal(t, findings, slices.Collect(r.Findings()), "%d workers", workers)
		assert.Equal(t, masked, slices.Collect(r.MaskedPANs()), "%d workers", workers)
	}
	assert.True(t, slices.IsSortedFunc(findings, func(a, b Finding) int {
		return cmp.Or(strings.Compare(a.File, b.File), a.Line-b.Line, a.Column-b.Column)
	}))
	assert.True(t, slices.IsSortedFunc(masked, func(a, b MaskedPAN) int {
		return cmp.Or(strings.Compare(a.File, b.File), a.Line-b.Line, a.Column-b.Column)
	}))

	file := filepath.Join(dir, "b")
	twice, err := Paths(context.Background(), []string{file, dir, file}, Options{Workers: 2})
	require.NoError(t, err)
	var lines []int
	for f := range twice.Findings() {
		if f.File == filepath.ToSlash(file) {
			lines = append(lines, f.Line)
		}
	}
	require.Len(t, lines, 50) // one file, read once however many arguments name it
	assert.True(t, slices.IsSorted(lines), "%v", lines)
}

// TestColumnAcrossChunks: a table of numbers longer than a chunk reads the
// same streamed as whole: the lines around each number are within the
// streamer's lookbehind whatever the chunk boundaries.
func TestColumnAcrossChunks(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var b bytes.Buffer
	for b.Len() < 2*chunkSize+chunkSize/2 {
		d := make([]byte, 13+r.IntN(4))
		for k := range d {
			d[k] = byte('1' + r.IntN(5))
		}
		if r.IntN(50) == 0 { // now and then a line of another shape, whose number stands alone
			fmt.Fprintf(&b, "note: %s\n", d)
			continue
		}
		// Lines of 200 bytes: the 8 above a number take more than the
		// lookbehind, which then bounds what is read, chunked or not.
		fmt.Fprintf(&b, "<U%05X> <U%05X>;%s # %s\n", r.IntN(1<<20), r.IntN(1<<20), strings.Repeat("IGNORE;", 24), d)
	}
	data := b.Bytes()
	var whole []string
	var d detector
	d.scan(data, cursor{}, len(data), func(h hit) { whole = append(whole, fmt.Sprint(h.start)) })
	all := 0
	for i := 0; i < len(data); {
		j := i
		for j < len(data) && isDigit(data[j]) {
			j++
		}
		if j-i >= minPAN && j-i <= maxPAN && validPAN(data[i:j]) != "" {
			all++
		}
		i = j + 1
	}
	require.Less(t, len(whole), all/4, "most Luhn-valid codes are dropped as a column")
	require.NotEmpty(t, whole, "the lone ones are kept")
	// Each number is judged alike with only the lookbehind before it, as
	// at the start of a chunk.
	for i := lookbehind; i < len(data); {
		j := i
		for j < len(data) && isDigit(data[j]) {
			j++
		}
		if j-i >= minPAN && j-i <= maxPAN && validPAN(data[i:j]) != "" {
			cut := data[i-lookbehind:]
			require.Equal(t, inNumberColumn(data, i, j), inNumberColumn(cut, lookbehind, lookbehind+j-i), "at %d", i)
		}
		i = j + 1
	}

	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "table"), data, 0o644))
	rep, err := Paths(context.Background(), []string{dir}, Options{Workers: 1})
	require.NoError(t, err)
	var streamed []string
	lines := bytes.Split(data, []byte("\n"))
	offsets := make([]int, len(lines)+1)
	for i, l := range lines {
		offsets[i+1] = offsets[i] + len(l) + 1
	}
	for f := range rep.Findings() {
		streamed = append(streamed, fmt.Sprint(offsets[f.Line-1]+f.Column-1))
	}
	assert.Equal(t, whole, streamed)
}

// A user's pack (--packs) is honoured like a built-in one: its test cards
// are reported as test cards, not live, in files and in the chunks of a
// split file; without it the same number is live.
func TestUserPackTestCards(t *testing.T) {
	const own = "4539578763621486" // no built-in pack lists it
	require.False(t, isTestCard(own))
	packDir := t.TempDir()
	write(t, filepath.Join(packDir, "acme", "pack.hcl"), []byte(`provider "acme" {
  title      = "Acme Payments"
  test_cards = ["`+own+`"]
}
`))
	user, diags := pack.LoadDir(packDir)
	require.False(t, diags.HasErrors(), diags.Error())
	packs, diags := pack.Merge(pack.Builtin(), user)
	require.False(t, diags.HasErrors(), diags.Error())

	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.log"), []byte("charge "+own+" ok, then 4242 4242 4242 4242\n"))
	big := bytes.Repeat([]byte("log line without numbers\n"), 40000) // 1 MB: split into 256 KiB chunks
	copy(big[len(big)/2:], "\ncard "+own+"\n")
	write(t, filepath.Join(dir, "big.log"), big)

	type seen struct {
		file       string
		test, live bool
	}
	scanWith := func(p *pack.Set) []seen {
		rep, err := Paths(context.Background(), []string{dir}, Options{Packs: p, SplitSize: 256 << 10})
		require.NoError(t, err)
		defer rep.Close()
		var out []seen
		for f := range rep.Findings() {
			if f.Type == TypePAN {
				out = append(out, seen{filepath.Base(f.File), f.TestCard, f.Live})
			}
		}
		require.NoError(t, rep.Err())
		return out
	}
	assert.Equal(t, []seen{{"a.log", true, false}, {"a.log", true, false}, {"big.log", true, false}}, scanWith(packs))
	assert.Equal(t, []seen{{"a.log", false, true}, {"a.log", true, false}, {"big.log", false, true}}, scanWith(nil), "built-in packs only")
}
