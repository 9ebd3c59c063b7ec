package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"github.com/zclconf/go-cty/cty"

	"github.com/audit-tool/audit/baseline"
	"github.com/audit-tool/audit/fleet"
	"github.com/audit-tool/audit/internal/runner"
	"github.com/audit-tool/audit/outcome"
	"github.com/audit-tool/audit/reports"
	"github.com/audit-tool/audit/scan"
	"github.com/audit-tool/audit/store"
)

// Environment variables that stand in for fleet flags, so the pods of a
// Kubernetes Job share them without templated command lines.
const (
	envStore    = "AUDIT_STORE"     // --store
	envFleetRun = "AUDIT_FLEET_RUN" // --fleet-run
)

// defaultStoreFile is the SQLite file written beside the fleet file.
const defaultStoreFile = "audit-fleet.db"

// maxErrorText bounds an error row's text: diagnostics of a broken
// audit.hcl are useful, pages of them are not.
const maxErrorText = 8 << 10

func newFleetCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "fleet",
		Short: "Audit many merchants: run a fleet file, report on and compare fleet runs",
		Long: `A fleet file lists merchants, each a folder holding its audit.hcl:

  merchant "cafe-etoile" {
    path  = "merchants/cafe-etoile"     # relative to the fleet file
    owner = "EU launch team"            # optional
    tags  = ["eu", "amazon-pay"]        # optional
    vars  = { checkout_page = "dist/checkout.html" }   # optional: values for --checklist
  }

'audit fleet run' audits them into a store (sqlite://PATH, the default, beside
the fleet file; or postgres://… for many machines), 'audit fleet report'
summarises the latest fleet run, 'audit fleet diff' compares two, 'audit fleet
prune' deletes old fleet runs.`,
	}
	cmd.AddCommand(newFleetRunCmd(a), newFleetReportCmd(a), newFleetDiffCmd(a), newFleetPruneCmd(a))
	return cmd
}

type fleetFlags struct {
	store           string
	shard           string
	shards          int
	fleetRun        string
	force           bool
	recordOnly      bool
	merchantTimeout time.Duration
}

func newFleetRunCmd(a *app) *cobra.Command {
	var f runFlags
	var ff fleetFlags
	cmd := &cobra.Command{
		Use:   "run FLEET.hcl",
		Short: "Audit every merchant of a fleet file (or a shard of it) into a store",
		Long: `Audit the merchants of FLEET.hcl, --parallel at once, each exactly as 'audit run'
would, and record every result in the store under one fleet run id. A merchant
that fails to load, panics or hangs is an error row; the others go on.

Rerunning with the same --fleet-run skips merchants already stored (unless
--force), so an interrupted or killed run resumes where it stopped.

--shard I/N runs the merchants whose id hashes to I of N (I from 0). Inside a
Kubernetes Indexed Job the index comes from JOB_COMPLETION_INDEX and the count
from --shards or AUDIT_SHARDS. --store and --fleet-run default to AUDIT_STORE
and AUDIT_FLEET_RUN.

--format and --out write each merchant's reports under DIR/MERCHANT/; stdout
carries the fleet table. Exit codes over all merchants of the shard: 1 when one
is NO-GO, else 2 when one has a configuration error, else 3 when one is
undetermined (or errored), else 0; with --record-only, 0 once every result is
stored; 4 when a merchant's reports could not be written (the results are stored). An interrupted run (SIGINT, SIGTERM) exits 3 and resumes when rerun.`,
		Example: `  audit fleet run fleet.hcl --offline
  audit fleet run fleet.hcl --shard 0/4 --store postgres://audit@db/audit --fleet-run 2026-w48
  audit fleet run fleet.hcl --fleet-run 2026-w48          # resume`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.fleetRun(cmd.Context(), args[0], f, ff)
		},
	}
	bindRunFlags(cmd.Flags(), &f)
	fl := cmd.Flags()
	fl.Lookup("parallel").Usage = "merchants audited at once"
	// Merchants' pages would collide in one file (most are
	// dist/checkout.html): a fleet keeps each merchant's in its store.
	bl := fl.Lookup("baseline")
	bl.NoOptDefVal = baselineInStore
	bl.Usage = "keep each merchant's payment page as once received (scripts, hashes, security headers) in the store: the first fleet run records it, later ones compare (PCI DSS 11.6.1)"
	fl.StringVar(&ff.store, "store", "", "sqlite://PATH or postgres://USER@HOST/DB (default $"+envStore+", else sqlite://"+defaultStoreFile+" beside the fleet file)")
	fl.StringVar(&ff.shard, "shard", "", "I/N: run shard I (from 0) of N")
	fl.IntVar(&ff.shards, "shards", 0, "shard count N, the index from $"+fleet.EnvIndex+" (default $"+fleet.EnvCount+")")
	fl.StringVar(&ff.fleetRun, "fleet-run", "", "fleet run id; the same id resumes (default $"+envFleetRun+", else a new one from the clock)")
	fl.BoolVar(&ff.force, "force", false, "audit merchants already stored in this fleet run again")
	fl.BoolVar(&ff.recordOnly, "record-only", false, "exit 0 once every result is stored, whatever the verdicts (a Kubernetes Job retries a pod that exits non-zero); 'audit fleet report' gives the fleet's exit code")
	fl.DurationVar(&ff.merchantTimeout, "merchant-timeout", 15*time.Minute, "deadline for one merchant's whole audit")
	return cmd
}

