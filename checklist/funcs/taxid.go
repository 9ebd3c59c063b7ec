package funcs

import (
	"fmt"
	"slices"
	"strings"
)

// vatPrefixes are the VAT prefixes a merchant of a country may give, for
// the countries whose tax id is a VAT number: the EU member states (Greece
// writes EL) and the UK (XI for Northern Ireland's trade in goods).
var vatPrefixes = map[string][]string{
	"AT": {"AT"}, "BE": {"BE"}, "BG": {"BG"}, "CY": {"CY"}, "CZ": {"CZ"}, "DE": {"DE"},
	"DK": {"DK"}, "EE": {"EE"}, "ES": {"ES"}, "FI": {"FI"}, "FR": {"FR"}, "GR": {"EL"},
	"HR": {"HR"}, "HU": {"HU"}, "IE": {"IE"}, "IT": {"IT"}, "LT": {"LT"}, "LU": {"LU"},
	"LV": {"LV"}, "MT": {"MT"}, "NL": {"NL"}, "PL": {"PL"}, "PT": {"PT"}, "RO": {"RO"},
	"SE": {"SE"}, "SI": {"SI"}, "SK": {"SK"},
	"GB": {"GB", "XI"},
}

// The kinds of tax id TaxIDKind names.
const (
	kindEUVAT     = "EU VAT number"
	kindUKVAT     = "UK VAT number"
	kindEIN       = "EIN"
	kindCorporate = "corporate number"
	kindInvoice   = "qualified invoice number"
)

// normalizeTaxID drops the separators people print tax ids with and
// upper-cases ASCII letters.
func normalizeTaxID(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == ' ' || r == '.' || r == '-':
			return -1
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		}
		return r
	}, strings.TrimSpace(s))
}

// TaxIDKind names the kind of tax id that id is for a merchant of country
// (ISO 3166 alpha-2), or "" when it is not a valid one: "EU VAT number",
// "UK VAT number", "EIN", "corporate number" (Japan's 法人番号) or
// "qualified invoice number" (Japan's T-number, 登録番号).
func TaxIDKind(country, id string) string {
	kind, problem := taxID(country, id)
	if problem != "" {
		return ""
	}
	return kind
}

// TaxIDProblem says why id is not a valid tax id of a merchant of country,
// or "" when it is one.
func TaxIDProblem(country, id string) string {
	_, problem := taxID(country, id)
	return problem
}

// TaxIDValid reports whether id is a valid tax id of a merchant of country.
func TaxIDValid(country, id string) bool {
	return TaxIDProblem(country, id) == ""
}

func taxID(country, id string) (kind, problem string) {
	country = upperASCII(strings.TrimSpace(country))
	v := normalizeTaxID(id)
	if v == "" {
		return "", "there is no tax id"
	}
	if prefixes, ok := vatPrefixes[country]; ok {
		kind = kindEUVAT
		if country == "GB" {
			kind = kindUKVAT
		}
		// A number written without its country prefix gets the first one.
		if len(v) < 2 || !isUpperPair(v[:2]) || vatFormats[v[:2]] == nil && v[:2] != country {
			v = prefixes[0] + v
		}
		if !slices.Contains(prefixes, v[:2]) {
			return kind, fmt.Sprintf("the VAT number starts with %s, and a merchant in %s has a VAT number starting with %s", v[:2], country, strings.Join(prefixes, " or "))
		}
		if !VATValid(v) {
			return kind, fmt.Sprintf("it is not a valid %s (format or check digits of %s)", kind, v[:2])
		}
		return kind, ""
	}
	switch country {
	case "US":
		if !EINValid(v) {
			return kindEIN, "it is not a valid EIN (nine digits, NN-NNNNNNN, with an IRS campus prefix)"
		}
		return kindEIN, ""
	case "JP":
		if strings.HasPrefix(v, "T") {
			if !JPInvoiceNumberValid(v) {
				return kindInvoice, "it is not a valid qualified invoice number (T and a 13-digit corporate number with its check digit)"
			}
			return kindInvoice, ""
		}
		if !JPCorporateNumberValid(v) {
			return kindCorporate, "it is not a valid corporate number (13 digits, the first the check digit)"
		}
		return kindCorporate, ""
	}
	return "", fmt.Sprintf("there are no tax id rules for country %q", country)
}

func isUpperPair(s string) bool {
	return s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}

// einPrefixes are the two-digit prefixes the IRS assigns EINs under
// (campus codes and the Internet/"online" ones); 00, 07-09, 17-19, 28-29,
// 49, 69-70, 78-79, 89 and 96-97 are never issued.
var einPrefixes = func() [100]bool {
	var ok [100]bool
	for _, r := range [][2]int{{1, 6}, {10, 16}, {20, 27}, {30, 48}, {50, 68}, {71, 77}, {80, 88}, {90, 95}, {98, 99}} {
		for p := r[0]; p <= r[1]; p++ {
			ok[p] = true
		}
	}
	return ok
}()

// EINValid reports whether s is a US Employer Identification Number: nine
// digits (printed NN-NNNNNNN) under a prefix the IRS issues. EINs have no
// check digit.
func EINValid(s string) bool {
	d := normalizeTaxID(s)
	return len(d) == 9 && isDigits(d) && einPrefixes[atoi(d[:2])]
}

// JPCorporateNumberValid reports whether s is a Japanese corporate number
// (法人番号): 13 digits whose first is the check digit 9 − (Σ Pn·Qn mod 9)
// over the other twelve, Pn counted from the right and Qn 1 for odd n, 2
// for even n (National Tax Agency, 法人番号の指定等に関する省令 第2条).
func JPCorporateNumberValid(s string) bool {
	d := normalizeTaxID(s)
	if len(d) != 13 || !isDigits(d) {
		return false
	}
	x := digitsOf(d)
	sum := 0
	for n := 1; n <= 12; n++ {
		q := 1
		if n%2 == 0 {
			q = 2
		}
		sum += x[13-n] * q
	}
	return x[0] == 9-sum%9
}

// JPInvoiceNumberValid reports whether s is a registration number of a
// qualified invoice issuer (適格請求書発行事業者の登録番号): "T" and a
// 13-digit number with the corporate number's check digit.
func JPInvoiceNumberValid(s string) bool {
	d := normalizeTaxID(s)
	return strings.HasPrefix(d, "T") && JPCorporateNumberValid(d[1:])
}
