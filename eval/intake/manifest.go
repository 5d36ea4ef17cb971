package intake

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"sync"
	"time"

	"github.com/ntcir-pmr/mreval/eval/validate"
	"github.com/ntcir-pmr/mreval/internal/safetext"
)

// ManifestName is the store's log of accepted runs, one JSON object a line.
const ManifestName = "MANIFEST.jsonl"

// Format is the layout version of the stores this package writes. Format 1
// (no header line; files <tag>.vN.run next to each other) let a run tag
// that looks like a version file name ("a.v1") overwrite another run's
// files; Verify with repair migrates it. Format 3 keeps format 2's layout
// and adds the NTCIR run conventions: the header may hold the store's run
// name pattern, and an entry the system description and what the run tag
// says (team, subtask, priority). The files are the same, but a format-2
// reader refuses those fields (it reads the manifest strictly, rightly:
// a field it does not know is a manifest it does not understand), so the
// number changes and Verify with repair migrates format 2 by rewriting
// the header.
const Format = 3

// formatHeader is the first line of a format-2 manifest. Keeping the
// format in the manifest makes the manifest's atomic replacement the one
// commit point of a migration too.
type formatHeader struct {
	Format int    `json:"store_format"`
	Note   string `json:"note"`
	// RunName is the store's run name pattern (validate.NamePattern),
	// set with SetRunName; every intake checks run tags against it.
	RunName string `json:"run_name,omitempty"`
}

const headerNote = "mreval submission store: one accepted version of a run per line after this one"

// Bounds of the manifest reader; appendEntry refuses to write past them.
const (
	maxManifestBytes = 256 << 20
	maxManifestLine  = 64 << 10
	maxOriginalName  = 1024
)

// Entry is one line of the manifest: one accepted version of a run.
type Entry struct {
	Time time.Time `json:"time"`
	Task string    `json:"task"`
	Team string    `json:"team"`
	Tag  string    `json:"tag"`
	// Version counts the submissions of this (task, team, tag) from 1;
	// Replaces is the version it replaced, 0 for the first.
	Version  int `json:"version"`
	Replaces int `json:"replaces,omitempty"`
	// OriginalName is the base name of the submitted file.
	OriginalName string `json:"original_name"`
	// Original holds the submitted bytes unchanged, Normalised the run in
	// normal form (validate.NormalRun): what will be scored.
	Original   FileInfo `json:"original"`
	Normalised FileInfo `json:"normalised"`
	Validation Summary  `json:"validation"`
	// Description is the system description of the run's <SYSDESC> line
	// (format 3; "" without one).
	Description string `json:"description,omitempty"`
	// RunName is the run name pattern the tag was checked against, and
	// Name what the tag says through it (format 3; empty without one).
	RunName string              `json:"run_name,omitempty"`
	Name    *validate.NameParts `json:"name,omitempty"`
}

// FileInfo locates a stored file (slash-separated, relative to the store)
// and pins its content.
type FileInfo struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Summary is the validation outcome of an accepted run.
type Summary struct {
	Warnings int            `json:"warnings"`
	Codes    map[string]int `json:"warning_codes,omitempty"`
	Lines    int            `json:"lines"`
	RunLines int            `json:"run_lines"`
	Topics   int            `json:"topics"`
	Text     string         `json:"summary"`
}

func summarise(rep *validate.Report) Summary {
	s := Summary{Warnings: rep.Warnings, Lines: rep.Lines, RunLines: rep.RunLines, Topics: rep.Topics, Text: rep.Summary()}
	if len(rep.Problems)+len(rep.Omitted) > 0 {
		s.Codes = map[string]int{}
	}
	for _, p := range rep.Problems {
		s.Codes[p.Code]++
	}
	for code, n := range rep.Omitted {
		s.Codes[code] += n
	}
	return s
}

// runKey identifies a run across its versions.
type runKey struct{ task, team, tag string }

func (e *Entry) key() runKey { return runKey{e.Task, e.Team, e.Tag} }

// manifest is the parsed MANIFEST.jsonl.
type manifest struct {
	format  int
	raw     []byte // the file; for format 1, see readFormat1
	header  formatHeader
	entries []Entry
	latest  map[runKey]int // index into entries of each run's newest version
}

// ErrOldFormat marks a store written by an mreval before the current layout;
// `mreval intake verify --repair` migrates it.
var ErrOldFormat = errors.New("old store format")

