package checklist

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// flagValue is a variable value from --var or --var-file, kept unevaluated
// until the declaring checklist says which type it must have.
type flagValue struct {
	raw    string         // --var: the text after '='
	expr   hcl.Expression // --var-file: the attribute's expression
	origin string
	rng    *hcl.Range
}

// value converts the flag to v's type. A --var for a string variable is
// taken literally; any other type is parsed as an HCL expression, so lists
// are written --var 'source_dirs=["src"]'.
func (f flagValue) value(v *Variable) (cty.Value, hcl.Diagnostics) {
	expr := f.expr
	if expr == nil {
		if v.Type == cty.String {
			return cty.StringVal(f.raw), nil
		}
		var diags hcl.Diagnostics
		expr, diags = parseExpr(f.raw, f.origin)
		if diags.HasErrors() {
			return cty.UnknownVal(v.Type), diags
		}
	}
	val, diags := expr.Value(nil)
	if diags.HasErrors() {
		return cty.UnknownVal(v.Type), diags
	}
	conv, err := convertTo(val, v.Type)
	if err != nil {
		return cty.UnknownVal(v.Type), append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid value for variable",
			Detail:   fmt.Sprintf("%s: variable %q: %s.", f.origin, v.Name, err),
			Subject:  f.rng,
		})
	}
	return conv, diags
}

// flagValues gathers --var-file then --var values; a later one wins.
func (l *Loader) flagValues(req Request) (map[string]flagValue, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	vals := map[string]flagValue{}
	for _, file := range req.VarFiles {
		attrs, ds := l.Parser.ValueFile(file)
		diags = append(diags, ds...)
		for name, a := range attrs {
			vals[name] = flagValue{expr: a.Expr, origin: "--var-file " + file, rng: a.NameRange.Ptr()}
		}
	}
	for _, kv := range req.Vars {
		name, raw, ok := strings.Cut(kv, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid --var",
				Detail:   fmt.Sprintf("--var %q must be NAME=VALUE.", kv),
			})
			continue
		}
		vals[name] = flagValue{raw: raw, origin: "--var " + name}
	}
	return vals, diags
}
