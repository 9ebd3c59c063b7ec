package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/audit-tool/audit/outcome"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/audit-tool/audit/browser"
	"github.com/audit-tool/audit/probes"
	"github.com/audit-tool/audit/reports"
)

// The hostile-input tests run the built binary as a child under rlimits:
// a crash, an unbounded allocation or a busy loop shows as the child's
// failure, not as the test process's.

var built struct {
	once sync.Once
	dir  string
	bin  string
	err  error
}

// testBrowser is the one Chromium the tests of this package share (nil
// when none is installed: pages are then read statically).
var testBrowser probes.Renderer

func TestMain(m *testing.M) {
	var b *browser.Browser
	if path := browser.Find(); path != "" {
		b = browser.New(path)
		testBrowser = b
	}
	code := m.Run()
	stopSharedPostgres()
	if b != nil {
		if err := b.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "closing the test browser:", err)
		}
	}
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// auditBinary builds cmd/audit once per test run.
func auditBinary(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		built.dir, built.err = os.MkdirTemp("", "audit-bin-")
		if built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "audit")
		out, err := exec.Command("go", "build", "-o", built.bin, ".").CombinedOutput()
		if err != nil {
			built.err = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	require.NoError(t, built.err)
	return built.bin
}

// childLimits bound the child: address space (bytes) and CPU seconds.
type childLimits struct {
	memory int64
	cpu    int
	fsize  int64 // largest file the child may write (bytes; 0: no limit)
}

// defaultLimits: the Go runtime itself needs some address space (1 GiB
// fails now and then), the blow-ups measured took 9 GB and more.
var defaultLimits = childLimits{memory: 2 << 30, cpu: 20}

// auditChild runs the binary in dir under lim (prlimit, from util-linux)
// and returns its exit code and output. A child killed by a signal (the
// CPU limit sends SIGKILL) fails the test.
func auditChild(t *testing.T, dir string, lim childLimits, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	code, stdout, stderr, _ = auditChildState(t, dir, lim, args...)
	return code, stdout, stderr
}

// childState is what the child used: its rusage (CPU of prlimit and the
// audit process it waited for) and the audit process's own peak RSS.
type childState struct {
	*os.ProcessState
	peakRSS int64 // bytes
}

// auditChildState is auditChild with the child's process state (rusage).
// The peak RSS is GNU time's for the audit process it forks: a process
// forked from this test (prlimit) counts the test's own pages as resident
// until it execs, and keeps that peak through the exec (several hundred
// MB under -race).
func auditChildState(t *testing.T, dir string, lim childLimits, args ...string) (code int, stdout, stderr string, ps *childState) {
	t.Helper()
	bin := auditBinary(t)
	const timeBin = "/usr/bin/time" // GNU time, not the shell's keyword
	rssFile := filepath.Join(t.TempDir(), "maxrss")
	// The CPU rlimit is the bound; the wall clock only guards against a
	// child that sleeps for ever, on a machine shared with other builds.
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Duration(lim.cpu)*time.Second+30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "prlimit", fmt.Sprintf("--as=%d", lim.memory), fmt.Sprintf("--cpu=%d", lim.cpu))
	if lim.fsize > 0 {
		cmd.Args = append(cmd.Args, fmt.Sprintf("--fsize=%d", lim.fsize))
	}
	cmd.Args = append(cmd.Args, "--", timeBin, "-f", "%M", "-o", rssFile, "--", bin)
	cmd.Args = append(cmd.Args, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOMAXPROCS=2")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee) && ee.ProcessState.Exited():
		code = ee.ExitCode()
	default:
		t.Fatalf("audit %s: %v (ran out of its limits?)\n%s", strings.Join(args, " "), err, tail(errOut.String()))
	}
	if e := errOut.String(); strings.Contains(e, "fatal error:") || strings.Contains(e, "goroutine ") {
		t.Fatalf("the Go runtime gave up (stack, memory) or a panic reached the user:\n%s", e[:min(len(e), 2000)])
	}
	ps = &childState{ProcessState: cmd.ProcessState}
	if data, err := os.ReadFile(rssFile); err == nil {
		// The last line: time writes "Command exited with non-zero status N" first.
		lines := strings.Fields(strings.TrimSpace(string(data)))
		if kb, err := strconv.ParseInt(lines[len(lines)-1], 10, 64); err == nil {
			ps.peakRSS = kb << 10
		}
	}
	return code, out.String(), errOut.String(), ps
}

func tail(s string) string {
	if len(s) > 2000 {
		return "…" + s[len(s)-2000:]
	}
	return s
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
}

func mkfifo(t *testing.T, path string) string {
	t.Helper()
	require.NoError(t, syscall.Mkfifo(path, 0o600))
	return path
}