func oldFormatError(dir string, format int) error {
	why := "file names that a run tag could collide with"
	if format == 2 {
		why = "no room for system descriptions and run name parts"
	}
	return fmt.Errorf("store %s is in the old format %d (%s); run 'mreval intake verify --repair --store %s' to migrate it: %w",
		safetext.Name(dir), format, why, safetext.Name(dir), ErrOldFormat)
}

// readManifestBytes reads the manifest (not through a symbolic link, at
// most maxManifestBytes); a missing manifest is nil.
func readManifestBytes(f *storeFS) ([]byte, error) {
	file, st, err := f.openRegular(ManifestName)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer file.Close()
	if st.Size() > maxManifestBytes {
		return nil, fmt.Errorf("%s: %d bytes, more than the %d the store ever writes: not a manifest of this kit", safetext.Name(f.abs(ManifestName)), st.Size(), maxManifestBytes)
	}
	raw, err := io.ReadAll(io.LimitReader(file, maxManifestBytes+1))
	if err != nil {
		return nil, f.pathError("read", ManifestName, err)
	}
	if len(raw) > maxManifestBytes {
		return nil, fmt.Errorf("%s grew past %d bytes while being read", safetext.Name(f.abs(ManifestName)), maxManifestBytes)
	}
	return raw, nil
}

// readManifest reads and checks the manifest of the store; a missing
// manifest is an empty store of the current format. Any malformed line is
// an error naming it: the manifest is the record of what was accepted, and
// guessing around a damaged one could lose a run. A format-1 manifest is
// returned with format 1 and no entries (see readFormat1).
func readManifest(f *storeFS) (*manifest, error) {
	raw, err := readManifestBytes(f)
	if err != nil {
		return nil, err
	}
	file := safetext.Name(f.abs(ManifestName))
	m := &manifest{format: Format, raw: raw, latest: map[runKey]int{}}
	if len(raw) == 0 {
		return m, nil
	}
	if raw[len(raw)-1] != '\n' {
		return nil, fmt.Errorf("%s: the last line is incomplete (no newline): the manifest was damaged", file)
	}
	lines := bytes.SplitAfter(raw[:len(raw)-1], []byte("\n"))
	for i, line := range lines {
		if len(line) > maxManifestLine {
			return nil, fmt.Errorf("%s:%d: line of %d bytes, longer than the %d the store ever writes", file, i+1, len(line), maxManifestLine)
		}
	}
	h, err := parseHeader(lines[0])
	if err != nil {
		return nil, fmt.Errorf("%s:1: %v", file, err)
	}
	if h.Format == 1 {
		m.format = 1
		return m, nil
	}
	// Format 2 entries are format-3 entries without the new fields: they
	// are read as they are, for the migration.
	m.format, m.header = h.Format, h
	for i, line := range lines[1:] {
		n := i + 2
		var e Entry
		if err := strictUnmarshal(line, &e); err != nil {
			return nil, fmt.Errorf("%s:%d: not a manifest entry: %v", file, n, err)
		}
		if err := m.add(e); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", file, n, err)
		}
	}
	return m, nil
}

// parseHeader returns the header a manifest's first line declares: a
// format header, or (no header) an entry of format 1.
func parseHeader(line []byte) (formatHeader, error) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(line, &probe); err != nil {
		return formatHeader{}, fmt.Errorf("not a manifest header or entry: %v", err)
	}
	if _, ok := probe["store_format"]; !ok {
		if _, ok := probe["task"]; ok {
			return formatHeader{Format: 1}, nil
		}
		return formatHeader{}, errors.New("neither a format header nor a manifest entry")
	}
	var h formatHeader
	if err := strictUnmarshal(line, &h); err != nil {
		return formatHeader{}, fmt.Errorf("bad format header: %v", err)
	}
	if h.Format != Format && h.Format != 2 {
		return formatHeader{}, fmt.Errorf("store format %d; this mreval reads format %d (and migrates formats 1 and 2)", h.Format, Format)
	}
	if h.Format == 2 && h.RunName != "" {
		return formatHeader{}, errors.New("a format-2 header with a run name pattern: the manifest was damaged")
	}
	if h.RunName != "" {
		if _, err := validate.ParseNamePattern(h.RunName); err != nil {
			return formatHeader{}, fmt.Errorf("the store's %v", err)
		}
	}
	return h, nil
}

func strictUnmarshal(line []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(line))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return errors.New("more than one JSON value on the line")
	}
	return nil
}

