package main

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/audit-tool/audit/store"
)

func TestFleetPrune(t *testing.T) {
	url := "sqlite://" + filepath.Join(t.TempDir(), "audit.db")
	ctx := context.Background()
	st, err := store.Open(ctx, url)
	require.NoError(t, err)
	t0 := time.Date(2026, 10, 5, 6, 0, 0, 0, time.UTC)
	for w := 0; w < 4; w++ {
		id, at := fmt.Sprintf("2026-w%d", 41+w), t0.Add(time.Duration(w)*7*24*time.Hour)
		require.NoError(t, st.StartFleetRun(ctx, id, at))
		require.NoError(t, st.Put(ctx, store.Record{FleetRun: id, Merchant: "cafe", Verdict: "UNDETERMINED", StartedAt: at, FinishedAt: at, Error: "x"}))
	}
	require.NoError(t, st.Close())

	tests := []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"--keep-runs", "2", "--dry-run"}, 0, "would prune 2 fleet runs (2026-w41, 2026-w42, newest started 2026-10-12): 2 results, and 0 single runs\nkept 2 fleet runs, the oldest started 2026-10-19; page baselines are kept\n"},
		{[]string{"--before", "2026-10-13"}, 0, "pruned 2 fleet runs (2026-w41, 2026-w42, newest started 2026-10-12): 2 results, and 0 single runs\n"},
		{[]string{"--keep-runs", "1"}, 0, "pruned 1 fleet run (2026-w43, newest started 2026-10-19): 1 result, and 0 single runs\nkept 1 fleet run, the oldest started 2026-10-26"},
		{[]string{"--keep-runs", "1"}, 0, "pruned no fleet run: 0 results"},
		{nil, 2, ""},
		{[]string{"--keep-runs", "-3"}, 2, ""},
		{[]string{"--before", "last week"}, 2, ""},
	}
	for _, tc := range tests {
		code, out, stderr := audit(t, append([]string{"fleet", "prune", "--store", url}, tc.args...)...)
		assert.Equal(t, tc.code, code, "%v: %s", tc.args, stderr)
		assert.Contains(t, out, tc.out, tc.args)
	}
	code, out, _ := audit(t, "fleet", "report", "--store", url, "--format", "json")
	assert.NotEqual(t, 2, code, out)
	assert.Contains(t, out, "2026-w44", "the newest fleet run is still reported")
}
