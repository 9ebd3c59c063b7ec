package main

import (
	"io"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/mattn/go-isatty"
	"golang.org/x/term"

	"github.com/audit-tool/audit/probes"
	"github.com/audit-tool/audit/reports"
	"github.com/audit-tool/audit/scan"
)

func newApp(stdout, stderr io.Writer) *app {
	a := &app{
		stdout:     stdout,
		stderr:     redactWriter{stderr},
		now:        time.Now,
		isTerminal: isTerminal(stdout),
		termWidth:  terminalWidth(stdout),
		registry:   probes.Default(),
		logMu:      &sync.Mutex{},
	}
	a.library = sync.OnceValues(a.newLibrary)
	return a
}

// colorOK reports whether a report on stdout may use colour: a terminal,
// without NO_COLOR (https://no-color.org) or --no-color.
func (a *app) colorOK() bool {
	_, noColor := os.LookupEnv("NO_COLOR")
	return a.isTerminal && !noColor && !a.noColor
}

// width is what the table fits: COLUMNS when set (the user's say, and how
// a pipe is given a width), else the terminal's, else a width for files
// and CI logs.
func (a *app) width() int {
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	if a.termWidth > 0 {
		return a.termWidth
	}
	return reports.DefaultWidth
}

// terminalWidth is w's width in cells when it is a terminal, else 0.
func terminalWidth(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok || !isatty.IsTerminal(f.Fd()) {
		return 0
	}
	width, _, err := term.GetSize(int(f.Fd()))
	if err != nil {
		return 0
	}
	return width
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isatty.IsTerminal(f.Fd())
}

// redactWriter masks card numbers and secrets in everything written to it,
// and escapes control characters but newlines and tabs: diagnostics quote
// source lines, and source lines can hold secrets and terminal escapes.
type redactWriter struct{ w io.Writer }

func (r redactWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(r.w, scan.EscapeTerminal(scan.Redact(string(p)))); err != nil {
		return 0, err
	}
	return len(p), nil
}
