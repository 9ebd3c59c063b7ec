package runner_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zclconf/go-cty/cty"

	"github.com/audit-tool/audit/checklist"
	"github.com/audit-tool/audit/internal/runner"
	"github.com/audit-tool/audit/probes"
	"github.com/audit-tool/audit/reports"
)

// behave is a probe kind whose behaviour its settings choose, to exercise
// the runner's isolation: it answers, fails, panics, hangs or needs the net.
type behave struct{ runs *atomic.Int64 }

func (behave) Name() string { return "behave" }
func (behave) Doc() string  { return "test kind" }
func (behave) Spec() hcldec.Spec {
	return &hcldec.ObjectSpec{
		"mode":  &hcldec.AttrSpec{Name: "mode", Type: cty.String, Required: true},
		"value": &hcldec.AttrSpec{Name: "value", Type: cty.Number},
	}
}
func (behave) Facts() cty.Type { return cty.Object(map[string]cty.Type{"value": cty.Number}) }
func (b behave) Run(ctx context.Context, env *probes.Env, cfg cty.Value) (cty.Value, error) {
	b.runs.Add(1)
	switch cfg.GetAttr("mode").AsString() {
	case "ok":
		return cty.ObjectVal(map[string]cty.Value{"value": cfg.GetAttr("value")}), nil
	case "fail":
		return cty.NilVal, fmt.Errorf("config/payments.yaml: permission denied")
	case "panic":
		var m map[string]int
		m["boom"]++ // a nil-map write, as a buggy probe would do
		return cty.NilVal, nil
	case "hang":
		time.Sleep(5 * time.Second) // ignores its context on purpose
		return cty.NilVal, nil
	case "net":
		return cty.NilVal, fmt.Errorf("https://shop.example: %w", probes.ErrOffline)
	case "local":
		return cty.NilVal, fmt.Errorf("dist/checkout.html is a local file, it has no TLS: %w", probes.ErrUnchecked)
	case "shape":
		return cty.ObjectVal(map[string]cty.Value{"other": cty.True}), nil
	}
	return cty.NilVal, fmt.Errorf("unknown mode")
}

const testChecklist = `
checklist "t" { title = "Test" }

probe "behave" "good"  {
  mode = "ok"
  value = 3
}
probe "behave" "same"  {
  mode = "ok"
  value = 3
}
probe "behave" "bad"   { mode = "fail" }
probe "behave" "boom"  { mode = "panic" }
probe "behave" "slow"  { mode = "hang" }
probe "behave" "net"   { mode = "net" }
probe "behave" "shape" { mode = "shape" }

locals {
  doubled = probe.behave.good.value * 2
}

step "passes" {
  title = "passes"
  severity = "high"
  assert {
    condition = local.doubled == 6
    message = "no"
  }
  pass_message = "value ${probe.behave.same.value}"
}
step "fails" {
  title = "fails"
  severity = "critical"
  assert {
    condition = probe.behave.good.value > 5
    message   = "value ${probe.behave.good.value} is not over 5"
    evidence  = [{ source = "config/app.env", line = 4, detail = "VALUE=3" }]
  }
  assert {
    condition = true
    message = "never shown"
  }
}
step "errors"  {
  title = "errors"
  severity = "high"
  assert {
    condition = probe.behave.bad.value == 1
    message = "x"
  }
}
step "panics"  {
  title = "panics"
  severity = "high"
  assert {
    condition = probe.behave.boom.value == 1
    message = "x"
  }
}
step "hangs"   {
  title = "hangs"
  severity = "high"
  assert {
    condition = probe.behave.slow.value == 1
    message = "x"
  }
}
step "offline" {
  title = "offline"
  severity = "high"
  assert {
    condition = probe.behave.net.value == 1
    message = "x"
  }
}
step "misshapen" {
  title = "misshapen"
  severity = "high"
  assert {
    condition = probe.behave.shape.value == 1
    message = "x"
  }
}
step "skipped" {
  title = "skipped"
  severity = "high"
  when  = false
  skip_reason = "not for this shop"
  assert {
    condition = probe.behave.bad.value == 1
    message = "x"
  }
}
step "attested" {
  title = "attested"
  severity = "critical"
  manual = true
}
step "unattested" {
  title = "unattested"
  severity = "low"
  manual = true
}
step "waived" {
  title = "waived"
  severity = "critical"
  assert {
    condition = false
    message = "broken"
  }
}
step "expired" {
  title = "expired"
  severity = "critical"
  assert {
    condition = false
    message = "still broken"
  }
}
`

