package fsutil

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/ntcir-pmr/mreval/internal/safetext"
)

// ReadOptional reads a small file a command keeps for itself (a server's
// state, a report it rewrites): a missing file is nil, nil; anything but a
// regular file reached without a symbolic link as its last component is an
// error, and so is a file of more than max bytes (what, "a file of mreval
// serve", says in the message what the file should have been). A FIFO is
// refused before it is opened, so the read never waits for a writer.
func ReadOptional(path string, max int64, what string) ([]byte, error) {
	st, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file (a symbolic link or special file is never followed)", safetext.Name(path))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fst, err := f.Stat(); err != nil || !os.SameFile(st, fst) {
		return nil, fmt.Errorf("%s changed while being opened", safetext.Name(path))
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", safetext.Name(path), err)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%s: larger than %d bytes: not %s", safetext.Name(path), max, what)
	}
	return data, nil
}
