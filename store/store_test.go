package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/audit-tool/audit/internal/testenv"
)

// pg is the one PostgreSQL server of this package's tests.
var pg *testenv.Postgres

func TestMain(m *testing.M) {
	var err error
	if pg, err = testenv.StartPostgres(); err != nil {
		fmt.Fprintln(os.Stderr, "store tests need PostgreSQL:", err)
		os.Exit(1)
	}
	code := m.Run()
	pg.Stop()
	os.Exit(code)
}

// backends opens a fresh store of each kind.
func backends(t *testing.T) map[string]string {
	t.Helper()
	url, err := pg.NewDatabase(context.Background())
	require.NoError(t, err)
	return map[string]string{
		"sqlite":   "sqlite://" + filepath.Join(t.TempDir(), "audit.db"),
		"postgres": url,
	}
}

func open(t *testing.T, url string) *Store {
	t.Helper()
	s, err := Open(context.Background(), url)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

var t0 = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func rec(fleetRun, merchant, verdict string, at time.Time) Record {
	return Record{
		FleetRun: fleetRun, Merchant: merchant, RunID: "run-" + merchant, Verdict: verdict, SAQ: "A",
		Owner: "ops", Tags: []string{"eu", "web"}, StartedAt: at, FinishedAt: at.Add(1500 * time.Millisecond),
		Result: []byte(fmt.Sprintf(`{"schema_version": 1, "verdict": %q, "merchant": "Café %s"}`, verdict, merchant)),
	}
}

func latest(t *testing.T, s *Store, fleetRun string) map[string]Record {
	t.Helper()
	got := map[string]Record{}
	var order []string
	require.NoError(t, s.Latest(context.Background(), fleetRun, func(r Record) error {
		got[r.Merchant] = r
		order = append(order, r.Merchant)
		return nil
	}))
	assert.IsIncreasing(t, order, "merchant order")
	return got
}

func TestResultsAndHistory(t *testing.T) {
	for name, url := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s := open(t, url)
			require.NoError(t, s.StartFleetRun(ctx, "w47", t0))
			require.NoError(t, s.StartFleetRun(ctx, "w47", t0.Add(time.Hour)), "a second shard or a resume")
			require.NoError(t, s.StartFleetRun(ctx, "w48", t0.Add(7*24*time.Hour)))

			require.NoError(t, s.Put(ctx, rec("w47", "b", "GO", t0)))
			require.NoError(t, s.Put(ctx, rec("w47", "a", "NO-GO", t0)))
			require.NoError(t, s.Put(ctx, Record{FleetRun: "w47", Merchant: "c", Verdict: "UNDETERMINED", StartedAt: t0, FinishedAt: t0, Error: "panic: boom"}))
			// a is audited again in the same fleet run (--force): the newer row wins.
			require.NoError(t, s.Put(ctx, rec("w47", "a", "GO", t0.Add(time.Minute))))
			require.NoError(t, s.Put(ctx, rec("w48", "a", "UNDETERMINED", t0.Add(7*24*time.Hour))))
			require.NoError(t, s.Put(ctx, rec("", "a", "NO-GO", t0.Add(8*24*time.Hour))))

			runs, err := s.FleetRuns(ctx)
			require.NoError(t, err)
			assert.Equal(t, []FleetRun{{"w47", t0}, {"w48", t0.Add(7 * 24 * time.Hour)}}, runs)

			got := latest(t, s, "w47")
			require.Len(t, got, 3)
			a := got["a"]
			assert.Equal(t, "GO", a.Verdict)
			assert.Equal(t, t0.Add(time.Minute), a.StartedAt)
			assert.Equal(t, t0.Add(time.Minute+1500*time.Millisecond), a.FinishedAt)
			assert.Equal(t, []string{"eu", "web"}, a.Tags)
			assert.Equal(t, "ops", a.Owner)
			assert.JSONEq(t, `{"schema_version": 1, "verdict": "GO", "merchant": "Café a"}`, string(a.Result))
			assert.Equal(t, "panic: boom", got["c"].Error)
			assert.Nil(t, got["c"].Result)
			assert.Equal(t, "UNDETERMINED", latest(t, s, "w48")["a"].Verdict)

			done, err := s.Completed(ctx, "w47")
			require.NoError(t, err)
			assert.Equal(t, map[string]bool{"a": true, "b": true}, done, "an error row is audited again on resume")

			h, err := s.History(ctx, "a", 10)
			require.NoError(t, err)
			require.Len(t, h, 4, "history is kept")
			assert.Equal(t, []string{"", "w48", "w47", "w47"}, []string{h[0].FleetRun, h[1].FleetRun, h[2].FleetRun, h[3].FleetRun})
		})
	}
}

