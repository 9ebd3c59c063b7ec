package funcs

import (
	"regexp"
	"strings"
)

// vatFormats is the shape of the number after the country prefix, for the
// EU member states (Greece is "EL", as VIES spells it), the UK ("GB") and
// Northern Ireland ("XI"). Countries with a checksum in vatChecks are
// checked there too.
var vatFormats = map[string]*regexp.Regexp{
	"AT": regexp.MustCompile(`^U\d{8}$`),
	"BE": regexp.MustCompile(`^[01]\d{9}$`),
	"BG": regexp.MustCompile(`^\d{9,10}$`),
	"CY": regexp.MustCompile(`^\d{8}[A-Z]$`),
	"CZ": regexp.MustCompile(`^\d{8,10}$`),
	"DE": regexp.MustCompile(`^\d{9}$`),
	"DK": regexp.MustCompile(`^\d{8}$`),
	"EE": regexp.MustCompile(`^\d{9}$`),
	"EL": regexp.MustCompile(`^\d{9}$`),
	"ES": regexp.MustCompile(`^[0-9A-Z]\d{7}[0-9A-Z]$`),
	"FI": regexp.MustCompile(`^\d{8}$`),
	"FR": regexp.MustCompile(`^[0-9A-HJ-NP-Z]{2}\d{9}$`),
	"GB": regexp.MustCompile(`^(\d{9}|\d{12}|GD[0-4]\d{2}|HA[5-9]\d{2})$`),
	"HR": regexp.MustCompile(`^\d{11}$`),
	"HU": regexp.MustCompile(`^\d{8}$`),
	"IE": regexp.MustCompile(`^(\d{7}[A-W][A-IW]?|\d[A-Z+*]\d{5}[A-W])$`),
	"IT": regexp.MustCompile(`^\d{11}$`),
	"LT": regexp.MustCompile(`^(\d{9}|\d{12})$`),
	"LU": regexp.MustCompile(`^\d{8}$`),
	"LV": regexp.MustCompile(`^\d{11}$`),
	"MT": regexp.MustCompile(`^\d{8}$`),
	"NL": regexp.MustCompile(`^\d{9}B\d{2}$`),
	"PL": regexp.MustCompile(`^\d{10}$`),
	"PT": regexp.MustCompile(`^\d{9}$`),
	"RO": regexp.MustCompile(`^\d{2,10}$`),
	"SE": regexp.MustCompile(`^\d{10}01$`),
	"SI": regexp.MustCompile(`^\d{8}$`),
	"SK": regexp.MustCompile(`^\d{10}$`),
	"XI": regexp.MustCompile(`^(\d{9}|\d{12}|GD[0-4]\d{2}|HA[5-9]\d{2})$`),
}

// vatChecks verify the check digits of numbers that already match their
// country's format.
var vatChecks = map[string]func(string) bool{
	"AT": vatAT,
	"BE": vatBE,
	"DE": vatDE,
	"ES": vatES,
	"FR": vatFR,
	"GB": vatGB,
	"IT": vatIT,
	"NL": vatNL,
	"XI": vatGB,
}

// VATValid reports whether s is an EU or UK VAT number: a country prefix,
// the country's format and, where we know it, the check digits. Spaces,
// dots and dashes are ignored and lower case is accepted.
func VATValid(s string) bool {
	v := strings.Map(func(r rune) rune {
		switch {
		case r == ' ' || r == '.' || r == '-':
			return -1
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		}
		return r
	}, strings.TrimSpace(s))
	if len(v) < 4 {
		return false
	}
	country, num := v[:2], v[2:]
	format, ok := vatFormats[country]
	if !ok || !format.MatchString(num) {
		return false
	}
	if check, ok := vatChecks[country]; ok {
		return check(num)
	}
	return true
}

func digitsOf(s string) []int {
	d := make([]int, len(s))
	for i := 0; i < len(s); i++ {
		d[i] = int(s[i] - '0')
	}
	return d
}

func atoi(s string) int {
	n := 0
	for _, d := range digitsOf(s) {
		n = n*10 + d
	}
	return n
}

// vatFR: the key is (12 + 3 × (SIREN mod 97)) mod 97. Keys with letters
// (issued to some companies) follow an unpublished scheme: format only.
func vatFR(num string) bool {
	if !isDigits(num[:2]) {
		return true
	}
	return atoi(num[:2]) == (12+3*(atoi(num[2:])%97))%97
}

