package scan

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
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
			assert.Equal(t, s, full, "%q: taken by the shortcut, changed by the redaction", s)
			assert.True(t, lead <= 6 && trail <= 4 && masks > 0, s)
		}
		assert.Equal(t, full, Redact(s), s)
	}
	for _, s := range []string{"4539148*********", "453914******64670", "4539 14** **** 6467", "453914******6467x", "453914******6467\n", "453914"} {
		assert.False(t, maskedShape(s), s)
	}
	assert.Equal(t, "453914**********", Redact("4539148*********"), "seven digits shown: masked to six")
}
