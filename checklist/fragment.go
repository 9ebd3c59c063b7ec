package checklist

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// A fragment's expressions may use input.NAME, the values its include block
// gives. inputBody wraps a fragment's body so that every attribute read
// from it, at any depth (step attributes, assert blocks, probe settings),
// evaluates with input.* in scope; the rest of the loader sees ordinary
// expressions.
type inputBody struct {
	hcl.Body
	inputs cty.Value
}

func (b inputBody) Content(s *hcl.BodySchema) (*hcl.BodyContent, hcl.Diagnostics) {
	c, diags := b.Body.Content(s)
	return b.wrap(c), diags
}

func (b inputBody) PartialContent(s *hcl.BodySchema) (*hcl.BodyContent, hcl.Body, hcl.Diagnostics) {
	c, rest, diags := b.Body.PartialContent(s)
	if rest != nil {
		rest = inputBody{Body: rest, inputs: b.inputs}
	}
	return b.wrap(c), rest, diags
}

func (b inputBody) JustAttributes() (hcl.Attributes, hcl.Diagnostics) {
	attrs, diags := b.Body.JustAttributes()
	return b.attrs(attrs), diags
}

func (b inputBody) wrap(c *hcl.BodyContent) *hcl.BodyContent {
	if c == nil {
		return nil
	}
	out := *c
	out.Attributes = b.attrs(c.Attributes)
	out.Blocks = make(hcl.Blocks, len(c.Blocks))
	for i, blk := range c.Blocks {
		nb := *blk
		nb.Body = inputBody{Body: blk.Body, inputs: b.inputs}
		out.Blocks[i] = &nb
	}
	return &out
}

func (b inputBody) attrs(attrs hcl.Attributes) hcl.Attributes {
	if attrs == nil {
		return nil
	}
	out := make(hcl.Attributes, len(attrs))
	for name, a := range attrs {
		na := *a
		na.Expr = inputExpr{Expression: a.Expr, inputs: b.inputs}
		out[name] = &na
	}
	return out
}

// inputExpr evaluates with input.* added to its context.
type inputExpr struct {
	hcl.Expression
	inputs cty.Value
}

func (e inputExpr) Value(ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	child := &hcl.EvalContext{}
	if ctx != nil {
		child = ctx.NewChild()
	}
	child.Variables = map[string]cty.Value{"input": e.inputs}
	return e.Expression.Value(child)
}

// Variables leaves input.* out: it is not a checklist reference.
func (e inputExpr) Variables() []hcl.Traversal {
	var out []hcl.Traversal
	for _, tr := range e.Expression.Variables() {
		if tr.RootName() != "input" {
			out = append(out, tr)
		}
	}
	return out
}

// UnwrapExpression lets HCL's static analysis (type expressions such as
// list(string), keywords) see the expression as written.
func (e inputExpr) UnwrapExpression() hcl.Expression { return e.Expression }