// tally counts what the stored rows cannot tell the exit code: errors of
// configuration (exit 2) and results that could not be stored.
type tally struct {
	mu                 sync.Mutex
	config, storeFails int
	writeFails         int // merchants whose reports could not be written
}

func (a *app) fleetRun(ctx context.Context, path string, f runFlags, ff fleetFlags) error {
	formats, err := reports.ParseFormats(f.format)
	if err != nil {
		return usageErr("--format: %w", err)
	}
	track := f.baseline != ""
	if track && f.baseline != baselineInStore {
		return usageErr("--baseline=%s: a fleet run keeps each merchant's page baseline in its store; give --baseline alone", f.baseline)
	}
	f.baseline = ""
	if f.out == "" && (len(formats) > 1 || formats[0].Name != "table") {
		return usageErr("--format %s writes each merchant's reports: give --out DIR", f.format)
	}
	if f.out != "" {
		if err := checkOutDir(f.out); err != nil {
			return err
		}
	}
	opt, err := a.runnerOptions(f)
	if err != nil {
		return err
	}
	// One Chromium for the fleet run, a tab per page.
	defer a.withBrowser(&opt)()
	opt.Parallel = 0 // --parallel counts merchants here; each runs its probes as `audit run` does
	if ff.merchantTimeout <= 0 {
		return usageErr("--merchant-timeout must be positive")
	}
	shard, err := fleet.ShardFromEnv(ff.shard, ff.shards, os.Getenv)
	if err != nil {
		return usageErr("%w", err)
	}
	file, diags := fleet.Load(path)
	if l, lerr := a.loader(); lerr == nil {
		if err := a.report(l, diags); err != nil {
			return err
		}
	} else {
		return lerr
	}
	f.checklists = absChecklists(f.checklists)
	f.varFiles = absPaths(f.varFiles)

	url := cmpOr(ff.store, os.Getenv(envStore), "sqlite://"+filepath.Join(file.Dir, defaultStoreFile))
	st, err := store.Open(ctx, url)
	if err != nil {
		return usageErr("--store: %w", err)
	}
	defer st.Close()
	runID := cmpOr(ff.fleetRun, os.Getenv(envFleetRun), "fleet-"+opt.Now().UTC().Format("20060102T150405Z"))
	if err := st.StartFleetRun(ctx, runID, opt.Now()); err != nil {
		return &exitError{code: outcome.ExitUsage, err: err}
	}

	mine := shard.Select(file.Merchants)
	todo := mine
	if !ff.force {
		done, err := st.Completed(ctx, runID)
		if err != nil {
			return &exitError{code: outcome.ExitUsage, err: err}
		}
		todo = nil
		for _, m := range mine {
			if !done[m.ID] {
				todo = append(todo, m)
			}
		}
	}
	fmt.Fprintf(a.stderr, "fleet run %s: shard %s, %d of %d merchant(s), %d to audit, store %s\n",
		runID, shard, len(mine), len(file.Merchants), len(todo), store.Redact(url))

	// SIGTERM: a pod being evicted. Stop starting merchants; the rerun resumes.
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	bar := a.progressBar(int64(len(todo)), "merchants", progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("merchants"))
	var t tally
	audit := func(ctx context.Context, m fleet.Merchant) (*reports.Result, error) {
		opt := opt
		if track {
			opt.Baselines = storeBaselines{st: st, merchant: m.ID, where: store.Redact(url)}
		}
		return a.auditMerchant(ctx, m, f, opt)
	}
	fleet.Run(ctx, todo, audit, fleet.Options{Parallel: f.parallel, Timeout: ff.merchantTimeout, Now: time.Now}, func(o fleet.Outcome) {
		a.recordOutcome(ctx, st, runID, o, formats, f.out, &t)
		if bar != nil {
			_ = bar.Add(1)
		}
	})
	if bar != nil {
		_ = bar.Finish()
	}
	if ctx.Err() != nil {
		return &exitError{code: outcome.ExitUndetermined, err: fmt.Errorf("interrupted: rerun with --fleet-run %s to resume", runID)}
	}

	// The table and the exit code cover the shard's merchants, those
	// audited now and those a previous attempt stored.
	rep, err := shardReport(ctx, st, runID, mine, opt.Now())
	if err != nil {
		return &exitError{code: outcome.ExitUsage, err: err}
	}
	if err := reports.FleetTable(a.stdout, rep, reports.Options{Color: a.colorOK()}); err != nil {
		return err
	}
	if t.storeFails > 0 {
		return &exitError{code: outcome.ExitUsage, err: fmt.Errorf("%d result(s) could not be stored", t.storeFails)}
	}
	if t.writeFails > 0 {
		return &exitError{code: outcome.ExitNotWritten, err: fmt.Errorf("the fleet run finished but the reports of %d merchant(s) could not be written (see above); their results are in the store", t.writeFails)}
	}
	switch {
	case ff.recordOnly:
		return nil
	case rep.Totals[reports.NoGo] > 0:
		return &exitError{code: outcome.ExitNoGo, err: errors.New("")}
	case t.config > 0:
		return &exitError{code: outcome.ExitUsage, err: fmt.Errorf("%d merchant(s) have configuration errors", t.config)}
	case rep.Totals[reports.Undetermined] > 0 || len(rep.Merchants) < len(mine):
		return &exitError{code: outcome.ExitUndetermined, err: errors.New("")}
	}
	return nil
}

