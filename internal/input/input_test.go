package input

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadFileRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	link := filepath.Join(dir, "zero")
	require.NoError(t, os.Symlink("/dev/zero", link))
	environ := filepath.Join(dir, "environ")
	require.NoError(t, os.Symlink("/proc/self/environ", environ))

	for _, tc := range []struct {
		name, path string
		is         error
		says       string
	}{
		{"fifo", fifo, ErrNotRegular, "it is a FIFO"},
		{"folder", dir, ErrNotRegular, "it is a folder"},
		{"device", "/dev/null", ErrForbidden, "/dev is never read"},
		{"link to a device", link, ErrForbidden, "/dev is never read"},
		{"proc through a link", environ, ErrForbidden, "/proc is never read"},
		{"proc", "/proc/self/environ", ErrForbidden, "/proc is never read"},
		{"sys", "/sys/kernel/mm/transparent_hugepage/enabled", ErrForbidden, "/sys is never read"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			done := make(chan error, 1)
			go func() { _, err := ReadFile(tc.path, MaxHCL); done <- err }()
			select {
			case err := <-done:
				require.Error(t, err)
				assert.ErrorIs(t, err, tc.is)
				assert.Contains(t, err.Error(), tc.says)
			case <-time.After(5 * time.Second):
				t.Fatal("ReadFile blocked") // a FIFO without a writer
			}
		})
	}
}

func TestReadFileCap(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big")
	require.NoError(t, os.WriteFile(p, []byte(strings.Repeat("x", 2049)), 0o600))
	_, err := ReadFile(p, 2048)
	assert.ErrorIs(t, err, ErrTooLarge)
	assert.Contains(t, err.Error(), "more than 2 KiB")
	data, err := ReadFile(p, 4096)
	require.NoError(t, err)
	assert.Len(t, data, 2049)
}

func TestReadAllCapsAGrowingStream(t *testing.T) {
	_, err := ReadAll(strings.NewReader(strings.Repeat("x", 101)), "stdin", 100)
	assert.True(t, errors.Is(err, ErrTooLarge))
}

func TestTooDeep(t *testing.T) {
	for _, tc := range []struct {
		name string
		src  string
		deep bool
		line int
	}{
		{"flat", `a = 1`, false, 0},
		{"parens at the limit", "a = " + strings.Repeat("(", 5) + "1" + strings.Repeat(")", 5), false, 0},
		{"parens over", "a = 1\nb = " + strings.Repeat("(", 6) + "1" + strings.Repeat(")", 6), true, 2},
		{"brackets in a string do not nest", `a = "` + strings.Repeat("(", 50) + `"`, false, 0},
		{"interpolations nest", `a = "${"${"${"${"${"${1}"}"}"}"}"}"`, true, 1},
		{"escaped interpolation", `a = "$${` + strings.Repeat("(", 50) + `"`, false, 0},
		{"comments", "# " + strings.Repeat("(", 50) + "\n// " + strings.Repeat("[", 50) + "\n/* " + strings.Repeat("{", 50) + " */\na = 1", false, 0},
		{"heredoc body", "a = <<EOT\n" + strings.Repeat("(", 50) + "\nEOT\nb = 1", false, 0},
		{"heredoc interpolation", "a = <<-EOT\n  ${[[[[[[1]]]]]]}\n  EOT\n", true, 2},
		{"unbalanced closers", strings.Repeat(")", 50) + "a = ((1))", false, 0},
		{"json", `{"a":[[[[[[1]]]]]]}`, true, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, deep := TooDeep([]byte(tc.src), 5)
			assert.Equal(t, tc.deep, deep)
			if tc.deep {
				assert.Equal(t, tc.line, p.Line)
			}
		})
	}
}

func TestTooDeepIsLinear(t *testing.T) {
	src := []byte("a = " + strings.Repeat("(", 100_000) + "1" + strings.Repeat(")", 100_000))
	p, deep := TooDeep(src, MaxNesting)
	require.True(t, deep)
	assert.Equal(t, Pos{Line: 1, Column: 4 + MaxNesting + 1, Byte: 4 + MaxNesting}, p)
}
