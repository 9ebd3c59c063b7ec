package funcs

import (
	"fmt"
	"slices"
	"strings"
)

// BankAccount is a payout account in one of the country forms of the
// merchant profile (DESIGN.md "Merchant profile"): an IBAN, a UK sort code
// and account number, a US ABA routing number and account number, or a
// Japanese bank code, branch code, account type and account number.
type BankAccount struct {
	IBAN          string
	SortCode      string
	RoutingNumber string
	BankCode      string
	BranchCode    string
	AccountType   string
	AccountNumber string
}

// The account forms, by the field that tells them apart.
const (
	formIBAN = "IBAN"
	formUK   = "UK"
	formUS   = "US"
	formJP   = "Japanese"
)

// countryForms are the forms a payout account of a country may take when
// it is not an IBAN country. The UK has IBANs too: both are accepted.
var countryForms = map[string][]string{
	"GB": {formUK, formIBAN},
	"US": {formUS},
	"JP": {formJP},
}

// jpAccountTypes are the account types (預金種目) Japanese banks pay into,
// in English and in Japanese.
var jpAccountTypes = map[string]bool{
	"ordinary": true, "普通": true, "futsu": true,
	"current": true, "checking": true, "当座": true, "toza": true,
	"savings": true, "貯蓄": true,
}

// forms lists the forms whose distinguishing fields are filled in.
func (a BankAccount) forms() []string {
	var f []string
	if strings.TrimSpace(a.IBAN) != "" {
		f = append(f, formIBAN)
	}
	if strings.TrimSpace(a.SortCode) != "" {
		f = append(f, formUK)
	}
	if strings.TrimSpace(a.RoutingNumber) != "" {
		f = append(f, formUS)
	}
	if strings.TrimSpace(a.BankCode+a.BranchCode+a.AccountType) != "" {
		f = append(f, formJP)
	}
	return f
}

// BankAccountProblem says what is wrong with a as the payout account of a
// merchant in country (ISO 3166 alpha-2), or "" when it is a well-formed
// account of a form that country uses. Account numbers are never quoted.
func BankAccountProblem(country string, a BankAccount) string {
	country = upperASCII(strings.TrimSpace(country))
	want, ok := countryForms[country]
	if !ok {
		if _, iban := ibanFormats[country]; !iban {
			return fmt.Sprintf("there are no payout account rules for country %q", country)
		}
		want = []string{formIBAN}
	}
	forms := a.forms()
	switch len(forms) {
	case 0:
		return "it has no account: give " + formFields(want[0])
	case 1:
	default:
		return fmt.Sprintf("it mixes the %s and %s forms: give one account, %s", forms[0], forms[1], formFields(want[0]))
	}
	if !slices.Contains(want, forms[0]) {
		return fmt.Sprintf("a merchant in %s is paid into %s account (%s), and this is %s account", country, formArticle(want[0]), formFields(want[0]), formArticle(forms[0]))
	}
	switch forms[0] {
	case formIBAN:
		if !IBANValid(a.IBAN) {
			return "the IBAN is not valid (checksum, length or structure of its country)"
		}
		if a.AccountNumber != "" {
			return "account_number is not used with an IBAN: the IBAN holds the account number"
		}
	case formUK:
		switch {
		case !SortCodeValid(a.SortCode):
			return "the sort code is not six digits (such as 20-00-00)"
		case !isDigits(bankDigits(a.AccountNumber)) || len(bankDigits(a.AccountNumber)) != 8:
			return "the UK account number is not eight digits (pad a seven-digit one with a leading 0)"
		}
	case formUS:
		switch {
		case !ABAValid(a.RoutingNumber):
			return "the ABA routing number is not valid (nine digits, a Federal Reserve prefix and the ABA checksum)"
		case !usAccountValid(a.AccountNumber):
			return "the US account number is not 4 to 17 digits"
		}
	case formJP:
		switch {
		case len(bankDigits(a.BankCode)) != 4 || !isDigits(bankDigits(a.BankCode)):
			return "the bank code (金融機関コード) is not four digits"
		case len(bankDigits(a.BranchCode)) != 3 || !isDigits(bankDigits(a.BranchCode)):
			return "the branch code (支店コード) is not three digits"
		case !jpAccountTypes[strings.ToLower(strings.TrimSpace(a.AccountType))]:
			return `the account type is not "ordinary" (普通), "current" (当座) or "savings" (貯蓄)`
		case len(bankDigits(a.AccountNumber)) != 7 || !isDigits(bankDigits(a.AccountNumber)):
			return "the Japanese account number is not seven digits (pad a shorter one with leading zeros)"
		}
	}
	return ""
}

// BankAccountLabel names a for messages without its account number: the
// IBAN's country and check digits, the UK sort code, the ABA number, the
// Japanese bank and branch, each with the account's last four digits.
func BankAccountLabel(a BankAccount) string {
	forms := a.forms()
	if len(forms) != 1 {
		return "payout account"
	}
	tail := ""
	if d := bankDigits(a.AccountNumber); len(d) >= 4 {
		tail = " …" + d[len(d)-4:]
	}
	switch forms[0] {
	case formIBAN:
		iban := normalizeIBAN(a.IBAN)
		return "IBAN " + iban[:min(4, len(iban))] + "…"
	case formUK:
		return "UK account " + strings.TrimSpace(a.SortCode) + tail
	case formUS:
		return "US account ABA " + bankDigits(a.RoutingNumber) + tail
	default:
		return fmt.Sprintf("Japanese %s account %s-%s%s", strings.TrimSpace(a.AccountType),
			bankDigits(a.BankCode), bankDigits(a.BranchCode), tail)
	}
}

func formFields(form string) string {
	switch form {
	case formUK:
		return "sort_code and account_number"
	case formUS:
		return "routing_number and account_number"
	case formJP:
		return "bank_code, branch_code, account_type and account_number"
	default:
		return "iban"
	}
}

func formArticle(form string) string {
	if form == formIBAN {
		return "an IBAN"
	}
	return "a " + form
}

// bankDigits drops the spaces and dashes people write in bank codes and
// account numbers ("20-00-00", "0005 001").
func bankDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
}

// SortCodeValid reports whether s is a UK sort code: six digits, written
// "20-00-00", "20 00 00" or "200000".
func SortCodeValid(s string) bool {
	d := bankDigits(s)
	return len(d) == 6 && isDigits(d)
}

// ABAValid reports whether s is an ABA routing transit number: nine digits
// whose first two are a Federal Reserve routing symbol (00-12 banks and
// the U.S. Government, 21-32 thrifts, 61-72 electronic, 80 traveller's
// cheques) and whose weighted sum 3-7-1 is a multiple of ten.
func ABAValid(s string) bool {
	d := bankDigits(s)
	if len(d) != 9 || !isDigits(d) {
		return false
	}
	p := atoi(d[:2])
	if !(p <= 12 || p >= 21 && p <= 32 || p >= 61 && p <= 72 || p == 80) {
		return false
	}
	x := digitsOf(d)
	sum := 3*(x[0]+x[3]+x[6]) + 7*(x[1]+x[4]+x[7]) + x[2] + x[5] + x[8]
	return sum%10 == 0
}

// usAccountValid: ACH account numbers are up to 17 digits; banks issue at
// least four.
func usAccountValid(s string) bool {
	d := bankDigits(s)
	return len(d) >= 4 && len(d) <= 17 && isDigits(d)
}
