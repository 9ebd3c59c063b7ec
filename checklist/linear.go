package checklist

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// cty unifies the element types of a tuple by comparing every pair
// (convert.sortTypes), so `cond ? [for f in findings : f] : []` over 12,000
// card numbers took 20 s, and 100,000 scripts never finished. A for
// expression's tuple is nearly always homogeneous: homogeneousFunc turns
// such a tuple into a list in one pass, and the conditional then unifies a
// list with the other branch, which is cheap. A heterogeneous tuple is
// returned as it is, so results do not change, only the time they take.

// homogeneousName is the function conditional branches are wrapped in.
const homogeneousName = "__homogeneous"

var homogeneousFunc = function.New(&function.Spec{
	Params: []function.Parameter{{
		Name: "value", Type: cty.DynamicPseudoType,
		AllowUnknown: true, AllowDynamicType: true, AllowNull: true,
	}},
	Type: func(args []cty.Value) (cty.Type, error) {
		v := args[0]
		if ety, ok := homogeneous(v.Type()); ok && v.IsKnown() {
			return cty.List(ety), nil
		}
		return v.Type(), nil
	},
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		v := args[0]
		if !retType.IsListType() || !v.Type().IsTupleType() {
			return v, nil
		}
		return cty.ListVal(v.AsValueSlice()), nil
	},
})

// homogeneous reports the element type of a non-empty tuple type whose
// elements all have the same type.
func homogeneous(ty cty.Type) (cty.Type, bool) {
	if !ty.IsTupleType() {
		return cty.NilType, false
	}
	ets := ty.TupleElementTypes()
	if len(ets) == 0 {
		return cty.NilType, false
	}
	for _, et := range ets[1:] {
		if !et.Equals(ets[0]) {
			return cty.NilType, false
		}
	}
	if ets[0] == cty.DynamicPseudoType {
		return cty.NilType, false
	}
	return ets[0], true
}

// linearConditionals wraps every tuple-producing for expression in body
// in homogeneousFunc: besides conditionals, every function taking a list
// (join, distinct, contains…) converts a tuple argument to a list by the
// same pairwise unification.
func linearConditionals(body hcl.Body) {
	b, ok := body.(*hclsyntax.Body)
	if !ok {
		return
	}
	for _, blk := range b.Blocks {
		// Only expressions over facts: a variable's type is function-call
		// syntax too, and must stay as written.
		if blk.Type == "locals" || blk.Type == "step" || blk.Type == "scope" {
			wrapBody(blk.Body)
		}
	}
}

func wrapBody(b *hclsyntax.Body) {
	w := wrapHomogeneous
	_ = hclsyntax.VisitAll(b, func(n hclsyntax.Node) hcl.Diagnostics {
		switch x := n.(type) {
		case *hclsyntax.Attribute:
			x.Expr = w(x.Expr)
		case *hclsyntax.ConditionalExpr:
			x.TrueResult, x.FalseResult = w(x.TrueResult), w(x.FalseResult)
		case *hclsyntax.FunctionCallExpr:
			if x.Name != homogeneousName {
				for i := range x.Args {
					x.Args[i] = w(x.Args[i])
				}
			}
		case *hclsyntax.ForExpr:
			x.CollExpr, x.ValExpr = w(x.CollExpr), w(x.ValExpr)
		case *hclsyntax.ParenthesesExpr:
			x.Expression = w(x.Expression)
		case *hclsyntax.IndexExpr:
			x.Collection = w(x.Collection)
		case *hclsyntax.SplatExpr:
			x.Source = w(x.Source)
		case *hclsyntax.TemplateWrapExpr:
			x.Wrapped = w(x.Wrapped)
		case *hclsyntax.TupleConsExpr:
			for i := range x.Exprs {
				x.Exprs[i] = w(x.Exprs[i])
			}
		case *hclsyntax.ObjectConsExpr:
			for i := range x.Items {
				x.Items[i].ValueExpr = w(x.Items[i].ValueExpr)
			}
		}
		return nil
	})
}

// wrapHomogeneous wraps what can build a large tuple: a for expression,
// a function call (concat of an empty tuple and a list is a tuple), a
// conditional.
func wrapHomogeneous(e hclsyntax.Expression) hclsyntax.Expression {
	switch x := e.(type) {
	case *hclsyntax.ForExpr:
		if x.KeyExpr != nil {
			return e // an object
		}
	case *hclsyntax.FunctionCallExpr:
		if x.Name == homogeneousName {
			return e
		}
	case *hclsyntax.ConditionalExpr:
	default:
		return e
	}
	rng := e.Range()
	return &hclsyntax.FunctionCallExpr{
		Name: homogeneousName, Args: []hclsyntax.Expression{e},
		NameRange: rng, OpenParenRange: rng, CloseParenRange: rng,
	}
}

// ConvertList converts v, a list or tuple, to ty, a list type, element by
// element: convert.Convert of a tuple unifies every pair of element types.
func ConvertList(v cty.Value, ty cty.Type) (cty.Value, error) {
	if !ty.IsListType() || !v.IsKnown() || v.IsNull() || !(v.Type().IsTupleType() || v.Type().IsListType()) {
		return convert.Convert(v, ty)
	}
	if v.LengthInt() == 0 {
		return cty.ListValEmpty(ty.ElementType()), nil
	}
	out := make([]cty.Value, 0, v.LengthInt())
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		c, err := convert.Convert(e, ty.ElementType())
		if err != nil {
			return cty.NilVal, err
		}
		out = append(out, c)
	}
	if _, ok := homogeneous(cty.Tuple(typesOf(out))); !ok && len(out) > 1 {
		return convert.Convert(cty.TupleVal(out), ty) // optional attributes differ: let cty unify
	}
	return cty.ListVal(out), nil
}

func typesOf(vs []cty.Value) []cty.Type {
	ts := make([]cty.Type, len(vs))
	for i, v := range vs {
		ts[i] = v.Type()
	}
	return ts
}

// distinctFunc is the standard distinct with a hash of each element instead
// of comparing it with every element kept: distinct over 12,000 card-number
// findings made 72 million comparisons of objects.
var distinctFunc = function.New(&function.Spec{
	Description: `Removes any duplicate values from the given list, preserving the order of remaining elements.`,
	Params:      []function.Parameter{{Name: "list", Type: cty.List(cty.DynamicPseudoType)}},
	Type:        func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		list := args[0]
		if !list.IsWhollyKnown() {
			return cty.UnknownVal(retType), nil
		}
		if list.LengthInt() == 0 {
			return cty.ListValEmpty(retType.ElementType()), nil
		}
		ety := retType.ElementType()
		seen := make(map[string]bool, list.LengthInt())
		var out []cty.Value
		for it := list.ElementIterator(); it.Next(); {
			_, v := it.Element()
			key, err := ctyjson.Marshal(v, ety)
			if err != nil {
				return stdlib.Distinct(list) // values JSON cannot hold: the slow way
			}
			if !seen[string(key)] {
				seen[string(key)] = true
				out = append(out, v)
			}
		}
		return cty.ListVal(out), nil
	},
})
