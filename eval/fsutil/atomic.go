// Package fsutil holds the file-system primitives every writer in mreval
// shares, so that no command can leave a half-written file behind, and no
// writer that means to create a file can replace one.
package fsutil

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
)

// WriteFile writes a file atomically: fill writes into a temporary file in
// the same directory, which is flushed, fsynced and renamed over path; the
// directory is then fsynced so the rename itself survives a crash. Readers
// see either the old file or the complete new one, never a partial file. If
// fill fails the temporary file is removed and path is untouched. It is for
// files the caller means to replace; WriteFileNew never replaces.
func WriteFile(path string, perm os.FileMode, fill func(w io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = fillFile(tmp, perm, fill); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return SyncDir(dir)
}

// WriteBytes is WriteFile for content already in memory.
func WriteBytes(path string, data []byte, perm os.FileMode) error {
	return WriteFile(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteFileNew writes a file that must not exist yet, atomically: the
// complete, fsynced temporary file is hard-linked to path, and link(2)
// fails if anything has that name — a file, a directory, a symbolic link
// (dangling or not, and it is not followed). The temporary name is then
// removed and the directory fsynced. When path exists the error satisfies
// errors.Is(err, fs.ErrExist) and path is untouched; nothing is ever
// replaced, so no naming mistake of a caller can destroy a file. The file
// system must support hard links (every POSIX local file system does).
func WriteFileNew(path string, perm os.FileMode, fill func(w io.Writer) error) error {
	root, err := os.OpenRoot(filepath.Dir(path))
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer root.Close()
	if err := CreateIn(root, filepath.Base(path), perm, fill); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// CreateIn is WriteFileNew for name relative to root: the temporary file
// is made in name's directory and linked to name. Like every os.Root
// method it cannot reach outside root, whatever symbolic links the
// directories on the way hold.
func CreateIn(root *os.Root, name string, perm os.FileMode, fill func(w io.Writer) error) error {
	return writeViaTemp(root, name, perm, fill, func(tmpName string) error {
		if err := linkNoReplace(root, tmpName, name); err != nil {
			return err
		}
		// From here name holds the complete file; a temporary name that
		// cannot be removed is only clutter, but the caller must hear of it.
		if rerr := root.Remove(tmpName); rerr != nil {
			return fmt.Errorf("%s is complete, but its temporary name %s could not be removed: %w", name, tmpName, rerr)
		}
		return nil
	})
}

// ReplaceIn is WriteFile for name relative to root: the one kind of write
// that replaces a file, for files that are meant to be rewritten whole (a
// manifest renamed over its previous version is a commit).
func ReplaceIn(root *os.Root, name string, perm os.FileMode, fill func(w io.Writer) error) error {
	return writeViaTemp(root, name, perm, fill, func(tmpName string) error {
		return root.Rename(tmpName, name)
	})
}

// writeViaTemp fills a new temporary file in name's directory, lets
// putInPlace make it name, and fsyncs the directory. On any error the
// temporary file is removed.
func writeViaTemp(root *os.Root, name string, perm os.FileMode, fill func(w io.Writer) error, putInPlace func(tmpName string) error) (err error) {
	dir := filepath.Dir(name)
	tmpName, tmp, err := createTempIn(root, dir, "."+filepath.Base(name)+".tmp-")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			root.Remove(tmpName)
		}
	}()
	if err = fillFile(tmp, perm, fill); err != nil {
		return err
	}
	if err = putInPlace(tmpName); err != nil {
		return err
	}
	return SyncDirIn(root, dir)
}

// LinkNew gives the file oldname the further name newname (both relative
// to root) and fsyncs newname's directory. If newname exists, as anything,
// it fails with an error satisfying errors.Is(err, fs.ErrExist) and
// changes nothing: it is rename-without-replace for a caller that then
// removes oldname.
func LinkNew(root *os.Root, oldname, newname string) error {
	if err := linkNoReplace(root, oldname, newname); err != nil {
		return err
	}
	return SyncDirIn(root, filepath.Dir(newname))
}

func linkNoReplace(root *os.Root, oldname, newname string) error {
	err := root.Link(oldname, newname)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return err
	}
	var le *os.LinkError
	if errors.As(err, &le) && (errors.Is(le.Err, errors.ErrUnsupported) || errors.Is(le.Err, fs.ErrPermission)) {
		return fmt.Errorf("%w (writing without replacing needs hard links, which this file system may lack)", err)
	}
	return err
}

// createTempIn creates a new file dir/<prefix><random> in root, never
// opening an existing one.
func createTempIn(root *os.Root, dir, prefix string) (string, *os.File, error) {
	for try := 0; ; try++ {
		name := filepath.Join(dir, prefix+strconv.FormatUint(rand.Uint64(), 36))
		f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) && try < 100 {
			continue
		}
		return name, f, err
	}
}

// fillFile fills an open temporary file through a buffer, sets its mode,
// fsyncs and closes it.
func fillFile(f *os.File, perm os.FileMode, fill func(w io.Writer) error) error {
	bw := bufio.NewWriterSize(f, 1<<16)
	if err := fill(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := f.Chmod(perm); err != nil {
		return err
	}
	if err := Sync(f); err != nil {
		return err
	}
	return f.Close()
}

// SyncDir fsyncs a directory so that entries created or renamed in it are
// durable.
func SyncDir(dir string) error { return syncDirOpened(dir, os.Open) }

// SyncDirIn is SyncDir for a directory relative to root.
func SyncDirIn(root *os.Root, dir string) error { return syncDirOpened(dir, root.Open) }

// syncDirOpened fsyncs the directory that open opens under the name dir.
func syncDirOpened(dir string, open func(string) (*os.File, error)) error {
	if syncOff.Load() > 0 {
		return nil
	}
	d, err := open(dir)
	if err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

// Sync fsyncs an open file (unless a test turned syncing off).
func Sync(f *os.File) error {
	if syncOff.Load() > 0 {
		return nil
	}
	return f.Sync()
}

var syncOff atomic.Int32

// NoSyncInTest turns fsync off until tb's cleanup runs. Durability is not
// what a test of thousands of writes checks, and on a slow disk the
// fsyncs would take most of its time; crash tests, which kill a separate
// process, keep syncing.
func NoSyncInTest(tb interface{ Cleanup(func()) }) {
	syncOff.Add(1)
	tb.Cleanup(func() { syncOff.Add(-1) })
}
