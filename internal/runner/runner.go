// Package runner executes a checked plan: it runs each needed probe once,
// concurrently and under its own deadline, then judges every step's assert
// blocks against the facts and applies attestations and waivers.
package runner

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"path"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	ctyjson "github.com/zclconf/go-cty/cty/json"
	"golang.org/x/sync/errgroup"

	"github.com/audit-tool/audit/checklist"
	"github.com/audit-tool/audit/probes"
	"github.com/audit-tool/audit/reports"
	"github.com/audit-tool/audit/reports/i18n"
	"github.com/audit-tool/audit/scan"
)

// Options tune a run.
type Options struct {
	Parallel int           // probes at once; 0: the CPU count
	Timeout  time.Duration // per probe; 0: 60s
	Offline  bool
	// AllowUnchecked: unchecked steps do not make the verdict UNDETERMINED.
	AllowUnchecked bool
	// NoTimings leaves every duration 0, for byte-identical reruns.
	NoTimings bool
	// Trace, when set, is told of each probe run once it is done: --verbose.
	// Calls come from the probes' goroutines but never at the same time.
	Trace func(ProbeTrace)
	// Progress, when set, is told how many probe runs are done out of how
	// many: once with 0 before they start, then as each finishes; never
	// at the same time (the progress bar of audit run on a terminal).
	Progress func(done, total int)
	// Debug, when set, is each probe's Env.Debug (--debug: HTTP requests).
	Debug   func(line string)
	Now     func() time.Time
	FailOn  reports.Severity
	Only    []string // step ids or globs ("pci-dss.*"); empty: all
	Tags    []string // any of these tags; empty: all
	Version string
	// RootCAs, when set, replaces the system roots in every probe's Env:
	// a staging server's private CA, or a test server's.
	RootCAs *x509.CertPool
	// Browser renders pages for the page probe (nil: static reading only);
	// Engine overrides its engine = "auto"; Baselines keeps the pages as
	// once received (--baseline FILE, or a fleet store), nil for none.
	Browser   probes.Renderer
	Engine    string
	Baselines probes.Baselines
}

// Run executes plan and returns the result. Probe failures become step
// results, never an error of the run.
func Run(ctx context.Context, plan *checklist.Plan, opt Options) *reports.Result {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Parallel <= 0 {
		opt.Parallel = runtime.NumCPU()
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 60 * time.Second
	}
	started := opt.Now()
	r := &run{opt: opt, plan: plan, index: map[string]int{}, en: i18n.English()}
	jobs := r.selectSteps()
	r.schedule(jobs)
	r.runProbes(ctx)

	res := &reports.Result{
		SchemaVersion:  reports.SchemaVersion,
		Tool:           reports.Tool{Name: "audit", Version: opt.Version},
		StartedAt:      started.UTC(),
		FailOn:         opt.FailOn,
		AllowUnchecked: opt.AllowUnchecked,
		Steps:          []reports.Step{},
	}
	for _, inst := range plan.Instances {
		res.Checklists = append(res.Checklists, reports.Checked{
			Name: inst.Name, Title: inst.Checklist.Title, Source: inst.Checklist.File,
		})
		ev := r.evaluator(inst)
		// The scope first: steps outside the determined SAQ are skipped.
		ev.saq = ev.scope()
		for _, j := range jobs {
			if j.inst == inst {
				res.Steps = append(res.Steps, ev.judge(j))
			}
		}
		if ev.saq != nil && res.Scope == nil {
			res.Scope = ev.saq
		}
	}
	res.Merchant = r.merchant()
	summarise(res)
	res.MapText(scan.Sanitize)
	if opt.NoTimings {
		for i := range res.Steps {
			res.Steps[i].DurationMS = 0
		}
	}
	res.Decide()
	res.FinishedAt = opt.Now().UTC()
	return res
}

// ProbeTrace is one finished probe run.
type ProbeTrace struct {
	Probe, Kind, Dir string    // "KIND.NAME", its kind, the folder it ran in
	Config           cty.Value // its settings as resolved
	Elapsed          time.Duration
	Facts            cty.Value // cty.NilVal when Err is set
	Err              error
}

type run struct {
	opt   Options
	plan  *checklist.Plan
	runs  []*probeRun
	index map[string]int // dedupe key → runs index
	// slot maps "instance\x00KIND.NAME" to its run.
	slot map[string]*probeRun
	// en is the English catalogue: the runner's own messages are in it, so
	// a human report can match and translate them.
	en *i18n.Catalog
	// traceMu keeps Trace and Progress calls one at a time.
	traceMu sync.Mutex
}