// auditMerchant is `audit run` on one merchant's folder, with the fleet's
// flags and the merchant's vars; its diagnostics go into the error.
func (a *app) auditMerchant(ctx context.Context, m fleet.Merchant, f runFlags, opt runner.Options) (*reports.Result, error) {
	f.vars = append(append([]string{}, f.vars...), merchantVars(m)...)
	req, err := runRequest(m.Dir, f)
	if err != nil {
		return nil, err
	}
	req.WorkDir = m.Dir
	var diags bytes.Buffer
	child := *a
	child.stderr = redactWriter{&diags}
	res, err := child.audit(ctx, req, opt)
	if err != nil && diags.Len() > 0 {
		var ee *exitError
		code := outcome.ExitUsage
		if errors.As(err, &ee) {
			code = ee.code
		}
		return nil, &exitError{code: code, err: fmt.Errorf("%s: %w", strings.TrimSpace(diags.String()), err)}
	}
	return res, err
}

// merchantVars renders the merchant's vars as --var NAME=VALUE flags:
// strings as they are (as a string variable takes --var), others as HCL.
func merchantVars(m fleet.Merchant) []string {
	var out []string
	for _, name := range m.VarNames() {
		v := m.Vars[name]
		if v.Type() == cty.String {
			out = append(out, name+"="+v.AsString())
			continue
		}
		out = append(out, name+"="+string(hclwrite.TokensForValue(v).Bytes()))
	}
	return out
}

