package trecfmt

import (
	"unicode"
	"unicode/utf8"

	"github.com/ntcir-pmr/mreval/eval"
)

// ReadIDListFile reads a list of identifiers, one per line (topics files,
// pool files). Surrounding white space is trimmed and blank lines skipped;
// an identifier containing white space or listed twice is an error.
func ReadIDListFile(path string, lim Limits) ([]string, error) {
	return readFile(path, lim, ReadIDList)
}

// ReadIDList is ReadIDListFile on an opened source.
// A list holds at most lim.MaxEntries identifiers.
func ReadIDList(src *Source, lim Limits) ([]string, error) {
	lim = lim.WithDefaults()
	s := NewScanner(src, lim)
	var ids []string
	seen := map[string]int{}
	err := forEachDataLine(s, lim.MaxEntries, func() error {
		f := s.Fields()
		if len(f) != 1 {
			return errorf(src.Name, s.Line(), s.FieldColumn(1), "fields",
				"expected one identifier per line, found %d fields", len(f))
		}
		if col := badIDByte(f[0]); col >= 0 {
			return errorf(src.Name, s.Line(), s.FieldColumn(0)+col, "id",
				"the identifier is not valid UTF-8 text or holds a control character")
		}
		id := string(f[0])
		if prev, dup := seen[id]; dup {
			return errorf(src.Name, s.Line(), 0, "duplicate", "%q is listed twice (lines %d and %d)", id, prev, s.Line())
		}
		seen[id] = s.Line()
		ids = append(ids, id)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// RestrictTopics keeps only the listed topics of q and run (either may be
// nil). It returns the listed topics that q does not judge, so the caller
// can say so rather than silently shrinking the evaluation.
func RestrictTopics(topics []string, q *eval.Qrels, runs ...*eval.Run) (missing []string) {
	keep := make(map[string]bool, len(topics))
	for _, t := range topics {
		keep[t] = true
		if q != nil && q.ByID[t] == nil {
			missing = append(missing, t)
		}
	}
	if q != nil {
		q.Topics = filterTopics(q.Topics, keep)
		for t := range q.ByID {
			if !keep[t] {
				delete(q.ByID, t)
			}
		}
	}
	for _, r := range runs {
		if r == nil {
			continue
		}
		r.Topics = filterTopics(r.Topics, keep)
		for t := range r.ByID {
			if !keep[t] {
				delete(r.ByID, t)
			}
		}
	}
	return missing
}

func filterTopics(ts []string, keep map[string]bool) []string {
	out := ts[:0]
	for _, t := range ts {
		if keep[t] {
			out = append(out, t)
		}
	}
	return out
}

// badIDByte returns the offset of the first byte of id that is not part of
// printable UTF-8 text, or -1: an identifier is echoed in messages and
// written to files, so it must not carry escapes or invalid bytes.
func badIDByte(id []byte) int {
	for i := 0; i < len(id); {
		r, size := utf8.DecodeRune(id[i:])
		if r == utf8.RuneError && size <= 1 || unicode.IsControl(r) {
			return i
		}
		i += size
	}
	return -1
}
