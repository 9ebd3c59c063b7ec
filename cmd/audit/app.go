package main

import (
	"io"
	"os"
	"time"

	"github.com/mattn/go-isatty"

	"github.com/audit-tool/audit/probes"
	"github.com/audit-tool/audit/scan"
)

func newApp(stdout, stderr io.Writer) *app {
	return &app{
		stdout:     stdout,
		stderr:     redactWriter{stderr},
		now:        time.Now,
		isTerminal: isTerminal(stdout),
		registry:   probes.Default(),
	}
}

// colorOK reports whether a report on stdout may use colour.
func (a *app) colorOK() bool {
	_, noColor := os.LookupEnv("NO_COLOR")
	return a.isTerminal && !noColor
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
