package main

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/audit-tool/audit/baseline"
	"github.com/audit-tool/audit/browser"
	"github.com/audit-tool/audit/checklist"
	"github.com/audit-tool/audit/internal/runner"
	"github.com/audit-tool/audit/outcome"
	"github.com/audit-tool/audit/probes"
	"github.com/audit-tool/audit/reports"
	"github.com/audit-tool/audit/store"

	"github.com/audit-tool/audit/internal/input"
)

type runFlags struct {
	checklists        []string
	vars              []string
	varFiles          []string
	format            string
	out               string
	failOn            string
	parallel          int
	timeout           time.Duration
	only              []string
	tags              []string
	offline           bool
	allowUnchecked    bool
	ignoreIntegration bool
	lang              string
	now               string
	caFiles           []string
	store             string
	engine            string
	baseline          string
}

func newRunCmd(a *app) *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run [PATH]",
		Short: "Run the checklists of an integration and give a GO / NO-GO verdict",
		Long: `Run the checklists that PATH's audit.hcl uses (PATH: the file, or a folder holding
audit.hcl; default: the current folder), and/or the ones given with --checklist.

Each checklist's probes look at the integration (config files, the payment page,
TLS, source and log trees, webhook endpoints, provider APIs); each step's assert
blocks judge the facts. The verdict: GO when nothing at or above --fail-on fails
or is pending, NO-GO when something does, UNDETERMINED when a probe error left
such a step undecided.

--out DIR holds one run's reports: the report files of an earlier run there are
replaced together (a kill while writing leaves the earlier ones, no temp file).

Exit codes: 0 GO, 1 NO-GO, 2 usage or configuration error (nothing was run),
3 undetermined, 4 the run finished but its reports could not be written (disk
full, a folder gone; the verdict is on stderr).`,
		Example: `  audit run examples/amazon-pay-shop
  audit run . --format table,json,junit --out build/audit
  audit run --checklist pci-dss --var checkout_page=dist/checkout.html --var 'source_dirs=["src"]'`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.run(cmd.Context(), args, f)
		},
	}
	bindRunFlags(cmd.Flags(), &f)
	cmd.Flags().StringVar(&f.store, "store", "", "also record the result in a store: sqlite://PATH or postgres://USER@HOST/DB (see 'audit fleet')")
	return cmd
}

// bindRunFlags declares the flags of `audit run` that `audit fleet run`
// shares.
func bindRunFlags(fl *pflag.FlagSet, f *runFlags) {
	fl.StringArrayVar(&f.checklists, "checklist", nil, "a built-in checklist name or a checklist .hcl file, instead of or besides audit.hcl (repeatable)")
	fl.StringArrayVar(&f.vars, "var", nil, "NAME=VALUE for a --checklist variable; lists as HCL: --var 'source_dirs=[\"src\"]' (repeatable)")
	fl.StringArrayVar(&f.varFiles, "var-file", nil, "HCL file of NAME = value lines for --checklist variables (repeatable)")
	fl.StringVar(&f.format, "format", "table", "comma-separated: "+strings.Join(reports.FormatNames(), ", "))
	fl.StringVarP(&f.out, "out", "o", "", "folder for report files (audit.json, audit.junit.xml, audit.sarif, audit.md, audit.pdf)")
	fl.StringVar(&f.failOn, "fail-on", "high", "lowest severity that blocks: critical, high, medium, low or never")
	fl.IntVar(&f.parallel, "parallel", runtime.NumCPU(), "probes run at once")
	fl.DurationVar(&f.timeout, "timeout", 60*time.Second, "deadline for each probe")
	fl.StringSliceVar(&f.only, "only", nil, "run only these step ids, checklist names or globs (pci-dss.*)")
	fl.StringSliceVar(&f.tags, "tags", nil, "run only steps with one of these tags")
	fl.BoolVar(&f.offline, "offline", false, "no network beyond loopback; steps that need it are skip (\"offline\") and unchecked")
	fl.BoolVar(&f.ignoreIntegration, "ignore-integration", false, "with --checklist: do not also read PATH's audit.hcl (by default its use blocks, waivers and attestations join the run)")
	fl.BoolVar(&f.allowUnchecked, "allow-unchecked", false, "steps that cannot be checked in this run (offline, a local file has no TLS or headers) do not make the verdict UNDETERMINED: for pre-deploy gates on built files")
	langFlag(fl, &f.lang)
	fl.StringArrayVar(&f.caFiles, "ca-file", nil, "PEM file of extra trusted CA certificates, e.g. a staging server's private CA (repeatable)")
	fl.StringVar(&f.engine, "engine", "auto", "how the payment page is read: auto (the browser when Chromium is installed), browser (headless Chromium) or static (the HTML only)")
	fl.StringVar(&f.baseline, "baseline", "", "JSON file of the payment page as once received (scripts, hashes, security headers): recorded on the first run, compared on later ones (PCI DSS 11.6.1)")
	fl.StringVar(&f.now, "now", "", "the run's clock, RFC 3339 or YYYY-MM-DD, for reproducible runs (default: now)")
}

