package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fill stores five weekly fleet runs of two merchants, three single runs of
// merchant a and one of b, and a baseline.
func fill(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	for w := 0; w < 5; w++ {
		id, at := fmt.Sprintf("w%d", 40+w), t0.Add(time.Duration(w)*7*24*time.Hour)
		require.NoError(t, s.StartFleetRun(ctx, id, at))
		require.NoError(t, s.Put(ctx, rec(id, "a", "GO", at)))
		require.NoError(t, s.Put(ctx, rec(id, "b", "NO-GO", at)))
	}
	for d := 0; d < 3; d++ {
		require.NoError(t, s.Put(ctx, rec("", "a", "GO", t0.Add(time.Duration(d)*24*time.Hour))))
	}
	require.NoError(t, s.Put(ctx, rec("", "b", "GO", t0)))
	require.NoError(t, s.PutBaseline(ctx, "a", "checkout", []byte(`{"scripts":[]}`), t0))
}

func TestPrune(t *testing.T) {
	week := 7 * 24 * time.Hour
	tests := []struct {
		name       string
		r          Retention
		pruned     []string
		results    int64
		singles    int64
		kept       []string
		oldestKept time.Time
	}{
		{"keep the newest two", Retention{KeepRuns: 2}, []string{"w40", "w41", "w42"}, 6, 0, []string{"w43", "w44"}, t0.Add(3 * week)},
		{"before a date", Retention{Before: t0.Add(2 * week)}, []string{"w40", "w41"}, 4, 2, []string{"w42", "w43", "w44"}, t0.Add(2 * week)},
		{"both: the stricter keeps", Retention{KeepRuns: 4, Before: t0.Add(3 * week)}, []string{"w40"}, 2, 2, []string{"w41", "w42", "w43", "w44"}, t0.Add(week)},
		{"the newest always stays", Retention{Before: t0.Add(52 * week)}, []string{"w40", "w41", "w42", "w43"}, 8, 2, []string{"w44"}, t0.Add(4 * week)},
		{"keep more than there are", Retention{KeepRuns: 10}, nil, 0, 0, []string{"w40", "w41", "w42", "w43", "w44"}, t0},
	}
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					ctx := context.Background()
					s := open(t, freshURL(t, name))
					fill(t, s)

					dry := tc.r
					dry.DryRun = true
					p, err := s.Prune(ctx, dry)
					require.NoError(t, err)
					assert.Equal(t, tc.pruned, p.FleetRuns)
					assert.Equal(t, tc.results, p.Results)
					assert.Equal(t, tc.singles, p.SingleRuns)
					runs, err := s.FleetRuns(ctx)
					require.NoError(t, err)
					require.Len(t, runs, 5, "a dry run deletes nothing")

					p, err = s.Prune(ctx, tc.r)
					require.NoError(t, err)
					assert.Equal(t, tc.pruned, p.FleetRuns)
					assert.Equal(t, len(tc.kept), p.KeptRuns)
					assert.Equal(t, tc.oldestKept, p.OldestKept)
					runs, err = s.FleetRuns(ctx)
					require.NoError(t, err)
					var ids []string
					for _, r := range runs {
						ids = append(ids, r.ID)
						assert.Len(t, latest(t, s, r.ID), 2, "a kept run keeps its results")
					}
					assert.Equal(t, tc.kept, ids)
					for _, id := range tc.pruned {
						assert.Empty(t, latest(t, s, id), id)
					}
					h, err := s.History(ctx, "b", 100)
					require.NoError(t, err)
					var single int
					for _, r := range h {
						if r.FleetRun == "" {
							single++
						}
					}
					assert.Equal(t, 1, single, "a merchant's newest single run stays")
					blob, _, err := s.Baseline(ctx, "a", "checkout")
					require.NoError(t, err)
					assert.NotEmpty(t, blob, "baselines are never pruned")
				})
			}
		})
	}
}

func TestPruneNeedsALimit(t *testing.T) {
	s := open(t, "sqlite://"+t.TempDir()+"/audit.db")
	_, err := s.Prune(context.Background(), Retention{})
	assert.ErrorContains(t, err, "give a number of fleet runs to keep or a date")
	_, err = s.Prune(context.Background(), Retention{KeepRuns: -1})
	assert.Error(t, err)
}

// freshURL is an empty store of backend.
func freshURL(t *testing.T, backend string) string {
	t.Helper()
	if backend == "sqlite" {
		return "sqlite://" + t.TempDir() + "/audit.db"
	}
	u, err := pg.NewDatabase(context.Background())
	require.NoError(t, err)
	return u
}
