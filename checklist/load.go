package checklist

import (
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/agext/levenshtein"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/audit-tool/audit/checklist/funcs"
	"github.com/audit-tool/audit/internal/input"
	"github.com/audit-tool/audit/pack"
	"github.com/audit-tool/audit/probes"
)

// Loader assembles a Plan from an integration file and --checklist/--var
// flags, checking everything that can be checked before a probe runs.
type Loader struct {
	Parser   *Parser
	Library  *Library
	Registry *probes.Registry
	Now      func() time.Time
	// Packs are the provider packs probes apply; nil means the built-in
	// ones.
	Packs *pack.Set
}

func (l *Loader) packs() *pack.Set {
	if l.Packs != nil {
		return l.Packs
	}
	return pack.Builtin()
}

// Request says what to load.
type Request struct {
	// Integration is an audit.hcl path, or "".
	Integration string
	// Checklists are --checklist values: built-in names or .hcl files.
	Checklists []string
	// Vars are --var NAME=VALUE flags in the order given.
	Vars []string
	// VarFiles are --var-file paths.
	VarFiles []string
	// WorkDir is where --checklist files and their relative paths resolve.
	WorkDir string
	// Partial leaves missing required variables unknown instead of an error,
	// so `audit validate` can type-check a checklist file on its own.
	Partial bool
}

// Plan is everything a run needs, checked.
type Plan struct {
	Packs       *pack.Set    // the provider packs the probes apply
	Integration *Integration // nil without an audit.hcl
	Instances   []*Instance
	Attests     map[string]*Attest // by step id
	Waivers     map[string]*Waiver // by step id
}

// Instance is a checklist with its variable values.
type Instance struct {
	Name      string
	Checklist *Checklist
	Vars      map[string]cty.Value
	BaseDir   string
	// Scope is where its files must resolve (nil for --checklist).
	Scope *input.Scope
	// UseRange is the use block in audit.hcl (zero for --checklist).
	UseRange hcl.Range
	Probes   []*ProbeInstance // as declared
	Funcs    map[string]function.Function
	// LocalOrder is the order locals are evaluated in (dependencies first).
	LocalOrder []*Local
	// Needs maps a step or local name to the probe addresses it depends on,
	// directly or through locals.
	StepNeeds  map[string][]string
	LocalNeeds map[string][]string
	// Provider is the provider packs' data, provider["NAME"] in
	// expressions (see pack.Set.Value).
	Provider cty.Value
	names    declaredNames
}

// ProbeInstance is a probe block with its decoded configuration.
type ProbeInstance struct {
	Decl    *Probe
	Kind    probes.Kind
	Config  cty.Value
	Enabled bool
}

// StepID is the id of a step in reports: "checklist.step".
func (in *Instance) StepID(s *Step) string { return in.Name + "." + s.Name }

