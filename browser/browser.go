// Package browser renders a payment page in headless Chromium, driven over
// the DevTools protocol, and records what a skimming review needs: every
// script that ran (or was stopped), who injected it and the hash of what was
// received, every frame, every request with the ones blocked, the main
// document's headers, the DOM after the scripts ran, and console errors.
package browser

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chromedp/chromedp"
)

// ErrNotFound is returned when no Chromium executable is installed.
var ErrNotFound = errors.New("no Chromium found (install the Debian package chromium)")

// Find returns the path of a Chromium executable, or "" when none is
// installed.
func Find() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless_shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Browser is one Chromium process, started on the first Render and shared by
// every page of a run; each page gets its own browser context (no cookies,
// cache or storage carried from one page to the next). Close reaps the
// process.
type Browser struct {
	path string

	mu        sync.Mutex
	started   bool
	closed    bool
	startErr  error
	alloc     context.Context
	stopAlloc context.CancelFunc
	root      context.Context
	stopRoot  context.CancelFunc
	// deadEnd is the proxy of offline tabs: it accepts connections and
	// closes them, so that what the Fetch handler does not see (a
	// WebSocket, a worker's request) cannot leave loopback either.
	deadEnd *deadEnd
}

// New returns a browser that starts the Chromium at path on first use.
func New(path string) *Browser { return &Browser{path: path} }

// Path is the Chromium executable this browser runs.
func (b *Browser) Path() string { return b.path }

// flags are Chromium's switches for an audit: headless, no first-run
// chatter, no background traffic of its own (so --offline holds and the
// request log is the page's; autofill, left on, sends the signature of
// every form typed into to content-autofill.googleapis.com), and every
// frame in one renderer so that the DevTools session sees the scripts and
// requests of cross-origin iframes.
func (b *Browser) flags() []chromedp.ExecAllocatorOption {
	opts := append([]chromedp.ExecAllocatorOption{}, chromedp.DefaultExecAllocatorOptions[:]...)
	opts = append(opts,
		chromedp.ExecPath(b.path),
		chromedp.DisableGPU,
		chromedp.Flag("disable-features", "Translate,BlinkGenPropertyTrees,site-per-process,IsolateOrigins,OptimizationHints,MediaRouter,DialMediaRouteProvider,AutofillServerCommunication"),
		chromedp.Flag("disable-site-isolation-trials", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("no-pings", true),
		chromedp.Flag("no-service-autorun", true),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("hide-scrollbars", true),
	)
	// Chromium refuses to start its sandbox as root (CI containers run as
	// root); anywhere else the sandbox stays on.
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	return opts
}

// Start launches Chromium now rather than on the first Render, so that its
// start (seconds on a loaded machine) is not counted against that page's
// deadline. It is safe to call more than once.
func (b *Browser) Start() error { return b.start() }

func (b *Browser) start() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return errors.New("browser: closed")
	}
	if b.started {
		return b.startErr
	}
	b.started = true
	if b.path == "" {
		b.startErr = ErrNotFound
		return b.startErr
	}
	if b.deadEnd, b.startErr = newDeadEnd(); b.startErr != nil {
		return b.startErr
	}
	b.alloc, b.stopAlloc = chromedp.NewExecAllocator(context.Background(), b.flags()...)
	b.root, b.stopRoot = chromedp.NewContext(b.alloc)
	// The first Do launches the process, which then lives as long as the
	// context given to it: b.root, not a shorter one. A timer bounds it so
	// a broken install fails the page instead of hanging the run.
	hung := time.AfterFunc(30*time.Second, b.stopRoot)
	err := chromedp.Do(b.root)
	hung.Stop()
	if err != nil {
		b.stopRoot()
		b.stopAlloc()
		b.deadEnd.close()
		b.startErr = fmt.Errorf("browser: start %s: %w", b.path, err)
	}
	return b.startErr
}

// Close ends the Chromium process and waits for it. It is safe to call more
// than once and on a browser that never started.
func (b *Browser) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil
	}
	b.closed = true
	if !b.started || b.startErr != nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(b.root, 10*time.Second)
	defer cancel()
	err := chromedp.Cancel(ctx) // closes the browser gracefully
	b.stopRoot()
	b.stopAlloc() // kills what is left and waits for the process
	b.deadEnd.close()
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	return err
}

// deadEnd is a listener on 127.0.0.1 that closes every connection it
// accepts: as a tab's proxy it sends nothing anywhere.
type deadEnd struct {
	ln   net.Listener
	hits atomic.Int64 // connections refused, for tests
	done chan struct{}
	addr string
}

func newDeadEnd() (*deadEnd, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("browser: offline proxy: %w", err)
	}
	d := &deadEnd{ln: ln, done: make(chan struct{}), addr: ln.Addr().String()}
	go func() {
		defer close(d.done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			d.hits.Add(1)
			c.Close()
		}
	}()
	return d, nil
}

func (d *deadEnd) close() {
	d.ln.Close()
	<-d.done
}
