package checklist

import (
	"fmt"
	"math"
	"strconv"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/audit-tool/audit/internal/input"
)

// MaxValueBytes bounds what one expression (a local, a message, an
// evidence list) may build. Facts of a large tree (100,000 findings of a
// few hundred bytes) fit; a 1.5 KB checklist whose locals double a string
// 39 times, or a template repeating a 1 MB local a thousand times, stops
// at a diagnostic instead of taking the machine's memory.
const MaxValueBytes = 64 << 20

// Eval evaluates expr in ctx within the evaluation budget: an expression
// whose result would, by a conservative estimate over its syntax and the
// values it refers to, exceed MaxValueBytes is not evaluated, and one whose
// result does is an error. Diagnostics point at the expression.
func Eval(expr hcl.Expression, ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	if est := estimate(expr, ctx); est > MaxValueBytes {
		return cty.DynamicVal, hcl.Diagnostics{overBudget(expr, "would build about "+input.Size(roundMiB(est)))}
	}
	v, diags := expr.Value(ctx)
	if diags.HasErrors() {
		return v, diags
	}
	if n := valueSize(v, MaxValueBytes+1); n > MaxValueBytes {
		return cty.DynamicVal, append(diags, overBudget(expr, "builds more than "+input.Size(MaxValueBytes)))
	}
	return v, diags
}

func overBudget(expr hcl.Expression, what string) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Expression too large",
		Detail:   fmt.Sprintf("This expression %s; the limit is %s per expression.", what, input.Size(MaxValueBytes)),
		Subject:  expr.Range().Ptr(),
	}
}

func roundMiB(n int64) int64 { return (n + 1<<20 - 1) &^ (1<<20 - 1) }

// valueSize is the bytes v holds (strings by length, other leaves 8),
// counted up to limit: a value is never walked further than the budget.
func valueSize(v cty.Value, limit int64) int64 {
	var n int64
	var walk func(v cty.Value)
	walk = func(v cty.Value) {
		if n > limit {
			return
		}
		switch {
		case v.IsNull() || !v.IsKnown():
			n++
		case v.Type() == cty.String:
			n += int64(len(v.AsString())) + 1
		case v.Type().IsPrimitiveType():
			n += 8
		case v.Type().IsObjectType():
			// GetAttr is a map lookup; the element iterator sorts the
			// attribute names of every object it visits.
			n++
			for name := range v.Type().AttributeTypes() {
				n += int64(len(name))
				walk(v.GetAttr(name))
			}
		case v.CanIterateElements():
			n++
			for it := v.ElementIterator(); it.Next() && n <= limit; {
				k, e := it.Element()
				if !v.Type().IsListType() && !v.Type().IsTupleType() && !v.Type().IsSetType() {
					walk(k)
				}
				walk(e)
			}
		default:
			n += 8
		}
	}
	walk(v)
	return n
}

// estimate bounds from above, roughly, the size of expr's value without
// building it. It follows the shapes that multiply: templates and
// function calls add their parts, for expressions multiply their body by
// their collection's length, format widths count, and replace multiplies.
// Unknown shapes count their parts.
func estimate(expr hcl.Expression, ctx *hcl.EvalContext) int64 {
	e := estimator{ctx: ctx}
	return e.of(expr)
}

type estimator struct{ ctx *hcl.EvalContext }

