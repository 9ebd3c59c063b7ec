package checklist_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zclconf/go-cty/cty"

	"github.com/audit-tool/audit/checklist"
	"github.com/audit-tool/audit/checklist/funcs"
)

// doubling is a checklist whose locals double a string n times.
func doubling(n int) string {
	var b strings.Builder
	b.WriteString("checklist \"dbl\" { title = \"x\" }\nlocals {\n  a0 = \"xx\"\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "  a%d = \"${local.a%d}${local.a%d}\"\n", i, i-1, i-1)
	}
	fmt.Fprintf(&b, "}\nstep \"s\" {\n  title = \"t\"\n  severity = \"low\"\n  assert {\n    condition = local.a%d != \"\"\n    message = \"m\"\n  }\n}\n", n)
	return b.String()
}

func TestDoublingLocalsStopAtTheBudget(t *testing.T) {
	src := doubling(39)
	require.Less(t, len(src), 1600, "the measured case: a 1.5 KB checklist")
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	l := newLoader(t)
	_, diags := l.Parser.Checklist("dbl.hcl", []byte(src))
	require.False(t, diags.HasErrors(), diags.Error())
	_, diags = l.Load(checklist.Request{Checklists: []string{writeTemp(t, "dbl.hcl", src)}, WorkDir: ".", Partial: true})
	require.True(t, diags.HasErrors())
	var over *hcl.Diagnostic
	for _, d := range diags {
		if d.Summary == "Checklist too costly to evaluate" {
			over = d
			break
		}
	}
	require.NotNil(t, over, diags.Error())
	// a21 is 4 MiB (a25, 64 MiB, was the first over the per-expression
	// limit): a0 to a21 together cross the 16 MiB of one load.
	assert.Equal(t, 3+21, over.Subject.Start.Line)
	assert.Equal(t, 9, over.Subject.Start.Column)
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(600<<20), "allocated in all, not 2^40 bytes")
}

func TestEvalBudget(t *testing.T) {
	big := cty.StringVal(strings.Repeat("x", 1<<20))
	ctx := &hcl.EvalContext{
		Variables: map[string]cty.Value{"local": cty.ObjectVal(map[string]cty.Value{
			"big":   big,
			"list":  cty.ListVal([]cty.Value{big, big, big}),
			"small": cty.StringVal("ab"),
		})},
		Functions: checklist.Functions(funcs.Options{}),
	}
	for _, tc := range []struct {
		name string
		expr string
		over bool
	}{
		{"a template within budget", `"${local.big}${local.big}"`, false},
		{"a template repeating a 1 MB value 80 times", `"` + strings.Repeat("${local.big}", 80) + `"`, true},
		{"format width", `format("%999999999s", "x")`, true},
		{"format within budget", `format("%10s|%s", "x", local.small)`, false},
		{"replace with an empty pattern", `replace(local.big, "", local.big)`, true},
		{"replace within budget", `replace(local.big, "x", "y")`, false},
		{"nested for over range", `[for a in range(1024) : [for b in range(1024) : [for c in range(1024) : "xxxxxxxx"]]]`, true},
		{"for over a list", `[for s in local.list : upper(s)]`, false},
		{"join of repeats", `join("", [for i in range(1000) : local.big])`, true},
		{"join of a few repeats", `join("", [for i in range(3) : local.big])`, false},
		{"indent of a large string", `indent(local.big, local.big)`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			expr, diags := hclsyntax.ParseExpression([]byte(tc.expr), "t.hcl", hcl.InitialPos)
			require.False(t, diags.HasErrors(), diags.Error())
			_, diags = checklist.Eval(expr, ctx)
			if !tc.over {
				assert.False(t, diags.HasErrors(), diags.Error())
				return
			}
			require.True(t, diags.HasErrors())
			assert.Equal(t, "Expression too large", diags[0].Summary)
			assert.Equal(t, "t.hcl", diags[0].Subject.Filename)
		})
	}
}

func writeTemp(t *testing.T, name, src string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(src), 0o644))
	return p
}
