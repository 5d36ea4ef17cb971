package intake

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"time"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/ntcir-pmr/mreval/eval/validate"
	"github.com/ntcir-pmr/mreval/internal/safetext"
)

// StoredRun is one current run of a store.
type StoredRun struct {
	Task, Team, Tag string
	Version         int
	// Path is the normalised run of the current version (the immutable
	// <tag>/vN.run): the file to score. Read it with ReadRun, which checks
	// that its bytes are the ones accepted.
	Path string
	// InStore is Path relative to the store, slash-separated, as the
	// manifest names it (A/<team>/<tag>/vN.run): the name to show, the
	// same wherever the store lives.
	InStore string
	// Original holds the bytes as submitted.
	Original string
	// SHA256 and Size pin the normalised run as recorded at intake.
	SHA256    string
	Size      int64
	Submitted time.Time
	// Description and Name are the entry's system description and what
	// its tag says through the run name pattern (nil without one).
	Description string
	Name        *validate.NameParts

	dir string // the store, absolute
}

// ListRuns lists the current version of every run in the store at dir,
// sorted by task, team and run tag. It reads the manifest only and takes no
// lock: the manifest is replaced atomically, and the files it names are in
// place before it names them, so a listing is always of a committed state,
// even during an intake.
func ListRuns(dir string) ([]StoredRun, error) {
	f, m, err := readCommitted(dir)
	if err != nil {
		return nil, err
	}
	defer f.close()
	runs := make([]StoredRun, 0, len(m.latest))
	for _, i := range m.latest {
		e := &m.entries[i]
		runs = append(runs, StoredRun{
			Task: e.Task, Team: e.Team, Tag: e.Tag, Version: e.Version,
			Path: f.abs(e.Normalised.Path), Original: f.abs(e.Original.Path),
			SHA256: e.Normalised.SHA256, Size: e.Normalised.Size, Submitted: e.Time,
			Description: e.Description, Name: e.Name,
			InStore: e.Normalised.Path, dir: f.dir,
		})
	}
	slices.SortFunc(runs, func(a, b StoredRun) int {
		return cmp.Or(cmp.Compare(a.Task, b.Task), cmp.Compare(a.Team, b.Team), cmp.Compare(a.Tag, b.Tag))
	})
	return runs, nil
}

// ErrTampered marks a stored run whose bytes differ from those recorded
// when it was accepted.
var ErrTampered = errors.New("stored run changed since intake")

// ReadRun reads the run r names (trecfmt.ReadRun, with lim), without
// following symbolic links, and checks that the bytes read are the ones the
// manifest recorded: a run changed after intake is an error naming the
// file, never a score. The hash is taken of exactly the bytes parsed.
func (r StoredRun) ReadRun(lim trecfmt.Limits) (*eval.Run, error) {
	f, err := openStoreFS(r.dir)
	if err != nil {
		return nil, err
	}
	defer f.close()
	file, st, err := f.openRegular(r.InStore)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", safetext.Name(r.dir), err)
	}
	defer file.Close()
	tampered := func(what string) error {
		return fmt.Errorf("%s: %s; the manifest says %s: %w, so it is not scored (mreval intake verify --store %s lists every change)",
			safetext.Name(r.Path), what, fmt.Sprint(r.Size)+" bytes with SHA-256 "+r.SHA256, ErrTampered, safetext.Name(r.dir))
	}
	if st.Size() != r.Size {
		return nil, tampered(fmt.Sprintf("%d bytes", st.Size()))
	}
	h := sha256.New()
	limited := io.LimitReader(file, r.Size+1)
	src, err := trecfmt.NewSource(r.Path, io.NopCloser(io.TeeReader(limited, h)), lim)
	var run *eval.Run
	if err == nil {
		run, err = trecfmt.ReadRun(src, lim)
	}
	// Whatever the parser made of it, the verdict on the bytes comes
	// first: a parse error in a changed file is a changed file.
	if _, cerr := io.Copy(h, limited); cerr != nil {
		return nil, f.pathError("read", r.InStore, cerr)
	}
	if sum := hex.EncodeToString(h.Sum(nil)); sum != r.SHA256 {
		return nil, tampered("SHA-256 " + sum)
	}
	return run, err
}

