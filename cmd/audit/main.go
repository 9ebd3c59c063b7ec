// Command audit tells a merchant whether its payment integration is ready
// to go live and where it stands on PCI DSS.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/audit-tool/audit/outcome"
	"github.com/audit-tool/audit/probes"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0"

// exitError carries an exit code up to main, the only place that exits.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageErr marks a usage or configuration error (exit 2).
func usageErr(format string, args ...any) error {
	return &exitError{code: outcome.ExitUsage, err: fmt.Errorf(format, args...)}
}

// app is what every subcommand shares. Tests build their own.
type app struct {
	stdout io.Writer
	stderr io.Writer // every byte is masked: see newApp
	now    func() time.Time
	// isTerminal reports whether stdout is a terminal (colour in tables);
	// termWidth is its width (0: not a terminal).
	isTerminal bool
	termWidth  int
	noColor    bool        // --no-color
	quiet      bool        // --quiet
	verbose    bool        // --verbose
	debug      bool        // --debug: --verbose and more
	logMu      *sync.Mutex // shared by copies (a fleet's merchants)
	registry   *probes.Registry
	packDirs   []string // --packs: folders of provider packs besides the built-in ones
	// renderer, when set, is the browser every run uses (tests share one);
	// nil: each run starts Chromium on demand, if installed, and reaps it.
	renderer probes.Renderer
	// library is the built-in checklists and the provider packs, read once
	// (after the flags, for --packs) and shared by every load of the
	// process: a fleet run's merchants parse them once, not each.
	library func() (library, error)
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command line and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	return newApp(stdout, stderr).execute(args)
}

// execute runs one command line and returns the exit code.
func (a *app) execute(args []string) int {
	root := newRootCmd(a)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return outcome.ExitGo
	}
	if a.debug && err.Error() != "" {
		a.debugf("error chain:%s", errorChain(err, "  "))
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil && ee.err.Error() != "" {
			fmt.Fprintln(a.stderr, "audit:", ee.err)
		}
		return ee.code
	}
	// cobra's own errors: unknown flags, commands, argument counts.
	fmt.Fprintln(a.stderr, "audit:", err)
	return outcome.ExitUsage
}

func newRootCmd(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "audit",
		Short: "Go-live readiness and PCI DSS scope checks for payment integrations",
		Long: `audit checks a payment integration against go-live checklists (Amazon Pay,
Stripe, Adyen, PayPal, Braintree) and PCI DSS v4.0.1 scope rules, and says GO or NO-GO.

Exit codes: 0 GO, 1 NO-GO, 2 usage or configuration error, 3 undetermined,
4 the run finished but its reports could not be written (the verdict is on stderr).`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version,
	}
	root.SetVersionTemplate("audit {{.Version}}\n")
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.PersistentFlags().BoolVarP(&a.verbose, "verbose", "v", false, "on stderr: each probe as it finishes, what it read or fetched and how long it took")
	root.PersistentFlags().BoolVar(&a.debug, "debug", false, "--verbose and more on stderr: each probe's settings as resolved, load and run timings, HTTP requests and answers (credentials masked), the Go error chain of failures")
	root.PersistentFlags().BoolVarP(&a.quiet, "quiet", "q", false, "only the report and errors: no \"wrote FILE\" lines, no progress; the table is its verdict line")
	root.PersistentFlags().BoolVar(&a.noColor, "no-color", false, "no colour in the table, even on a terminal (as NO_COLOR)")
	root.PersistentFlags().StringArrayVar(&a.packDirs, "packs", nil, "a folder of provider packs (NAME/pack.hcl, NAME/checklist.hcl) added to the built-in ones; repeatable")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageErr("%w (see '%s --help')", err, c.CommandPath())
	})
	root.AddCommand(
		newRunCmd(a),
		newValidateCmd(a),
		newListCmd(a),
		newInitCmd(a),
		newScanCmd(a),
		newReportCmd(a),
		newDiffCmd(a),
		newFleetCmd(a),
		newVersionCmd(a),
	)
	return root
}

func newVersionCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			fmt.Fprintf(a.stdout, "audit %s\n", version)
			return nil
		},
	}
}
