package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/audit-tool/audit/checklist"
	"github.com/audit-tool/audit/internal/runner"
	"github.com/audit-tool/audit/outcome"
	"github.com/audit-tool/audit/reports"
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

// Paths the integration's files name, beyond the use blocks' inputs: a
// logo in the merchant profile, a checklist file a use block names, the
// files a checklist function reads.
func TestFilesNamedByTheIntegrationStayInside(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "shop")
	require.NoError(t, os.CopyFS(dir, os.DirFS(example)))
	writeFiles(t, parent, map[string]string{
		"shared/logo.png": "\x89PNG\r\n\x1a\n",
		"shared/evil.hcl": `checklist "evil" { title = "from outside" }`,
	})
	require.NoError(t, os.Symlink(filepath.Join(parent, "shared", "logo.png"), filepath.Join(dir, "logo.png")))
	require.NoError(t, os.Symlink(filepath.Join(parent, "shared", "evil.hcl"), filepath.Join(dir, "evil.hcl")))
	src, err := os.ReadFile(filepath.Join(dir, "audit.hcl"))
	require.NoError(t, err)
	merchant, err := os.ReadFile(filepath.Join(dir, "merchant.hcl"))
	require.NoError(t, err)

	for _, tt := range []struct{ name, logo, use, prefix, want string }{
		{"logo dot-dot", "../shared/logo.png", "", "", `(?s)merchant\.hcl:\d+:\d+: error: Unusable logo path.*outside the integration`},
		{"logo through a link", "logo.png", "", "", `(?s)merchant\.hcl:\d+:\d+: error: Unusable logo path.*outside the integration`},
		{"logo in /proc", "/proc/self/environ", "", "", `(?s)merchant\.hcl:\d+:\d+: error: Unusable logo path.*/proc is never read`},
		{"logo allowed", "../shared/logo.png", "", `allow_paths_outside = ["../shared"]` + "\n", ""},
		{"logo an https URL", "https://cdn.example/logo.png", "", "", ""},
		{"use of a checklist outside", "", `use "../shared/evil.hcl" {}`, "", `audit\.hcl:\d+:\d+: error: Checklist outside the integration`},
		{"use of a link to a checklist outside", "", `use "evil.hcl" {}`, "", `audit\.hcl:\d+:\d+: error: Checklist outside the integration`},
		{"use of an allowed checklist", "", `use "evil.hcl" {}`, `allow_paths_outside = ["../shared"]` + "\n", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := strings.Replace(string(merchant), `logo = ""`, `logo = "`+tt.logo+`"`, 1)
			require.NoError(t, os.WriteFile(filepath.Join(dir, "merchant.hcl"), []byte(m), 0o644))
			require.NoError(t, os.WriteFile(filepath.Join(dir, "audit.hcl"), []byte(tt.prefix+string(src)+"\n"+tt.use+"\n"), 0o644))
			code, _, stderr := audit(t, "validate", dir)
			if tt.want == "" {
				assert.Equal(t, outcome.ExitGo, code, stderr)
				return
			}
			assert.Equal(t, outcome.ExitUsage, code, stderr)
			assert.Regexp(t, tt.want, stderr)
			code, out, stderr := audit(t, "run", dir, "--offline")
			assert.Equal(t, outcome.ExitUsage, code, stderr)
			assert.Empty(t, out)
		})
	}
}

// A logo named by a merchant profile given on the command line
// (--checklist) is the profile's data, not the user's choice: it must
// resolve in the working folder or beside the profile.
func TestLogoOfACommandLineProfileStaysInside(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "shop")
	require.NoError(t, os.CopyFS(dir, os.DirFS(example)))
	writeFiles(t, parent, map[string]string{
		"shared/logo.png":    "\x89PNG\r\n\x1a\n",
		"shop/own-logo.png":  "\x89PNG\r\n\x1a\n",
		"other/merchant.hcl": "",
		"other/logo.png":     "\x89PNG\r\n\x1a\n",
	})
	require.NoError(t, os.Symlink(filepath.Join(parent, "shared", "logo.png"), filepath.Join(dir, "link-logo.png")))
	merchant, err := os.ReadFile(filepath.Join(dir, "merchant.hcl"))
	require.NoError(t, err)
	for _, tt := range []struct{ name, profile, logo, want string }{
		{"dot-dot", "merchant.hcl", "../shared/logo.png", `(?s)merchant\.hcl:19:\d+: error: Unusable logo path.*logo "\.\./shared/logo\.png": it resolves to\s+.*shared/logo\.png, neither below the\s+working folder`},
		{"a link pointing out", "merchant.hcl", "link-logo.png", `(?s)merchant\.hcl:19:\d+: error: Unusable logo path.*neither below`},
		{"absolute", "merchant.hcl", filepath.Join(parent, "shared", "logo.png"), `(?s)merchant\.hcl:19:\d+: error: Unusable logo path.*neither below`},
		{"/proc", "merchant.hcl", "/proc/self/environ", `(?s)merchant\.hcl:19:\d+: error: Unusable logo path.*/proc is never read`},
		{"in the working folder", "merchant.hcl", "own-logo.png", ""},
		{"beside a profile elsewhere", filepath.Join(parent, "other", "merchant.hcl"), filepath.Join(parent, "other", "logo.png"), ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := strings.Replace(string(merchant), `logo = ""`, `logo = "`+tt.logo+`"`, 1)
			profile := tt.profile
			if !filepath.IsAbs(profile) {
				profile = filepath.Join(dir, profile)
			}
			require.NoError(t, os.WriteFile(profile, []byte(m), 0o644))
			code, _, stderr := auditChild(t, dir, defaultLimits, "run", "--offline", "--checklist", "amazon-pay",
				"--var", "merchant_file="+tt.profile, "--var", "region=eu", "--only", "amazon-pay.logo", "--ignore-integration")
			if tt.want == "" {
				assert.NotContains(t, stderr, "Unusable logo path")
				assert.NotEqual(t, outcome.ExitUsage, code, stderr)
				return
			}
			assert.Equal(t, outcome.ExitUsage, code, stderr)
			assert.Regexp(t, tt.want, stderr)
		})
	}
}