func (a *app) recordOutcome(ctx context.Context, st *store.Store, runID string, o fleet.Outcome, formats []reports.Format, out string, t *tally) {
	if errors.Is(o.Err, context.Canceled) {
		return // interrupted: nothing to store, the resumed run audits it
	}
	rec := store.Record{FleetRun: runID, Merchant: o.Merchant.ID, Owner: o.Merchant.Owner, Tags: o.Merchant.Tags,
		StartedAt: o.Started, FinishedAt: o.Finished}
	t.mu.Lock()
	defer t.mu.Unlock()
	if o.Err != nil {
		rec.Verdict = string(reports.Undetermined)
		rec.Error = truncateText(scan.Redact(o.Err.Error()), maxErrorText)
		if ee := (*exitError)(nil); errors.As(o.Err, &ee) && ee.code == outcome.ExitUsage {
			t.config++
		}
		fmt.Fprintf(a.stderr, "merchant %s: %s\n", o.Merchant.ID, headLine(rec.Error))
	} else {
		rec = record(runID, o.Merchant.ID, o.Result)
		rec.Owner, rec.Tags = o.Merchant.Owner, o.Merchant.Tags
		if out != "" {
			if err := a.writeMerchantFiles(o.Result, formats, filepath.Join(out, o.Merchant.ID)); err != nil {
				t.writeFails++
				fmt.Fprintf(a.stderr, "merchant %s: %s: reports not written: %v\n", o.Merchant.ID, o.Result.Verdict, err)
			}
		}
	}
	if err := st.Put(ctx, rec); err != nil {
		t.storeFails++
		fmt.Fprintf(a.stderr, "merchant %s: %v\n", o.Merchant.ID, err)
	}
}

// baselineInStore is what a fleet run's --baseline takes: the store.
const baselineInStore = "store"

// storeBaselines keeps one merchant's page baselines in the fleet store,
// each a baseline document holding that one page.
type storeBaselines struct {
	st              *store.Store
	merchant, where string
}

func (s storeBaselines) Page(ctx context.Context, source string) (baseline.Page, bool, error) {
	blob, _, err := s.st.Baseline(ctx, s.merchant, source)
	if errors.Is(err, store.ErrNotFound) {
		return baseline.Page{}, false, nil
	}
	if err != nil {
		return baseline.Page{}, false, err
	}
	b, err := baseline.Parse(blob, s.String())
	if err != nil {
		return baseline.Page{}, false, err
	}
	p, ok := b.Pages[source]
	if !ok {
		// A row that does not hold its own page is damage, not a first
		// run: recording over it would hide whatever changed.
		return baseline.Page{}, false, fmt.Errorf("%s: the stored baseline of %s holds no record of it", s, source)
	}
	return p, true, nil
}

func (s storeBaselines) Record(ctx context.Context, source string, p baseline.Page) error {
	b := baseline.New()
	b.Pages[source] = p
	raw, err := b.Marshal()
	if err != nil {
		return err
	}
	return s.st.PutBaseline(ctx, s.merchant, source, raw, p.RecordedAt)
}

func (s storeBaselines) String() string { return s.where + " (merchant " + s.merchant + ")" }

