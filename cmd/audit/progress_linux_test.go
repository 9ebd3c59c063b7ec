//go:build linux

package main

import (
	"bytes"
	"io"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runWithStderr runs the binary with stderr on a pseudo-terminal (tty) or
// a pipe, stdout on a pipe, and returns both and the exit code.
func runWithStderr(t *testing.T, tty bool, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(auditBinary(t), args...)
	var out, errPipe bytes.Buffer
	cmd.Stdout = &out
	var master io.Reader
	if tty {
		m, slave := openPTY(t, 100, 24)
		cmd.Stderr, master = slave, m
		require.NoError(t, cmd.Start())
		slave.Close()
	} else {
		cmd.Stderr = &errPipe
		require.NoError(t, cmd.Start())
	}
	var term bytes.Buffer
	done := make(chan struct{})
	if master != nil {
		go func() { _, _ = io.Copy(&term, master); close(done) }()
	} else {
		close(done)
	}
	err := cmd.Wait()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("no EOF from the terminal")
	}
	code = 0
	var exit *exec.ExitError
	if err != nil {
		require.ErrorAs(t, err, &exit)
		code = exit.ExitCode()
	}
	if tty {
		return code, out.String(), term.String()
	}
	return code, out.String(), errPipe.String()
}

// TestProgressOnlyOnATerminal: audit run and audit scan draw a bar on
// stderr when it is a terminal; a pipe, --quiet and --verbose get none,
// and stdout never does.
func TestProgressOnlyOnATerminal(t *testing.T) {
	run := []string{"run", example, "--offline", "--engine", "static", "--now", "2026-11-23"}
	scanArgs := []string{"scan", scanTree}
	for _, tc := range []struct {
		name string
		args []string
		tty  bool
		code int
		bar  string // "" : no progress at all
	}{
		{"run on a terminal", run, true, 1, "probes"},
		{"scan on a terminal", scanArgs, true, 1, "scanning"},
		{"run to a pipe", run, false, 1, ""},
		{"scan to a pipe", scanArgs, false, 1, ""},
		{"run --quiet on a terminal", append(append([]string{}, run...), "--quiet"), true, 1, ""},
		{"run --verbose on a terminal", append(append([]string{}, run...), "--verbose"), true, 1, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runWithStderr(t, tc.tty, tc.args...)
			assert.Equal(t, tc.code, code, stderr)
			assert.NotContains(t, stdout, "\r", "stdout carries the report only")
			if tc.bar == "" {
				assert.NotContains(t, stderr, "\r")
				assert.NotContains(t, stderr, "probes")
				assert.NotContains(t, stderr, "scanning")
				return
			}
			assert.Contains(t, stderr, tc.bar)
			assert.Contains(t, stderr, "\r", "the bar redraws its line")
			// Cleared when done: the last thing on the bar's line is the
			// clearing, not a half-drawn bar.
			last := stderr[strings.LastIndex(stderr, "\r"):]
			assert.NotContains(t, last, tc.bar)
		})
	}
}