func TestHostileInputFilesAreRefusedAtLoad(t *testing.T) {
	dir := t.TempDir()
	mkfifo(t, filepath.Join(dir, "fifo"))
	require.NoError(t, os.Symlink("/dev/zero", filepath.Join(dir, "zero.hcl")))
	require.NoError(t, os.Symlink("/dev/zero", filepath.Join(dir, "zero.env")))
	writeFiles(t, dir, map[string]string{
		"zero/audit.hcl":      `use "amazon-pay" { merchant_file = "/dev/zero" }`,
		"linked/audit.hcl":    `use "amazon-pay" { merchant_file = "../zero.hcl" }`,
		"viafifo/audit.hcl":   `use "amazon-pay" { merchant_file = "../fifo" }`,
		"config/audit.hcl":    `use "amazon-pay" { config_files = ["../zero.env"] }`,
		"config/merchant.hcl": `merchant { legal_name = "x" }`,
		"checks.hcl":          `checklist "c" { title = "c" }`,
	})
	stored := filepath.Join(dir, "audit.json") // a valid result, beside the hostile ones
	require.NoError(t, os.WriteFile(stored, []byte(`{"schema_version":1,"verdict":"GO","steps":[]}`), 0o644))

	tests := []struct {
		name string
		args []string
		want string
	}{
		{"merchant file is /dev/zero", []string{"validate", "zero"}, "/dev is never read"},
		{"merchant file links to /dev/zero", []string{"run", "linked", "--offline"}, "/dev is never read"},
		{"merchant file is a FIFO", []string{"run", "viafifo", "--offline"}, "it is a FIFO"},
		{"config file links to /dev/zero", []string{"run", "config", "--offline"}, "/dev is never read"},
		{"--var-file is a FIFO", []string{"run", "--checklist", "checks.hcl", "--var-file", "fifo"}, "it is a FIFO"},
		{"--ca-file is a FIFO", []string{"run", "--checklist", "checks.hcl", "--ca-file", "fifo"}, "it is a FIFO"},
		{"--ca-file is /dev/zero", []string{"run", "--checklist", "checks.hcl", "--ca-file", "/dev/zero"}, "/dev is never read"},
		{"integration path is a FIFO", []string{"run", "fifo"}, "it is a FIFO"},
		{"validate a FIFO", []string{"validate", "fifo"}, "it is a FIFO"},
		{"--checklist is a FIFO", []string{"run", "--checklist", "fifo.hcl"}, "it is a FIFO"},
		{"audit report of a FIFO", []string{"report", "fifo"}, "it is a FIFO"},
		{"audit report of /dev/zero", []string{"report", "/dev/zero"}, "/dev is never read"},
	}
	require.NoError(t, os.Symlink("fifo", filepath.Join(dir, "fifo.hcl")))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := auditChild(t, dir, childLimits{memory: 2 << 30, cpu: 10}, tc.args...)
			assert.Equal(t, outcome.ExitUsage, code, stderr)
			assert.Contains(t, stderr, tc.want)
			assert.Empty(t, out)
		})
	}
}

func TestOversizedInputFilesAreRefused(t *testing.T) {
	dir := t.TempDir()
	big := strings.Repeat("# padding\n", (5<<20)/10)
	writeFiles(t, dir, map[string]string{
		"audit.hcl":    `use "amazon-pay" { merchant_file = "merchant.hcl" }`,
		"merchant.hcl": big,
	})
	code, _, stderr := auditChild(t, dir, defaultLimits, "validate", ".")
	assert.Equal(t, outcome.ExitUsage, code)
	assert.Contains(t, stderr, "more than 4 MiB")

	// A stored result of 400k steps (158 MB, under the old 256 MiB cap)
	// took 1.8 GB to re-render.
	f, err := os.Create(filepath.Join(dir, "huge.json"))
	require.NoError(t, err)
	// Written in pieces: the child's Maxrss starts from the test
	// process's, which it shares until exec.
	_, err = f.WriteString(`{"schema_version":1,"steps":[`)
	require.NoError(t, err)
	piece := strings.Repeat(`{"id":"c.s","status":"pass"},`, 1<<15)
	for range (65 << 20) / len(piece) {
		_, err = f.WriteString(piece)
		require.NoError(t, err)
	}
	_, err = f.WriteString(`{"id":"c.t"}]}`)
	require.NoError(t, err)
	require.NoError(t, f.Close())
	code, _, stderr, ps := auditChildState(t, dir, defaultLimits, "report", "huge.json")
	assert.Equal(t, outcome.ExitUsage, code)
	assert.Contains(t, stderr, "more than 64 MiB")
	assert.Less(t, maxRSS(t, ps), int64(128<<20))
}