const testIntegration = `
use "t.hcl" {}
attest "t.attested" {
  by = "Launch manager"
  date = "2026-11-20"
  evidence = "Order 1042"
}
waiver "t.waived"  {
  reason = "CDN migration"
  approved_by = "CISO"
  expires = "2026-12-31"
}
waiver "t.expired" {
  reason = "old"
  approved_by = "CISO"
  expires = "2026-01-31"
}
`

func load(t *testing.T, runs *atomic.Int64) *checklist.Plan {
	t.Helper()
	return loadFiles(t, runs, testChecklist, testIntegration)
}

func loadFiles(t *testing.T, runs *atomic.Int64, checklistText, integration string) *checklist.Plan {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, checklistName(integration)), []byte(checklistText), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "audit.hcl"), []byte(integration), 0o644))
	reg, err := probes.NewRegistry(behave{runs: runs})
	require.NoError(t, err)
	lib, err := checklist.NewLibrary()
	require.NoError(t, err)
	l := &checklist.Loader{Parser: checklist.NewParser(), Library: lib, Registry: reg, Now: fixedNow}
	plan, diags := l.Load(checklist.Request{Integration: filepath.Join(dir, "audit.hcl")})
	require.False(t, diags.HasErrors(), diags.Error())
	return plan
}

func fixedNow() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) }

func TestRunIsolationAndStatuses(t *testing.T) {
	var runs atomic.Int64
	plan := load(t, &runs)
	start := time.Now()
	res := runner.Run(context.Background(), plan, runner.Options{
		Parallel: 2, Timeout: 300 * time.Millisecond, Now: fixedNow, FailOn: reports.High, Version: "test",
	})
	assert.Less(t, time.Since(start), 3*time.Second, "a hanging probe is abandoned at its deadline")

	byID := map[string]reports.Step{}
	var order []string
	for _, s := range res.Steps {
		byID[s.ID] = s
		order = append(order, s.ID)
	}
	assert.Equal(t, []string{"t.passes", "t.fails", "t.errors", "t.panics", "t.hangs", "t.offline", "t.misshapen",
		"t.skipped", "t.attested", "t.unattested", "t.waived", "t.expired"}, order, "declaration order")

	tests := []struct {
		id      string
		status  reports.Status
		message string
	}{
		{"t.passes", reports.Pass, "value 3"},
		{"t.fails", reports.Fail, "value 3 is not over 5"},
		{"t.errors", reports.Error, "probe behave.bad failed: config/payments.yaml: permission denied"},
		{"t.panics", reports.Error, "probe panicked"},
		{"t.hangs", reports.Error, "no answer within 300ms"},
		{"t.offline", reports.Skip, "offline"},
		{"t.misshapen", reports.Error, "wrong shape"},
		{"t.skipped", reports.Skip, "not for this shop"},
		{"t.attested", reports.Pass, "attested by Launch manager on 2026-11-20: Order 1042"},
		{"t.unattested", reports.Pending, "needs an attestation"},
		{"t.waived", reports.Waived, "broken"},
		{"t.expired", reports.Fail, "still broken"}, // the expired waiver is in .Waiver
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			s := byID[tc.id]
			assert.Equal(t, tc.status, s.Status, s.Message)
			assert.Contains(t, s.Message, tc.message)
			assert.NotNil(t, s.Evidence)
			assert.NotNil(t, s.References)
		})
	}
	assert.Equal(t, []reports.Evidence{{Source: "config/app.env", Line: 4, Detail: "VALUE=3"}}, byID["t.fails"].Evidence)
	assert.True(t, byID["t.expired"].Waiver.Expired)
	assert.False(t, byID["t.waived"].Waiver.Expired)
	assert.Equal(t, "Order 1042", byID["t.attested"].Attestation.Evidence)

	assert.Equal(t, reports.NoGo, res.Verdict)
	assert.Equal(t, reports.Summary{Total: 12, Pass: 2, Fail: 2, Error: 4, Skip: 2, Waived: 1, Pending: 1, Unchecked: 1}, res.Summary)
	assert.True(t, byID["t.offline"].Unchecked, "offline is unchecked")
	assert.False(t, byID["t.skipped"].Unchecked, "a step that does not apply is not unchecked")
	// "good" and "same" have the same settings: one run serves both; the
	// skipped step's probe never runs.
	assert.Equal(t, int64(6), runs.Load())
}

