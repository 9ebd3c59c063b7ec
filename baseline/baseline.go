// Package baseline keeps the payment page as it was once received — its
// scripts with their hashes and its security headers — so that a later run
// can tell what changed (PCI DSS v4.0.1 11.6.1: detect unauthorised changes
// to the page as received by the consumer's browser). A baseline is a small
// JSON document, independent of where it is stored.
package baseline

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Version is the format version written to files.
const Version = 1

// maxFile bounds what Load reads: a baseline is a few kilobytes.
const maxFile = 8 << 20

// Baseline is the record of one or more pages, keyed by the page's source
// as the checklist names it (a URL or a file).
type Baseline struct {
	Version int             `json:"version"`
	Pages   map[string]Page `json:"pages"`
}

// Page is one page as received.
type Page struct {
	RecordedAt time.Time         `json:"recorded_at"`
	URL        string            `json:"url,omitempty"`
	Engine     string            `json:"engine"`
	Scripts    []Script          `json:"scripts"`
	Headers    map[string]string `json:"headers"` // security headers, lower-case names
}

// Script is one script: Key is its resolved URL, or "inline:" and its hash.
type Script struct {
	Key       string `json:"key"`
	SHA256    string `json:"sha256,omitempty"`
	Integrity string `json:"integrity,omitempty"`
	// Blocked is why the script was not received ("offline", "csp", an
	// error): it then has no hash, and nothing can be said of its content.
	Blocked string `json:"blocked,omitempty"`
	// An inline script's id and data-* attributes and its code (up to
	// MaxText bytes): what names it when its code changes per request,
	// and what a later run's diff is taken against.
	Attrs map[string]string `json:"attrs,omitempty"`
	Text  string            `json:"text,omitempty"`
}

// MaxText bounds the code a baseline keeps of one inline script, and
// MaxPageText of all of a page's (a page that evaluates many snippets):
// beyond them a script is kept by its hash alone, and the record stays
// well under what Load reads.
const (
	MaxText     = 64 << 10
	MaxPageText = 1 << 20
)

// SecurityHeaders are the response headers a baseline keeps.
var SecurityHeaders = []string{
	"content-security-policy", "content-security-policy-report-only", "strict-transport-security",
	"x-frame-options", "x-content-type-options", "referrer-policy", "permissions-policy",
	"cross-origin-opener-policy",
}

// HeaderValue is the value a baseline keeps of a security header: a
// Content-Security-Policy's nonces are fresh on every response (that is
// their point), so each is kept as 'nonce-*' — otherwise every run would
// report a change and the record would be useless.
func HeaderValue(name, value string) string {
	if name != "content-security-policy" && name != "content-security-policy-report-only" {
		return value
	}
	f := strings.FieldsFunc(value, func(r rune) bool { return r == ' ' || r == '\t' })
	changed := false
	for i, tok := range f {
		if l := strings.ToLower(tok); strings.HasPrefix(l, "'nonce-") && strings.HasSuffix(strings.TrimRight(l, ";,"), "'") {
			f[i] = "'nonce-*'" + tok[len(strings.TrimRight(tok, ";,")):]
			changed = true
		}
	}
	if !changed {
		return value
	}
	return strings.Join(f, " ")
}

// New returns an empty baseline.
func New() *Baseline { return &Baseline{Version: Version, Pages: map[string]Page{}} }

// Load reads a baseline file. A missing file is reported with an error that
// wraps fs.ErrNotExist.
func Load(path string) (*Baseline, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil, fmt.Errorf("baseline %s: not a regular file", path)
	}
	raw, err := io.ReadAll(io.LimitReader(f, maxFile+1))
	if err != nil {
		return nil, fmt.Errorf("baseline %s: %w", path, err)
	}
	if len(raw) > maxFile {
		return nil, fmt.Errorf("baseline %s: larger than %d bytes", path, maxFile)
	}
	return Parse(raw, path)
}

// Parse decodes a baseline; name is used in messages.
func Parse(raw []byte, name string) (*Baseline, error) {
	b := &Baseline{}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(b); err != nil {
		// Every decoding error names where it stopped: a truncated
		// file (an interrupted copy) at its end.
		off := dec.InputOffset()
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			off = se.Offset
		case errors.As(err, &te):
			off = te.Offset
		case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
			off = int64(len(raw))
		}
		line, col := position(raw, off)
		return nil, fmt.Errorf("%s:%d:%d: %w", name, line, col, err)
	}
	end := dec.InputOffset()
	if err := dec.Decode(&json.RawMessage{}); !errors.Is(err, io.EOF) {
		end += int64(len(raw[end:]) - len(bytes.TrimLeft(raw[end:], " \t\r\n")))
		line, col := position(raw, end)
		return nil, fmt.Errorf("%s:%d:%d: unexpected data after the baseline document", name, line, col)
	}
	if b.Version != Version {
		return nil, fmt.Errorf("%s: baseline version %d, want %d", name, b.Version, Version)
	}
	if b.Pages == nil {
		b.Pages = map[string]Page{}
	}
	return b, nil
}

