package intake

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/ntcir-pmr/mreval/eval/validate"
	"github.com/ntcir-pmr/mreval/internal/safetext"
)

var tasks = []string{string(validate.TaskA), string(validate.TaskB)}

// format1ManifestName keeps the manifest of a store migrated from format 1.
const format1ManifestName = "MANIFEST.format1.jsonl"

// isTempName recognises the temporary files of eval/fsutil's writers,
// ".<name>.tmp-*". No stored name starts with '.', so these cannot be
// mistaken for data.
func isTempName(name string) bool {
	return strings.HasPrefix(name, ".") && strings.Contains(name, ".tmp-")
}

// recover undoes what an interrupted intake or migration can leave behind,
// with the exclusive lock held: the staging directories of intakes that
// died (a live intake's is locked and left alone), temporary files of the
// manifest's writer, and, in a migrated store, format-1 files whose bytes
// are all in the new layout. It touches only regular files and directories
// reached without symbolic links; anything else is a note, as are failures,
// so that a damaged corner does not block every later intake.
func (s *Store) recover(f *storeFS, m *manifest) []string {
	var notes []string
	note := func(format string, args ...any) { notes = append(notes, fmt.Sprintf(format, args...)) }
	removeNoted := func(rel, why string) {
		if err := f.remove(rel); err != nil {
			note("cannot remove %s: %v", safetext.Name(rel), err)
		} else {
			note("removed %s, %s", safetext.Name(rel), why)
		}
	}

	if entries, err := f.readDir(stagingName); err == nil {
		for _, de := range entries {
			rel := path.Join(stagingName, de.Name())
			switch {
			case de.Type().IsRegular():
				removeNoted(rel, "left by an interrupted intake")
			case de.IsDir():
				s.removeDeadStaging(f, rel, note)
			case de.Type()&fs.ModeSymlink != 0:
				note("%s is a symbolic link: not followed, not removed (remove it by hand)", safetext.Name(rel))
			default:
				note("%s is not a file or directory; not touched (remove it by hand)", safetext.Name(rel))
			}
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		note("cannot clear %s: %v", stagingName, err)
	}

	if entries, err := f.readDir("."); err == nil {
		for _, de := range entries {
			if isTempName(de.Name()) && de.Type().IsRegular() {
				removeNoted(de.Name(), "left by an interrupted write")
			}
		}
	} else {
		note("cannot list the store: %v", err)
	}

	if _, err := f.lstat(format1ManifestName); err == nil {
		notes = append(notes, s.removeFormat1Copies(f, m)...)
	}
	notes = append(notes, s.setAsideUncommitted(f, m)...)
	return notes
}

// uncommittedName is the directory where recovery sets aside the version
// files of intakes that died between putting their files in place and
// committing the manifest. Those runs were never accepted (nobody was told
// "stored"), but their bytes are kept, never deleted, so that an organizer
// can look at them; verify does not count them as drift.
const uncommittedName = ".uncommitted"

// setAsideUncommitted moves every complete version file that the manifest
// does not name from A/ and B/ into .uncommitted/ under the same relative
// path (with a numeric suffix where that name is taken). It runs under the
// store's lock, so no commit is half done while it looks.
func (s *Store) setAsideUncommitted(f *storeFS, m *manifest) []string {
	known := map[string]bool{}
	for i := range m.entries {
		known[m.entries[i].Original.Path] = true
		known[m.entries[i].Normalised.Path] = true
	}
	var notes []string
	for _, fd := range s.untracked(f, known) {
		if fd.Problem != uncommittedProblem {
			continue
		}
		if err := s.setAside(f, fd.Path); err != nil {
			notes = append(notes, fmt.Sprintf("cannot set aside %s: %v", safetext.Name(fd.Path), err))
			continue
		}
		notes = append(notes, fmt.Sprintf("set aside %s in %s: complete files of an intake interrupted before its commit (never accepted; kept, not deleted)", safetext.Name(fd.Path), uncommittedName))
	}
	return notes
}

// setAside gives rel a fresh name under .uncommitted/ and removes the old
// one; the link never replaces, so nothing set aside before is touched.
func (s *Store) setAside(f *storeFS, rel string) error {
	dst := path.Join(uncommittedName, rel)
	if err := f.mkdirAll(path.Dir(dst)); err != nil {
		return err
	}
	for i := 1; ; i++ {
		err := f.linkNew(rel, dst)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrExist) || i > 1000 {
			return err
		}
		dst = fmt.Sprintf("%s.%d", path.Join(uncommittedName, rel), i)
	}
	return f.remove(rel)
}

// removeDeadStaging removes a staging directory whose intake is gone.
func (s *Store) removeDeadStaging(f *storeFS, rel string, note func(string, ...any)) {
	d, err := claimStaging(f, rel)
	if err != nil {
		note("cannot clear %s: %v", safetext.Name(rel), err)
		return
	}
	if d == nil {
		return // a live intake's
	}
	defer d.Close()
	entries, err := f.readDir(rel)
	if err != nil {
		note("cannot clear %s: %v", safetext.Name(rel), err)
		return
	}
	for _, de := range entries {
		if err := f.remove(path.Join(rel, de.Name())); err != nil {
			note("cannot clear %s: %v", safetext.Name(rel), err)
			return
		}
	}
	if err := f.remove(rel); err != nil {
		note("cannot remove %s: %v", safetext.Name(rel), err)
		return
	}
	if err := f.syncDir(stagingName); err != nil {
		note("cannot sync %s: %v", stagingName, err)
	}
	note("removed %s, left by an interrupted intake", safetext.Name(rel))
}

// removeFormat1Copies removes the files a migration from format 1 left in
// team directories (version files, <tag>.run links, temporary links) once
// their bytes are all in a version file of the same team that the manifest
// names: a migration interrupted after its commit
// is finished here. A file whose bytes are not accounted for stays, for
// verify to report.
func (s *Store) removeFormat1Copies(f *storeFS, m *manifest) []string {
	var notes []string
	have := map[string]map[fileSum]string{} // task/team → content → a version file holding it
	for i := range m.entries {
		e := &m.entries[i]
		team := path.Join(e.Task, e.Team)
		if have[team] == nil {
			have[team] = map[fileSum]string{}
		}
		for _, fi := range []FileInfo{e.Original, e.Normalised} {
			if _, ok := have[team][fileSum{fi.Size, fi.SHA256}]; !ok {
				have[team][fileSum{fi.Size, fi.SHA256}] = fi.Path
			}
		}
	}
	teams := slices.Sorted(maps.Keys(have))
	for _, team := range teams {
		sums := have[team]
		entries, err := f.readDir(team)
		if err != nil {
			continue
		}
		for _, de := range entries {
			name := de.Name()
			if !de.Type().IsRegular() {
				continue
			}
			rel := path.Join(team, name)
			sum, err := f.hash(rel)
			if err != nil {
				continue
			}
			copyOf, ok := sums[sum]
			if !ok {
				continue
			}
			// The version file must really hold those bytes now.
			if vsum, err := f.hash(copyOf); err != nil || vsum != sum {
				continue
			}
			if err := f.remove(rel); err != nil {
				notes = append(notes, fmt.Sprintf("cannot remove %s: %v", safetext.Name(rel), err))
				continue
			}
			notes = append(notes, fmt.Sprintf("removed %s, a format-1 file whose bytes are kept in %s", safetext.Name(rel), safetext.Name(copyOf)))
		}
	}
	return notes
}
