package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/audit-tool/audit/fleet"
	"github.com/audit-tool/audit/internal/fleetgen"
	"github.com/audit-tool/audit/internal/testenv"
	"github.com/audit-tool/audit/outcome"
	"github.com/audit-tool/audit/reports"
	"github.com/audit-tool/audit/store"
)

// sharedPG is the one PostgreSQL server of this package's tests, started by
// the first test that needs it and stopped by TestMain.
var sharedPG struct {
	once sync.Once
	pg   *testenv.Postgres
	err  error
}

func postgresURL(t *testing.T) string {
	t.Helper()
	sharedPG.once.Do(func() { sharedPG.pg, sharedPG.err = testenv.StartPostgres() })
	require.NoError(t, sharedPG.err)
	url, err := sharedPG.pg.NewDatabase(context.Background())
	require.NoError(t, err)
	return url
}

func stopSharedPostgres() {
	if sharedPG.pg != nil {
		sharedPG.pg.Stop()
	}
}

var fleetNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

const fleetNowFlag = "2026-11-23T10:00:00Z"

func fleetReportJSON(t *testing.T, args ...string) (int, reports.FleetReport) {
	t.Helper()
	code, out, stderr := audit(t, append([]string{"fleet", "report", "--format", "json", "--now", fleetNowFlag}, args...)...)
	var rep reports.FleetReport
	require.NoError(t, json.Unmarshal([]byte(out), &rep), "stdout: %s\nstderr: %s", out, stderr)
	return code, rep
}

func byID(rep reports.FleetReport) map[string]reports.FleetMerchant {
	m := map[string]reports.FleetMerchant{}
	for _, fm := range rep.Merchants {
		m[fm.ID] = fm
	}
	return m
}

