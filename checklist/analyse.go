package checklist

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/audit-tool/audit/probes"
)

// EvidenceType is what an evidence expression must evaluate to.
var EvidenceType = cty.List(cty.ObjectWithOptionalAttrs(map[string]cty.Type{
	"source": cty.String,
	"line":   cty.Number,
	"detail": cty.String,
}, []string{"line", "detail"}))

// EvalContext is the context steps and locals are evaluated in: var.*,
// probe.KIND.NAME.* (facts by address "KIND.NAME"), local.* and functions.
// A nil facts or locals map leaves that namespace out.
func (in *Instance) EvalContext(facts map[string]cty.Value, locals map[string]cty.Value) *hcl.EvalContext {
	return in.evalContext(facts, locals)
}

// LocalContext is EvalContext with only the locals expr refers to: a
// checklist's locals are evaluated one by one, and a context holding all of
// them each time made loading quadratic in their number.
func (in *Instance) LocalContext(expr hcl.Expression, facts, locals map[string]cty.Value) *hcl.EvalContext {
	used := map[string]cty.Value{}
	for _, tr := range expr.Variables() {
		if tr.RootName() != "local" || len(tr) < 2 {
			continue
		}
		if a, ok := tr[1].(hcl.TraverseAttr); ok {
			if v, ok := locals[a.Name]; ok {
				used[a.Name] = v
			}
		}
	}
	return in.evalContext(facts, used)
}

func (in *Instance) evalContext(facts map[string]cty.Value, locals map[string]cty.Value) *hcl.EvalContext {
	vars := map[string]cty.Value{"var": cty.ObjectVal(in.Vars)}
	if in.Provider != cty.NilVal {
		vars["provider"] = in.Provider
	}
	if facts != nil {
		kinds := map[string]map[string]cty.Value{}
		for addr, v := range facts {
			kind, name, _ := strings.Cut(addr, ".")
			if kinds[kind] == nil {
				kinds[kind] = map[string]cty.Value{}
			}
			kinds[kind][name] = v
		}
		probeObj := map[string]cty.Value{}
		for kind, names := range kinds {
			probeObj[kind] = cty.ObjectVal(names)
		}
		vars["probe"] = cty.ObjectVal(probeObj)
	}
	if locals != nil {
		vars["local"] = cty.ObjectVal(locals)
	}
	return &hcl.EvalContext{Variables: vars, Functions: in.Funcs}
}

// decodeSpec decodes a probe body; it may only refer to variables.
func decodeSpec(body hcl.Body, kind probes.Kind, ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	for _, tr := range hcldec.Variables(body, kind.Spec()) {
		if tr.RootName() != "var" {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid reference in probe block",
				Detail:   "A probe's settings may only use var.*: probes run before any fact exists.",
				Subject:  tr.SourceRange().Ptr(),
			})
		}
	}
	if diags.HasErrors() {
		return cty.NilVal, diags
	}
	return hcldec.Decode(body, kind.Spec(), ctx)
}

// declaredNames is what references may name, gathered once per instance.
type declaredNames struct {
	probes     map[string]bool // "KIND.NAME"
	probeAddrs []string        // "probe.KIND.NAME", for suggestions
	locals     map[string]bool
}

type deps struct {
	probes []string
	locals []string
}

