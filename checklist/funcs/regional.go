package funcs

import (
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// bankAccountAttrs maps the merchant profile's payout_account attributes
// to the fields of BankAccount.
var bankAccountAttrs = map[string]func(*BankAccount) *string{
	"iban":           func(a *BankAccount) *string { return &a.IBAN },
	"sort_code":      func(a *BankAccount) *string { return &a.SortCode },
	"routing_number": func(a *BankAccount) *string { return &a.RoutingNumber },
	"bank_code":      func(a *BankAccount) *string { return &a.BankCode },
	"branch_code":    func(a *BankAccount) *string { return &a.BranchCode },
	"account_type":   func(a *BankAccount) *string { return &a.AccountType },
	"account_number": func(a *BankAccount) *string { return &a.AccountNumber },
}

// bankAccountOf reads an object or map with (some of) the payout_account
// attributes; others, nulls and non-strings are ignored. ok is false when
// a value it needs is not known yet.
func bankAccountOf(v cty.Value) (a BankAccount, ok bool) {
	if v.IsNull() {
		return a, true
	}
	if !v.IsKnown() || !v.Type().IsObjectType() && !v.Type().IsMapType() {
		return a, v.IsKnown()
	}
	for name, field := range bankAccountAttrs {
		var x cty.Value
		switch {
		case v.Type().IsObjectType() && v.Type().HasAttribute(name):
			x = v.GetAttr(name)
		case v.Type().IsMapType() && v.HasIndex(cty.StringVal(name)).True():
			x = v.Index(cty.StringVal(name))
		default:
			continue
		}
		if !x.IsKnown() {
			return a, false
		}
		if x.IsNull() || x.Type() != cty.String {
			continue
		}
		*field(&a) = x.AsString()
	}
	return a, true
}

// bankAccountFunc makes f(country, account) or f(account) a function; a
// null country is "".
func bankAccountFunc(withCountry bool, f func(country string, a BankAccount) string) function.Function {
	params := []function.Parameter{{Name: "account", Type: cty.DynamicPseudoType, AllowNull: true, AllowUnknown: true, AllowDynamicType: true}}
	if withCountry {
		params = append([]function.Parameter{{Name: "country", Type: cty.String, AllowNull: true}}, params...)
	}
	return function.New(&function.Spec{
		Params: params,
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			country := ""
			if withCountry {
				if !args[0].IsNull() {
					country = args[0].AsString()
				}
				args = args[1:]
			}
			a, ok := bankAccountOf(args[0])
			if !ok {
				return cty.UnknownVal(cty.String), nil
			}
			return cty.StringVal(f(country, a)), nil
		},
	})
}

// countryFunc makes f(country, id) a function of result type ret; null
// arguments are "", so an absent tax id fails instead of erroring.
func countryFunc(ret cty.Type, f func(country, id string) cty.Value) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{
			{Name: "country", Type: cty.String, AllowNull: true},
			{Name: "id", Type: cty.String, AllowNull: true},
		},
		Type: function.StaticReturnType(ret),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			s := make([]string, 2)
			for i, a := range args {
				if !a.IsNull() {
					s[i] = a.AsString()
				}
			}
			return f(s[0], s[1]), nil
		},
	})
}
