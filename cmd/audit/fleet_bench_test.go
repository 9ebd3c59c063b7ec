package main

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/audit-tool/audit/internal/fleetgen"
)

// BenchmarkFleetRun audits b.N generated merchants offline into SQLite,
// in-process: merchants/s is b.N over the time (bench/fleet.sh measures the
// binary, with PostgreSQL and shards).
func BenchmarkFleetRun(b *testing.B) {
	dir := b.TempDir()
	fleetFile, err := fleetgen.Write(dir, b.N, fleetgen.Options{Now: fleetNow})
	require.NoError(b, err)
	b.ResetTimer()
	code, _, stderr := audit(&testing.T{}, "fleet", "run", fleetFile, "--offline", "--engine", "static", "--now", fleetNowFlag,
		"--store", "sqlite://"+filepath.Join(dir, "bench.db"), "--fleet-run", "bench")
	b.StopTimer()
	if code != 1 && code != 3 {
		b.Fatalf("exit %d: %s", code, stderr)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "merchants/s")
}