// TestProgressCountsEveryProbeRun: the total is known before any probe
// starts, and each run, failed, panicked or hung, is counted once.
func TestProgressCountsEveryProbeRun(t *testing.T) {
	var runs atomic.Int64
	plan := load(t, &runs)
	var calls [][2]int
	runner.Run(context.Background(), plan, runner.Options{
		Parallel: 3, Timeout: 300 * time.Millisecond, Now: fixedNow, FailOn: reports.High,
		Progress: func(done, total int) { calls = append(calls, [2]int{done, total}) },
	})
	require.Len(t, calls, 7, "the start and each of the six runs")
	for i, c := range calls {
		assert.Equal(t, [2]int{i, 6}, c)
	}
}

func TestOnlyAndTags(t *testing.T) {
	var runs atomic.Int64
	plan := load(t, &runs)
	res := runner.Run(context.Background(), plan, runner.Options{
		Timeout: time.Second, Now: fixedNow, FailOn: reports.High, Only: []string{"t.pass*", "t.attested"},
	})
	require.Len(t, res.Steps, 2)
	assert.Equal(t, reports.Go, res.Verdict)
	assert.Equal(t, int64(1), runs.Load(), "only the kept steps' probes run")
}

const uncheckedChecklist = `
checklist "u" { title = "Unchecked" }

variable "checkout_page" { type = string }

probe "behave" "tls" { mode = "local" }

step "tls" {
  title = "TLS, from a probe that cannot check a local file"
  severity = "critical"
  assert {
    condition = probe.behave.tls.value == 1
    message = "x"
  }
}
step "hsts" {
  title = "a header, which a local file does not have"
  severity = "high"
  checkable        = startswith(var.checkout_page, "https://")
  unchecked_reason = "checkout_page is a local file: it has no response headers"
  assert {
    condition = false
    message = "never judged"
  }
}
step "csp" {
  title = "waived because it is checked at the CDN"
  severity = "high"
  checkable = false
  assert {
    condition = false
    message = "never judged"
  }
}
step "minor" {
  title = "below the threshold"
  severity = "low"
  checkable = false
  assert {
    condition = false
    message = "never judged"
  }
}
step "na" {
  title = "does not apply"
  severity = "critical"
  when = false
  checkable = false
  assert {
    condition = false
    message = "never judged"
  }
}
`

const uncheckedIntegration = `
use "u.hcl" {
  checkout_page = "dist/checkout.html"
}
waiver "u.csp" {
  reason      = "CSP is set by the CDN, checked in its own audit"
  approved_by = "CISO"
  expires     = "2026-12-31"
}
`

