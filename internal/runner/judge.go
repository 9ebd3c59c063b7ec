package runner

import (
	"errors"
	"fmt"
	"math/big"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/audit-tool/audit/checklist"
	"github.com/audit-tool/audit/probes"
	"github.com/audit-tool/audit/reports"
)

// evaluator judges the steps of one checklist instance.
type evaluator struct {
	r         *run
	inst      *checklist.Instance
	ctx       *hcl.EvalContext
	localErrs map[string]string
	disabled  map[string]bool // probes switched off by enabled = false
	saq       *reports.Scope  // the checklist's determination, nil without a scope block
}

func (r *run) evaluator(inst *checklist.Instance) *evaluator {
	ev := &evaluator{r: r, inst: inst, localErrs: map[string]string{}, disabled: map[string]bool{}}
	facts := map[string]cty.Value{}
	disabled := ev.disabled
	for _, p := range inst.Probes {
		if !p.Enabled {
			disabled[p.Decl.Addr()] = true
			facts[p.Decl.Addr()] = cty.NullVal(p.Kind.Facts())
			continue
		}
		pr := r.slot[inst.Name+"\x00"+p.Decl.Addr()]
		if pr == nil || pr.err != nil {
			facts[p.Decl.Addr()] = cty.DynamicVal
			continue
		}
		facts[p.Decl.Addr()] = pr.facts
	}
	for _, p := range inst.Checklist.Probes {
		if _, ok := facts[p.Addr()]; !ok {
			facts[p.Addr()] = cty.DynamicVal
		}
	}
	locals := map[string]cty.Value{}
	for _, l := range inst.Checklist.Locals {
		locals[l.Name] = cty.DynamicVal
	}
	// No limit across locals here: facts are as large as the integration
	// (the load bounded what the checklist builds from them); the budget
	// keeps each local's size, so a reference to one is not walked again.
	budget := checklist.NewBudget(0)
	for _, l := range inst.LocalOrder {
		if ev.failedProbe(inst.LocalNeeds[l.Name]) != "" {
			continue // steps that need it report the probe's failure
		}
		v, size, diags := budget.Eval(l.Expr, inst.LocalContext(l.Expr, facts, locals))
		if diags.HasErrors() {
			ev.localErrs[l.Name] = diagText(diags)
			continue
		}
		locals[l.Name] = v
		budget.Local(l.Name, size)
	}
	ev.ctx = inst.EvalContext(facts, locals)
	return ev
}

// failedProbe returns the first needed probe that did not produce facts,
// as "KIND.NAME", or "".
func (ev *evaluator) failedProbe(addrs []string) string {
	for _, a := range addrs {
		if ev.disabled[a] {
			continue
		}
		pr := ev.r.slot[ev.inst.Name+"\x00"+a]
		if pr == nil || pr.err != nil {
			return a
		}
	}
	return ""
}

func (ev *evaluator) judge(j job) reports.Step {
	s := j.step
	id := ev.inst.StepID(s)
	out := reports.Step{
		ID: id, Checklist: ev.inst.Name, Title: s.Title, Description: s.Description, Severity: s.Severity,
		Evidence: []reports.Evidence{}, References: append([]string{}, s.References...),
		Tags: s.Tags, Manual: s.Manual,
	}
	if out.References == nil {
		out.References = []string{}
	}
	needs := ev.inst.StepNeeds[s.Name]
	for _, a := range needs {
		if pr := ev.r.slot[ev.inst.Name+"\x00"+a]; pr != nil && pr.elapsed.Milliseconds() > out.DurationMS {
			out.DurationMS = pr.elapsed.Milliseconds()
		}
	}
	start := time.Now()
	defer func() { out.DurationMS += time.Since(start).Milliseconds() }()

	_, attested := ev.r.plan.Attests[id]
	switch {
	case ev.outsideSAQ(s):
		out.Status, out.Message = reports.Skip, ev.r.en.T("run.not_in_saq", ev.saq.SAQ, strings.Join(s.SAQs, ", "))
	case j.skipReason != "":
		out.Status, out.Message, out.Unchecked = reports.Skip, j.skipReason, j.unchecked
	case j.whenErr != "":
		out.Status, out.Message = reports.Error, j.whenErr
	case ev.saq != nil && ev.saq.SAQ == undetermined && s.Name == ev.inst.Checklist.Scope.Step:
		// Never a pass: the questionnaire could not be determined here.
		out.Status, out.Unchecked = reports.Skip, true
		out.Message = ev.r.en.T("run.saq_undetermined", strings.Join(ev.saq.Reasons, "; "))
	case s.Manual || (s.Attestable && attested):
		ev.attest(&out, s)
	default:
		ev.assert(&out, s, needs)
	}
	ev.waive(&out)
	out.Location = ev.location(out.ID)
	return out
}

