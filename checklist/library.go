package checklist

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"

	"github.com/audit-tool/audit/checklist/builtin"
	"github.com/audit-tool/audit/pack"
)

// Builtins is the embedded provider packs (amazon-pay/, stripe/, …), each
// folder holding the provider's checklist.hcl.
func Builtins() fs.FS { return builtin.FS }

// Library is the set of built-in checklists a run can use by name.
type Library struct {
	files     map[string]libFile
	fragments map[string]libFile // by name: include "NAME"
}

// libFile is one built-in file. A Library is shared by the loaders of a
// process (a fleet run loads hundreds of merchants): each file is parsed
// once, on first use, and its syntax tree read by every loader.
type libFile struct {
	filename string
	src      []byte
	parsed   *parsedFile
}

type parsedFile struct {
	once  sync.Once
	file  *hcl.File
	diags hcl.Diagnostics
}

func newLibFile(filename string, src []byte) libFile {
	return libFile{filename: filename, src: src, parsed: &parsedFile{}}
}

// parse returns f's syntax tree, parsing it the first time, and gives it
// to p so that p's diagnostics can quote it.
func (f libFile) parse(p *Parser) (*hcl.File, hcl.Diagnostics) {
	f.parsed.once.Do(func() {
		f.parsed.file, f.parsed.diags = parseSource(f.filename, f.src)
	})
	if f.parsed.file != nil {
		p.adopt(f.filename, f.parsed.file)
	}
	return f.parsed.file, f.parsed.diags
}

// NewLibrary reads each source's checklists: every *.hcl file at its root,
// named after the file (pci-dss.hcl), and every */checklist.hcl, named
// after its folder (a provider pack: stripe/checklist.hcl).
func NewLibrary(sources ...fs.FS) (*Library, error) {
	l := &Library{files: map[string]libFile{}, fragments: map[string]libFile{}}
	for _, fsys := range sources {
		// Shared fragments: common/NAME.hcl, included as include "NAME".
		frags, err := fs.Glob(fsys, "common/*.hcl")
		if err != nil {
			return nil, fmt.Errorf("built-in fragments: %w", err)
		}
		for _, n := range frags {
			src, err := fs.ReadFile(fsys, n)
			if err != nil {
				return nil, fmt.Errorf("built-in fragment %s: %w", n, err)
			}
			l.fragments[strings.TrimSuffix(path.Base(n), ".hcl")] = newLibFile("builtin/"+n, src)
		}
		for _, pattern := range []string{"*.hcl", "*/checklist.hcl"} {
			names, err := fs.Glob(fsys, pattern)
			if err != nil {
				return nil, fmt.Errorf("built-in checklists: %w", err)
			}
			for _, n := range names {
				src, err := fs.ReadFile(fsys, n)
				if err != nil {
					return nil, fmt.Errorf("built-in checklist %s: %w", n, err)
				}
				name := strings.TrimSuffix(path.Base(n), ".hcl")
				if pattern != "*.hcl" {
					name = path.Dir(n)
				}
				if err := l.add(name, newLibFile("builtin/"+n, src)); err != nil {
					return nil, err
				}
			}
		}
	}
	return l, nil
}

// AddPacks adds the checklists of provider packs read from a folder (the
// built-in packs come with Builtins).
func (l *Library) AddPacks(set *pack.Set) error {
	for _, p := range set.Packs() {
		if p.Checklist == nil {
			continue
		}
		if f, dup := l.files[p.Name]; dup && f.filename == p.Checklist.Name {
			continue
		}
		if err := l.add(p.Name, newLibFile(p.Checklist.Name, p.Checklist.Src)); err != nil {
			return err
		}
		for name, f := range p.Fragments {
			if _, dup := l.fragments[name]; !dup {
				l.fragments[name] = newLibFile(f.Name, f.Src)
			}
		}
	}
	return nil
}

func (l *Library) add(name string, f libFile) error {
	if prev, dup := l.files[name]; dup {
		return fmt.Errorf("checklist %q is defined twice: %s and %s", name, prev.filename, f.filename)
	}
	l.files[name] = f
	return nil
}

// Names lists the built-in checklists, sorted.
func (l *Library) Names() []string {
	names := make([]string, 0, len(l.files))
	for n := range l.files {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (l *Library) fragment(name string) (libFile, bool) {
	f, ok := l.fragments[name]
	return f, ok
}

func (l *Library) lookup(name string) (libFile, bool) {
	f, ok := l.files[name]
	return f, ok
}
