package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/audit-tool/audit/outcome"
)

// Files an audit.hcl names resolve inside its folder, unless
// allow_paths_outside lists their folder or the command line names them.
func TestIntegrationPathsStayInsideTheirFolder(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "shop")
	require.NoError(t, os.CopyFS(dir, os.DirFS(example)))
	yaml, err := os.ReadFile(filepath.Join(dir, "config", "payments.yaml"))
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Join(parent, "shared"), 0o755))
	require.NoError(t, os.MkdirAll(filepath.Join(parent, "logs"), 0o755))
	shared := filepath.Join(parent, "shared", "payments.yaml")
	require.NoError(t, os.WriteFile(shared, yaml, 0o644))
	require.NoError(t, os.Symlink(shared, filepath.Join(dir, "config", "linked.yaml")))
	require.NoError(t, os.Symlink(filepath.Join(parent, "shared"), filepath.Join(dir, "sharedlink")))
	src, err := os.ReadFile(filepath.Join(dir, "audit.hcl"))
	require.NoError(t, err)
	const config = `"config/payments.yaml"]`

	tests := []struct {
		name, from, to, prefix string
		outside                bool
	}{
		{"dot-dot", config, `"../shared/payments.yaml"]`, "", true},
		{"absolute", config, `"` + shared + `"]`, "", true},
		{"a link to a file outside", config, `"config/linked.yaml"]`, "", true},
		{"a path through a link to a folder outside", config, `"sharedlink/payments.yaml"]`, "", true},
		{"log folder outside", `log_dirs         = ["logs"]`, `log_dirs         = ["../logs"]`, "", true},
		{"dot-dot that stays inside", config, `"config/../config/payments.yaml"]`, "", false},
		{"allowed", config, `"../shared/payments.yaml"]`, "allow_paths_outside = [\"../shared\"]\n", false},
		{"allowed, through a link", config, `"config/linked.yaml"]`, "allow_paths_outside = [\"../shared\"]\n", false},
		{"another folder allowed", config, `"../shared/payments.yaml"]`, "allow_paths_outside = [\"../logs\"]\n", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hcl := strings.Replace(string(src), tt.from, tt.to, 1)
			require.NotEqual(t, string(src), hcl)
			require.NoError(t, os.WriteFile(filepath.Join(dir, "audit.hcl"), []byte(tt.prefix+hcl), 0o644))
			code, _, stderr := audit(t, "validate", dir)
			if !tt.outside {
				assert.Equal(t, outcome.ExitGo, code, stderr)
				assert.NotContains(t, stderr, "outside")
				return
			}
			assert.Equal(t, outcome.ExitUsage, code)
			assert.Regexp(t, regexp.MustCompile(`audit\.hcl:\d+:\d+: error: Input path outside the integration`), stderr)
			assert.Contains(t, stderr, "allow_paths_outside")
			code, out, stderr := audit(t, "run", dir, "--offline")
			assert.Equal(t, outcome.ExitUsage, code)
			assert.Contains(t, stderr, "Input path outside the integration")
			assert.Empty(t, out)
		})
	}

	t.Run("empty entry", func(t *testing.T) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "audit.hcl"), []byte("allow_paths_outside = [\"\"]\n"+string(src)), 0o644))
		code, _, stderr := audit(t, "validate", dir)
		assert.Equal(t, outcome.ExitUsage, code)
		assert.Contains(t, stderr, "audit.hcl:1:23: error: Invalid allow_paths_outside")
	})

	// A value from the command line is the user's choice.
	t.Run("--var", func(t *testing.T) {
		page := filepath.Join(parent, "shared", "checkout.html")
		require.NoError(t, os.WriteFile(page, []byte(`<script src="https://js.stripe.com/v3/"></script>`), 0o644))
		code, _, stderr := audit(t, "run", t.TempDir(), "--offline", "--checklist", "stripe", "--var", "checkout_page="+page, "--only", "stripe.stripe_js_from_stripe")
		assert.NotEqual(t, outcome.ExitUsage, code, stderr)
		assert.NotContains(t, stderr, "outside")
	})
}
