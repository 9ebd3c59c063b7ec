package scan

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/audit-tool/audit/pack"
)

func BenchmarkZZCorpus(b *testing.B) {
	var bufs [][]byte
	n := 0
	for _, d := range []string{"src", "logs", "web", "db", "exports", "scripts"} {
		fs, _ := filepath.Glob("/tmp/audit-scan-bench/corpus/" + d + "/000/*")
		for _, f := range fs[:2] {
			x, _ := os.ReadFile(f)
			bufs = append(bufs, x)
			n += len(x)
		}
	}
	d := detector{rules: pack.Builtin().SecretMatcher(), cards: testCards{pack.Builtin()}}
	b.SetBytes(int64(n))
	c0 := zzcpu()
	for b.Loop() {
		for _, x := range bufs {
			for at := (cursor{}); at.pans < len(x); {
				to := min(len(x), max(at.pans, at.secrets)+scanBlock)
				at = d.scan(x, at, to, func(hit) {})
			}
		}
	}
	b.ReportMetric(float64(zzcpu()-c0)/float64(b.N)/1e6, "cpu-ms/op")
}

func zzcpu() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}
