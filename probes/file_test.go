package probes

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zclconf/go-cty/cty"
)

func fileMatches(t *testing.T, v cty.Value, name string) []string {
	t.Helper()
	var out []string
	for it := v.GetAttr("matches").Index(cty.StringVal(name)).ElementIterator(); it.Next(); {
		_, m := it.Element()
		line, _ := m.GetAttr("line").AsBigFloat().Int64()
		out = append(out, fmt.Sprintf("%s:%d %s", m.GetAttr("file").AsString(), line, m.GetAttr("text").AsString()))
	}
	return out
}

func TestFileFacts(t *testing.T) {
	dir := t.TempDir()
	content := "server {\n  listen 443 ssl;\n\tssl_protocols TLSv1 TLSv1.2;\n  # ssl_protocols TLSv1.3;\n}"
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "conf"), 0o755))
	path := filepath.Join(dir, "conf", "site.conf")
	require.NoError(t, os.WriteFile(path, []byte(content), 0o640))
	require.NoError(t, os.Chmod(path, 0o640)) // independent of the umask

	v, err := kindRun(t, File{}, &Env{BaseDir: dir}, `
path = "conf/site.conf"
patterns = {
  protocols = "^\\s*ssl_protocols"
  tls10     = "TLSv1[ ;]"
  brace     = "}$"
  none      = "nothing matches this"
}`)
	require.NoError(t, err)
	sum := sha256.Sum256([]byte(content))
	assert.Equal(t, "conf/site.conf", v.GetAttr("path").AsString())
	assert.True(t, v.GetAttr("exists").True())
	assert.Equal(t, cty.NumberIntVal(int64(len(content))), v.GetAttr("size"))
	assert.Equal(t, hex.EncodeToString(sum[:]), v.GetAttr("sha256").AsString())
	assert.Equal(t, "0640", v.GetAttr("mode").AsString())
	assert.Equal(t, []string{"conf/site.conf:3 ssl_protocols TLSv1 TLSv1.2;"}, fileMatches(t, v, "protocols"))
	assert.Equal(t, []string{"conf/site.conf:3 ssl_protocols TLSv1 TLSv1.2;"}, fileMatches(t, v, "tls10"))
	assert.Equal(t, []string{"conf/site.conf:5 }"}, fileMatches(t, v, "brace"), "the last line has no newline")
	assert.Empty(t, fileMatches(t, v, "none"))
}

func TestFileMissingIsAFact(t *testing.T) {
	v, err := kindRun(t, File{}, &Env{BaseDir: t.TempDir()}, `
path     = "merchant/logo.png"
patterns = { any = "." }`)
	require.NoError(t, err)
	assert.False(t, v.GetAttr("exists").True())
	assert.Equal(t, "merchant/logo.png", v.GetAttr("path").AsString())
	assert.True(t, v.GetAttr("size").Equals(cty.Zero).True())
	assert.Equal(t, "", v.GetAttr("sha256").AsString())
	assert.Equal(t, "", v.GetAttr("mode").AsString())
	assert.Equal(t, cty.ListValEmpty(fileMatch), v.GetAttr("matches").Index(cty.StringVal("any")))
}

func TestFileWithoutPatterns(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "empty"), nil, 0o600))
	v, err := kindRun(t, File{}, &Env{BaseDir: dir}, `path = "empty"`)
	require.NoError(t, err)
	assert.Equal(t, cty.MapValEmpty(cty.List(fileMatch)), v.GetAttr("matches"))
	assert.Equal(t, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", v.GetAttr("sha256").AsString())
}

func TestFileLongLineCapped(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("é", 300) + " secret_marker"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "app.min.js"), []byte("x\n"+long+"\n"), 0o600))
	v, err := kindRun(t, File{}, &Env{BaseDir: dir}, `
path     = "app.min.js"
patterns = { marker = "secret_marker" }`)
	require.NoError(t, err)
	got := fileMatches(t, v, "marker")
	require.Len(t, got, 1)
	assert.Equal(t, "app.min.js:2 "+strings.Repeat("é", maxMatchText), got[0], "capped at 200 characters, not bytes")
}

func TestFileErrors(t *testing.T) {
	dir := t.TempDir()
	unreadable := filepath.Join(dir, "key.pem")
	require.NoError(t, os.WriteFile(unreadable, []byte("x"), 0o600))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "folder"), 0o755))
	require.NoError(t, syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o600))

	tests := []struct {
		name, src, want string
	}{
		{"directory", `path = "folder"`, "not a regular file"},
		{"bad pattern", "path = \"key.pem\"\npatterns = { p = \"(\" }", "missing closing )"},
		{"device", `path = "/dev/null"`, "/dev is never read"},
		{"empty path", `path = null`, "path is empty"},
		// A FIFO would block the open for ever.
		{"fifo", `path = "fifo"`, "it is a FIFO"},
		{"host state", `path = "/proc/self/environ"`, "/proc is never read"},
	}
	if os.Geteuid() != 0 { // root opens any file regardless of mode
		require.NoError(t, os.Chmod(unreadable, 0))
		tests = append(tests, struct{ name, src, want string }{"unreadable", `path = "key.pem"`, "permission denied"})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := kindRun(t, File{}, &Env{BaseDir: dir}, tt.src)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestFileValidate(t *testing.T) {
	tests := []struct {
		src  string
		want string // "" when valid
	}{
		{`path = "a"`, ""},
		{"path = \"a\"\npatterns = { ok = \"^a+$\" }", ""},
		{"path = \"a\"\npatterns = { bad = \"[z-a]\", worse = \"(\" }", `patterns["bad"]`},
		{"path = \"a\"\npatterns = { bad = \"(?<name\" }", "invalid named capture"},
		{`path = ""`, "path is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			diags := File{}.Validate(&Env{}, kindCfg(t, File{}, tt.src))
			if tt.want == "" {
				assert.Empty(t, diags)
				return
			}
			require.True(t, diags.HasErrors())
			assert.Contains(t, diags[0].Detail, tt.want)
			assert.Equal(t, "Invalid file probe", diags[0].Summary)
		})
	}
}
