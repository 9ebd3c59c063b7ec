package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Retention is what Prune keeps. A fleet run goes when it is not among the
// KeepRuns newest and, with Before set, started before it; single runs
// (`audit run --store`) go when they started before Before, except each
// merchant's newest. Baselines are the pages as last approved, not
// history: they are never pruned.
type Retention struct {
	KeepRuns int       // 0: no count limit (Before alone decides)
	Before   time.Time // zero: no date limit (KeepRuns alone decides)
	DryRun   bool      // count, delete nothing
}

// Pruned is what Prune deleted, or would delete on a dry run.
type Pruned struct {
	FleetRuns    []string // oldest first
	Results      int64    // rows of those fleet runs
	SingleRuns   int64    // rows of single runs
	KeptRuns     int
	DryRun       bool
	OldestKept   time.Time // start of the oldest fleet run kept (zero: none)
	NewestPruned time.Time // start of the newest fleet run pruned (zero: none)
}

// Prune deletes history by r in one transaction: a fleet report or diff
// reading at the same time sees the store before or after, never between.
// The newest fleet run is always kept.
func (s *Store) Prune(ctx context.Context, r Retention) (Pruned, error) {
	if r.KeepRuns < 0 {
		return Pruned{}, errors.New("store: prune: keep a positive number of fleet runs")
	}
	if r.KeepRuns == 0 && r.Before.IsZero() {
		return Pruned{}, errors.New("store: prune: give a number of fleet runs to keep or a date to prune before")
	}
	runs, err := s.FleetRuns(ctx)
	if err != nil {
		return Pruned{}, err
	}
	out := Pruned{DryRun: r.DryRun}
	keep := max(r.KeepRuns, 1) // the newest fleet run always stays
	for i, fr := range runs {  // oldest first
		rank := len(runs) - i // 1: the newest
		if rank > keep && (r.Before.IsZero() || fr.StartedAt.Before(r.Before)) {
			out.FleetRuns = append(out.FleetRuns, fr.ID)
			out.NewestPruned = fr.StartedAt
			continue
		}
		out.KeptRuns++
		if out.OldestKept.IsZero() {
			out.OldestKept = fr.StartedAt
		}
	}

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Pruned{}, fmt.Errorf("store: prune: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	var in string
	args := make([]any, len(out.FleetRuns))
	for i, id := range out.FleetRuns {
		args[i] = id
	}
	if len(args) > 0 {
		in = "(" + strings.TrimSuffix(strings.Repeat("?, ", len(args)), ", ") + ")"
		if err := tx.QueryRowContext(ctx, s.d.q(`SELECT COUNT(*) FROM results WHERE fleet_run IN `+in), args...).Scan(&out.Results); err != nil {
			return Pruned{}, fmt.Errorf("store: prune: %w", err)
		}
	}
	// A merchant's newest single run stays: it is what `audit run --store`
	// last said about the shop.
	singles := `FROM results WHERE fleet_run = '' AND started_at < ? AND id NOT IN (
		SELECT MAX(id) FROM results WHERE fleet_run = '' GROUP BY merchant)`
	if !r.Before.IsZero() {
		if err := tx.QueryRowContext(ctx, s.d.q(`SELECT COUNT(*) `+singles), s.d.time(r.Before)).Scan(&out.SingleRuns); err != nil {
			return Pruned{}, fmt.Errorf("store: prune: %w", err)
		}
	}
	if r.DryRun {
		return out, nil
	}
	if len(args) > 0 {
		if _, err := tx.ExecContext(ctx, s.d.q(`DELETE FROM results WHERE fleet_run IN `+in), args...); err != nil {
			return Pruned{}, fmt.Errorf("store: prune: %w", err)
		}
		if _, err := tx.ExecContext(ctx, s.d.q(`DELETE FROM fleet_runs WHERE id IN `+in), args...); err != nil {
			return Pruned{}, fmt.Errorf("store: prune: %w", err)
		}
	}
	if out.SingleRuns > 0 {
		if _, err := tx.ExecContext(ctx, s.d.q(`DELETE `+singles), s.d.time(r.Before)); err != nil {
			return Pruned{}, fmt.Errorf("store: prune: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return Pruned{}, fmt.Errorf("store: prune: %w", err)
	}
	return out, nil
}