// location is where audit.hcl configures step id: its waiver, else its
// attestation, else the use block; nil for a --checklist run.
func (ev *evaluator) location(id string) *reports.Evidence {
	rng := ev.inst.UseRange
	if a, ok := ev.r.plan.Attests[id]; ok {
		rng = a.DeclRange
	}
	if w, ok := ev.r.plan.Waivers[id]; ok {
		rng = w.DeclRange
	}
	if rng.Filename == "" {
		return nil
	}
	src := rng.Filename
	if rel, err := filepath.Rel(ev.inst.BaseDir, rng.Filename); err == nil && !strings.HasPrefix(rel, "..") {
		src = filepath.ToSlash(rel)
	}
	return &reports.Evidence{Source: src, Line: rng.Start.Line}
}

// attest closes a manual step with its attestation. A pending step's
// message ends with the step's description: what to do and how long the
// provider takes (URL reviews, lead times).

// undetermined is the SAQ of a scope that could not be decided.
const undetermined = "undetermined"

// outsideSAQ reports whether the determined SAQ is one the step does not
// belong to. An undetermined scope skips nothing.
func (ev *evaluator) outsideSAQ(s *checklist.Step) bool {
	if ev.saq == nil || ev.saq.SAQ == undetermined || ev.saq.SAQ == "" || len(s.SAQs) == 0 {
		return false
	}
	for _, q := range s.SAQs {
		if q == ev.saq.SAQ {
			return false
		}
	}
	return true
}

func (ev *evaluator) attest(out *reports.Step, s *checklist.Step) {
	a, ok := ev.r.plan.Attests[out.ID]
	if !ok {
		out.Status = reports.Pending
		out.Message = ev.r.en.T("run.needs_attestation", out.ID)
		if s.Description != "" {
			out.Message = ev.r.en.T("run.needs_attestation.advice", out.ID, s.Description)
		}
		return
	}
	date := a.Date.Format("2006-01-02")
	out.Attestation = &reports.Attestation{By: a.By, Date: date, Evidence: a.Evidence}
	if a.Date.After(ev.r.opt.Now()) {
		out.Status = reports.Fail
		out.Message = ev.r.en.T("run.attested_future", a.By, date)
		return
	}
	if s.AttestationMaxAge > 0 {
		if age := int(ev.r.opt.Now().Sub(a.Date).Hours() / 24); age > s.AttestationMaxAge {
			out.Status = reports.Fail
			out.Message = ev.r.en.T("run.attested_old", a.By, date, age, s.AttestationMaxAge, a.Evidence)
			return
		}
	}
	out.Status = reports.Pass
	out.Message = ev.r.en.T("run.attested", a.By, date, a.Evidence)
}

