package i18n

import (
	"bytes"
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zclconf/go-cty/cty"

	"github.com/audit-tool/audit/checklist/builtin"
	"github.com/audit-tool/audit/policies"
)

// builtinTexts is every text a built-in checklist can put in a step's
// message, by checklist and step, as messages.json keys them (literal text,
// interpolations as ${source}): assert messages, pass messages, skip and
// unchecked reasons, descriptions (a pending step's advice) and, under
// ScopeStep, the scope block's reasons.
func builtinTexts(t *testing.T) map[string]map[string][]string {
	t.Helper()
	out := map[string]map[string][]string{}
	frags := map[string]map[string][]string{}
	files, err := fs.Glob(builtin.FS, "common/*.hcl")
	require.NoError(t, err)
	for _, f := range files {
		texts, _ := textsOf(t, builtin.FS, f)
		frags[strings.TrimSuffix(path.Base(f), ".hcl")] = texts
	}
	lists, err := fs.Glob(builtin.FS, "*/checklist.hcl")
	require.NoError(t, err)
	for _, f := range lists {
		texts, includes := textsOf(t, builtin.FS, f)
		for _, inc := range includes {
			for step, ts := range frags[inc] {
				texts[step] = append(texts[step], ts...)
			}
		}
		out[path.Dir(f)] = texts
	}
	out["pci-dss"], _ = textsOf(t, policies.Builtins(), "pci-dss.hcl")
	return out
}

func textsOf(t *testing.T, fsys fs.FS, name string) (map[string][]string, []string) {
	t.Helper()
	src, err := fs.ReadFile(fsys, name)
	require.NoError(t, err)
	f, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	require.False(t, diags.HasErrors(), diags.Error())
	x := extractor{src: src, texts: map[string][]string{}}
	var includes []string
	locals := map[string]hclsyntax.Expression{}
	scopeReasons := ""
	for _, b := range f.Body.(*hclsyntax.Body).Blocks {
		switch b.Type {
		case "locals":
			for n, a := range b.Body.Attributes {
				locals[n] = a.Expr
			}
		case "include":
			includes = append(includes, b.Labels[0])
		case "scope":
			if a := b.Body.Attributes["reasons"]; a != nil {
				scopeReasons = string(a.Expr.Range().SliceBytes(src))
			}
		case "step":
			step := b.Labels[0]
			for _, n := range []string{"pass_message", "skip_reason", "unchecked_reason", "description"} {
				if a := b.Body.Attributes[n]; a != nil {
					x.collect(step, a.Expr)
				}
			}
			for _, ab := range b.Body.Blocks {
				if a := ab.Body.Attributes["message"]; ab.Type == "assert" && a != nil {
					x.collect(step, a.Expr)
				}
			}
		}
	}
	if local, ok := strings.CutPrefix(scopeReasons, "local."); ok {
		x.collect(ScopeStep, locals[local])
	}
	return x.texts, includes
}

type extractor struct {
	src   []byte
	texts map[string][]string
}

func (x extractor) add(step, text string) {
	if strings.TrimSpace(strings.Join(literals(text), "")) == "" {
		return // nothing but placeholders: nothing to translate
	}
	for _, have := range x.texts[step] {
		if have == text {
			return
		}
	}
	x.texts[step] = append(x.texts[step], text)
}

