//go:build unix

package fsutil

import (
	"os"
	"syscall"
)

// readRegularFlags open a file for reading without following a symbolic
// link as its last component and without waiting on a FIFO's writer.
const readRegularFlags = os.O_RDONLY | syscall.O_NOFOLLOW | syscall.O_NONBLOCK