func (ev *evaluator) assert(out *reports.Step, s *checklist.Step, needs []string) {
	if addr := ev.failedProbe(needs); addr != "" {
		pr := ev.r.slot[ev.inst.Name+"\x00"+addr]
		if pr != nil && isUnchecked(pr.err) {
			out.Status, out.Unchecked = reports.Skip, true
			out.Message = ev.r.en.T("run.unchecked_probe", addr, pr.err)
			if errors.Is(pr.err, probes.ErrOffline) {
				out.Message = ev.r.en.T("run.offline", addr, pr.err)
			}
			return
		}
		out.Status = reports.Error
		msg := "not run"
		if pr != nil {
			msg = pr.err.Error()
		}
		out.Message = ev.r.en.T("run.probe_failed", addr, msg)
		return
	}
	if name := ev.brokenLocal(s); name != "" {
		out.Status = reports.Error
		out.Message = ev.r.en.T("run.local_failed", name, ev.localErrs[name])
		return
	}
	if s.Evidence != nil {
		ev.evidence(out, s.Evidence)
	}
	// A failed assert is evidence of a defect: it decides the step even
	// when another assert could not be decided (that one is an error
	// only when nothing failed).
	var failed []string
	undecided := ""
	for _, a := range s.Asserts {
		v, diags := checklist.Eval(a.Condition, ev.ctx)
		if diags.HasErrors() {
			if undecided == "" {
				undecided = ev.r.en.T("run.cannot_decide", undecidedReason(diags))
			}
			continue
		}
		ok, err := convert.Convert(v, cty.Bool)
		if err != nil || !ok.IsKnown() || ok.IsNull() {
			if undecided == "" {
				undecided = fmt.Sprintf("cannot decide: the condition at %s gave %s, not true or false", a.Condition.Range(), describeValue(v))
			}
			continue
		}
		if ok.True() {
			continue
		}
		msg, diags := checklist.Eval(a.Message, ev.ctx)
		text := "assertion failed"
		if m, err := convert.Convert(msg, cty.String); !diags.HasErrors() && err == nil && m.IsKnown() && !m.IsNull() {
			text = m.AsString()
		}
		failed = append(failed, text)
		if a.Evidence != nil {
			ev.evidence(out, a.Evidence)
		}
	}
	if len(failed) > 0 {
		out.Status, out.Message = reports.Fail, strings.Join(failed, " ")
		return
	}
	if undecided != "" {
		out.Status, out.Message = reports.Error, undecided
		return
	}
	if cov := ev.coverage(needs); cov != nil {
		out.Coverage = cov
		for _, e := range cov.Excluded {
			out.Evidence = append(out.Evidence, reports.Evidence{Source: e.File, Detail: fmt.Sprintf("excluded (%s): %s", e.Pattern, e.Reason)})
		}
		if !cov.Complete {
			// A pass would rest on content nobody read.
			for _, n := range cov.NotRead {
				out.Evidence = append(out.Evidence, reports.Evidence{Source: n.File, Detail: "not read: " + n.Reason})
			}
			out.Status = reports.Error
			out.Message = ev.r.en.T("run.cannot_pass", notReadText(cov.NotRead))
			return
		}
	}
	out.Status = reports.Pass
	if s.PassMessage != nil {
		if v, diags := checklist.Eval(s.PassMessage, ev.ctx); !diags.HasErrors() {
			if m, err := convert.Convert(v, cty.String); err == nil && m.IsKnown() && !m.IsNull() {
				out.Message = m.AsString()
			}
		}
	}
	if out.Coverage != nil && len(out.Coverage.Excluded) > 0 {
		// Shown like a waiver: a pass says what it did not look at, and why.
		out.Message = strings.TrimSpace(ev.r.en.T("run.excluded", out.Message, excludedText(out.Coverage.Excluded)))
	}
}

// brokenLocal names a local the step uses that failed to evaluate.
func (ev *evaluator) brokenLocal(s *checklist.Step) string {
	var names []string
	for n := range ev.localErrs {
		names = append(names, n)
	}
	sort.Strings(names)
	exprs := []hcl.Expression{s.PassMessage, s.Evidence}
	for _, a := range s.Asserts {
		exprs = append(exprs, a.Condition, a.Message, a.Evidence)
	}
	for _, e := range exprs {
		if e == nil {
			continue
		}
		for _, tr := range e.Variables() {
			if tr.RootName() != "local" || len(tr) < 2 {
				continue
			}
			if a, ok := tr[1].(hcl.TraverseAttr); ok {
				if _, bad := ev.localErrs[a.Name]; bad {
					return a.Name
				}
			}
		}
	}
	return ""
}

// evidence appends what an evidence expression lists; an expression that
// cannot be evaluated adds a line saying so rather than hiding it.
func (ev *evaluator) evidence(out *reports.Step, e hcl.Expression) {
	v, diags := checklist.Eval(e, ev.ctx)
	if diags.HasErrors() {
		out.Evidence = append(out.Evidence, reports.Evidence{Source: e.Range().String(), Detail: "evidence unavailable: " + diagText(diags)})
		return
	}
	list, err := checklist.ConvertList(v, checklist.EvidenceType)
	if err != nil || !list.IsKnown() || list.IsNull() {
		return
	}
	for it := list.ElementIterator(); it.Next(); {
		_, o := it.Element()
		out.Evidence = append(out.Evidence, reports.Evidence{
			Source: str(o.GetAttr("source")),
			Line:   num(o.GetAttr("line")),
			Detail: str(o.GetAttr("detail")),
		})
	}
}

func (ev *evaluator) waive(out *reports.Step) {
	w, ok := ev.r.plan.Waivers[out.ID]
	if !ok {
		return
	}
	expires := w.Expires.Format("2006-01-02")
	expired := w.Expired(ev.r.opt.Now())
	out.Waiver = &reports.Waiver{Reason: w.Reason, ApprovedBy: w.ApprovedBy, Expires: expires, Ticket: w.Ticket, Expired: expired}
	// A waiver covers a failure, or a step that cannot be checked here (an
	// accountable "we check this elsewhere"); nothing else. The message
	// stays the step's own: every format shows the waiver beside it.
	if (out.Status == reports.Fail || out.Unchecked) && !expired {
		out.Status = reports.Waived
	}
}