// Load builds the plan. It returns the partial plan with the diagnostics.
func (l *Loader) Load(req Request) (*Plan, hcl.Diagnostics) {
	plan := &Plan{Packs: l.packs(), Attests: map[string]*Attest{}, Waivers: map[string]*Waiver{}}
	var diags hcl.Diagnostics
	declared := map[string]hcl.Range{}

	if req.Integration != "" {
		in, ds := l.Parser.Integration(req.Integration)
		diags = append(diags, ds...)
		if l.Now != nil {
			diags = append(diags, in.checkDates(l.Now())...)
		}
		plan.Integration = in
		scope := in.scope()
		for _, u := range in.Uses {
			c, ds := l.resolve(u.Ref, in.Dir, u.LabelRange.Ptr(), scope)
			diags = append(diags, ds...)
			if c == nil {
				continue
			}
			if prev, dup := declared[c.Name]; dup {
				diags = append(diags, duplicate("use of checklist", c.Name, prev, u.DeclRange))
				continue
			}
			declared[c.Name] = u.DeclRange
			vals, ds := useValues(c, u)
			diags = append(diags, ds...)
			inst, ds := l.instance(c, vals, in.Dir, req.Partial, u.DeclRange, u, scope)
			diags = append(diags, ds...)
			plan.Instances = append(plan.Instances, inst)
		}
		for _, a := range in.Attests {
			plan.Attests[a.StepID] = a
		}
		for _, w := range in.Waivers {
			plan.Waivers[w.StepID] = w
		}
	}

	if len(req.Checklists) > 0 {
		flagVals, ds := l.flagValues(req)
		diags = append(diags, ds...)
		used := map[string]bool{}
		var cmdline []*Checklist
		for _, ref := range req.Checklists {
			c, ds := l.resolve(ref, req.WorkDir, nil, nil)
			diags = append(diags, ds...)
			if c == nil {
				continue
			}
			if prev, dup := declared[c.Name]; dup {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Checklist used twice",
					Detail:   fmt.Sprintf("--checklist %s names checklist %q, which %s already uses.", ref, c.Name, prev),
				})
				continue
			}
			declared[c.Name] = c.DeclRange
			cmdline = append(cmdline, c)
		}
		for _, c := range cmdline {
			vals := map[string]cty.Value{}
			for _, v := range c.Variables {
				if fv, ok := flagVals[v.Name]; ok {
					val, ds := fv.value(v)
					diags = append(diags, ds...)
					vals[v.Name] = val
					used[v.Name] = true
				}
			}
			// Values and checklists named on the command line are the
			// user's choice: their paths are not contained.
			inst, ds := l.instance(c, vals, req.WorkDir, req.Partial, c.DeclRange, nil, nil)
			diags = append(diags, ds...)
			plan.Instances = append(plan.Instances, inst)
		}
		for _, name := range slices.Sorted(maps.Keys(flagVals)) {
			if !used[name] && len(cmdline) > 0 {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Value for undeclared variable",
					Detail:   fmt.Sprintf("No --checklist declares a variable named %q (%s).", name, flagVals[name].origin),
					Subject:  flagVals[name].rng,
				})
			}
		}
	}

	diags = append(diags, plan.checkClosures()...)
	return plan, diags
}

// resolve finds a checklist by built-in name or as a file relative to dir,
// inside scope (an audit.hcl's use of a checklist file).
func (l *Loader) resolve(ref, dir string, rng *hcl.Range, scope *input.Scope) (*Checklist, hcl.Diagnostics) {
	if f, ok := l.Library.lookup(ref); ok {
		file, diags := f.parse(l.Parser)
		c, ds := l.Parser.decode(file, f.filename)
		diags = append(diags, ds...)
		diags = append(diags, l.expand(c)...)
		if c.Name != ref && !diags.HasErrors() {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Built-in checklist misnamed",
				Detail:   fmt.Sprintf("%s declares checklist %q; it must be %q.", f.filename, c.Name, ref),
			})
		}
		return c, diags
	}
	if !strings.HasSuffix(ref, ".hcl") {
		detail := fmt.Sprintf("There is no built-in checklist named %q. Built-ins: %s. A checklist file is named by a path ending in .hcl.",
			ref, strings.Join(l.Library.Names(), ", "))
		if s := suggest(ref, l.Library.Names()); s != "" {
			detail = fmt.Sprintf("There is no built-in checklist named %q. Did you mean %q?", ref, s)
		}
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Unknown checklist", Detail: detail, Subject: rng}}
	}
	path := ref
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, ref)
	}
	if _, err := input.Check(path); err != nil {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read checklist",
			Detail:   fmt.Sprintf("%s: %s.", path, unwrapPathErr(err)),
			Subject:  rng,
		}}
	}
	src, err := scope.ReadFile(path, input.MaxHCL)
	if err != nil {
		summary := "Cannot read checklist"
		if errors.Is(err, input.ErrOutside) {
			summary = "Checklist outside the integration"
		}
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summary, Detail: fmt.Sprintf("%s: %s.", ref, unwrapPathErr(err)), Subject: rng}}
	}
	c, diags := l.Parser.Checklist(path, src)
	return c, append(diags, l.expand(c)...)
}

