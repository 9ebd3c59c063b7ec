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
		{"a chain of additions", "a = 1\nb = 1+1+1+1+1+1+1", true, 2},
		{"additions at the limit", "a = 1+1+1+1+1+1", false, 0},
		{"a chain split over lines in parentheses", "a = (1+\n1+\n1+\n1+\n1+\n1)", true, 5},
		{"separate items do not chain", "a = [1+1, 1+1, 1+1, 1+1, 1+1, 1+1]", false, 0},
		{"attributes on lines do not chain", "a = 1+1\nb = 1+1\nc = 1+1\nd = 1+1", false, 0},
		{"object items on lines do not chain", "a = {\n x = 1+1\n y = 1+1\n z = 1+1\n}", false, 0},
		{"unary chain", "a = !!!!!!true", true, 1},
		{"conditionals", "a = x ? 1 : y ? 2 : z ? 3 : 4", true, 1},
		{"dashes in names are no operators", "a-b-c-d-e-f-g = x-y-z-w-v-u", false, 0},
		{"two-character operators count once", "a = x == y && y != z", false, 0},
		{"operators in a heredoc interpolation", "a = <<EOT\n${1+1+1+1+1+1}\nEOT\n", true, 2},
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

func TestTokens(t *testing.T) {
	for _, tc := range []struct {
		name   string
		src    string
		tokens int // the count at which the source crosses
	}{
		{"attribute", "a = 1\n", 4},
		{"string", `a = "x y, z"`, 4}, // a = and the quotes
		{"interpolation", `a = "${b}"`, 7},
		{"comment", "# a b c d e f\na = 1", 5},         // # and its line end
		{"heredoc body", "a = <<EOT\nx y z\nEOT\n", 6}, // a = <, each of its lines, the last line end
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, ex := Exceeds([]byte(tc.src), Limits{Tokens: tc.tokens})
			assert.Equal(t, Fits, ex, "fits in %d", tc.tokens)
			_, ex = Exceeds([]byte(tc.src), Limits{Tokens: tc.tokens - 1})
			assert.Equal(t, Many, ex, "not in %d", tc.tokens-1)
		})
	}
	p, ex := Exceeds([]byte("a = 1\nb = 2\nc = 3\n"), Limits{Tokens: 11})
	assert.Equal(t, Many, ex)
	assert.Equal(t, Pos{Line: 3, Column: 6, Byte: 17}, p, "the line end of line 3, on line 3")
}

func TestHeredocLines(t *testing.T) {
	doc := func(n int) []byte {
		return []byte("a = 1\nb = <<-EOT\n" + strings.Repeat("  ${x} line\n", n) + "  EOT\nc = 2\n")
	}
	_, ex := Exceeds(doc(10), Limits{HeredocLines: 11})
	assert.Equal(t, Fits, ex, "ten lines and the closing one")
	p, ex := Exceeds(doc(10), Limits{HeredocLines: 5})
	assert.Equal(t, Long, ex)
	assert.Equal(t, Pos{Line: 8, Column: 1, Byte: 77}, p, "the sixth line")
	// An interpolation that starts a line is still counted as nesting.
	_, deep := TooDeep([]byte("a = <<EOT\n${[[[[[[1]]]]]]}\nEOT\n"), 5)
	assert.True(t, deep)
}

func TestTooDeepIsLinear(t *testing.T) {
	src := []byte("a = " + strings.Repeat("(", 100_000) + "1" + strings.Repeat(")", 100_000))
	p, deep := TooDeep(src, MaxNesting)
	require.True(t, deep)
	assert.Equal(t, Pos{Line: 1, Column: 4 + MaxNesting + 1, Byte: 4 + MaxNesting}, p)
}