// vatDE: ISO 7064 MOD 11,10 over the first eight digits.
func vatDE(num string) bool {
	d := digitsOf(num)
	product := 10
	for _, x := range d[:8] {
		sum := (x + product) % 10
		if sum == 0 {
			sum = 10
		}
		product = (2 * sum) % 11
	}
	check := 11 - product
	if check == 10 {
		check = 0
	}
	return check == d[8]
}

// vatGB: weights 8…2 over the first seven digits plus the two check
// digits must be 0 mod 97 (older numbers) or, with 55 added, 0 mod 97
// (the "9755" numbers issued since 2010). Government departments (GD) and
// health authorities (HA) have no check digits. The 12-digit form is a
// 9-digit number plus a branch code.
func vatGB(num string) bool {
	if !isDigits(num) {
		return true
	}
	d := digitsOf(num[:9])
	sum := 0
	for i, x := range d[:7] {
		sum += x * (8 - i)
	}
	sum += d[7]*10 + d[8]
	return sum%97 == 0 || (sum+55)%97 == 0
}

// vatIT: the Luhn algorithm over the 11 digits of the partita IVA.
func vatIT(num string) bool {
	return atoi(num[:7]) > 0 && luhn(digitsOf(num))
}

// vatES checks the control character of a NIF (8 digits + letter), a NIE
// (X/Y/Z + 7 digits + letter), the K/L/M personal numbers, and a CIF
// (entity letter + 7 digits + digit or letter).
func vatES(num string) bool {
	const nifLetters = "TRWAGMYFPDXBNJZSQVHLCKE"
	first, body, last := num[0], num[1:8], num[8]
	switch {
	case first >= '0' && first <= '9':
		return nifLetters[atoi(num[:8])%23] == last
	case first == 'X' || first == 'Y' || first == 'Z':
		return nifLetters[atoi(string('0'+first-'X')+body)%23] == last
	case first == 'K' || first == 'L' || first == 'M':
		return nifLetters[atoi(body)%23] == last
	case strings.IndexByte("ABCDEFGHJNPQRSUVW", first) >= 0:
		return cifControl(first, body, last)
	}
	return false
}

func cifControl(kind byte, body string, control byte) bool {
	sum := 0
	for i, x := range digitsOf(body) {
		if i%2 == 0 { // positions 1, 3, 5, 7 are doubled
			x *= 2
			x = x/10 + x%10
		}
		sum += x
	}
	c := (10 - sum%10) % 10
	digit, letter := byte('0'+c), "JABCDEFGHI"[c]
	switch {
	case strings.IndexByte("ABEH", kind) >= 0:
		return control == digit
	case strings.IndexByte("NPQRSW", kind) >= 0:
		return control == letter
	default:
		return control == digit || control == letter
	}
}

// vatNL accepts the BTW-id with the mod-11 check of the fiscal number, and
// the sole-proprietor numbers issued since 2020, which pass ISO 7064 mod 97
// over "NL" + the number (letters as two digits).
func vatNL(num string) bool {
	d := digitsOf(num[:9])
	sum := 0
	for i, x := range d[:8] {
		sum += x * (9 - i)
	}
	if (sum-d[8])%11 == 0 && atoi(num[9:]) > 0 {
		return true
	}
	return mod97("NL"+num) == 1
}

// vatBE: the last two digits are 97 − (first eight mod 97).
func vatBE(num string) bool {
	return atoi(num[8:]) == 97-atoi(num[:8])%97
}

// vatAT: Luhn-style weights 1,2,… over the seven digits after "U", plus 4.
func vatAT(num string) bool {
	d := digitsOf(num[1:])
	sum := 0
	for i, x := range d[:7] {
		if i%2 == 1 {
			x *= 2
			x = x/10 + x%10
		}
		sum += x
	}
	return (10-(sum+4)%10)%10 == d[7]
}

// luhn reports whether digits pass the Luhn check (the last one is the
// check digit).
func luhn(d []int) bool {
	sum := 0
	for i := range d {
		x := d[len(d)-1-i]
		if i%2 == 1 {
			x *= 2
			if x > 9 {
				x -= 9
			}
		}
		sum += x
	}
	return sum%10 == 0
}