// expand merges the fragments c includes into it, before its own blocks. A
// problem in a fragment points at the fragment and names the include that
// brought it in; a name both declare points at both.
func (l *Loader) expand(c *Checklist) hcl.Diagnostics {
	var diags hcl.Diagnostics
	if c.Fragment {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "A fragment is not a checklist",
			Detail:   fmt.Sprintf("%s declares fragment %q: include it from a checklist with include %q {}.", c.File, c.Name, c.Name),
			Subject:  c.DeclRange.Ptr(),
		}}
	}
	var vars []*Variable
	var prbs []*Probe
	var locals []*Local
	var steps []*Step
	seen := map[string]*Include{}
	for _, inc := range c.Includes {
		if prev, dup := seen[inc.Name]; dup {
			diags = append(diags, duplicate("include", inc.Name, prev.DeclRange, inc.DeclRange))
			continue
		}
		seen[inc.Name] = inc
		f, ok := l.Library.fragment(inc.Name)
		if !ok {
			var names []string
			for n := range l.Library.fragments {
				names = append(names, n)
			}
			sort.Strings(names)
			detail := fmt.Sprintf("There is no fragment named %q.", inc.Name)
			if s := suggest(inc.Name, names); s != "" {
				detail += fmt.Sprintf(" Did you mean %q?", s)
			}
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unknown fragment", Detail: detail, Subject: inc.DeclRange.Ptr()})
			continue
		}
		frag, ds := l.fragment(f, inc)
		for _, d := range ds {
			if d.Summary == "Missing checklist block" {
				d.Summary, d.Detail = "Missing fragment block", `A fragment file starts with fragment "NAME" { description = "…" }.`
			}
			d.Detail += fmt.Sprintf(" (fragment %q, included at %s)", inc.Name, inc.DeclRange)
			diags = append(diags, d)
		}
		if !frag.Fragment || len(frag.Includes) > 0 || frag.Scope != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid fragment",
				Detail:   fmt.Sprintf("%s must hold one fragment block and only variable, probe, locals and step blocks (included at %s).", f.filename, inc.DeclRange),
				Subject:  frag.DeclRange.Ptr(),
			})
			continue
		}
		for _, v := range frag.Variables {
			for _, w := range vars {
				if w.Name == v.Name {
					diags = append(diags, duplicate("variable", v.Name, w.DeclRange, v.DeclRange))
				}
			}
		}
		vars = append(vars, frag.Variables...)
		prbs = append(prbs, frag.Probes...)
		locals = append(locals, frag.Locals...)
		steps = append(steps, frag.Steps...)
	}
	if len(c.Includes) == 0 {
		return diags
	}
	// Names the checklist declares beside an included fragment.
	declared := func(what, name string, def hcl.Range, first map[string]hcl.Range) {
		if prev, dup := first[name]; dup {
			d := duplicate(what, name, prev, def)
			d.Detail += " The first is in an included fragment: remove one of them."
			diags = append(diags, d)
		}
	}
	fv, fp, fl, fs := map[string]hcl.Range{}, map[string]hcl.Range{}, map[string]hcl.Range{}, map[string]hcl.Range{}
	for _, v := range vars {
		fv[v.Name] = v.DeclRange
	}
	for _, p := range prbs {
		fp[p.Addr()] = p.DeclRange
	}
	for _, lo := range locals {
		fl[lo.Name] = lo.DeclRange
	}
	for _, st := range steps {
		fs[st.Name] = st.DeclRange
	}
	for _, v := range c.Variables {
		declared("variable", v.Name, v.DeclRange, fv)
	}
	for _, p := range c.Probes {
		declared("probe", p.Addr(), p.DeclRange, fp)
	}
	for _, lo := range c.Locals {
		declared("local value", lo.Name, lo.DeclRange, fl)
	}
	for _, st := range c.Steps {
		declared("step", st.Name, st.DeclRange, fs)
	}
	c.Variables = append(vars, c.Variables...)
	c.Probes = append(prbs, c.Probes...)
	c.Locals = append(locals, c.Locals...)
	// Shared steps come after the checklist's own: reports list a
	// provider's specific items first.
	c.Steps = append(c.Steps, steps...)
	return diags
}

// useValues evaluates a use block's attributes as variable values.
func useValues(c *Checklist, u *Use) (map[string]cty.Value, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	byName := map[string]*Variable{}
	var names []string
	for _, v := range c.Variables {
		byName[v.Name] = v
		names = append(names, v.Name)
	}
	vals := map[string]cty.Value{}
	for _, name := range sortedAttrNames(u.Attrs) {
		a := u.Attrs[name]
		v, ok := byName[name]
		if !ok {
			detail := fmt.Sprintf("Checklist %q has no variable named %q.", c.Name, name)
			if s := suggest(name, names); s != "" {
				detail += fmt.Sprintf(" Did you mean %q?", s)
			} else if len(names) > 0 {
				detail += " Its variables: " + strings.Join(names, ", ") + "."
			}
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Unsupported argument",
				Detail:   detail,
				Subject:  a.NameRange.Ptr(),
			})
			continue
		}
		val, ds := a.Expr.Value(nil)
		diags = append(diags, ds...)
		if ds.HasErrors() || !val.IsWhollyKnown() {
			continue
		}
		conv, err := convertTo(val, v.Type)
		if err != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid value for variable",
				Detail:   fmt.Sprintf("Variable %q of checklist %q: %s.", name, c.Name, err),
				Subject:  a.Expr.Range().Ptr(),
			})
			continue
		}
		vals[name] = conv
	}
	diags = append(diags, useBlocks(c, u, byName, vals)...)
	return vals, diags
}

