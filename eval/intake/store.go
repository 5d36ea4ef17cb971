// Package intake is the organizers' submission store: it validates each
// submitted run (eval/validate), keeps the original bytes and the run in
// normal form, one directory per run tag, and records every accepted version
// in DIR/MANIFEST.jsonl.
//
// Layout of a store (format 2):
//
//	MANIFEST.jsonl                 a format header, then one JSON Entry per accepted version, oldest first
//	.lock                          flock(2) lock serialising commits
//	.staging/intake-*/             one directory per intake in progress (flock-ed by it)
//	A/<team>/<tag>/v1.orig         version 1 as submitted (immutable)
//	A/<team>/<tag>/v1.run          version 1 in normal form (immutable)
//	A/<team>/<tag>/v2.orig ...     later versions (--replace)
//	MANIFEST.format1.jsonl         the manifest as it was before a migration from format 1
//
// Names are unambiguous by construction: a team name or run tag is one
// directory level (no '/', not "." or ".."), and only version files live in
// a tag's directory, so no tag can name another run's file. Every file is
// created, never replaced: written under a fresh name, fsynced, and
// hard-linked to its final name, which fails if the name exists
// (eval/fsutil). The one replacement is the manifest, rewritten whole and
// renamed over the old one: that is the commit point. Before it the store
// holds the old state (plus, at worst, complete files the manifest does not
// name yet); after it, the new one. Versions are never deleted or
// overwritten; the manifest is the only record of which version is
// current.
//
// Nothing inside the store is reached through a symbolic link: every path
// is checked with Lstat component by component, and every operation goes
// through an os.Root, so even a race cannot lead a write or a delete
// outside the store.
package intake

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ntcir-pmr/mreval/eval/fsutil"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/ntcir-pmr/mreval/eval/validate"
	"github.com/ntcir-pmr/mreval/internal/safetext"
)

// Store is a submission store rooted at Dir.
type Store struct {
	Dir string
	// Now stamps manifest entries; nil means time.Now.
	Now func() time.Time
}

// Open opens the store at dir, creating the directory if needed.
func Open(dir string) (*Store, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, fmt.Errorf("store %s: %w", safetext.Name(dir), err)
	}
	return openExisting(dir)
}

// openExisting opens a store that must exist already. The store directory
// itself may be reached through a symbolic link (it is the organizer's
// choice); nothing below it is.
func openExisting(dir string) (*Store, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", safetext.Name(dir), err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("store %s: not a directory", safetext.Name(dir))
	}
	return &Store{Dir: abs}, nil
}

// openExistingFS opens a store that must exist already and its files.
func openExistingFS(dir string) (*Store, *storeFS, error) {
	s, err := openExisting(dir)
	if err != nil {
		return nil, nil, err
	}
	f, err := openStoreFS(s.Dir)
	if err != nil {
		return nil, nil, err
	}
	return s, f, nil
}

// readCommitted opens the store at dir, which must exist already, and reads
// its manifest without taking the lock: the manifest is replaced
// atomically, so what it reads is a committed state even during an intake.
// A manifest of an older format is an error saying to repair it. The
// caller closes f.
func readCommitted(dir string) (f *storeFS, m *manifest, err error) {
	_, f, err = openExistingFS(dir)
	if err != nil {
		return nil, nil, err
	}
	if m, err = readManifest(f); err != nil {
		f.close()
		return nil, nil, err
	}
	if m.format != Format {
		f.close()
		return nil, nil, oldFormatError(dir, m.format)
	}
	return f, m, nil
}

// testHook, when set by a test, is called at each step of a submission so
// that a crash can be simulated between any two of them, or another intake
// run while this one waits.
var testHook func(stage string)

func hook(stage string) {
	if testHook != nil {
		testHook(stage)
	}
}

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// storeLock is the flock on DIR/.lock.
type storeLock struct{ f *os.File }

