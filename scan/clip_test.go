package scan

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestSanitizeClipsLongFields(t *testing.T) {
	key := "sk_live_51HqLyjWDarjtT1zdp7dcXcHf4539148803436467"
	for _, tc := range []struct {
		name string
		in   string
	}{
		{"one long word", strings.Repeat("x", 10<<20)},
		{"a key across the cut", strings.Repeat("a", MaxText-80) + " " + key + strings.Repeat(" b", 1000)},
		{"runes across the cut", strings.Repeat("é", MaxText)},
		{"controls that grow when escaped", strings.Repeat("\x1b", MaxText/2)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Sanitize(tc.in)
			assert.LessOrEqual(t, len(got), MaxText)
			assert.True(t, utf8.ValidString(got))
			assert.Regexp(t, `… \(\d+ bytes more\)$`, got)
			assert.NotContains(t, got, "HqLyjWDar", "a key cut in two is masked before the cut")
			assert.Equal(t, got, Sanitize(got), "idempotent")
		})
	}
	short := "a message " + key
	assert.NotContains(t, Sanitize(short), "more)")
}

// A card number or key split by control characters was printed with every
// digit, the controls shown as \x00 or \x1b between them.
func TestSanitizeMasksWhatControlsSplit(t *testing.T) {
	for _, in := range []string{
		"card 4539148803436\x1b467 end",
		"card 4539\x001488\x000343\x006467",
		"key sk_live_51HqLyjWDar\x07jtT1zdp7dcXcHf4539",
		"card 4539\u202e148803436467",
	} {
		out := Sanitize(in)
		assert.NotRegexp(t, `4539\D{0,8}1488|148803436|HqLyjWDar\S*jtT1`, out, "%q printed as %q", in, out)
		assert.Equal(t, out, Sanitize(out))
	}
	assert.Equal(t, `a\x1bb 453914******6467`, Sanitize("a\x1bb 4539148803436467"), "controls stay shown where nothing is split")
}
