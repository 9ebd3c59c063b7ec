package scan

import (
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	"github.com/audit-tool/audit/pack"
)

// Redact masks every card number (Luhn-valid, known brand) and every secret
// in s. It is applied to every line the tool prints, so it returns s itself,
// without allocating, when there is nothing to mask.
//
// Printing is not scanning: a number the scanner leaves alone because it is
// glued to a word (cc%3D4539…, FR4716…) or split by tabs is still a card
// number on screen, and a key echoed in upper case (SK_LIVE_…) by a server
// is still the key. After the scanner's own rules, a looser pass masks
// those too; a masked value never matches again, so Redact is idempotent.
func Redact(s string) string {
	if len(s) < minPAN || maskedShape(s) && !looseRules().maskedMayStart(s) {
		return s
	}
	s = strict(s)
	return loose(s)
}

// maskedShape reports whether s is a card number masked as the scanner
// masks it: up to six digits, masks (*), up to four digits. Too few
// digits for a card number, a masked number showing no more than PCI DSS
// allows, and no secret prefix (when no byte may start one): nothing to
// mask. Findings print tens of thousands of them.
func maskedShape(s string) bool {
	i := 0
	for i < len(s) && i < 7 && isDigit(s[i]) {
		i++
	}
	if i > 6 {
		return false
	}
	j := i
	for j < len(s) && s[j] == '*' {
		j++
	}
	if j == i {
		return false
	}
	k := j
	for k < len(s) && isDigit(s[k]) {
		k++
	}
	return k == len(s) && k-j <= 4
}

// hashOpen is what a masked secret shows between its prefix and its hash
// (see maskWith).
const hashOpen = "…(sha256:"

// maskedSecret reports whether s is a secret masked as the scanner masks a
// built-in pack's credential: the rule's mask, "…(sha256:", eight
// lower-case hex digits, ")". Nothing in it is left to mask: the mask is
// a fixed string with nothing to mask in it, no rule's prefix can start in
// the rest (each holds a byte that is no hex digit nor in "(sha256:)",
// and none holds "…"), and its digit runs are too short for a card
// number, with no separator to join them. TestMaskedSecretShortcut checks
// it against the whole redaction.
func maskedSecret(s string) bool {
	n := len(s) - len(hashOpen) - 8 - 1
	if n <= 0 || s[len(s)-1] != ')' || s[n:n+len(hashOpen)] != hashOpen {
		return false
	}
	for _, c := range []byte(s[n+len(hashOpen) : len(s)-1]) {
		if !isDigit(c) && (c < 'a' || c > 'f') {
			return false
		}
	}
	return maskPrefixes()[s[:n]]
}

// maskPrefixes are the masks of the built-in packs' credentials (the only
// rules Redact applies), those of printable ASCII.
var maskPrefixes = sync.OnceValue(func() map[string]bool {
	set := map[string]bool{}
	for _, p := range pack.Builtin().Packs() {
		for _, c := range p.Credentials {
			if c.Mask != "" && printableASCII(c.Mask) {
				set[c.Mask] = true
			}
		}
	}
	return set
})