func TestFleetRunReportDiffSQLite(t *testing.T) {
	dir := t.TempDir()
	fleetFile, err := fleetgen.Write(dir, 50, fleetgen.Options{Now: fleetNow})
	require.NoError(t, err)
	db := "sqlite://" + filepath.Join(dir, "audit-fleet.db")
	t.Setenv(envStore, "")
	t.Setenv(envFleetRun, "")
	t.Setenv(fleet.EnvIndex, "")

	code, out, stderr := audit(t, "fleet", "run", fleetFile, "--offline", "--now", fleetNowFlag, "--fleet-run", "w47")
	assert.Equal(t, outcome.ExitNoGo, code, stderr)
	assert.Contains(t, stderr, "fleet run w47: shard 0/1, 50 of 50 merchant(s), 50 to audit, store "+db)
	assert.Contains(t, stderr, "merchant merchant-00049: "+filepath.Join(dir, "merchants", "merchant-00049", "audit.hcl")+":26:5: error: Unknown checklist", "the broken merchant is an error row")
	assert.Contains(t, out, "Fleet run w47: 50 merchants")
	assert.Contains(t, out, "merchant-00049")
	_, err = os.Stat(filepath.Join(dir, "audit-fleet.db"))
	require.NoError(t, err, "the default store is beside the fleet file")

	code, rep := fleetReportJSON(t, "--store", db)
	assert.Equal(t, outcome.ExitNoGo, code)
	require.Len(t, rep.Merchants, 50)
	assert.Equal(t, 50, rep.Totals[reports.Go]+rep.Totals[reports.NoGo]+rep.Totals[reports.Undetermined])
	ms := byID(rep)
	assert.Equal(t, reports.Undetermined, ms["merchant-00049"].Verdict)
	assert.Contains(t, ms["merchant-00049"].Error, "Unknown checklist")
	assert.Contains(t, ms["merchant-00049"].Error, "audit.hcl line", "the error row keeps the diagnostic's location")
	assert.Equal(t, reports.NoGo, ms["merchant-00003"].Verdict, "a live card number in the logs")
	assert.Equal(t, "D", ms["merchant-00003"].SAQ)
	assert.Equal(t, "team-3", ms["merchant-00003"].Owner)
	assert.NotEmpty(t, rep.ExpiringWaivers)
	assert.Equal(t, "pci-dss.no_stored_pan", rep.FailingSteps[0].ID, "the most failing step: 1 in 7 merchants leak")

	// Each merchant is judged exactly as `audit run` judges it alone.
	for _, i := range []int{0, 1, 3, 16} {
		id := fleetgen.ID(i)
		code, out, _ := audit(t, "run", filepath.Join(dir, "merchants", id), "--offline", "--now", fleetNowFlag, "--format", "json")
		var res reports.Result
		require.NoError(t, json.Unmarshal([]byte(out), &res))
		assert.Equal(t, res.Verdict, ms[id].Verdict, id)
		assert.Equal(t, res.Verdict.ExitCode(), code)
		assert.Equal(t, res.Summary, ms[id].Summary, id)
		assert.Equal(t, res.RunID, ms[id].RunID, id)
	}

	// Resumed: only the error row is audited again; --force audits all.
	_, _, stderr = audit(t, "fleet", "run", fleetFile, "--offline", "--now", fleetNowFlag, "--fleet-run", "w47")
	assert.Contains(t, stderr, "50 of 50 merchant(s), 1 to audit")
	_, _, stderr = audit(t, "fleet", "run", fleetFile, "--offline", "--now", fleetNowFlag, "--fleet-run", "w47", "--force")
	assert.Contains(t, stderr, "50 of 50 merchant(s), 50 to audit")
	st, err := store.Open(context.Background(), db)
	require.NoError(t, err)
	h, err := st.History(context.Background(), "merchant-00000", 10)
	require.NoError(t, err)
	assert.Len(t, h, 2, "--force keeps the history")
	st.Close()

	// A week later merchant-00000 leaks a card number: a regression.
	log := filepath.Join(dir, "merchants", "merchant-00000", "logs", "app.log")
	require.NoError(t, os.WriteFile(log, []byte("card=4539578763621486\n"), 0o644))
	code, _, stderr = audit(t, "fleet", "run", fleetFile, "--offline", "--now", "2026-11-30T10:00:00Z", "--fleet-run", "w48")
	assert.Equal(t, outcome.ExitNoGo, code, stderr)
	_, rep = fleetReportJSON(t, "--store", db)
	assert.Equal(t, "w48", rep.FleetRun)
	assert.Equal(t, "w47", rep.PreviousFleetRun)
	require.NotEmpty(t, rep.Regressed)
	assert.Equal(t, "merchant-00000", rep.Regressed[0].Merchant)
	assert.Contains(t, rep.Regressed[0].Steps, "pci-dss.no_stored_pan")
	assert.Equal(t, reports.NoGo, rep.Regressed[0].NewVerdict)
	_, older := fleetReportJSON(t, "--store", db, "--fleet-run", "w47")
	assert.Equal(t, "w47", older.FleetRun)
	assert.Empty(t, older.PreviousFleetRun)

	code, out, _ = audit(t, "fleet", "diff", "w47", "w48", "--store", db, "--format", "json")
	assert.Equal(t, outcome.ExitNoGo, code)
	var d reports.FleetDiff
	require.NoError(t, json.Unmarshal([]byte(out), &d))
	require.Len(t, d.Merchants, 1, out)
	assert.Equal(t, "merchant-00000", d.Merchants[0].Merchant)
	code, _, _ = audit(t, "fleet", "diff", "w47", "w47", "--store", db)
	assert.Equal(t, outcome.ExitGo, code)
	code, _, stderr = audit(t, "fleet", "diff", "w47", "w99", "--store", db)
	assert.Equal(t, outcome.ExitUsage, code)
	assert.Contains(t, stderr, `no fleet run "w99"`)

	// Every format, as files.
	outDir := filepath.Join(dir, "reports")
	code, _, stderr = audit(t, "fleet", "report", "--store", db, "--format", "json,csv,markdown,pdf", "--out", outDir)
	assert.Equal(t, outcome.ExitNoGo, code, stderr)
	for _, f := range []string{"fleet.json", "fleet.csv", "fleet.md", "fleet.pdf"} {
		info, err := os.Stat(filepath.Join(outDir, f))
		require.NoError(t, err)
		assert.Positive(t, info.Size())
	}
	csv, err := os.ReadFile(filepath.Join(outDir, "fleet.csv"))
	require.NoError(t, err)
	assert.Equal(t, 51, strings.Count(string(csv), "\n"))
}

