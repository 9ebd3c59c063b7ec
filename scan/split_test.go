package scan

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSplitBoundaries: a file split into chunks gives the findings, lines
// and columns of the same file read in one stream, with values planted
// across, right before, right after and exactly on chunk boundaries.
func TestSplitBoundaries(t *testing.T) {
	const split = 4096
	pem := "-----BEGIN PRIVATE KEY-----\n" + strings.Repeat("MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTU4539578763621486\n", 120) + "-----END PRIVATE KEY-----\n"
	values := []string{
		"4539578763621486", "4539 5787 6362 1486", "4539-5787-6362-1486", "sk_live_51HqLyjWDarjtT1zdp7dcXcHf",
		"%B4539578763621486^DOE/JOHN^2512101000000000?", "453957******1486", "**** **** **** 1486", "4539578763621486 cvv 123",
		"378282246310005", "6011000990139424",
	}
	tests := []struct {
		name  string
		at    func(boundary, n int) int // where a value of n bytes starts
		text  func(i int) []byte        // the background, i bytes
		bom   bool
		every int // plant at every every-th boundary
	}{
		{"straddling", func(b, n int) int { return b - n/2 }, logBackground, false, 1},
		{"ending on the boundary", func(b, n int) int { return b - n }, logBackground, false, 1},
		{"starting on the boundary", func(b, n int) int { return b }, logBackground, false, 1},
		{"one byte before", func(b, n int) int { return b - 1 }, logBackground, false, 1},
		{"one byte after", func(b, n int) int { return b + 1 }, logBackground, false, 1},
		{"one long line", func(b, n int) int { return b - n/2 }, func(i int) []byte { return bytes.Repeat([]byte("x "), i/2+1)[:i] }, false, 3},
		{"CRLF lines after a BOM", func(b, n int) int { return b - n/3 }, func(i int) []byte {
			return bytes.Repeat([]byte("order paid 2026-01-01\r\n"), i/23+1)[:i]
		}, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const size = 400 << 10
			data := tt.text(size)
			k := 0
			for b := split; b+split < size; b += split {
				k++
				if k%tt.every != 0 {
					continue
				}
				v := values[k%len(values)]
				if k%17 == 0 {
					v = pem // a key over several chunks: digits in its body are no card
				}
				at := tt.at(b, len(v))
				if at < 8 || at+len(v)+8 > size {
					continue
				}
				// Spaces around the value, the background on both sides.
				copy(data[at-1:], " "+v+" ")
			}
			if tt.bom {
				data = append(append([]byte{}, bomUTF8...), data...)
			}
			path := filepath.Join(t.TempDir(), "big.log")
			require.NoError(t, os.WriteFile(path, data, 0o644))
			whole, err := Paths(context.Background(), []string{path}, Options{SplitSize: -1, Workers: 1})
			require.NoError(t, err)
			want, wantMasked := slices.Collect(whole.Findings()), slices.Collect(whole.MaskedPANs())
			require.Greater(t, len(want), 20)
			for _, workers := range []int{1, 3} {
				r, err := Paths(context.Background(), []string{path}, Options{SplitSize: split, Workers: workers})
				require.NoError(t, err)
				assert.True(t, slices.ContainsFunc(r.groups, func(g group) bool { return g.split != nil }), "the file is split")
				assert.Equal(t, want, slices.Collect(r.Findings()), "%d workers", workers)
				assert.Equal(t, wantMasked, slices.Collect(r.MaskedPANs()), "%d workers", workers)
				assert.Equal(t, whole.Counts, r.Counts)
				assert.Equal(t, whole.BytesScanned, r.BytesScanned)
				require.NoError(t, r.Close())
			}
			require.NoError(t, whole.Close())
		})
	}
}

// logBackground is log text without card numbers.
func logBackground(n int) []byte {
	b := logText(n + 4096)
	return bytes.ReplaceAll(b, []byte("card 4111 1111 1111 1111 sk_live_"+strings.Repeat("a1", 12)), []byte(strings.Repeat("-", 58)))[:n]
}