func (a *app) run(ctx context.Context, args []string, f runFlags) error {
	formats, err := reports.ParseFormats(f.format)
	if err != nil {
		return usageErr("--format: %w", err)
	}
	if err := a.checkOut(formats, f.format, f.out); err != nil {
		return err
	}
	lang, err := parseLang(f.lang)
	if err != nil {
		return err
	}
	opt, err := a.runnerOptions(f)
	if err != nil {
		return err
	}
	defer a.withBrowser(&opt)()
	opt.Progress = a.probeProgress()
	path := "."
	if len(args) == 1 {
		path = args[0]
	}
	req, err := runRequest(path, f)
	if err != nil {
		return err
	}
	var st *store.Store
	if f.store != "" {
		if st, err = store.Open(ctx, f.store); err != nil {
			return usageErr("--store: %w", err)
		}
		defer st.Close()
	}

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()
	res, err := a.audit(ctx, req, opt)
	if err != nil {
		return err
	}
	if st != nil {
		if err := st.Put(ctx, record("", merchantID(path), res)); err != nil {
			return &exitError{code: outcome.ExitUsage, err: err}
		}
	}
	if err := a.render(res, formats, f.out, lang); err != nil {
		return err
	}
	return verdictErr(res.Verdict)
}

// runnerOptions checks the flags that tune a run.
func (a *app) runnerOptions(f runFlags) (runner.Options, error) {
	failOn, err := outcome.ParseThreshold(f.failOn)
	if err != nil {
		return runner.Options{}, usageErr("%w", err)
	}
	if f.parallel < 1 {
		return runner.Options{}, usageErr("--parallel must be at least 1")
	}
	now, err := a.clock(f.now)
	if err != nil {
		return runner.Options{}, err
	}
	roots, err := rootCAs(f.caFiles)
	if err != nil {
		return runner.Options{}, err
	}
	var engine string
	switch f.engine {
	case "auto", "":
	case "browser", "static":
		engine = f.engine
	default:
		return runner.Options{}, usageErr("--engine %q: want auto, browser or static", f.engine)
	}
	var baselines probes.Baselines
	if f.baseline != "" {
		if st, err := os.Stat(f.baseline); err == nil && !st.Mode().IsRegular() {
			return runner.Options{}, usageErr("--baseline %s: not a regular file", f.baseline)
		}
		// Relative to where audit runs, not to the integration folder.
		file, err := filepath.Abs(f.baseline)
		if err != nil {
			return runner.Options{}, usageErr("--baseline: %w", err)
		}
		baselines = baseline.NewFile(file)
	}
	var trace func(runner.ProbeTrace)
	if a.verbose || a.debug {
		trace = a.traceProbe
	}
	var debug func(string)
	if a.debug {
		debug = func(line string) { a.debugf("%s", line) }
	}
	return runner.Options{
		Trace: trace, Debug: debug,
		Parallel: f.parallel, Timeout: f.timeout, Offline: f.offline, AllowUnchecked: f.allowUnchecked, Now: now,
		// A fixed clock asks for a reproducible run: timings would make every
		// output, and the PDF's hash of audit.json, differ between runs.
		NoTimings: f.now != "",
		FailOn:    failOn, Only: f.only, Tags: f.tags, Version: version, RootCAs: roots,
		Engine: engine, Baselines: baselines,
	}, nil
}