func TestFleetRunExitCodes(t *testing.T) {
	t.Setenv(envStore, "")
	t.Setenv(envFleetRun, "")
	t.Setenv(fleet.EnvIndex, "")
	write := func(t *testing.T, fleetHCL string, merchants map[string]string) string {
		dir := t.TempDir()
		for name, hcl := range merchants {
			writeFiles(t, filepath.Join(dir, name), map[string]string{"audit.hcl": hcl})
		}
		path := filepath.Join(dir, "fleet.hcl")
		require.NoError(t, os.WriteFile(path, []byte(fleetHCL), 0o644))
		return path
	}
	ready, err := filepath.Abs("../../examples/amazon-pay-shop-ready")
	require.NoError(t, err)
	broken, err := filepath.Abs(example)
	require.NoError(t, err)

	readyCode, _, _ := audit(t, "run", ready, "--offline")
	path := write(t, fmt.Sprintf("merchant \"a\" { path = %q }\nmerchant \"b\" { path = %q }\n", ready, ready), nil)
	code, _, stderr := audit(t, "fleet", "run", path, "--offline")
	assert.Equal(t, readyCode, code, "all merchants as `audit run` would: %s", stderr)

	path = write(t, fmt.Sprintf("merchant \"a\" { path = %q }\nmerchant \"bad\" { path = \"bad\" }\n", ready),
		map[string]string{"bad": `use "pci-dss" { source_dirs = 3 }`})
	code, _, stderr = audit(t, "fleet", "run", path, "--offline")
	if readyCode == outcome.ExitGo {
		assert.Equal(t, outcome.ExitUsage, code, "a merchant's configuration error: %s", stderr)
	}
	assert.Contains(t, stderr, "1 merchant(s) have configuration errors")

	path = write(t, fmt.Sprintf("merchant \"a\" { path = %q }\nmerchant \"bad\" { path = \"bad\" }\nmerchant \"nogo\" { path = %q }\n", ready, broken),
		map[string]string{"bad": `use "pci-dss" { source_dirs = 3 }`})
	code, _, _ = audit(t, "fleet", "run", path, "--offline")
	assert.Equal(t, outcome.ExitNoGo, code, "NO-GO outranks a configuration error")
	code, _, _ = audit(t, "fleet", "run", path, "--offline", "--record-only")
	assert.Equal(t, outcome.ExitGo, code, "--record-only: every result stored is success")

	// The fleet file itself is broken: nothing runs.
	path = write(t, "merchant \"a\" {\n  path = \n}\n", nil)
	code, _, stderr = audit(t, "fleet", "run", path)
	assert.Equal(t, outcome.ExitUsage, code)
	assert.Contains(t, stderr, "fleet.hcl line 2")

	for _, args := range [][]string{
		{"fleet", "run", path, "--shard", "4/4"},
		{"fleet", "run", path, "--format", "json"},
		{"fleet", "run", path, "--store", "mysql://x"},
		{"fleet", "report", "--store", "sqlite://" + filepath.Join(t.TempDir(), "empty.db")},
		{"fleet", "report", "--format", "junit"},
	} {
		code, _, stderr := audit(t, args...)
		assert.Equal(t, outcome.ExitUsage, code, "%v: %s", args, stderr)
	}
	t.Setenv(fleet.EnvIndex, "2")
	t.Setenv(fleet.EnvCount, "")
	code, _, stderr = audit(t, "fleet", "run", path)
	assert.Equal(t, outcome.ExitUsage, code)
	assert.Contains(t, stderr, "JOB_COMPLETION_INDEX=2 is set but not the shard count")
}

func TestValidateFleetFile(t *testing.T) {
	dir := t.TempDir()
	fleetFile, err := fleetgen.Write(dir, 50, fleetgen.Options{Now: fleetNow})
	require.NoError(t, err)
	code, out, stderr := audit(t, "validate", fleetFile)
	assert.Equal(t, outcome.ExitUsage, code)
	assert.Contains(t, out, "fleet of 50 merchant(s), 49 valid audit.hcl")
	assert.Contains(t, stderr, filepath.Join("merchant-00049", "audit.hcl")+" line 26")

	require.NoError(t, os.RemoveAll(filepath.Join(dir, "merchants", "merchant-00049")))
	code, _, stderr = audit(t, "validate", fleetFile)
	assert.Equal(t, outcome.ExitUsage, code)
	assert.Contains(t, stderr, "Merchant folder not found")
}

