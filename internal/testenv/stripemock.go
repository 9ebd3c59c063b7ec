package testenv

import (
	"bufio"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// stripeMockReady bounds stripe-mock's start: it loads a large OpenAPI
// spec, which takes a second or two on a small machine.
const stripeMockReady = 60 * time.Second

// StripeMock starts Stripe's official API mock on loopback ports the system
// picks and returns its plain-HTTP base URL ("http://127.0.0.1:NNNNN"). The
// process is killed when the test ends. A missing binary fails the test:
// the API probes must never go untested.
func StripeMock(t testing.TB) (baseURL string) {
	t.Helper()
	bin, err := stripeMockBinary()
	if err != nil {
		t.Fatalf("stripe-mock not installed: run scripts/setup.sh (%v)", err)
	}

	// Both listeners are pinned to loopback: by default the HTTPS one binds
	// every interface on a fixed port.
	cmd := exec.Command(bin, "-http-addr", "127.0.0.1:0", "-https-addr", "127.0.0.1:0")
	out, w, err := os.Pipe()
	if err != nil {
		t.Fatalf("stripe-mock: %v", err)
	}
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Start(); err != nil {
		_ = out.Close()
		_ = w.Close()
		t.Fatalf("starting %s: %v", bin, err)
	}
	_ = w.Close() // the child holds its own copy; EOF then means it exited

	started := make(chan stripeMockStart, 1)
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		started <- readStripeMockStart(out)
		// Keep reading so the mock never blocks on a full pipe.
		_, _ = io.Copy(io.Discard, out)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		<-drained
		_ = out.Close()
	})

	var addr string
	select {
	case s := <-started:
		if s.addr == "" {
			t.Fatalf("stripe-mock exited before listening:\n%s", s.log)
		}
		addr = s.addr
	case <-time.After(stripeMockReady):
		t.Fatalf("stripe-mock did not report its address within %s", stripeMockReady)
	}
	baseURL = "http://" + addr
	if err := stripeMockWait(baseURL+"/v1/account", stripeMockReady); err != nil {
		t.Fatalf("stripe-mock at %s: %v", baseURL, err)
	}
	return baseURL
}

// stripeMockStart is what stripe-mock printed up to its HTTP address.
type stripeMockStart struct {
	addr string // empty if the output ended first
	log  string
}

// readStripeMockStart reads until stripe-mock's "Listening for HTTP at
// address: 127.0.0.1:N" line, the only way to learn a system-chosen port.
func readStripeMockStart(r io.Reader) stripeMockStart {
	const marker = "Listening for HTTP at address: "
	var buf strings.Builder
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		buf.WriteString(line + "\n")
		if addr, ok := strings.CutPrefix(line, marker); ok {
			return stripeMockStart{addr: strings.TrimSpace(addr), log: buf.String()}
		}
	}
	return stripeMockStart{log: buf.String()}
}

// stripeMockBinary finds stripe-mock on PATH, then where `go install` puts
// it: each GOPATH entry's bin, or ~/go/bin.
func stripeMockBinary() (string, error) {
	if p, err := exec.LookPath("stripe-mock"); err == nil {
		return p, nil
	}
	var dirs []string
	for _, gp := range filepath.SplitList(os.Getenv("GOPATH")) {
		dirs = append(dirs, filepath.Join(gp, "bin"))
	}
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, "go", "bin"))
	}
	for _, d := range dirs {
		p := filepath.Join(d, "stripe-mock")
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", errors.New("not on PATH nor in " + strings.Join(dirs, ", "))
}

// stripeMockWait polls url until any HTTP response comes back.
func stripeMockWait(url string, within time.Duration) error {
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(within)
	for {
		resp, err := client.Get(url)
		if err == nil {
			_ = resp.Body.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
}
