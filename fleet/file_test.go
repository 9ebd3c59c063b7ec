package fleet

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zclconf/go-cty/cty"
)

func TestParse(t *testing.T) {
	src := `
merchant "cafe-etoile" {
  path  = "merchants/cafe"
  owner = "EU launch team"
  tags  = ["eu", "amazon-pay"]
  vars  = { checkout_page = "dist/checkout.html", source_dirs = ["src"] }
}
merchant "velo.nord" { path = "/srv/velo" }
`
	f, diags := Parse(filepath.Join("fleets", "fleet.hcl"), []byte(src))
	require.False(t, diags.HasErrors(), diags.Error())
	require.Len(t, f.Merchants, 2)
	m := f.Merchants[0]
	assert.Equal(t, "cafe-etoile", m.ID)
	assert.Equal(t, filepath.Join("fleets", "merchants", "cafe"), m.Dir)
	assert.Equal(t, "EU launch team", m.Owner)
	assert.Equal(t, []string{"eu", "amazon-pay"}, m.Tags)
	assert.Equal(t, []string{"checkout_page", "source_dirs"}, m.VarNames())
	assert.Equal(t, cty.StringVal("dist/checkout.html"), m.Vars["checkout_page"])
	assert.Equal(t, "/srv/velo", f.Merchants[1].Dir, "absolute paths are kept")
	assert.Nil(t, f.Merchants[1].Vars)
}

func TestParseDiagnostics(t *testing.T) {
	tests := []struct {
		name, src string
		want      string // summary of the first error
		at        string // its start, line:col
	}{
		{"syntax", "merchant \"a\" {\n  path = \n}", "Invalid expression", "2:10"},
		{"no merchant", "# nothing\n", "No merchant", "1:1"},
		{"missing path", "merchant \"a\" {\n  owner = \"x\"\n}\n", "Missing required argument", "1:14"},
		{"unknown attribute", "merchant \"a\" {\n  path = \"a\"\n  pth = \"b\"\n}\n", "Unsupported argument", "3:3"},
		{"unknown block", "merchant \"a\" { path = \"a\" }\nshop \"b\" {}\n", "Unsupported block type", "2:1"},
		{"bad id", "merchant \"../etc\" { path = \"a\" }\n", "Invalid merchant id", "1:10"},
		{"duplicate", "merchant \"a\" { path = \"a\" }\nmerchant \"a\" { path = \"b\" }\n", "Duplicate merchant", "2:10"},
		{"empty path", "merchant \"a\" { path = \"\" }\n", "Empty merchant path", "1:23"},
		{"path not a string", "merchant \"a\" { path = [\"x\"] }\n", "Invalid value", "1:23"},
		{"variable in path", "merchant \"a\" { path = var.dir }\n", "Variables not allowed", "1:23"},
		{"tags not a list", "merchant \"a\" {\n  path = \"a\"\n  tags = { a = 1 }\n}\n", "Invalid value", "3:10"},
		{"vars not an object", "merchant \"a\" {\n  path = \"a\"\n  vars = \"x\"\n}\n", "Invalid vars", "3:10"},
		{"null owner", "merchant \"a\" {\n  path = \"a\"\n  owner = null\n}\n", "Invalid value", "3:11"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, diags := Parse("fleet.hcl", []byte(tc.src))
			require.True(t, diags.HasErrors(), "want an error")
			var first *hcl.Diagnostic
			for _, d := range diags {
				if d.Severity == hcl.DiagError {
					first = d
					break
				}
			}
			assert.Equal(t, tc.want, first.Summary, first.Detail)
			require.NotNil(t, first.Subject, "every diagnostic points at the file")
			assert.Equal(t, "fleet.hcl", first.Subject.Filename)
			assert.Equal(t, tc.at, posOf(first.Subject.Start))
		})
	}
}

func posOf(p hcl.Pos) string { return fmt.Sprintf("%d:%d", p.Line, p.Column) }

func TestLoadChecksFolders(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(dir, "shop"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "file"), nil, 0o644))
	fleet := filepath.Join(dir, "fleet.hcl")
	require.NoError(t, os.WriteFile(fleet, []byte(`
merchant "ok"      { path = "shop" }
merchant "missing" { path = "nowhere" }
merchant "file"    { path = "file" }
`), 0o644))
	f, diags := Load(fleet)
	require.NotNil(t, f)
	require.Empty(t, diags)
	diags = f.CheckFolders()
	require.Len(t, diags, 2, diags.Error())
	assert.Equal(t, "Merchant folder not found", diags[0].Summary)
	assert.Equal(t, 3, diags[0].Subject.Start.Line)
	assert.Equal(t, "Merchant path is not a folder", diags[1].Summary)
	assert.Equal(t, 4, diags[1].Subject.Start.Line)

	_, diags = Load(filepath.Join(dir, "absent.hcl"))
	require.True(t, diags.HasErrors())
	assert.Contains(t, diags.Error(), "no such file")
	_, diags = Load(dir)
	assert.Contains(t, diags.Error(), "not a regular file")
}