// useBlocks adds the entries a use block writes as blocks to their list
// variables, after the entries of the attribute when both are given, and
// notes where each entry was written.
func useBlocks(c *Checklist, u *Use, byName map[string]*Variable, vals map[string]cty.Value) hcl.Diagnostics {
	var diags hcl.Diagnostics
	u.elems = map[string][]hcl.Range{}
	for name, a := range u.Attrs {
		if tup, ok := a.Expr.(*hclsyntax.TupleConsExpr); ok {
			for _, e := range tup.Exprs {
				u.elems[name] = append(u.elems[name], e.Range())
			}
		}
	}
	byBlock := map[string]*Variable{}
	var types []string
	for _, v := range c.Variables {
		if v.Block != "" {
			byBlock[v.Block] = v
			types = append(types, v.Block)
		}
	}
	entries := map[string][]cty.Value{}
	var order []string
	for _, b := range u.Blocks {
		v, ok := byBlock[b.Type]
		if !ok {
			detail := fmt.Sprintf("Checklist %q takes no %q blocks.", c.Name, b.Type)
			if len(types) > 0 {
				detail += " Its block types: " + strings.Join(types, ", ") + "."
			}
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unsupported block type", Detail: detail, Subject: b.TypeRange.Ptr()})
			continue
		}
		if len(b.Labels) != 1 {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError, Summary: "Wrong number of labels",
				Detail:  fmt.Sprintf("A %s block has one label: %s \"…\" { … }.", b.Type, b.Type),
				Subject: b.DefRange.Ptr(),
			})
			continue
		}
		attrs, ds := b.Body.JustAttributes()
		diags = append(diags, ds...)
		obj := map[string]cty.Value{b.Type: cty.StringVal(b.Labels[0])}
		bad := ds.HasErrors()
		for _, name := range sortedAttrNames(attrs) {
			a := attrs[name]
			if name == b.Type {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError, Summary: "Duplicate " + name,
					Detail:  fmt.Sprintf("The block's label is its %s; it cannot also be an attribute.", name),
					Subject: a.NameRange.Ptr(),
				})
				bad = true
				continue
			}
			val, ds := a.Expr.Value(nil)
			diags = append(diags, ds...)
			if ds.HasErrors() || !val.IsWhollyKnown() {
				bad = true
				continue
			}
			obj[name] = val
		}
		if bad {
			continue
		}
		if _, seen := entries[v.Name]; !seen {
			order = append(order, v.Name)
		}
		entries[v.Name] = append(entries[v.Name], cty.ObjectVal(obj))
		u.elems[v.Name] = append(u.elems[v.Name], b.DefRange)
	}
	for _, name := range order {
		v := byName[name]
		var all []cty.Value
		if a, ok := u.Attrs[name]; ok {
			prev, given := vals[name]
			if !given {
				continue // the attribute is wrong: already reported
			}
			if !prev.IsNull() && !(prev.Type().IsListType() || prev.Type().IsTupleType() || prev.Type().IsSetType()) {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError, Summary: "Invalid value for variable",
					Detail:  fmt.Sprintf("%s is given both as an attribute and as %s blocks: the attribute must be a list.", name, v.Block),
					Subject: a.Expr.Range().Ptr(),
				})
				continue
			}
			if !prev.IsNull() {
				for it := prev.ElementIterator(); it.Next(); {
					_, el := it.Element()
					all = append(all, el)
				}
			}
		}
		all = append(all, entries[name]...)
		conv, err := convertTo(cty.TupleVal(all), v.Type)
		if err != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError, Summary: "Invalid value for variable",
				Detail:  fmt.Sprintf("Variable %q of checklist %q, with its %s blocks: %s.", name, c.Name, v.Block, err),
				Subject: u.DeclRange.Ptr(),
			})
			continue
		}
		vals[name] = conv
	}
	return diags
}