// TestUnchecked covers both ways a step goes unchecked (a probe wrapping
// ErrUnchecked, a false checkable) and what they do to the verdict.
func TestUnchecked(t *testing.T) {
	var runs atomic.Int64
	plan := loadFiles(t, &runs, uncheckedChecklist, uncheckedIntegration)
	for _, allow := range []bool{false, true} {
		res := runner.Run(context.Background(), plan, runner.Options{Now: fixedNow, FailOn: reports.High, AllowUnchecked: allow})
		byID := map[string]reports.Step{}
		for _, s := range res.Steps {
			byID[s.ID] = s
		}
		tests := []struct {
			id        string
			status    reports.Status
			unchecked bool
			message   string
		}{
			{"u.tls", reports.Skip, true, "unchecked: probe behave.tls: dist/checkout.html is a local file, it has no TLS"},
			{"u.hsts", reports.Skip, true, "checkout_page is a local file: it has no response headers"},
			{"u.csp", reports.Waived, true, "cannot be checked in this run"},
			{"u.minor", reports.Skip, true, "cannot be checked in this run"},
			{"u.na", reports.Skip, false, "not applicable"},
		}
		for _, tc := range tests {
			s := byID[tc.id]
			assert.Equal(t, tc.status, s.Status, tc.id)
			assert.Equal(t, tc.unchecked, s.Unchecked, tc.id)
			assert.Contains(t, s.Message, tc.message, tc.id)
		}
		assert.Equal(t, reports.Summary{Total: 5, Skip: 4, Waived: 1, Unchecked: 4}, res.Summary)
		assert.Equal(t, allow, res.AllowUnchecked)
		if allow {
			assert.Equal(t, reports.Go, res.Verdict, "--allow-unchecked")
		} else {
			assert.Equal(t, reports.Undetermined, res.Verdict, "unchecked critical and high steps leave the verdict open")
		}
	}
}

// checklistName is the file the integration's first use block reads.
func checklistName(integration string) string {
	_, rest, _ := strings.Cut(integration, `use "`)
	name, _, _ := strings.Cut(rest, `"`)
	return name
}

// A condition that is not a bool names what it gave, so the checklist's author
// can see the type mistake.
func TestConditionThatIsNotABool(t *testing.T) {
	const text = `
checklist "c" { title = "C" }
probe "behave" "good" {
  mode  = "ok"
  value = 3
}
step "text" {
  title    = "text"
  severity = "high"
  assert {
    condition = "yes ${probe.behave.good.value}"
    message   = "x"
  }
}
step "null" {
  title    = "null"
  severity = "high"
  assert {
    condition = probe.behave.good.value == 3 ? null : true
    message   = "x"
  }
}
`
	var runs atomic.Int64
	plan := loadFiles(t, &runs, text, `use "c.hcl" {}`)
	res := runner.Run(context.Background(), plan, runner.Options{Now: fixedNow, FailOn: reports.High})
	want := map[string]string{
		"c.text": `gave the string "yes 3", not true or false`,
		"c.null": "gave null, not true or false",
	}
	require.Len(t, res.Steps, len(want))
	for _, s := range res.Steps {
		assert.Equal(t, reports.Error, s.Status, s.ID)
		assert.Contains(t, s.Message, want[s.ID], s.ID)
		assert.Contains(t, s.Message, "c.hcl:", s.ID, "the condition's location")
	}
	assert.Equal(t, reports.Undetermined, res.Verdict)
}

// TestUndecidedGivesItsReason: a condition that calls undecided() is an
// error whose message is the reason as the checklist wrote it, not HCL's
// wrapping of a failed function call.
func TestUndecidedGivesItsReason(t *testing.T) {
	const text = `
checklist "c" { title = "C" }
probe "behave" "good" {
  mode  = "ok"
  value = 3
}
step "seen" {
  title    = "seen"
  severity = "high"
  assert {
    condition = probe.behave.good.value == 3 ? undecided("the page was read statically") : true
    message   = "x"
  }
}
`
	var runs atomic.Int64
	plan := loadFiles(t, &runs, text, `use "c.hcl" {}`)
	res := runner.Run(context.Background(), plan, runner.Options{Now: fixedNow, FailOn: reports.High})
	require.Len(t, res.Steps, 1)
	assert.Equal(t, reports.Error, res.Steps[0].Status)
	assert.Equal(t, "cannot decide: the page was read statically", res.Steps[0].Message)
}

