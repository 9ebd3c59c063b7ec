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
	if maskedValue(s) {
		return s
	}
	return sanitizeAll(s)
}

// maskedValue reports whether s is a value the scanner masked (most of
// what it prints, tens of thousands a scan), in which nothing is left to
// mask, escape or clip.
func maskedValue(s string) bool {
	return len(s) <= MaxText && (maskedShape(s) && !looseRules().maskedMayStart(s) || maskedSecret(s))
}

// sanitizeAll is sanitize without the shortcuts for masked values.
func sanitizeAll(s string) string {
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
	i := 0
	for i < len(s) {
		if c := s[i]; c >= 0x20 && c < 0x7f {
			i++ // printable ASCII, most of what is printed
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if controlRune(r, size) {
			break
		}
		i += size
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.WriteString(s[:i])
	for i < len(s) {
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