func lockStore(f *storeFS, exclusive bool) (*storeLock, error) {
	st, err := f.lstat(lockName)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, err
	case !st.Mode().IsRegular():
		return nil, fmt.Errorf("%s is not a regular file", safetext.Name(f.abs(lockName)))
	}
	file, err := f.root.OpenFile(lockName, os.O_RDWR|os.O_CREATE|oNoFollow, 0o644)
	if err != nil {
		return nil, f.pathError("lock", lockName, err)
	}
	if _, err := flock(file, exclusive, true); err != nil {
		file.Close()
		return nil, err
	}
	return &storeLock{f: file}, nil
}

func (l *storeLock) unlock() error {
	// Closing the file releases the lock.
	return l.f.Close()
}

// Submission is one run file offered to the store.
type Submission struct {
	// Path is the file to read; "-" is standard input.
	Path string
	// Reader, when set, is read instead of Path (which then only names the
	// submission in messages).
	Reader io.Reader
	// Name is the original file name recorded in the manifest; empty
	// means the base name of Path.
	Name string
	Team string
	// Replace allows a new version of a run tag the team already has.
	Replace bool
	// MaxRuns caps the distinct run tags of a team per task; 0 = no cap.
	MaxRuns int

	runName string // the run name pattern in force, set by Submit
}

// Result is the outcome of a submission. A refused run leaves the store
// unchanged.
type Result struct {
	// Report is the validation report; nil when the submission was
	// refused before validation (a bad team name).
	Report   *validate.Report
	Accepted bool
	// Entry is the manifest entry of an accepted run.
	Entry *Entry
	// Reason says why a run was refused.
	Reason string
	// Notes report repairs made before the submission (see recover).
	Notes []string
}

func refused(rep *validate.Report, format string, args ...any) *Result {
	return &Result{Report: rep, Reason: fmt.Sprintf(format, args...)}
}

// Submit validates the file of sub with v and, when the run is valid and
// the store's rules allow it, stores it for task v.Rules().Task. Refusals
// (invalid run, bad name, tag taken, run limit) are reported in the Result;
// the error is for failures of the store itself.
//
// The submission is copied, validated and normalised in a staging
// directory of its own without the store lock, so a submission read from a
// stalled pipe holds up nobody; the exclusive lock is taken only to check
// the store's rules and commit.
func (s *Store) Submit(v *validate.Validator, sub Submission) (*Result, error) {
	task := string(v.Rules().Task)
	if err := checkTask(v.Rules().Task); err != nil {
		return nil, err
	}
	if err := CheckName("team name", sub.Team); err != nil {
		return refused(nil, "%v", err), nil
	}
	name := sub.Name
	if name == "" {
		name = filepath.Base(sub.Path)
		if sub.Path == "-" {
			name = "<stdin>"
		}
	}
	if len(name) > maxOriginalName {
		return refused(nil, "the file name is %d bytes long, more than %d", len(name), maxOriginalName), nil
	}
	f, err := openStoreFS(s.Dir)
	if err != nil {
		return nil, err
	}
	defer f.close()
	if v, err = s.storeRules(f, v); err != nil { // conventions.go
		return nil, err
	}
	st, err := newStaging(f)
	if err != nil {
		return nil, err
	}
	defer st.cleanup()

	// Copy the submission first and validate the copy, so that what is
	// validated is exactly what is stored, whatever happens to the input.
	lim := v.Rules().Limits.WithDefaults()
	in := sub.Reader
	if in == nil {
		rc, err := openInput(sub.Path, lim.ReadTimeout)
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return refused(nil, "cannot read %s: %v", safetext.Name(sub.Path), err), nil
		}
		defer rc.Close()
		in = rc
	}
	// The read time limit: a deadline where the input can take one (a
	// FIFO, a pipe), and a clock check between reads otherwise.
	deadline := time.Now().Add(lim.ReadTimeout)
	if d, ok := in.(interface{ SetReadDeadline(time.Time) error }); ok {
		_ = d.SetReadDeadline(deadline) // regular files refuse deadlines; they do not stall
	}
	in = &timedReader{r: in, deadline: deadline}
	orig, err := st.write(kindOrig, func(w io.Writer) (int64, error) {
		n, err := io.Copy(w, io.LimitReader(in, lim.MaxBytes+1))
		if err == nil && n > lim.MaxBytes {
			return n, errTooLarge
		}
		return n, err
	})
	if errors.Is(err, errTooLarge) {
		return refused(nil, "%s is larger than the limit of %s bytes", safetext.Name(name), validate.Commas(lim.MaxBytes)), nil
	}
	if errors.Is(err, errTimedOut) || errors.Is(err, os.ErrDeadlineExceeded) {
		return refused(nil, "reading %s took more than %v (raise --%s if this is intended)", safetext.Name(name), lim.ReadTimeout, trecfmt.FlagReadTimeout), nil
	}
	if err != nil {
		return nil, fmt.Errorf("copying %s into the store: %w", safetext.Name(sub.Path), err)
	}
	hook("staged-original")
	rep, nr, err := s.normalise(v, f, st, name)
	if err != nil {
		return nil, err
	}
	if nr == nil {
		return refused(rep, "the run is invalid (%s)", verdict(rep)), nil
	}
	tag := nr.Tag()
	if err := CheckName("run tag", tag); err != nil {
		return refused(rep, "%v (the store cannot hold it)", err), nil
	}
	if reason := conventionRefusal(rep, nr, sub.Team); reason != "" { // conventions.go
		return refused(rep, "%s", reason), nil
	}
	norm, err := st.write(kindRun, nr.WriteTo)
	if err != nil {
		return nil, err
	}
	hook("staged")

	lk, err := lockStore(f, true)
	if err != nil {
		return nil, err
	}
	defer lk.unlock()
	hook("locked")
	m, err := readManifest(f)
	if err != nil {
		return nil, err
	}
	if m.format != Format {
		return nil, oldFormatError(s.Dir, m.format)
	}
	if err := samePattern(m, v); err != nil {
		return nil, err
	}
	if p := v.Rules().RunName; p != nil {
		sub.runName = p.String()
	}
	notes := s.recover(f, m)
	res, err := s.commit(f, m, st, rep, task, tag, name, sub, orig, norm)
	if res != nil {
		res.Notes = notes
	}
	return res, err
}

