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
// (not after a digit) that could begin a card number: beginning with 1-9,
// twelve digits or masks in a row (a plain or partly masked number) or a
// group of four, a separator and three digits or masks (a grouped one); or
// with masks just before (************1111, **** **** **** 1111). Only
// those are looked at byte by byte, and judged as before the filter: it
// only drops runs where panAt and maskedAt find nothing.
func scanPANs(buf []byte, i, to int, cards testCards, emit func(hit), sk *skipper) int {
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
				i = judgeRun(buf, k, cards, emit, sk)
			}
		}
	}
	return max(i, to)
}

// judgeRun reports the card number, if any, that the digit run at i (four
// digits or more, not after a digit) begins, and returns where scanning
// resumes.
func judgeRun(buf []byte, i int, cards testCards, emit func(hit), sk *skipper) int {
	j := runEnd(buf, i+4)
	if l := j - i; l >= minPAN && (l > maxPAN || !brandLengths[int(buf[i]-'0')*10+int(buf[i+1]-'0')].has(l)) && !maskNear(buf, i, j) {
		return j // a run no brand issues, no mask beside it: most long runs (ids, epoch milliseconds)
	}
	if !startsNumber(buf, i) {
		return j
	}
	if sk != nil {
		if e := sk.skip(i); e > i {
			return max(e, j)
		}
	}
	if l := j - i; l >= minPAN || (l == 4 && groupNext(buf, j)) {
		if end := panAt(buf, i, j, cards, emit); end > 0 {
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

// runEnd is the end of the digit run going on at buf[j], eight bytes a
// step: ids of 18 digits are the runs text holds most.
func runEnd(buf []byte, j int) int {
	for ; j+8 <= len(buf); j += 8 {
		w := binary.LittleEndian.Uint64(buf[j:])
		if other := ^rangeMask(w, '0', '9') & highs; other != 0 {
			return j + bits.TrailingZeros64(other)/8
		}
	}
	for j < len(buf) && isDigit(buf[j]) {
		j++
	}
	return j
}

// startsNumber reports whether a digit run at i may begin a card number
// given what precedes it: not the fraction of a decimal (3.1415…), not a
// negative or signed number (-4181792142133755926), not glued to a word
// (hex, identifiers) — except where card records glue it: track 1
// (%B4111…^) and fixed-width records (SMITHJOHN4111…).
func startsNumber(buf []byte, i int) bool {
	if i == 0 {
		return true
	}
	switch c := buf[i-1]; {
	case c == '.':
		return i < 2 || !isDigit(buf[i-2]) // 0.4111…
	case c == '-' || c == '+':
		return i >= 2 && isAlnum(buf[i-2]) // ORDER-4111… yes, -4111… no
	case isAlpha(c):
		return c == 'B' && i >= 2 && buf[i-2] == '%' || recordWord(buf, i-1, -1)
	}
	return true
}

// endsNumber reports whether a card number may end at j given what
// follows: not the integer part of a decimal (4503601774854144.0), not
// glued to a word except a fixed-width record's (…1111USD).
func endsNumber(buf []byte, j int) bool {
	if j >= len(buf) {
		return true
	}
	switch c := buf[j]; {
	case c == '.':
		return j+1 >= len(buf) || !isDigit(buf[j+1])
	case isAlpha(c):
		return recordWord(buf, j, 1)
	}
	return true
}

// recordWord reports whether the letters from p on (dir +1) or back from
// p (dir -1) are a word of a fixed-width record: two upper-case letters
// or more, one of them beyond F (hex digits are A-F) and not a mask X.
func recordWord(buf []byte, p, dir int) bool {
	n, nonHex := 0, false
	for ; p >= 0 && p < len(buf) && isAlpha(buf[p]); p += dir {
		c := buf[p]
		if c < 'A' || c > 'Z' {
			return false
		}
		nonHex = nonHex || c > 'F' && c != 'X' // XXXX is a mask
		n++
	}
	return n >= 2 && nonHex
}

// sepAt returns the length of a group separator at buf[p] and which one
// it is, or 0: a space, dash, dot or plus, a no-break space (Latin-1 or
// UTF-8), &nbsp; or &#160;, or a URL-encoded space or dash.
func sepAt(buf []byte, p int) (int, byte) {
	if p >= len(buf) {
		return 0, 0
	}
	switch c := buf[p]; c {
	case ' ', '-', '.', '+', 0xa0:
		return 1, c
	case 0xc2:
		if p+1 < len(buf) && buf[p+1] == 0xa0 {
			return 2, 0xa0
		}
	case '&':
		if bytes.HasPrefix(buf[p:], []byte("&nbsp;")) || bytes.HasPrefix(buf[p:], []byte("&#160;")) {
			return 6, 0xa0
		}
	case '%':
		if p+2 < len(buf) && buf[p+1] == '2' {
			switch buf[p+2] {
			case '0':
				return 3, ' '
			case 'D', 'd':
				return 3, '-'
			}
		}
	}
	return 0, 0
}

// groupNext reports whether a separator and a digit follow buf[:j].
func groupNext(buf []byte, j int) bool {
	l, _ := sepAt(buf, j)
	return l > 0 && j+l < len(buf) && isDigit(buf[j+l])
}

// panAt reports the card number starting with the digit run buf[i:j], if
// any, and returns its end (0 when none). Plain: 13–19 digits. Grouped: a
// first group of four, then groups of 4–6 digits, the last one 3–6, all
// joined by the same separator (4-4-4-4, 4-6-5, 4-6-4, 4-4-4-4-3). A chain
// longer than a card is no card, but a card may be followed by one group
// of three (a CVV).
func panAt(buf []byte, i, j int, cards testCards, emit func(hit)) int {
	l := j - i
	if l >= minPAN {
		if l > maxPAN || !endsNumber(buf, j) {
			return 0
		}
		var d [maxPAN]byte
		copy(d[:], buf[i:j])
		// The number check before the neighbours': most runs fail it.
		if b := validPAN(d[:l]); b != "" && !inNumberList(buf, i, j) && !inNumberColumn(buf, i, j) {
			emitPAN(buf, i, j, b, cards, emit)
			return j
		}
		return 0
	}
	if l != 4 || !groupNext(buf, j) {
		return 0
	}
	_, sep := sepAt(buf, j)
	if i >= 2 && isDigit(buf[i-2]) {
		if _, s := sepAt(buf, i-1); s == sep {
			return 0 // inside a longer group chain: 5703-6700-3409 in 6209-5703-6700-3409
		}
	}
	if i > 0 && sep == '.' && buf[i-1] == '.' {
		return 0 // a chain led by its separator: [.4300.0020.0011.0002] (collation weights)
	}
	if i >= 2 && buf[i-1] == sep && hexWord(buf, i-2, -1) {
		return 0 // a hex dump: 568E 5680 5690 5685 5687 568F
	}
	for _, w := range []int{2, 3, 6} { // the multi-byte separators end right before i
		if i > w && isDigit(buf[i-w-1]) {
			if l, s := sepAt(buf, i-w); l == w && s == sep {
				return 0
			}
		}
	}
	var d [maxPAN + 8]byte
	copy(d[:], buf[i:j])
	total := 4
	// ends[k], counts[k]: byte end and digit count of the reading with k+2 groups.
	var ends, counts [8]int
	k := 0
	more := false // the chain goes on past the groups read
	for p := j; k < len(ends); {
		sl, s := sepAt(buf, p)
		if sl == 0 || s != sep || p+sl >= len(buf) || !isDigit(buf[p+sl]) {
			break
		}
		st := p + sl
		e := st + 1
		for e < len(buf) && isDigit(buf[e]) {
			e++
		}
		g := e - st
		nl, ns := sepAt(buf, e)
		if g < 3 || g > 6 || total+g > maxPAN || !(nl > 0 && ns == sep) && !endsNumber(buf, e) {
			more = g > 3 || total+g > maxPAN
			break
		}
		copy(d[total:], buf[st:e])
		total += g
		ends[k], counts[k] = e, total
		k++
		if g == 3 { // only a last group may be short
			break
		}
		p = e
	}
	last := k - 1
	for ; k > 0; k-- {
		n := counts[k-1]
		dropped := last - (k - 1) // groups after this reading
		if n < minPAN || more && dropped == 0 {
			break
		}
		// Only a trailing group of three (a CVV) may be left out.
		if dropped > 1 || dropped == 1 && counts[last]-n != 3 {
			break
		}
		if e := ends[k-1]; e+1 < len(buf) && buf[e] == sep && hexWord(buf, e+1, 1) {
			break
		}
		if b := validPAN(d[:n]); b != "" {
			emitPAN(buf, i, ends[k-1], b, cards, emit)
			return ends[k-1]
		}
	}
	return 0
}

// hexWord reports whether the word from p on (dir +1) or back from p (dir
// -1) is a number in hex: two to eight hex digits, letters and digits both.
func hexWord(buf []byte, p, dir int) bool {
	n, letters, digits := 0, 0, 0
	for ; p >= 0 && p < len(buf) && isAlnum(buf[p]); p += dir {
		switch c := buf[p]; {
		case isDigit(c):
			digits++
		case isHex(c):
			letters++
		default:
			return false
		}
		n++
	}
	return n >= 2 && n <= 8 && letters > 0 && digits > 0
}

// inNumberList reports whether the run buf[i:j] sits in a list or column
// of other long integers ({84926274344903, 473620666599931, …}, one number
// a line): a table of constants or ids, not cards. It takes a long
// non-card neighbour on both sides, or on one side for a run of 17 digits
// or more (the 19-digit int64 constants of source code). A card listed
// beside other cards is kept.
func inNumberList(buf []byte, i, j int) bool {
	left, right := longNeighbour(buf, i, -1), longNeighbour(buf, j, 1)
	return left && right || j-i >= 17 && (left || right)
}

// tableReach is how far around a number its neighbouring lines are read:
// the streamer keeps that much before a chunk (lookbehind), and far more
// after it (overlap), so a file reads the same whatever its chunks.
const tableReach = lookbehind

// tableLines is how many lines above and below a number are looked at.
const tableLines = 8

// inNumberColumn reports whether the run buf[i:j] is one value of a column
// of numbers that are mostly not cards: the same field (the same count of
// words before it, with the same punctuation between them) of the lines
// around it holds a whole run of ten digits or more. It takes two such non-card neighbours at least, twice as many
// as card neighbours. A column of format-preserving tokens (16 digits or
// more, with a brand's prefix, failing Luhn) holding one clear number is a
// leak, so for numbers of 16 digits or more it also takes one neighbour
// that is not card-shaped (another length, no brand) or shares more than
// a BIN's eight leading digits (a sorted table: counters, ids), or a
// column written with six digits or fewer of the ten (codes: CJK stroke
// orders use 1-5), which random card digits never are.
func inNumberColumn(buf []byte, i, j int) bool {
	floor := max(0, i-tableReach)
	ls, ok := lineStart(buf, i, floor)
	if !ok {
		return false
	}
	field := wordsIn(buf[ls:i])
	var cards, others, shapeless, ndigits int
	var used uint16 // the digits the column is written with
	for _, c := range buf[i:j] {
		used |= 1 << (c - '0')
	}
	look := func(from, to int) {
		at, v := fieldAt(buf[from:to], field)
		if len(v) < 10 || !sameShape(buf[ls:i], buf[from:from+at]) {
			return
		}
		if len(v) <= maxPAN && validPAN(v) != "" {
			cards++
			return
		}
		others++
		if len(v) != j-i || len(v) > maxPAN || brand(v) == "" || commonPrefix(v, buf[i:j]) > 8 {
			shapeless++
		}
		for _, c := range v {
			used |= 1 << (c - '0')
		}
		ndigits += len(v)
	}
	// Lines above: each ends where the one below starts.
	for end, n := ls, 0; n < tableLines && end > floor; n++ {
		s, ok := lineStart(buf, end-1, floor)
		if !ok {
			break
		}
		look(s, end-1)
		end = s
	}
	// Lines below: each starts past the newline ending the one above.
	ceil := min(len(buf), j+tableReach)
	for nl, n := bytes.IndexByte(buf[j:ceil], '\n'), 0; nl >= 0 && n < tableLines; n++ {
		s := j + nl + 1
		e := bytes.IndexByte(buf[s:ceil], '\n')
		if e < 0 {
			break
		}
		look(s, s+e)
		nl = s + e - j
	}
	if others < 2 || others <= 2*cards {
		return false
	}
	return j-i < 16 || shapeless > 0 || ndigits >= 40 && bits.OnesCount16(used) <= 6
}

// commonPrefix is the length of the common prefix of a and b.
func commonPrefix(a, b []byte) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// lineStart returns the start of the line holding p, searching back to
// floor; false when the line starts before floor (too long to tell).
func lineStart(buf []byte, p, floor int) (int, bool) {
	k := lastNewline(buf[floor:p])
	if k >= 0 {
		return floor + k + 1, true
	}
	return 0, floor == 0
}

// wordsIn counts the runs of letters and digits in line.
func wordsIn(line []byte) int {
	n := 0
	var prev uint64
	k := 0
	for ; k+8 <= len(line); k += 8 {
		starts, alnum := wordStarts(binary.LittleEndian.Uint64(line[k:]), prev)
		n += bits.OnesCount64(starts)
		prev = alnum >> 7
	}
	for ; k < len(line); k++ {
		if isAlnum(line[k]) && (k == 0 || !isAlnum(line[k-1])) {
			n++
		}
	}
	return n
}

// wordStarts returns, a bit per byte of the eight of w (the first the
// lowest), the letters and digits that start a word, and all letters and
// digits; prev is 1 when the byte before w is a letter or digit.
func wordStarts(w, prev uint64) (starts, alnum uint64) {
	alnum = gather(rangeMask(w, '0', '9') | rangeMask(w|ones*0x20, 'a', 'z'))
	return alnum &^ (alnum<<1 | prev), alnum
}

// lastNewline is bytes.LastIndexByte(b, '\n'), which is not vectorised:
// eight bytes at a time. The lines above every card number are walked
// back over.
func lastNewline(b []byte) int {
	k := len(b)
	for ; k >= 8; k -= 8 {
		if m := equalMask(binary.LittleEndian.Uint64(b[k-8:]), '\n'); m != 0 {
			return k - 8 + (63-bits.LeadingZeros64(m))/8
		}
	}
	for k--; k >= 0 && b[k] != '\n'; k-- {
	}
	return k
}

// fieldAt returns where the n-th (0-based) run of letters and digits of
// line starts, and the run when it is all digits (else nil).
func fieldAt(line []byte, n int) (int, []byte) {
	k := wordStart(line, n)
	if k < 0 {
		return 0, nil
	}
	e := k
	for e < len(line) && isDigit(line[e]) {
		e++
	}
	if e < len(line) && isAlpha(line[e]) {
		return k, nil
	}
	return k, line[k:e]
}

// wordStart returns where the n-th (0-based) run of letters and digits of
// line starts, or -1. The words of eight bytes are counted at once: the
// sixteen lines around every card number are walked to its field.
func wordStart(line []byte, n int) int {
	var prev uint64 // 1 when the byte before line[k] is a letter or digit
	k := 0
	for ; k+8 <= len(line); k += 8 {
		starts, alnum := wordStarts(binary.LittleEndian.Uint64(line[k:]), prev)
		if c := bits.OnesCount64(starts); n >= c {
			n -= c
			prev = alnum >> 7
			continue
		}
		for ; n > 0; n-- {
			starts &= starts - 1
		}
		return k + bits.TrailingZeros64(starts)
	}
	for ; k < len(line); k++ {
		if !isAlnum(line[k]) {
			prev = 0
			continue
		}
		if prev == 0 {
			if n == 0 {
				return k
			}
			n--
		}
		prev = 1
	}
	return -1
}

// sameShape reports whether two lines' beginnings separate their words
// alike: the same punctuation between them, a run of blanks as one
// (columns padded to a width). Records of one table share their shape;
// the lines of a log seldom do.
func sameShape(a, b []byte) bool {
	i, j := 0, 0
	for {
		for i < len(a) && isAlnum(a[i]) {
			i++
		}
		for j < len(b) && isAlnum(b[j]) {
			j++
		}
		if i == len(a) || j == len(b) {
			return i == len(a) && j == len(b)
		}
		if isBlank(a[i]) && isBlank(b[j]) {
			for i < len(a) && isBlank(a[i]) {
				i++
			}
			for j < len(b) && isBlank(b[j]) {
				j++
			}
			continue
		}
		if a[i] != b[j] {
			return false
		}
		i++
		j++
	}
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// longNeighbour: past a comma or a line break (and spaces) from p in
// direction dir, a run of ten digits or more that is not a card number.
func longNeighbour(buf []byte, p, dir int) bool {
	q := p
	if dir < 0 {
		q--
	}
	listed := false
	for steps := 0; q >= 0 && q < len(buf) && steps < 4; steps++ {
		c := buf[q]
		if c == ',' || c == '\n' {
			listed = true
		} else if c != ' ' && c != '\t' && c != '\r' && c != '-' {
			break
		}
		q += dir
	}
	if !listed {
		return false
	}
	e := q
	for e >= 0 && e < len(buf) && isDigit(buf[e]) && (e-q)*dir < maxPAN+2 {
		e += dir
	}
	lo, hi := q, e
	if dir < 0 {
		lo, hi = e+1, q+1
	}
	if hi-lo < 10 {
		return false
	}
	if hi-lo > maxPAN {
		return true
	}
	var d [maxPAN]byte
	copy(d[:], buf[lo:hi])
	return validPAN(d[:hi-lo]) == ""
}

// validPAN returns the brand of d when it is a Luhn-valid card number of a
// known brand and length, else "".
func validPAN(d []byte) string {
	// Lengths no brand has for the first two digits first (18-digit build
	// ids, 13-digit epoch milliseconds), then Luhn: it fails nine runs in
	// ten.
	if len(d) < minPAN || len(d) > maxPAN || !brandLengths[int(d[0]-'0')*10+int(d[1]-'0')].has(len(d)) || !luhn(d) {
		return ""
	}
	return brand(d)
}

// panDigits returns the digits of a card number as found, without its
// separators (whose encodings may hold digits: %20, &#160;).
func panDigits(raw []byte) []byte {
	d := make([]byte, 0, maxPAN)
	for p := 0; p < len(raw); {
		if isDigit(raw[p]) {
			d = append(d, raw[p])
			p++
			continue
		}
		l, _ := sepAt(raw, p)
		p += max(l, 1)
	}
	return d
}

// emitPAN reports the card number buf[start:end], and sensitive
// authentication data around it (track data, a CVV).
func emitPAN(buf []byte, start, end int, brand string, cards testCards, emit func(hit)) {
	pan := string(panDigits(buf[start:end]))
	test := cards.test(pan)
	masked := MaskPAN(pan)
	emit(hit{start: start, end: end, typ: TypePAN, brand: brand, masked: masked, test: test, live: !test})
	sadNear(buf, start, end, brand, masked, !test, emit)
}

// detector finds secrets and card numbers in one buffer. It keeps the
// secrets' spans so card numbers inside them (digits in a key body) are not
// reported twice.
type detector struct {
	sw    *sweep // finds the secrets and the card numbers with hidden separators
	cards testCards
	spans skipper
	seps  []hit
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
	sk.spans, sk.i, d.seps = sk.spans[:0], 0, d.seps[:0]
	d.sweep(buf, at, to)
	next := cursor{secrets: max(to, at.secrets), pans: at.pans}
	if len(sk.spans) == 0 && len(d.seps) == 0 {
		next.pans = max(next.pans, scanPANs(buf, at.pans, to, d.cards, emit, nil))
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
	sk.spans, sk.i = kept, 0
	// Card numbers the separator pass found are reported once: the card
	// scan skips their spans as it skips secrets'.
	sortHits(d.seps)
	n := len(kept)
	for _, h := range d.seps {
		if e := sk.skip(h.start); e > h.start {
			continue // inside a secret
		}
		emit(h)
		if h.typ == TypePAN {
			kept = append(kept, h)
		}
	}
	if len(kept) > n {
		sortHits(kept)
	}
	sk.spans, sk.i = kept, 0
	end := 0
	for _, h := range kept {
		end = max(end, h.end)
	}
	// Card numbers inside a secret that runs past to are not numbers.
	next.pans = max(scanPANs(buf, at.pans, to, d.cards, emit, sk), end, next.pans)
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

// sepPANAt reports the card number, if any, starting in [from, to) of
// buf whose first group is followed by the separator at q, one the
// byte-class filter cannot see (it looks for three digits right after a
// four-digit group's separator): &nbsp;, &#160;, %2D. It returns where
// the next separator may be.
func sepPANAt(buf []byte, from, to, q int, cards testCards, emit func(hit)) int {
	i := q - 4
	if l, _ := sepAt(buf, q); l < 3 || i < from || i >= to || !isDigit(buf[i]) || !isDigit(buf[i+1]) || !isDigit(buf[i+2]) ||
		!isDigit(buf[i+3]) || (i > 0 && isDigit(buf[i-1])) || !startsNumber(buf, i) || buf[q] == '%' && buf[q+2] == '0' {
		return q + 1 // %20 the filter sees: its digits look like a group's
	}
	if end := panAt(buf, i, q, cards, emit); end > 0 {
		return end
	}
	return q + 1
}
