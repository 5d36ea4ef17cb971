//go:build unix

package intake

import (
	"fmt"
	"os"
	"syscall"
)

// openReadFlags open a stored file for reading: never through a symbolic
// link as the last component, and without blocking should a FIFO have been
// put in place of a file between the Lstat that checked it and the open.
const openReadFlags = os.O_RDONLY | oNoFollow | syscall.O_NONBLOCK

// oNoFollow makes an open fail on a symbolic link as the last component.
const oNoFollow = syscall.O_NOFOLLOW

// flock takes an flock(2) lock on f: shared or exclusive, waiting for it or
// not. flock locks belong to the open file description, so two opens
// conflict even within one process, and the kernel drops the lock when a
// holder dies. held is false when wait is false and someone else holds a
// conflicting lock.
func flock(f *os.File, exclusive, wait bool) (held bool, err error) {
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	if !wait {
		how |= syscall.LOCK_NB
	}
	for {
		err = syscall.Flock(int(f.Fd()), how)
		if err != syscall.EINTR {
			break
		}
	}
	if !wait && err == syscall.EWOULDBLOCK {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("lock %s: %w", f.Name(), err)
	}
	return true, nil
}
