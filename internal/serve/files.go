package serve

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/ntcir-pmr/mreval/eval/fsutil"
	"github.com/ntcir-pmr/mreval/internal/safetext"
)

// The server's own files sit at fixed names in the store directory, next
// to runs/, which holds one intake store per phase. No name of a file is
// ever taken from a request: phase, team and run names reach the disk only
// through the intake store, which checks them (intake.CheckName).
const (
	teamsFile = "teams.json"
	adminFile = "admin.json"
	stateFile = "state.json"
	// lockFile is held (flock) by the running server, so that two servers
	// never share a store, and briefly by team add/revoke.
	serverLockFile = "serve.lock"
	teamsLockFile  = "teams.lock"
	runsDir        = "runs"
	topicsDir      = "topics"
)

// maxSmallFile bounds the server's JSON files (teams, admin, state).
const maxSmallFile = 16 << 20

// readSmall reads one of the server's files; a missing file is nil, nil.
func readSmall(dir, name string) ([]byte, error) {
	return fsutil.ReadOptional(filepath.Join(dir, name), maxSmallFile, "a file of mreval serve")
}

// writeNew writes dir/name, which must not exist (fsutil.CreateIn).
func writeNew(dir, name string, data []byte) error {
	return withRoot(dir, func(root *os.Root) error {
		err := fsutil.CreateIn(root, name, 0o600, func(w io.Writer) error { _, err := w.Write(data); return err })
		if err != nil {
			return fmt.Errorf("write %s: %w", safetext.Name(filepath.Join(dir, name)), err)
		}
		return nil
	})
}

// replaceFile rewrites dir/name whole and atomically (fsutil.ReplaceIn):
// for the server's own state files, which are meant to be rewritten.
func replaceFile(dir, name string, perm os.FileMode, data []byte) error {
	return withRoot(dir, func(root *os.Root) error {
		if st, err := root.Lstat(name); err == nil && !st.Mode().IsRegular() {
			return fmt.Errorf("%s is not a regular file; it is never replaced", safetext.Name(filepath.Join(dir, name)))
		}
		err := fsutil.ReplaceIn(root, name, perm, func(w io.Writer) error { _, err := w.Write(data); return err })
		if err != nil {
			return fmt.Errorf("write %s: %w", safetext.Name(filepath.Join(dir, name)), err)
		}
		return nil
	})
}

func withRoot(dir string, fn func(*os.Root) error) error {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return fmt.Errorf("store %s: %w", safetext.Name(dir), err)
	}
	defer root.Close()
	return fn(root)
}

// lock holds an flock on dir/name until released.
type lock struct{ f *os.File }

// lockStoreFile takes an exclusive flock on dir/name; wait says whether to
// wait for it. held is false when another process holds it and wait is
// false.
func lockStoreFile(dir, name string, wait bool) (l *lock, held bool, err error) {
	p := filepath.Join(dir, name)
	if st, err := os.Lstat(p); err == nil && !st.Mode().IsRegular() {
		return nil, false, fmt.Errorf("%s is not a regular file", safetext.Name(p))
	}
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE|oNoFollow, 0o600)
	if err != nil {
		return nil, false, err
	}
	held, err = flock(f, wait)
	if err != nil || !held {
		f.Close()
		return nil, held, err
	}
	return &lock{f}, true, nil
}

func (l *lock) release() error { return l.f.Close() }
