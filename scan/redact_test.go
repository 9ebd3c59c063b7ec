package scan

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/audit-tool/audit/pack"
)

func TestRedactHostileShapes(t *testing.T) {
	const pan, masked = "4539148803436467", "453914******6467"
	const key = "sk_live_51HqLyjWDarjtT1zdp7dcXcHf"
	keyMasked := "sk_live_…(sha256:" + sha8(key) + ")"
	upperKey := strings.ToUpper(key)
	for _, tc := range []struct{ name, in, want string }{
		{"url-encoded, glued to a letter", "GET /pay?cc%3D" + pan + "%26cvv", "GET /pay?cc%3D" + masked + "%26cvv"},
		{"glued on the left", "FR" + pan, "FR" + masked},
		{"glued on the right", pan + "exp1227", masked + "exp1227"},
		{"tab-separated groups", "card\t4539\t1488\t0343\t6467\tok", "card\t" + masked + "\tok"},
		{"dot-separated groups", "4539.1488.0343.6467", masked},
		{"url-encoded spaces", "4539%201488%200343%206467", masked},
		{"form-encoded", "card=4539+1488+0343+6467&x", "card=" + masked + "&x"},
		{"key glued after %3D", "key%3D" + key + "%26", "key%3D" + keyMasked + "%26"},
		{"key glued to a word", "Bearer" + key, "Bearer" + keyMasked},
		{"upper-cased echo", "Invalid API Key provided: " + upperKey, "Invalid API Key provided: SK_LIVE_…(sha256:" + sha8(upperKey) + ")"},
		{"mixed case", "Sk_LiVe_51HqLyjWDarjtT1zdp7dcXcHf.", "Sk_LiVe_…(sha256:" + sha8("Sk_LiVe_51HqLyjWDarjtT1zdp7dcXcHf") + ")."},
		{"webhook secret glued", "secret=xwhsec_" + strings.Repeat("aB3", 8), "secret=xwhsec_…(sha256:" + sha8("whsec_"+strings.Repeat("aB3", 8)) + ")"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Redact(tc.in)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, got, Redact(got), "masking again changes nothing")
		})
	}
}

func TestRedactLeavesOrdinaryNumbersAlone(t *testing.T) {
	for _, s := range []string{
		"2026-11-23 10:00:02 order 42 shipped",
		"+33 1 42 68 53 00",
		"IBAN FR14 2004 1010 0505 0001 3M02 606",
		"order 45391488034364671234 (20 digits)",
		"4 50 12 34 56 78 90 12 34 56 78",
		"sk_live_xxxxxxxxxxxxxxxxxxxx", // a placeholder
		"sk_live_…(sha256:1f2e3d4c)",   // masked already
		"453914******6467",
		"pk_live_51HqLyjWDarjtT1zdp7dcXcHf", // publishable: public by design
	} {
		assert.Equal(t, s, Redact(s))
	}
}

func TestEscapeControls(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain é ü", "plain é ü"},
		{"\x1b[31mred\x1b[0m", `\x1b[31mred\x1b[0m`},
		{"bell\a", `bell\x07`},
		{"forged\nPASS line", `forged\nPASS line`},
		{"tab\tcr\r", `tab\tcr\r`},
		{"c1 \u009b31m", `c1 \x9b31m`},
		{"del\x7f", `del\x7f`},
		{"bad \xff byte", `bad \xff byte`},
		{"bidi \u202egnp.exe", `bidi \u202egnp.exe`},
	} {
		assert.Equal(t, tc.want, EscapeControls(tc.in))
	}
	clean := "audit: probe page.checkout: 503"
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = EscapeControls(clean) }))
	assert.Equal(t, `x\x1b 453914******6467`, Sanitize("x\x1b 4539148803436467"))
}

// The shortcut for masked card numbers gives what the whole redaction
// gives, and does not take what shows too much.
func TestRedactMaskedShapeShortcut(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	digits := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('0' + r.IntN(10))
		}
		return string(b)
	}
	for range 5000 {
		lead, masks, trail := r.IntN(8), r.IntN(16), r.IntN(7)
		s := digits(lead) + strings.Repeat("*", masks) + digits(trail)
		full := loose(strict(s))
		if maskedShape(s) {
			assert.Equal(t, looseRules().mayStart(s), looseRules().maskedMayStart(s), s)
			assert.Equal(t, s, full, "%q: taken by the shortcut, changed by the redaction", s)
			assert.True(t, lead <= 6 && trail <= 4 && masks > 0, s)
		}
		assert.Equal(t, full, Redact(s), s)
	}
	for _, s := range []string{"4539148*********", "453914******64670", "4539 14** **** 6467", "453914******6467x", "453914******6467\n", "453914"} {
		assert.False(t, maskedShape(s), s)
	}
	assert.Equal(t, "453914**********", Redact("4539148*********"), "seven digits shown: masked to six")
	digitRule := &looseSet{maskedFirst: true}
	digitRule.first['4'] = true
	assert.True(t, digitRule.maskedMayStart("453914******6467"), "a prefix starting with a digit is looked for")
}