// withBrowser gives the run a browser for its pages: the app's (tests share
// one), or a Chromium started on the first page when one is installed and
// the engine is not static. The returned func reaps what it started.
func (a *app) withBrowser(opt *runner.Options) func() {
	opt.Browser = a.renderer
	if opt.Browser != nil || opt.Engine == "static" {
		return func() {}
	}
	path := browser.Find()
	if path == "" {
		return func() {}
	}
	b := browser.New(path)
	opt.Browser = b
	return func() {
		if err := b.Close(); err != nil {
			fmt.Fprintln(a.stderr, "audit: closing the browser:", err)
		}
	}
}

// runRequest is what to load for the integration at path.
func runRequest(path string, f runFlags) (checklist.Request, error) {
	req := checklist.Request{Checklists: f.checklists, Vars: f.vars, VarFiles: f.varFiles, WorkDir: "."}
	if f.ignoreIntegration {
		if len(f.checklists) == 0 {
			return req, usageErr("--ignore-integration needs --checklist: without audit.hcl there is nothing else to run")
		}
		return req, nil
	}
	file, found, err := integrationFile(path)
	switch {
	case err != nil:
		return req, usageErr("%w", err)
	case found:
		req.Integration = file
	case len(f.checklists) == 0:
		return req, usageErr("%s has no audit.hcl: give an integration file, or --checklist NAME (see 'audit list')", path)
	}
	if len(req.Vars)+len(req.VarFiles) > 0 && len(req.Checklists) == 0 {
		return req, usageErr("--var and --var-file set --checklist variables; with audit.hcl, set values in its use blocks")
	}
	return req, nil
}

// audit is the single-merchant run path, shared by `audit run` and each
// merchant of `audit fleet run`: load and check the plan (diagnostics to
// stderr), run it, name the run.
func (a *app) audit(ctx context.Context, req checklist.Request, opt runner.Options) (*reports.Result, error) {
	l, err := a.loader()
	if err != nil {
		return nil, err
	}
	l.Now = opt.Now
	start := time.Now()
	plan, diags, err := a.load(l, req, opt.Timeout)
	if err != nil {
		return nil, err
	}
	if plan != nil {
		a.debugf("loaded %d checklist(s) in %d ms", len(plan.Instances), time.Since(start).Milliseconds())
	}
	if err := a.report(l, diags); err != nil {
		return nil, err
	}
	if err := checkSelection(plan, opt.Only, opt.Tags); err != nil {
		return nil, err
	}
	if a.verbose {
		a.traceCredentials(plan)
	}
	start = time.Now()
	res := runner.Run(ctx, plan, opt)
	a.debugf("ran %d step(s) in %d ms: %s", len(res.Steps), time.Since(start).Milliseconds(), res.Verdict)
	if len(res.Steps) == 0 {
		return nil, usageErr("no step matched --only/--tags")
	}
	dir := "."
	if req.Integration != "" {
		dir = filepath.Dir(req.Integration)
	}
	res.Folder, res.Commit = provenance(dir)
	res.RunID = runID(res)
	return res, nil
}