func TestRunStoreRecordsASingleRun(t *testing.T) {
	db := "sqlite://" + filepath.Join(t.TempDir(), "single.db")
	code, _, stderr := audit(t, "run", example, "--offline", "--store", db)
	assert.Equal(t, outcome.ExitNoGo, code, stderr)
	st, err := store.Open(context.Background(), db)
	require.NoError(t, err)
	defer st.Close()
	h, err := st.History(context.Background(), "amazon-pay-shop", 5)
	require.NoError(t, err)
	require.Len(t, h, 1)
	assert.Equal(t, "NO-GO", h[0].Verdict)
	assert.Equal(t, "D", h[0].SAQ)
	assert.Empty(t, h[0].FleetRun)

	code, _, _ = audit(t, "run", example, "--offline", "--store", "sqlite://")
	assert.Equal(t, outcome.ExitUsage, code, "a bad store is refused before anything runs")
}

// slowPage serves the generated merchants' checkout page slowly, so a shard
// is still running when the test kills it.
func slowPage(t *testing.T, delay time.Duration) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(delay)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><html><head><script src="https://js.stripe.com/v3/"></script></head>`+
			`<body><form><div id="card-element"></div></form></body></html>`)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/checkout"
}

// Four shard processes at once into one PostgreSQL, one of them killed
// (SIGKILL) and resumed, give the same report as one process alone.
func TestFleetShardsIntoPostgres(t *testing.T) {
	bin := auditBinary(t)
	dir := t.TempDir()
	const n = 80
	fleetFile, err := fleetgen.Write(dir, n, fleetgen.Options{Now: fleetNow, PageURL: slowPage(t, 60*time.Millisecond)})
	require.NoError(t, err)
	single, sharded := postgresURL(t), postgresURL(t)

	env := func(extra ...string) []string {
		var out []string
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "AUDIT_") && !strings.HasPrefix(kv, fleet.EnvIndex+"=") {
				out = append(out, kv)
			}
		}
		return append(out, extra...)
	}
	runArgs := []string{"fleet", "run", fleetFile, "--offline", "--now", fleetNowFlag}
	child := func(extraEnv []string, args ...string) *exec.Cmd {
		cmd := exec.Command(bin, append(append([]string{}, runArgs...), args...)...)
		cmd.Env = env(extraEnv...)
		cmd.Dir = dir
		return cmd
	}

	out, err := child([]string{"AUDIT_STORE=" + single, "AUDIT_FLEET_RUN=w48"}, "--parallel", "8").CombinedOutput()
	require.Equal(t, outcome.ExitNoGo, exitCode(err), "%s", out)

	// Shards 0-2 as pods of an Indexed Job see (no --shard flag); shard 3
	// by flag, slowly, killed once it has stored a few merchants.
	var wg sync.WaitGroup
	outputs := make([]bytes.Buffer, 4)
	for i := range 3 {
		cmd := child([]string{"AUDIT_STORE=" + sharded, "AUDIT_FLEET_RUN=w48", fmt.Sprintf("%s=%d", fleet.EnvIndex, i), fleet.EnvCount + "=4"}, "--parallel", "2")
		cmd.Stdout, cmd.Stderr = &outputs[i], &outputs[i]
		require.NoError(t, cmd.Start())
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = cmd.Wait()
		}()
	}
	shard3 := fleet.Shard{Index: 3, Count: 4}
	size := 0
	for i := range n {
		if shard3.Includes(fleetgen.ID(i)) {
			size++
		}
	}
	victim := child(nil, "--store", sharded, "--fleet-run", "w48", "--shard", "3/4", "--parallel", "1")
	victim.Stdout, victim.Stderr = &outputs[3], &outputs[3]
	require.NoError(t, victim.Start())
	st, err := store.Open(context.Background(), sharded)
	require.NoError(t, err)
	defer st.Close()
	stored := func() int {
		done, err := st.Completed(context.Background(), "w48")
		require.NoError(t, err)
		k := 0
		for id := range done {
			if shard3.Includes(id) {
				k++
			}
		}
		return k
	}
	deadline := time.Now().Add(60 * time.Second)
	for stored() < 3 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	require.NoError(t, victim.Process.Signal(syscall.SIGKILL))
	_ = victim.Wait()
	wg.Wait()
	// Counted after the other shards, not right at the kill: PostgreSQL
	// still completes a COMMIT the killed process had sent.
	before := stored()
	require.Less(t, before, size-1, "the kill came after shard 3 had finished: nothing left to resume")

	resumed := child(nil, "--store", sharded, "--fleet-run", "w48", "--shard", "3/4")
	out, err = resumed.CombinedOutput()
	assert.Equal(t, outcome.ExitNoGo, exitCode(err), "%s", out)
	assert.Contains(t, string(out), fmt.Sprintf("%d to audit", size-before), "resumed where it was killed")

	_, one := fleetReportJSON(t, "--store", single)
	_, four := fleetReportJSON(t, "--store", sharded)
	require.Len(t, one.Merchants, n)
	for i := range one.Merchants {
		one.Merchants[i].StartedAt, four.Merchants[i].StartedAt = time.Time{}, time.Time{}
	}
	assert.Equal(t, one.Merchants, four.Merchants)
	assert.Equal(t, one.Totals, four.Totals)
	assert.Equal(t, one.SAQ, four.SAQ)
	assert.Equal(t, one.FailingSteps, four.FailingSteps)
	assert.Equal(t, one.ExpiringWaivers, four.ExpiringWaivers)
	for i := range outputs {
		assert.NotContains(t, outputs[i].String(), "panic", "shard %d", i)
	}
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return -1
}

// A merchant without audit.hcl is audited with the fleet's --checklist and
// its own vars, relative paths resolved in its folder.
func TestFleetVarsWithChecklist(t *testing.T) {
	t.Setenv(envStore, "")
	t.Setenv(envFleetRun, "")
	t.Setenv(fleet.EnvIndex, "")
	dir := t.TempDir()
	page := `<html><head><script src="https://js.stripe.com/v3/"></script></head><body><div id="card-element"></div></body></html>`
	writeFiles(t, filepath.Join(dir, "leaky"), map[string]string{"web/pay.html": page, "code/app.log": "card=4539578763621486\n"})
	writeFiles(t, filepath.Join(dir, "clean"), map[string]string{"web/pay.html": page, "code/app.js": "export const x = 1;\n"})
	fleetHCL := `
