// Package funcs holds the domain functions of the checklist language:
// IBAN, VAT, phone, e-mail and card-number checks, the payout accounts and
// tax ids of each country, dates and versions, and image headers. They sit in the evaluation context next to the cty
// standard library.
//
// Every function returns an unknown value of its result type when an
// argument is unknown, so checklists type-check at validate time before
// any probe has run.
package funcs

import (
	"fmt"
	"net/mail"
	"path/filepath"
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"golang.org/x/mod/semver"

	"github.com/audit-tool/audit/internal/input"
)

// Options is what the functions may see of the outside world.
type Options struct {
	// BaseDir is the folder image_info resolves relative paths against.
	BaseDir string
	// Scope is where the files functions read must resolve (nil: anywhere
	// but host state).
	Scope *input.Scope
	// Now is the clock of days_until; nil means the wall clock.
	Now func() time.Time
}

// ImageType is the result type of image_info.
var ImageType = cty.Object(map[string]cty.Type{
	"format": cty.String,
	"width":  cty.Number,
	"height": cty.Number,
	"bytes":  cty.Number,
})

// Domain returns the domain functions by name.
func Domain(opt Options) map[string]function.Function {
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	return map[string]function.Function{
		"iban_valid":      predicate("s", IBANValid),
		"vat_valid":       predicate("s", VATValid),
		"email_valid":     predicate("s", EmailValid),
		"luhn_valid":      predicate("s", LuhnValid),
		"iban_country":    ibanCountryFunc(),
		"phone_valid":     phoneValidFunc(),
		"days_until":      daysUntilFunc(now),
		"semver_at_least": semverAtLeastFunc(),
		"image_info":      imageInfoFunc(opt.BaseDir, opt.Scope),
		// rsa_pss_sha256_verify(key_file, message, signature_base64): the
		// scheme of Amazon Pay's button signature (its string to sign is
		// the checklist's business).
		"rsa_pss_sha256_verify": pssVerifyFunc(opt.BaseDir, opt.Scope),
		"sha256":                sha256Func,

		"aba_valid":                 predicate("s", ABAValid),
		"sort_code_valid":           predicate("s", SortCodeValid),
		"ein_valid":                 predicate("s", EINValid),
		"jp_corporate_number_valid": predicate("s", JPCorporateNumberValid),
		"jp_invoice_number_valid":   predicate("s", JPInvoiceNumberValid),
		"payout_account_problem":    bankAccountFunc(true, BankAccountProblem),
		"payout_account_label": bankAccountFunc(false, func(_ string, a BankAccount) string {
			return BankAccountLabel(a)
		}),
		"tax_id_valid": countryFunc(cty.Bool, func(c, id string) cty.Value { return cty.BoolVal(TaxIDValid(c, id)) }),
		"tax_id_problem": countryFunc(cty.String, func(c, id string) cty.Value {
			return cty.StringVal(TaxIDProblem(c, id))
		}),
		"tax_id_kind": countryFunc(cty.String, func(c, id string) cty.Value { return cty.StringVal(TaxIDKind(c, id)) }),
	}
}

// predicate makes a one-string check into a function. A null argument is
// not valid: an absent tax id must fail the step, not error it.
func predicate(param string, ok func(string) bool) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: param, Type: cty.String, AllowNull: true}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			if args[0].IsNull() {
				return cty.False, nil
			}
			return cty.BoolVal(ok(args[0].AsString())), nil
		},
	})
}

func ibanCountryFunc() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "iban", Type: cty.String, AllowNull: true}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			if args[0].IsNull() {
				return cty.StringVal(""), nil
			}
			return cty.StringVal(IBANCountry(args[0].AsString())), nil
		},
	})
}

func phoneValidFunc() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{
			{Name: "number", Type: cty.String, AllowNull: true},
			{Name: "region", Type: cty.String},
		},
		Type: function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			if args[0].IsNull() {
				return cty.False, nil
			}
			return cty.BoolVal(PhoneValid(args[0].AsString(), args[1].AsString())), nil
		},
	})
}