// rootCAs is the system pool plus the --ca-file certificates, or nil (the
// system pool) without any.
func rootCAs(files []string) (*x509.CertPool, error) {
	if len(files) == 0 {
		return nil, nil
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	for _, f := range files {
		pem, err := input.ReadFile(f, input.MaxPEM)
		if err != nil {
			return nil, usageErr("--ca-file: %w", err)
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, usageErr("--ca-file %s: no PEM certificate in it", f)
		}
	}
	return pool, nil
}

// clock returns the run's time source: fixed when --now is given.
func (a *app) clock(flag string) (func() time.Time, error) {
	if flag == "" {
		return a.now, nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(layout, flag); err == nil {
			return func() time.Time { return t }, nil
		}
	}
	return nil, usageErr("--now %q is neither RFC 3339 nor YYYY-MM-DD", flag)
}

// render writes a run's result in each format.
func (a *app) render(res *reports.Result, formats []reports.Format, out, lang string) error {
	err := a.emit(formats, out, reports.Options{Lang: lang, Version: version}, reports.ReportFiles(),
		func(f reports.Format) string { return f.File },
		func(f reports.Format, w io.Writer, opt reports.Options) error { return f.Render(w, res, opt) })
	return notWritten(err, fmt.Sprintf("%s, run %s", res.Verdict, res.RunID))
}

// notWritten turns a report that could not be written after the work was
// done into its own exit code: "nothing was run" (2) would be a lie, and
// the verdict must still reach the log.
func notWritten(err error, what string) error {
	if err == nil {
		return nil
	}
	return &exitError{code: outcome.ExitNotWritten, err: fmt.Errorf("the run finished (%s) but its reports could not be written: %w", what, err)}
}

// checkOut refuses, before anything runs, what the reports could not be
// written as: several formats without --out (stdout takes one), a binary
// format on a terminal, an --out that is not a folder or is host state.
func (a *app) checkOut(formats []reports.Format, flag, out string) error {
	if out == "" {
		if len(formats) > 1 {
			return usageErr("--format %s names several formats: give --out DIR for the files", flag)
		}
		if formats[0].Binary && a.isTerminal {
			return usageErr("--format %s is binary and stdout is a terminal: give --out DIR, or redirect (> audit.%s)", formats[0].Name, formats[0].Name)
		}
		return nil
	}
	return checkOutDir(out)
}

// checkOutDir checks that --out is, or can become, a folder outside
// /proc, /sys and /dev.
func checkOutDir(out string) error {
	if err := input.CheckHost(out); err != nil {
		return usageErr("--out: %w", err)
	}
	for p := out; ; p = filepath.Dir(p) {
		info, err := os.Stat(p)
		if err == nil {
			if !info.IsDir() {
				return usageErr("--out %s: %s is not a folder", out, p)
			}
			return nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return usageErr("--out: %w", err)
		}
		if parent := filepath.Dir(p); parent == p {
			return nil
		}
	}
}

// emit writes each format, for runs and scans alike: to stdout without
// --out, else to its file under --out (the table also to stdout, where
// people look for it). The files go in together (reports.WriteFiles):
// known are the names an earlier run's reports may have there.
func (a *app) emit(formats []reports.Format, out string, opt reports.Options, known []string,
	file func(reports.Format) string, write func(reports.Format, io.Writer, reports.Options) error) error {
	opt.CJKFonts, opt.Warn = a.pdfFonts()
	term := opt
	term.Color, term.Width, term.Quiet = a.colorOK(), a.width(), a.quiet
	if out == "" {
		return write(formats[0], a.stdout, term)
	}
	var files []reports.File
	for _, f := range formats {
		if f.Stdout {
			if err := write(f, a.stdout, term); err != nil {
				return err
			}
			continue
		}
		files = append(files, reports.File{Name: file(f), Write: func(w io.Writer) error { return write(f, w, opt) }})
	}
	if len(files) == 0 {
		return nil
	}
	if err := reports.WriteFiles(out, files, known); err != nil {
		return err
	}
	if !a.quiet {
		for _, f := range files {
			fmt.Fprintf(a.stderr, "wrote %s\n", filepath.Join(out, f.Name))
		}
	}
	return nil
}

// runID names a run by its start and content, so a filed PDF can be matched
// to its JSON without a random number spoiling reproducible runs.
func runID(res *reports.Result) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s|%s", res.StartedAt.Format(time.RFC3339Nano), res.Verdict)
	for _, s := range res.Steps {
		fmt.Fprintf(h, "|%s=%s", s.ID, s.Status)
	}
	return res.StartedAt.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(h.Sum(nil))[:8]
}

func verdictErr(v reports.Verdict) error {
	if code := v.ExitCode(); code != outcome.ExitGo {
		return &exitError{code: code, err: fmt.Errorf("")}
	}
	return nil
}

// pdfFonts are the CJK fonts a PDF tries (AUDIT_CJK_FONT, else the
// system's usual ones) and where it says what it could not draw.
func (a *app) pdfFonts() ([]string, func(string)) {
	fonts := reports.DefaultCJKFonts()
	if f := os.Getenv("AUDIT_CJK_FONT"); f != "" {
		fonts = []string{f}
	}
	return fonts, func(msg string) { fmt.Fprintf(a.stderr, "audit: warning: %s\n", msg) }
}
