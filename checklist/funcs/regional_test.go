package funcs

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zclconf/go-cty/cty"
)

func TestABAValid(t *testing.T) {
	for s, want := range map[string]bool{
		"053112505":   true,  // DESIGN.md's example
		"021000021":   true,  // JPMorgan Chase, New York
		"011000015":   true,  // Federal Reserve Bank of Boston
		"121000358":   true,  // Bank of America, California
		"0531-1250-5": true,  // dashes are separators
		"053112506":   false, // checksum
		"130000006":   false, // checksum right, 13 is no routing symbol
		"810000005":   false, // 81 neither
		"05311250":    false,
		"0531125050":  false,
		"05311250a":   false,
		"":            false,
	} {
		assert.Equal(t, want, ABAValid(s), s)
	}
}

func TestEINValid(t *testing.T) {
	for s, want := range map[string]bool{
		"84-2790516":  true,
		"842790516":   true,
		"01-0000001":  true,
		"99-1234567":  true,
		"07-1234567":  false, // never issued
		"00-1234567":  false,
		"89-1234567":  false,
		"12-345678":   false,
		"12-34567890": false,
		"ab-1234567":  false,
	} {
		assert.Equal(t, want, EINValid(s), s)
	}
}

func TestJPCorporateAndInvoiceNumbers(t *testing.T) {
	for s, want := range map[string]bool{
		"7000012050002":    true, // National Tax Agency
		"1180301018771":    true, // Toyota Motor Corporation
		"1-1803-0101-8771": true,
		"8000012050002":    false, // check digit
		"0000012050002":    false,
		"700001205000":     false,
		"70000120500021":   false,
		"T7000012050002":   false, // the T-number is the other function
	} {
		assert.Equal(t, want, JPCorporateNumberValid(s), s)
	}
	for s, want := range map[string]bool{
		"T7000012050002":     true,
		"t1180301018771":     true,
		"T 1180 3010 1877 1": true,
		"T8000012050002":     false,
		"7000012050002":      false,
		"TT7000012050002":    false,
	} {
		assert.Equal(t, want, JPInvoiceNumberValid(s), s)
	}
}

func TestTaxID(t *testing.T) {
	tests := []struct {
		country, id, kind, problem string
	}{
		{"FR", "FR40303265045", "EU VAT number", ""},
		{"FR", "40303265045", "EU VAT number", ""}, // the prefix may be left out
		{"fr", "fr 403 032 650 45", "EU VAT number", ""},
		{"DE", "DE136695976", "EU VAT number", ""},
		{"AT", "U13585627", "EU VAT number", ""},
		{"GR", "EL094259216", "EU VAT number", ""},
		{"GB", "GB980780684", "UK VAT number", ""},
		{"GB", "XI980780684", "UK VAT number", ""},
		{"US", "84-2790516", "EIN", ""},
		{"JP", "7000012050002", "corporate number", ""},
		{"JP", "T7000012050002", "qualified invoice number", ""},
		{"FR", "FR40303265046", "", "not a valid EU VAT number"},
		{"FR", "DE136695976", "", "starts with DE, and a merchant in FR has a VAT number starting with FR"},
		{"GR", "GR094259216", "", "starts with GR, and a merchant in GR has a VAT number starting with EL"}, // Greece is EL
		{"US", "FR40303265045", "", "not a valid EIN"},
		{"US", "07-1234567", "", "not a valid EIN"},
		{"JP", "8000012050002", "", "not a valid corporate number"},
		{"JP", "T8000012050002", "", "not a valid qualified invoice number"},
		{"JP", "", "", "no tax id"},
		{"CA", "123456789RT0001", "", `no tax id rules for country "CA"`},
	}
	for _, tt := range tests {
		t.Run(tt.country+" "+tt.id, func(t *testing.T) {
			assert.Equal(t, tt.kind, TaxIDKind(tt.country, tt.id))
			assert.Equal(t, tt.problem == "", TaxIDValid(tt.country, tt.id))
			if tt.problem == "" {
				assert.Empty(t, TaxIDProblem(tt.country, tt.id))
			} else {
				assert.Contains(t, TaxIDProblem(tt.country, tt.id), tt.problem)
			}
		})
	}
}

