package intake

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strconv"

	"github.com/ntcir-pmr/mreval/eval/fsutil"
	"github.com/ntcir-pmr/mreval/eval/validate"
	"github.com/ntcir-pmr/mreval/internal/safetext"
)

// format1Path is where format 1 kept a version's file: next to every other
// file of the team, <tag>.v<N>.<kind>, a name a run tag "<tag>.v<N>" could
// take for its current link.
func format1Path(task, team, tag string, v int, kind string) string {
	return path.Join(task, team, tag+".v"+strconv.Itoa(v)+"."+kind)
}

// migrate turns a format-1 store into format 2, with the exclusive lock
// held. Every version's bytes are hard-linked into the new layout (never
// replacing a file), found under their old name or, where the old naming
// let another run's file take that name, under any name in the team's
// directory that holds bytes of the recorded size and SHA-256. The old
// manifest is kept as MANIFEST.format1.jsonl; the new manifest, renamed
// over the old one, is the commit. Version numbers outside 1..maxVersion
// (format 1 could overflow them) are renumbered after the run's previous
// version. Bytes that are nowhere in the store any more cannot be brought
// back: their entries stay in the manifest, and verify reports the files
// missing. An interrupted migration is simply run again; the old files
// are removed afterwards by recover, once their bytes are in place.
func (s *Store) migrate(f *storeFS) ([]string, error) {
	raw, err := readManifestBytes(f)
	if err != nil {
		return nil, err
	}
	file := safetext.Name(f.abs(ManifestName))
	if len(raw) == 0 || raw[len(raw)-1] != '\n' {
		return nil, fmt.Errorf("%s: the last line is incomplete (no newline): the manifest was damaged", file)
	}
	var notes []string
	note := func(format string, args ...any) { notes = append(notes, fmt.Sprintf(format, args...)) }
	type oldEntry struct {
		Entry
		line int
	}
	var old []oldEntry
	for i, line := range bytes.SplitAfter(raw[:len(raw)-1], []byte("\n")) {
		var e Entry
		if err := strictUnmarshal(line, &e); err != nil {
			return nil, fmt.Errorf("%s:%d: not a format-1 manifest entry: %v", file, i+1, err)
		}
		if err := checkFormat1(&e); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", file, i+1, err)
		}
		old = append(old, oldEntry{e, i + 1})
	}

	oldPrev := map[runKey]int{}
	m := &manifest{format: Format, latest: map[runKey]int{}}
	for _, o := range old {
		k := o.key()
		if pv, ok := oldPrev[k]; ok && o.Replaces != pv || !ok && o.Replaces != 0 {
			return nil, fmt.Errorf("%s:%d: run %s/%s/%s version %d replaces version %d, but the version before it is %d: the manifest was damaged; fix the line by hand",
				file, o.line, o.Task, o.Team, o.Tag, o.Version, o.Replaces, pv)
		}
		oldPrev[k] = o.Version
		e := o.Entry
		prev := 0
		if c := m.current(k); c != nil {
			prev = c.Version
		}
		if e.Version < 1 || e.Version > maxVersion || e.Version <= prev {
			e.Version = prev + 1
			note("%s:%d: run %s/%s/%s version %d (an overflowed number) becomes version %d", ManifestName, o.line, e.Task, e.Team, safetext.Name(e.Tag), o.Version, e.Version)
		}
		e.Replaces = prev
		e.Original.Path = versionPath(e.Task, e.Team, e.Tag, e.Version, kindOrig)
		e.Normalised.Path = versionPath(e.Task, e.Team, e.Tag, e.Version, kindRun)
		if err := m.add(e); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", file, o.line, err)
		}
	}

	found := map[string]map[fileSum]string{} // task/team → content → a file holding it
	index := func(team string) map[fileSum]string {
		if idx, ok := found[team]; ok {
			return idx
		}
		idx := map[fileSum]string{}
		found[team] = idx
		entries, err := f.readDir(team)
		if err != nil {
			return idx
		}
		for _, de := range entries {
			rel := path.Join(team, de.Name())
			if !de.Type().IsRegular() {
				continue
			}
			if sum, err := f.hash(rel); err == nil {
				if _, ok := idx[sum]; !ok {
					idx[sum] = rel
				}
			}
		}
		return idx
	}
	for i, o := range old {
		e := &m.entries[i]
		for _, pair := range []struct {
			from string
			to   FileInfo
		}{
			{format1Path(o.Task, o.Team, o.Tag, o.Version, kindOrig), e.Original},
			{format1Path(o.Task, o.Team, o.Tag, o.Version, kindRun), e.Normalised},
		} {
			want := fileSum{pair.to.Size, pair.to.SHA256}
			sum, err := f.hash(pair.to.Path)
			switch {
			case err == nil && sum == want:
				continue // linked by an interrupted migration
			case err == nil:
				return nil, fmt.Errorf("migrating %s: %s exists and holds other bytes; move it out of the store and run verify --repair again",
					safetext.Name(pair.from), safetext.Name(f.abs(pair.to.Path)))
			case !errors.Is(err, fs.ErrNotExist):
				return nil, fmt.Errorf("migrating %s: %w", safetext.Name(pair.from), err)
			}
			src := ""
			if sum, err := f.hash(pair.from); err == nil && sum == want {
				src = pair.from
			} else if alt, ok := index(path.Join(o.Task, o.Team))[want]; ok {
				src = alt
				note("the bytes of %s (version %d of run %s/%s/%s) were under %s; kept as %s",
					safetext.Name(pair.from), o.Version, o.Task, o.Team, safetext.Name(o.Tag), safetext.Name(alt), safetext.Name(pair.to.Path))
			}
			if src == "" {
				note("LOST before migration: the bytes of %s (version %d of run %s/%s/%s, %d bytes, SHA-256 %s) are nowhere in the store; %s stays in the manifest and verify reports it missing",
					safetext.Name(pair.from), o.Version, o.Task, o.Team, safetext.Name(o.Tag), want.size, want.sum, safetext.Name(pair.to.Path))
				continue
			}
			if err := f.mkdirAll(path.Dir(pair.to.Path)); err != nil {
				return nil, err
			}
			if err := f.linkNew(src, pair.to.Path); err != nil {
				return nil, fmt.Errorf("migrating %s: %w", safetext.Name(pair.from), err)
			}
		}
	}

	if kept, err := readFileIn(f, format1ManifestName); errors.Is(err, fs.ErrNotExist) {
		if err := fsutil.CreateIn(f.root, format1ManifestName, 0o444, func(w io.Writer) error {
			_, err := w.Write(raw)
			return err
		}); err != nil {
			return nil, f.pathError("write", format1ManifestName, err)
		}
	} else if err != nil {
		return nil, err
	} else if !bytes.Equal(kept, raw) {
		return nil, fmt.Errorf("%s exists and is not a copy of %s; move it out of the store and run verify --repair again",
			safetext.Name(f.abs(format1ManifestName)), file)
	}
	data, err := encodeManifest("", m.entries)
	if err != nil {
		return nil, err
	}
	if err := s.writeManifest(f, data); err != nil {
		return nil, err
	}
	hook("migrated")
	note("migrated the store from format 1 to format %d: %d versions of %d runs now under <task>/<team>/<tag>/v<N>.{orig,run}; the old manifest is kept as %s",
		Format, len(m.entries), len(m.latest), format1ManifestName)
	return notes, nil
}

