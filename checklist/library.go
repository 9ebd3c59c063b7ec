package checklist

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

//go:embed builtin/*.hcl
var builtinFS embed.FS

// Builtins is the embedded go-live checklists (amazon-pay, stripe, …).
func Builtins() fs.FS {
	sub, err := fs.Sub(builtinFS, "builtin")
	if err != nil {
		panic(err) // the embed pattern guarantees the folder
	}
	return sub
}

// Library is the set of built-in checklists a run can use by name.
type Library struct {
	files map[string]libFile
}

type libFile struct {
	filename string
	src      []byte
}

// NewLibrary reads every *.hcl file at the root of each source; a file's
// name without .hcl is the checklist's name.
func NewLibrary(sources ...fs.FS) (*Library, error) {
	l := &Library{files: map[string]libFile{}}
	for _, fsys := range sources {
		names, err := fs.Glob(fsys, "*.hcl")
		if err != nil {
			return nil, fmt.Errorf("built-in checklists: %w", err)
		}
		for _, n := range names {
			src, err := fs.ReadFile(fsys, n)
			if err != nil {
				return nil, fmt.Errorf("built-in checklist %s: %w", n, err)
			}
			name := strings.TrimSuffix(path.Base(n), ".hcl")
			if _, dup := l.files[name]; dup {
				return nil, fmt.Errorf("built-in checklist %q is defined twice", name)
			}
			l.files[name] = libFile{filename: "builtin/" + n, src: src}
		}
	}
	return l, nil
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

func (l *Library) lookup(name string) (libFile, bool) {
	f, ok := l.files[name]
	return f, ok
}
