package scan

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzSanitize checks the masking boundary every printed field goes
// through: idempotent, valid UTF-8, and nothing a terminal acts on.
func FuzzSanitize(f *testing.F) {
	for _, seed := range []string{
		"cc%3D4539148803436467%26x", "key%3Dsk_live_51HqLyjWDarjtT1zdp7dcXcHf", "FR4539148803436467",
		"4539\t1488\t0343\t6467", "SK_LIVE_51HQLYJWDARJTT1ZDP7DCXCHF", "\x1b]0;pwned\x07\x9b31m",
		"evil\x1b[2J\x07\nPASS forged", "a\u202eb\u2066c", "\xff\xfe\x00", "4539 1488 0343 6467exp",
		"Bearersk_live_51HqLyjWDarjtT1zdp7dcXcHf", strings.Repeat("4", 40), "FR14 2004 1010 0505 0001 3M02 606",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Sanitize(s)
		if again := Sanitize(out); again != out {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, out, again)
		}
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 out of %q: %q", s, out)
		}
		for _, r := range out {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
				t.Fatalf("control %U left in %q (from %q)", r, out, s)
			}
		}
	})
}