// checkFormat1 checks a format-1 entry as far as it can be trusted: names
// the store can hold, and paths that are exactly those its fields imply, so
// that migration reads nothing outside the team's directory.
func checkFormat1(e *Entry) error {
	if err := checkTask(validate.Task(e.Task)); err != nil {
		return err
	}
	if err := checkStoredName("team name", e.Team); err != nil {
		return err
	}
	if err := checkStoredName("run tag", e.Tag); err != nil {
		return err
	}
	if want := format1Path(e.Task, e.Team, e.Tag, e.Version, kindRun); e.Normalised.Path != want {
		return fmt.Errorf("normalised path %s should be %q", clipQuote(e.Normalised.Path), want)
	}
	if want := format1Path(e.Task, e.Team, e.Tag, e.Version, kindOrig); e.Original.Path != want {
		return fmt.Errorf("original path %s should be %q", clipQuote(e.Original.Path), want)
	}
	for _, fi := range []FileInfo{e.Original, e.Normalised} {
		if fi.Size < 0 || !sha256Hex().MatchString(fi.SHA256) {
			return fmt.Errorf("file %s has a bad size or sha256", clipQuote(fi.Path))
		}
	}
	if len(e.OriginalName) > maxOriginalName {
		return fmt.Errorf("original name of %d bytes, more than %d", len(e.OriginalName), maxOriginalName)
	}
	return nil
}

// readFileIn reads a small regular file of the store (not through a link).
func readFileIn(f *storeFS, rel string) ([]byte, error) {
	file, st, err := f.openRegular(rel)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	if st.Size() > maxManifestBytes {
		return nil, fmt.Errorf("%s is larger than %d bytes", safetext.Name(f.abs(rel)), maxManifestBytes)
	}
	return io.ReadAll(io.LimitReader(file, maxManifestBytes+1))
}
