package input

import (
	"os"
	"strconv"
)

// openedPath is where the open file f really is (the kernel's name for
// the descriptor), or "" when that cannot be told.
func openedPath(f *os.File) string {
	p, err := os.Readlink("/proc/self/fd/" + strconv.Itoa(int(f.Fd())))
	if err != nil || len(p) == 0 || p[0] != '/' {
		return ""
	}
	return p
}