// readFile is a probe kind that reads a file of its folder through the
// instance's scope, as every file-reading probe does.
type readFile struct{ runs *atomic.Int64 }

func (readFile) Name() string { return "readfile" }
func (readFile) Doc() string  { return "test kind" }
func (readFile) Spec() hcldec.Spec {
	return &hcldec.ObjectSpec{"path": &hcldec.AttrSpec{Name: "path", Type: cty.String, Required: true}}
}
func (readFile) Facts() cty.Type { return cty.Object(map[string]cty.Type{"text": cty.String}) }
func (r readFile) Run(_ context.Context, env *probes.Env, cfg cty.Value) (cty.Value, error) {
	r.runs.Add(1)
	data, err := env.Scope.ReadFile(filepath.Join(env.BaseDir, cfg.GetAttr("path").AsString()), 1<<20)
	if err != nil {
		return cty.NilVal, err
	}
	return cty.ObjectVal(map[string]cty.Value{"text": cty.StringVal(string(data))}), nil
}

// TestProbeRunsAreNotSharedAcrossScopes: an audit.hcl instance (contained
// in its folder) and a --checklist one (not contained) in the same folder
// with the same probe settings must not share one run: a link out of the
// folder is read for the one and refused for the other.
func TestProbeRunsAreNotSharedAcrossScopes(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "shop")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(root, "outside.txt"), []byte("OUTSIDE"), 0o644))
	require.NoError(t, os.Symlink("../outside.txt", filepath.Join(dir, "link.txt")))
	body := func(name string) string {
		return `checklist "` + name + `" { title = "x" }
probe "readfile" "f" { path = "link.txt" }
step "reads" {
  title = "reads"
  severity = "high"
  assert {
    condition = probe.readfile.f.text == "OUTSIDE"
    message   = "read ${probe.readfile.f.text}"
  }
}
`
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.hcl"), []byte(body("a")), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "b.hcl"), []byte(body("b")), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "audit.hcl"), []byte(`use "a.hcl" {}`), 0o644))

	var runs atomic.Int64
	reg, err := probes.NewRegistry(readFile{runs: &runs})
	require.NoError(t, err)
	lib, err := checklist.NewLibrary()
	require.NoError(t, err)
	l := &checklist.Loader{Parser: checklist.NewParser(), Library: lib, Registry: reg, Now: fixedNow}
	for _, order := range [][]string{{"integration first"}, {"command line first"}} {
		t.Run(order[0], func(t *testing.T) {
			req := checklist.Request{Integration: filepath.Join(dir, "audit.hcl"), Checklists: []string{filepath.Join(dir, "b.hcl")}, WorkDir: dir}
			plan, diags := l.Load(req)
			require.False(t, diags.HasErrors(), diags.Error())
			require.Len(t, plan.Instances, 2)
			require.Equal(t, plan.Instances[0].BaseDir, plan.Instances[1].BaseDir, "the same folder and settings")
			if order[0] == "command line first" {
				plan.Instances[0], plan.Instances[1] = plan.Instances[1], plan.Instances[0]
			}
			runs.Store(0)
			res := runner.Run(context.Background(), plan, runner.Options{Parallel: 1, Timeout: time.Second, Now: fixedNow, FailOn: reports.High})
			byID := map[string]reports.Step{}
			for _, s := range res.Steps {
				byID[s.ID] = s
			}
			assert.Equal(t, reports.Error, byID["a.reads"].Status, byID["a.reads"].Message)
			assert.Contains(t, byID["a.reads"].Message, "outside the integration")
			assert.NotContains(t, byID["a.reads"].Message, "OUTSIDE", "the contained instance saw the file out of its folder")
			assert.Equal(t, reports.Pass, byID["b.reads"].Status, byID["b.reads"].Message)
			assert.Equal(t, int64(2), runs.Load(), "one run per scope")
		})
	}
}
