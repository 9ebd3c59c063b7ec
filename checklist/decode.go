package checklist

import (
	"fmt"
	"regexp"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// nameRe is what a checklist, step, variable or probe name may look like:
// step ids become "checklist.step" and must stay unambiguous.
var nameRe = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`)

func validName(what, name string, rng hcl.Range) hcl.Diagnostics {
	if nameRe.MatchString(name) {
		return nil
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Invalid " + what + " name",
		Detail:   fmt.Sprintf("%q is not a valid %s name: use lower-case letters, digits, '_' and '-', starting with a letter.", name, what),
		Subject:  rng.Ptr(),
	}}
}

// duplicate reports a second declaration with both locations.
func duplicate(what, name string, first, second hcl.Range) *hcl.Diagnostic {
	label := what
	if name != "" {
		label = fmt.Sprintf("%s %q", what, name)
	}
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Duplicate " + what,
		Detail:   fmt.Sprintf("The %s was already declared at %s. Each may be declared only once.", label, first),
		Subject:  second.Ptr(),
	}
}

// staticValue evaluates an attribute that may not refer to anything.
func staticValue(a *hcl.Attribute, ty cty.Type) (cty.Value, hcl.Diagnostics) {
	val, diags := a.Expr.Value(nil)
	if diags.HasErrors() {
		return cty.NilVal, diags
	}
	conv, err := convert.Convert(val, ty)
	if err == nil && !conv.IsWhollyKnown() {
		// Only an expression that already failed to parse gets here; say
		// so, since callers read a value whenever there is no error.
		return cty.NilVal, append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid value",
			Detail:   fmt.Sprintf("Attribute %q needs a constant value.", a.Name),
			Subject:  a.Expr.Range().Ptr(),
		})
	}
	if err != nil || conv.IsNull() {
		msg := "a value is required"
		if err != nil {
			msg = err.Error()
		}
		return cty.NilVal, append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Incorrect attribute value type",
			Detail:   fmt.Sprintf("Inappropriate value for attribute %q: %s.", a.Name, msg),
			Subject:  a.Expr.Range().Ptr(),
		})
	}
	return conv, diags
}

func staticString(a *hcl.Attribute, dst *string) hcl.Diagnostics {
	if a == nil {
		return nil
	}
	v, diags := staticValue(a, cty.String)
	if !diags.HasErrors() {
		*dst = v.AsString()
	}
	return diags
}

func staticBool(a *hcl.Attribute, dst *bool) hcl.Diagnostics {
	if a == nil {
		return nil
	}
	v, diags := staticValue(a, cty.Bool)
	if !diags.HasErrors() {
		*dst = v.True()
	}
	return diags
}

func staticStrings(a *hcl.Attribute, dst *[]string) hcl.Diagnostics {
	if a == nil {
		return nil
	}
	v, diags := staticValue(a, cty.List(cty.String))
	if diags.HasErrors() {
		return diags
	}
	for _, e := range v.AsValueSlice() {
		if e.IsNull() {
			continue
		}
		*dst = append(*dst, e.AsString())
	}
	return diags
}

func sortedAttrNames(attrs hcl.Attributes) []string {
	names := make([]string, 0, len(attrs))
	for n := range attrs {
		names = append(names, n)
	}
	// Source order, so diagnostics and locals read as written.
	sort.Slice(names, func(i, j int) bool {
		return attrs[names[i]].Range.Start.Byte < attrs[names[j]].Range.Start.Byte
	})
	return names
}

// convertTo converts v to ty; null stays null (an optional variable).
func convertTo(v cty.Value, ty cty.Type) (cty.Value, error) {
	if v.IsNull() {
		return cty.NullVal(ty), nil
	}
	return convert.Convert(v, ty)
}
