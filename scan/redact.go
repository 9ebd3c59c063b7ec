package scan

import (
	"strings"
	"unsafe"

	"github.com/audit-tool/audit/pack"
)

// Redact masks every card number (Luhn-valid, known brand) and every secret
// in s. It is applied to every line the tool prints, so it returns s itself,
// without allocating, when there is nothing to mask.
func Redact(s string) string {
	if len(s) < minPAN {
		return s
	}
	// The detector only reads, so viewing s as bytes is safe and avoids a
	// copy per printed line.
	buf := unsafe.Slice(unsafe.StringData(s), len(s))
	d := detector{rules: pack.Builtin().Matcher()}
	var store [4]hit
	hits := store[:0]
	d.scan(buf, cursor{}, len(buf), func(h hit) { hits = append(hits, h) })
	if len(hits) == 0 {
		return s
	}
	sortHits(hits) // secrets are reported before card numbers
	var b strings.Builder
	b.Grow(len(s))
	last := 0
	for _, h := range hits {
		b.WriteString(s[last:h.start])
		b.WriteString(h.masked)
		last = h.end
	}
	b.WriteString(s[last:])
	return b.String()
}
