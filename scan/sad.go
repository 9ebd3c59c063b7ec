package scan

import "bytes"

// TypeSAD is the finding type of sensitive authentication data (PCI DSS
// 3.3.1): full track data and card verification codes, which may never be
// stored after authorisation, even encrypted. Kinds: track1, track2, cvv.
const TypeSAD = "sad"

// SAD kinds.
const (
	Track1 = "track1"
	Track2 = "track2"
	CVV    = "cvv"
)

// cvvWindow is how far from a card number a labelled CVV is looked for.
const cvvWindow = 48

// sadNear reports track data holding the card number buf[start:end], and
// a labelled verification code near it. live follows the card number's.
func sadNear(buf []byte, start, end int, brand, masked string, live bool, emit func(hit)) {
	n := len(buf)
	// Track 1: %B PAN ^ NAME ^ YYMM service-code discretionary…
	if start >= 1 && buf[start-1] == 'B' && end < n && buf[end] == '^' {
		if k := bytes.IndexByte(buf[end+1:min(n, end+28)], '^'); k >= 0 && digitsAt(buf, end+2+k, 7) {
			s := start - 1
			if s >= 1 && buf[s-1] == '%' {
				s--
			}
			emit(hit{start: s, end: end + 2 + k + 7, typ: TypeSAD, kind: Track1, brand: brand, masked: "%B" + masked + "^…", live: live})
		}
	}
	// Track 2: ;PAN=YYMM service-code discretionary…
	if end < n && buf[end] == '=' && digitsAt(buf, end+1, 7) {
		s := start
		if s >= 1 && buf[s-1] == ';' {
			s--
		}
		emit(hit{start: s, end: end + 8, typ: TypeSAD, kind: Track2, brand: brand, masked: ";" + masked + "=…", live: live})
	}
	// A CVV named as such, after the number or before it.
	p, l := cvvAfter(buf, end, min(n, end+cvvWindow))
	if l == 0 {
		p, l = cvvAfter(buf, max(0, start-cvvWindow), start)
	}
	if l > 0 {
		emit(hit{start: p, end: p + l, typ: TypeSAD, kind: CVV, brand: brand, masked: "***", live: live})
	}
}

func digitsAt(buf []byte, p, k int) bool {
	if p+k > len(buf) {
		return false
	}
	for _, c := range buf[p : p+k] {
		if !isDigit(c) {
			return false
		}
	}
	return true
}

var cvvLabels = [...]string{"cvv2", "cvc2", "cvv", "cvc", "cid", "csc", "security code", "security_code", "securitycode", "card verification"}

// cvvAfter returns where a value of 3 or 4 digits labelled as a CVV starts
// in buf[from:to] (the label in it, the value right after) and its length,
// 0 when there is none.
func cvvAfter(buf []byte, from, to int) (int, int) {
	seg := buf[from:to]
	for i := 0; i < len(seg); i++ {
		c := seg[i] | 0x20
		if c != 'c' && c != 's' {
			continue
		}
		for _, l := range cvvLabels {
			if i+len(l) > len(seg) || !bytes.EqualFold(seg[i:i+len(l)], []byte(l)) || (i > 0 && isAlpha(seg[i-1])) {
				continue
			}
			p := from + i + len(l)
			for k := 0; k < 6 && p < len(buf) && !isDigit(buf[p]) && !isAlpha(buf[p]) && buf[p] != '\n'; k++ {
				p++
			}
			e := p
			for e < len(buf) && isDigit(buf[e]) {
				e++
			}
			if e-p == 3 || e-p == 4 {
				if e < len(buf) && isAlpha(buf[e]) {
					continue
				}
				return p, e - p
			}
		}
	}
	return 0, 0
}
