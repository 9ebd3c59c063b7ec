package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/audit-tool/audit/outcome"
	"github.com/audit-tool/audit/reports"
)

func newDiffCmd(a *app) *cobra.Command {
	var format, now, langName string
	cmd := &cobra.Command{
		Use:   "diff OLD.json NEW.json",
		Short: "Compare two stored results: new, fixed, regressed, unchanged steps",
		Long: `Compare two audit.json files step by step: which steps regressed, fail for the
first time, still fail, were fixed, appeared or disappeared, whether the verdict
changed, and which waivers of NEW expire within 30 days.

Exit codes: 0 nothing got worse, 1 a step regressed or a new step fails, 2 bad input.`,
		Example: `  audit diff last-release/audit.json build/audit/audit.json
  audit diff old.json new.json --format json --now 2026-11-23`,
		Args: cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			if err := reportFormat(format, "table", "json"); err != nil {
				return err
			}
			lang, err := parseLang(langName)
			if err != nil {
				return err
			}
			clock, err := a.clock(now)
			if err != nil {
				return err
			}
			prev, err := a.readResult(args[0])
			if err != nil {
				return err
			}
			next, err := a.readResult(args[1])
			if err != nil {
				return err
			}
			d := reports.Diff(prev, next, clock())
			if format == "json" {
				err = reports.DiffJSON(a.stdout, d)
			} else {
				err = reports.DiffTable(a.stdout, d, reports.Options{Color: a.colorOK(), Lang: lang})
			}
			if err != nil {
				return err
			}
			if d.Regressed() {
				return &exitError{code: outcome.ExitNoGo, err: fmt.Errorf("%d step(s) regressed, %d new failing", d.Counts[reports.Regressed], d.Counts[reports.New])}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&format, "format", "table", "table or json")
	fl.StringVar(&now, "now", "", "the date waiver expiries are counted from, RFC 3339 or YYYY-MM-DD (default: today)")
	langFlag(fl, &langName)
	return cmd
}
