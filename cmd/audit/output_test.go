package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/audit-tool/audit/outcome"
	"github.com/audit-tool/audit/reports"
)

// bigResult stores a result whose reports take the child a while to write,
// so it can be killed in the middle.
func bigResult(t *testing.T, path, runID string, steps int, status reports.Status) {
	t.Helper()
	start := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	res := &reports.Result{SchemaVersion: reports.SchemaVersion, Tool: reports.Tool{Name: "audit", Version: "0.1.0"},
		StartedAt: start, FinishedAt: start, FailOn: reports.High, RunID: runID}
	for i := range steps {
		s := reports.Step{ID: fmt.Sprintf("c.step_%d", i), Checklist: "c", Title: "A step with a long title " + strings.Repeat("x", 80),
			Severity: reports.High, Status: status, Message: strings.Repeat("a failing step says why ", 20)}
		for j := range 20 {
			s.Evidence = append(s.Evidence, reports.Evidence{Source: "config/app.env", Line: j + 1, Detail: strings.Repeat("detail ", 10)})
		}
		res.Steps = append(res.Steps, s)
	}
	res.Decide()
	var b bytes.Buffer
	require.NoError(t, reports.JSON(&b, res, reports.Options{}))
	require.NoError(t, os.WriteFile(path, b.Bytes(), 0o644))
}

// listDir is the names in dir, hidden ones included.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

// runIDs reads the run id out of each report file in dir.
func runIDs(t *testing.T, dir string) map[string]string {
	t.Helper()
	ids := map[string]string{}
	for _, name := range listDir(t, dir) {
		data, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		switch name {
		case "audit.json":
			var r struct {
				RunID string `json:"run_id"`
			}
			require.NoError(t, json.Unmarshal(data, &r))
			ids[name] = r.RunID
		case "audit.sarif":
			var r struct {
				Runs []struct {
					Properties struct {
						RunID string `json:"run_id"`
					} `json:"properties"`
				} `json:"runs"`
			}
			require.NoError(t, json.Unmarshal(data, &r))
			ids[name] = r.Runs[0].Properties.RunID
		case "audit.junit.xml":
			var r struct {
				Suites []struct {
					Props []struct {
						Name  string `xml:"name,attr"`
						Value string `xml:"value,attr"`
					} `xml:"properties>property"`
				} `xml:"testsuite"`
			}
			require.NoError(t, xml.Unmarshal(data, &r))
			for _, s := range r.Suites {
				for _, p := range s.Props {
					if p.Name == "run_id" {
						ids[name] = oneID(ids[name], p.Value)
					}
				}
			}
		case "audit.md":
			if m := regexp.MustCompile(`<!-- run_id: (\S+) -->`).FindSubmatch(data); m != nil {
				ids[name] = string(m[1])
			}
		case "audit.pdf":
			txt, err := exec.Command("pdftotext", filepath.Join(dir, name), "-").Output()
			require.NoError(t, err, "pdftotext (poppler-utils, scripts/setup.sh)")
			// The footer of every page.
			for _, m := range regexp.MustCompile(`(?m)^Run (\d{8}T\S+)$`).FindAllSubmatch(txt, -1) {
				ids[name] = oneID(ids[name], string(m[1]))
			}
		default:
			ids[name] = "not a report"
		}
	}
	return ids
}

// oneID is the run id a file carries in several places, or "mixed".
func oneID(have, id string) string {
	if have != "" && have != id {
		return "mixed"
	}
	return id
}

func sameRun(t *testing.T, dir, want string, files ...string) {
	t.Helper()
	ids := runIDs(t, dir)
	expect := map[string]string{}
	for _, f := range files {
		expect[f] = want
	}
	assert.Equal(t, expect, ids, "%s holds the reports of run %s and nothing else", dir, want)
}

func TestEveryReportCarriesTheRunID(t *testing.T) {
	out := t.TempDir()
	code, _, stderr := audit(t, "run", example, "--offline", "--format", "json,junit,sarif,markdown,pdf", "--out", out)
	require.Equal(t, outcome.ExitNoGo, code, stderr)
	ids := runIDs(t, out)
	id := ids["audit.json"]
	require.NotEmpty(t, id)
	sameRun(t, out, id, "audit.json", "audit.junit.xml", "audit.sarif", "audit.md", "audit.pdf")

	// A later run with fewer formats leaves no report of the first.
	code, _, stderr = audit(t, "run", example, "--offline", "--now", "2026-11-30T10:00:00Z", "--format", "json,markdown", "--out", out)
	require.Equal(t, outcome.ExitNoGo, code, stderr)
	second := runIDs(t, out)["audit.json"]
	require.NotEqual(t, id, second)
	sameRun(t, out, second, "audit.json", "audit.md")
}