// scope evaluates the checklist's scope block, if any and decidable.
func (ev *evaluator) scope() *reports.Scope {
	sc := ev.inst.Checklist.Scope
	if sc == nil {
		return nil
	}
	if addr := ev.failedProbe(ev.inst.ScopeNeeds()); addr != "" {
		return &reports.Scope{SAQ: undetermined, Reasons: []string{fmt.Sprintf("probe %s did not run or failed", addr)}}
	}
	saq, d1 := checklist.Eval(sc.SAQ, ev.ctx)
	reasons, d2 := checklist.Eval(sc.Reasons, ev.ctx)
	if d1.HasErrors() || d2.HasErrors() {
		return &reports.Scope{SAQ: undetermined, Reasons: []string{diagText(append(d1, d2...))}}
	}
	out := &reports.Scope{SAQ: str(saq), Reasons: []string{}}
	if l, err := checklist.ConvertList(reasons, cty.List(cty.String)); err == nil && l.IsKnown() && !l.IsNull() {
		for it := l.ElementIterator(); it.Next(); {
			_, v := it.Element()
			out.Reasons = append(out.Reasons, str(v))
		}
	}
	return out
}

func str(v cty.Value) string {
	if v.IsNull() || !v.IsKnown() {
		return ""
	}
	if s, err := convert.Convert(v, cty.String); err == nil {
		return s.AsString()
	}
	return ""
}

func num(v cty.Value) int {
	if v.IsNull() || !v.IsKnown() || v.Type() != cty.Number {
		return 0
	}
	i, _ := v.AsBigFloat().Int(new(big.Int))
	return int(i.Int64())
}

// coverage merges the coverage facts of the probes a step needs; nil when
// none of them reads files.
func (ev *evaluator) coverage(needs []string) *reports.Coverage {
	var out *reports.Coverage
	for _, a := range needs {
		pr := ev.r.slot[ev.inst.Name+"\x00"+a]
		if pr == nil || pr.err != nil || ev.disabled[a] {
			continue
		}
		c, ok := probes.CoverageOf(pr.facts)
		if !ok {
			continue
		}
		if out == nil {
			out = &reports.Coverage{NotRead: []reports.CoverageItem{}, Excluded: []reports.CoverageItem{}}
		}
		out.FilesRead += c.FilesRead
		for _, n := range c.NotRead {
			out.NotRead = append(out.NotRead, reports.CoverageItem{File: n.File, Reason: n.Reason})
		}
		for _, e := range c.Excluded {
			out.Excluded = append(out.Excluded, reports.CoverageItem{File: e.File, Pattern: e.Pattern, Reason: e.Reason})
		}
	}
	if out != nil {
		out.Complete = len(out.NotRead) == 0
	}
	return out
}

// notReadText names the first paths not read.
func notReadText(items []reports.CoverageItem) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d path(s) could not be read", len(items))
	for i, n := range items {
		if i == 5 {
			fmt.Fprintf(&b, "; and %d more", len(items)-5)
			break
		}
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s (%s)", n.File, n.Reason)
	}
	return b.String()
}

// excludedText names the first paths excluded on purpose, with the reason.
func excludedText(items []reports.CoverageItem) string {
	var b strings.Builder
	for i, e := range items {
		if i == 5 {
			fmt.Fprintf(&b, "; and %d more", len(items)-5)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s (%s)", e.File, e.Reason)
	}
	return b.String()
}

// describeValue says what a condition gave instead of a bool, so the author
// sees the type mistake (a string, a list) rather than a bare "no bool".
func describeValue(v cty.Value) string {
	switch {
	case v.IsNull():
		return "null"
	case !v.IsKnown():
		return "a value known only at run time"
	case v.Type() == cty.String:
		text := []rune(v.AsString())
		if len(text) > 40 {
			return fmt.Sprintf("the string %q…", string(text[:40]))
		}
		return fmt.Sprintf("the string %q", string(text))
	default:
		return "a value of type " + v.Type().FriendlyName()
	}
}

// undecidedReason is why a condition could not be decided: the reason a
// checklist gave to undecided() as it wrote it, else the diagnostics.
func undecidedReason(diags hcl.Diagnostics) string {
	for _, d := range diags {
		if x, ok := hcl.DiagnosticExtra[hclsyntax.FunctionCallDiagExtra](d); ok && x.CalledFunctionName() == "undecided" {
			return x.FunctionCallError().Error()
		}
	}
	return diagText(diags)
}
