package scan

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/audit-tool/audit/pack"
)

// logText builds size bytes of log lines dense in short numbers, with a
// card number in one line of 40, like the bench/ corpus.
func logText(size int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "2026-%02d-%02dT%02d:%02d:%02d.%03dZ INFO [worker-%d] req=%08x ip=10.%d.%d.%d GET /api/orders/%d 200 %dms amount=%d.%02d EUR epoch=17%011d ",
			1+r.IntN(12), 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60), r.IntN(1000), r.IntN(16), r.Uint32(),
			r.IntN(256), r.IntN(256), r.IntN(256), 1000000+r.IntN(9000000), r.IntN(900), r.IntN(500), r.IntN(100), r.Int64N(1e11))
		if i%40 == 7 {
			b.WriteString("card 4111 1111 1111 1111 sk_live_" + strings.Repeat("a1", 12))
		}
		fmt.Fprintf(&b, " session s%x user %d done\n", r.Uint64(), r.IntN(1e9))
	}
	return []byte(b.String()[:size])
}

// BenchmarkScanDetect: the detector as audit scan runs it (the built-in
// packs' key rules and test cards) over 8 MiB of logs, one core.
func BenchmarkScanDetect(b *testing.B) {
	buf := logText(8 << 20)
	d := detector{sw: builtinSweep(), cards: testCards{pack.Builtin()}}
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		d.scan(buf, cursor{}, len(buf), func(hit) {})
	}
}

func BenchmarkScanPaths(b *testing.B) {
	dir := b.TempDir()
	data := logText(64 << 20)
	for i := range 4 {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("app%d.log", i)), data[i*16<<20:(i+1)*16<<20], 0o644); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Paths(context.Background(), []string{dir}, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRedactClean(b *testing.B) {
	s := "audit: probe page.checkout: GET https://shop.example/checkout: 503 after 2024-11-23T10:00:00Z"
	b.ReportAllocs()
	for b.Loop() {
		if Redact(s) != s {
			b.Fatal("changed")
		}
	}
}

// BenchmarkScanBigFile: one 64 MiB log, split over the workers (16 MiB
// chunks) or read in one stream.
func BenchmarkScanBigFile(b *testing.B) {
	path := filepath.Join(b.TempDir(), "big.log")
	data := logText(64 << 20)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name  string
		split int64
	}{{"split", 0}, {"whole", -1}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				r, err := Paths(context.Background(), []string{path}, Options{SplitSize: bc.split})
				if err != nil {
					b.Fatal(err)
				}
				r.Close()
			}
		})
	}
}