func TestDeeplyNestedHCLIsADiagnostic(t *testing.T) {
	dir := t.TempDir()
	deep := strings.Repeat("(", 100_000) + "1" + strings.Repeat(")", 100_000)
	writeFiles(t, dir, map[string]string{
		"audit.hcl":          "use \"amazon-pay\" {\n  region = " + deep + "\n}\n",
		"checks/c.hcl":       "checklist \"c\" { title = \"c\" }\nlocals {\n  x = " + deep + "\n}\n",
		"merchant/audit.hcl": `use "amazon-pay" { merchant_file = "m.hcl" }`,
		"merchant/m.hcl":     "merchant {\n legal_name = " + deep + "\n}\n",
		"vars.hcl":           "region = " + deep + "\n",
	})
	ops := func(expr string) string {
		return "checklist \"ops\" { title = \"x\" }\nlocals {\n  a = " + expr + "\n}\n"
	}
	writeFiles(t, dir, map[string]string{
		"ops/plus.hcl":    ops(strings.Repeat("1+", 1_000_000) + "1"),
		"ops/neg.hcl":     ops(strings.Repeat("-", 2_000_000) + "1"),
		"ops/not.hcl":     ops(strings.Repeat("!", 2_000_000) + "true"),
		"ops/cond.hcl":    ops(strings.Repeat("true ? 1 : ", 300_000) + "1"),
		"ops/heredoc.hcl": ops("<<EOT\n${" + strings.Repeat("1+", 100_000) + "1}\nEOT\n"),
	})
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"integration file", []string{"validate", "audit.hcl"}, "audit.hcl line 2"},
		{"checklist", []string{"validate", "checks/c.hcl"}, "c.hcl line 3"},
		{"merchant file", []string{"validate", "merchant"}, "m.hcl line 2"},
		{"--var-file", []string{"run", "--checklist", "amazon-pay", "--var-file", "vars.hcl"}, "vars.hcl line 1"},
		{"--var", []string{"run", "--checklist", "amazon-pay", "--var", "source_dirs=" + deep[:100_000]}, "Nested too deep"},
		// Operator chains build trees as deep as brackets do: these were
		// Go's "fatal error: stack overflow".
		{"a chain of a million additions", []string{"validate", "ops/plus.hcl"}, "plus.hcl:3:406: error"},
		{"two million unary minuses", []string{"validate", "ops/neg.hcl"}, "neg.hcl:3:206: error"},
		{"two million negations", []string{"validate", "ops/not.hcl"}, "not.hcl:3:206: error"},
		{"300,000 chained conditionals", []string{"validate", "ops/cond.hcl"}, "cond.hcl:3:"},
		{"additions in a heredoc interpolation", []string{"validate", "ops/heredoc.hcl"}, "heredoc.hcl:4:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := auditChild(t, dir, defaultLimits, tc.args...)
			assert.Equal(t, outcome.ExitUsage, code, tail(stderr))
			assert.True(t, strings.Contains(stderr, "Nested too deep") && strings.Contains(stderr, tc.want), tail(stderr))
			assert.Less(t, len(stderr), 4000, "no 200 KB snippet")
		})
	}
}

func TestMisspeltInputPathStopsBeforeAnyProbe(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusBadRequest)
	}))
	defer srv.Close()
	dir := t.TempDir()
	require.NoError(t, os.CopyFS(dir, os.DirFS(example)))
	src, err := os.ReadFile(filepath.Join(dir, "audit.hcl"))
	require.NoError(t, err)
	for _, tc := range []struct{ name, from, to, says string }{
		{"config file", `"config/payments.yaml"]`, `"config/payment.yaml"]`, `config_files "config/payment.yaml": no such file or folder`},
		{"source folder", `source_dirs   = ["src", "public"]`, `source_dirs   = ["src", "pubic"]`, `source_dirs "pubic": no such file or folder`},
		{"checkout page", `checkout_page = "dist/checkout.html"`, `checkout_page = "dist/checkot.html"`, `checkout_page "dist/checkot.html": no such file or folder`},
		{"log folder is a file", `log_dirs         = ["logs"]`, `log_dirs         = ["logs/app.log/x"]`, `log_dirs "logs/app.log/x": not a directory`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hcl := strings.Replace(string(src), tc.from, tc.to, 1)
			require.NotEqual(t, string(src), hcl)
			hcl = strings.Replace(hcl, `launch_date   = "2026-12-10"`, `launch_date   = "2026-12-10"`+"\n  webhook_url = \""+srv.URL+"/ipn\"", 1)
			require.NoError(t, os.WriteFile(filepath.Join(dir, "audit.hcl"), []byte(hcl), 0o644))

			code, _, stderr := audit(t, "validate", dir)
			assert.Equal(t, outcome.ExitUsage, code)
			assert.Contains(t, stderr, tc.says)
			code, out, stderr := audit(t, "run", dir)
			assert.Equal(t, outcome.ExitUsage, code)
			assert.Contains(t, stderr, tc.says)
			assert.Empty(t, out)
			assert.Zero(t, hits.Load(), "the webhook received a forged notification before the path was checked")
		})
	}
	// The control: with the paths right, the same run does post.
	hcl := strings.Replace(string(src), `launch_date   = "2026-12-10"`, `launch_date   = "2026-12-10"`+"\n  webhook_url = \""+srv.URL+"/ipn\"", 1)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "audit.hcl"), []byte(hcl), 0o644))
	code, _, stderr := audit(t, "run", dir, "--format", "json")
	assert.Equal(t, outcome.ExitNoGo, code, stderr)
	assert.NotZero(t, hits.Load())
}

