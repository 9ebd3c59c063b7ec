package pack

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// ForgedCertHost is where forged signatures claim their certificate lives:
// a reserved name (RFC 2606) no provider uses, so a verifier that fetches
// certificates only from the provider refuses it.
const ForgedCertHost = "certificates.audit-forged.invalid"

// forgeVars are the values a forge block may use, as forged.NAME. They are
// derived from the clock, so a run with a fixed --now sends the same bytes.
func forgeVars(now time.Time) map[string]cty.Value {
	now = now.UTC()
	ts := strconv.FormatInt(now.Unix(), 10)
	// A signature-shaped value that is nobody's signature.
	bogus := sha256.Sum256([]byte("audit forged notification " + ts))
	return map[string]cty.Value{
		"unix":        cty.NumberIntVal(now.Unix()),
		"ref":         cty.StringVal(hex.EncodeToString(bogus[:8])),
		"hex":         cty.StringVal(hex.EncodeToString(bogus[:])),
		"base64":      cty.StringVal(base64.StdEncoding.EncodeToString(bogus[:])),
		"base64_long": cty.StringVal(base64.StdEncoding.EncodeToString(bytes.Repeat(bogus[:], 8))), // RSA-2048 sized
		"time":        cty.StringVal(now.Format(time.RFC3339)),
		"time_ms":     cty.StringVal(now.Format("2006-01-02T15:04:05.000Z")),
		"cert_host":   cty.StringVal(ForgedCertHost),
	}
}

func forgeFuncs() map[string]function.Function {
	return map[string]function.Function{
		"jsonencode":   stdlib.JSONEncodeFunc,
		"upper":        stdlib.UpperFunc,
		"lower":        stdlib.LowerFunc,
		"base64encode": stringFunc(func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }),
		"urlencode":    stringFunc(url.QueryEscape),
	}
}

// stringFunc makes a string → string function (form-encoded and base64
// bodies: a Braintree notification is bt_signature=…&bt_payload=base64).
func stringFunc(f func(string) string) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "s", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return cty.StringVal(f(args[0].AsString())), nil
		},
	})
}

// checkForgeRefs rejects references other than forged.NAME at load time,
// so a misspelt name is a diagnostic, not a failed run.
func checkForgeRefs(w *Webhook) hcl.Diagnostics {
	known := forgeVars(time.Unix(0, 0))
	var names []string
	for n := range known {
		names = append(names, "forged."+n)
	}
	sort.Strings(names)
	var diags hcl.Diagnostics
	for _, expr := range []hcl.Expression{w.Headers, w.Body} {
		for _, tr := range expr.Variables() {
			ok := tr.RootName() == "forged" && len(tr) >= 2
			if ok {
				a, isAttr := tr[1].(hcl.TraverseAttr)
				_, ok = known[a.Name]
				ok = ok && isAttr
			}
			if !ok {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Unknown forge value",
					Detail:   "A forge block may use " + strings.Join(names, ", ") + ".",
					Subject:  tr.SourceRange().Ptr(),
				})
			}
		}
	}
	return diags
}

// Forge builds the headers and body of a notification whose signature
// cannot verify.
func (w *Webhook) Forge(now time.Time) (map[string]string, []byte, error) {
	ctx := &hcl.EvalContext{
		Variables: map[string]cty.Value{"forged": cty.ObjectVal(forgeVars(now))},
		Functions: forgeFuncs(),
	}
	hv, diags := w.Headers.Value(ctx)
	if diags.HasErrors() {
		return nil, nil, fmt.Errorf("forge headers: %w", diags)
	}
	if !hv.Type().IsObjectType() && !hv.Type().IsMapType() {
		return nil, nil, fmt.Errorf("forge headers at %s: want an object of header names to strings", w.Headers.Range())
	}
	headers := map[string]string{}
	for it := hv.ElementIterator(); it.Next(); {
		k, v := it.Element()
		if v.IsNull() || !v.Type().Equals(cty.String) {
			return nil, nil, fmt.Errorf("forge header %s at %s: want a string", k.AsString(), w.Headers.Range())
		}
		headers[k.AsString()] = v.AsString()
	}
	bv, diags := w.Body.Value(ctx)
	if diags.HasErrors() {
		return nil, nil, fmt.Errorf("forge body: %w", diags)
	}
	if bv.IsNull() || !bv.Type().Equals(cty.String) {
		return nil, nil, fmt.Errorf("forge body at %s: want a string (jsonencode({…}))", w.Body.Range())
	}
	return headers, []byte(bv.AsString()), nil
}
