// Package input reads the files a run is given (checklists, integration
// files, merchant profiles, config files, CA bundles, stored results) the
// one bounded way: regular files only, never past a size cap, and never
// from the kernel's pseudo file systems.
package input

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Caps for the kinds of input files. A file over its cap is refused, not
// truncated: half a config file would judge a different integration.
const (
	MaxHCL    = 4 << 20  // checklists, audit.hcl, --var-file, merchant profiles
	MaxConfig = 16 << 20 // config files (.env, YAML, JSON, TOML)
	MaxPEM    = 4 << 20  // --ca-file
	// A stored audit.json: evidence is 101 rows a step and fields 64 KiB,
	// so real ones are a few MB; 400k steps (158 MB) took 1.8 GB to re-render.
	MaxResult = 64 << 20
)

// ErrNotRegular marks a path that is a device, FIFO, socket or folder.
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge marks a file over its cap.
var ErrTooLarge = errors.New("file too large")

// ErrForbidden marks a path in /proc, /sys or /dev: host state, never a
// merchant's input.
var ErrForbidden = errors.New("host pseudo file system")

// forbidden are the roots no input is read from, even through a link.
var forbidden = []string{"/proc", "/sys", "/dev"}

// Check reports why path cannot be read as an input file, or nil. It does
// not open the file, so a FIFO never blocks it.
func Check(path string) (fs.FileInfo, error) {
	if err := CheckHost(path); err != nil {
		return nil, err
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return info, &fs.PathError{Op: "read", Path: path, Err: notRegular(info.Mode())}
	}
	return info, nil
}

// Open opens the regular file at path for reading. A FIFO or a link to
// /proc swapped in after the check is refused: the file is opened
// non-blocking and checked again on its descriptor.
func Open(path string) (*os.File, fs.FileInfo, error) {
	if _, err := Check(path); err != nil {
		return nil, nil, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !info.Mode().IsRegular() {
		f.Close()
		return nil, nil, &fs.PathError{Op: "read", Path: path, Err: notRegular(info.Mode())}
	}
	// A path swapped for a link to host state after the check.
	if root := hostRoot(openedPath(f)); root != "" {
		f.Close()
		return nil, nil, &fs.PathError{Op: "read", Path: path, Err: fmt.Errorf("%w: %s is never read", ErrForbidden, root)}
	}
	return f, info, nil
}

// ReadFile reads the regular file at path, refusing it when it holds more
// than max bytes.
func ReadFile(path string, max int64) ([]byte, error) {
	f, info, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info.Size() > max {
		return nil, tooLarge(path, max)
	}
	return ReadAll(f, path, max)
}

// ReadAll reads r to its end, refusing more than max bytes.
func ReadAll(r io.Reader, name string, max int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, tooLarge(name, max)
	}
	return data, nil
}

func tooLarge(path string, max int64) error {
	return &fs.PathError{Op: "read", Path: path, Err: fmt.Errorf("%w: more than %s", ErrTooLarge, Size(max))}
}

// CheckHost refuses paths that are, or lead through links to, /proc, /sys
// or /dev. A path that does not exist yet (an output folder) is judged by
// its longest existing prefix, links resolved.
func CheckHost(path string) error {
	if root := hostRoot(RealPath(path)); root != "" {
		return &fs.PathError{Op: "read", Path: path, Err: fmt.Errorf("%w: %s is never read", ErrForbidden, root)}
	}
	return nil
}

// hostRoot is the forbidden root real lies in, or "".
func hostRoot(real string) string {
	for _, root := range forbidden {
		if Within(real, root) {
			return root
		}
	}
	return ""
}

// RealPath makes p absolute and resolves its links. A part that does not
// exist (an optional file) is kept as written below the longest existing
// prefix, resolved.
func RealPath(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.Clean(p)
	}
	rest := ""
	for {
		if r, err := filepath.EvalSymlinks(abs); err == nil {
			return filepath.Join(r, rest)
		}
		parent := filepath.Dir(abs)
		if parent == abs {
			return filepath.Join(abs, rest)
		}
		rest = filepath.Join(filepath.Base(abs), rest)
		abs = parent
	}
}

// Within reports whether path is dir or below it (both clean, absolute).
func Within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func notRegular(m fs.FileMode) error {
	var what string
	switch {
	case m.IsDir():
		what = "a folder"
	case m&fs.ModeNamedPipe != 0:
		what = "a FIFO"
	case m&fs.ModeSocket != 0:
		what = "a socket"
	case m&fs.ModeDevice != 0, m&fs.ModeCharDevice != 0:
		what = "a device"
	default:
		what = "a special file"
	}
	return fmt.Errorf("%w: it is %s", ErrNotRegular, what)
}

// Size formats a byte count for messages: 4 MiB, 512 KiB, 100 bytes.
func Size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
