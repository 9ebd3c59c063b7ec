package scan

import (
	"bytes"
	"math/bits"

	"github.com/audit-tool/audit/pack"
)

// hit is one detection in a buffer: [start, end) are byte offsets.
type hit struct {
	start, end int
	typ        string // "pan" or "secret"
	brand      string // pans
	kind       string // secrets
	masked     string
	test       bool // a published test card
	live       bool // fails the scan
	first      int  // masked pans: digits visible before the mask
	last       int  // and after it
}

// Finding types.
const (
	TypePAN    = "pan"
	TypeSecret = "secret"
)

func isDigit(c byte) bool { return c-'0' <= 9 }

func isAlpha(c byte) bool { return (c|0x20)-'a' <= 'z'-'a' }

func isAlnum(c byte) bool { return isDigit(c) || isAlpha(c) }

// shr is the low word of the 128-bit hi:lo shifted right by s (0 < s < 64):
// bit k tells about position k+s. shl is lo:prev shifted left: bit k tells
// about position k-s.
func shr(lo, hi uint64, s uint) uint64   { return lo>>s | hi<<(64-s) }
func shl(lo, prev uint64, s uint) uint64 { return lo<<s | prev>>(64-s) }

// scanPANs reports card numbers starting in [i, to) of buf; buf beyond to
// is lookahead and buf before i lookbehind. It returns where a following
// call should resume (at least to, or further when a number straddles to).
// Starts inside a secret already reported (sk, nil when none) are skipped.
//
// Logs are full of numbers (times, ids, amounts) and few are card numbers,
// so the buffer is read 64 bytes at a time into bitmaps of byte classes,
// and word operations on them leave only the runs of four digits or more
// (not after a digit) that could begin a card number: beginning with 2-6,
// twelve digits or masks in a row (a plain or partly masked number) or a
// group of four, a separator and three digits or masks (a grouped one); or
// with masks just before (************1111, **** **** **** 1111). Only
// those are looked at byte by byte, and judged as before the filter: it
// only drops runs where panAt and maskedAt find nothing.
func scanPANs(buf []byte, i, to int, emit func(hit), sk *skipper) int {
	to = min(to, len(buf))
	// The windows of a block, with the one before and the one after.
	const windows = 64
	var ws [windows + 2]window
	for b := i; b < to; b += 64 * windows {
		nw := min(windows, (to-b+63)/64)
		classes(buf, b-64, ws[:nw+2])
		for x := 1; x <= nw; x++ {
			dp, d0, d1 := ws[x-1].digit, ws[x].digit, ws[x+1].digit
			start := d0 &^ shl(d0, dp, 1)
			four := start & shr(d0, d1, 1) & shr(d0, d1, 2) & shr(d0, d1, 3)
			if four == 0 {
				continue
			}
			mp, m0, m1 := ws[x-1].mask, ws[x].mask, ws[x+1].mask
			a0, a1 := m0&shr(m0, m1, 1), m1&(m1>>1) // two in a row
			b0, b1 := a0&shr(a0, a1, 2), a1&(a1>>2) // four
			twelve := b0 & shr(b0, b1, 4) & shr(b0, b1, 8)
			grouped := ^shr(d0, d1, 4) & shr(a0, a1, 5) & shr(m0, m1, 7)
			mk0, mkp := m0&^d0, mp&^dp
			before := shl(mk0, mkp, 1) | shl(mk0, mkp, 2)
			w := b + 64*(x-1)
			for cand := four & ((twelve|grouped)&ws[x].lead | before); cand != 0; cand &= cand - 1 {
				k := w + bits.TrailingZeros64(cand)
				if k < i {
					continue // inside a number just reported
				}
				if k >= to {
					return max(i, to)
				}
				i = judgeRun(buf, k, emit, sk)
			}
		}
	}
	return max(i, to)
}

// judgeRun reports the card number, if any, that the digit run at i (four
// digits or more, not after a digit) begins, and returns where scanning
// resumes.
func judgeRun(buf []byte, i int, emit func(hit), sk *skipper) int {
	j := i + 4
	for j < len(buf) && isDigit(buf[j]) {
		j++
	}
	if i > 0 && isAlpha(buf[i-1]) { // glued to a word
		return j
	}
	if sk != nil {
		if e := sk.skip(i); e > i {
			return max(e, j)
		}
	}
	n := len(buf)
	if l := j - i; l >= minPAN || (l == 4 && j+1 < n && (buf[j] == ' ' || buf[j] == '-') && isDigit(buf[j+1])) {
		if end := panAt(buf, i, j, emit); end > 0 {
			return end
		}
	}
	if maskNear(buf, i, j) {
		if end := maskedAt(buf, i, j, emit); end > 0 {
			return end
		}
	}
	return j
}