func daysUntilFunc(now func() time.Time) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "date", Type: cty.String}},
		Type:   function.StaticReturnType(cty.Number),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			d, err := DaysUntil(now(), args[0].AsString())
			if err != nil {
				return cty.UnknownVal(cty.Number), function.NewArgError(0, err)
			}
			return cty.NumberIntVal(int64(d)), nil
		},
	})
}

func semverAtLeastFunc() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{
			{Name: "version", Type: cty.String},
			{Name: "minimum", Type: cty.String},
		},
		Type: function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			v, minimum := canonicalSemver(args[0].AsString()), canonicalSemver(args[1].AsString())
			for i, s := range []string{v, minimum} {
				if !semver.IsValid(s) {
					return cty.UnknownVal(cty.Bool), function.NewArgErrorf(i, "%q is not a semantic version", args[i].AsString())
				}
			}
			return cty.BoolVal(semver.Compare(v, minimum) >= 0), nil
		},
	})
}

// canonicalSemver adds the "v" golang.org/x/mod/semver wants; versions are
// written both ways in package manifests.
func canonicalSemver(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "v") {
		return s
	}
	return "v" + s
}

func imageInfoFunc(baseDir string, scope *input.Scope) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(ImageType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			p := args[0].AsString()
			if !filepath.IsAbs(p) && baseDir != "" {
				p = filepath.Join(baseDir, p)
			}
			info, size, err := imageFile(scope, p)
			if err != nil {
				return cty.UnknownVal(ImageType), function.NewArgError(0, err)
			}
			return cty.ObjectVal(map[string]cty.Value{
				"format": cty.StringVal(info.Format),
				"width":  cty.NumberIntVal(int64(info.Width)),
				"height": cty.NumberIntVal(int64(info.Height)),
				"bytes":  cty.NumberIntVal(size),
			}), nil
		},
	})
}

func imageFile(scope *input.Scope, path string) (ImageInfo, int64, error) {
	f, st, err := scope.Open(path)
	if err != nil {
		return ImageInfo{}, 0, err
	}
	defer f.Close()
	info, err := DecodeImageConfig(f)
	if err != nil {
		return ImageInfo{}, 0, fmt.Errorf("%s: %w", path, err)
	}
	return info, st.Size(), nil
}

// PhoneValid reports whether number, in E.164 or in the national format of
// region (an ISO 3166 code such as "FR"), is a valid number of that region.
func PhoneValid(number, region string) bool {
	region = strings.ToUpper(strings.TrimSpace(region))
	num, err := phonenumbers.Parse(number, region)
	if err != nil {
		return false
	}
	return phonenumbers.IsValidNumberForRegion(num, region)
}

// EmailValid reports whether s is a bare address (no display name, no
// angle brackets) whose domain has a dot: what a support address printed
// in a customer e-mail must be.
func EmailValid(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return false
	}
	domain := a.Address[strings.LastIndexByte(a.Address, '@')+1:]
	return strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") &&
		!strings.HasSuffix(domain, ".") && !strings.Contains(domain, "..")
}

// LuhnValid reports whether s, ignoring spaces and dashes, is at least two
// digits passing the Luhn check.
func LuhnValid(s string) bool {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, s)
	return len(s) >= 2 && isDigits(s) && luhn(digitsOf(s))
}

// DaysUntil counts the days from now's UTC date to date, negative when
// date is past. date is "YYYY-MM-DD", "YYYY-MM" (the last day of that
// month, as a card expiry means) or RFC 3339 (its UTC date).
func DaysUntil(now time.Time, date string) (int, error) {
	target, err := parseDay(strings.TrimSpace(date))
	if err != nil {
		return 0, err
	}
	y, m, d := now.UTC().Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	// Unix seconds, not Sub: a Duration saturates at 292 years.
	return int((target.Unix() - today.Unix()) / 86400), nil
}

func parseDay(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01", s); err == nil {
		return t.AddDate(0, 1, -1), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		y, m, d := t.UTC().Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
	}
	return time.Time{}, fmt.Errorf("%q is not a date: want YYYY-MM-DD, YYYY-MM or RFC 3339", s)
}
