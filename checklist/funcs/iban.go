package funcs

import (
	"strings"
)

// ibanFormats is the SWIFT IBAN registry (89 countries, 2025): for each country,
// the BBAN structure in the registry's notation without the "!" (every
// element has a fixed length): n digits, a upper-case letters, c letters or
// digits. The IBAN length is 4 + the sum of the element lengths. Territories
// the registry lists under another country (French overseas departments,
// Åland, the Channel Islands…) use that country's code and are covered by it.
var ibanFormats = map[string]string{
	"AD": "4n4n12c", "AE": "3n16n", "AL": "8n16c", "AT": "5n11n",
	"AZ": "4a20c", "BA": "3n3n8n2n", "BE": "3n7n2n", "BG": "4a4n2n8c",
	"BH": "4a14c", "BI": "5n5n11n2n", "BR": "8n5n10n1a1c", "BY": "4c4n16c",
	"CH": "5n12c", "CR": "4n14n", "CY": "3n5n16c", "CZ": "4n6n10n",
	"DE": "8n10n", "DJ": "5n5n11n2n", "DK": "4n9n1n", "DO": "4c20n",
	"EE": "2n2n11n1n", "EG": "4n4n17n", "ES": "4n4n1n1n10n", "FI": "3n11n",
	"FK": "2a12n", "FO": "4n9n1n", "FR": "5n5n11c2n", "GB": "4a6n8n",
	"GE": "2a16n", "GI": "4a15c", "GL": "4n9n1n", "GR": "3n4n16c",
	"GT": "4c20c", "HN": "4a20n", "HR": "7n10n", "HU": "3n4n1n15n1n",
	"IE": "4a6n8n", "IL": "3n3n13n", "IQ": "4a3n12n", "IS": "4n2n6n10n",
	"IT": "1a5n5n12c", "JO": "4a4n18c", "KW": "4a22c", "KZ": "3n13c",
	"LB": "4n20c", "LC": "4a24c", "LI": "5n12c", "LT": "5n11n",
	"LU": "3n13c", "LV": "4a13c", "LY": "3n3n15n", "MC": "5n5n11c2n",
	"MD": "2c18c", "ME": "3n13n2n", "MK": "3n10c2n", "MN": "4n12n",
	"MR": "5n5n11n2n", "MT": "4a5n18c", "MU": "4a2n2n12n3n3a", "NI": "4a20n",
	"NL": "4a10n", "NO": "4n6n1n", "OM": "3n16c", "PK": "4a16c",
	"PL": "8n16n", "PS": "4a21c", "PT": "4n4n11n2n", "QA": "4a21c",
	"RO": "4a16c", "RS": "3n13n2n", "RU": "9n5n15c", "SA": "2n18c",
	"SC": "4a2n2n16n3a", "SD": "2n12n", "SE": "3n16n1n", "SI": "5n8n2n",
	"SK": "4n6n10n", "SM": "1a5n5n12c", "SO": "4n3n12n", "ST": "4n4n11n2n",
	"SV": "4a20n", "TL": "3n14n2n", "TN": "2n3n13n2n", "TR": "5n1n16c",
	"UA": "6n19c", "VA": "3n15n", "VG": "4a16n", "XK": "4n10n2n",
	"YE": "4a4n18c",
}

// normalizeIBAN drops the spaces of the paper format and upper-cases the
// rest: banks print IBANs in groups of four, and people type them in lower
// case, neither of which changes the account.
func normalizeIBAN(s string) string {
	return upperASCII(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
}

// IBANCountry returns the country code of a valid IBAN, "" otherwise.
func IBANCountry(s string) string {
	iban := normalizeIBAN(s)
	if !ibanValid(iban) {
		return ""
	}
	return iban[:2]
}

// IBANValid reports whether s is an IBAN of a registry country with that
// country's length and BBAN structure and a correct ISO 13616 mod-97 check.
// Spaces are ignored and lower case is accepted.
func IBANValid(s string) bool {
	return ibanValid(normalizeIBAN(s))
}

func ibanValid(iban string) bool {
	if len(iban) < 5 {
		return false
	}
	format, ok := ibanFormats[iban[:2]]
	// Check digits are 02…98: 00, 01 and 99 are congruent to valid ones
	// mod 97 but never issued.
	if !ok || !isDigits(iban[2:4]) || iban[2:4] < "02" || iban[2:4] > "98" || !matchBBAN(iban[4:], format) {
		return false
	}
	return mod97(iban[4:]+iban[:4]) == 1
}

// matchBBAN checks bban against a structure such as "5n5n11c2n".
func matchBBAN(bban, format string) bool {
	for format != "" {
		i := 0
		for i < len(format) && format[i] >= '0' && format[i] <= '9' {
			i++
		}
		n := atoiSmall(format[:i])
		class := format[i]
		format = format[i+1:]
		if len(bban) < n {
			return false
		}
		for j := 0; j < n; j++ {
			if !inClass(bban[j], class) {
				return false
			}
		}
		bban = bban[n:]
	}
	return bban == ""
}

func inClass(c, class byte) bool {
	digit := c >= '0' && c <= '9'
	upper := c >= 'A' && c <= 'Z'
	switch class {
	case 'n':
		return digit
	case 'a':
		return upper
	default: // 'c'
		return digit || upper
	}
}

// mod97 computes the ISO 7064 MOD 97-10 remainder of s, whose letters
// count as two-digit numbers (A=10 … Z=35). s holds only [0-9A-Z].
func mod97(s string) int {
	r := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' {
			r = (r*100 + int(c-'A'+10)) % 97
		} else {
			r = (r*10 + int(c-'0')) % 97
		}
	}
	return r
}

// upperASCII upper-cases ASCII letters only: strings.ToUpper would turn
// "ſ" into "S" and let a non-ASCII string pass as a number.
func upperASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, s)
}

func atoiSmall(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