// probeRun is one execution of a probe, shared by every step (of any
// checklist) that needs a probe with the same kind, folder and settings.
type probeRun struct {
	addr    string
	kind    probes.Kind
	cfg     cty.Value
	env     *probes.Env
	facts   cty.Value
	err     error
	elapsed time.Duration
}

type job struct {
	inst       *checklist.Instance
	step       *checklist.Step
	skipReason string // set when the step is skipped before probes run
	unchecked  bool   // the skip is because the step cannot be checked here
	whenErr    string // set when its when condition could not be decided
}

// selectSteps picks the steps --only/--tags keep and decides their when.
func (r *run) selectSteps() []job {
	var jobs []job
	for _, inst := range r.plan.Instances {
		varCtx := inst.EvalContext(nil, nil)
		for _, s := range inst.Checklist.Steps {
			if !r.selected(inst.StepID(s), s.Tags) {
				continue
			}
			j := job{inst: inst, step: s}
			if s.When != nil {
				v, diags := checklist.Eval(s.When, varCtx)
				switch {
				case diags.HasErrors() || !v.IsKnown() || v.IsNull():
					j.whenErr = "cannot decide when: " + diagText(diags)
				case v.False():
					j.skipReason = s.SkipReason
					if j.skipReason == "" {
						j.skipReason = "not applicable: its when condition is false"
					}
				}
			}
			if s.Checkable != nil && j.skipReason == "" && j.whenErr == "" {
				v, diags := checklist.Eval(s.Checkable, varCtx)
				switch {
				case diags.HasErrors() || !v.IsKnown() || v.IsNull():
					j.whenErr = "cannot decide checkable: " + diagText(diags)
				case v.False():
					j.skipReason, j.unchecked = s.UncheckedReason, true
					if j.skipReason == "" {
						j.skipReason = "cannot be checked in this run: its checkable condition is false"
					}
				}
			}
			jobs = append(jobs, j)
		}
	}
	return jobs
}