// instance completes variable values, decodes probes and analyses steps.
func (l *Loader) instance(c *Checklist, vals map[string]cty.Value, baseDir string, partial bool, useRange hcl.Range, use *Use, scope *input.Scope) (*Instance, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	useAttrs := use.attrs()
	inst := &Instance{
		Name: c.Name, Checklist: c, Vars: map[string]cty.Value{}, BaseDir: baseDir, Scope: scope, UseRange: useRange,
		Funcs:    Functions(funcs.Options{BaseDir: baseDir, Scope: scope, Now: l.Now}),
		Provider: l.packs().Value(),
	}
	for _, v := range c.Variables {
		val, given := vals[v.Name]
		switch {
		case given && val.IsNull() && !(v.Default != cty.NilVal && v.Default.IsNull()):
			// null where the checklist has no use for it: a slip, which
			// would otherwise surface as a confusing probe error.
			subject := useRange
			if a, ok := useAttrs[v.Name]; ok {
				subject = a.Expr.Range()
			}
			hint := "give it a value"
			if !v.Required() {
				hint = "leave the attribute out for its default, or give it a value"
			}
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Null value",
				Detail:   fmt.Sprintf("%s of checklist %q cannot be null: %s.", v.Name, c.Name, hint),
				Subject:  subject.Ptr(),
			})
			val = cty.UnknownVal(v.Type)
		case given:
		case !v.Required():
			val = v.Default
		case partial:
			val = cty.UnknownVal(v.Type)
		default:
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Missing required variable",
				Detail:   fmt.Sprintf("Checklist %q needs a value for %q (%s), declared at %s.", c.Name, v.Name, v.Description, v.DeclRange),
				Subject:  useRange.Ptr(),
			})
			val = cty.UnknownVal(v.Type)
		}
		inst.Vars[v.Name] = val
	}
	varCtx := inst.evalContext(nil, nil)
	for _, v := range c.Variables {
		ds := checkValidations(v, inst.Vars[v.Name], inst.Funcs)
		// The value to fix is the user's: point there, not at the rule.
		if a, ok := useAttrs[v.Name]; ok {
			for _, d := range ds {
				if d.Summary == invalidValue {
					d.Subject = a.Expr.Range().Ptr()
				}
			}
		}
		diags = append(diags, ds...)
	}
	if diags.HasErrors() {
		// Locals and probes over invalid values would only repeat it.
		return inst, diags
	}
	for _, p := range c.Probes {
		kind, ok := l.Registry.Lookup(p.Kind)
		if !ok {
			detail := fmt.Sprintf("There is no probe kind %q. Kinds: %s.", p.Kind, strings.Join(l.Registry.Names(), ", "))
			if s := suggest(p.Kind, l.Registry.Names()); s != "" {
				detail = fmt.Sprintf("There is no probe kind %q. Did you mean %q?", p.Kind, s)
			}
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unknown probe kind", Detail: detail, Subject: p.KindRange.Ptr()})
			continue
		}
		enabled, ds := probeEnabled(p, varCtx)
		diags = append(diags, ds...)
		cfg, ds := decodeSpec(p.Config, kind, varCtx)
		diags = append(diags, ds...)
		if ds.HasErrors() {
			continue
		}
		if sv, ok := kind.(probes.SettingsValidator); ok && enabled && cfg.IsWhollyKnown() {
			diags = append(diags, locate(sv.ValidateSettings(cfg), p, kind, use)...)
		}
		// A checklist validated on its own has default paths that need not
		// exist here: its probes' inputs are checked in a real run.
		if enabled && !partial && cfg.IsWhollyKnown() {
			env := &probes.Env{BaseDir: baseDir, Now: l.Now, Packs: l.packs(), Scope: scope}
			// A default path that is not there is the use block's to fix.
			where := p.DeclRange
			if useRange.Filename != "" {
				where = useRange
			}
			ds := checkInputs(kind, cfg, env, inst.Vars, useAttrs, where, scope)
			diags = append(diags, ds...)
			if v, ok := kind.(probes.Validator); ok && !ds.HasErrors() {
				diags = append(diags, locate(v.Validate(env, cfg), p, kind, use)...)
			}
		}
		inst.Probes = append(inst.Probes, &ProbeInstance{Decl: p, Kind: kind, Config: cfg, Enabled: enabled})
	}
	diags = append(diags, inst.analyse()...)
	return inst, diags
}