// Finding is one discrepancy between the store and its manifest.
type Finding struct {
	Path    string `json:"path"` // relative to the store
	Problem string `json:"problem"`
}

func (f Finding) String() string { return safetext.Name(f.Path) + ": " + f.Problem }

// Verification is the outcome of Verify.
type Verification struct {
	Runs     int // current runs
	Versions int // manifest entries
	Files    int // files re-hashed
	// Findings list every drift; none means the store matches its manifest.
	Findings []Finding
	// Repairs list what --repair did before checking.
	Repairs []string
}

// OK reports whether the store matches its manifest.
func (v *Verification) OK() bool { return len(v.Findings) == 0 }

// Problems of files the manifest does not account for.
const (
	uncommittedProblem = "not in the manifest (an intake interrupted before its commit leaves complete but uncommitted version files; otherwise the file was added by hand)"
	notStoreProblem    = "not part of the store"
	tempProblem        = "temporary file of an interrupted write (the next intake or verify --repair removes it)"
	stagedProblem      = "staged files of an interrupted intake (the next intake or verify --repair removes them)"
	linkProblem        = "a symbolic link: the store never follows links (mreval does not make them; remove it)"
)

// Verify re-hashes every file the manifest names (the original and
// normalised file of every version) and lists every file of the store the
// manifest does not account for. It holds the store's lock, so it never
// sees a commit half done; staging directories of intakes still running
// are not findings. With repair it first migrates a format-1 or format-2 store, then
// does what the next intake would do after a crash (see Store.recover);
// otherwise it changes nothing, and refuses a format-1 store with an error
// saying to repair it.
func Verify(dir string, repair bool) (*Verification, error) {
	s, f, err := openExistingFS(dir)
	if err != nil {
		return nil, err
	}
	defer f.close()
	lk, err := lockStore(f, repair)
	if err != nil {
		return nil, err
	}
	defer lk.unlock()
	m, err := readManifest(f)
	if err != nil {
		return nil, err
	}
	out := &Verification{}
	if m.format != Format {
		if !repair {
			return nil, oldFormatError(dir, m.format)
		}
		if out.Repairs, err = s.migrateFrom(f, m); err != nil { // conventions.go
			return nil, err
		}
		if m, err = readManifest(f); err != nil {
			return nil, err
		}
	}
	out.Runs, out.Versions = len(m.latest), len(m.entries)
	if repair {
		out.Repairs = append(out.Repairs, s.recover(f, m)...)
	}
	known := map[string]bool{}
	check := func(info FileInfo, what string) {
		rel := info.Path
		known[rel] = true
		out.Files++
		sum, err := f.hash(rel)
		var le *LinkError
		switch {
		case errors.Is(err, fs.ErrNotExist):
			out.Findings = append(out.Findings, Finding{rel, what + " is missing"})
		case errors.As(err, &le):
			out.Findings = append(out.Findings, Finding{rel, what + " is reached through " + safetext.Name(s.rel(le.Path)) + ", " + linkProblem})
		case err != nil:
			out.Findings = append(out.Findings, Finding{rel, what + ": " + err.Error()})
		case sum.size != info.Size:
			out.Findings = append(out.Findings, Finding{rel, fmt.Sprintf("%s has %d bytes; the manifest says %d", what, sum.size, info.Size)})
		case sum.sum != info.SHA256:
			out.Findings = append(out.Findings, Finding{rel, fmt.Sprintf("%s has SHA-256 %s; the manifest says %s (changed since intake)", what, sum.sum, info.SHA256)})
		}
	}
	for i := range m.entries {
		e := &m.entries[i]
		v := fmt.Sprintf("version %d", e.Version)
		check(e.Original, "the original of "+v)
		check(e.Normalised, "the normalised run of "+v)
	}
	out.Findings = append(out.Findings, s.untracked(f, known)...)
	slices.SortStableFunc(out.Findings, func(a, b Finding) int { return cmp.Compare(a.Path, b.Path) })
	return out, nil
}

// rel names a file of the store relative to its root, for messages.
func (s *Store) rel(p string) string {
	if r, err := filepath.Rel(s.Dir, p); err == nil {
		return filepath.ToSlash(r)
	}
	return p
}