func TestBankAccount(t *testing.T) {
	fr := BankAccount{IBAN: "FR14 2004 1010 0505 0001 3M02 606"}
	uk := BankAccount{SortCode: "20-00-00", AccountNumber: "55779911"}
	us := BankAccount{RoutingNumber: "053112505", AccountNumber: "4830011722"}
	jp := BankAccount{BankCode: "0005", BranchCode: "001", AccountType: "ordinary", AccountNumber: "1234567"}
	with := func(a BankAccount, f func(*BankAccount)) BankAccount { f(&a); return a }
	tests := []struct {
		name, country string
		a             BankAccount
		problem       string
		label         string
	}{
		{"eu iban", "FR", fr, "", "IBAN FR14…"},
		{"iban abroad", "DE", fr, "", "IBAN FR14…"},
		{"uk", "GB", uk, "", "UK account 20-00-00 …9911"},
		{"uk iban", "GB", BankAccount{IBAN: "GB29NWBK60161331926819"}, "", "IBAN GB29…"},
		{"us", "US", us, "", "US account ABA 053112505 …1722"},
		{"jp", "JP", jp, "", "Japanese ordinary account 0005-001 …4567"},
		{"jp kanji type", "JP", with(jp, func(a *BankAccount) { a.AccountType = "普通" }), "", "Japanese 普通 account 0005-001 …4567"},
		{"bad iban", "FR", BankAccount{IBAN: "FR14 2004 1010 0505 0001 3M02 607"}, "IBAN is not valid", "IBAN FR14…"},
		{"iban plus number", "FR", with(fr, func(a *BankAccount) { a.AccountNumber = "123" }), "account_number is not used", "IBAN FR14…"},
		{"us with iban", "US", fr, "a merchant in US is paid into a US account (routing_number and account_number), and this is an IBAN account", "IBAN FR14…"},
		{"jp with us", "JP", us, "paid into a Japanese account", "US account ABA 053112505 …1722"},
		{"fr with uk", "FR", uk, "paid into an IBAN account (iban)", "UK account 20-00-00 …9911"},
		{"mixed", "US", with(us, func(a *BankAccount) { a.IBAN = fr.IBAN }), "mixes the IBAN and US forms", "payout account"},
		{"empty", "US", BankAccount{}, "no account: give routing_number and account_number", "payout account"},
		{"number only", "GB", BankAccount{AccountNumber: "55779911"}, "no account: give sort_code and account_number", "payout account"},
		{"bad sort code", "GB", with(uk, func(a *BankAccount) { a.SortCode = "20-00-0" }), "sort code", "UK account 20-00-0 …9911"},
		{"short uk number", "GB", with(uk, func(a *BankAccount) { a.AccountNumber = "5577991" }), "eight digits", "UK account 20-00-00 …7991"},
		{"bad aba", "US", with(us, func(a *BankAccount) { a.RoutingNumber = "053112506" }), "ABA routing number", "US account ABA 053112506 …1722"},
		{"us number too long", "US", with(us, func(a *BankAccount) { a.AccountNumber = "123456789012345678" }), "4 to 17 digits", "US account ABA 053112505 …5678"},
		{"us number letters", "US", with(us, func(a *BankAccount) { a.AccountNumber = "48300X1722" }), "4 to 17 digits", "US account ABA 053112505 …1722"},
		{"jp bank code", "JP", with(jp, func(a *BankAccount) { a.BankCode = "005" }), "bank code", "Japanese ordinary account 005-001 …4567"},
		{"jp branch code", "JP", with(jp, func(a *BankAccount) { a.BranchCode = "01" }), "branch code", "Japanese ordinary account 0005-01 …4567"},
		{"jp type", "JP", with(jp, func(a *BankAccount) { a.AccountType = "brokerage" }), "account type", "Japanese brokerage account 0005-001 …4567"},
		{"jp number", "JP", with(jp, func(a *BankAccount) { a.AccountNumber = "123456" }), "seven digits", "Japanese ordinary account 0005-001 …3456"},
		{"unknown country", "CA", us, `no payout account rules for country "CA"`, "US account ABA 053112505 …1722"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := BankAccountProblem(tt.country, tt.a)
			if tt.problem == "" {
				assert.Empty(t, p)
			} else {
				assert.Contains(t, p, tt.problem)
			}
			assert.Equal(t, tt.label, BankAccountLabel(tt.a))
		})
	}
}

