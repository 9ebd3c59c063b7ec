package fleet

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/audit-tool/audit/reports"
)

func merchants(ids ...string) []Merchant {
	var ms []Merchant
	for _, id := range ids {
		ms = append(ms, Merchant{ID: id})
	}
	return ms
}

func collect(ctx context.Context, ms []Merchant, audit Audit, opt Options) map[string]Outcome {
	var mu sync.Mutex
	got := map[string]Outcome{}
	Run(ctx, ms, audit, opt, func(o Outcome) {
		mu.Lock()
		defer mu.Unlock()
		got[o.Merchant.ID] = o
	})
	return got
}

// One merchant that panics, hangs or fails is its own error row; the others
// run to the end.
func TestRunIsolatesMerchants(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	audit := func(ctx context.Context, m Merchant) (*reports.Result, error) {
		switch m.ID {
		case "panics":
			var r *reports.Result
			_ = r.Verdict // nil dereference
		case "hangs":
			<-release // ignores its context: the worst case
		case "fails":
			return nil, errors.New("3 configuration error(s)")
		case "nil":
			return nil, nil
		}
		return &reports.Result{Verdict: reports.Go}, nil
	}
	ms := merchants("a", "panics", "b", "hangs", "fails", "nil", "c")
	start := time.Now()
	got := collect(context.Background(), ms, audit, Options{Parallel: 2, Timeout: 200 * time.Millisecond})
	assert.Less(t, time.Since(start), 5*time.Second)
	require.Len(t, got, len(ms))
	for _, id := range []string{"a", "b", "c"} {
		require.NoError(t, got[id].Err, id)
		assert.Equal(t, reports.Go, got[id].Result.Verdict)
	}
	assert.ErrorContains(t, got["panics"].Err, "panic: runtime error: invalid memory address")
	assert.ErrorContains(t, got["panics"].Err, "exec_test.go:", "the panic names where it happened")
	assert.ErrorIs(t, got["hangs"].Err, ErrTimeout)
	assert.EqualError(t, got["fails"].Err, "3 configuration error(s)")
	assert.ErrorContains(t, got["nil"].Err, "no result")
	for _, o := range got {
		assert.False(t, o.Finished.Before(o.Started))
	}
}

func TestRunBoundsParallelism(t *testing.T) {
	var running, peak atomic.Int32
	audit := func(ctx context.Context, m Merchant) (*reports.Result, error) {
		n := running.Add(1)
		defer running.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(5 * time.Millisecond)
		return &reports.Result{Verdict: reports.NoGo}, nil
	}
	var ids []string
	for i := range 40 {
		ids = append(ids, fmt.Sprint(i))
	}
	got := collect(context.Background(), merchants(ids...), audit, Options{Parallel: 3})
	assert.Len(t, got, 40)
	assert.Equal(t, int32(3), peak.Load())
}

// An interrupted fleet run starts nothing new, and what was running is an
// error (so a resumed run audits it again), not a result judged on
// cancelled probes.
func TestRunInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var started atomic.Int32
	audit := func(ctx context.Context, m Merchant) (*reports.Result, error) {
		if started.Add(1) == 2 {
			cancel()
		}
		<-ctx.Done()
		return &reports.Result{Verdict: reports.Undetermined}, nil
	}
	got := collect(ctx, merchants("a", "b", "c", "d", "e", "f"), audit, Options{Parallel: 2})
	assert.LessOrEqual(t, len(got), 3)
	for id, o := range got {
		assert.ErrorIs(t, o.Err, context.Canceled, id)
		assert.Nil(t, o.Result)
	}
}