func position(raw []byte, off int64) (line, col int) {
	line, col = 1, 1
	for i := int64(0); i < off && i < int64(len(raw)); i++ {
		if raw[i] == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

// Marshal encodes the baseline as Parse reads it.
func (b *Baseline) Marshal() ([]byte, error) {
	raw, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	return append(raw, '\n'), nil
}

// Save writes the baseline atomically (a temporary file renamed over path).
func (b *Baseline) Save(path string) error {
	raw, err := b.Marshal()
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".baseline-*")
	if err != nil {
		return fmt.Errorf("baseline: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(raw); err != nil {
		tmp.Close()
		return fmt.Errorf("baseline %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("baseline %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("baseline %s: %w", path, err)
	}
	return nil
}

// Change is one difference between the recorded page and the current one.
type Change struct {
	// script_added, script_changed, script_removed, header_removed,
	// header_changed, header_added; script_unseen when a script of both
	// has no hash in one of them: what it was or is cannot be compared.
	Kind   string
	Item   string // the script key or the header name
	Detail string // "sha256-old → sha256-new", "was: …"
}

// Diff lists what changed from old to cur, scripts first, in a stable order.
func Diff(old, cur Page) []Change {
	var out []Change
	before := map[string]Script{}
	for _, s := range old.Scripts {
		before[s.Key] = s
	}
	now := map[string]bool{}
	for _, s := range cur.Scripts {
		now[s.Key] = true
		prev, ok := before[s.Key]
		switch {
		case !ok:
			out = append(out, Change{Kind: "script_added", Item: s.Key, Detail: "new script " + orNone(s.SHA256)})
		case s.Blocked == "csp":
			// No browser runs it under the page's policy as it is; a
			// policy that lets it run is a header change.
		case s.SHA256 == "":
			out = append(out, Change{Kind: "script_unseen", Item: s.Key, Detail: "not received in this run (" + orUnknown(s.Blocked) + "): its content cannot be compared with " + orNone(prev.SHA256)})
		case prev.SHA256 == "":
			out = append(out, Change{Kind: "script_unseen", Item: s.Key, Detail: "not received when the baseline was recorded (" + orUnknown(prev.Blocked) + "): " + s.SHA256 + " has nothing to be compared with; record the baseline where the script can be fetched"})
		case prev.SHA256 != s.SHA256:
			out = append(out, Change{Kind: "script_changed", Item: s.Key, Detail: orNone(prev.SHA256) + " → " + orNone(s.SHA256)})
		case prev.Integrity != s.Integrity:
			out = append(out, Change{Kind: "script_changed", Item: s.Key, Detail: "integrity " + orNone(prev.Integrity) + " → " + orNone(s.Integrity)})
		}
	}
	for _, s := range old.Scripts {
		if !now[s.Key] {
			out = append(out, Change{Kind: "script_removed", Item: s.Key, Detail: "was " + orNone(s.SHA256)})
		}
	}
	names := map[string]bool{}
	for k := range old.Headers {
		names[k] = true
	}
	for k := range cur.Headers {
		names[k] = true
	}
	sorted := make([]string, 0, len(names))
	for k := range names {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	for _, k := range sorted {
		was, had := old.Headers[k]
		is, has := cur.Headers[k]
		switch {
		case had && !has:
			out = append(out, Change{Kind: "header_removed", Item: k, Detail: "was: " + was})
		case !had && has:
			out = append(out, Change{Kind: "header_added", Item: k, Detail: is})
		case was != is:
			out = append(out, Change{Kind: "header_changed", Item: k, Detail: was + " → " + is})
		}
	}
	return out
}

func orUnknown(s string) string {
	if s == "" {
		return "no hash"
	}
	return s
}

func orNone(s string) string {
	if s == "" {
		return "(no hash)"
	}
	return s
}

// File is a baseline file of `audit run --baseline`: the records of every
// page of a run in one document. Its methods are safe for concurrent use;
// Record rereads the file first, so that two pages recorded by one run
// both stay.
type File struct {
	path string
	mu   sync.Mutex
}

// NewFile returns the baseline file at path; it need not exist yet.
func NewFile(path string) *File { return &File{path: path} }

// Page returns the record of source; false when the file, or its record of
// source, does not exist yet.
func (f *File) Page(_ context.Context, source string) (Page, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	b, err := f.load()
	if err != nil {
		return Page{}, false, err
	}
	p, ok := b.Pages[source]
	return p, ok, nil
}

// Record keeps p as the record of source.
func (f *File) Record(_ context.Context, source string, p Page) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	b, err := f.load()
	if err != nil {
		return err
	}
	b.Pages[source] = p
	return b.Save(f.path)
}

// String is the file's path.
func (f *File) String() string { return f.path }

func (f *File) load() (*Baseline, error) {
	b, err := Load(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return New(), nil
	}
	return b, err
}