// panAt reports the card number starting with the digit run buf[i:j], if
// any, and returns its end (0 when none). Plain: 12–19 digits. Grouped: a
// first group of four, then groups of 4–6 digits, the last one 3–6, all
// joined by the same single space or dash (4-4-4-4, 4-6-5, 4-6-4,
// 4-4-4-4-3). The longest valid reading wins, so a CVV or year after a
// number does not hide it.
func panAt(buf []byte, i, j int, emit func(hit)) int {
	n := len(buf)
	l := j - i
	if l >= minPAN {
		if l > maxPAN || (j < n && isAlpha(buf[j])) {
			return 0
		}
		var d [maxPAN]byte
		copy(d[:], buf[i:j])
		if b := validPAN(d[:l]); b != "" {
			emitPAN(buf[i:j], i, j, b, emit)
			return j
		}
		return 0
	}
	if l != 4 || j+1 >= n || (buf[j] != ' ' && buf[j] != '-') || !isDigit(buf[j+1]) {
		return 0
	}
	sep := buf[j]
	if i >= 2 && buf[i-1] == sep && isDigit(buf[i-2]) {
		return 0 // inside a longer group chain: 5703-6700-3409 in 6209-5703-6700-3409
	}
	var d [maxPAN]byte
	copy(d[:], buf[i:j])
	total := 4
	// ends[k], counts[k]: byte end and digit count of the reading with k+2 groups.
	var ends, counts [8]int
	k := 0
	for p := j; p+1 < n && buf[p] == sep && isDigit(buf[p+1]) && k < len(ends); {
		s := p + 1
		e := s + 1
		for e < n && isDigit(buf[e]) {
			e++
		}
		g := e - s
		if g < 3 || g > 6 || total+g > maxPAN || (e < n && isAlpha(buf[e])) {
			break
		}
		copy(d[total:], buf[s:e])
		total += g
		ends[k], counts[k] = e, total
		k++
		if g == 3 { // only a last group may be short
			break
		}
		p = e
	}
	for last := k - 1; k > 0; k-- {
		// A shorter reading drops trailing groups (a CVV, a year) but keeps
		// at least 14 digits: 6759-6420-1692 in 6759-6420-1692-5840 is no card.
		if counts[k-1] < minPAN || (k-1 < last && counts[k-1] < minShortened) {
			break
		}
		if b := validPAN(d[:counts[k-1]]); b != "" {
			emitPAN(buf[i:ends[k-1]], i, ends[k-1], b, emit)
			return ends[k-1]
		}
	}
	return 0
}

// minShortened is the fewest digits of a grouped reading that leaves out
// groups that follow it.
const minShortened = 14

// validPAN returns the brand of d when it is a Luhn-valid card number of a
// known brand and length, else "".
func validPAN(d []byte) string {
	b := brand(d)
	if b == "" || !luhn(d) {
		return ""
	}
	return b
}

func emitPAN(raw []byte, start, end int, brand string, emit func(hit)) {
	var d [maxPAN]byte
	n := 0
	for _, c := range raw {
		if isDigit(c) {
			d[n] = c
			n++
		}
	}
	pan := string(d[:n])
	test := isTestCard(pan)
	emit(hit{start: start, end: end, typ: TypePAN, brand: brand, masked: MaskPAN(pan), test: test, live: !test})
}

// detector finds secrets and card numbers in one buffer. It keeps the
// secrets' spans so card numbers inside them (digits in a key body) are not
// reported twice.
type detector struct {
	rules *pack.Matcher
	spans skipper
}

// skipper holds the spans of the secrets in a buffer, sorted, and answers
// whether a card-number start lies inside one; starts are asked in order.
type skipper struct {
	spans []hit
	i     int
}

// skip returns the end of the secret holding offset p, or 0.
func (s *skipper) skip(p int) int {
	for s.i < len(s.spans) && s.spans[s.i].end <= p {
		s.i++
	}
	if s.i < len(s.spans) && s.spans[s.i].start <= p {
		return s.spans[s.i].end
	}
	return 0
}

// cursor is where scanning resumes in the next buffer, for secrets and card
// numbers apart: the card scan may stop past the end of its range (a number
// straddling it), and secrets starting there are still to be found.
type cursor struct {
	secrets, pans int
}

// scan reports every finding starting in [at, to) of buf, secrets first,
// then card numbers, and returns where the next call resumes.
func (d *detector) scan(buf []byte, at cursor, to int, emit func(hit)) cursor {
	sk := &d.spans
	sk.spans, sk.i = sk.spans[:0], 0
	scanSecrets(d.rules, buf, at.secrets, to, func(h hit) {
		sk.spans = append(sk.spans, h)
	})
	next := cursor{secrets: max(to, at.secrets), pans: at.pans}
	if len(sk.spans) == 0 {
		next.pans = max(next.pans, scanPANs(buf, at.pans, to, emit, nil))
		return next
	}
	sortHits(sk.spans)
	// Overlapping secrets (a key quoted inside a PEM body): keep the outer.
	kept := sk.spans[:0]
	for _, h := range sk.spans {
		if len(kept) > 0 && h.start < kept[len(kept)-1].end {
			continue
		}
		kept = append(kept, h)
		emit(h)
		next.secrets = max(next.secrets, h.end)
	}
	sk.spans = kept
	// Card numbers inside a secret that runs past to are not numbers.
	next.pans = max(scanPANs(buf, at.pans, to, emit, sk), kept[len(kept)-1].end)
	return next
}

// sortHits orders hits by start offset; an insertion sort, since a buffer
// holds a handful.
func sortHits(hs []hit) {
	for i := 1; i < len(hs); i++ {
		for j := i; j > 0 && hs[j].start < hs[j-1].start; j-- {
			hs[j], hs[j-1] = hs[j-1], hs[j]
		}
	}
}

// indexFrom is bytes.Index of sep in buf[from:], as an offset in buf.
func indexFrom(buf []byte, from int, sep string) int {
	if from >= len(buf) {
		return -1
	}
	k := bytes.Index(buf[from:], []byte(sep))
	if k < 0 {
		return -1
	}
	return from + k
}

// indexByteFrom is bytes.IndexByte of c in buf[from:], as an offset in buf.
func indexByteFrom(buf []byte, from int, c byte) int {
	if from >= len(buf) {
		return -1
	}
	k := bytes.IndexByte(buf[from:], c)
	if k < 0 {
		return -1
	}
	return from + k
}
