package scan

import (
	"bytes"
	"encoding/binary"
	"math/bits"
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

// SWAR constants: every byte of a word at once (Bit Twiddling Hacks,
// "Determine if a word has a byte between m and n", the exact variant).
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
	low7  = 0x7f7f7f7f7f7f7f7f
)

// digitMask has the high bit set in exactly the bytes of w that are ASCII
// digits: the scanner skips eight non-digit bytes per step with it.
func digitMask(w uint64) uint64 {
	const m, n = '0' - 1, '9' + 1 // exclusive bounds
	x := w & low7
	return (ones*(127+n) - x) & ^w & (x + ones*(127-m)) & highs
}

// scanPANs reports card numbers starting in [i, to) of buf; buf beyond to
// is lookahead and buf before i lookbehind. It returns where a following
// call should resume (at least to, or further when a number straddles to).
// skip(start) reports a start offset inside a secret already reported, and
// returns where that secret ends.
//
// Every card number begins with four digits in a row (a plain number has
// twelve or more, a grouped one a first group of four), while logs are full
// of shorter numbers (times, IPs, amounts). So the fast path looks at eight
// positions at once for four digits in a row, and everything else is
// skipped without a branch per byte.
func scanPANs(buf []byte, i, to int, emit func(hit), skip func(int) int) int {
	n := len(buf)
	if to > n {
		to = n
	}
	for i < to {
		var j int // end of the digit run at i
		if i+16 <= n {
			lo := digitMask(binary.LittleEndian.Uint64(buf[i:]))
			four := uint64(0)
			for i+16 <= n {
				hi := digitMask(binary.LittleEndian.Uint64(buf[i+8:]))
				four = lo & (lo>>8 | hi<<56) & (lo>>16 | hi<<48) & (lo>>24 | hi<<40)
				if four != 0 {
					break
				}
				i += 8
				lo = hi
			}
			if four == 0 {
				continue // near the end: byte by byte
			}
			i += bits.TrailingZeros64(four) >> 3
			if i >= to {
				break
			}
			j = i + 4
		} else {
			if !isDigit(buf[i]) {
				i++
				continue
			}
			j = i + 1
		}
		for j < n && isDigit(buf[j]) {
			j++
		}
		if i > 0 && isAlnum(buf[i-1]) { // glued to a word, or a run begun before i
			i = j
			continue
		}
		if e := skip(i); e > i {
			i = max(e, j)
			continue
		}
		if end := panAt(buf, i, j, emit); end > 0 {
			i = end
			continue
		}
		if j-i >= 4 {
			if end := maskedAt(buf, i, j, emit); end > 0 {
				i = end
				continue
			}
		}
		i = j
	}
	return i
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
	spans []hit
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
	d.spans = d.spans[:0]
	scanSecrets(buf, at.secrets, to, func(h hit) {
		d.spans = append(d.spans, h)
	})
	next := cursor{secrets: max(to, at.secrets), pans: at.pans}
	if len(d.spans) == 0 {
		next.pans = max(next.pans, scanPANs(buf, at.pans, to, emit, noSkip))
		return next
	}
	sortHits(d.spans)
	// Overlapping secrets (a key quoted inside a PEM body): keep the outer.
	kept := d.spans[:0]
	for _, h := range d.spans {
		if len(kept) > 0 && h.start < kept[len(kept)-1].end {
			continue
		}
		kept = append(kept, h)
		emit(h)
		next.secrets = max(next.secrets, h.end)
	}
	d.spans = kept
	i := 0
	skip := func(p int) int {
		for i < len(d.spans) && d.spans[i].end <= p {
			i++
		}
		if i < len(d.spans) && d.spans[i].start <= p {
			return d.spans[i].end
		}
		return 0
	}
	// Card numbers inside a secret that runs past to are not numbers.
	next.pans = max(scanPANs(buf, at.pans, to, emit, skip), d.spans[len(d.spans)-1].end)
	return next
}

func noSkip(int) int { return 0 }

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