func add(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

func mul(a, b int64) int64 {
	if a != 0 && b > math.MaxInt64/a {
		return math.MaxInt64
	}
	return a * b
}

func (e estimator) sum(exprs ...hclsyntax.Expression) int64 {
	var n int64
	for _, x := range exprs {
		n = add(n, e.of(x))
	}
	return n
}

func (e estimator) of(expr hcl.Expression) int64 {
	switch x := expr.(type) {
	case *hclsyntax.LiteralValueExpr:
		return valueSize(x.Val, MaxValueBytes)
	case *hclsyntax.TemplateExpr:
		return e.sum(x.Parts...)
	case *hclsyntax.TemplateWrapExpr:
		return e.of(x.Wrapped)
	case *hclsyntax.TemplateJoinExpr:
		return e.of(x.Tuple)
	case *hclsyntax.ParenthesesExpr:
		return e.of(x.Expression)
	case *hclsyntax.ScopeTraversalExpr:
		// Looking a value up builds nothing; it is as large as it is.
		return e.known(x)
	case *hclsyntax.RelativeTraversalExpr:
		return e.of(x.Source) // a part of it
	case *hclsyntax.IndexExpr:
		return add(e.of(x.Collection), e.of(x.Key))
	case *hclsyntax.SplatExpr:
		return e.of(x.Source)
	case *hclsyntax.TupleConsExpr:
		return add(1, e.sum(x.Exprs...))
	case *hclsyntax.ObjectConsExpr:
		var n int64 = 1
		for _, it := range x.Items {
			n = add(n, add(e.of(it.KeyExpr), e.of(it.ValueExpr)))
		}
		return n
	case *hclsyntax.ConditionalExpr:
		return add(e.of(x.Condition), max(e.of(x.TrueResult), e.of(x.FalseResult)))
	case *hclsyntax.BinaryOpExpr:
		return add(16, e.sum(x.LHS, x.RHS))
	case *hclsyntax.UnaryOpExpr:
		return add(16, e.of(x.Val))
	case *hclsyntax.FunctionCallExpr:
		return e.call(x)
	case *hclsyntax.ForExpr:
		return e.forExpr(x)
	}
	return 0
}

// known is the size of the value a traversal looks up; 0 for an iteration
// variable, which a for expression accounts for.
func (e estimator) known(x *hclsyntax.ScopeTraversalExpr) int64 {
	v, diags := x.Value(e.ctx)
	if diags.HasErrors() {
		return 0
	}
	return valueSize(v, MaxValueBytes+1)
}

func (e estimator) call(x *hclsyntax.FunctionCallExpr) int64 {
	args := e.sum(x.Args...)
	switch x.Name {
	case "format", "formatlist":
		if len(x.Args) > 0 {
			if lit, ok := x.Args[0].(*hclsyntax.TemplateExpr); ok && lit.IsStringLiteral() {
				if v, diags := lit.Value(nil); !diags.HasErrors() {
					args = add(args, formatWidths(v.AsString()))
				}
			}
		}
		if x.Name == "formatlist" {
			return mul(args, max(1, args/2))
		}
	case "replace", "indent":
		// Every match (every character, for an empty pattern) may become
		// the replacement: the string's size times the replacement's.
		if len(x.Args) >= 2 {
			return mul(add(1, e.of(x.Args[0])), add(1, e.of(x.Args[len(x.Args)-1])))
		}
	case "range":
		return 1024 * 9 // cty's range stops at 1024 values
	}
	return args
}

// formatWidths adds up the widths and precisions a format string asks
// for: format("%999999999s", "") builds a gigabyte.
func formatWidths(f string) int64 {
	var n int64
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			continue
		}
		j := i + 1
		for j < len(f) {
			k := j
			for k < len(f) && f[k] >= '0' && f[k] <= '9' {
				k++
			}
			if k > j {
				w, err := strconv.ParseInt(f[j:k], 10, 64)
				if err != nil {
					return math.MaxInt64
				}
				n = add(n, w)
			}
			if k < len(f) && (f[k] == '.' || f[k] == '-' || f[k] == '+' || f[k] == ' ' || f[k] == '#' || f[k] == '0') {
				j = k + 1
				continue
			}
			break
		}
		i = j
	}
	return n
}

// forExpr is the collection's length times what one iteration builds (its
// references to the iteration variables are each at most an element, and
// together at most the collection).
func (e estimator) forExpr(x *hclsyntax.ForExpr) int64 {
	coll := e.of(x.CollExpr)
	if coll > MaxValueBytes {
		return coll
	}
	count := coll // every element is at least a byte
	// A lookup or a range is cheap to evaluate twice; nested for
	// expressions are not.
	cheap := false
	switch c := x.CollExpr.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		cheap = true
	case *hclsyntax.FunctionCallExpr:
		cheap = c.Name == "range" && e.sum(c.Args...) < 1024
	}
	if cheap {
		if v, diags := x.CollExpr.Value(e.ctx); !diags.HasErrors() && v.IsKnown() && !v.IsNull() && v.CanIterateElements() {
			count = int64(v.LengthInt())
		}
	}
	body := add(e.of(x.ValExpr), 1)
	if x.KeyExpr != nil {
		body = add(body, e.of(x.KeyExpr))
	}
	if x.CondExpr != nil {
		body = add(body, e.of(x.CondExpr))
	}
	return add(coll, mul(count, body))
}
