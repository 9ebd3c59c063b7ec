package walk

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func write(t *testing.T, p, s string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
	require.NoError(t, os.WriteFile(p, []byte(s), 0o644))
}

func collect(t *testing.T, roots []string, opt Options) ([]File, []Skip) {
	t.Helper()
	var files []File
	skips, err := Walk(context.Background(), roots, opt, func(f File) error {
		files = append(files, f)
		return nil
	})
	require.NoError(t, err)
	return files, skips
}

func names(files []File) []string {
	var out []string
	for _, f := range files {
		out = append(out, f.Name)
	}
	return out
}

func TestWalkReportsEverySkip(t *testing.T) {
	outside := t.TempDir()
	write(t, filepath.Join(outside, "secret.log"), "x")
	dir := t.TempDir()
	root := filepath.Join(dir, "app")
	write(t, filepath.Join(root, "a.txt"), "a")
	write(t, filepath.Join(root, "big.bin"), "0123456789")
	write(t, filepath.Join(root, "src", "legacy", "old.go"), "x")
	write(t, filepath.Join(root, "src", "new.go"), "x")
	write(t, filepath.Join(root, "node_modules", "m", "i.js"), "x")
	require.NoError(t, os.Symlink(filepath.Join(outside, "secret.log"), filepath.Join(root, "out.log")))
	require.NoError(t, os.Symlink(outside, filepath.Join(root, "outdir")))
	require.NoError(t, os.Symlink(filepath.Join(root, "nowhere"), filepath.Join(root, "dangling")))
	require.NoError(t, os.Symlink("loop2", filepath.Join(root, "loop1")))
	require.NoError(t, os.Symlink("loop1", filepath.Join(root, "loop2")))
	require.NoError(t, os.Symlink(".", filepath.Join(root, "src", "self")))
	require.NoError(t, os.Symlink("a.txt", filepath.Join(root, "in.txt")))
	require.NoError(t, syscall.Mkfifo(filepath.Join(root, "pipe"), 0o644))

	files, skips := collect(t, []string{root}, Options{
		Base: root, MaxSize: 5,
		Exclude: []Exclude{
			{Pattern: "src/legacy/**", Reason: "retired code"},
			{Pattern: "node_modules", Reason: "third-party"},
		},
	})
	assert.Equal(t, []string{root + "/a.txt", root + "/in.txt", root + "/src/new.go"}, names(files))
	got := map[string]string{}
	for _, s := range skips {
		got[filepath.Base(s.Name)] = s.Reason
		assert.Equal(t, s.Pattern == "", s.Gap, s.Name)
	}
	assert.Equal(t, map[string]string{
		"big.bin":      "over the size cap (10 bytes > 5)",
		"legacy":       "retired code",
		"node_modules": "third-party",
		"out.log":      ReasonLinkOut,
		"outdir":       ReasonLinkOut,
		"dangling":     ReasonBrokenLink,
		"loop1":        ReasonLinkLoop,
		"loop2":        ReasonLinkLoop,
		"self":         ReasonLinkLoop,
		"pipe":         ReasonFIFO,
	}, got)
}

// Excludes are relative to Base (the integration folder), not to the
// root scanned: the same pattern means the same files for every probe.
func TestWalkExcludesRelativeToBase(t *testing.T) {
	base := t.TempDir()
	write(t, filepath.Join(base, "src", "legacy", "old.go"), "x")
	write(t, filepath.Join(base, "src", "app.go"), "x")
	files, _ := collect(t, []string{filepath.Join(base, "src")}, Options{
		Base: base, Exclude: []Exclude{{Pattern: "src/legacy/**", Reason: "r"}},
	})
	assert.Equal(t, []string{filepath.Join(base, "src", "app.go")}, names(files))
	files, _ = collect(t, []string{filepath.Join(base, "src")}, Options{
		Base: base, Exclude: []Exclude{{Pattern: "legacy/**", Reason: "r"}}, // not relative to the root
	})
	assert.Len(t, files, 2)
}

func TestWalkGitignoreIsAFact(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, ".gitignore"), "*.log\n/build/\n!keep.log\n")
	write(t, filepath.Join(root, "app.log"), "x")
	write(t, filepath.Join(root, "keep.log"), "x")
	write(t, filepath.Join(root, "build", "out.js"), "x")
	write(t, filepath.Join(root, "src", "build", "x.go"), "x")
	write(t, filepath.Join(root, "src", ".gitignore"), "gen/\n")
	write(t, filepath.Join(root, "src", "gen", "g.go"), "x")
	write(t, filepath.Join(root, "src", "main.go"), "x")
	files, _ := collect(t, []string{root}, Options{Base: root})
	ignored := map[string]bool{}
	for _, f := range files {
		rel, _ := filepath.Rel(root, f.Path)
		ignored[filepath.ToSlash(rel)] = f.Ignored
	}
	assert.Equal(t, map[string]bool{
		".gitignore": false, "app.log": true, "keep.log": false, "build/out.js": true,
		"src/build/x.go": false, "src/.gitignore": false, "src/gen/g.go": true, "src/main.go": false,
	}, ignored)
}

func TestWalkRejectsBadPatternAndMissingRoot(t *testing.T) {
	_, err := Walk(context.Background(), []string{t.TempDir()}, Options{Exclude: []Exclude{{Pattern: "a/[b"}}}, func(File) error { return nil })
	require.ErrorContains(t, err, `exclude "a/[b"`)
	_, err = Walk(context.Background(), []string{filepath.Join(t.TempDir(), "missing")}, Options{}, func(File) error { return nil })
	require.Error(t, err)
}

// Ignored answers as Walk does for a single file, from the base folder's
// .gitignore chain.
func TestIgnoredMatchesWalk(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, ".gitignore"), "*.log\n/build/\n!keep.log\n")
	write(t, filepath.Join(root, "keys", ".gitignore"), "privateKey.pem\n")
	for _, f := range []string{"app.log", "keep.log", "build/out.js", "src/build/x.go", "keys/privateKey.pem", "keys/init.rb"} {
		write(t, filepath.Join(root, filepath.FromSlash(f)), "x")
	}
	files, _ := collect(t, []string{root}, Options{Base: root})
	for _, f := range files {
		assert.Equal(t, f.Ignored, Ignored(root, f.Path), f.Name)
	}
	assert.True(t, Ignored(root, filepath.Join(root, "keys", "privateKey.pem")))
	assert.False(t, Ignored(root, filepath.Join(root, "keys", "init.rb")))
	assert.False(t, Ignored(filepath.Join(root, "keys"), filepath.Join(root, "app.log")), "outside base")
}

// Nested roots visit each file once.
func TestWalkNestedRootsVisitOnce(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "logs", "app.log"), "x")
	write(t, filepath.Join(root, "main.go"), "x")
	files, _ := collect(t, []string{root, filepath.Join(root, "logs"), root}, Options{Base: root})
	assert.Len(t, files, 2)
}

// FuzzGitignore: any .gitignore line parses or is dropped, and matching
// never panics.
func FuzzGitignore(f *testing.F) {
	for _, s := range []string{"*.log", "/build/", "!keep.log", "a/**/b", "\\#x", "[", "**", "a/[b-"} {
		f.Add(s, "a/b/c.log")
	}
	f.Fuzz(func(t *testing.T, line, rel string) {
		r, ok := parseIgnore(line)
		if !ok {
			return
		}
		ign := &ignores{dir: "", rules: []ignoreRule{r}}
		_ = ign.match(rel)
	})
}
