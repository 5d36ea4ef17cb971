package fsutil

import (
	"errors"
	"io/fs"
	"os"
	"time"
)

// ErrNoWriter is the error of an open that did not finish within its time:
// opening a FIFO for reading waits until something opens it for writing.
var ErrNoWriter = errors.New("nothing writes to it (a FIFO?) within the read timeout")

// OpenRead opens path for reading, as os.Open does, but gives up after
// timeout: open(2) of a FIFO that nobody writes to never returns, and no
// input may hang a command before its read deadline even applies. The
// open is made on a goroutine of its own, which is left behind on a time-out
// and closes the file should the open finish later. The error is then a
// *fs.PathError wrapping ErrNoWriter.
func OpenRead(path string, timeout time.Duration) (*os.File, error) {
	type opened struct {
		f   *os.File
		err error
	}
	done := make(chan opened, 1)
	go func() {
		f, err := os.Open(path)
		done <- opened{f, err}
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case o := <-done:
		return o.f, o.err
	case <-timer.C:
		go func() {
			if o := <-done; o.f != nil {
				o.f.Close()
			}
		}()
		return nil, &fs.PathError{Op: "open", Path: path, Err: ErrNoWriter}
	}
}
