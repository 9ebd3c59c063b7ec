package probes

import "github.com/zclconf/go-cty/cty"

// Location is the fact type of a place in a file. Kinds that report where
// they saw something embed it, so evidence in every checklist reads alike.
var Location = cty.Object(map[string]cty.Type{
	"file": cty.String, // relative to the Env's BaseDir (Env.Rel)
	"line": cty.Number, // 1-based; 0 when the file as a whole is meant
})

// LocationVal builds a Location value.
func LocationVal(file string, line int) cty.Value {
	return cty.ObjectVal(map[string]cty.Value{
		"file": cty.StringVal(file),
		"line": cty.NumberIntVal(int64(line)),
	})
}

// ListOf returns a list of vals typed ty, an empty list when vals is empty
// (cty.ListVal panics on an empty slice).
func ListOf(ty cty.Type, vals []cty.Value) cty.Value {
	if len(vals) == 0 {
		return cty.ListValEmpty(ty)
	}
	return cty.ListVal(vals)
}

// Strings returns a list(string) value.
func Strings(ss []string) cty.Value {
	vals := make([]cty.Value, len(ss))
	for i, s := range ss {
		vals[i] = cty.StringVal(s)
	}
	return ListOf(cty.String, vals)
}