func (r *run) selected(id string, tags []string) bool {
	if len(r.opt.Only) > 0 {
		ok := false
		for _, pat := range r.opt.Only {
			if m, _ := path.Match(pat, id); m || pat == id || pat == strings.SplitN(id, ".", 2)[0] {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	if len(r.opt.Tags) > 0 {
		for _, want := range r.opt.Tags {
			for _, t := range tags {
				if t == want {
					return true
				}
			}
		}
		return false
	}
	return true
}

// schedule creates one run per distinct probe the kept steps need.
func (r *run) schedule(jobs []job) {
	r.slot = map[string]*probeRun{}
	need := func(inst *checklist.Instance, addrs []string) {
		for _, addr := range addrs {
			key := inst.Name + "\x00" + addr
			if _, done := r.slot[key]; done {
				continue
			}
			for _, p := range inst.Probes {
				if p.Decl.Addr() != addr || !p.Enabled {
					continue
				}
				dedupe := dedupeKey(inst, p)
				i, ok := r.index[dedupe]
				if !ok {
					i = len(r.runs)
					r.index[dedupe] = i
					r.runs = append(r.runs, &probeRun{
						addr: addr, kind: p.Kind, cfg: p.Config,
						env: &probes.Env{
							BaseDir: inst.BaseDir, Scope: inst.Scope, Offline: r.opt.Offline, Now: r.opt.Now, RootCAs: r.opt.RootCAs, Packs: r.plan.Packs,
							Browser: r.opt.Browser, Engine: r.opt.Engine, Baselines: r.opt.Baselines, Debug: r.opt.Debug,
						},
					})
				}
				r.slot[key] = r.runs[i]
			}
		}
	}
	for _, j := range jobs {
		if j.skipReason == "" && j.whenErr == "" && !j.step.Manual {
			need(j.inst, j.inst.StepNeeds[j.step.Name])
		}
	}
	for _, inst := range r.plan.Instances {
		need(inst, inst.ScopeNeeds())
	}
}

// dedupeKey is what probe runs that may be shared have in common: the
// kind, the folder, the settings and the scope. The same settings read
// different files in two scopes (a link out of the integration is read
// for a --checklist instance, refused for an audit.hcl one).
func dedupeKey(inst *checklist.Instance, p *checklist.ProbeInstance) string {
	cfg, err := ctyjson.Marshal(p.Config, p.Config.Type())
	if err != nil {
		// Unserialisable settings: never share this run.
		return fmt.Sprintf("%p", p)
	}
	return strings.Join([]string{p.Kind.Name(), inst.BaseDir, inst.Scope.Key(), string(cfg)}, "\x01")
}

// runProbes runs every probe, at most Parallel at once. A probe's failure,
// timeout or panic is its own result and never cancels the others.
func (r *run) runProbes(ctx context.Context) {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(r.opt.Parallel)
	done := 0
	if r.opt.Progress != nil {
		r.opt.Progress(0, len(r.runs))
	}
	for _, pr := range r.runs {
		g.Go(func() error {
			start := time.Now()
			pr.facts, pr.err = r.runOne(ctx, pr)
			pr.elapsed = time.Since(start)
			r.traceMu.Lock()
			defer r.traceMu.Unlock()
			if r.opt.Trace != nil {
				r.opt.Trace(ProbeTrace{Probe: pr.addr, Kind: pr.kind.Name(), Dir: pr.env.BaseDir, Config: pr.cfg, Elapsed: pr.elapsed, Facts: pr.facts, Err: pr.err})
			}
			if done++; r.opt.Progress != nil {
				r.opt.Progress(done, len(r.runs))
			}
			return nil
		})
	}
	_ = g.Wait() // the goroutines never return an error
}

func (r *run) runOne(parent context.Context, pr *probeRun) (cty.Value, error) {
	ctx, cancel := context.WithTimeout(parent, r.opt.Timeout)
	defer cancel()
	type outcome struct {
		v   cty.Value
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- outcome{err: fmt.Errorf("probe panicked: %v\n%s", p, firstFrames(debug.Stack()))}
			}
		}()
		v, err := pr.kind.Run(ctx, pr.env, pr.cfg)
		done <- outcome{v, err}
	}()
	select {
	case o := <-done:
		if o.err != nil {
			return cty.NilVal, o.err
		}
		v, err := convert.Convert(o.v, pr.kind.Facts())
		if err != nil {
			return cty.NilVal, fmt.Errorf("probe kind %s returned facts of the wrong shape: %w", pr.kind.Name(), err)
		}
		return v, nil
	case <-ctx.Done():
		// A probe that ignores its context is abandoned, not waited for.
		return cty.NilVal, fmt.Errorf("no answer within %s: %w", r.opt.Timeout, ctx.Err())
	}
}

// firstFrames keeps a panic's stack short enough for a report.
func firstFrames(stack []byte) string {
	lines := strings.Split(string(stack), "\n")
	if len(lines) > 12 {
		lines = lines[:12]
	}
	return strings.Join(lines, "\n")
}

// merchant is the legal name from the first merchant profile read.
func (r *run) merchant() string {
	for _, pr := range r.runs {
		if pr.kind.Name() != "merchant" || pr.err != nil || !pr.facts.Type().IsObjectType() ||
			!pr.facts.Type().HasAttribute("legal_name") {
			continue
		}
		if n := pr.facts.GetAttr("legal_name"); n.Type() == cty.String && n.IsKnown() && !n.IsNull() {
			return n.AsString()
		}
	}
	return ""
}

// diagText renders diagnostics without source snippets, for a step message.
func diagText(diags hcl.Diagnostics) string {
	var parts []string
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		if d.Subject != nil {
			msg = d.Subject.String() + ": " + msg
		}
		parts = append(parts, msg)
	}
	return strings.Join(parts, "; ")
}

func isUnchecked(err error) bool { return errors.Is(err, probes.ErrUnchecked) }

// Caps on what one step or the scope lists: 12,000 card numbers in a log
// are one finding with a count, not 12,000 lines in every format.
const (
	maxEvidence = 100
	maxReasons  = 20
)

// summarise keeps the first rows of long evidence and reason lists and
// says how many more there were.
func summarise(res *reports.Result) {
	for i := range res.Steps {
		s := &res.Steps[i]
		if n := len(s.Evidence); n > maxEvidence {
			s.Evidence = append(s.Evidence[:maxEvidence:maxEvidence], reports.Evidence{
				Source: "…", Detail: fmt.Sprintf("and %d more (%d in all)", n-maxEvidence, n),
			})
		}
	}
	if sc := res.Scope; sc != nil && len(sc.Reasons) > maxReasons {
		n := len(sc.Reasons)
		sc.Reasons = append(sc.Reasons[:maxReasons:maxReasons], fmt.Sprintf("… and %d more reasons (%d in all)", n-maxReasons, n))
	}
}
