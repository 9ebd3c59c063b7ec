// Package walk lists the files below a set of roots for every probe that
// reads a tree (audit scan, the scan, source and config probes), with one
// meaning for excludes and one account of what was left out: a path is
// either visited or reported with the reason it was not.
package walk

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/bmatcuk/doublestar/v4"
)

// Exclude leaves paths out deliberately. Pattern is a doublestar glob
// matched against the slash path relative to Options.Base ("src/legacy/**");
// a pattern without "/" matches a name at any depth ("node_modules",
// "*.min.js"). Reason is shown in every report, as a waiver's is.
type Exclude struct {
	Pattern string `json:"pattern"`
	Reason  string `json:"reason"`
}

// Options tune a walk.
type Options struct {
	// Base is the folder patterns are relative to: the integration file's
	// folder. "" means the working directory.
	Base    string
	Exclude []Exclude
	// MaxSize skips regular files larger than it (0: no cap).
	MaxSize int64
}

// File is a regular file to read.
type File struct {
	Path string // to open
	Name string // slash path as the root argument spells it, joined with the path below it
	Size int64
	// Ignored is true when a .gitignore in the tree ignores the file: it is
	// not committed in source, but it may still hold data.
	Ignored bool
}

// Skip is a path not visited and why. Gap is false only for deliberate
// excludes: everything else is content that was not read.
type Skip struct {
	Name    string `json:"file"`
	Reason  string `json:"reason"`
	Pattern string `json:"pattern,omitempty"` // the exclude that matched
	Gap     bool   `json:"-"`
}

// Skip reasons.
const (
	ReasonLinkOut    = "symbolic link out of the tree"
	ReasonBrokenLink = "broken symbolic link"
	ReasonLinkLoop   = "symbolic link loop"
	ReasonFIFO       = "named pipe (FIFO), not a regular file"
	ReasonDevice     = "device, not a regular file"
	ReasonSocket     = "socket, not a regular file"
	ReasonIrregular  = "not a regular file"
	ReasonTooBig     = "over the size cap"
)

// Validate checks exclude patterns, so a typo is a configuration error.
func Validate(ex []Exclude) error {
	var errs []error
	for _, e := range ex {
		if e.Pattern == "" || !doublestar.ValidatePattern(pattern(e.Pattern)) {
			errs = append(errs, fmt.Errorf("exclude %q: malformed pattern", e.Pattern))
		}
	}
	return errors.Join(errs...)
}

// pattern turns a name pattern into one that matches at any depth.
func pattern(p string) string {
	p = strings.TrimPrefix(p, "./")
	if strings.HasPrefix(p, "/") {
		return strings.TrimPrefix(p, "/") // anchored at Base
	}
	if !strings.Contains(p, "/") {
		return "**/" + p
	}
	return strings.TrimSuffix(p, "/")
}

// Walk visits every regular file below roots (files or folders) in a
// deterministic order and returns what it skipped, sorted by name. A root
// that does not exist is an error; so is an error returned by visit or a
// cancelled context. Symbolic links are followed only to targets inside one
// of the roots.
func Walk(ctx context.Context, roots []string, opt Options, visit func(File) error) ([]Skip, error) {
	if err := Validate(opt.Exclude); err != nil {
		return nil, err
	}
	base, err := filepath.Abs(opt.Base)
	if err != nil {
		return nil, fmt.Errorf("walk: %w", err)
	}
	w := &walker{opt: opt, base: base, visit: visit}
	for _, e := range opt.Exclude {
		w.patterns = append(w.patterns, pattern(e.Pattern))
	}
	infos := make([]os.FileInfo, len(roots))
	for i, r := range roots {
		fi, err := os.Stat(r)
		if err != nil {
			return nil, fmt.Errorf("walk: %w", err)
		}
		infos[i] = fi
		real, err := filepath.EvalSymlinks(r)
		if err != nil {
			return nil, fmt.Errorf("walk: %w", err)
		}
		if real, err = filepath.Abs(real); err != nil {
			return nil, fmt.Errorf("walk: %w", err)
		}
		w.real = append(w.real, real)
	}
	for i, r := range roots {
		name := filepath.ToSlash(filepath.Clean(r))
		if infos[i].IsDir() {
			err = w.dir(ctx, r, name, []os.FileInfo{infos[i]}, nil)
		} else if !w.excluded(r, name) {
			err = w.file(r, name, infos[i], nil)
		}
		if err != nil {
			return nil, err
		}
	}
	slices.SortStableFunc(w.skipped, func(a, b Skip) int { return strings.Compare(a.Name, b.Name) })
	// Overlapping roots meet the same path twice: report it once.
	return slices.CompactFunc(w.skipped, func(a, b Skip) bool { return a.Name == b.Name && a.Reason == b.Reason }), nil
}