var (
	errTooLarge = errors.New("too large")
	errTimedOut = errors.New("read time limit exceeded")
)

// timedReader fails a read that starts after the deadline.
type timedReader struct {
	r        io.Reader
	deadline time.Time
}

func (t *timedReader) Read(p []byte) (int, error) {
	if time.Now().After(t.deadline) {
		return 0, errTimedOut
	}
	return t.r.Read(p)
}

// verdict is the report's summary without the file name (however the
// validator prints names).
func verdict(rep *validate.Report) string {
	named := *rep
	named.File = "x"
	return strings.TrimPrefix(named.Summary(), "x: ")
}

// normalise validates the staged original and keeps the run in normal form.
func (s *Store) normalise(v *validate.Validator, f *storeFS, st *staging, name string) (*validate.Report, *validate.NormalRun, error) {
	lim := v.Rules().Limits
	file, _, err := f.openRegular(st.file(kindOrig))
	if err != nil {
		return nil, nil, err
	}
	src, err := trecfmt.NewSource(name, file, lim)
	if err != nil {
		// The validator reports an unopenable file (corrupt gzip) itself;
		// the staging directory is this intake's and locked.
		rep := v.ValidateFile(f.abs(st.file(kindOrig)))
		rep.File = name
		for i := range rep.Problems {
			rep.Problems[i].File = name
		}
		return rep, nil, nil
	}
	defer src.Close()
	rep, nr := v.Normalise(src)
	return rep, nr, nil
}

