package checklist_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zclconf/go-cty/cty"

	"github.com/audit-tool/audit/checklist"
	"github.com/audit-tool/audit/checklist/funcs"
)

// The rewrite that keeps judging linear must not change a result.
func TestHomogeneousRewriteKeepsResults(t *testing.T) {
	src := `checklist "lin" { title = "x" }
variable "n" {
  type    = number
  default = 3
}
locals {
  nums    = [for i in range(var.n) : { v = i }]
  empty   = [for i in range(0) : i]
  mixed   = [for x in [{ a = 1 }, { b = "s" }] : x]
  cond    = var.n > 0 ? [for i in range(var.n) : "x${i}"] : []
  joined  = join(",", concat([for i in range(0) : "z"], local.cond))
  nested  = [for a in local.nums : [for b in range(2) : a.v + b]]
  objects = { for i in range(2) : "k${i}" => i }
}
step "s" {
  title    = "t"
  severity = "low"
  assert {
    condition = length(local.nums) == var.n && local.joined == "x0,x1,x2" && local.empty == [] && length(local.mixed) == 2 && local.objects.k1 == 1 && local.nested[2][1] == 3
    message   = "${local.joined}"
  }
}
`
	l := newLoader(t)
	plan, diags := l.Load(checklist.Request{Checklists: []string{writeTemp(t, "lin.hcl", src)}, WorkDir: "."})
	require.False(t, diags.HasErrors(), diags.Error())
	inst := plan.Instances[0]
	locals := map[string]cty.Value{}
	for _, loc := range inst.LocalOrder {
		v, diags := checklist.Eval(loc.Expr, inst.LocalContext(loc.Expr, nil, locals))
		require.False(t, diags.HasErrors(), "%s: %s", loc.Name, diags.Error())
		locals[loc.Name] = v
	}
	assert.True(t, locals["nums"].Type().IsListType(), "a homogeneous for builds a list")
	assert.True(t, locals["mixed"].Type().IsTupleType(), "a heterogeneous one stays a tuple")
	assert.Equal(t, cty.StringVal("x0,x1,x2"), locals["joined"])
	v, diags := checklist.Eval(inst.Checklist.Steps[0].Asserts[0].Condition, inst.EvalContext(nil, locals))
	require.False(t, diags.HasErrors(), diags.Error())
	assert.Equal(t, cty.True, v)
}

func TestConvertListIsElementWise(t *testing.T) {
	var elems []cty.Value
	for i := 0; i < 50_000; i++ {
		elems = append(elems, cty.ObjectVal(map[string]cty.Value{"source": cty.StringVal(fmt.Sprint("f", i)), "line": cty.NumberIntVal(int64(i))}))
	}
	// cty's own conversion compares every pair of element types: minutes.
	got, err := checklist.ConvertList(cty.TupleVal(elems), checklist.EvidenceType)
	require.NoError(t, err)
	assert.Equal(t, 50_000, got.LengthInt())
	assert.True(t, got.Index(cty.NumberIntVal(7)).GetAttr("detail").IsNull())
	_, err = checklist.ConvertList(cty.TupleVal([]cty.Value{cty.StringVal(strings.Repeat("x", 3))}), checklist.EvidenceType)
	assert.Error(t, err)
}

func TestDistinctIsLinearAndStable(t *testing.T) {
	fns := checklist.Functions(funcs.Options{})
	var elems []cty.Value
	for i := 0; i < 40_000; i++ {
		elems = append(elems, cty.ObjectVal(map[string]cty.Value{"n": cty.NumberIntVal(int64(i % 30_000)), "s": cty.StringVal("x")}))
	}
	got, err := fns["distinct"].Call([]cty.Value{cty.ListVal(elems)})
	require.NoError(t, err)
	assert.Equal(t, 30_000, got.LengthInt())
	assert.Equal(t, elems[29_999], got.Index(cty.NumberIntVal(29_999)), "first occurrences, in order")
	got, err = fns["distinct"].Call([]cty.Value{cty.ListVal([]cty.Value{cty.StringVal("b"), cty.StringVal("a"), cty.StringVal("b")})})
	require.NoError(t, err)
	assert.Equal(t, cty.ListVal([]cty.Value{cty.StringVal("b"), cty.StringVal("a")}), got)
}