// references checks every reference in expr and returns what it depends on.
// allowFacts false forbids probe.* and local.* (the when attribute is decided
// before any probe runs).
func (in *Instance) references(expr hcl.Expression, allowFacts bool, where string) (deps, hcl.Diagnostics) {
	var d deps
	var diags hcl.Diagnostics
	declaredProbes, probeAddrs, declaredLocals := in.names.probes, in.names.probeAddrs, in.names.locals
	for _, tr := range expr.Variables() {
		rng := tr.SourceRange().Ptr()
		attr := func(i int) (string, bool) {
			if len(tr) <= i {
				return "", false
			}
			a, ok := tr[i].(hcl.TraverseAttr)
			return a.Name, ok
		}
		switch root := tr.RootName(); root {
		case "var":
			name, ok := attr(1)
			if !ok {
				diags = append(diags, badRef("A variable is referred to as var.NAME.", rng))
				continue
			}
			if _, declared := in.Vars[name]; !declared {
				diags = append(diags, undeclared("variable", "var."+name, in.Checklist.Name, varNames(in), rng))
			}
		case "probe":
			if !allowFacts {
				diags = append(diags, badRef(where+" is decided before probes run, so it may only use var.*.", rng))
				continue
			}
			kind, ok1 := attr(1)
			name, ok2 := attr(2)
			if !ok1 || !ok2 {
				diags = append(diags, badRef("A probe is referred to as probe.KIND.NAME.FACT.", rng))
				continue
			}
			addr := kind + "." + name
			if !declaredProbes[addr] {
				diags = append(diags, undeclared("probe", "probe."+addr, in.Checklist.Name, probeAddrs, rng))
				continue
			}
			d.probes = append(d.probes, addr)
		case "local":
			if !allowFacts {
				diags = append(diags, badRef(where+" is decided before probes run, so it may only use var.*.", rng))
				continue
			}
			name, ok := attr(1)
			if !ok {
				diags = append(diags, badRef("A local value is referred to as local.NAME.", rng))
				continue
			}
			if !declaredLocals[name] {
				var names []string
				for _, l := range in.Checklist.Locals {
					names = append(names, "local."+l.Name)
				}
				diags = append(diags, undeclared("local value", "local."+name, in.Checklist.Name, names, rng))
				continue
			}
			d.locals = append(d.locals, name)
		case "provider":
			// Constant data: allowed everywhere a value is. A pack that
			// does not exist is caught when the expression is evaluated
			// against the object; name it here for a better message.
			if len(tr) > 1 && in.Provider != cty.NilVal {
				var name string
				switch step := tr[1].(type) {
				case hcl.TraverseAttr:
					name = step.Name
				case hcl.TraverseIndex:
					if step.Key.Type() == cty.String {
						name = step.Key.AsString()
					}
				}
				if name != "" && !in.Provider.Type().HasAttribute(name) {
					var names []string
					for n := range in.Provider.Type().AttributeTypes() {
						names = append(names, "provider[\""+n+"\"]")
					}
					sort.Strings(names)
					detail := fmt.Sprintf("No provider pack is named %q.", name)
					if s := suggest("provider[\""+name+"\"]", names); s != "" {
						detail += fmt.Sprintf(" Did you mean %s?", s)
					}
					diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Reference to an unknown provider pack", Detail: detail, Subject: rng})
				}
			}
		default:
			diags = append(diags, badRef(fmt.Sprintf("%q is not something a checklist can refer to: use var.NAME, local.NAME, probe.KIND.NAME.FACT or provider[\"NAME\"].", root), rng))
		}
	}
	return d, diags
}

func varNames(in *Instance) []string {
	var names []string
	for _, v := range in.Checklist.Variables {
		names = append(names, "var."+v.Name)
	}
	return names
}

func badRef(detail string, rng *hcl.Range) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid reference", Detail: detail, Subject: rng}
}

func undeclared(what, ref, checklist string, candidates []string, rng *hcl.Range) *hcl.Diagnostic {
	detail := fmt.Sprintf("Checklist %q declares no %s %q.", checklist, what, ref)
	if s := suggest(ref, candidates); s != "" {
		detail += fmt.Sprintf(" Did you mean %s?", s)
	}
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Reference to undeclared " + what, Detail: detail, Subject: rng}
}

// analyse resolves dependencies (steps and locals on probes), orders locals
// and type-checks every expression with unknown facts of each kind's type.
func (in *Instance) analyse() hcl.Diagnostics {
	var diags hcl.Diagnostics
	c := in.Checklist
	in.names = declaredNames{probes: map[string]bool{}, locals: map[string]bool{}}
	for _, p := range c.Probes {
		in.names.probes[p.Addr()] = true
		in.names.probeAddrs = append(in.names.probeAddrs, "probe."+p.Addr())
	}
	for _, l := range c.Locals {
		in.names.locals[l.Name] = true
	}
	in.StepNeeds = map[string][]string{}
	in.LocalNeeds = map[string][]string{}

	localDeps := map[string]deps{}
	byName := map[string]*Local{}
	for _, l := range c.Locals {
		d, ds := in.references(l.Expr, true, "")
		diags = append(diags, ds...)
		localDeps[l.Name] = d
		byName[l.Name] = l
	}
	// Depth-first order with cycle detection.
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(name string, from hcl.Range) []string
	visit = func(name string, from hcl.Range) []string {
		switch state[name] {
		case 1:
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Cycle in local values",
				Detail:   fmt.Sprintf("local.%s depends on itself.", name),
				Subject:  from.Ptr(),
			})
			return nil
		case 2:
			return in.LocalNeeds[name]
		}
		state[name] = 1
		need := append([]string(nil), localDeps[name].probes...)
		for _, dep := range localDeps[name].locals {
			need = append(need, visit(dep, byName[name].DeclRange)...)
		}
		state[name] = 2
		in.LocalNeeds[name] = uniq(need)
		in.LocalOrder = append(in.LocalOrder, byName[name])
		return in.LocalNeeds[name]
	}
	for _, l := range c.Locals {
		visit(l.Name, l.DeclRange)
	}

	stepDeps := func(s *Step, exprs ...hcl.Expression) []string {
		var need []string
		for _, e := range exprs {
			if e == nil {
				continue
			}
			d, ds := in.references(e, true, "")
			diags = append(diags, ds...)
			need = append(need, d.probes...)
			for _, l := range d.locals {
				need = append(need, in.LocalNeeds[l]...)
			}
		}
		return uniq(need)
	}
	for _, s := range c.Steps {
		for _, c := range []struct {
			name string
			e    hcl.Expression
		}{{"when", s.When}, {"checkable", s.Checkable}} {
			if c.e != nil {
				_, ds := in.references(c.e, false, c.name)
				diags = append(diags, ds...)
			}
		}
		exprs := []hcl.Expression{s.PassMessage, s.Evidence}
		for _, a := range s.Asserts {
			exprs = append(exprs, a.Condition, a.Message, a.Evidence)
		}
		in.StepNeeds[s.Name] = stepDeps(s, exprs...)
	}
	if c.Scope != nil {
		in.StepNeeds[scopeKey] = stepDeps(nil, c.Scope.SAQ, c.Scope.Reasons)
	}
	if diags.HasErrors() {
		return diags // type checking would only repeat reference errors
	}
	return append(diags, in.typeCheck()...)
}

