//go:build !unix

package fsutil

import "os"

// readRegularFlags: the Lstat check before the open and the Stat after it
// stand alone here.
const readRegularFlags = os.O_RDONLY
