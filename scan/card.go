package scan

import "strings"

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

// isTestCard reports whether pan is one of the providers' published test
// numbers (Stripe, Adyen, PayPal, Braintree, Amazon Pay sandbox, Worldpay,
// Checkout.com…): finding one is worth reporting, but it is not card data.
func isTestCard(pan string) bool {
	switch pan {
	case
		// Visa
		"4242424242424242", "4000056655665556", "4000002500003155", "4000002760003184",
		"4000003800000446", "4000000000003220", "4000000000003063", "4000008400001629",
		"4000000000000002", "4000000000009995", "4000000000009987", "4000000000009979",
		"4000000000000069", "4000000000000127", "4000000000000119", "4000000000000101",
		"4000000000000036", "4000000000000077", "4000000000000093", "4000000000000341",
		"4000000000000259", "4000000000005126", "4000000000000010", "4000000000000028",
		"4000000000000044", "4000000000003055", "4000000000003238", "4000000000003246",
		"4000000000003253", "4000000000000309", "4000000000000325", "4000000000003014",
		"4000000000003022", "4000000000003030", "4000000000003048", "4000000000003089",
		"4000000000003097", "4000000760000002", "4000001240000000",
		"4000000400000008", "4000000560000004", "4000002080000001", "4000002460000001",
		"4000002500000003", "4000002760000016", "4000003720000005", "4000003800000008",
		"4000004400000000", "4000005280000002", "4000005780000007", "4000006200000007",
		"4000006430000009", "4000007240000007", "4000007560000009", "4000008260000000",
		"4000020000000000", "4000000000001000", "4000000000001091",
		"4111111111111111", "4012888888881881", "4222222222222", "4012888888881",
		"4005519200000004", "4009348888881881", "4012000033330026", "4012000077777777",
		"4217651111111119", "4500600000000061", "4988438843884305", "4166676667666746",
		"4646464646464644", "4000620000000007", "4444333322221111", "4917610000000000",
		"4917610000000000003", "4035501000000008", "4360000001000005",
		"4032039317984658", "4032036247327321", "4263982640269299",
		"4917484589897107", "4001919257537193", "4007702835532454", "4484070000035519",
		"4988080000000000", "4462030000000000", "4917300800000000", "4005550000000001",
		// Mastercard
		"5555555555554444", "2223003122003222", "5200828282828210", "5105105105105100",
		"5555444433331111", "2222400070000005", "5454545454545454", "5431111111111111",
		"2223000048400011", "2223520043560014", "5500000000000004", "5424000000000015",
		"5101180000000007", "5577000055770004", "5136333333333335", "5585558555855583",
		"5200000000001096", "5200000000001005",
		"2222410740360010", "2222990905257051", "5100290029002909", "5399999999999999",
		"5425233430109903", "2222420000001113", "2223000010005798",
		// American Express
		"378282246310005", "371449635398431", "378734493671000", "370000000000002",
		"340000000000009", "370000000100018", "374245455400126", "374251018720018",
		"374101000000608", "343434343434343", "371111111111114",
		// Discover
		"6011111111111117", "6011000990139424", "6011981111111113", "6011601160116611",
		"6011000400000000", "6011000991300009", "6445644564456445",
		"6011000000000004", "6011000000000012",
		// Diners Club
		"3056930009020004", "36227206271667", "30569309025904", "38520000023237",
		"36006666333344", "36148900647913", "30000000000004",
		"36259600000004", "36070500001020",
		// JCB
		"3566002020360505", "3530111333300000", "3569990010095841", "3528000000000007",
		"3566111111111113", "3569990010030400", "3528000700000000", "3569990000000009",
		// UnionPay
		"6200000000000005", "6200000000000047", "6205500000000000004", "6250946000000016",
		"6243030000000001", "6212345678901232", "6250947000000014", "6212345678901265",
		"6555900000604105",
		// Maestro
		"6703444444444449", "6771798021000008", "5000550000000029", "6759649826438453",
		"6799990100000000019", "6304000000000000", "5018000000000009",
		"6761000000000006", "6763000000000004", "6771798025000004",
		"6331101999990016", "5019717010103742", "5610591081018250":
		return true
	}
	return false
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
