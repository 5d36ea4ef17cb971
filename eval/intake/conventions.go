package intake

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/ntcir-pmr/mreval/eval/fsutil"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/ntcir-pmr/mreval/eval/validate"
	"github.com/ntcir-pmr/mreval/internal/safetext"
)

// The NTCIR run conventions in the store (format 3): the store's run name
// pattern in the manifest header, and per entry the system description
// and what the run tag says.

// format2ManifestName keeps the manifest of a store migrated from format 2.
const format2ManifestName = "MANIFEST.format2.jsonl"

// MaxDescription bounds a stored system description in bytes: the
// validator's default line limit, so that a description always fits the
// manifest's lines, whatever --max-line an intake was given.
const MaxDescription = 4 << 10

var namePart = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9_.]{1,64}$`) })

// checkConventions checks the format-3 fields of an entry as the reader
// and the writer must: a description that fits, in printable UTF-8; name
// parts a run tag could hold; a pattern that parses, present exactly when
// parts are.
func (e *Entry) checkConventions() error {
	if len(e.Description) > MaxDescription {
		return fmt.Errorf("system description of %d bytes, more than %d", len(e.Description), MaxDescription)
	}
	if !utf8.ValidString(e.Description) || !trecfmt.PrintableDescription(e.Description) {
		return fmt.Errorf("system description %s is not printable UTF-8", clipQuote(e.Description))
	}
	if (e.Name == nil) != (e.RunName == "") {
		return errors.New("run name parts and run name pattern go together")
	}
	if e.Name == nil {
		return nil
	}
	if _, err := validate.ParseNamePattern(e.RunName); err != nil {
		return err
	}
	for _, part := range []string{e.Name.Team, e.Name.Subtask} {
		if part != "" && !namePart().MatchString(part) {
			return fmt.Errorf("run name part %s is not 1 to 64 characters from A-Z a-z 0-9 _ .", clipQuote(part))
		}
	}
	if e.Name.Priority < 0 || e.Name.Priority > validate.MaxPriority {
		return fmt.Errorf("priority %d is outside 0..%d", e.Name.Priority, validate.MaxPriority)
	}
	return nil
}

// storeRules returns v with the store's run name pattern, read from the
// manifest header without the lock (the manifest is replaced whole; the
// commit checks again under the lock, samePattern). A validator with a
// pattern of its own must agree with the store's.
func (s *Store) storeRules(f *storeFS, v *validate.Validator) (*validate.Validator, error) {
	m, err := readManifest(f)
	if err != nil {
		return nil, err
	}
	if m.format != Format {
		return nil, oldFormatError(s.Dir, m.format)
	}
	if m.header.RunName == "" {
		return v, nil
	}
	if own := v.Rules().RunName; own != nil {
		if own.String() != m.header.RunName {
			return nil, fmt.Errorf("run name pattern %s differs from the store's %s (set with 'mreval intake settings')", own, m.header.RunName)
		}
		return v, nil
	}
	p, err := validate.ParseNamePattern(m.header.RunName)
	if err != nil {
		return nil, err
	}
	return v.WithRunName(p), nil
}

// samePattern checks, under the lock, that the store's pattern is still the
// one the run was validated with.
func samePattern(m *manifest, v *validate.Validator) error {
	if m.header.RunName == "" {
		return nil
	}
	if p := v.Rules().RunName; p == nil || p.String() != m.header.RunName {
		return fmt.Errorf("the store's run name pattern changed to %s during the intake; submit the run again", m.header.RunName)
	}
	return nil
}

// conventionRefusal says why a valid run cannot be stored under the
// conventions, or "": its name claims another team, or its description
// is longer than the store keeps.
func conventionRefusal(rep *validate.Report, nr *validate.NormalRun, team string) string {
	if d := nr.Description(); len(d) > MaxDescription {
		return fmt.Sprintf("the system description is %s bytes long; the store keeps at most %s", validate.Commas(int64(len(d))), validate.Commas(MaxDescription))
	}
	if rep.Name != nil && rep.Name.Team != "" && !strings.EqualFold(rep.Name.Team, team) {
		return fmt.Sprintf("run tag %q names team %q, but it is submitted by team %q", rep.Tag, rep.Name.Team, team)
	}
	return ""
}

// migrateFrom migrates a store of an older format, with the exclusive lock
// held.
func (s *Store) migrateFrom(f *storeFS, m *manifest) ([]string, error) {
	if m.format == 1 {
		return s.migrate(f)
	}
	return s.migrate2(f, m)
}

// migrate2 turns a format-2 store into format 3: no file moves, the
// manifest gets the format-3 header and keeps its entries byte for byte
// in meaning. The old manifest is kept as MANIFEST.format2.jsonl; the new
// one, renamed over it, is the commit, so an interrupted migration leaves
// a format-2 store to migrate again.
func (s *Store) migrate2(f *storeFS, m *manifest) ([]string, error) {
	if kept, err := readFileIn(f, format2ManifestName); errors.Is(err, fs.ErrNotExist) {
		if err := fsutil.CreateIn(f.root, format2ManifestName, 0o444, func(w io.Writer) error {
			_, err := w.Write(m.raw)
			return err
		}); err != nil {
			return nil, f.pathError("write", format2ManifestName, err)
		}
	} else if err != nil {
		return nil, err
	} else if !bytes.Equal(kept, m.raw) {
		return nil, fmt.Errorf("%s exists and is not a copy of %s; move it out of the store and run verify --repair again",
			safetext.Name(f.abs(format2ManifestName)), safetext.Name(f.abs(ManifestName)))
	}
	data, err := encodeManifest("", m.entries)
	if err != nil {
		return nil, err
	}
	if err := s.writeManifest(f, data); err != nil {
		return nil, err
	}
	hook("migrated")
	return []string{fmt.Sprintf("migrated the store from format 2 to format %d: the same %d versions of %d runs, whose entries may now record the system description and the run name's parts; the old manifest is kept as %s",
		Format, len(m.entries), len(m.latest), format2ManifestName)}, nil
}

// RunNamePattern returns the store's run name pattern ("" = none).
func RunNamePattern(dir string) (string, error) {
	f, m, err := readCommitted(dir)
	if err != nil {
		return "", err
	}
	f.close()
	return m.header.RunName, nil
}

// SetRunName sets the store's run name pattern ("" removes it): every
// later intake checks run tags against it and records what they say.
// Runs already stored keep what they were accepted with. The manifest is
// rewritten whole under the exclusive lock, the store's one commit point.
func (s *Store) SetRunName(pattern string) error {
	if pattern != "" {
		if _, err := validate.ParseNamePattern(pattern); err != nil {
			return err
		}
	}
	f, err := openStoreFS(s.Dir)
	if err != nil {
		return err
	}
	defer f.close()
	lk, err := lockStore(f, true)
	if err != nil {
		return err
	}
	defer lk.unlock()
	m, err := readManifest(f)
	if err != nil {
		return err
	}
	if m.format != Format {
		return oldFormatError(s.Dir, m.format)
	}
	data, err := encodeManifest(pattern, m.entries)
	if err != nil {
		return err
	}
	return s.writeManifest(f, data)
}