// locate gives a probe's diagnostics that have no place (settings decoded
// into values carry no ranges) the place a user can fix: the audit.hcl
// attribute that set a variable the probe block uses, else the probe block.
func locate(diags hcl.Diagnostics, p *Probe, kind probes.Kind, use *Use) hcl.Diagnostics {
	useAttrs := use.attrs()
	subject := p.DeclRange
	// "url: …" names the attribute at fault: point at its value.
	attrs, _ := p.Config.JustAttributes()
	for _, d := range diags {
		// An entry of a list setting that a variable gave as it is: the
		// entry where the use block wrote it.
		if el, ok := d.Extra.(probes.SettingElement); ok && d.Subject == nil && use != nil {
			if a, ok := attrs[el.Attr]; ok {
				if name := bareVar(a.Expr); name != "" && el.Index < len(use.elems[name]) {
					d.Subject = use.elems[name][el.Index].Ptr()
				}
			}
		}
	}
	for _, d := range diags {
		name, _, found := strings.Cut(d.Detail, ":")
		if a, ok := attrs[name]; ok && found && d.Subject == nil && !attrFromVar(a) {
			d.Subject = a.Expr.Range().Ptr()
		}
	}
	for _, tr := range hcldec.Variables(p.Config, kind.Spec()) {
		if tr.RootName() != "var" || len(tr) < 2 {
			continue
		}
		if a, ok := tr[1].(hcl.TraverseAttr); ok {
			if attr, ok := useAttrs[a.Name]; ok {
				subject = attr.Expr.Range()
				break
			}
		}
	}
	for _, d := range diags {
		if d.Subject == nil {
			d.Subject = subject.Ptr()
		}
	}
	return diags
}

// probeEnabled evaluates a probe's enabled attribute; unknown (a variable
// without a value in `audit validate`) counts as enabled.
func probeEnabled(p *Probe, ctx *hcl.EvalContext) (bool, hcl.Diagnostics) {
	if p.Enabled == nil {
		return true, nil
	}
	for _, tr := range p.Enabled.Variables() {
		if tr.RootName() != "var" {
			return true, hcl.Diagnostics{badRef("A probe's enabled attribute may only use var.*.", tr.SourceRange().Ptr())}
		}
	}
	v, diags := p.Enabled.Value(ctx)
	if diags.HasErrors() {
		return true, diags
	}
	b, err := convert.Convert(v, cty.Bool)
	if err != nil || b.IsNull() {
		return true, hcl.Diagnostics{{
			Severity: hcl.DiagError, Summary: "Invalid enabled value",
			Detail: "enabled must be true or false.", Subject: p.Enabled.Range().Ptr(),
		}}
	}
	return !b.IsKnown() || b.True(), nil
}

const invalidValue = "Invalid value for variable"

func checkValidations(v *Variable, val cty.Value, fns map[string]function.Function) hcl.Diagnostics {
	var diags hcl.Diagnostics
	ctx := &hcl.EvalContext{
		Variables: map[string]cty.Value{"var": cty.ObjectVal(map[string]cty.Value{v.Name: val})},
		Functions: fns,
	}
	for _, vv := range v.Validations {
		ok, ds := vv.Condition.Value(ctx)
		diags = append(diags, ds...)
		if ds.HasErrors() || !ok.IsKnown() || ok.IsNull() || !ok.Type().Equals(cty.Bool) || ok.True() {
			continue
		}
		msg, ds := vv.ErrorMessage.Value(ctx)
		diags = append(diags, ds...)
		text := "the value is not valid"
		if !ds.HasErrors() && msg.Type() == cty.String && msg.IsKnown() && !msg.IsNull() {
			text = msg.AsString()
		}
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  invalidValue,
			Detail:   fmt.Sprintf("var.%s: %s", v.Name, text),
			Subject:  vv.Condition.Range().Ptr(),
		})
	}
	return diags
}