// The shortcut for masked secrets gives what the whole redaction gives,
// whatever the hash, and takes no shape that holds more than a masked
// secret.
func TestMaskedSecretShortcut(t *testing.T) {
	masks := maskPrefixes()
	require.Contains(t, masks, "sk_live_")
	require.Contains(t, masks, "access_token$production$")
	// Why the hash cannot matter: no rule's prefix can start in
	// "…(sha256:" + hex + ")" (nor span "…", all being ASCII), and its digit
	// runs (256, the hex's) are far too short for a card number.
	for _, p := range pack.Builtin().Packs() {
		for _, c := range p.Credentials {
			lower := strings.ToLower(c.Prefix)
			assert.True(t, printableASCII(lower), c.Prefix)
			assert.NotEqual(t, -1, strings.IndexFunc(lower, func(r rune) bool { return !strings.ContainsRune("(sha256:)0123456789abcdef", r) }),
				"%s: its prefix %q could start inside a hash", c.Name, c.Prefix)
		}
	}
	r := rand.New(rand.NewPCG(11, 12))
	hexes := []string{"00000000", "45391488", "41111111", "99999999", "12345678", "deadbeef", "abcdef01", "0a0a0a0a", "ffffffff", "aaaaaaaa", "5555a555"}
	for range 2000 {
		hexes = append(hexes, fmt.Sprintf("%08x", r.Uint32()))
	}
	for mask := range masks {
		for _, h := range hexes {
			s := mask + "…(sha256:" + h + ")"
			require.True(t, maskedSecret(s), s)
			require.Equal(t, s, sanitizeAll(s), "%q: taken by the shortcut, changed by the redaction", s)
		}
	}
	key, pan := "sk_live_51HqLyjWDarjtT1zdp7dcXcHf", "4539148803436467"
	for _, s := range []string{
		pan + "…(sha256:1a2b3c4d)",                             // a card number for a prefix
		"4539148803436…(sha256:467a2b3c)",                      // digits before that make a card with the hash's
		"sk_live_4539148803436467…(sha256:1a2b3c4d)",           // a prefix with digits
		key + "…(sha256:1a2b3c4d)",                             // the key itself before the hash
		"sk_live_…(sha256:1a2b3c4d)" + pan,                     // a card number glued after
		"sk_live_…(sha256:1a2b3c4d)" + key,                     // a second key glued after
		"sk_live_…(sha256:1a2b3c4d) " + key,                    // a second key after a space
		"sk_live_…(sha256:1a2b3c4d)sk_live_…(sha256:1a2b3c4d)", // two masked keys glued
		"sk_live_…(sha256:" + pan + ")",                        // a card number for the hash
		"sk_live_…(sha256:1a2b3c4)",                            // seven hex digits
		"sk_live_…(sha256:1a2b3c4d5)",                          // nine
		"sk_live_…(sha256:1A2B3C4D)",                           // upper case
		"SK_LIVE_…(sha256:1a2b3c4d)",                           // a case-changed echo
		"sk_live_\x1b…(sha256:1a2b3c4d)",                       // a control character
		"\nsk_live_…(sha256:1a2b3c4d)",
		"sk_live_…(sha256:1a2b3c4d)\u202e",
		"x sk_live_…(sha256:1a2b3c4d)",
		"…(sha256:1a2b3c4d)",
		"sk_live_…(sha256:1a2b3c4d",
	} {
		assert.False(t, maskedSecret(s), "%q", s)
		assert.Equal(t, sanitizeAll(s), Sanitize(s), "%q", s)
	}
	assert.Equal(t, "sk_live_…(sha256:1a2b3c4d)sk_live_…(sha256:"+sha8(key)+")", Sanitize("sk_live_…(sha256:1a2b3c4d)"+key))
	assert.NotContains(t, Sanitize(pan+"…(sha256:1a2b3c4d)"), pan)
	assert.NotContains(t, Sanitize("sk_live_…(sha256:"+pan+")"), pan)
}

func TestDropControls(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain é ü …", "plain é ü …"},
		{"a\x1bb\x00c\x7fd", "abcd"},
		{"\u009b31m", "31m"},
		{"bad \xff byte", "bad  byte"},
		{"bidi \u202egnp", "bidi gnp"},
		{"\n", ""},
	} {
		assert.Equal(t, tc.want, dropControls(tc.in), "%q", tc.in)
	}
	clean := "corpus/db/000/file00002.sql é"
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = dropControls(clean) }))
}