func TestIsFleetFile(t *testing.T) {
	assert.True(t, IsFleetFile("f.hcl", []byte(`merchant "a" { path = "a" }`)))
	assert.False(t, IsFleetFile("f.hcl", []byte(`use "pci-dss" {}`)))
	assert.False(t, IsFleetFile("f.hcl", []byte(`checklist "x" {}`)))
	assert.False(t, IsFleetFile("f.hcl", []byte(`merchant {`)))
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`merchant "a" { path = "a"  tags = ["x"]  vars = { k = [1, "b"] }  owner = "o" }`))
	f.Add([]byte(`merchant "a" { path = "a" } merchant "a" { path = "b" }`))
	f.Add([]byte(`merchant "a" { path = null vars = null tags = [null] }`))
	f.Fuzz(func(t *testing.T, src []byte) {
		file, diags := Parse("fuzz.hcl", src)
		if diags.HasErrors() {
			return
		}
		require.NotEmpty(t, file.Merchants)
		for _, m := range file.Merchants {
			require.Regexp(t, idPattern, m.ID)
			require.NotEmpty(t, m.Dir)
		}
	})
}

// Parsing in segments gives what parsing the whole file gives: the same
// merchants, and on any mistake the same diagnostics at the same places.
func TestSegmentsParseAsTheWholeFile(t *testing.T) {
	block := func(i int) string {
		return fmt.Sprintf("merchant \"m-%04d\" {\n  path = \"merchants/m-%04d\"\n  tags = [\"t%d\"]\n}\n", i, i, i%3)
	}
	var many strings.Builder
	many.WriteString("# a fleet\n")
	for i := range 300 {
		many.WriteString(block(i))
	}
	heredoc := block(0) + "merchant \"h\" {\n  path = \"merchants/h\"\n  vars = { note = <<EOT\n" +
		strings.Repeat("merchant \"fake\" {\n", 40) + "EOT\n  }\n}\n" + block(1)
	comment := block(0) + "/*\n" + strings.Repeat("merchant \"gone\" { path = \"x\" }\n", 40) + "*/\n" + block(1)
	unindented := block(0) + "merchant \"v\" {\n  path = \"merchants/v\"\n  vars = {\n" +
		strings.Repeat("x = 1\n", 20) + "merchant = \"a\"\n}\n}\n" + block(1)
	broken := many.String() + "merchant \"late\" {\n  path = \n}\n" + block(301)
	dup := many.String() + block(7)
	tests := map[string]struct {
		src   string
		whole bool // a cut falls inside a construct: parsed whole
	}{
		"many": {many.String(), false}, "duplicate": {dup, false},
		"heredoc": {heredoc, true}, "comment": {comment, true}, "unindented": {unindented, true}, "broken": {broken, true},
	}
	for name, tc := range tests {
		src := tc.src
		t.Run(name, func(t *testing.T) {
			segs := segments([]byte(src), 64)
			require.Greater(t, len(segs), 1, "the test cuts the file")
			whole, wholeDiags, ok := parse("fleet.hcl", []byte(src), []segment{{pos: hcl.InitialPos, end: len(src)}})
			require.True(t, ok)
			got, gotDiags, ok := parse("fleet.hcl", []byte(src), segs)
			assert.Equal(t, tc.whole, !ok)
			if !ok {
				got, gotDiags = whole, wholeDiags // what Parse does
			}
			assert.Equal(t, whole, got)
			assert.Equal(t, wholeDiags.Error(), gotDiags.Error())
			for i, d := range wholeDiags {
				assert.Equal(t, d.Subject, gotDiags[i].Subject, "same place")
			}
		})
	}
	f, diags := Parse("fleet.hcl", []byte(broken))
	require.True(t, diags.HasErrors())
	assert.Contains(t, diags.Error(), fmt.Sprintf("fleet.hcl:%d,", strings.Count(many.String(), "\n")+2), "the line in the whole file")
	assert.Nil(t, f)
}