// scopeKey is the StepNeeds entry of the checklist's scope block; it cannot
// clash with a step name, which starts with a letter.
const scopeKey = "_scope"

// ScopeNeeds returns the probes the scope block depends on.
func (in *Instance) ScopeNeeds() []string { return in.StepNeeds[scopeKey] }

func (in *Instance) typeCheck() hcl.Diagnostics {
	var diags hcl.Diagnostics
	facts := map[string]cty.Value{}
	for _, p := range in.Probes {
		facts[p.Decl.Addr()] = cty.UnknownVal(p.Kind.Facts())
	}
	// Probes of unknown kinds were reported already; give them a dynamic
	// value so their references don't report twice.
	for _, p := range in.Checklist.Probes {
		if _, ok := facts[p.Addr()]; !ok {
			facts[p.Addr()] = cty.DynamicVal
		}
	}
	locals := map[string]cty.Value{}
	budget := NewBudget(MaxLoadWork)
	for _, l := range in.LocalOrder {
		v, size, ds := budget.Eval(l.Expr, in.LocalContext(l.Expr, facts, locals))
		diags = append(diags, ds...)
		if ds.HasErrors() {
			v = cty.DynamicVal
		}
		locals[l.Name] = v
		budget.Local(l.Name, size)
	}
	for _, l := range in.Checklist.Locals {
		if _, ok := locals[l.Name]; !ok {
			locals[l.Name] = cty.DynamicVal // part of a cycle
		}
	}
	// Conditions see locals as unknowns of their type. Messages and evidence
	// see them as wholly unknown: a message indexing a list is evaluated
	// only once its condition failed, so a list (or tuple) known to be empty
	// here is no error.
	typed := map[string]cty.Value{}
	opaque := map[string]cty.Value{}
	for name, v := range locals {
		typed[name] = cty.UnknownVal(v.Type())
		opaque[name] = cty.DynamicVal
	}
	condCtx := in.evalContext(facts, typed)
	textCtx := in.evalContext(facts, opaque)
	check := func(e hcl.Expression, ty cty.Type, what string) {
		if e == nil {
			return
		}
		ctx := textCtx
		if ty == cty.Bool {
			ctx = condCtx
		}
		v, ds := Eval(e, ctx)
		diags = append(diags, ds...)
		if ds.HasErrors() {
			return
		}
		if _, err := convert.Convert(v, ty); err != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid " + what,
				Detail:   fmt.Sprintf("The %s must be %s: %s.", what, ty.FriendlyName(), err),
				Subject:  e.Range().Ptr(),
			})
		}
	}
	varCtx := in.evalContext(nil, nil)
	for _, s := range in.Checklist.Steps {
		for _, c := range []struct {
			name string
			e    hcl.Expression
		}{{"when", s.When}, {"checkable", s.Checkable}} {
			if c.e == nil {
				continue
			}
			v, ds := Eval(c.e, varCtx)
			diags = append(diags, ds...)
			if !ds.HasErrors() {
				if _, err := convert.Convert(v, cty.Bool); err != nil {
					diags = append(diags, &hcl.Diagnostic{
						Severity: hcl.DiagError, Summary: "Invalid " + c.name + " condition",
						Detail: c.name + " must be a bool: " + err.Error() + ".", Subject: c.e.Range().Ptr(),
					})
				}
			}
		}
		check(s.PassMessage, cty.String, "pass message")
		check(s.Evidence, EvidenceType, "evidence")
		for _, a := range s.Asserts {
			check(a.Condition, cty.Bool, "assert condition")
			check(a.Message, cty.String, "assert message")
			check(a.Evidence, EvidenceType, "evidence")
		}
	}
	if sc := in.Checklist.Scope; sc != nil {
		check(sc.SAQ, cty.String, "scope saq")
		check(sc.Reasons, cty.List(cty.String), "scope reasons")
	}
	return diags
}

func uniq(ss []string) []string {
	if len(ss) == 0 {
		return nil
	}
	sort.Strings(ss)
	out := ss[:1]
	for _, s := range ss[1:] {
		if s != out[len(out)-1] {
			out = append(out, s)
		}
	}
	return out
}