// record is the stored form of a result.
func record(fleetRun, merchant string, res *reports.Result) store.Record {
	var js bytes.Buffer
	_ = reports.JSON(&js, res, reports.Options{}) // a Result always encodes
	rec := store.Record{FleetRun: fleetRun, Merchant: merchant, RunID: res.RunID, Verdict: string(res.Verdict),
		StartedAt: res.StartedAt, FinishedAt: res.FinishedAt, Result: js.Bytes()}
	if res.Scope != nil {
		rec.SAQ = res.Scope.SAQ
	}
	return rec
}

// merchantID names a single `audit run --store` by its integration's folder.
func merchantID(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Base(path)
	}
	if info, err := os.Stat(abs); err == nil && !info.IsDir() {
		abs = filepath.Dir(abs)
	}
	return filepath.Base(abs)
}

func (a *app) writeMerchantFiles(res *reports.Result, formats []reports.Format, dir string) error {
	var files []reports.File
	for _, f := range formats {
		if f.Stdout {
			continue
		}
		files = append(files, reports.File{Name: f.File, Write: func(w io.Writer) error { return f.Render(w, res, reports.Options{}) }})
	}
	if len(files) == 0 {
		return nil
	}
	return reports.WriteFiles(dir, files, reports.ReportFiles())
}

// shardReport is the fleet report of runID restricted to the merchants ms.
func shardReport(ctx context.Context, st *store.Store, runID string, ms []fleet.Merchant, now time.Time) (*reports.FleetReport, error) {
	want := make(map[string]bool, len(ms))
	for _, m := range ms {
		want[m.ID] = true
	}
	b := reports.NewFleetBuilder(runID, "", now)
	err := st.Latest(ctx, runID, func(r store.Record) error {
		if want[r.Merchant] {
			b.Add(fleetMerchant(r))
		}
		return nil
	})
	return b.Report(), err
}

// fleetMerchant turns a stored record into a report row and its result
// (nil for an error row or a result that no longer reads). A store is
// input like any file: a row may have been written by another tool or
// edited, so every string goes through the masking boundary again and the
// verdict is recomputed from the steps.
func fleetMerchant(r store.Record) (reports.FleetMerchant, *reports.Result) {
	m := reports.FleetMerchant{ID: r.Merchant, SAQ: r.SAQ, RunID: r.RunID, Owner: r.Owner, Tags: r.Tags, StartedAt: r.StartedAt, Error: r.Error}
	m.Tags = slices.Clone(m.Tags)
	for _, p := range []*string{&m.ID, &m.SAQ, &m.RunID, &m.Owner, &m.Error} {
		*p = scan.Sanitize(*p)
	}
	for i := range m.Tags {
		m.Tags[i] = scan.Sanitize(m.Tags[i])
	}
	if r.Error != "" || r.Result == nil {
		m.Error = cmpOr(m.Error, "no result stored")
		return m, nil
	}
	res, err := reports.ReadJSON(bytes.NewReader(r.Result))
	if err != nil {
		m.Error = "stored result unreadable: " + scan.Sanitize(err.Error())
		return m, nil
	}
	res.MapText(scan.Sanitize)
	res.Decide()
	return m, res
}

// absChecklists makes --checklist files absolute: each merchant resolves
// relative paths from its own folder, the flags from the current one.
func absChecklists(refs []string) []string {
	out := make([]string, len(refs))
	for i, ref := range refs {
		out[i] = ref
		if strings.HasSuffix(ref, ".hcl") {
			if abs, err := filepath.Abs(ref); err == nil {
				out[i] = abs
			}
		}
	}
	return out
}

func absPaths(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = p
		if abs, err := filepath.Abs(p); err == nil {
			out[i] = abs
		}
	}
	return out
}