// TestRegionalFunctionsInHCL: the functions as a checklist calls them, with
// the merchant probe's payout_account object and with unknown values.
func TestRegionalFunctionsInHCL(t *testing.T) {
	account := cty.ObjectVal(map[string]cty.Value{
		"present": cty.True, "holder": cty.StringVal("Acme Inc."), "iban": cty.StringVal(""),
		"routing_number": cty.StringVal("053112505"), "account_number": cty.StringVal("4830011722"),
		"sort_code": cty.StringVal(""), "bank_code": cty.StringVal(""), "branch_code": cty.StringVal(""),
		"account_type": cty.StringVal(""),
	})
	vars := map[string]cty.Value{
		"acct": account,
		"map":  cty.MapVal(map[string]cty.Value{"sort_code": cty.StringVal("200000"), "account_number": cty.StringVal("55779911")}),
		"unk":  cty.UnknownVal(account.Type()),
		"s":    cty.UnknownVal(cty.String),
		"nul":  cty.NullVal(cty.String),
	}
	tests := []struct {
		src  string
		want cty.Value
	}{
		{`payout_account_problem("US", var.acct)`, cty.StringVal("")},
		{`payout_account_problem("GB", var.map)`, cty.StringVal("")},
		{`payout_account_label(var.acct)`, cty.StringVal("US account ABA 053112505 …1722")},
		{`payout_account_problem("US", var.unk)`, cty.UnknownVal(cty.String)},
		{`payout_account_problem(var.s, var.acct)`, cty.UnknownVal(cty.String)},
		{`payout_account_problem("US", null)`, cty.StringVal("it has no account: give routing_number and account_number")},
		{`tax_id_valid("US", "84-2790516")`, cty.True},
		{`tax_id_valid("US", var.nul)`, cty.False},
		{`tax_id_kind("JP", "T7000012050002")`, cty.StringVal("qualified invoice number")},
		{`tax_id_problem("JP", var.s)`, cty.UnknownVal(cty.String)},
		{`aba_valid("021000021") && ein_valid("84-2790516") && sort_code_valid("20-00-00")`, cty.True},
		{`jp_corporate_number_valid("7000012050002") && jp_invoice_number_valid("T7000012050002")`, cty.True},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			v, diags := eval(t, Options{}, tt.src, vars)
			require.False(t, diags.HasErrors(), diags.Error())
			if !tt.want.IsKnown() {
				assert.False(t, v.IsKnown(), "got %#v", v)
				return
			}
			assert.True(t, tt.want.RawEquals(v), "got %#v", v)
		})
	}
}

func FuzzBankAccount(f *testing.F) {
	f.Add("US", "", "", "053112505", "", "", "", "4830011722")
	f.Add("GB", "", "20-00-00", "", "", "", "", "55779911")
	f.Add("JP", "", "", "", "0005", "001", "普通", "1234567")
	f.Add("FR", "FR14 2004 1010 0505 0001 3M02 606", "", "", "", "", "", "")
	f.Fuzz(func(t *testing.T, country, iban, sort, routing, bank, branch, typ, number string) {
		a := BankAccount{IBAN: iban, SortCode: sort, RoutingNumber: routing, BankCode: bank, BranchCode: branch, AccountType: typ, AccountNumber: number}
		problem := BankAccountProblem(country, a)
		label := BankAccountLabel(a)
		if d := bankDigits(number); len(d) > 4 && strings.Contains(label, d) {
			t.Fatalf("label %q shows the account number", label)
		}
		if problem == "" && len(a.forms()) != 1 {
			t.Fatalf("%+v accepted with forms %v", a, a.forms())
		}
		if problem == "" && a.IBAN != "" && !IBANValid(a.IBAN) {
			t.Fatalf("invalid IBAN %q accepted", a.IBAN)
		}
		if problem == "" && routing != "" && !ABAValid(routing) {
			t.Fatalf("invalid routing number %q accepted", routing)
		}
	})
}

func FuzzTaxID(f *testing.F) {
	for _, s := range [][2]string{{"FR", "FR40303265045"}, {"US", "84-2790516"}, {"JP", "T7000012050002"}, {"GB", "GB980780684"}, {"GR", "094259216"}, {"", ""}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, country, id string) {
		kind, problem := TaxIDKind(country, id), TaxIDProblem(country, id)
		if (kind != "") != (problem == "") {
			t.Fatalf("TaxIDKind(%q, %q)=%q but problem %q", country, id, kind, problem)
		}
		// Separators and case never change the verdict.
		k := len(id) / 2
		if spaced := id[:k] + " -" + id[k:]; TaxIDValid(country, spaced) != (problem == "") {
			t.Fatalf("a separator changes the verdict on %q", id)
		}
		if problem == "" && !TaxIDValid(country, strings.ToLower(id)) {
			t.Fatalf("%q valid but not in lower case", id)
		}
	})
}
