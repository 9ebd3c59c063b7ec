// Package probes gathers facts about a payment integration. A probe never
// decides pass or fail: it returns facts as a cty value, or an error, and
// the checklist's assert blocks judge them.
package probes

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"

	"github.com/audit-tool/audit/baseline"
	"github.com/audit-tool/audit/internal/input"
	"github.com/audit-tool/audit/pack"
)

// Kind is one sort of probe ("config", "http", …). Adding a kind is one
// file that implements Kind and one line in Default.
type Kind interface {
	// Name is the first label of a probe block: probe "NAME" "instance".
	Name() string
	// Doc is one sentence for `audit list`.
	Doc() string
	// Spec decodes the probe block's body. It is evaluated with the
	// checklist's variables, so attributes may be expressions over var.*.
	Spec() hcldec.Spec
	// Facts is the type Run returns. Checklists are type-checked against it
	// before anything runs, so a misspelt fact is caught by `audit validate`.
	Facts() cty.Type
	// Run gathers the facts. cfg conforms to Spec. An error means the probe
	// could not decide; wrap ErrUnchecked (or ErrOffline, when the network
	// was needed but forbidden) when the subject cannot be checked here.
	Run(ctx context.Context, env *Env, cfg cty.Value) (cty.Value, error)
}

// Validator is implemented by kinds whose input can be malformed in ways
// the user must fix before a run (a merchant profile with a syntax error):
// Validate runs at load time, so `audit validate` and `audit run` report it
// with file:line:col and exit 2 instead of erroring a step.
type Validator interface {
	Validate(env *Env, cfg cty.Value) hcl.Diagnostics
}

// SettingsValidator is implemented by kinds whose settings can be wrong on
// their own, whatever the environment (a URL that does not parse): checked
// at load in `audit validate` of a lone checklist and in `audit run` alike.
// A diagnostic whose detail starts with "ATTR: " is placed on that
// attribute of the probe block.
type SettingsValidator interface {
	ValidateSettings(cfg cty.Value) hcl.Diagnostics
}

// SettingElement, as a diagnostic's Extra, names the entry of a list
// setting at fault: the loader places the diagnostic on that entry where
// the user wrote it (an element of the list, or a block).
type SettingElement struct {
	Attr  string
	Index int
}

// ErrUnchecked marks a probe whose subject cannot be checked in this run (a
// local file has no TLS or response headers, --offline, no URL). Steps that
// need it are skip + unchecked with the error as the reason: not errored,
// and, unlike a step that does not apply, able to leave the verdict
// UNDETERMINED. Wrap it (or return ErrOffline) rather than returning it bare.
var ErrUnchecked = errors.New("cannot be checked in this run")

// ErrOffline is the unchecked case of a probe that needed the network while
// --offline forbids it: errors.Is(ErrOffline, ErrUnchecked) holds.
var ErrOffline error = uncheckedError("offline")

// uncheckedError is an error that is ErrUnchecked under its own message.
type uncheckedError string

func (e uncheckedError) Error() string        { return string(e) }
func (e uncheckedError) Is(target error) bool { return target == ErrUnchecked }

// Baselines keeps each page as once received (PCI DSS 11.6.1), by the
// page's source as the checklist names it. Implementations are safe for
// concurrent use: the page probes of a run share one.
type Baselines interface {
	// Page returns the record of source; false when there is none.
	Page(ctx context.Context, source string) (baseline.Page, bool, error)
	// Record keeps p as the record of source.
	Record(ctx context.Context, source string, p baseline.Page) error
	// String names where the records are kept, as evidence shows it.
	String() string
}

// Env is what a probe may use from the outside world. The runner builds one
// per checklist instance.
type Env struct {
	// BaseDir is the folder that relative paths resolve against: the
	// integration file's folder, or the working directory for --checklist.
	BaseDir string
	// Offline forbids network access beyond loopback.
	Offline bool
	// Now is the clock; injectable so runs are reproducible.
	Now func() time.Time
	// RootCAs, when set, replaces the system roots for https: a staging
	// server behind a private CA, or a test server.
	RootCAs *x509.CertPool
	// Packs are the provider packs whose rules the generic probes apply;
	// nil means the built-in ones.
	Packs *pack.Set
	// Browser, when set, renders pages as a browser runs them (the page
	// probe's engine "auto" uses it); nil when no Chromium is installed.
	Browser Renderer
	// Baselines keeps the pages as once received, compared with (or
	// recorded from) this run's: the file of `audit run --baseline`, or a
	// fleet store's records of the merchant; nil: no change detection.
	Baselines Baselines
	// Engine, when set (`audit run --engine`), replaces a page probe's
	// engine = "auto".
	Engine string
	// Debug, when set (`audit --debug`), is told of each HTTP request and
	// answer, credentials masked. It may be called from several probes at
	// once.
	Debug func(line string)
	// Scope is where the integration's files must resolve (nil for
	// --checklist runs); probes read through it, which re-checks on the
	// descriptor what was checked at load time.
	Scope *input.Scope
}

// PackSet returns the packs to apply.
func (e *Env) PackSet() *pack.Set {
	if e.Packs != nil {
		return e.Packs
	}
	return pack.Builtin()
}

// Path resolves p against BaseDir unless it is absolute.
func (e *Env) Path(p string) string {
	if filepath.IsAbs(p) || e.BaseDir == "" {
		return p
	}
	return filepath.Join(e.BaseDir, p)
}

// Rel shows path relative to BaseDir when it lies below it, so evidence
// reads "config/payments.yaml", as the merchant's repository names it.
func (e *Env) Rel(path string) string {
	if e.BaseDir == "" {
		return filepath.ToSlash(path)
	}
	base, err := filepath.Abs(e.BaseDir)
	if err != nil {
		return filepath.ToSlash(path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.ToSlash(path)
	}
	rel, err := filepath.Rel(base, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(path)
	}
	return filepath.ToSlash(rel)
}

// Time returns the injected clock's time, or the wall clock.
func (e *Env) Time() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

// Registry is the set of probe kinds a run knows. It is a value: tests and
// embedders build their own.
type Registry struct {
	kinds map[string]Kind
}

// NewRegistry builds a registry; a kind name given twice is an error.
func NewRegistry(kinds ...Kind) (*Registry, error) {
	r := &Registry{kinds: make(map[string]Kind, len(kinds))}
	for _, k := range kinds {
		if _, dup := r.kinds[k.Name()]; dup {
			return nil, fmt.Errorf("probe kind %q registered twice", k.Name())
		}
		r.kinds[k.Name()] = k
	}
	return r, nil
}

// Lookup finds a kind by name.
func (r *Registry) Lookup(name string) (Kind, bool) {
	k, ok := r.kinds[name]
	return k, ok
}

// Names lists the kinds, sorted.
func (r *Registry) Names() []string {
	names := make([]string, 0, len(r.kinds))
	for n := range r.kinds {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
