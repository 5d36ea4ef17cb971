package fsutil

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/ntcir-pmr/mreval/internal/safetext"
)

var (
	// ErrNotRegular is OpenChecked's error for anything but a regular file.
	ErrNotRegular = errors.New("not a regular file")
	// ErrChanged is OpenChecked's error for a file that kept changing
	// between its check and its open.
	ErrChanged = errors.New("changed while being opened")
)

// OpenChecked opens a file only if it is a regular file, and checks that
// what open returns is the file lstat saw. lstat must not follow a
// symbolic link, and open must not follow one either nor wait on a FIFO
// (O_NOFOLLOW|O_NONBLOCK where the platform has them). A file that is
// replaced whole by a rename (a manifest, a server's state) may be seen to
// change between the two by a reader that does not hold its writer's lock:
// when what was opened is another regular file, the check and the open are
// made again, up to five times, before that is ErrChanged. Errors of lstat
// and open come back as they are.
func OpenChecked(lstat func() (fs.FileInfo, error), open func() (*os.File, error)) (*os.File, fs.FileInfo, error) {
	const attempts = 5
	for attempt := 1; ; attempt++ {
		st, err := lstat()
		if err != nil {
			return nil, nil, err
		}
		if !st.Mode().IsRegular() {
			return nil, nil, ErrNotRegular
		}
		file, err := open()
		if err != nil {
			return nil, nil, err
		}
		fst, err := file.Stat()
		if err == nil && os.SameFile(st, fst) {
			return file, fst, nil
		}
		file.Close()
		if err != nil || !fst.Mode().IsRegular() || attempt == attempts {
			return nil, nil, ErrChanged
		}
	}
}

// OpenRegular opens path for reading with OpenChecked, never through a
// symbolic link as its last component and never waiting on a FIFO.
func OpenRegular(path string) (*os.File, error) {
	f, _, err := OpenChecked(
		func() (fs.FileInfo, error) { return os.Lstat(path) },
		func() (*os.File, error) { return os.OpenFile(path, readRegularFlags, 0) })
	switch {
	case errors.Is(err, ErrNotRegular):
		return nil, fmt.Errorf("%s is not a regular file (a symbolic link or special file is never followed)", safetext.Name(path))
	case errors.Is(err, ErrChanged):
		return nil, fmt.Errorf("%s %w", safetext.Name(path), ErrChanged)
	}
	return f, err
}

// ReadOptional reads a small file a command keeps for itself (a server's
// state, a report it rewrites) with OpenRegular: a missing file is nil,
// nil, and a file of more than max bytes is an error (what, "a file of
// mreval serve", says in the message what the file should have been).
func ReadOptional(path string, max int64, what string) ([]byte, error) {
	f, err := OpenRegular(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", safetext.Name(path), err)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%s: larger than %d bytes: not %s", safetext.Name(path), max, what)
	}
	return data, nil
}