func cmpOr(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

func headLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func truncateText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

type reportFlags struct {
	store, fleetRun, format, out, now, lang string
}

func newFleetReportCmd(a *app) *cobra.Command {
	var rf reportFlags
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Report on a fleet run: verdicts, SAQs, most failing steps, regressions, expiring waivers",
		Long: `Report on the latest fleet run in the store (or --fleet-run): each merchant's latest
result, totals by verdict, the SAQ distribution, the most failing steps, the
merchants that regressed since the previous fleet run and the waivers that expire
within 30 days.

Without --out one format goes to stdout; with --out each format is written as
DIR/fleet.{txt,json,csv,md,pdf} (the table also to stdout).
Exit codes: the fleet verdict (0 GO, 1 a merchant is NO-GO, 3 undetermined), 2 bad input,
4 a report could not be written.`,
		Example: `  audit fleet report --store sqlite://fleet/audit-fleet.db
  audit fleet report --store "$AUDIT_STORE" --format json,csv,pdf --out reports/`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.fleetReport(cmd.Context(), rf)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&rf.store, "store", "", "sqlite://PATH or postgres://USER@HOST/DB (default $"+envStore+", else sqlite://"+defaultStoreFile+")")
	fl.StringVar(&rf.fleetRun, "fleet-run", "", "the fleet run to report on (default: the latest started)")
	fl.StringVar(&rf.format, "format", "table", "comma-separated: table, json, csv, markdown, pdf")
	fl.StringVar(&rf.out, "out", "", "folder for the report files")
	fl.StringVar(&rf.now, "now", "", "the date waiver expiries are counted from, RFC 3339 or YYYY-MM-DD (default: today)")
	langFlag(fl, &rf.lang)
	return cmd
}

func (a *app) openStore(ctx context.Context, flag string) (*store.Store, error) {
	st, err := store.Open(ctx, cmpOr(flag, os.Getenv(envStore), "sqlite://"+defaultStoreFile))
	if err != nil {
		return nil, usageErr("--store: %w", err)
	}
	return st, nil
}

func (a *app) fleetReport(ctx context.Context, rf reportFlags) error {
	formats, err := reports.ParseFleetFormats(rf.format)
	if err != nil {
		return usageErr("--format: %w", err)
	}
	if rf.out == "" && len(formats) > 1 {
		return usageErr("--format %s names several formats: give --out DIR for the files", rf.format)
	}
	if rf.out != "" {
		if err := checkOutDir(rf.out); err != nil {
			return err
		}
	}
	clock, err := a.clock(rf.now)
	if err != nil {
		return err
	}
	st, err := a.openStore(ctx, rf.store)
	if err != nil {
		return err
	}
	defer st.Close()
	runs, err := st.FleetRuns(ctx)
	if err != nil {
		return &exitError{code: outcome.ExitUsage, err: err}
	}
	cur, prev, err := pickRun(runs, rf.fleetRun)
	if err != nil {
		return err
	}
	b := reports.NewFleetBuilder(cur, prev, clock())
	if prev != "" {
		if err := st.Latest(ctx, prev, func(r store.Record) error {
			_, res := fleetMerchant(r)
			b.AddPrevious(r.Merchant, res)
			return nil
		}); err != nil {
			return &exitError{code: outcome.ExitUsage, err: err}
		}
	}
	if err := st.Latest(ctx, cur, func(r store.Record) error {
		b.Add(fleetMerchant(r))
		return nil
	}); err != nil {
		return &exitError{code: outcome.ExitUsage, err: err}
	}
	rep := b.Report()
	lang, err := parseLang(rf.lang)
	if err != nil {
		return err
	}
	if err := a.renderFleet(rep, formats, rf.out, lang); err != nil {
		return notWritten(err, fmt.Sprintf("fleet run %s, %s", cur, rep.Verdict()))
	}
	return verdictErr(rep.Verdict())
}