merchant "leaky" {
  path = "leaky"
  vars = { checkout_page = "web/pay.html", source_dirs = ["code"] }
}
merchant "clean" {
  path = "clean"
  vars = { checkout_page = "web/pay.html", source_dirs = ["code"] }
}
`
	path := filepath.Join(dir, "fleet.hcl")
	require.NoError(t, os.WriteFile(path, []byte(fleetHCL), 0o644))
	code, _, stderr := audit(t, "fleet", "run", path, "--offline", "--checklist", "pci-dss", "--fleet-run", "v", "--only", "pci-dss.no_stored_pan")
	assert.Equal(t, outcome.ExitNoGo, code, stderr)
	assert.NotContains(t, stderr, "\r", "no progress bar when stderr is no terminal")
	_, rep := fleetReportJSON(t, "--store", "sqlite://"+filepath.Join(dir, defaultStoreFile))
	ms := byID(rep)
	assert.Equal(t, reports.NoGo, ms["leaky"].Verdict, "its own source_dirs were swept")
	assert.Equal(t, reports.Go, ms["clean"].Verdict)
	assert.Equal(t, 1, ms["clean"].Summary.Pass)

	// Without --checklist, a folder without audit.hcl is a configuration error row.
	code, _, stderr = audit(t, "fleet", "run", path, "--offline", "--fleet-run", "w")
	assert.Equal(t, outcome.ExitUsage, code)
	assert.Contains(t, stderr, "has no audit.hcl")
}
