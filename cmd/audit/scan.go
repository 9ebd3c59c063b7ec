package main

import (
	"github.com/audit-tool/audit/outcome"

	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/audit-tool/audit/reports"
	"github.com/audit-tool/audit/scan"
	"github.com/audit-tool/audit/walk"
)

// scanMemoryLimit is the soft limit of the Go heap during a scan.
const scanMemoryLimit = 40 << 20

type scanFlags struct {
	format  string
	out     string
	exclude []string
	workers int
	timeout time.Duration
	lang    string
}

func newScanCmd(a *app) *cobra.Command {
	var f scanFlags
	cmd := &cobra.Command{
		Use:   "scan PATH...",
		Short: "Find card numbers and secrets in files and folders",
		Long: `Scan files and folders for card numbers (PANs: Visa, Mastercard, Amex, Discover,
Diners, JCB, UnionPay, Maestro; Luhn-checked) and secrets (Stripe live keys, PEM
private keys such as Amazon Pay's, PayPal/Braintree access tokens, Adyen API keys).
Archives and compressed files (zip, jar, tar, gz, bz2, xz, zstd, snappy, nested),
e-mails (.eml, mbox: base64 and quoted-printable parts, attachments), office
documents, PDF text, UTF-16 text and the printable strings of binary files are
read. Values are only ever shown masked: 411111******1111, sk_live_…(sha256:1f2e3d4c),
file names too. Symbolic links out of the given paths, FIFOs and devices are
not followed; like unreadable, encrypted or unsupported content they are listed
as not read, and a scan that found nothing live but could not read everything
proves nothing: it exits 3.

Providers' published test cards and test-mode keys are reported but do not fail.
Exit codes: 0 nothing live found and everything read, 1 a live card number or
secret found, 2 usage error, 3 nothing live found but something not read (or
--timeout reached), 4 the scan finished but its reports could not be written.`,
		Example: `  audit scan logs/ src/ .env
  audit scan . --exclude 'node_modules=third-party code, scanned by SCA' --format json --out build/audit`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.scan(cmd.Context(), args, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.format, "format", "table", "comma-separated: "+strings.Join(reports.ScanFormatNames(), ", "))
	fl.StringVarP(&f.out, "out", "o", "", "folder for scan.json and scan.sarif (default: stdout)")
	fl.StringArrayVar(&f.exclude, "exclude", nil, "'GLOB=REASON': leave out files and folders matching GLOB, a name (node_modules, *.min.js) or a path relative to the working directory with ** (repeatable; the reason is shown in every report)")
	fl.IntVar(&f.workers, "parallel", 0, "files scanned at once (default: one per CPU)")
	fl.DurationVar(&f.timeout, "timeout", 0, "give up after this long (exit 3); 0: no limit")
	langFlag(fl, &f.lang)
	return cmd
}

func (a *app) scan(ctx context.Context, paths []string, f scanFlags) error {
	formats, err := reports.ParseScanFormats(f.format)
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
	var excludes []walk.Exclude
	for _, e := range f.exclude {
		pattern, reason, _ := strings.Cut(e, "=")
		if reason = strings.TrimSpace(reason); reason == "" {
			reason = "excluded with --exclude, no reason given"
		}
		excludes = append(excludes, walk.Exclude{Pattern: pattern, Reason: reason})
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()
	if f.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, f.timeout)
		defer cancel()
	}
	packs, err := a.packs()
	if err != nil {
		return err
	}
	// Memory does not grow with the findings (they are streamed), only
	// garbage does: a soft limit has the collector reclaim it before the
	// heap doubles, as it would on a machine too busy to collect on time.
	if os.Getenv("GOMEMLIMIT") == "" {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(scanMemoryLimit))
	}
	// Findings are kept on disk until the reports are written: beside the
	// reports when there is a folder for them.
	if f.out != "" {
		if err := os.MkdirAll(f.out, 0o755); err != nil {
			return usageErr("--out: %w", err)
		}
	}
	opt := scan.Options{Exclude: excludes, Workers: f.workers, Packs: packs, SpillDir: f.out}
	bar := a.progressBar(-1, "scanning", progressbar.OptionShowBytes(true), progressbar.OptionSpinnerType(14))
	if bar != nil {
		opt.Progress = func(n int64) { _ = bar.Add64(n) }
	}
	rep, err := scan.Paths(ctx, paths, opt)
	if bar != nil {
		_ = bar.Finish()
	}
	if err != nil && (rep == nil || ctx.Err() == nil) {
		if ctx.Err() != nil {
			return &exitError{code: outcome.ExitUndetermined, err: fmt.Errorf("UNDETERMINED: scan stopped: %w", err)}
		}
		return usageErr("%w", err)
	}
	defer rep.Close()
	stopped := err // the time limit or an interrupt: what was read is reported, the rest listed as not read
	rep.MapText(scan.Sanitize)
	folder := reportFolder(".")
	err = a.emit(formats, f.out, reports.Options{Version: version, Folder: folder, Lang: lang}, reports.ScanFiles(),
		func(f reports.Format) string { return f.ScanFile },
		func(f reports.Format, w io.Writer, opt reports.Options) error { return f.Scan(w, rep, opt) })
	if err != nil {
		return notWritten(err, fmt.Sprintf("scan, %d live finding(s)", rep.Counts.Live))
	}
	reportSkipped(a.stderr, rep)
	live := rep.Counts.Live
	switch v := outcome.Scan(live, len(rep.Skipped)); v {
	case outcome.NoGo:
		return &exitError{code: v.ExitCode(), err: fmt.Errorf("NO-GO: %d live card number(s) or secret(s) found", live)}
	case outcome.Undetermined:
		if stopped != nil {
			return &exitError{code: v.ExitCode(), err: fmt.Errorf("UNDETERMINED: nothing live found before the %w; %d path(s) not read", stopped, len(rep.Skipped))}
		}
		return &exitError{code: v.ExitCode(), err: fmt.Errorf("UNDETERMINED: nothing live found, but %d path(s) could not be read", len(rep.Skipped))}
	}
	return nil
}

// reportSkipped tells stderr what was not read, and what was excluded.
func reportSkipped(w io.Writer, r *scan.Report) {
	for _, s := range r.Skipped {
		fmt.Fprintf(w, "audit: not read: %s: %s\n", s.File, s.Reason)
	}
	for _, s := range r.Excluded {
		fmt.Fprintf(w, "audit: excluded: %s (%s): %s\n", s.File, s.Pattern, s.Reason)
	}
}
