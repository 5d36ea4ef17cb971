package intake

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"strconv"

	"github.com/ntcir-pmr/mreval/eval/fsutil"
	"github.com/ntcir-pmr/mreval/internal/safetext"
)

const (
	lockName    = ".lock"
	stagingName = ".staging"
	// dataPerm makes stored runs read-only, against accidental edits.
	dataPerm = 0o444
)

// staging is one intake's directory under .staging/, where the submission
// is copied, validated and normalised before the store lock is taken. The
// intake holds an exclusive flock on the directory for as long as it
// exists, so that recovery (which removes what crashed intakes left) can
// tell a live intake's files, which it must not touch, from a dead one's:
// the kernel drops the lock when its holder dies.
type staging struct {
	fs  *storeFS
	rel string // .staging/<random>
	dir *os.File
}

// newStaging makes and locks a fresh staging directory.
func newStaging(f *storeFS) (*staging, error) {
	if err := f.mkdirAll(stagingName); err != nil {
		return nil, err
	}
	for try := 0; try < 100; try++ {
		rel := path.Join(stagingName, "intake-"+strconv.FormatUint(rand.Uint64(), 36))
		if err := f.root.Mkdir(filepath.FromSlash(rel), 0o700); errors.Is(err, fs.ErrExist) {
			continue
		} else if err != nil {
			return nil, f.pathError("mkdir", rel, err)
		}
		d, err := f.root.Open(filepath.FromSlash(rel))
		if errors.Is(err, fs.ErrNotExist) {
			continue // taken by a recovery already; see below
		}
		if err != nil {
			return nil, f.pathError("open", rel, err)
		}
		if _, err := flock(d, true, true); err != nil {
			d.Close()
			return nil, err
		}
		// A recovery may have taken the directory for a crashed intake's
		// between the mkdir and the lock, and removed it: then start over.
		// What is locked must be the directory under that name now.
		now, err := f.lstat(rel)
		if dst, serr := d.Stat(); errors.Is(err, fs.ErrNotExist) || err == nil && serr == nil && !os.SameFile(now, dst) {
			d.Close()
			continue
		} else if err != nil || serr != nil {
			d.Close()
			return nil, cmp.Or(err, serr)
		}
		return &staging{fs: f, rel: rel, dir: d}, nil
	}
	return nil, fmt.Errorf("cannot make a staging directory in %s", safetext.Name(f.abs(stagingName)))
}

func (s *staging) file(name string) string { return path.Join(s.rel, name) }

// write creates the staging file name through fill, hashing it, fsyncs it
// and makes it read-only.
func (s *staging) write(name string, fill func(io.Writer) (int64, error)) (fileSum, error) {
	rel := s.file(name)
	out, err := s.fs.root.OpenFile(filepath.FromSlash(rel), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fileSum{}, s.fs.pathError("create", rel, err)
	}
	defer out.Close()
	h := sha256.New()
	n, err := fill(io.MultiWriter(out, h))
	if err != nil {
		return fileSum{}, err
	}
	if err := out.Chmod(dataPerm); err != nil {
		return fileSum{}, err
	}
	if err := fsutil.Sync(out); err != nil {
		return fileSum{}, err
	}
	if err := out.Close(); err != nil {
		return fileSum{}, err
	}
	return fileSum{size: n, sum: hex.EncodeToString(h.Sum(nil))}, nil
}

// cleanup removes the staging directory and its files and drops the lock.
func (s *staging) cleanup() {
	if entries, err := s.fs.readDir(s.rel); err == nil {
		for _, de := range entries {
			_ = s.fs.remove(path.Join(s.rel, de.Name()))
		}
	}
	_ = s.fs.remove(s.rel)
	s.dir.Close()
}

// claimStaging locks the staging directory rel if no live intake holds it;
// the caller removes it and closes the returned file. nil means a live
// intake owns it.
func claimStaging(f *storeFS, rel string) (*os.File, error) {
	st, err := f.lstat(rel)
	if err != nil {
		return nil, err
	}
	d, err := f.root.Open(filepath.FromSlash(rel))
	if err != nil {
		return nil, f.pathError("open", rel, err)
	}
	if dst, err := d.Stat(); err != nil || !os.SameFile(st, dst) {
		d.Close()
		return nil, fmt.Errorf("%s changed while being opened", safetext.Name(f.abs(rel)))
	}
	held, err := flock(d, true, false)
	if err != nil || !held {
		d.Close()
		return nil, err
	}
	return d, nil
}
