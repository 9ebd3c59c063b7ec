package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/audit-tool/audit/outcome"
	"github.com/audit-tool/audit/store"
)

func newFleetPruneCmd(a *app) *cobra.Command {
	var storeURL, before string
	var r store.Retention
	cmd := &cobra.Command{
		Use:   "prune",
		Short: "Delete old fleet runs from the store (retention)",
		Long: `Delete the history a store no longer needs: fleet runs that are not among the
--keep-runs newest and, with --before, started before that date; single runs
(audit run --store) started before --before, except each merchant's newest.
The newest fleet run and every page baseline are always kept. One transaction:
a report reading at the same time sees the store before or after.

Keep what your assessor asks for: a quarterly comparison needs the runs of the
last quarters. A SQLite file gives the space back only after VACUUM.

Exit codes: 0 pruned (or nothing to prune), 2 bad input.`,
		Example: `  audit fleet prune --store postgres://audit@db/audit --keep-runs 60 --dry-run
  audit fleet prune --store sqlite://fleet/audit-fleet.db --before 2025-12-01`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if before != "" {
				clock, err := a.clock(before)
				if err != nil {
					return usageErr("--before %q is neither RFC 3339 nor YYYY-MM-DD", before)
				}
				r.Before = clock()
			}
			if r.KeepRuns < 0 {
				return usageErr("--keep-runs must be positive")
			}
			if r.KeepRuns == 0 && r.Before.IsZero() {
				return usageErr("give --keep-runs N, --before DATE or both")
			}
			ctx := cmd.Context()
			st, err := a.openStore(ctx, storeURL)
			if err != nil {
				return err
			}
			defer st.Close()
			p, err := st.Prune(ctx, r)
			if err != nil {
				return &exitError{code: outcome.ExitUsage, err: err}
			}
			a.printPruned(p)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&storeURL, "store", "", "sqlite://PATH or postgres://USER@HOST/DB (default $"+envStore+", else sqlite://"+defaultStoreFile+")")
	fl.IntVar(&r.KeepRuns, "keep-runs", 0, "keep this many of the newest fleet runs")
	fl.StringVar(&before, "before", "", "prune what started before this date, RFC 3339 or YYYY-MM-DD")
	fl.BoolVar(&r.DryRun, "dry-run", false, "say what would be deleted, delete nothing")
	return cmd
}

func (a *app) printPruned(p store.Pruned) {
	plural := func(n int) string {
		if n == 1 {
			return ""
		}
		return "s"
	}
	verb := "pruned"
	if p.DryRun {
		verb = "would prune"
	}
	runs := "no fleet run"
	if n := len(p.FleetRuns); n > 0 {
		runs = fmt.Sprintf("%d fleet run%s (%s, newest started %s)", n, plural(n), strings.Join(p.FleetRuns, ", "), p.NewestPruned.Format(time.DateOnly))
	}
	fmt.Fprintf(a.stdout, "%s %s: %d result%s, and %d single run%s\n", verb, runs, p.Results, plural(int(p.Results)), p.SingleRuns, plural(int(p.SingleRuns)))
	kept := fmt.Sprintf("kept %d fleet run%s", p.KeptRuns, plural(p.KeptRuns))
	if !p.OldestKept.IsZero() {
		kept += ", the oldest started " + p.OldestKept.Format(time.DateOnly)
	}
	fmt.Fprintln(a.stdout, kept+"; page baselines are kept")
}