// checkClosures checks that attestations and waivers name real steps.
func (p *Plan) checkClosures() hcl.Diagnostics {
	var diags hcl.Diagnostics
	steps := map[string]*Step{}
	var ids []string
	for _, inst := range p.Instances {
		for _, s := range inst.Checklist.Steps {
			steps[inst.StepID(s)] = s
			ids = append(ids, inst.StepID(s))
		}
	}
	unknown := func(what, id string, rng hcl.Range) *hcl.Diagnostic {
		detail := fmt.Sprintf("No checklist in this run has a step %q.", id)
		if s := suggest(id, ids); s != "" {
			detail += fmt.Sprintf(" Did you mean %q?", s)
		}
		return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unknown step in " + what, Detail: detail, Subject: rng.Ptr()}
	}
	for _, id := range slices.Sorted(maps.Keys(p.Attests)) {
		a := p.Attests[id]
		s, ok := steps[id]
		switch {
		case !ok:
			diags = append(diags, unknown("attest block", id, a.DeclRange))
		case !s.Manual && !s.Attestable:
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Attestation for an automated step",
				Detail:   fmt.Sprintf("Step %q is checked by probes; an attestation cannot close it. Use a waiver for an accepted exception.", id),
				Subject:  a.DeclRange.Ptr(),
			})
		}
	}
	for _, id := range slices.Sorted(maps.Keys(p.Waivers)) {
		if _, ok := steps[id]; !ok {
			diags = append(diags, unknown("waiver", id, p.Waivers[id].DeclRange))
		}
	}
	return diags
}

// suggest returns the candidate closest to name, if close enough to be a
// typo, as Terraform's didyoumean does.
func suggest(name string, candidates []string) string {
	best, bestDist := "", 3
	for _, c := range candidates {
		if d := levenshtein.Distance(name, c, nil); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// parseExpr parses a --var value of a non-string variable as HCL.
func parseExpr(src, origin string) (hcl.Expression, hcl.Diagnostics) {
	if diags := input.CheckHCL([]byte(src), origin); diags != nil {
		return nil, diags
	}
	return hclsyntax.ParseExpression([]byte(src), origin, hcl.InitialPos)
}

// fragment decodes an included fragment with the include's input values:
// constants, checked against the fragment's input blocks (a missing or
// unknown input points at the include and names the definition).
func (l *Loader) fragment(f libFile, inc *Include) (*Checklist, hcl.Diagnostics) {
	file, diags := f.parse(l.Parser)
	if file == nil {
		return &Checklist{File: f.filename}, diags
	}
	content, _, ds := file.Body.PartialContent(fragmentInputsSchema)
	diags = append(diags, ds...)
	declared := map[string]hcl.Range{}
	vals := map[string]cty.Value{}
	for _, b := range content.Blocks {
		name := b.Labels[0]
		declared[name] = b.DefRange
		bc, ds := b.Body.Content(inputBlockSchema)
		diags = append(diags, ds...)
		if a := inc.Inputs[name]; a != nil {
			v, ds := a.Expr.Value(nil)
			diags = append(diags, ds...)
			vals[name] = v
			continue
		}
		if a := bc.Attributes["default"]; a != nil {
			v, ds := a.Expr.Value(nil)
			diags = append(diags, ds...)
			vals[name] = v
			continue
		}
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Missing fragment input",
			Detail:   fmt.Sprintf("Fragment %q needs input %q (declared at %s).", inc.Name, name, b.DefRange),
			Subject:  inc.DeclRange.Ptr(),
		})
		vals[name] = cty.DynamicVal
	}
	for _, name := range sortedAttrNames(inc.Inputs) {
		if _, ok := declared[name]; !ok {
			var names []string
			for n := range declared {
				names = append(names, n)
			}
			sort.Strings(names)
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Unknown fragment input",
				Detail:   fmt.Sprintf("Fragment %q (%s) declares no input %q; its inputs: %s.", inc.Name, f.filename, name, strings.Join(names, ", ")),
				Subject:  inc.Inputs[name].NameRange.Ptr(),
			})
		}
	}
	if diags.HasErrors() {
		return &Checklist{File: f.filename, Fragment: true}, diags
	}
	wrapped := *file
	wrapped.Body = inputBody{Body: file.Body, inputs: cty.ObjectVal(vals)}
	c, ds := decodeChecklist(&wrapped, f.filename)
	return c, append(diags, ds...)
}

// attrFromVar: a setting written as var.X is the use block's value; locate
// points there instead.
// bareVar is X when expr is var.X and nothing else.
func bareVar(expr hcl.Expression) string {
	st, ok := expr.(*hclsyntax.ScopeTraversalExpr)
	if !ok || len(st.Traversal) != 2 || st.Traversal.RootName() != "var" {
		return ""
	}
	if a, ok := st.Traversal[1].(hcl.TraverseAttr); ok {
		return a.Name
	}
	return ""
}

func attrFromVar(a *hcl.Attribute) bool {
	for _, tr := range a.Expr.Variables() {
		if tr.RootName() == "var" {
			return true
		}
	}
	return false
}
