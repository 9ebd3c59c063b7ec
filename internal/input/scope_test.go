package input

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestScopeResolvesLinksAndAllowedFolders(t *testing.T) {
	parent := t.TempDir()
	root, shared := filepath.Join(parent, "shop"), filepath.Join(parent, "shared")
	for _, d := range []string{root, shared, filepath.Join(root, "sub")} {
		require.NoError(t, os.MkdirAll(d, 0o755))
	}
	for _, f := range []string{filepath.Join(root, "in.txt"), filepath.Join(shared, "out.txt")} {
		require.NoError(t, os.WriteFile(f, []byte("x"), 0o644))
	}
	require.NoError(t, os.Symlink(filepath.Join(shared, "out.txt"), filepath.Join(root, "link.txt")))
	require.NoError(t, os.Symlink(shared, filepath.Join(root, "sub", "dir")))
	require.NoError(t, os.Symlink("in.txt", filepath.Join(root, "inner.txt")))

	s := NewScope(root)
	for _, tc := range []struct {
		path    string
		outside bool
	}{
		{"in.txt", false},
		{"inner.txt", false},
		{"sub/../in.txt", false},
		{"missing/optional.txt", false},
		{"link.txt", true},
		{"sub/dir/out.txt", true},
		{"../shared/out.txt", true},
		{"sub/dir/missing.txt", true},
	} {
		err := s.Check(filepath.Join(root, tc.path))
		if !tc.outside {
			assert.NoError(t, err, tc.path)
			continue
		}
		assert.ErrorIs(t, err, ErrOutside, tc.path)
		_, err = s.ReadFile(filepath.Join(root, tc.path), 10)
		assert.Error(t, err, tc.path)
	}
	data, err := s.ReadFile(filepath.Join(root, "inner.txt"), 10)
	require.NoError(t, err)
	assert.Equal(t, "x", string(data))

	allowed := NewScope(root, shared)
	_, err = allowed.ReadFile(filepath.Join(root, "link.txt"), 10)
	assert.NoError(t, err)

	var none *Scope // --checklist runs: anywhere, but never host state
	_, err = none.ReadFile(filepath.Join(root, "link.txt"), 10)
	assert.NoError(t, err)
	require.NoError(t, os.Symlink("/proc/self/environ", filepath.Join(root, "env")))
	_, err = none.ReadFile(filepath.Join(root, "env"), 1<<20)
	assert.ErrorIs(t, err, ErrForbidden)
}

// The check on the descriptor is what refuses a swap between a check and
// the read: openedPath names where the opened file really is.
func TestOpenedPathIsTheResolvedFile(t *testing.T) {
	dir := t.TempDir()
	real, err := filepath.EvalSymlinks(dir)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a"), nil, 0o644))
	require.NoError(t, os.Symlink("a", filepath.Join(dir, "b")))
	f, err := os.Open(filepath.Join(dir, "b"))
	require.NoError(t, err)
	defer f.Close()
	assert.Equal(t, filepath.Join(real, "a"), openedPath(f))
}
