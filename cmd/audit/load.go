package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/audit-tool/audit/checklist"
	"github.com/audit-tool/audit/outcome"
	"github.com/audit-tool/audit/pack"
	"github.com/audit-tool/audit/policies"

	"github.com/audit-tool/audit/internal/input"
)

// library is what every load of a process shares.
type library struct {
	checklists *checklist.Library
	packs      *pack.Set
}

func (a *app) newLibrary() (library, error) {
	lib, err := checklist.NewLibrary(checklist.Builtins(), policies.Builtins())
	if err != nil {
		return library{}, err
	}
	packs, err := a.packs()
	if err != nil {
		return library{}, err
	}
	if err := lib.AddPacks(packs); err != nil {
		return library{}, &exitError{code: outcome.ExitUsage, err: err}
	}
	return library{checklists: lib, packs: packs}, nil
}

// loader builds a checklist loader over the built-in checklists, with a
// parser of its own (its files are one load's diagnostics).
func (a *app) loader() (*checklist.Loader, error) {
	lib, err := a.library()
	if err != nil {
		return nil, err
	}
	return &checklist.Loader{Parser: checklist.NewParser(), Library: lib.checklists, Registry: a.registry, Now: a.now, Packs: lib.packs}, nil
}

// packs are the built-in provider packs and those of --packs folders; a
// mistake in one is printed with file:line:col and exits 2.
func (a *app) packs() (*pack.Set, error) {
	sets := []*pack.Set{pack.Builtin()}
	var diags hcl.Diagnostics
	files := map[string]*hcl.File{}
	for _, dir := range a.packDirs {
		s, ds := pack.LoadDir(dir)
		diags = append(diags, ds...)
		if s != nil {
			sets = append(sets, s)
			for n, f := range s.Files() {
				files[n] = f
			}
		}
	}
	set, ds := pack.Merge(sets...)
	diags = append(diags, ds...)
	if len(diags) > 0 {
		_ = hcl.NewDiagnosticTextWriter(a.stderr, files, 100, false).WriteDiagnostics(diags)
	}
	if diags.HasErrors() {
		return nil, &exitError{code: outcome.ExitUsage, err: fmt.Errorf("provider packs: %d error(s); nothing was run", len(diags.Errs()))}
	}
	return set, nil
}

// integrationFile finds the audit.hcl that PATH names: the file itself or
// audit.hcl in the folder. found is false when a folder has none.
func integrationFile(path string) (file string, found bool, err error) {
	info, err := os.Stat(path)
	if err != nil {
		return "", false, fmt.Errorf("%s: %w", path, unwrap(err))
	}
	if !info.IsDir() {
		if _, err := input.Check(path); err != nil {
			return "", false, fmt.Errorf("%s: %w", path, unwrap(err))
		}
		return path, true, nil
	}
	file = filepath.Join(path, "audit.hcl")
	if _, err := os.Stat(file); errors.Is(err, os.ErrNotExist) {
		return file, false, nil
	} else if err != nil {
		return "", false, fmt.Errorf("%s: %w", file, unwrap(err))
	}
	return file, true, nil
}

func unwrap(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// report writes diagnostics to stderr and returns a usage error when any
// is an error, so the caller exits 2.
func (a *app) report(l *checklist.Loader, diags hcl.Diagnostics) error {
	if len(diags) == 0 {
		return nil
	}
	diags = uniqueDiagnostics(diags)
	_ = l.Parser.WriteDiagnostics(a.stderr, diags, 100, false)
	return diagnosticsErr(diags)
}

// diagnosticsErr is the usage error (exit 2) that errors among diags make.
func diagnosticsErr(diags hcl.Diagnostics) error {
	if !diags.HasErrors() {
		return nil
	}
	n := 0
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			n++
		}
	}
	return &exitError{code: outcome.ExitUsage, err: fmt.Errorf("%d configuration error(s); nothing was run", n)}
}

// uniqueDiagnostics orders diagnostics by file and position, so a user
// fixes them top to bottom and two runs print the same, and drops repeats
// (two checklists reading the same merchant profile report it once).
func uniqueDiagnostics(diags hcl.Diagnostics) hcl.Diagnostics {
	sort.SliceStable(diags, func(i, j int) bool {
		a, b := diags[i].Subject, diags[j].Subject
		switch {
		case a == nil || b == nil:
			return a == nil && b != nil
		case a.Filename != b.Filename:
			return a.Filename < b.Filename
		default:
			return a.Start.Byte < b.Start.Byte
		}
	})
	seen := map[string]bool{}
	out := diags[:0]
	for _, d := range diags {
		key := fmt.Sprintf("%v|%s|%s|%v", d.Severity, d.Summary, d.Detail, d.Subject)
		if !seen[key] {
			seen[key] = true
			out = append(out, d)
		}
	}
	return out
}

// loadTimeout bounds loading (parsing, type checking, evaluating constant
// locals) for commands without a --timeout.
const loadTimeout = 60 * time.Second

// load runs l.Load under a deadline: the evaluation budget bounds what one
// expression builds, the deadline what all of them take together.
func (a *app) load(l *checklist.Loader, req checklist.Request, timeout time.Duration) (*checklist.Plan, hcl.Diagnostics, error) {
	type loaded struct {
		plan  *checklist.Plan
		diags hcl.Diagnostics
	}
	r, err := withDeadline(timeout, func() loaded {
		plan, diags := l.Load(req)
		return loaded{plan, diags}
	})
	return r.plan, r.diags, err
}

// withDeadline runs f, load-time work that cannot be cancelled (parsing,
// evaluating constants), for at most timeout. Past it f is abandoned and
// the error is a usage error: the command returns and main exits, which
// ends f's goroutine with the process.
func withDeadline[T any](timeout time.Duration, f func() T) (T, error) {
	done := make(chan T, 1)
	go func() { done <- f() }()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case r := <-done:
		return r, nil
	case <-timer.C:
		var zero T
		return zero, usageErr("loading the checklists took longer than %s; nothing was run", timeout)
	}
}
