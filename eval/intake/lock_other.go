//go:build !unix

package intake

import (
	"errors"
	"os"
)

const (
	openReadFlags = os.O_RDONLY
	oNoFollow     = 0
)

// flock fails: without flock two intakes could interleave, and staged
// files of a running intake could not be told from a crashed one's, so the
// store refuses to work rather than risk it.
func flock(f *os.File, exclusive, wait bool) (bool, error) {
	return false, errors.New("the submission store needs flock(2), which this platform lacks")
}
