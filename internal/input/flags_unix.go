//go:build unix

package input

import "syscall"

// openFlags keeps open from blocking on a FIFO that appeared after Check.
const openFlags = syscall.O_NONBLOCK