// pickRun finds the fleet run to report on (the latest when want is "")
// and the one started before it.
func pickRun(runs []store.FleetRun, want string) (cur, prev string, err error) {
	if len(runs) == 0 {
		return "", "", usageErr("the store holds no fleet run: run 'audit fleet run FLEET.hcl' first")
	}
	i := len(runs) - 1
	if want != "" {
		i = -1
		for j, r := range runs {
			if r.ID == want {
				i = j
			}
		}
		if i < 0 {
			return "", "", usageErr("the store holds no fleet run %q", want)
		}
	}
	if i > 0 {
		prev = runs[i-1].ID
	}
	return runs[i].ID, prev, nil
}

func (a *app) renderFleet(rep *reports.FleetReport, formats []reports.FleetFormat, out, lang string) error {
	file := reports.Options{Lang: lang}
	file.CJKFonts, file.Warn = a.pdfFonts()
	opt := file
	opt.Color = a.colorOK()
	if out == "" {
		return formats[0].Render(a.stdout, rep, opt)
	}
	var files []reports.File
	for _, f := range formats {
		if f.Name == "table" {
			if err := f.Render(a.stdout, rep, opt); err != nil {
				return err
			}
			continue
		}
		files = append(files, reports.File{Name: f.File, Write: func(w io.Writer) error { return f.Render(w, rep, file) }})
	}
	if len(files) == 0 {
		return nil
	}
	if err := reports.WriteFiles(out, files, reports.FleetFiles()); err != nil {
		return err
	}
	for _, f := range files {
		fmt.Fprintf(a.stderr, "wrote %s\n", filepath.Join(out, f.Name))
	}
	return nil
}

func newFleetDiffCmd(a *app) *cobra.Command {
	var storeURL, format, langName string
	cmd := &cobra.Command{
		Use:   "diff RUN_A RUN_B",
		Short: "Compare two fleet runs merchant by merchant",
		Long: `Compare the latest result of each merchant in fleet run RUN_A with RUN_B: verdict
changes, steps that regressed or newly fail, steps fixed, merchants added and removed.

Exit codes: 0 nothing got worse, 1 a merchant's verdict got worse or a step regressed, 2 bad input.`,
		Example: "  audit fleet diff 2026-w47 2026-w48 --store postgres://audit@db/audit",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := reportFormat(format, "table", "json"); err != nil {
				return err
			}
			lang, err := parseLang(langName)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			st, err := a.openStore(ctx, storeURL)
			if err != nil {
				return err
			}
			defer st.Close()
			runs, err := st.FleetRuns(ctx)
			if err != nil {
				return &exitError{code: outcome.ExitUsage, err: err}
			}
			for _, id := range args {
				if _, _, err := pickRun(runs, id); err != nil {
					return err
				}
			}
			fd := reports.NewFleetDiffer(args[0], args[1])
			if err := st.Latest(ctx, args[0], func(r store.Record) error {
				_, res := fleetMerchant(r)
				fd.AddFrom(r.Merchant, res)
				return nil
			}); err != nil {
				return &exitError{code: outcome.ExitUsage, err: err}
			}
			if err := st.Latest(ctx, args[1], func(r store.Record) error {
				_, res := fleetMerchant(r)
				fd.AddTo(r.Merchant, res)
				return nil
			}); err != nil {
				return &exitError{code: outcome.ExitUsage, err: err}
			}
			d := fd.Diff()
			if format == "json" {
				err = reports.FleetDiffJSON(a.stdout, d)
			} else {
				err = reports.FleetDiffTable(a.stdout, d, reports.Options{Color: a.colorOK(), Lang: lang})
			}
			if err != nil {
				return err
			}
			if d.Regressed() {
				return &exitError{code: outcome.ExitNoGo, err: errors.New("a merchant got worse")}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&storeURL, "store", "", "sqlite://PATH or postgres://USER@HOST/DB (default $"+envStore+", else sqlite://"+defaultStoreFile+")")
	cmd.Flags().StringVar(&format, "format", "table", "table or json")
	langFlag(cmd.Flags(), &langName)
	return cmd
}