// maxRSS is the child's peak resident memory.
func maxRSS(t *testing.T, ps *childState) int64 {
	t.Helper()
	require.Positive(t, ps.peakRSS, "GNU time gave no peak RSS (is the time package installed? scripts/setup.sh)")
	return ps.peakRSS
}

func TestLocalsDoublingAStringStopWithADiagnostic(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("checklist \"dbl\" { title = \"x\" }\nlocals {\n  a0 = \"xx\"\n")
	for i := 1; i <= 39; i++ {
		fmt.Fprintf(&b, "  a%d = \"${local.a%d}${local.a%d}\"\n", i, i-1, i-1)
	}
	b.WriteString("}\nstep \"s\" {\n  title = \"t\"\n  severity = \"low\"\n  assert {\n    condition = local.a39 != \"\"\n    message = \"m\"\n  }\n}\n")
	require.Less(t, b.Len(), 1600)
	writeFiles(t, dir, map[string]string{"dbl.hcl": b.String()})

	for _, args := range [][]string{{"validate", "dbl.hcl"}, {"run", "--checklist", "dbl.hcl"}} {
		t.Run(args[0], func(t *testing.T) {
			code, _, stderr, ps := auditChildState(t, dir, defaultLimits, args...)
			assert.Equal(t, outcome.ExitUsage, code)
			assert.Contains(t, stderr, "Checklist too costly to evaluate")
			assert.Contains(t, stderr, "dbl.hcl:24:9: error:", "file, line and column of a21, where the locals together pass 16 MiB")
			assert.Less(t, maxRSS(t, ps), int64(512<<20), "bounded memory (it grew to 9-13 GB)")
		})
	}
}

func TestLoadTimeWorkHasADeadline(t *testing.T) {
	dir := t.TempDir()
	// Each checklist is within every limit (24,000 locals, 96,000
	// tokens); twenty take about 6 s of CPU to load on the 2-core CI
	// machine. The deadline must end the process, not only the wait.
	var args []string
	for n := range 20 {
		var b strings.Builder
		fmt.Fprintf(&b, "checklist \"slow%d\" { title = \"x\" }\nlocals {\n", n)
		for i := range 24_000 {
			fmt.Fprintf(&b, "  l%d = %d\n", i, i)
		}
		b.WriteString("}\n")
		name := fmt.Sprintf("slow%d.hcl", n)
		writeFiles(t, dir, map[string]string{name: b.String()})
		args = append(args, "--checklist", name)
	}
	args = append([]string{"run", "--offline", "--timeout", "300ms"}, args...)
	code, _, stderr, ps := auditChildState(t, dir, childLimits{memory: 2 << 30, cpu: 30}, args...)
	assert.Equal(t, outcome.ExitUsage, code)
	assert.Contains(t, stderr, "loading the checklists took longer than 300ms; nothing was run")
	assert.Less(t, cpuTime(ps), 1500*time.Millisecond, "the process went on loading after the deadline")
}

