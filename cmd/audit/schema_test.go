package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/audit-tool/audit/outcome"
)

// compileSchema compiles one of the repository's schemas/ files.
func compileSchema(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	sch, err := c.Compile(filepath.Join("..", "..", "schemas", name))
	require.NoError(t, err)
	return sch
}

// TestOutputsMatchTheirSchemas checks real outputs against the JSON
// Schemas shipped in schemas/: runs of every example (with unchecked,
// waived, attested and coverage-bearing steps) and scans.
func TestOutputsMatchTheirSchemas(t *testing.T) {
	result := compileSchema(t, "result.schema.json")
	entries, err := os.ReadDir("../../examples")
	require.NoError(t, err)
	runs := 0
	for _, e := range entries {
		if _, err := os.Stat(filepath.Join("../../examples", e.Name(), "audit.hcl")); err != nil {
			continue
		}
		code, out, stderr := audit(t, "run", filepath.Join("../../examples", e.Name()), "--offline", "--format", "json", "--now", "2026-11-23")
		require.NotEqual(t, outcome.ExitUsage, code, "%s: %s", e.Name(), stderr)
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(out)))
		require.NoError(t, err)
		assert.NoError(t, result.Validate(doc), e.Name())
		runs++
	}
	assert.GreaterOrEqual(t, runs, 8)

	scanSchema := compileSchema(t, "scan.schema.json")
	for _, args := range [][]string{{"scan", scanTree, "--format", "json"}, {"scan", "../../examples", "--format", "json"}} {
		_, out, _ := audit(t, args...)
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(out)))
		require.NoError(t, err, out)
		assert.NoError(t, scanSchema.Validate(doc), "%v", args)
	}

	// The schemas are not vacuous: a wrong value fails them.
	bad, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(`{"schema_version":1,"files_scanned":1,"bytes_scanned":1,"findings":[{"type":"pan","brand":"visa","masked":"4111111111111111","test_card":false,"live":true,"file":"a","line":1,"column":1}]}`)))
	require.NoError(t, err)
	assert.Error(t, scanSchema.Validate(bad), "an unmasked card number")
	_, out, _ := audit(t, "run", example, "--offline", "--format", "json", "--now", "2026-11-23")
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(bytes.Replace([]byte(out), []byte(`"verdict": "NO-GO"`), []byte(`"verdict": "MAYBE"`), 1)))
	require.NoError(t, err)
	assert.Error(t, result.Validate(doc), "an unknown verdict")
}
