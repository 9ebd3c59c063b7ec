package store

import (
	"database/sql"
	"strconv"
	"strings"
	"time"
)

// dialect is what differs between SQLite and PostgreSQL; the queries
// themselves are common SQL.
type dialect struct {
	name      string
	driver    string
	jsonParam string // how a JSON parameter is written
	// positional rewrites ? placeholders as $1, $2…
	positional bool
	migrations []string // by version, from 1
	// lock serialises migrations of concurrent processes, inside the
	// migration transaction ("" when the transaction itself does).
	lock      string
	configure func(*sql.DB)
}

// sqliteTime is fixed-width, so text order is time order in SQLite.
const sqliteTime = "2006-01-02T15:04:05.000000000Z07:00"

func (d dialect) time(t time.Time) any {
	if d.name == "sqlite" {
		return t.UTC().Format(sqliteTime)
	}
	return t.UTC()
}

func (d dialect) q(query string) string {
	if !d.positional {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func sqlite() dialect {
	return dialect{
		name: "sqlite", driver: "sqlite", jsonParam: "?",
		migrations: []string{
			`CREATE TABLE fleet_runs (
				id         TEXT PRIMARY KEY,
				started_at TEXT NOT NULL
			);
			CREATE TABLE results (
				id          INTEGER PRIMARY KEY AUTOINCREMENT,
				fleet_run   TEXT NOT NULL DEFAULT '',
				merchant    TEXT NOT NULL,
				run_id      TEXT NOT NULL DEFAULT '',
				verdict     TEXT NOT NULL,
				saq         TEXT NOT NULL DEFAULT '',
				owner       TEXT NOT NULL DEFAULT '',
				tags        TEXT NOT NULL DEFAULT '',
				started_at  TEXT NOT NULL,
				finished_at TEXT NOT NULL,
				error       TEXT NOT NULL DEFAULT '',
				result      TEXT CHECK (result IS NULL OR json_valid(result))
			);
			CREATE INDEX results_fleet_merchant ON results (fleet_run, merchant, started_at);
			CREATE INDEX results_merchant ON results (merchant, started_at);
			CREATE INDEX results_verdict ON results (verdict);
			CREATE INDEX results_saq ON results (saq);
			CREATE INDEX results_started ON results (started_at);
			CREATE TABLE baselines (
				merchant   TEXT NOT NULL,
				page       TEXT NOT NULL,
				baseline   BLOB NOT NULL,
				updated_at TEXT NOT NULL,
				PRIMARY KEY (merchant, page)
			);`,
		},
		configure: func(db *sql.DB) {
			// One writer at a time is SQLite's rule anyway; one connection
			// keeps this process's writes from racing each other for the lock.
			db.SetMaxOpenConns(1)
		},
	}
}

func postgres() dialect {
	return dialect{
		name: "postgres", driver: "pgx", jsonParam: "?::jsonb", positional: true,
		migrations: []string{
			`CREATE TABLE fleet_runs (
				id         TEXT PRIMARY KEY,
				started_at TIMESTAMPTZ NOT NULL
			);
			CREATE TABLE results (
				id          BIGSERIAL PRIMARY KEY,
				fleet_run   TEXT NOT NULL DEFAULT '',
				merchant    TEXT NOT NULL,
				run_id      TEXT NOT NULL DEFAULT '',
				verdict     TEXT NOT NULL,
				saq         TEXT NOT NULL DEFAULT '',
				owner       TEXT NOT NULL DEFAULT '',
				tags        TEXT NOT NULL DEFAULT '',
				started_at  TIMESTAMPTZ NOT NULL,
				finished_at TIMESTAMPTZ NOT NULL,
				error       TEXT NOT NULL DEFAULT '',
				result      JSONB
			);
			CREATE INDEX results_fleet_merchant ON results (fleet_run, merchant, started_at);
			CREATE INDEX results_merchant ON results (merchant, started_at);
			CREATE INDEX results_verdict ON results (verdict);
			CREATE INDEX results_saq ON results (saq);
			CREATE INDEX results_started ON results (started_at);
			CREATE TABLE baselines (
				merchant   TEXT NOT NULL,
				page       TEXT NOT NULL,
				baseline   BYTEA NOT NULL,
				updated_at TIMESTAMPTZ NOT NULL,
				PRIMARY KEY (merchant, page)
			);`,
		},
		// Any constant shared by every audit process will do.
		lock: `SELECT pg_advisory_xact_lock(7461626)`,
		configure: func(db *sql.DB) {
			db.SetMaxOpenConns(8)
			db.SetConnMaxIdleTime(time.Minute)
		},
	}
}