// TestLargeInputsAreRefusedByCountBeforeParsing: files under the 4 MiB
// cap whose syntax trees took 700 MB or whose evaluation took minutes.
func TestLargeInputsAreRefusedByCountBeforeParsing(t *testing.T) {
	dir := t.TempDir()
	var locals, vars, list strings.Builder
	locals.WriteString("checklist \"big\" { title = \"x\" }\nlocals {\n")
	for i := range 380_000 {
		fmt.Fprintf(&locals, "l%d=1\n", i)
	}
	locals.WriteString("}\n")
	for i := range 300_000 {
		fmt.Fprintf(&vars, "v%d = \"x\"\n", i)
	}
	list.WriteString("merchant {\n  legal_name = \"Café Étoile SARL\"\n  users = [" + strings.Repeat("1,", 1_000_000) + "]\n}\n")
	var copies strings.Builder
	copies.WriteString("checklist \"copies\" { title = \"x\" }\nlocals {\n  big = flatten([for a in range(100) : [for b in range(100) : \"ab\"]])\n")
	for i := range 10_000 {
		fmt.Fprintf(&copies, "  l%d = [local.big]\n", i)
	}
	copies.WriteString("}\n")
	writeFiles(t, dir, map[string]string{
		"locals.hcl":         locals.String(),
		"vars.hcl":           vars.String(),
		"copies.hcl":         copies.String(),
		"merchant/audit.hcl": `use "amazon-pay" { merchant_file = "m.hcl" }`,
		"merchant/m.hcl":     list.String(),
		"million.hcl":        "checklist \"m\" { title = \"x\" }\nlocals {\n  a = flatten([for a in range(1000) : [for b in range(1000) : \"ab\"]])\n}\n",
		"json.hcl":           "checklist \"j\" { title = \"x\" }\nlocals {\n  a = jsondecode(<<EOT\n[" + strings.Repeat("1,", 1_500_000) + "1]\nEOT\n  )\n}\n",
		"product.hcl":        "checklist \"p\" { title = \"x\" }\nlocals {\n  a = length(setproduct(range(1000), range(1000)))\n}\n",
		"heredoc.hcl":        "checklist \"h\" { title = \"x\" }\nlocals {\n  a = <<EOT\n" + strings.Repeat("a line of a long message\n", 150_000) + "EOT\n}\n",
	})
	for name, f := range map[string]string{"locals.hcl": locals.String(), "vars.hcl": vars.String(), "m.hcl": list.String()} {
		require.Less(t, len(f), 4<<20, "%s is under the size cap", name)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"380,000 locals", []string{"validate", "locals.hcl"}, `locals.hcl:24999:9: error: File too complex`},
		{"a --var-file of 300,000 lines", []string{"run", "--checklist", "pci-dss", "--var-file", "vars.hcl"}, `vars.hcl:20001:1: error: File too complex`},
		{"a merchant list of a million elements", []string{"validate", "merchant"}, `m.hcl:3:100`},
		{"ten thousand copies of a list", []string{"validate", "copies.hcl"}, `error: Checklist too costly to evaluate`},
		{"a local of a million elements", []string{"validate", "million.hcl"}, `million.hcl:3:7: error: Checklist too costly to evaluate`},
		{"jsondecode of a 3 MB heredoc", []string{"validate", "json.hcl"}, `json.hcl:3:7: error: Expression too large`},
		{"setproduct", []string{"validate", "product.hcl"}, `product.hcl:3:7: error: Expression too large`},
		// HCL joins a heredoc's lines one by one: 70,000 lines took 30 s.
		{"a heredoc of 150,000 lines", []string{"validate", "heredoc.hcl"}, `heredoc.hcl:1004:1: error: Heredoc too long`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr, ps := auditChildState(t, dir, childLimits{memory: 2 << 30, cpu: 20}, tc.args...)
			assert.Equal(t, outcome.ExitUsage, code, tail(stderr))
			assert.Contains(t, stderr, tc.want)
			assert.Less(t, maxRSS(t, ps), int64(256<<20), "the --var-file peaked at 706 MB, the million elements at 680 MB")
			assert.Less(t, cpuTime(ps), 3*time.Second, "the locals took 10 s")
		})
	}
}

func TestThousandsOfErrorsPrintQuickly(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("checklist \"bad\" { title = \"x\" }\nlocals {\n")
	for i := 0; i < 3000; i++ {
		fmt.Fprintf(&b, "  b%d = local.missing%d\n", i, i)
	}
	b.WriteString("}\n")
	writeFiles(t, dir, map[string]string{"bad.hcl": b.String()})
	// It took a minute: every snippet scanned the file from its start.
	code, _, stderr := auditChild(t, dir, childLimits{memory: 2 << 30, cpu: 10}, "validate", "bad.hcl")
	assert.Equal(t, outcome.ExitUsage, code)
	assert.Contains(t, stderr, "… and 2980 more diagnostic(s): fix these first.")
	assert.Contains(t, stderr, "3000 configuration error(s)")
}

// hostileValues are the shapes that leaked: glued, encoded, tab-separated,
// upper-cased card numbers and keys, and terminal escapes.
const (
	hostilePAN = "4539148803436467"
	hostileKey = "sk_live_51HqLyjWDarjtT1zdp7dcXcHf"
)

func hostileIntegration(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	cfgName := "evil\x1b[2J\x07\nPASS forged " + hostilePAN + ".env"
	writeFiles(t, dir, map[string]string{
		cfgName: "A=cc%3D" + hostilePAN + "%26x\n" +
			"B=key%3D" + hostileKey + "\n" +
			"C=FR" + hostilePAN + "\n" +
			"D=4539\t1488\t0343\t6467\n" +
			"E=" + strings.ToUpper(hostileKey) + "\n" +
			"F=\x1b]0;pwned\x07\x9b31m\n",
		"evil.hcl": `checklist "evil" { title = "Evil ` + "\\u001b[5m" + hostilePAN + `" }

variable "files" { type = list(string) }

probe "config" "app" { files = var.files }

step "leak" {
  title      = "Title ` + "\\u001b]0;x\\u0007" + ` cc%3D` + hostilePAN + `"
  severity   = "high"
  tags       = ["` + hostileKey + `", "bell` + "\\u0007" + `"]
  references = ["https://x.example/?cc%3D` + hostilePAN + `", "` + strings.ToUpper(hostileKey) + `"]
  assert {
    condition = false
    message   = "values: ${join(" | ", [for e in probe.config.app.entries : e.value])} in ${probe.config.app.files[0].path}"
    evidence  = [for e in probe.config.app.entries : { source = e.file, line = e.line, detail = e.value }]
  }
}
`,
		"audit.hcl": "use \"evil.hcl\" {\n  files = [\"" + strings.NewReplacer("\x1b", `\u001b`, "\x07", `\u0007`, "\n", `\n`).Replace(cfgName) + "\"]\n}\n",
	})
	return dir
}

