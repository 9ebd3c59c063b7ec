package scan

import "strings"

// TypeMaskedPAN is the hit type of a card number shown partly masked
// (411111******1111, 4111 11** **** 1111, •••• •••• •••• 1111). PCI DSS
// 3.4.1 allows at most the first six and last four digits to be visible.
const TypeMaskedPAN = "masked_pan"

// MaskedPAN is a partly masked card number found in a file. Masked is the
// text as found when it complies, else the same text masked further to
// first six / last four: what the tool prints never shows more.
type MaskedPAN struct {
	Brand        string `json:"brand,omitempty"` // when six leading digits show
	Masked       string `json:"masked"`
	VisibleFirst int    `json:"visible_first"`
	VisibleLast  int    `json:"visible_last"`
	Compliant    bool   `json:"compliant"`
	File         string `json:"file"`
	Line         int    `json:"line"`
	Column       int    `json:"column"`
}

// maxMaskedBytes bounds a masked number: 19 positions of up to three bytes
// (•) and four separators. It fits in the streamer's lookbehind.
const maxMaskedBytes = 3*maxPAN + 4

// maskWidth returns the byte length of the mask character at buf[p] (*, X,
// x, or • in UTF-8), or 0.
func maskWidth(buf []byte, p int) int {
	switch c := buf[p]; c {
	case '*', 'X', 'x':
		return 1
	case 0xe2:
		if p+2 < len(buf) && buf[p+1] == 0x80 && buf[p+2] == 0xa2 {
			return 3
		}
	}
	return 0
}

// maskBefore returns the byte length of the mask character ending just
// before p, or 0.
func maskBefore(buf []byte, p int) int {
	if p >= 1 && maskWidth(buf, p-1) == 1 {
		return 1
	}
	if p >= 3 && maskWidth(buf, p-3) == 3 {
		return 3
	}
	return 0
}

// maskNear is a quick necessary condition for maskedAt on the run
// buf[i:j]: a mask right before it (maybe past a separator), or right after
// the digits and separators that follow it. Most runs (dates, ids) have
// none.
func maskNear(buf []byte, i, j int) bool {
	if maskBefore(buf, i) > 0 || (i >= 1 && (buf[i-1] == ' ' || buf[i-1] == '-') && maskBefore(buf, i-1) > 0) {
		return true
	}
	e := j
	for e < len(buf) && e-i < maxMaskedBytes && (isDigit(buf[e]) || buf[e] == ' ' || buf[e] == '-') {
		e++
	}
	return e < len(buf) && maskWidth(buf, e) > 0
}

// maskedAt reports the masked card number holding the digit run buf[i:j]
// (four digits or more) and returns its end, or 0 when there is none. The
// number may begin before i with masks only (************1111); one that
// begins with digits belongs to its first run, which was tried already.
// So every masked number is found from one run, whichever scan call meets
// it, and chunking cannot change what is reported. Over-revealing numbers
// show at least seven digits on one side, hence four in a row: the fast
// path's trigger misses none of them.
func maskedAt(buf []byte, i, j int, emit func(hit)) int {
	s := i
	for s > 0 && i-s < maxMaskedBytes {
		if w := maskBefore(buf, s); w > 0 {
			s -= w
			continue
		}
		if c := buf[s-1]; (c == ' ' || c == '-') && maskBefore(buf, s-1) > 0 {
			s--
			continue
		}
		break
	}
	if s > 0 {
		c := buf[s-1]
		if isAlnum(c) || c == '*' || c >= 0x80 || ((c == ' ' || c == '-') && s >= 2 && isDigit(buf[s-2])) {
			return 0
		}
	}

	// Groups of digits and masks from s, joined by one separator.
	var groups [6]maskGroup
	k, total := 0, 0
	var sep byte
	for p := s; k < len(groups); {
		e, c := p, 0
		for e < len(buf) && c <= maxPAN {
			if isDigit(buf[e]) {
				e++
			} else if w := maskWidth(buf, e); w > 0 {
				e += w
			} else {
				break
			}
			c++
		}
		if c == 0 || total+c > maxPAN {
			break
		}
		total += c
		groups[k] = maskGroup{e, total}
		k++
		if e+1 >= len(buf) || (buf[e] != ' ' && buf[e] != '-') || (sep != 0 && buf[e] != sep) {
			break
		}
		sep = buf[e]
		p = e + 1
	}
	// The longest reading wins; a grouped one starts with four and has
	// groups of 4–6 (a last group of three only when it is masked).
	for ; k > 0; k-- {
		g := groups[k-1]
		if g.count < 13 || g.end < j || (g.end < len(buf) && (isAlnum(buf[g.end]) || maskWidth(buf, g.end) > 0)) {
			continue
		}
		if k > 1 && !maskedGrouping(buf, groups[:k]) {
			continue
		}
		if h, ok := maskedHit(buf, s, g.end, g.count); ok {
			emit(h)
			return g.end
		}
	}
	return 0
}

// maskGroup is a group of a masked number: its byte end and the positions
// counted up to it.
type maskGroup struct{ end, count int }

// maskedGrouping checks a grouped reading's group sizes.
func maskedGrouping(buf []byte, groups []maskGroup) bool {
	prev := 0
	for n, g := range groups {
		size := g.count - prev
		prev = g.count
		switch {
		case n == 0 && size != 4:
			return false
		case n > 0 && (size < 3 || size > 6):
			return false
		case size == 3 && n < len(groups)-1:
			return false
		case size == 3:
			start := groups[n-1].end + 1
			if !strings.ContainsFunc(string(buf[start:g.end]), func(r rune) bool { return r < '0' || r > '9' }) {
				return false // three digits after a number: a CVV or a year
			}
		}
	}
	return true
}

// maskedHit judges buf[s:end], count positions long: digits, then masks,
// then digits. It needs two masks at least, a first digit a card can begin
// with, and a known brand for the length when six leading digits show.
func maskedHit(buf []byte, s, end, count int) (hit, bool) {
	var d [maxPAN]byte
	n, first, last, masks := 0, 0, 0, 0
	for p := s; p < end; {
		switch {
		case isDigit(buf[p]):
			if masks > 0 {
				last++
			} else {
				first++
			}
			d[n] = buf[p]
			p++
		case maskWidth(buf, p) > 0:
			if last > 0 {
				return hit{}, false // digits between masks: not a masked number
			}
			masks++
			d[n] = '0'
			p += maskWidth(buf, p)
		default: // a separator
			p++
			continue
		}
		n++
	}
	if masks < 2 || n != count || (first > 0 && (d[0] < '2' || d[0] > '6')) {
		return hit{}, false
	}
	b := ""
	if first >= 6 {
		if b = brand(d[:n]); b == "" {
			return hit{}, false
		}
	}
	compliant := first <= 6 && last <= 4
	h := hit{start: s, end: end, typ: TypeMaskedPAN, brand: b, live: !compliant, first: first, last: last}
	if compliant {
		h.masked = string(buf[s:end])
		return h, true
	}
	// Mask further: keep six leading and four trailing digits.
	var out strings.Builder
	lead, trail := 0, 0
	for p := s; p < end; {
		c := buf[p]
		switch {
		case isDigit(c) && trail == 0 && lead < first:
			lead++
			if lead > 6 {
				c = '*'
			}
		case isDigit(c):
			trail++
			if trail <= last-4 {
				c = '*'
			}
		case maskWidth(buf, p) > 0:
			lead = first // masks end the leading digits
			w := maskWidth(buf, p)
			out.Write(buf[p : p+w])
			p += w
			continue
		}
		out.WriteByte(c)
		p++
	}
	h.masked = out.String()
	return h, true
}
