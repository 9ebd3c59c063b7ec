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

// MaxLoadWork bounds the evaluation work of one checklist's load, all its
// locals together: the bytes each expression would build (its estimate),
// each reference walks and each result holds. At load facts are unknown,
// so this is what the checklist builds from its own constants: a few
// kilobytes for the built-in ones. 15,000 locals that each copy a
// 10,000-element list, or three locals of a million elements (12 s and
// 680 MB), stay under MaxValueBytes one by one; they stop at a diagnostic
// on the local that crosses it.
const MaxLoadWork = 16 << 20

// Eval evaluates expr in ctx within the evaluation budget: an expression
// whose result would, by a conservative estimate over its syntax and the
// values it refers to, exceed MaxValueBytes is not evaluated, and one whose
// result does is an error. Diagnostics point at the expression.
func Eval(expr hcl.Expression, ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	v, _, diags := NewBudget(0).Eval(expr, ctx)
	return v, diags
}

// Budget is the evaluation work left to a series of expressions (one
// load), and the sizes of the locals they built, so a reference to a
// local is not measured again.
type Budget struct {
	limit, used int64 // limit 0: no limit across expressions
	locals      map[string]int64
}

// NewBudget returns a budget of limit units of work (0: only the
// per-expression limit applies).
func NewBudget(limit int64) *Budget {
	return &Budget{limit: limit, locals: map[string]int64{}}
}

// Local records the size of local.name, as Eval returned it.
func (b *Budget) Local(name string, size int64) { b.locals[name] = size }

// Eval is the package's Eval, charged to b; it also returns the size of
// the value.
func (b *Budget) Eval(expr hcl.Expression, ctx *hcl.EvalContext) (cty.Value, int64, hcl.Diagnostics) {
	e := estimator{ctx: ctx, b: b}
	est := e.of(expr)
	if est > MaxValueBytes {
		return cty.DynamicVal, 0, hcl.Diagnostics{overBudget(expr, "would build about "+input.Size(roundMiB(est)))}
	}
	lookup := isLookup(expr)
	if !lookup {
		b.used = add(b.used, est) // what building it takes, roughly
	}
	if b.over() {
		return cty.DynamicVal, 0, hcl.Diagnostics{overWork(expr)}
	}
	v, diags := expr.Value(ctx)
	if diags.HasErrors() {
		return v, 0, diags
	}
	if lookup {
		return v, est, diags // builds nothing: its size is what the estimate looked up
	}
	n := valueSize(v, MaxValueBytes+1)
	b.used = add(b.used, n)
	if n > MaxValueBytes {
		return cty.DynamicVal, 0, append(diags, overBudget(expr, "builds more than "+input.Size(MaxValueBytes)))
	}
	if b.over() {
		return cty.DynamicVal, 0, append(diags, overWork(expr))
	}
	return v, n, diags
}

func (b *Budget) over() bool { return b.limit > 0 && b.used > b.limit }

// isLookup reports whether expr only looks a value up.
func isLookup(expr hcl.Expression) bool {
	for {
		switch x := expr.(type) {
		case *hclsyntax.ScopeTraversalExpr:
			return true
		case *hclsyntax.ParenthesesExpr:
			expr = x.Expression
		case *hclsyntax.FunctionCallExpr:
			if x.Name != homogeneousName || len(x.Args) != 1 {
				return false
			}
			expr = x.Args[0] // a list already is one; a tuple becomes one in place
		default:
			return false
		}
	}
}

func overWork(expr hcl.Expression) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Checklist too costly to evaluate",
		Detail:   fmt.Sprintf("The checklist's locals together build or look up more than %s by here, the limit for what one checklist builds from its constants.", input.Size(MaxLoadWork)),
		Subject:  expr.Range().Ptr(),
	}
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

// valueOverhead is what a value takes besides its bytes: a cty value in
// a list is an interface and a header. Counting strings by their length
// alone let a list of 20 million one-byte strings (2 GB) pass as 40 MB.
const valueOverhead = 24

// valueSize is the bytes v holds (strings by length, each value
// valueOverhead more), counted up to limit: a value is never walked
// further than the budget.
func valueSize(v cty.Value, limit int64) int64 {
	var n int64
	var walk func(v cty.Value)
	walk = func(v cty.Value) {
		if n > limit {
			return
		}
		n += valueOverhead
		switch {
		case v.IsNull() || !v.IsKnown():
		case v.Type() == cty.String:
			n += int64(len(v.AsString()))
		case v.Type().IsPrimitiveType():
		case v.Type().IsObjectType():
			// GetAttr is a map lookup; the element iterator sorts the
			// attribute names of every object it visits.
			for name := range v.Type().AttributeTypes() {
				n += int64(len(name))
				walk(v.GetAttr(name))
			}
		case v.CanIterateElements():
			for it := v.ElementIterator(); it.Next() && n <= limit; {
				k, e := it.Element()
				if !v.Type().IsListType() && !v.Type().IsTupleType() && !v.Type().IsSetType() {
					walk(k)
				}
				walk(e)
			}
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
	e := estimator{ctx: ctx, b: NewBudget(0)}
	return e.of(expr)
}

type estimator struct {
	ctx *hcl.EvalContext
	b   *Budget // charged for the values looked up
}

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
	if x.Traversal.RootName() == "local" && len(x.Traversal) > 1 {
		if a, ok := x.Traversal[1].(hcl.TraverseAttr); ok {
			if n, ok := e.b.locals[a.Name]; ok {
				return n // a part of it at most
			}
		}
	}
	v, diags := x.Value(e.ctx)
	if diags.HasErrors() {
		return 0
	}
	n := valueSize(v, MaxValueBytes+1)
	e.b.used = add(e.b.used, n)
	return n
}

func (e estimator) call(x *hclsyntax.FunctionCallExpr) int64 {
	if x.Name == homogeneousName && len(x.Args) == 1 {
		return e.of(x.Args[0]) // the same value, as a list
	}
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
			repl := max(1, e.of(x.Args[len(x.Args)-1])-valueOverhead) // its bytes
			return mul(add(1, e.of(x.Args[0])), repl)
		}
	case "range":
		return 1024 * 9 // cty's range stops at 1024 values
	case "setproduct":
		n := int64(1)
		for _, a := range x.Args {
			n = mul(n, e.of(a))
		}
		return n
	case "jsondecode", "csvdecode":
		// Every byte or two of the text may become a value of its own.
		return mul(args, valueOverhead)
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
	count := max(1, coll/valueOverhead) // every element takes at least the overhead
	// A lookup or a range is cheap to evaluate twice; nested for
	// expressions are not.
	cheap := false
	collExpr := x.CollExpr
	if c, ok := collExpr.(*hclsyntax.FunctionCallExpr); ok && c.Name == homogeneousName && len(c.Args) == 1 {
		collExpr = c.Args[0] // linearConditionals' wrapper changes no size
	}
	switch c := collExpr.(type) {
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
