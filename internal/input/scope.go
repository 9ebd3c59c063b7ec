package input

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// ErrOutside marks a path that resolves outside an integration's folder
// and the folders it allows.
var ErrOutside = errors.New("outside the integration")

// Scope is where an integration's files must resolve: its folder and the
// folders its audit.hcl allows (allow_paths_outside), links resolved. A nil
// Scope contains everything (paths given on the command line), but its
// reads still refuse host state and special files.
type Scope struct {
	root    string
	allowed []string
}

// NewScope is the scope of the integration in folder root, allowing the
// folders in allowed (absolute, or relative to the working directory).
func NewScope(root string, allowed ...string) *Scope {
	s := &Scope{root: RealPath(root)}
	for _, a := range allowed {
		s.allowed = append(s.allowed, RealPath(a))
	}
	return s
}

// Key tells scopes apart: two scopes with the same key contain the same
// paths. The nil scope's is "".
func (s *Scope) Key() string {
	if s == nil {
		return ""
	}
	return strings.Join(append([]string{s.root}, s.allowed...), "\x00")
}

// Check refuses a path that resolves, through links, outside the scope.
func (s *Scope) Check(path string) error {
	if s == nil {
		return nil
	}
	return s.contains(path, RealPath(path))
}

func (s *Scope) contains(path, real string) error {
	if s == nil || Within(real, s.root) {
		return nil
	}
	for _, a := range s.allowed {
		if Within(real, a) {
			return nil
		}
	}
	return &fs.PathError{Op: "read", Path: path, Err: fmt.Errorf("%w: it resolves to %s, not below %s; list its folder in allow_paths_outside at the top of audit.hcl to read it", ErrOutside, real, s.root)}
}

// Open is input.Open inside the scope. The file opened is checked again on
// its descriptor, so a file swapped for a link out of the scope (or to
// /proc) between a check at load time and this read is refused.
func (s *Scope) Open(path string) (*os.File, fs.FileInfo, error) {
	// Host state and special files first: their reasons say more.
	f, info, err := Open(path)
	if err != nil {
		return nil, nil, err
	}
	real := openedPath(f)
	if real == "" {
		real = RealPath(path)
	}
	if err := s.contains(path, real); err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, info, nil
}

// ReadFile is input.ReadFile inside the scope.
func (s *Scope) ReadFile(path string, max int64) ([]byte, error) {
	f, info, err := s.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info.Size() > max {
		return nil, tooLarge(path, max)
	}
	return ReadAll(f, path, max)
}
