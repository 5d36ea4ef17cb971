package ship

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// table is a parsed delimited source file: a header and its records, each
// with the line it started on, so that every complaint names file:line.
type table struct {
	name   string // path relative to the root, for messages
	header []string
	rows   [][]string
	lines  []int
	col    map[string]int
}

// readTable reads a comma- or tab-separated file under root. Every record
// must have as many fields as the header; a header naming a column twice is
// an error.
func readTable(root, rel string, sep rune) (*table, error) {
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		return nil, err
	}
	return parseTable(rel, data, sep)
}

func parseTable(name string, data []byte, sep rune) (*table, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = sep
	r.ReuseRecord = false
	t := &table{name: name, col: map[string]int{}}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("%s:%d: %v", name, pe.Line, pe.Err)
			}
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		line, _ := r.FieldPos(0)
		if t.header == nil {
			t.header = rec
			for i, h := range rec {
				if _, dup := t.col[h]; dup {
					return nil, fmt.Errorf("%s:%d: column %q appears twice in the header", name, line, h)
				}
				t.col[h] = i
			}
			continue
		}
		t.rows = append(t.rows, rec)
		t.lines = append(t.lines, line)
	}
	if t.header == nil {
		return nil, fmt.Errorf("%s: empty file (no header)", name)
	}
	return t, nil
}

// require returns the indices of the named columns, or an error listing
// those the header lacks.
func (t *table) require(names ...string) ([]int, error) {
	idx := make([]int, len(names))
	var missing []string
	for i, n := range names {
		j, ok := t.col[n]
		if !ok {
			missing = append(missing, fmt.Sprintf("%q", n))
		}
		idx[i] = j
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s:1: header lacks column(s) %s", t.name, strings.Join(missing, ", "))
	}
	return idx, nil
}

// errorf formats a complaint about row i.
func (t *table) errorf(i int, format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", t.name, t.lines[i], fmt.Sprintf(format, args...))
}

// checkID rejects an identifier that cannot be a TREC field.
func checkID(s string) error {
	if s == "" {
		return fmt.Errorf("empty identifier")
	}
	if strings.IndexFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) >= 0 {
		return fmt.Errorf("identifier %q contains white space or control characters", s)
	}
	return nil
}
