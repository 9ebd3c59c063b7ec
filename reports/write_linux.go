package reports

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// createTemp opens an unnamed file in dir (O_TMPFILE), or a named temp
// file where the file system has no unnamed ones.
func createTemp(dir string) (*tempFile, error) {
	fd, err := unix.Open(dir, unix.O_TMPFILE|unix.O_WRONLY|unix.O_CLOEXEC, 0o644)
	if err != nil {
		if errors.Is(err, unix.EOPNOTSUPP) || errors.Is(err, unix.EISDIR) || errors.Is(err, unix.EINVAL) {
			return createNamedTemp(dir)
		}
		return nil, &os.PathError{Op: "open", Path: dir, Err: err}
	}
	f := os.NewFile(uintptr(fd), dir)
	// O_TMPFILE's mode is subject to the umask like any created file's;
	// the reports are meant to be read.
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return nil, err
	}
	return &tempFile{f: f}, nil
}

// linkUnnamed gives the unnamed file f the name path. Linking through
// /proc/self/fd needs no privilege (AT_EMPTY_PATH needs
// CAP_DAC_READ_SEARCH), so that is tried first.
func linkUnnamed(f *os.File, path string) error {
	err := unix.Linkat(unix.AT_FDCWD, fmt.Sprintf("/proc/self/fd/%d", f.Fd()), unix.AT_FDCWD, path, unix.AT_SYMLINK_FOLLOW)
	if err == nil {
		return nil
	}
	if err2 := unix.Linkat(int(f.Fd()), "", unix.AT_FDCWD, path, unix.AT_EMPTY_PATH); err2 == nil {
		return nil
	}
	return &os.LinkError{Op: "link", Old: f.Name(), New: path, Err: err}
}
