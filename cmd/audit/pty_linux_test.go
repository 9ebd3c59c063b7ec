//go:build linux

package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mattn/go-runewidth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal of cols × rows: the master to read what
// the child writes, the slave to give the child as its stdout.
func openPTY(t *testing.T, cols, rows uint16) (master, slave *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	require.NoError(t, err)
	t.Cleanup(func() { master.Close() })
	fd := int(master.Fd())
	require.NoError(t, unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0), "unlockpt")
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	require.NoError(t, err, "ptsname")
	slave, err = os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|unix.O_NOCTTY, 0)
	require.NoError(t, err)
	t.Cleanup(func() { slave.Close() })
	require.NoError(t, unix.IoctlSetWinsize(int(slave.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Col: cols, Row: rows}))
	// Raw output: no \r added before each \n.
	tio, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS)
	require.NoError(t, err)
	tio.Oflag &^= unix.OPOST
	require.NoError(t, unix.IoctlSetTermios(int(slave.Fd()), unix.TCSETS, tio))
	return master, slave
}

// TestTableOnAnEightyColumnTerminal runs the binary with its stdout on a
// real pseudo-terminal of 80 columns: the table takes the compact layout,
// every line fits, nothing is cut, and colour is on (off with --no-color).
func TestTableOnAnEightyColumnTerminal(t *testing.T) {
	bin := auditBinary(t)
	example, err := filepath.Abs(example)
	require.NoError(t, err)
	for _, noColor := range []bool{false, true} {
		master, slave := openPTY(t, 80, 24)
		args := []string{"run", example, "--offline", "--now", "2026-11-23"}
		if noColor {
			args = append(args, "--no-color")
		}
		cmd := exec.Command(bin, args...)
		cmd.Env = append(withoutEnv(os.Environ(), "COLUMNS", "NO_COLOR"), "TERM=xterm")
		var errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = slave, &errOut
		require.NoError(t, cmd.Start())
		slave.Close() // the child holds it now; EOF on the master when it exits

		var out bytes.Buffer
		done := make(chan struct{})
		go func() { _, _ = io.Copy(&out, master); close(done) }()
		err := cmd.Wait()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("no EOF from the terminal")
		}
		var exit *exec.ExitError
		require.ErrorAs(t, err, &exit, errOut.String())
		assert.Equal(t, 1, exit.ExitCode(), "NO-GO")

		text := out.String()
		assert.Equal(t, !noColor, strings.Contains(text, "\x1b["), "colour on a terminal unless --no-color")
		plain := stripANSI(text)
		assert.NotContains(t, plain, "│", "compact layout below 100 columns")
		// Wrapped, never cut: joined again, the longest messages are whole.
		joined := strings.Join(strings.Fields(plain), " ")
		for _, msg := range []string{
			"A private key lies under a web root at public/keys/amazon-pay-private.pem:1, where anyone can download it: remove it, revoke it in Seller Central and create a new key pair.",
			"1 card number(s) found, first 492913******5670 at logs/app.log:5: delete them, stop the code path that writes them, and treat these systems as cardholder-data environment until then.",
		} {
			assert.Contains(t, joined, msg)
		}
		assert.Contains(t, plain, "fail      critical amazon-pay.production_endpoints\n    Every Amazon Pay API endpoint is the production host of the region\n")
		assert.Contains(t, plain, "Verdict: NO-GO (fail-on high)\n")
		for _, line := range strings.Split(plain, "\n") {
			assert.LessOrEqual(t, runewidth.StringWidth(line), 80, "%q", line)
		}
	}
}

func withoutEnv(env []string, names ...string) []string {
	var out []string
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		keep := true
		for _, n := range names {
			keep = keep && name != n
		}
		if keep {
			out = append(out, kv)
		}
	}
	return out
}

func stripANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			j := i + 2
			for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
				j++
			}
			i = j
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// TestBinaryFormatRefusedOnATerminal: a PDF to a terminal is a usage error
// with a hint, and nothing binary reaches the screen.
func TestBinaryFormatRefusedOnATerminal(t *testing.T) {
	bin := auditBinary(t)
	master, slave := openPTY(t, 80, 24)
	cmd := exec.Command(bin, "run", example, "--offline", "--format", "pdf")
	var errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = slave, &errOut
	require.NoError(t, cmd.Start())
	slave.Close()
	var out bytes.Buffer
	done := make(chan struct{})
	go func() { _, _ = io.Copy(&out, master); close(done) }()
	err := cmd.Wait()
	<-done
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit)
	assert.Equal(t, 2, exit.ExitCode())
	assert.Contains(t, errOut.String(), "--format pdf is binary and stdout is a terminal: give --out DIR, or redirect (> audit.pdf)")
	assert.NotContains(t, out.String(), "%PDF")
}
