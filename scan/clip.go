package scan

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxText is the most an output field (a message, an evidence detail, a
// title) carries. A stored result with a 100 MB message took minutes and
// 1.9 GB to print as a table; no message a person reads is that long.
const MaxText = 64 << 10

// clip cuts s, already masked and escaped, to MaxText bytes on a rune
// boundary and says how much was left out; the result is never longer
// than MaxText, so clipping again changes nothing.
func clip(s string) string {
	if len(s) <= MaxText {
		return s
	}
	const room = 64 // for the note
	cut := MaxText - room
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("… (%d bytes more)", len(s)-cut)
}

// sanitize masks, escapes and clips s. A card number or key split by
// control characters (4539148803436\x1b467, a NUL between the groups of a
// log line) is found with them left out, and then printed without them:
// escaped in place, its digits would be all there to read. Escapes are
// masked again, as \x10 before digits can make a number a card's.
func sanitize(s string) string {
	t := Redact(s)
	if bare := dropControls(t); bare != t {
		if masked := Redact(bare); masked != bare {
			t = masked
		}
	}
	return clip(Redact(EscapeControls(t)))
}

// dropControls is s without the characters EscapeControls escapes.
func dropControls(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !controlRune(r, size) {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	if b.Len() == len(s) {
		return s
	}
	return b.String()
}
