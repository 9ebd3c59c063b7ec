package fleet

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/audit-tool/audit/reports"
)

// Audit runs one merchant's audit. It is the single-merchant run path of
// `audit run`; the fleet adds nothing to how a merchant is judged.
type Audit func(ctx context.Context, m Merchant) (*reports.Result, error)

// Outcome is one merchant's run: a result, or the error that kept it from
// having one (a configuration error, a panic, a hang, an interruption).
type Outcome struct {
	Merchant Merchant
	Result   *reports.Result
	Err      error
	Started  time.Time
	Finished time.Time
}

// Options tune a fleet run.
type Options struct {
	// Parallel is how many merchants run at once; 0: the CPU count.
	Parallel int
	// Timeout bounds one merchant's audit; 0: no bound beyond the probes' own.
	Timeout time.Duration
	Now     func() time.Time
}

// ErrTimeout is an outcome's error when a merchant outlived Options.Timeout.
var ErrTimeout = errors.New("merchant audit timed out")

// Run audits every merchant, at most Parallel at once, and calls done with
// each outcome as it arrives, from several goroutines at once. A merchant
// that fails, panics or hangs is an outcome with Err and never stops the
// others. When ctx ends, merchants not started are not run and running ones
// end with ctx's error.
func Run(ctx context.Context, ms []Merchant, audit Audit, opt Options, done func(Outcome)) {
	if opt.Parallel <= 0 {
		opt.Parallel = runtime.NumCPU()
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	work := make(chan Merchant)
	var wg sync.WaitGroup
	for range min(opt.Parallel, len(ms)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for m := range work {
				done(one(ctx, m, audit, opt))
			}
		}()
	}
feed:
	for _, m := range ms {
		select {
		case work <- m:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
}

// one runs a merchant in its own goroutine, so a hang past the timeout
// frees the slot (the goroutine is abandoned: Go cannot kill it).
func one(ctx context.Context, m Merchant, audit Audit, opt Options) Outcome {
	out := Outcome{Merchant: m, Started: opt.Now()}
	mctx, cancel := ctx, context.CancelFunc(func() {})
	if opt.Timeout > 0 {
		mctx, cancel = context.WithTimeout(ctx, opt.Timeout)
	}
	defer cancel()

	type answer struct {
		res *reports.Result
		err error
	}
	ch := make(chan answer, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				ch <- answer{err: fmt.Errorf("panic: %v [%s]", p, panicSite(debug.Stack()))}
			}
		}()
		res, err := audit(mctx, m)
		ch <- answer{res, err}
	}()

	var a answer
	select {
	case a = <-ch:
	case <-mctx.Done():
		// A well-behaved audit returns soon after its context ends; give it
		// a moment so its own (more precise) answer wins.
		select {
		case a = <-ch:
		case <-time.After(time.Second):
			a.err = mctx.Err()
		}
	}
	switch {
	case ctx.Err() != nil:
		// Interrupted: whatever came back was judged on cancelled probes.
		out.Err = fmt.Errorf("interrupted: %w", ctx.Err())
	case mctx.Err() != nil:
		out.Err = fmt.Errorf("%w after %s", ErrTimeout, opt.Timeout)
	case a.err != nil:
		out.Err = a.err
	case a.res == nil:
		out.Err = errors.New("audit returned no result")
	default:
		out.Result = a.res
	}
	out.Finished = opt.Now()
	return out
}

// panicSite is the first frame of the stack outside the runtime and this
// file: where the panic happened, without the whole trace in a report.
func panicSite(stack []byte) string {
	lines := strings.Split(string(stack), "\n")
	for i := 1; i+1 < len(lines); i += 2 {
		fn, loc := strings.TrimSpace(lines[i]), strings.TrimSpace(lines[i+1])
		if strings.HasPrefix(fn, "runtime") || strings.HasPrefix(fn, "panic(") || strings.Contains(fn, "fleet.one") || strings.Contains(fn, "debug.Stack") {
			continue
		}
		if j := strings.LastIndex(loc, " +0x"); j > 0 {
			loc = loc[:j]
		}
		return loc
	}
	return "unknown site"
}