// A file checked at load time and swapped before the probe reads it (for
// a link out of the folder, a link to /proc, a FIFO) is refused at read
// time, on the descriptor: the step is an error, never a pass on the
// swapped content.
func TestFileSwappedAfterTheCheckIsRefusedAtReadTime(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "shop")
	writeFiles(t, parent, map[string]string{
		"outside.env":  "APP_DEBUG=false\n",
		"shop/app.env": "APP_DEBUG=true\n",
		"shop/checks.hcl": `checklist "c" { title = "c" }
variable "files" { type = list(string) }
probe "config" "app" { files = var.files }
step "no_debug" {
  title    = "Debug is off"
  severity = "high"
  assert {
    condition = lookup(probe.config.app.values, "APP_DEBUG", "") == "false"
    message   = "APP_DEBUG is not false"
  }
}
`,
		"shop/audit.hcl": `use "checks.hcl" { files = ["app.env"] }`,
	})
	cfg := filepath.Join(dir, "app.env")
	for _, tt := range []struct {
		name string
		swap func()
		want string
	}{
		{"a link out of the folder", func() { require.NoError(t, os.Symlink(filepath.Join(parent, "outside.env"), cfg)) }, "outside the integration"},
		{"a link to /proc", func() { require.NoError(t, os.Symlink("/proc/self/environ", cfg)) }, "/proc is never read"},
		{"a FIFO", func() { mkfifo(t, cfg) }, "it is a FIFO"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			require.NoError(t, os.WriteFile(cfg, []byte("APP_DEBUG=true\n"), 0o644))
			a := newApp(&bytes.Buffer{}, &bytes.Buffer{})
			l, err := a.loader()
			require.NoError(t, err)
			plan, diags := l.Load(checklist.Request{Integration: filepath.Join(dir, "audit.hcl")})
			require.False(t, diags.HasErrors(), diags.Error())

			require.NoError(t, os.Remove(cfg))
			tt.swap()
			res := runner.Run(context.Background(), plan, runner.Options{Timeout: 10 * time.Second, FailOn: outcome.High, Now: time.Now})
			require.Len(t, res.Steps, 1)
			step := res.Steps[0]
			assert.Equal(t, reports.Error, step.Status, step.Message)
			assert.Contains(t, step.Message, tt.want)
			require.NoError(t, os.Remove(cfg))
		})
	}
}

// A parse error quotes source lines only of the tool's own HCL files: a
// merchant_file naming a file that is not HCL (a token file, the process
// environment) must not have its content printed with the error.
func TestParseErrorsNeverQuoteForeignFiles(t *testing.T) {
	dir := t.TempDir()
	const secret = "ghp_Zq8ForeignFileContent0123456789"
	writeFiles(t, dir, map[string]string{
		"token/audit.hcl":    `use "amazon-pay" { merchant_file = "ci-token.txt" }`,
		"token/ci-token.txt": "CI_TOKEN=" + secret + " {\n",
		"environ/audit.hcl":  `use "amazon-pay" { merchant_file = "/proc/self/environ" }`,
	})
	for _, tc := range []struct{ name, dir, want string }{
		{"a token file with a syntax error", "token", "ci-token.txt:1:"},
		{"the process environment", "environ", "/proc is never read"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, args := range [][]string{{"validate", "."}, {"run", ".", "--offline"}} {
				code, stdout, stderr := auditChild(t, filepath.Join(dir, tc.dir), defaultLimits, args...)
				assert.Equal(t, outcome.ExitUsage, code, stderr)
				assert.Contains(t, stderr, tc.want)
				assert.NotContains(t, stdout+stderr, secret)
				assert.NotContains(t, stdout+stderr, os.Getenv("PATH"), "the environment")
			}
		})
	}
}
