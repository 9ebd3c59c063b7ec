package scan

import (
	"context"
	"io/fs"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestProgressSeesEveryFile: each file walked is reported once, with its
// size on disk, whatever the number of workers.
func TestProgressSeesEveryFile(t *testing.T) {
	const root = "testdata/tree"
	var files int
	var size int64
	require.NoError(t, filepath.WalkDir(root, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		info, err := d.Info()
		files++
		size += info.Size()
		return err
	}))
	for _, workers := range []int{1, 4} {
		var mu sync.Mutex
		var calls int
		var seen int64
		_, err := Paths(context.Background(), []string{root}, Options{Workers: workers, Progress: func(n int64) {
			mu.Lock()
			defer mu.Unlock()
			calls++
			seen += n
		}})
		require.NoError(t, err)
		assert.Equal(t, files, calls, "workers %d", workers)
		assert.Equal(t, size, seen, "workers %d", workers)
	}
}
