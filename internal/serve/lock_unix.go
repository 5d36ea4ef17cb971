//go:build unix

package serve

import (
	"fmt"
	"os"
	"syscall"
)

const oNoFollow = syscall.O_NOFOLLOW

// flock takes an exclusive flock(2) lock on f; the kernel drops it when
// the holder dies.
func flock(f *os.File, wait bool) (bool, error) {
	how := syscall.LOCK_EX
	if !wait {
		how |= syscall.LOCK_NB
	}
	for {
		err := syscall.Flock(int(f.Fd()), how)
		switch {
		case err == syscall.EINTR:
			continue
		case !wait && err == syscall.EWOULDBLOCK:
			return false, nil
		case err != nil:
			return false, fmt.Errorf("lock %s: %w", f.Name(), err)
		}
		return true, nil
	}
}