func TestInvalidResultRejected(t *testing.T) {
	for name, url := range backends(t) {
		t.Run(name, func(t *testing.T) {
			s := open(t, url)
			r := rec("w", "a", "GO", t0)
			r.Result = []byte(`{"verdict": `)
			assert.Error(t, s.Put(context.Background(), r), "the result column holds JSON only")
		})
	}
}

func TestBaselines(t *testing.T) {
	for name, url := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s := open(t, url)
			_, _, err := s.Baseline(ctx, "a", "https://shop.example/checkout")
			assert.ErrorIs(t, err, ErrNotFound)

			blob := []byte{0, 1, 2, 0xff, '{', '}'}
			require.NoError(t, s.PutBaseline(ctx, "a", "https://shop.example/checkout", blob, t0))
			require.NoError(t, s.PutBaseline(ctx, "a", "https://shop.example/pay", []byte("other"), t0))
			require.NoError(t, s.PutBaseline(ctx, "a", "https://shop.example/checkout", []byte(`{"v":2}`), t0.Add(time.Hour)))

			got, at, err := s.Baseline(ctx, "a", "https://shop.example/checkout")
			require.NoError(t, err)
			assert.Equal(t, `{"v":2}`, string(got))
			assert.Equal(t, t0.Add(time.Hour), at)
			got, _, err = s.Baseline(ctx, "a", "https://shop.example/pay")
			require.NoError(t, err)
			assert.Equal(t, "other", string(got))
			_, _, err = s.Baseline(ctx, "b", "https://shop.example/pay")
			assert.ErrorIs(t, err, ErrNotFound)
		})
	}
}

// Several processes' worth of stores open the same database at once:
// the schema is migrated once and every write lands.
func TestConcurrentWriters(t *testing.T) {
	for name, url := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			const writers, each = 4, 50
			var wg sync.WaitGroup
			errs := make(chan error, writers*each+writers)
			for w := range writers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					s, err := Open(ctx, url) // each its own pool, as a shard process has
					if err != nil {
						errs <- err
						return
					}
					defer s.Close()
					for i := range each {
						if err := s.Put(ctx, rec("w", fmt.Sprintf("m%d-%03d", w, i), "GO", t0)); err != nil {
							errs <- err
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				require.NoError(t, err)
			}
			s := open(t, url)
			assert.Len(t, latest(t, s, "w"), writers*each)
			v, err := s.SchemaVersion(ctx)
			require.NoError(t, err)
			assert.Equal(t, len(s.d.migrations), v)
		})
	}
}

func TestMigrationsAreVersioned(t *testing.T) {
	for name, url := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s := open(t, url)
			require.NoError(t, s.Put(ctx, rec("w", "a", "GO", t0)))
			s.Close()
			s = open(t, url) // reopening migrates nothing and keeps the rows
			assert.Len(t, latest(t, s, "w"), 1)

			_, err := s.db.ExecContext(ctx, s.d.q(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`), 99, "later")
			require.NoError(t, err)
			_, err = Open(ctx, url)
			assert.ErrorContains(t, err, "schema version 99 is newer")
		})
	}
}

func TestURLs(t *testing.T) {
	for _, bad := range []string{"", "mysql://x", "sqlite://", "/tmp/x.db"} {
		_, err := Open(context.Background(), bad)
		assert.Error(t, err, bad)
	}
	assert.Equal(t, "postgres://audit:xxxxx@db:5432/audit", Redact("postgres://audit:s3cret@db:5432/audit"))
	assert.Equal(t, "sqlite://a.db", Redact("sqlite://a.db"))
	_, err := Open(context.Background(), "postgres://audit:s3cret@127.0.0.1:1/audit?connect_timeout=2")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "s3cret", "a store error never shows the password")
}