// assertClean fails when out holds a card number, the key, or a control
// character a terminal would act on.
// cleanReports reads the text reports a run wrote to out, each checked
// with assertClean, by file name.
func cleanReports(t *testing.T, out string) map[string]string {
	t.Helper()
	reports := map[string]string{}
	for _, f := range []string{"audit.json", "audit.junit.xml", "audit.sarif", "audit.md"} {
		b, err := os.ReadFile(filepath.Join(out, f))
		require.NoError(t, err)
		assertClean(t, f, string(b), true)
		reports[f] = string(b)
	}
	return reports
}

func assertClean(t *testing.T, name, out string, keepNewlines bool) {
	t.Helper()
	digits := strings.NewReplacer("\t", "", " ", "", "%20", "", "-", "", ".", "").Replace(out)
	assert.NotContains(t, digits, hostilePAN, "%s: a card number", name)
	assert.NotContains(t, strings.ToLower(out), strings.ToLower(hostileKey[8:]), "%s: the key", name)
	for _, c := range out {
		if (c < 0x20 && !(keepNewlines && (c == '\n' || c == '\t'))) || c == 0x7f || (c >= 0x80 && c < 0xa0) {
			assert.Failf(t, "control character", "%s: %q", name, c)
			return
		}
	}
	assert.NotContains(t, out, "\nPASS forged", "%s: a forged line", name)
}

func TestHostileShapesNeverLeakInAnyFormat(t *testing.T) {
	dir := hostileIntegration(t)
	out := filepath.Join(dir, "out")
	code, stdout, stderr := audit(t, "run", dir, "--format", "table,json,junit,sarif,markdown,pdf", "--out", out)
	require.Equal(t, outcome.ExitNoGo, code, stderr)
	require.Contains(t, stdout, "453914******6467", "the table shows the masked number")
	assertClean(t, "table", stdout, true)
	assertClean(t, "stderr", stderr, true)
	for f, b := range cleanReports(t, out) {
		assert.Contains(t, b, "453914******6467", f)
	}
	pdf, err := os.ReadFile(filepath.Join(out, "audit.pdf"))
	require.NoError(t, err)
	text, err := exec.Command("pdftotext", filepath.Join(out, "audit.pdf"), "-").Output()
	require.NoError(t, err, "pdftotext (scripts/setup.sh installs poppler-utils)")
	require.NotEmpty(t, pdf)
	assertClean(t, "audit.pdf", strings.ReplaceAll(string(text), "\f", "\n"), true) // pdftotext ends pages with a form feed

	// audit report re-renders an edited result: the same boundary.
	stored := filepath.Join(out, "audit.json")
	raw, err := os.ReadFile(stored)
	require.NoError(t, err)
	edited := strings.Replace(string(raw), `"Evil`, `"Evil \u001b[31m cc%3D`+hostilePAN+` `+strings.ToUpper(hostileKey), 1)
	require.NotEqual(t, string(raw), edited)
	require.NoError(t, os.WriteFile(stored, []byte(edited), 0o644))
	for _, format := range []string{"table", "json", "markdown", "junit", "sarif"} {
		_, stdout, stderr := audit(t, "report", stored, "--format", format)
		assertClean(t, "report "+format, stdout, true)
		assertClean(t, "report stderr", stderr, true)
	}

	// Diagnostics quote the source: an ESC in audit.hcl is escaped there.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "audit.hcl"), []byte("use \"evil.hcl\" {\n  files = 1 # \x1b[2J "+hostilePAN+"\n}\n"), 0o644))
	code, _, stderr = audit(t, "validate", dir)
	assert.Equal(t, outcome.ExitUsage, code)
	assertClean(t, "diagnostics", stderr, true)
	assert.Contains(t, stderr, `\x1b[2J`)
}