type walker struct {
	opt      Options
	base     string
	patterns []string
	real     []string // roots with links resolved
	visit    func(File) error
	skipped  []Skip
	seen     map[string]bool // absolute paths of the files visited
}

func (w *walker) skip(name, reason string) {
	w.skipped = append(w.skipped, Skip{Name: name, Reason: reason, Gap: true})
}

// excluded reports whether p (named name) matches an exclude, recording it.
func (w *walker) excluded(p, name string) bool {
	rel := w.rel(p)
	for i, g := range w.patterns {
		if ok, _ := doublestar.Match(g, rel); ok {
			e := w.opt.Exclude[i]
			w.skipped = append(w.skipped, Skip{Name: name, Reason: e.Reason, Pattern: e.Pattern})
			return true
		}
	}
	return false
}

// rel is p relative to Base, slash-separated; p itself when outside it.
func (w *walker) rel(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	r, err := filepath.Rel(w.base, abs)
	if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return strings.TrimPrefix(filepath.ToSlash(abs), "/")
	}
	return filepath.ToSlash(r)
}

// inside reports whether the resolved path real lies in one of the roots.
func (w *walker) inside(real string) bool {
	for _, r := range w.real {
		if real == r || strings.HasPrefix(real, strings.TrimSuffix(r, string(filepath.Separator))+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// dir walks folder p; ancestors detect loops, ign holds the .gitignore
// rules in force.
func (w *walker) dir(ctx context.Context, p, name string, ancestors []os.FileInfo, ign *ignores) error {
	entries, err := os.ReadDir(p)
	if err != nil {
		w.skip(name, reason(err)) // entries read before the error are still walked
	}
	ign = ign.load(p, w.rel(p))
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return err
		}
		child := filepath.Join(p, e.Name())
		childName := path.Join(name, e.Name())
		if w.excluded(child, childName) {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			w.skip(childName, reason(err))
			continue
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			if fi, err = w.link(child, childName); fi == nil {
				if err != nil {
					return err
				}
				continue
			}
		}
		if fi.IsDir() {
			if slices.ContainsFunc(ancestors, func(a os.FileInfo) bool { return os.SameFile(a, fi) }) {
				w.skip(childName, ReasonLinkLoop)
				continue
			}
			if err := w.dir(ctx, child, childName, append(ancestors[:len(ancestors):len(ancestors)], fi), ign); err != nil {
				return err
			}
			continue
		}
		if err := w.file(child, childName, fi, ign); err != nil {
			return err
		}
	}
	return nil
}

// link resolves a symbolic link; nil when it is skipped.
func (w *walker) link(p, name string) (os.FileInfo, error) {
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		if _, serr := os.Stat(p); errors.Is(serr, syscall.ELOOP) {
			w.skip(name, ReasonLinkLoop)
		} else {
			w.skip(name, ReasonBrokenLink)
		}
		return nil, nil
	}
	if real, err = filepath.Abs(real); err != nil || !w.inside(real) {
		w.skip(name, ReasonLinkOut)
		return nil, nil
	}
	fi, err := os.Stat(real)
	if err != nil {
		w.skip(name, reason(err))
		return nil, nil
	}
	return fi, nil
}

func (w *walker) file(p, name string, fi os.FileInfo, ign *ignores) error {
	switch m := fi.Mode(); {
	case m.IsRegular():
	case m&fs.ModeNamedPipe != 0: // would block
		w.skip(name, ReasonFIFO)
		return nil
	case m&fs.ModeDevice != 0: // may never end
		w.skip(name, ReasonDevice)
		return nil
	case m&fs.ModeSocket != 0:
		w.skip(name, ReasonSocket)
		return nil
	default:
		w.skip(name, ReasonIrregular)
		return nil
	}
	// A file under two roots ("." and "logs") is one file: visited once,
	// so nothing found in it is counted twice.
	if abs, err := filepath.Abs(p); err == nil {
		if w.seen[abs] {
			return nil
		}
		if w.seen == nil {
			w.seen = map[string]bool{}
		}
		w.seen[abs] = true
	}
	if w.opt.MaxSize > 0 && fi.Size() > w.opt.MaxSize {
		w.skip(name, fmt.Sprintf("%s (%d bytes > %d)", ReasonTooBig, fi.Size(), w.opt.MaxSize))
		return nil
	}
	return w.visit(File{Path: p, Name: name, Size: fi.Size(), Ignored: ign.match(w.rel(p))})
}

// reason is the short text of a file error, without the path Skip names.
func reason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if errors.Is(err, fs.ErrPermission) {
		return "permission denied"
	}
	return err.Error()
}

// Reason is the short text of an error opening or reading a file, for
// callers that report their own skips.
func Reason(err error) string { return reason(err) }
