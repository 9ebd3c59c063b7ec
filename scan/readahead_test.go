package scan

import (
	"context"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadAhead(t *testing.T) {
	const n = 10000
	count := func(emit func(int) bool) int {
		for i := range n {
			if !emit(i) {
				return i
			}
		}
		return n
	}
	var got []int
	var produced int
	took := readAhead(func(emit func(int) bool) { produced = count(emit) }, func(v int) bool { got = append(got, v); return true })
	assert.True(t, took)
	assert.Equal(t, n, produced)
	require.Len(t, got, n)
	for i, v := range got {
		require.Equal(t, i, v, "in order")
	}

	// Stopped early, at every kind of place: the producer is told, and has
	// returned when readAhead does.
	before := runtime.NumGoroutine()
	for _, stopAt := range []int{0, 1, 255, 256, 257, 1000, n - 1} {
		got = got[:0]
		returned := false
		took := readAhead(func(emit func(int) bool) { count(emit); returned = true }, func(v int) bool {
			if v == stopAt {
				return false
			}
			got = append(got, v)
			return true
		})
		assert.False(t, took, "stop at %d", stopAt)
		assert.True(t, returned, "stop at %d: the producer returned", stopAt)
		assert.Len(t, got, stopAt)
	}
	time.Sleep(10 * time.Millisecond)
	assert.LessOrEqual(t, runtime.NumGoroutine(), before, "no goroutine left behind")

	// A panic while producing reaches the caller's goroutine.
	assert.PanicsWithValue(t, "hostile", func() {
		readAhead(func(emit func(int) bool) { emit(1); panic("hostile") }, func(int) bool { return true })
	})
}

// Findings read ahead (many) or not (few) are the same, and a renderer
// that stops early stops the reading.
func TestFindingsReadAhead(t *testing.T) {
	var text []byte
	for i := range 3000 {
		text = append(text, []byte("order "+string(rune('a'+i%26))+" card 4539 5787 6362 1486 sk_live_51HqLyjWDarjtT1zdp7dcXcHf\n")...)
	}
	dir := t.TempDir()
	write(t, filepath.Join(dir, "orders.log"), text)
	rep, err := Paths(context.Background(), []string{dir}, Options{})
	require.NoError(t, err)
	defer rep.Close()
	require.GreaterOrEqual(t, rep.Counts.Findings(), readAheadMin)
	rep.MapText(Sanitize)
	var ahead []Finding
	for f := range rep.Findings() {
		ahead = append(ahead, f)
	}
	require.NoError(t, rep.Err())
	require.Len(t, ahead, rep.Counts.Findings())
	for i, f := range ahead {
		require.Equal(t, i/2+1, f.Line, "sorted: two findings a line")
	}
	n := 0
	for range rep.Findings() {
		if n++; n == 700 {
			break
		}
	}
	assert.Equal(t, 700, n)
}
