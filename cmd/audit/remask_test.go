package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/audit-tool/audit/outcome"
	"github.com/audit-tool/audit/store"
)

// A row written into the store by something else than audit (or edited)
// holds raw card numbers, keys and control characters, and a verdict that
// disagrees with its steps: reading it back masks and recomputes.
func TestStoreReadBackIsMaskedAgain(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fleet.db")
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite://"+path)
	require.NoError(t, err)
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	require.NoError(t, st.StartFleetRun(ctx, "w48", at))
	require.NoError(t, st.Close())

	evil := "cc%3D" + hostilePAN + " \x1b[2J\x07\nPASS forged key%3D" + hostileKey
	result := `{"schema_version":1,"run_id":"r-` + hostilePAN + `","started_at":"2026-11-23T10:00:00Z","verdict":"GO","fail_on":"high",
 "scope":{"saq":"A ` + hostileKey + `","reasons":["` + jsonEsc(evil) + `"]},
 "steps":[{"id":"c.leak","checklist":"c","title":"` + jsonEsc(evil) + `","severity":"critical","status":"fail",
  "message":"` + jsonEsc(evil) + `","tags":["` + hostileKey + `"],"references":["https://x.example/?pan=` + hostilePAN + `"],
  "evidence":[{"source":"` + jsonEsc(evil) + `","line":1,"detail":"FR` + hostilePAN + `"}]}]}`
	db, err := sql.Open("sqlite", path)
	require.NoError(t, err)
	_, err = db.Exec(`INSERT INTO results (fleet_run, merchant, run_id, verdict, saq, owner, tags, started_at, finished_at, error, result)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		"w48", "shop-"+hostilePAN+"\x1b[31m", "r-"+hostilePAN, "GO", "A", "owner "+hostileKey, "t\x07,"+hostileKey,
		at.Format(time.RFC3339Nano), at.Format(time.RFC3339Nano), "", result)
	require.NoError(t, err)
	_, err = db.Exec(`INSERT INTO results (fleet_run, merchant, run_id, verdict, saq, owner, tags, started_at, finished_at, error, result)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
		"w48", "broken", "", "UNDETERMINED", "", "", "", at.Format(time.RFC3339Nano), at.Format(time.RFC3339Nano), evil)
	require.NoError(t, err)
	require.NoError(t, db.Close())

	for _, format := range []string{"table", "json", "csv", "markdown"} {
		code, stdout, stderr := audit(t, "fleet", "report", "--store", "sqlite://"+path, "--format", format)
		assert.Equal(t, outcome.ExitNoGo, code, "the stored GO disagrees with a failing critical step: %s", stderr)
		assertClean(t, "fleet report "+format, stdout, true)
		assertClean(t, "fleet report stderr", stderr, true)
		assert.Contains(t, stdout, "453914", "%s: the masked card number is shown", format)
	}
	out := t.TempDir()
	code, _, stderr := audit(t, "fleet", "report", "--store", "sqlite://"+path, "--format", "pdf", "--out", out)
	require.Equal(t, outcome.ExitNoGo, code, stderr)
	txt, err := exec.Command("pdftotext", filepath.Join(out, "fleet.pdf"), "-").Output()
	require.NoError(t, err, "pdftotext (scripts/setup.sh)")
	assertClean(t, "fleet report pdf", strings.ReplaceAll(string(txt), "\f", "\n"), true) // \f: pdftotext between pages
}

// jsonEsc is s as the inside of a JSON string.
func jsonEsc(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}
