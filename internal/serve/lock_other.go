//go:build !unix

package serve

import (
	"errors"
	"os"
)

const oNoFollow = 0

// flock fails: the submission store needs flock(2) (see eval/intake), and
// so does the server that writes into it.
func flock(f *os.File, wait bool) (bool, error) {
	return false, errors.New("mreval serve needs flock(2), which this platform lacks")
}
