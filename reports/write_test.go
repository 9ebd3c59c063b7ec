package reports

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

func text(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

func TestWriteFilesReplacesTheEarlierRunWhole(t *testing.T) {
	dir := t.TempDir()
	known := []string{"audit.json", "audit.md", "audit.pdf"}
	require.NoError(t, WriteFiles(dir, []File{{"audit.json", text("one")}, {"audit.pdf", text("one")}}, known))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("the user's"), 0o644))

	// A failing report leaves the earlier run's files as they were.
	boom := errors.New("disk full")
	err := WriteFiles(dir, []File{{"audit.json", text("two")}, {"audit.md", func(io.Writer) error { return boom }}}, known)
	require.ErrorIs(t, err, boom)
	assert.Equal(t, []string{"audit.json", "audit.pdf", "notes.txt"}, dirNames(t, dir))
	got, _ := os.ReadFile(filepath.Join(dir, "audit.json"))
	assert.Equal(t, "one", string(got))

	// A finished run's files replace all known ones; others stay.
	require.NoError(t, WriteFiles(dir, []File{{"audit.md", text("three")}}, known))
	assert.Equal(t, []string{"audit.md", "notes.txt"}, dirNames(t, dir))
	info, err := os.Stat(filepath.Join(dir, "audit.md"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), info.Mode().Perm())
}

func TestNamedTempFilesAreCommittedOrRemoved(t *testing.T) {
	dir := t.TempDir()
	tf, err := createNamedTemp(dir)
	require.NoError(t, err)
	_, err = tf.f.WriteString("x")
	require.NoError(t, err)
	require.NoError(t, tf.commit(filepath.Join(dir, "audit.json")))
	tf.discard() // no-op once committed
	assert.Equal(t, []string{"audit.json"}, dirNames(t, dir))

	tf, err = createNamedTemp(dir)
	require.NoError(t, err)
	tf.discard()
	assert.Equal(t, []string{"audit.json"}, dirNames(t, dir))

	// Leftovers of killed runs go; look-alikes stay.
	for _, n := range []string{".audit-partial-7", ".audit.json.12345", ".audit.json.bak", ".audit.json."} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, n), nil, 0o644))
	}
	removeLeftovers(dir, []string{"audit.json"})
	assert.Equal(t, []string{".audit.json.", ".audit.json.bak", "audit.json"}, dirNames(t, dir))
}