func TestScanPrintsHostileFileNamesEscapedAndMasked(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"logs/" + hostilePAN + "\x1b[2J\nPASS forged.log": "card " + hostilePAN + "\n",
	})
	out := filepath.Join(dir, "out")
	code, stdout, stderr := audit(t, "scan", filepath.Join(dir, "logs"), "--format", "table,json,sarif", "--out", out)
	assert.Equal(t, outcome.ExitNoGo, code, stderr)
	assertClean(t, "scan table", stdout, true)
	assertClean(t, "scan stderr", stderr, true)
	for _, f := range []string{"audit-scan.json", "audit-scan.sarif"} {
		b, err := os.ReadFile(filepath.Join(out, f))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		require.NoError(t, err)
		assertClean(t, f, string(b), true)
	}
}

// luhnComplete appends the check digit that makes prefix Luhn-valid.
func luhnComplete(prefix string) string {
	sum := 0
	for i := len(prefix) - 1; i >= 0; i-- {
		d := int(prefix[i] - '0')
		if (len(prefix)-1-i)%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return prefix + strconv.Itoa((10-sum%10)%10)
}

func cpuTime(ps *childState) time.Duration { return ps.UserTime() + ps.SystemTime() }

func TestJudgingIsLinearInFindingsAndScripts(t *testing.T) {
	dir := t.TempDir()
	var logs, page strings.Builder
	for i := 0; i < 12_000; i++ {
		fmt.Fprintf(&logs, "2026-11-20 order %d card=%s\n", i, luhnComplete(fmt.Sprintf("4%014d", 3_000_000_000+i*7919)))
	}
	page.WriteString("<html><body>")
	for i := 0; i < 100_000; i++ {
		fmt.Fprintf(&page, "<script>a%d()</script>", i)
	}
	page.WriteString("</body></html>")
	writeFiles(t, dir, map[string]string{
		"logs/app.log":       logs.String(),
		"dist/checkout.html": page.String(),
		"audit.hcl":          "use \"pci-dss\" {\n  checkout_page = \"dist/checkout.html\"\n  source_dirs = [\"dist\"]\n  log_dirs = [\"logs\"]\n}\n",
	})
	require.Greater(t, page.Len(), 2_000_000)
	code, stdout, stderr, ps := auditChildState(t, dir, childLimits{memory: 4 << 30, cpu: 60}, "run", ".", "--offline", "--format", "json", "--timeout", "60s")
	require.Equal(t, outcome.ExitNoGo, code, tail(stderr))
	// It took 20 s of CPU for the card numbers and did not finish in 300 s
	// for the scripts; a few seconds are linear work on a loaded machine.
	assert.Less(t, cpuTime(ps), 20*time.Second)
	assert.Less(t, maxRSS(t, ps), int64(1<<30))

	var res reports.Result
	require.NoError(t, json.Unmarshal([]byte(stdout), &res))
	for _, s := range res.Steps {
		assert.LessOrEqual(t, len(s.Evidence), 101, s.ID)
		if s.ID == "pci-dss.no_stored_pan" {
			assert.Equal(t, reports.Fail, s.Status)
			assert.Contains(t, s.Message, "12000 card number(s) found")
			assert.Equal(t, "and 11900 more (12000 in all)", s.Evidence[100].Detail)
		}
	}
	require.NotNil(t, res.Scope)
	assert.LessOrEqual(t, len(res.Scope.Reasons), 21)
}

func TestGateIntegrity(t *testing.T) {
	now := "2026-11-23"
	t.Run("a misspelt --only is exit 2, not a GO", func(t *testing.T) {
		code, out, stderr := audit(t, "run", example, "--offline", "--now", now, "--only", "pci-dss.no_stored_pans")
		assert.Equal(t, outcome.ExitUsage, code)
		assert.Empty(t, out)
		assert.Contains(t, stderr, `--only "pci-dss.no_stored_pans" matches no step: did you mean "pci-dss.no_stored_pan"?`)
		code, _, stderr = audit(t, "run", example, "--offline", "--now", now, "--only", "pci-dss.no_stored_pan,amazon-pay.*")
		assert.Equal(t, outcome.ExitNoGo, code, stderr)
	})
	t.Run("a misspelt --tags is exit 2", func(t *testing.T) {
		code, _, stderr := audit(t, "run", example, "--offline", "--now", now, "--tags", "securty")
		assert.Equal(t, outcome.ExitUsage, code)
		assert.Contains(t, stderr, `--tags "securty" matches no step: did you mean "security"?`)
	})

	dir := t.TempDir()
	require.NoError(t, os.CopyFS(dir, os.DirFS(example)))
	src, err := os.ReadFile(filepath.Join(dir, "audit.hcl"))
	require.NoError(t, err)
	for _, tc := range []struct{ name, add, says string }{
		{"a waiver without approver or reason", `waiver "pci-dss.no_stored_pan" {
  reason      = ""
  approved_by = " "
  expires     = "2026-12-31"
}`, "approved_by must say who accepts the risk"},
		{"a waiver for ever", `waiver "pci-dss.no_stored_pan" {
  reason      = "later"
  approved_by = "CISO"
  expires     = "9999-12-31"
}`, "9999-12-31 is more than 12 months after today (2026-11-23)"},
		{"an attestation without who or evidence", `attest "pci-dss.mfa_for_cde_access" {
  by       = ""
  date     = "2026-11-01"
  evidence = ""
}`, "evidence must say what shows it"},
		{"an attestation from the future", `attest "pci-dss.mfa_for_cde_access" {
  by       = "CISO"
  date     = "2027-01-01"
  evidence = "MFA enforced in the IdP"
}`, "2027-01-01 is after today (2026-11-23)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.NoError(t, os.WriteFile(filepath.Join(dir, "audit.hcl"), append(append([]byte{}, src...), "\n"+tc.add+"\n"...), 0o644))
			code, _, stderr := audit(t, "run", dir, "--now", now)
			assert.Equal(t, outcome.ExitUsage, code)
			assert.Contains(t, stderr, tc.says)
			if !strings.Contains(tc.says, "today") { // validate judges dates on the real day
				code, _, stderr = audit(t, "validate", dir)
				assert.Equal(t, outcome.ExitUsage, code)
				assert.Contains(t, stderr, tc.says)
			}
		})
	}
	t.Run("the integration file may allow longer waivers", func(t *testing.T) {
		hcl := "max_waiver_months = 24\n" + string(src) + `
waiver "pci-dss.hsts" {
  reason      = "HSTS ships with the CDN migration"
  approved_by = "CISO"
  expires     = "2028-06-30"
}
`
		require.NoError(t, os.WriteFile(filepath.Join(dir, "audit.hcl"), []byte(hcl), 0o644))
		code, _, stderr := audit(t, "run", dir, "--offline", "--now", now)
		assert.Equal(t, outcome.ExitNoGo, code, stderr)
	})
	t.Run("audit report recomputes an edited verdict", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "audit.json")
		code, stdout, stderr := audit(t, "run", example, "--offline", "--now", now, "--format", "json")
		require.Equal(t, outcome.ExitNoGo, code, stderr)
		edited := strings.Replace(stdout, `"verdict": "NO-GO"`, `"verdict": "GO"`, 1)
		require.NotEqual(t, stdout, edited)
		require.NoError(t, os.WriteFile(out, []byte(edited), 0o644))
		code, table, stderr := audit(t, "report", out)
		assert.Equal(t, outcome.ExitNoGo, code)
		assert.Contains(t, stderr, "the stored verdict GO disagrees with its steps, which give NO-GO")
		assert.Contains(t, table, "NO-GO")
	})
}