// untracked lists what is in the store but not in the manifest, descending
// into no symbolic link.
func (s *Store) untracked(f *storeFS, known map[string]bool) []Finding {
	var out []Finding
	add := func(rel, problem string) { out = append(out, Finding{rel, problem}) }
	root, err := f.readDir(".")
	if err != nil {
		return []Finding{{".", err.Error()}}
	}
	for _, de := range root {
		name := de.Name()
		switch {
		case de.Type()&fs.ModeSymlink != 0:
			add(name, linkProblem)
		case name == ManifestName || name == lockName || name == format1ManifestName || name == format2ManifestName:
			if !de.Type().IsRegular() {
				add(name, "not a regular file")
			}
		case name == stagingName && de.IsDir():
			out = append(out, s.untrackedStaging(f)...)
		case name == uncommittedName && de.IsDir():
			// Set aside by recovery on purpose: not drift.
		case (name == tasks[0] || name == tasks[1]) && de.IsDir():
			out = append(out, s.untrackedTask(f, name, known)...)
		case isTempName(name) && de.Type().IsRegular():
			add(name, tempProblem)
		default:
			add(name, notStoreProblem)
		}
	}
	return out
}

func (s *Store) untrackedStaging(f *storeFS) []Finding {
	entries, err := f.readDir(stagingName)
	if err != nil {
		return []Finding{{stagingName, err.Error()}}
	}
	var out []Finding
	for _, de := range entries {
		rel := path.Join(stagingName, de.Name())
		switch {
		case de.Type()&fs.ModeSymlink != 0:
			out = append(out, Finding{rel, linkProblem})
		case de.IsDir():
			d, err := claimStaging(f, rel)
			switch {
			case err != nil:
				out = append(out, Finding{rel, err.Error()})
			case d != nil:
				d.Close()
				out = append(out, Finding{rel, stagedProblem})
			}
			// d == nil: a running intake's.
		default:
			out = append(out, Finding{rel, stagedProblem})
		}
	}
	return out
}

func (s *Store) untrackedTask(f *storeFS, task string, known map[string]bool) []Finding {
	var out []Finding
	teams, err := f.readDir(task)
	if err != nil {
		return []Finding{{task, err.Error()}}
	}
	for _, t := range teams {
		rel := path.Join(task, t.Name())
		switch {
		case t.Type()&fs.ModeSymlink != 0:
			out = append(out, Finding{rel, linkProblem})
			continue
		case !t.IsDir() || checkStoredName("team name", t.Name()) != nil:
			out = append(out, Finding{rel, notStoreProblem})
			continue
		}
		tags, err := f.readDir(rel)
		if err != nil {
			out = append(out, Finding{rel, err.Error()})
			continue
		}
		for _, tg := range tags {
			trel := path.Join(rel, tg.Name())
			switch {
			case tg.Type()&fs.ModeSymlink != 0:
				out = append(out, Finding{trel, linkProblem})
			case tg.IsDir() && checkStoredName("run tag", tg.Name()) == nil:
				out = append(out, s.untrackedTag(f, trel, known)...)
			case tg.Type().IsRegular():
				out = append(out, Finding{trel, notStoreProblem + " (a team's directory holds only run tag directories; a file left from format 1 whose bytes are kept elsewhere is removed by verify --repair)"})
			default:
				out = append(out, Finding{trel, notStoreProblem})
			}
		}
	}
	return out
}

func (s *Store) untrackedTag(f *storeFS, rel string, known map[string]bool) []Finding {
	files, err := f.readDir(rel)
	if err != nil {
		return []Finding{{rel, err.Error()}}
	}
	var out []Finding
	for _, fi := range files {
		frel := path.Join(rel, fi.Name())
		_, _, isVersion := parseVersionFileName(fi.Name())
		switch {
		case known[frel]:
		case fi.Type()&fs.ModeSymlink != 0:
			out = append(out, Finding{frel, linkProblem})
		case isTempName(fi.Name()) && fi.Type().IsRegular():
			out = append(out, Finding{frel, tempProblem})
		case isVersion && fi.Type().IsRegular():
			out = append(out, Finding{frel, uncommittedProblem})
		default:
			out = append(out, Finding{frel, notStoreProblem})
		}
	}
	return out
}