func printableASCII(s string) bool {
	for _, c := range []byte(s) {
		if c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// strict masks what the scanner finds.
func strict(s string) string {
	// The detector only reads, so viewing s as bytes is safe and avoids a
	// copy per printed line.
	buf := unsafe.Slice(unsafe.StringData(s), len(s))
	d := detector{sw: builtinSweep()}
	var store [4]hit
	hits := store[:0]
	d.scan(buf, cursor{}, len(buf), func(h hit) { hits = append(hits, h) })
	if len(hits) == 0 {
		return s
	}
	sortHits(hits) // secrets are reported before card numbers
	return splice(s, hits)
}

// splice replaces each hit's span by its mask; hits are sorted and do not
// overlap.
func splice(s string, hits []hit) string {
	var b strings.Builder
	b.Grow(len(s))
	last := 0
	for _, h := range hits {
		if h.start < last {
			continue
		}
		b.WriteString(s[last:h.start])
		b.WriteString(h.masked)
		last = h.end
	}
	b.WriteString(s[last:])
	return b.String()
}

// looseRule is a secret credential of a pack, matched anywhere and in any
// case.
type looseRule struct {
	prefix string  // lower case
	first  [2]byte // its first byte in both cases
	re     *regexp.Regexp
	mask   int // bytes kept in clear
}

// looseSet is the loose rules, and the bytes their prefixes may start with
// in either case: a text holding none of them (masked values, most file
// names) has no rule to try.
type looseSet struct {
	rules []looseRule
	first [256]bool
	// maskedFirst: a prefix may start with a digit or *, what a masked
	// card number is made of.
	maskedFirst bool
}

var looseRules = sync.OnceValue(func() *looseSet {
	set := &looseSet{}
	for _, p := range pack.Builtin().Packs() {
		for _, c := range p.Credentials {
			if !c.Secret || c.Prefix == "" {
				continue
			}
			mask := len(c.Mask)
			if mask == 0 || !strings.HasPrefix(c.Mask, c.Prefix[:min(len(c.Prefix), len(c.Mask))]) {
				mask = len(c.Prefix)
			}
			lower := strings.ToLower(c.Prefix)
			r := looseRule{
				prefix: lower,
				first:  [2]byte{lower[0], upper(lower[0])},
				re:     regexp.MustCompile(`(?i)^(?:` + c.Pattern.String() + `)`),
				mask:   mask,
			}
			set.first[r.first[0]], set.first[r.first[1]] = true, true
			set.rules = append(set.rules, r)
		}
	}
	for _, c := range []byte("0123456789*") {
		set.maskedFirst = set.maskedFirst || set.first[c]
	}
	return set
})

// loose masks the secrets and card numbers strict leaves: glued to letters
// or other separators, case-changed, grouped by tabs or dots.
func loose(s string) string {
	var hits []hit
	set := looseRules()
	if set.mayStart(s) {
		for _, r := range set.rules {
			hits = r.find(s, hits)
		}
	}
	hits = loosePANs(s, hits)
	if len(hits) == 0 {
		return s
	}
	sortHits(hits)
	return splice(s, hits)
}

// maskedMayStart is mayStart for s of maskedShape: known without reading
// s unless a prefix may start with a digit or *.
func (set *looseSet) maskedMayStart(s string) bool {
	return set.maskedFirst && set.mayStart(s)
}

// mayStart reports whether a byte of s may start a rule's prefix.
func (set *looseSet) mayStart(s string) bool {
	for i := 0; i < len(s); i++ {
		if set.first[s[i]] {
			return true
		}
	}
	return false
}

// find appends the hits of r in s.
func (r *looseRule) find(s string, hits []hit) []hit {
	for from := 0; ; {
		start := r.indexFold(s, from)
		if start < 0 {
			return hits
		}
		loc := r.re.FindStringIndex(s[start:min(len(s), start+pack.MaxToken)])
		if loc == nil {
			from = start + 1
			continue
		}
		end := start + loc[1]
		for end < len(s) && end-start < pack.MaxToken && isAlnum(s[end]) {
			end++ // the rest of the token, whatever the pattern's length
		}
		if body := strings.ToLower(s[start+len(r.prefix) : end]); len(body) > 1 && sameByte([]byte(body)) {
			from = end // sk_live_xxxxxxxxxxxxxxxx: a placeholder
			continue
		}
		keep := min(r.mask, end-start)
		hits = append(hits, hit{start: start, end: end, masked: maskWith(s[start:start+keep], []byte(s[start:end]))})
		from = end
	}
}

// indexFold is the offset of the first ASCII-case-insensitive occurrence of
// the rule's prefix in s at or after from, or -1; it does not allocate.
func (r *looseRule) indexFold(s string, from int) int {
	for p := from; p < len(s); p++ {
		if c := s[p]; c != r.first[0] && c != r.first[1] {
			continue
		}
		if len(s)-p >= len(r.prefix) && strings.EqualFold(s[p:p+len(r.prefix)], r.prefix) {
			return p
		}
	}
	return -1
}

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

// digitRun is a run of digits in a chain: s[start:end].
type digitRun struct{ start, end int }

// loosePANs finds card numbers whatever their neighbours: chains of digit
// groups joined by one separator (space, tab, dash, dot, +, %20), read
// from any group to any later one; the longest valid reading from the
// leftmost group wins.
func loosePANs(s string, hits []hit) []hit {
	var store [32]digitRun
	chain := store[:0]
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			if strings.HasPrefix(s[i:], "%20") {
				i += 3 // an encoded space: its digits are no card digits
			} else {
				i++
			}
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if len(chain) > 0 && !separator(s[chain[len(chain)-1].end:i]) {
			hits = chainPANs(s, chain, hits)
			chain = chain[:0]
		}
		chain = append(chain, digitRun{i, j})
		i = j
	}
	return chainPANs(s, chain, hits)
}

// chainPANs appends the card numbers read in one chain of digit runs.
func chainPANs(s string, chain []digitRun, hits []hit) []hit {
	for i := 0; i < len(chain); {
		var digits, best [maxPAN]byte
		n, bestN, bestJ := 0, 0, -1
		for j := i; j < len(chain); j++ {
			g := chain[j]
			// Card groups have three digits or more: "4 50 12 …" in prose
			// is no card number.
			if n+g.end-g.start > maxPAN || (j > i && (g.end-g.start < 3 || chain[i].end-chain[i].start < 3)) {
				break
			}
			n += copy(digits[n:], s[g.start:g.end])
			if n >= minPAN && validPAN(digits[:n]) != "" {
				best, bestN, bestJ = digits, n, j
			}
		}
		if bestJ < 0 {
			i++
			continue
		}
		hits = append(hits, hit{start: chain[i].start, end: chain[bestJ].end, masked: MaskPAN(string(best[:bestN]))})
		i = bestJ + 1
	}
	return hits
}

func separator(sep string) bool {
	switch sep {
	case " ", "\t", "-", ".", "+", "%20", "\u00a0":
		return true
	}
	return false
}

// Sanitize is what every printed field goes through: secrets and card
// numbers masked, control characters escaped, then clipped to MaxText
// (see sanitize).
func Sanitize(s string) string { return sanitize(s) }

// EscapeControls shows the C0 and C1 control characters of s (ESC, BEL,
// newline, tab, DEL, …) and the bidirectional overrides as escapes
// (\x1b, \n, \u202e), so a file name or a checklist title cannot move the
// cursor, ring, recolour the terminal or forge lines of a report. Invalid
// UTF-8 bytes become \xNN too. s itself is returned when there is none.
func EscapeControls(s string) string { return escape(s, false) }

// EscapeTerminal is EscapeControls for a stream of lines (stderr): newlines
// and tabs stay, every other control character is escaped.
func EscapeTerminal(s string) string { return escape(s, true) }

func escape(s string, keepLines bool) string {
	needsEscape := func(r rune, size int) bool {
		return controlRune(r, size) && !(keepLines && (r == '\n' || r == '\t'))
	}
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if needsEscape(r, size) {
			break
		}
		i += size
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !needsEscape(r, size) {
			b.WriteString(s[i : i+size])
			i += size
			continue
		}
		switch {
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == utf8.RuneError && size == 1, r < 0x100:
			const hexDigits = "0123456789abcdef"
			c := s[i]
			if r < 0x100 && size > 1 {
				c = byte(r) // a C1 control encoded in UTF-8
			}
			b.WriteString(`\x`)
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&0xf])
		default:
			b.WriteString(`\u`)
			const hexDigits = "0123456789abcdef"
			for shift := 12; shift >= 0; shift -= 4 {
				b.WriteByte(hexDigits[(r>>uint(shift))&0xf])
			}
		}
		i += size
	}
	return b.String()
}

func controlRune(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size == 1:
		return true
	case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true // bidi overrides: text that reads other than it is
	}
	return false
}

func sameByte(b []byte) bool {
	for _, c := range b {
		if c != b[0] {
			return false
		}
	}
	return true
}
