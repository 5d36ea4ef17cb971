package intake

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ntcir-pmr/mreval/eval/fsutil"
	"github.com/ntcir-pmr/mreval/internal/safetext"
)

// storeFS is the store's directory as the store touches it. Every
// operation goes through an os.Root, so nothing outside the store can be
// read, written or deleted, even if a directory is swapped for a symbolic
// link mid-operation; and every path is checked component by component
// with Lstat first, so a symbolic link planted inside the store is refused
// with an error naming it rather than followed. Paths are slash-separated
// and relative to the store.
type storeFS struct {
	dir  string // absolute, for messages
	root *os.Root
}

func openStoreFS(dir string) (*storeFS, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", safetext.Name(dir), err)
	}
	return &storeFS{dir: dir, root: root}, nil
}

func (f *storeFS) close() error { return f.root.Close() }

// abs is the file path of rel, for messages.
func (f *storeFS) abs(rel string) string { return filepath.Join(f.dir, filepath.FromSlash(rel)) }

// LinkError reports a symbolic link where the store expects a file or
// directory of its own. The store never follows one.
type LinkError struct{ Path string }

func (e *LinkError) Error() string {
	return safetext.Name(e.Path) + " is a symbolic link: the store never follows links (mreval does not make them; remove it)"
}

// lstat returns the FileInfo of rel, after checking that no component of
// rel is a symbolic link and every component but the last is a directory.
func (f *storeFS) lstat(rel string) (fs.FileInfo, error) {
	parts := strings.Split(rel, "/")
	var st fs.FileInfo
	for i := range parts {
		p := strings.Join(parts[:i+1], "/")
		var err error
		st, err = f.root.Lstat(filepath.FromSlash(p))
		if err != nil {
			return nil, f.pathError("lstat", p, err)
		}
		if st.Mode()&fs.ModeSymlink != 0 {
			return nil, &LinkError{f.abs(p)}
		}
		if i < len(parts)-1 && !st.IsDir() {
			return nil, fmt.Errorf("%s is not a directory", safetext.Name(f.abs(p)))
		}
	}
	return st, nil
}

// pathError restates an os error with the full path of rel (os.Root's
// errors name the path relative to the root only).
func (f *storeFS) pathError(op, rel string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return &fs.PathError{Op: op, Path: f.abs(rel), Err: err}
}

// openRegular opens rel for reading if it is a regular file reached
// without symbolic links, and checks that what was opened is what was
// checked (fsutil.OpenChecked: a manifest replaced by a concurrent
// intake's rename meanwhile is checked and opened again).
func (f *storeFS) openRegular(rel string) (*os.File, fs.FileInfo, error) {
	file, st, err := fsutil.OpenChecked(
		func() (fs.FileInfo, error) { return f.lstat(rel) },
		func() (*os.File, error) {
			file, err := f.root.OpenFile(filepath.FromSlash(rel), openReadFlags, 0)
			if err != nil {
				return nil, f.pathError("open", rel, err)
			}
			return file, nil
		})
	switch {
	case errors.Is(err, fsutil.ErrNotRegular):
		return nil, nil, fmt.Errorf("%s is not a regular file", safetext.Name(f.abs(rel)))
	case errors.Is(err, fsutil.ErrChanged):
		return nil, nil, fmt.Errorf("%s %w", safetext.Name(f.abs(rel)), fsutil.ErrChanged)
	}
	return file, st, err
}

// readDir lists the directory rel (not a symbolic link, nor under one).
func (f *storeFS) readDir(rel string) ([]fs.DirEntry, error) {
	st, err := f.lstat(rel)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("%s is not a directory", safetext.Name(f.abs(rel)))
	}
	d, err := f.root.Open(filepath.FromSlash(rel))
	if err != nil {
		return nil, f.pathError("open", rel, err)
	}
	defer d.Close()
	if dst, err := d.Stat(); err != nil || !os.SameFile(st, dst) {
		return nil, fmt.Errorf("%s changed while being opened", safetext.Name(f.abs(rel)))
	}
	entries, err := d.ReadDir(-1)
	if err != nil {
		return nil, f.pathError("readdir", rel, err)
	}
	// Sorted, like os.ReadDir: notes and findings come in a stable order.
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, nil
}

// mkdirAll makes the directories of rel that are missing, fsyncing each
// parent so the new entries are durable before files are linked into
// them. An existing component must be a directory, not a symbolic link.
func (f *storeFS) mkdirAll(rel string) error {
	parts := strings.Split(rel, "/")
	for i := range parts {
		p := strings.Join(parts[:i+1], "/")
		st, err := f.root.Lstat(filepath.FromSlash(p))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			if err := f.root.Mkdir(filepath.FromSlash(p), 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
				return f.pathError("mkdir", p, err)
			}
			if _, err := f.lstat(p); err != nil {
				return err
			}
			if err := fsutil.SyncDirIn(f.root, filepath.FromSlash(path.Dir(p))); err != nil {
				return err
			}
		case err != nil:
			return f.pathError("lstat", p, err)
		case st.Mode()&fs.ModeSymlink != 0:
			return &LinkError{f.abs(p)}
		case !st.IsDir():
			return fmt.Errorf("%s exists and is not a directory", safetext.Name(f.abs(p)))
		}
	}
	return nil
}

// remove deletes rel, a regular file or an empty directory reached without
// symbolic links. It never deletes a symbolic link or what one points to.
func (f *storeFS) remove(rel string) error {
	st, err := f.lstat(rel)
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() && !st.IsDir() {
		return fmt.Errorf("%s is not a regular file or directory; not removed", safetext.Name(f.abs(rel)))
	}
	if err := f.root.Remove(filepath.FromSlash(rel)); err != nil {
		return f.pathError("remove", rel, err)
	}
	return nil
}

// linkNew gives the file oldRel the new name newRel; it never replaces.
func (f *storeFS) linkNew(oldRel, newRel string) error {
	if _, err := f.lstat(path.Dir(newRel)); err != nil {
		return err
	}
	if err := fsutil.LinkNew(f.root, filepath.FromSlash(oldRel), filepath.FromSlash(newRel)); err != nil {
		return f.pathError("link", newRel, err)
	}
	return nil
}

func (f *storeFS) syncDir(rel string) error {
	return fsutil.SyncDirIn(f.root, filepath.FromSlash(rel))
}

type fileSum struct {
	size int64
	sum  string
}

// hash returns the size and SHA-256 of the regular file rel.
func (f *storeFS) hash(rel string) (fileSum, error) {
	file, _, err := f.openRegular(rel)
	if err != nil {
		return fileSum{}, err
	}
	defer file.Close()
	h := sha256.New()
	n, err := io.Copy(h, file)
	if err != nil {
		return fileSum{}, f.pathError("read", rel, err)
	}
	return fileSum{size: n, sum: hex.EncodeToString(h.Sum(nil))}, nil
}