// TestStoredResultWithHugeFieldsPrintsQuickly: `audit report` of a result
// whose message is one 20 MB word (the table's wrapping measured what was
// left of the word at every line: minutes of CPU) and whose evidence is
// 20 MB more. Every field is clipped at the masking boundary.
func TestStoredResultWithHugeFieldsPrintsQuickly(t *testing.T) {
	dir := t.TempDir()
	start := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	res := &reports.Result{SchemaVersion: reports.SchemaVersion, Tool: reports.Tool{Name: "audit", Version: "0.1.0"},
		StartedAt: start, FinishedAt: start, FailOn: reports.High, RunID: "huge"}
	res.Steps = []reports.Step{{ID: "c.huge", Checklist: "c", Title: "t", Severity: reports.High, Status: reports.Fail,
		Message:  strings.Repeat("x", 20<<20) + " sk_live_51HqLyjWDarjtT1zdp7dcXcHf",
		Evidence: []reports.Evidence{{Source: "a", Line: 1, Detail: strings.Repeat("ab ", 7<<20)}}}}
	res.Decide()
	var b bytes.Buffer
	require.NoError(t, reports.JSON(&b, res, reports.Options{}))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "huge.json"), b.Bytes(), 0o644))
	b.Reset()

	code, stdout, stderr, ps := auditChildState(t, dir, childLimits{memory: 3 << 30, cpu: 60}, "report", "huge.json",
		"--format", "table,json,markdown,junit,sarif,pdf", "--out", "out")
	assert.Equal(t, outcome.ExitNoGo, code, tail(stderr))
	assert.Less(t, cpuTime(ps), 15*time.Second, "the table alone took minutes")
	assert.Less(t, maxRSS(t, ps), int64(1<<30))
	assert.Contains(t, stdout, "bytes more)")
	assert.Less(t, len(stdout), 1<<20, "the table carries the clipped message")
	for _, f := range []string{"audit.json", "audit.md", "audit.junit.xml", "audit.sarif"} {
		data, err := os.ReadFile(filepath.Join(dir, "out", f))
		require.NoError(t, err)
		assert.Less(t, len(data), 1<<20, f)
		assert.Contains(t, string(data), "bytes more)", f)
	}
}
