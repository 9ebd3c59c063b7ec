package scan

import (
	"strings"

	"github.com/audit-tool/audit/pack"
)

// maxPAN is the longest card number (ISO/IEC 7812); minPAN the shortest
// we look for. Maestro allows 12 digits, but no issuer is known to use
// them, and 12-digit runs (ids, timestamps, amounts in cents) are many.
const (
	minPAN = 13
	maxPAN = 19
)

// Card brands as reported in findings.
const (
	Visa       = "visa"
	Mastercard = "mastercard"
	Amex       = "amex"
	Discover   = "discover"
	Diners     = "diners"
	JCB        = "jcb"
	UnionPay   = "unionpay"
	Maestro    = "maestro"
	Mir        = "mir"
	RuPay      = "rupay"
	Troy       = "troy"
	UATP       = "uatp"
)

// luhn reports whether d (ASCII digits) passes the Luhn check.
func luhn(d []byte) bool {
	sum := 0
	double := false
	for i := len(d) - 1; i >= 0; i-- {
		v := int(d[i] - '0')
		if double {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
		double = !double
	}
	return sum%10 == 0
}

// brand returns the brand whose prefix and length d (ASCII digits, at least
// minPAN long) matches, or "" when none does.
func brand(d []byte) string {
	n := len(d)
	p2 := int(d[0]-'0')*10 + int(d[1]-'0')
	p3 := p2*10 + int(d[2]-'0')
	p4 := p3*10 + int(d[3]-'0')
	in := func(lo, hi int) bool { return n >= lo && n <= hi }
	// Ranges as the networks publish them (ISO/IEC 7812 IINs); where two
	// overlap, the co-branded network that issued the range first wins.
	switch {
	case d[0] == '1':
		if n == 15 {
			return UATP
		}
	case p4 >= 2200 && p4 <= 2204:
		if in(16, 19) {
			return Mir
		}
	case p4 == 9792:
		if n == 16 {
			return Troy
		}
	case p2 == 60 && p4 != 6011, p2 == 81, p2 == 82, p3 == 508:
		if n == 16 {
			return RuPay
		}
	case d[0] == '4':
		if n == 13 || n == 16 || n == 19 {
			return Visa
		}
	case p2 >= 51 && p2 <= 55, p4 >= 2221 && p4 <= 2720:
		if n == 16 {
			return Mastercard
		}
	case p2 == 34 || p2 == 37:
		if n == 15 {
			return Amex
		}
	case p4 == 6011, p3 >= 644 && p3 <= 649, p2 == 65:
		if in(16, 19) {
			return Discover
		}
	case p2 == 62:
		if in(16, 19) {
			return UnionPay
		}
	case p3 >= 300 && p3 <= 305, p4 == 3095, p2 == 36, p2 == 38, p2 == 39:
		if in(14, 19) {
			return Diners
		}
	case p4 >= 3528 && p4 <= 3589:
		if in(16, 19) {
			return JCB
		}
	case p2 == 50, p2 >= 56 && p2 <= 58, p2 == 63, p2 == 67:
		// Maestro cards have 16 or 19 digits; other lengths only in the
		// ranges Mastercard publishes for them. Ids of 17 or 18 digits
		// starting 50 (tweet ids) are many.
		if n == 16 || n == 19 || in(minPAN, maxPAN) && maestroIIN(p4) {
			return Maestro
		}
	}
	return ""
}

// lengthSet is a set of card number lengths, minPAN to maxPAN: bit n-minPAN.
type lengthSet uint8

func (l lengthSet) has(n int) bool { return l>>(n-minPAN)&1 != 0 }

// brandLengths is, for each two leading digits, the lengths some brand
// issues numbers of (bit n-minPAN): a number no brand can have is dropped
// before its Luhn check. It is what brand says over every four-digit
// prefix (all brand looks at) and length, as TestBrandLengths checks; a
// table rather than computed, since every digit run of the scan reads it.
var brandLengths = [100]lengthSet{
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 0x: none
	0x04, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04, // 1x: UATP, 15
	0x00, 0x00, 0x78, 0x08, 0x08, 0x08, 0x08, 0x08, 0x00, 0x00, // 2x: Mir, Mastercard 2-series
	0x7e, 0x00, 0x00, 0x00, 0x04, 0x78, 0x7e, 0x04, 0x7e, 0x7e, // 3x: Diners, Amex, JCB
	0x49, 0x49, 0x49, 0x49, 0x49, 0x49, 0x49, 0x49, 0x49, 0x49, // 4x: Visa, 13, 16, 19
	0x7f, 0x08, 0x08, 0x08, 0x08, 0x08, 0x48, 0x48, 0x7f, 0x00, // 5x: Maestro, Mastercard
	0x78, 0x00, 0x78, 0x7f, 0x78, 0x78, 0x00, 0x7f, 0x00, 0x00, // 6x: Discover, UnionPay, Maestro
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 7x: none
	0x00, 0x08, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 8x: RuPay
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, // 9x: Troy
}

// isTestCard reports whether pan is one of the providers' published test
// numbers, as the built-in provider packs list them (test_cards): finding
// one is worth reporting, but it is not card data.
func isTestCard(pan string) bool { return pack.Builtin().TestCard(pan) }

// testCards are the packs whose test_cards a scan honours: the built-in
// ones and the user's (--packs, merged with them); the zero value is the
// built-in packs'.
type testCards struct{ packs *pack.Set }

func (c testCards) test(pan string) bool {
	if c.packs == nil {
		return isTestCard(pan)
	}
	return c.packs.TestCard(pan)
}

// MaskPAN masks a card number to its first six and last four digits
// (411111******1111), as PCI DSS 3.4.1 allows displaying. Characters other
// than digits are dropped. Numbers too short to keep ten digits keep only
// the last four.
func MaskPAN(digits string) string {
	var d [64]byte
	n := 0
	for i := 0; i < len(digits) && n < len(d); i++ {
		if c := digits[i]; c >= '0' && c <= '9' {
			d[n] = c
			n++
		}
	}
	var b strings.Builder
	b.Grow(n)
	switch {
	case n > 10:
		b.Write(d[:6])
		for range n - 10 {
			b.WriteByte('*')
		}
		b.Write(d[n-4 : n])
	case n > 4:
		for range n - 4 {
			b.WriteByte('*')
		}
		b.Write(d[n-4 : n])
	default:
		for range n {
			b.WriteByte('*')
		}
	}
	return b.String()
}

// maestroIIN: the Maestro ranges Mastercard publishes, where the shorter
// and odd lengths are issued.
func maestroIIN(p4 int) bool {
	switch p4 {
	case 5018, 5020, 5038, 5893, 6304, 6759, 6761, 6762, 6763:
		return true
	}
	return false
}
