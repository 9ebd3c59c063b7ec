package main

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/audit-tool/audit/reports"
	"github.com/audit-tool/audit/scan"

	"github.com/audit-tool/audit/internal/input"
)

func newReportCmd(a *app) *cobra.Command {
	var format, out, lang string
	cmd := &cobra.Command{
		Use:   "report RESULT.json",
		Short: "Re-render a stored result (exit code as its verdict)",
		Long: `Re-render an audit.json written by 'audit run --format json' in other formats,
without running anything again: the verdict, statuses and evidence are the stored ones.

One format without --out goes to stdout; with --out each format is a file
there (the table still to stdout).
Exit codes: the verdict's (0 GO, 1 NO-GO, 3 undetermined), recomputed from the stored
steps (stderr says so when the stored verdict disagrees), 2 when RESULT.json cannot be
read or is not a result, 4 when a report could not be written.`,
		Example: `  audit report build/audit/audit.json
  audit report build/audit/audit.json --format pdf,markdown --out build/audit`,
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			res, err := a.readResult(args[0])
			if err != nil {
				return err
			}
			formats, err := reports.ParseFormats(format)
			if err != nil {
				return usageErr("--format: %w", err)
			}
			if err := a.checkOut(formats, format, out); err != nil {
				return err
			}
			l, err := parseLang(lang)
			if err != nil {
				return err
			}
			if err := a.render(res, formats, out, l); err != nil {
				return err
			}
			return verdictErr(res.Verdict)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&format, "format", "table", "comma-separated: "+strings.Join(reports.FormatNames(), ", "))
	langFlag(fl, &lang)
	fl.StringVarP(&out, "out", "o", "", "folder for report files (audit.json, audit.junit.xml, audit.sarif, audit.md, audit.pdf)")
	return cmd
}

// readResult reads a stored result; any failure is a usage error (exit 2).
// The verdict and summary are recomputed from the steps, and stderr says
// so when the stored ones disagree: a result edited to say GO beside
// failing steps must not pass a gate.
func (a *app) readResult(path string) (*reports.Result, error) {
	res, err := readResult(path)
	if err != nil {
		return nil, err
	}
	stored := res.Verdict
	res.Decide()
	if stored != res.Verdict {
		fmt.Fprintf(a.stderr, "audit: %s: the stored verdict %s disagrees with its steps, which give %s; %s it is\n",
			path, scan.Sanitize(string(stored)), res.Verdict, res.Verdict)
	}
	return res, nil
}

// readResult reads a stored result as stored.
func readResult(path string) (*reports.Result, error) {
	data, err := input.ReadFile(path, input.MaxResult)
	if err != nil {
		return nil, usageErr("%w", err)
	}
	res, err := reports.ReadJSON(bytes.NewReader(data))
	if err != nil {
		return nil, usageErr("%s: %w", path, err)
	}
	// A stored result may have been written by another tool or edited.
	res.MapText(scan.Sanitize)
	return res, nil
}

// reportFormat checks a --format of a command that writes one report to
// stdout.
func reportFormat(format string, allowed ...string) error {
	for _, name := range allowed {
		if format == name {
			return nil
		}
	}
	return usageErr("--format %q is not one of %s", format, strings.Join(allowed, ", "))
}
