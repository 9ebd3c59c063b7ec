package reports

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestJSONRoundTrip(t *testing.T) {
	out := render(t, func(b *bytes.Buffer) error { return JSON(b, fixture(), Options{}) })
	got, err := ReadJSON(bytes.NewReader(out))
	require.NoError(t, err)
	again := render(t, func(b *bytes.Buffer) error { return JSON(b, got, Options{}) })
	assert.Equal(t, string(out), string(again))
	assert.True(t, fixture().StartedAt.Equal(got.StartedAt))
	assert.Equal(t, fixture().Steps[6].Waiver, got.Steps[6].Waiver)
}

func TestJSONEmptyListsAreArrays(t *testing.T) {
	r := fixture()
	r.Scope.Reasons = nil
	out := string(render(t, func(b *bytes.Buffer) error { return JSON(b, r, Options{}) }))
	assert.NotContains(t, out, "null")
	assert.Contains(t, out, `"evidence": []`)
	assert.Contains(t, out, `"references": []`)
	assert.Contains(t, out, `"reasons": []`)
	assert.True(t, strings.HasSuffix(out, "}\n"))
	assert.Nil(t, r.Steps[2].Evidence, "the caller's result is not modified")

	none := &Result{SchemaVersion: SchemaVersion, Verdict: Go, FailOn: High}
	assert.Contains(t, string(render(t, func(b *bytes.Buffer) error { return JSON(b, none, Options{}) })), `"steps": []`)
}

func TestReadJSONRejects(t *testing.T) {
	good := string(render(t, func(b *bytes.Buffer) error { return JSON(b, fixture(), Options{}) }))
	tests := []struct {
		name, input, want string
	}{
		{"empty", "", "EOF"},
		{"not json", "audit", "invalid character"},
		{"array", "[]", "cannot unmarshal"},
		{"schema 2", strings.Replace(good, `"schema_version": 1`, `"schema_version": 2`, 1), "schema_version 2"},
		{"no schema", `{"verdict": "GO"}`, "schema_version 0"},
		{"verdict", strings.Replace(good, `"verdict": "NO-GO"`, `"verdict": "MAYBE"`, 1), `unknown verdict "MAYBE"`},
		{"status", strings.Replace(good, `"status": "error"`, `"status": "broken"`, 1), `unknown status "broken"`},
		{"severity", strings.Replace(good, `"severity": "low"`, `"severity": "urgent"`, 1), `severity "urgent"`},
		{"trailing", good + "{}", "data after"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadJSON(strings.NewReader(tt.input))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// FuzzReadJSON: any input is rejected or reads as a result that renders in
// every format and reads back the same.
// readJSONSeeds are stored results, good and hostile: deep nesting, huge
// numbers, NUL and control characters, glued card numbers and keys.
func readJSONSeeds(f *testing.F) {
	good, err := os.ReadFile(filepath.Join("testdata", "json.golden"))
	require.NoError(f, err)
	f.Add(good)
	for _, seed := range []string{
		`{"schema_version":1,"verdict":"GO","steps":[]}`,
		`{"schema_version":1,"verdict":"GO","steps":[{"status":"pass","severity":"low","evidence":null}]}`,
		`{"schema_version":1}`,
		`{"schema_version":1,"steps":[{"id":"a","status":"fail","severity":"critical","evidence":[{"line":1e999}]}]}`,
		`{"schema_version":99999999999999999999,"summary":{"total":-1}}`,
		`{"schema_version":1,"steps":[{"id":"c.x\u0000\u001b[2J","title":"cc%3D4539148803436467","message":"key%3Dsk_live_51HqLyjWDarjtT1zdp7dcXcHf","status":"fail","severity":"high"}]}`,
		`{"schema_version":1,"scope":{"saq":"A","reasons":[` + strings.Repeat(`"x",`, 50) + `"y"]}}`,
		strings.Repeat(`{"a":`, 300) + `1` + strings.Repeat(`}`, 300),
		strings.Repeat(`[`, 300),
	} {
		f.Add([]byte(seed))
	}
}

// FuzzReadJSON fuzzes the parser of stored results (audit report, the
// store): what reads must encode and read back the same.
func FuzzReadJSON(f *testing.F) {
	readJSONSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ReadJSON(bytes.NewReader(data))
		if err != nil {
			return
		}
		var first bytes.Buffer
		require.NoError(t, JSON(&first, r, Options{}))
		back, err := ReadJSON(bytes.NewReader(first.Bytes()))
		require.NoError(t, err)
		var second bytes.Buffer
		require.NoError(t, JSON(&second, back, Options{}))
		require.Equal(t, first.String(), second.String())
	})
}

// FuzzRenderStored renders what ReadJSON accepts in every text format:
// slower than the parser alone, so a target of its own.
func FuzzRenderStored(f *testing.F) {
	readJSONSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ReadJSON(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, name := range []string{"table", "junit", "sarif", "markdown"} {
			f, _ := Lookup(name)
			require.NoError(t, f.Render(&bytes.Buffer{}, r, Options{Color: true}), name)
		}
	})
}
