package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGitHubActionLints runs actionlint (installed by scripts/setup.sh)
// over the example workflow, which uses the repository's action.yml: the
// action's inputs are checked against their use, and a misspelt one fails.
func TestGitHubActionLints(t *testing.T) {
	bin, err := exec.LookPath("actionlint")
	if err != nil {
		gopath, _ := exec.Command("go", "env", "GOPATH").Output()
		bin = filepath.Join(strings.TrimSpace(string(gopath)), "bin", "actionlint")
	}
	_, err = os.Stat(bin)
	require.NoError(t, err, "actionlint is missing: run scripts/setup.sh")

	run := func(workflow string) (string, error) {
		cmd := exec.Command(bin, "-no-color", workflow)
		cmd.Dir = "../.."
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := run(".github/workflows/audit-example.yml")
	assert.NoError(t, err, out)

	src, err := os.ReadFile("../../.github/workflows/audit-example.yml")
	require.NoError(t, err)
	bad := strings.Replace(string(src), "args: --offline", "argz: --offline", 1)
	file := filepath.Join("../../.github/workflows", "zz-lint-test.yml")
	require.NoError(t, os.WriteFile(file, []byte(bad), 0o644))
	t.Cleanup(func() { os.Remove(file) })
	out, err = run(".github/workflows/zz-lint-test.yml")
	assert.Error(t, err)
	assert.Contains(t, out, `input "argz" is not defined in action`)
}
