package main

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/audit-tool/audit/outcome"
)

// scanRSSLimit is the peak resident memory `audit scan` may take,
// however many findings: they are streamed, not held.
const scanRSSLimit = 64 << 20

// cardsGzip writes a gzip of n lines, each with a live Visa number, and
// returns its path and the first number.
func cardsGzip(t testing.TB, dir string, n int) (string, string) {
	t.Helper()
	path := filepath.Join(dir, "cards.log.gz")
	f, err := os.Create(path)
	require.NoError(t, err)
	zw := gzip.NewWriter(f)
	bw := bufio.NewWriter(zw)
	r := rand.New(rand.NewPCG(3, 5))
	first := ""
	for i := range n {
		pan := luhnComplete(fmt.Sprintf("453957%09d", r.IntN(1e9)))
		if i == 0 {
			first = pan
		}
		fmt.Fprintf(bw, "order %d card %s paid\n", i, pan)
	}
	require.NoError(t, bw.Flush())
	require.NoError(t, zw.Close())
	require.NoError(t, f.Close())
	return path, first
}

// TestScanFindingsStreamed: 50,000 card numbers in one gzip (more than a
// worker keeps in memory: they are spilled to --out), written in every
// scan format: every one is reported, masked, and the spill is removed.
// The peak RSS bound is BenchmarkScanMillionCards': on a machine shared
// with other builds a child's RSS is no steady figure for a unit test.
func TestScanFindingsStreamed(t *testing.T) {
	const n = 50_000
	dir := t.TempDir()
	path, first := cardsGzip(t, dir, n)
	out := filepath.Join(dir, "out")
	code, stdout, stderr, ps := auditChildState(t, dir, childLimits{memory: 2 << 30, cpu: 120},
		"scan", path, "--format", "json,sarif,table,github", "--out", out)
	require.Equal(t, outcome.ExitNoGo, code, tail(stderr))
	t.Logf("peak RSS %.1f MiB for %d findings", float64(maxRSS(t, ps))/(1<<20), n)
	for _, f := range []string{"scan.json", "scan.sarif"} {
		b, err := os.ReadFile(filepath.Join(out, f))
		require.NoError(t, err)
		assert.NotContains(t, string(b), first)
		if f == "scan.json" {
			assert.Equal(t, n, strings.Count(string(b), `"type":"pan"`))
		} else {
			assert.Equal(t, n, strings.Count(string(b), `"ruleId": "pan"`))
		}
	}
	assert.Equal(t, n, strings.Count(stdout, "::error "), "a github annotation per finding")
	assert.Contains(t, stdout, fmt.Sprintf("%d card numbers", n))
	assert.NotContains(t, stdout, first)
	left, err := filepath.Glob(filepath.Join(out, "audit-scan-findings-*"))
	require.NoError(t, err)
	assert.Empty(t, left, "the spilled findings are removed")
}

// BenchmarkScanMillionCards reports the peak RSS of `audit scan` over a
// gzip of a million card numbers, in each format, and fails over 64 MiB.
func BenchmarkScanMillionCards(b *testing.B) {
	dir := b.TempDir()
	path, _ := cardsGzip(b, dir, 1_000_000)
	t := &testing.T{}
	for _, format := range []string{"json", "sarif", "table", "github"} {
		b.Run(format, func(b *testing.B) {
			var rss int64
			for b.Loop() {
				code, _, stderr, ps := auditChildState(t, dir, childLimits{memory: 2 << 30, cpu: 600}, "scan", path, "--format", format, "--out", filepath.Join(dir, "out"))
				if code != outcome.ExitNoGo {
					b.Fatalf("exit %d: %s", code, tail(stderr))
				}
				rss = max(rss, maxRSS(t, ps))
			}
			b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MiB")
			if rss >= scanRSSLimit {
				b.Fatalf("peak RSS %d bytes, over %d", rss, scanRSSLimit)
			}
		})
	}
}