// childFileIn is whether process pid has a file open in dir (an unnamed
// O_TMPFILE shows as "dir/#123 (deleted)").
func childFileIn(pid int, dir string) bool {
	fds, _ := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	for _, fd := range fds {
		target, err := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", pid, fd.Name()))
		if err == nil && strings.HasPrefix(target, dir+"/") {
			return true
		}
	}
	return false
}

func TestKillDuringWritingLeavesNoTempFileAndNoMix(t *testing.T) {
	bin := auditBinary(t)
	dir := t.TempDir()
	out, err := filepath.EvalSymlinks(t.TempDir())
	require.NoError(t, err)
	small, big := filepath.Join(dir, "small.json"), filepath.Join(dir, "big.json")
	bigResult(t, small, "small-run", 1, reports.Pass)
	bigResult(t, big, "big-run", 800, reports.Fail)

	// The folder holds a finished run's reports.
	code, _, stderr := auditChild(t, dir, defaultLimits, "report", small, "--format", "json,markdown", "--out", out)
	require.Equal(t, outcome.ExitGo, code, stderr)
	before := runIDs(t, out)
	require.Len(t, before, 2)
	// Leftovers of a killed older version, removed by the next run.
	writeFiles(t, out, map[string]string{".audit.md.123456": "torn", ".audit-partial-42": "torn", ".audit.json.bak": "the user's"})

	// Killed while writing: wait until the child has a file open under
	// out, then SIGKILL it.
	killed := 0
	for attempt := 0; attempt < 5 && killed == 0; attempt++ {
		cmd := exec.Command(bin, "report", big, "--format", "pdf,json,markdown,sarif", "--out", out)
		cmd.Dir = dir
		require.NoError(t, cmd.Start())
		deadline := time.Now().Add(60 * time.Second)
		for time.Now().Before(deadline) {
			if childFileIn(cmd.Process.Pid, out) {
				require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
				killed++
				break
			}
			if cmd.ProcessState != nil {
				break
			}
			time.Sleep(200 * time.Microsecond)
		}
		err := cmd.Wait()
		if killed == 0 {
			t.Logf("attempt %d: the child finished before it was caught writing (%v)", attempt, err)
			// It wrote its reports: restore the first run's for the next try.
			code, _, stderr := auditChild(t, dir, defaultLimits, "report", small, "--format", "json,markdown", "--out", out)
			require.Equal(t, outcome.ExitGo, code, stderr)
			writeFiles(t, out, map[string]string{".audit.json.bak": "the user's"})
		}
	}
	require.Equal(t, 1, killed, "never caught the child writing")
	// The killed run had removed the old leftovers under the folder's lock.
	assert.Equal(t, []string{".audit.json.bak", "audit.json", "audit.md"}, listDir(t, out),
		"no temp file of the killed run, and the earlier run's reports as they were")
	assert.Equal(t, before["audit.json"], runIDs(t, out)["audit.json"])

	// The next run keeps the user's file and replaces the reports.
	code, _, stderr = auditChild(t, dir, defaultLimits, "report", small, "--format", "sarif", "--out", out)
	require.Equal(t, outcome.ExitGo, code, stderr)
	assert.Equal(t, []string{".audit.json.bak", "audit.sarif"}, listDir(t, out))
}

func TestReportThatCannotBeWrittenHasItsOwnExitCode(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	code, _, stderr := auditChild(t, dir, defaultLimits, "run", mustAbs(t, example), "--offline", "--format", "json,markdown", "--out", out)
	require.Equal(t, outcome.ExitNoGo, code, stderr)
	before := runIDs(t, out)

	// A file size limit: the child's writes fail with EFBIG, as on a full
	// disk, after the run has finished.
	code, stdout, stderr := auditChild(t, dir, childLimits{memory: 2 << 30, cpu: 20, fsize: 4096}, "run", mustAbs(t, example),
		"--offline", "--now", "2026-11-30T10:00:00Z", "--format", "table,json,markdown", "--out", out)
	assert.Equal(t, outcome.ExitNotWritten, code, stderr)
	assert.Contains(t, stderr, "the run finished (NO-GO, run 20261130T100000Z-")
	assert.Contains(t, stderr, "but its reports could not be written")
	assert.Contains(t, stderr, "file too large")
	assert.Contains(t, stdout, "NO-GO", "the table on stdout was written")
	assert.Equal(t, before, runIDs(t, out), "the earlier run's reports are untouched, nothing half-written")
	assert.Len(t, listDir(t, out), 2)

	// What is refused before the run is still exit 2 and runs nothing.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "file"), nil, 0o644))
	for _, bad := range []string{filepath.Join(dir, "file"), filepath.Join(dir, "file", "sub"), "/proc/self", "/dev/shm/audit"} {
		code, _, stderr = auditChild(t, dir, defaultLimits, "run", mustAbs(t, example), "--offline", "--format", "json", "--out", bad)
		assert.Equal(t, outcome.ExitUsage, code, stderr)
		assert.Contains(t, stderr, "--out")
	}
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	abs, err := filepath.Abs(p)
	require.NoError(t, err)
	return abs
}