// add checks e against the entries before it and appends it.
func (m *manifest) add(e Entry) error {
	if err := e.check(); err != nil {
		return err
	}
	k := e.key()
	if prev, ok := m.latest[k]; ok {
		// Versions increase, with gaps where an interrupted intake left a
		// version file behind; each replaces the one before.
		if pv := m.entries[prev].Version; e.Version <= pv || e.Replaces != pv {
			return fmt.Errorf("run %s/%s/%s version %d (replacing %d) does not follow version %d",
				e.Task, e.Team, e.Tag, e.Version, e.Replaces, pv)
		}
	} else if e.Replaces != 0 {
		return fmt.Errorf("run %s/%s/%s version %d replaces version %d, which the manifest does not list",
			e.Task, e.Team, e.Tag, e.Version, e.Replaces)
	}
	m.latest[k] = len(m.entries)
	m.entries = append(m.entries, e)
	return nil
}

var sha256Hex = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9a-f]{64}$`) })

// check verifies that an entry names only the files its fields imply and
// stays within the bounds the reader accepts, so a forged or damaged
// manifest cannot point verify or a scorer outside the store, and the
// writer (which checks every new entry too) cannot write what the reader
// refuses.
func (e *Entry) check() error {
	if err := checkTask(validate.Task(e.Task)); err != nil {
		return err
	}
	if err := checkStoredName("team name", e.Team); err != nil {
		return err
	}
	if err := checkStoredName("run tag", e.Tag); err != nil {
		return err
	}
	if e.Version < 1 || e.Version > maxVersion {
		return fmt.Errorf("version %d is outside 1..%d", e.Version, maxVersion)
	}
	if e.Replaces < 0 || e.Replaces >= e.Version {
		return fmt.Errorf("version %d cannot replace version %d", e.Version, e.Replaces)
	}
	if len(e.OriginalName) > maxOriginalName {
		return fmt.Errorf("original name of %d bytes, more than %d", len(e.OriginalName), maxOriginalName)
	}
	if err := e.checkConventions(); err != nil { // conventions.go
		return err
	}
	for _, fi := range []struct {
		what, kind string
		info       FileInfo
	}{{"normalised", kindRun, e.Normalised}, {"original", kindOrig, e.Original}} {
		if want := versionPath(e.Task, e.Team, e.Tag, e.Version, fi.kind); fi.info.Path != want {
			return fmt.Errorf("%s path %s should be %q", fi.what, clipQuote(fi.info.Path), want)
		}
		if fi.info.Size < 0 {
			return fmt.Errorf("%s size %d is negative", fi.what, fi.info.Size)
		}
		if !sha256Hex().MatchString(fi.info.SHA256) {
			return fmt.Errorf("%s sha256 %s is not 64 lowercase hex digits", fi.what, clipQuote(fi.info.SHA256))
		}
	}
	return nil
}

// encode returns the manifest bytes holding the given entries after the
// header (with the store's run name pattern runName), checking every bound
// the reader applies.
func encodeManifest(runName string, entries []Entry) ([]byte, error) {
	header, err := json.Marshal(formatHeader{Format: Format, Note: headerNote, RunName: runName})
	if err != nil {
		return nil, err
	}
	out := append(header, '\n')
	for i := range entries {
		if out, err = appendLine(out, &entries[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// appendEntry returns the manifest bytes with e added as a last line.
func (m *manifest) appendEntry(e *Entry) ([]byte, error) {
	if len(m.raw) == 0 {
		return encodeManifest(m.header.RunName, []Entry{*e})
	}
	return appendLine(m.raw, e)
}

func appendLine(raw []byte, e *Entry) ([]byte, error) {
	if err := e.check(); err != nil {
		return nil, fmt.Errorf("refusing to write a manifest entry the reader would refuse: %v", err)
	}
	line, err := json.Marshal(e)
	if err != nil {
		return nil, err
	}
	if len(line)+1 > maxManifestLine {
		return nil, fmt.Errorf("manifest entry of %d bytes, more than the reader's %d", len(line)+1, maxManifestLine)
	}
	if len(raw)+len(line)+1 > maxManifestBytes {
		return nil, fmt.Errorf("the manifest would grow past %d bytes, the reader's limit: start a new store", maxManifestBytes)
	}
	out := make([]byte, 0, len(raw)+len(line)+1)
	out = append(out, raw...)
	out = append(out, line...)
	return append(out, '\n'), nil
}

// current returns the newest version of a run, or nil.
func (m *manifest) current(k runKey) *Entry {
	if i, ok := m.latest[k]; ok {
		return &m.entries[i]
	}
	return nil
}

// teamRuns lists the run tags a team has for a task.
func (m *manifest) teamRuns(task, team string) []string {
	var tags []string
	for k := range m.latest {
		if k.task == task && k.team == team {
			tags = append(tags, k.tag)
		}
	}
	return tags
}