// commit checks the store's rules for the staged run and, if they allow it,
// links the staged files into place and appends the manifest entry. It runs
// with the exclusive lock held.
func (s *Store) commit(f *storeFS, m *manifest, st *staging, rep *validate.Report, task, tag, name string, sub Submission, orig, norm fileSum) (*Result, error) {
	key := runKey{task, sub.Team, tag}
	cur := m.current(key)
	switch {
	case cur != nil && !sub.Replace:
		return refused(rep, "team %q already has run %q for Subtask %s (version %d, submitted %s); use --replace to submit a new version (version %d is kept)",
			sub.Team, tag, task, cur.Version, cur.Time.Format(time.RFC3339), cur.Version), nil
	case cur == nil && sub.MaxRuns > 0:
		if tags := m.teamRuns(task, sub.Team); len(tags) >= sub.MaxRuns {
			slices.Sort(tags)
			return refused(rep, "team %q already has %d runs for Subtask %s (%s), the limit; replace one of them with --replace",
				sub.Team, len(tags), task, strings.Join(quoteAll(tags), ", ")), nil
		}
	}
	tagRel := path.Join(task, sub.Team, tag)
	version, err := s.nextVersion(f, tagRel, cur)
	if err != nil {
		return nil, err
	}
	if version > maxVersion {
		return refused(rep, "run %q of team %q for Subtask %s has %d versions, the most the store keeps; submit it under a new run tag",
			tag, sub.Team, task, maxVersion), nil
	}
	e := &Entry{
		Time: s.now(), Task: task, Team: sub.Team, Tag: tag, Version: version,
		OriginalName: name,
		Original:     FileInfo{Path: versionPath(task, sub.Team, tag, version, kindOrig), Size: orig.size, SHA256: orig.sum},
		Normalised:   FileInfo{Path: versionPath(task, sub.Team, tag, version, kindRun), Size: norm.size, SHA256: norm.sum},
		Validation:   summarise(rep),
		Description:  rep.Description,
		Name:         rep.Name,
	}
	if rep.Name != nil {
		e.RunName = sub.runName
	}
	if cur != nil {
		e.Replaces = cur.Version
	}
	// The new manifest is built (and checked against the reader's bounds)
	// before anything is put in place.
	data, err := m.appendEntry(e)
	if err != nil {
		return nil, err
	}
	if err := f.mkdirAll(tagRel); err != nil {
		return nil, err
	}
	// Version names are fresh (nextVersion looks at the disk), and the
	// links fail rather than replace should one exist after all.
	if err := f.linkNew(st.file(kindOrig), e.Original.Path); err != nil {
		return nil, err
	}
	hook("linked-original")
	if err := f.linkNew(st.file(kindRun), e.Normalised.Path); err != nil {
		return nil, err
	}
	hook("versioned")
	if err := s.writeManifest(f, data); err != nil {
		return nil, err
	}
	hook("committed")
	return &Result{Report: rep, Accepted: true, Entry: e}, nil
}

// writeManifest replaces the manifest: the store's commit.
func (s *Store) writeManifest(f *storeFS, data []byte) error {
	if _, err := f.lstat(ManifestName); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	err := fsutil.ReplaceIn(f.root, ManifestName, 0o644, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
	if err != nil {
		return f.pathError("write", ManifestName, err)
	}
	return nil
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

// nextVersion is one more than the newest version of the run in the
// manifest or on disk: a version file left by an interrupted intake is
// never reused.
func (s *Store) nextVersion(f *storeFS, tagRel string, cur *Entry) (int, error) {
	v := 0
	if cur != nil {
		v = cur.Version
	}
	entries, err := f.readDir(tagRel)
	if errors.Is(err, fs.ErrNotExist) {
		return v + 1, nil
	}
	if err != nil {
		return 0, err
	}
	for _, de := range entries {
		if n, _, ok := parseVersionFileName(de.Name()); ok && n > v {
			v = n
		}
	}
	return v + 1, nil
}

// openInput opens a submitted file; "-" is standard input.
func openInput(p string, timeout time.Duration) (io.ReadCloser, error) {
	if p == "-" {
		return io.NopCloser(os.Stdin), nil
	}
	f, err := fsutil.OpenRead(p, timeout)
	if err != nil {
		return nil, err
	}
	if st, err := f.Stat(); err != nil || st.IsDir() {
		f.Close()
		if err == nil {
			err = errors.New("is a directory, not a file")
		}
		return nil, err
	}
	return f, nil
}
