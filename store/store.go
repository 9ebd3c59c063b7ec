// Package store keeps audit results, their history and the PCI DSS 11.6.1
// page baselines in a database chosen by URL: sqlite://PATH (embedded, the
// default: one machine, a few writer processes) or postgres://… (many
// writers at once, e.g. the pods of a Kubernetes Indexed Job). Each result
// is stored whole, as its JSON contract, beside indexed columns for the
// queries fleet reports make.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // registers the "sqlite" database/sql driver
)

// ErrNotFound is returned for a baseline the store does not hold.
var ErrNotFound = errors.New("not found")

// Store is an open results database. Its methods are safe for concurrent
// use, also by several processes sharing the same database.
type Store struct {
	db *sql.DB
	d  dialect
}

// Open connects to the store at rawURL and brings its schema up to date.
func Open(ctx context.Context, rawURL string) (*Store, error) {
	d, dsn, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open(d.driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", Redact(rawURL), err)
	}
	d.configure(db)
	s := &Store{db: db, d: d}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store %s: %w", Redact(rawURL), err)
	}
	return s, nil
}

// Close releases the database.
func (s *Store) Close() error { return s.db.Close() }

// Redact hides a URL's password, for messages and logs.
func Redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.User == nil {
		return rawURL
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

func parseURL(rawURL string) (dialect, string, error) {
	switch {
	case strings.HasPrefix(rawURL, "sqlite://"):
		path := strings.TrimPrefix(rawURL, "sqlite://")
		if i := strings.IndexByte(path, '?'); i >= 0 {
			path = path[:i]
		}
		if path == "" {
			return dialect{}, "", fmt.Errorf("store %s: no file: sqlite://PATH", rawURL)
		}
		// WAL lets readers run beside the writer; the busy timeout makes a
		// second writer process wait instead of failing; immediate
		// transactions take the write lock up front, so two migrating
		// processes never deadlock upgrading a read lock.
		dsn := "file:" + path + "?_pragma=busy_timeout(30000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate"
		return sqlite(), dsn, nil
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		return postgres(), rawURL, nil
	default:
		return dialect{}, "", fmt.Errorf("store %q: want sqlite://PATH or postgres://USER@HOST/DB", Redact(rawURL))
	}
}

// Record is one stored audit: a result, or the error that kept a merchant
// from having one.
type Record struct {
	ID         int64
	FleetRun   string // "" for a single `audit run --store`
	Merchant   string
	RunID      string
	Verdict    string
	SAQ        string
	Owner      string
	Tags       []string
	StartedAt  time.Time
	FinishedAt time.Time
	Error      string // set when there is no result
	Result     []byte // the result JSON contract; nil with Error
}

// FleetRun is one fleet run id with when it was first started.
type FleetRun struct {
	ID        string
	StartedAt time.Time
}

// StartFleetRun records the fleet run id; starting one that exists (a
// resumed run, another shard) keeps its first start time.
func (s *Store) StartFleetRun(ctx context.Context, id string, at time.Time) error {
	err := s.write(ctx, s.d.q(`INSERT INTO fleet_runs (id, started_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING`),
		id, s.d.time(at))
	if err != nil {
		return fmt.Errorf("store: start fleet run: %w", err)
	}
	return nil
}

// FleetRuns lists fleet runs, oldest first.
func (s *Store) FleetRuns(ctx context.Context) ([]FleetRun, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, started_at FROM fleet_runs ORDER BY started_at, id`)
	if err != nil {
		return nil, fmt.Errorf("store: fleet runs: %w", err)
	}
	defer rows.Close()
	var out []FleetRun
	for rows.Next() {
		var fr FleetRun
		if err := rows.Scan(&fr.ID, timeScanner{&fr.StartedAt}); err != nil {
			return nil, fmt.Errorf("store: fleet runs: %w", err)
		}
		out = append(out, fr)
	}
	return out, rows.Err()
}

// Put stores a record. History is kept: a merchant audited again gets a new
// row, and queries take the latest.
func (s *Store) Put(ctx context.Context, r Record) error {
	var result any
	if r.Result != nil {
		result = string(r.Result)
	}
	err := s.write(ctx, s.d.q(`INSERT INTO results
		(fleet_run, merchant, run_id, verdict, saq, owner, tags, started_at, finished_at, error, result)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, `+s.d.jsonParam+`)`),
		r.FleetRun, r.Merchant, r.RunID, r.Verdict, r.SAQ, r.Owner, strings.Join(r.Tags, ","),
		s.d.time(r.StartedAt), s.d.time(r.FinishedAt), r.Error, result)
	if err != nil {
		return fmt.Errorf("store: put %s: %w", r.Merchant, err)
	}
	return nil
}

// Completed returns the merchants of fleetRun that have a result (not an
// error row): a resumed run skips them.
func (s *Store) Completed(ctx context.Context, fleetRun string) (map[string]bool, error) {
	rows, err := s.db.QueryContext(ctx, s.d.q(`SELECT DISTINCT merchant FROM results WHERE fleet_run = ? AND error = ''`), fleetRun)
	if err != nil {
		return nil, fmt.Errorf("store: completed: %w", err)
	}
	defer rows.Close()
	done := map[string]bool{}
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			return nil, fmt.Errorf("store: completed: %w", err)
		}
		done[m] = true
	}
	return done, rows.Err()
}

// Latest calls fn with the latest record of each merchant in fleetRun, in
// merchant order, one at a time: a report over 100,000 merchants never holds
// them all.
func (s *Store) Latest(ctx context.Context, fleetRun string, fn func(Record) error) error {
	// Each merchant's latest row is an index seek (fleet_run, merchant,
	// started_at), and the rows come in that index's order: the wide result
	// column is never sorted or buffered, so memory stays flat with the fleet.
	rows, err := s.db.QueryContext(ctx, s.d.q(`SELECT r.id, r.fleet_run, r.merchant, r.run_id, r.verdict, r.saq, r.owner, r.tags,
		r.started_at, r.finished_at, r.error, r.result FROM results r
		WHERE r.fleet_run = ? AND r.id = (
			SELECT l.id FROM results l WHERE l.fleet_run = r.fleet_run AND l.merchant = r.merchant
			ORDER BY l.started_at DESC, l.id DESC LIMIT 1)
		ORDER BY r.merchant`), fleetRun)
	if err != nil {
		return fmt.Errorf("store: latest: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r Record
		var tags string
		var result sql.NullString
		if err := rows.Scan(&r.ID, &r.FleetRun, &r.Merchant, &r.RunID, &r.Verdict, &r.SAQ, &r.Owner, &tags,
			timeScanner{&r.StartedAt}, timeScanner{&r.FinishedAt}, &r.Error, &result); err != nil {
			return fmt.Errorf("store: latest: %w", err)
		}
		if tags != "" {
			r.Tags = strings.Split(tags, ",")
		}
		if result.Valid {
			r.Result = []byte(result.String)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: latest: %w", err)
	}
	return nil
}

// History returns a merchant's records, newest first, at most limit.
func (s *Store) History(ctx context.Context, merchant string, limit int) ([]Record, error) {
	rows, err := s.db.QueryContext(ctx, s.d.q(`SELECT id, fleet_run, merchant, run_id, verdict, saq, started_at, error
		FROM results WHERE merchant = ? ORDER BY started_at DESC, id DESC LIMIT ?`), merchant, limit)
	if err != nil {
		return nil, fmt.Errorf("store: history: %w", err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		var r Record
		if err := rows.Scan(&r.ID, &r.FleetRun, &r.Merchant, &r.RunID, &r.Verdict, &r.SAQ, timeScanner{&r.StartedAt}, &r.Error); err != nil {
			return nil, fmt.Errorf("store: history: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Baseline returns the stored baseline of a merchant's page (PCI DSS
// 11.6.1: the scripts and headers last approved) and when it was stored.
func (s *Store) Baseline(ctx context.Context, merchant, page string) ([]byte, time.Time, error) {
	var blob []byte
	var at time.Time
	err := s.db.QueryRowContext(ctx, s.d.q(`SELECT baseline, updated_at FROM baselines WHERE merchant = ? AND page = ?`), merchant, page).
		Scan(&blob, timeScanner{&at})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, time.Time{}, fmt.Errorf("store: baseline of %s %s: %w", merchant, page, ErrNotFound)
	}
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("store: baseline of %s %s: %w", merchant, page, err)
	}
	return blob, at, nil
}

// PutBaseline stores (or replaces) the baseline of a merchant's page.
func (s *Store) PutBaseline(ctx context.Context, merchant, page string, blob []byte, at time.Time) error {
	if blob == nil {
		blob = []byte{}
	}
	err := s.write(ctx, s.d.q(`INSERT INTO baselines (merchant, page, baseline, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (merchant, page) DO UPDATE SET baseline = excluded.baseline, updated_at = excluded.updated_at`),
		merchant, page, blob, s.d.time(at))
	if err != nil {
		return fmt.Errorf("store: put baseline of %s %s: %w", merchant, page, err)
	}
	return nil
}

// write runs one statement in its own transaction. In SQLite that is BEGIN
// IMMEDIATE (see parseURL): the write lock is taken up front, waiting on the
// busy timeout, where an autocommit statement of a second process could fail
// at once on a snapshot another writer just made stale.
func (s *Store) write(ctx context.Context, query string, args ...any) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, query, args...); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// timeScanner reads a time column: SQLite hands back the text it stored,
// PostgreSQL a time.
type timeScanner struct{ t *time.Time }

func (ts timeScanner) Scan(v any) error {
	switch x := v.(type) {
	case time.Time:
		*ts.t = x.UTC()
	case string:
		return ts.parse(x)
	case []byte:
		return ts.parse(string(x))
	case nil:
		*ts.t = time.Time{}
	default:
		return fmt.Errorf("time column holds %T", v)
	}
	return nil
}

func (ts timeScanner) parse(s string) error {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("time column: %w", err)
	}
	*ts.t = t.UTC()
	return nil
}
