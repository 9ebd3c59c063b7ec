//go:build unix

package reports

import (
	"os"

	"golang.org/x/sys/unix"
)

// lockDir takes dir's exclusive lock (flock on the folder itself: a
// killed run's lock goes with it).
func lockDir(dir string) (func(), error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	for {
		err = unix.Flock(int(f.Fd()), unix.LOCK_EX)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return func() { f.Close() }, nil
}