// collect adds the texts an expression can evaluate to: templates,
// both results of a conditional, the elements of lists (scope reasons),
// and texts nested in a conditional inside an interpolation.
func (x extractor) collect(step string, e hclsyntax.Expression) {
	switch e := e.(type) {
	case *hclsyntax.TemplateExpr:
		var b strings.Builder
		for _, p := range e.Parts {
			if lit, ok := p.(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type() == cty.String {
				b.WriteString(lit.Val.AsString())
				continue
			}
			b.WriteString("${" + string(p.Range().SliceBytes(x.src)) + "}")
			x.nested(step, p)
		}
		x.add(step, b.String())
	case *hclsyntax.LiteralValueExpr:
		if e.Val.Type() == cty.String {
			x.add(step, e.Val.AsString())
		}
	case *hclsyntax.TemplateWrapExpr:
		x.nested(step, e.Wrapped)
	case *hclsyntax.ConditionalExpr:
		x.collect(step, e.TrueResult)
		x.collect(step, e.FalseResult)
	case *hclsyntax.ParenthesesExpr:
		x.collect(step, e.Expression)
	case *hclsyntax.TupleConsExpr:
		for _, el := range e.Exprs {
			x.collect(step, el)
		}
	case *hclsyntax.ForExpr:
		x.collect(step, e.ValExpr)
	case *hclsyntax.FunctionCallExpr:
		if e.Name == "concat" {
			for _, a := range e.Args {
				x.collect(step, a)
			}
		}
	}
}

// nested collects the texts of conditionals inside an interpolation
// (${cond ? "a ${x}" : "b"}); function arguments (join's separator) are
// not texts.
func (x extractor) nested(step string, e hclsyntax.Expression) {
	switch e := e.(type) {
	case *hclsyntax.ConditionalExpr:
		x.collect(step, e.TrueResult)
		x.collect(step, e.FalseResult)
	case *hclsyntax.ParenthesesExpr:
		x.nested(step, e.Expression)
	}
}

var update = flag.Bool("update", false, "add the built-in checklists' new English texts to their messages.json (untranslated) and drop the texts they no longer have")

// TestEveryBuiltinMessageIsTranslated wants every text a built-in
// checklist can put in a message in every language, with the same
// placeholders (in any order: languages order words differently), and no
// translation of a text the checklist no longer has.
func TestEveryBuiltinMessageIsTranslated(t *testing.T) {
	texts := builtinTexts(t)
	files, err := BuiltinMessages()
	require.NoError(t, err)
	if *update {
		writeMessages(t, texts, files)
		files, err = BuiltinMessages()
		require.NoError(t, err)
	}
	total := 0
	for checklist, steps := range texts {
		for step, ens := range steps {
			have := map[string]Text{}
			for _, tx := range files[checklist][step] {
				have[tx.En] = tx
			}
			for _, en := range ens {
				total++
				tx, ok := have[en]
				if !assert.True(t, ok, "%s.%s: no translation of %q (go test -update adds it)", checklist, step, en) {
					continue
				}
				for _, lang := range Langs()[1:] {
					if !assert.NotEmpty(t, strings.TrimSpace(tx.In(lang)), "%s.%s %s: %q", checklist, step, lang, en) {
						continue
					}
					assert.ElementsMatch(t, Placeholders(en, false), Placeholders(tx.In(lang), false), "%s.%s %s keeps the placeholders of %q", checklist, step, lang, en)
				}
			}
		}
		for step, txs := range files[checklist] {
			for _, tx := range txs {
				assert.Contains(t, steps[step], tx.En, "%s.%s: translation of a text the checklist does not have", checklist, step)
			}
		}
	}
	for checklist := range files {
		assert.Contains(t, texts, checklist, "messages of an unknown checklist")
	}
	assert.Greater(t, total, 250, "the extractor found the built-in texts")
}

// writeMessages rewrites each messages.json with the checklist's texts,
// keeping the translations it has.
func writeMessages(t *testing.T, texts map[string]map[string][]string, files map[string]map[string][]Text) {
	for checklist, steps := range texts {
		out := map[string][]Text{}
		for step, ens := range steps {
			have := map[string]Text{}
			for _, tx := range files[checklist][step] {
				have[tx.En] = tx
			}
			for _, en := range ens {
				out[step] = append(out[step], Text{En: en, Fr: have[en].Fr, De: have[en].De})
			}
		}
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		require.NoError(t, enc.Encode(out))
		file := filepath.Join("..", "..", "checklist", "builtin", checklist, MessagesFile)
		if checklist == "pci-dss" {
			file = filepath.Join("..", "..", "policies", MessagesFile)
		}
		require.NoError(t, os.WriteFile(file, b.Bytes(), 0o644))
	}
}

// literals is the text of s outside its placeholders.
func literals(s string) []string {
	var out []string
	for _, p := range Placeholders(s, true) {
		if !strings.HasPrefix(p, "${") {
			out = append(out, p)
		}
	}
	return out
}
