// Package expect checks scores against a file of expected scores, the JSON
// that `mreval eval --format json` writes (eval/report.WriteJSON): one run
// object, or an array of them. It reads that file strictly (every key known,
// none repeated, every value a finite number or null, positions in every
// error), compares it with freshly computed scores under a tolerance, and
// orders the differences for a drift report.
package expect

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/ntcir-pmr/mreval/eval/measure"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
)

// DefaultMaxBytes bounds the size of an expected-scores file. A per-topic
// file of 8 runs × 12 topics × 4 measures is 6 kB; 256 MiB leaves room for
// runs over hundreds of thousands of topics without letting a wrong path
// (a disk image, /dev/zero) exhaust memory.
const DefaultMaxBytes = 256 << 20

// Scores are the values of one run. A NaN value is JSON null (undefined);
// an absent key is an absent value, which is not the same thing.
type Scores struct {
	Run  string
	File string
	// Line is where the run's object starts in the expected file (0 for
	// computed scores).
	Line int
	// PerTopic maps topic → measure → value.
	PerTopic map[string]map[string]float64
	// All maps measure → aggregate value.
	All map[string]float64
	// Measures lists every measure name met, in first-seen order.
	Measures []string
}

func newScores() *Scores {
	return &Scores{PerTopic: map[string]map[string]float64{}, All: map[string]float64{}}
}

func (s *Scores) noteMeasure(seen map[string]bool, name string) {
	if !seen[name] {
		seen[name] = true
		s.Measures = append(s.Measures, name)
	}
}

// File is a parsed expected-scores file.
type File struct {
	Name string
	Runs []*Scores
}

// Measures lists the measure names of every run, in first-seen order: the
// measures to compute when the user names none.
func (f *File) Measures() []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range f.Runs {
		for _, m := range r.Measures {
			if !seen[m] {
				seen[m] = true
				out = append(out, m)
			}
		}
	}
	return out
}

// HasPerTopic tells whether any run holds per-topic values, i.e. whether
// the file was written with -q.
func (f *File) HasPerTopic() bool {
	for _, r := range f.Runs {
		if len(r.PerTopic) > 0 {
			return true
		}
	}
	return false
}

// Read reads and parses an expected-scores file ("-" = standard input;
// gzip is read transparently) within lim; a MaxBytes of 0 means
// DefaultMaxBytes.
func Read(path string, lim trecfmt.Limits) (*File, error) {
	if lim.MaxBytes <= 0 {
		lim.MaxBytes = DefaultMaxBytes
	}
	src, err := trecfmt.Open(path, lim)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	data, err := io.ReadAll(src)
	if err != nil {
		return nil, err
	}
	return Parse(src.Name, data)
}

// Parse parses the JSON of an expected-scores file; name is used in
// error messages, which give name:line:column.
func Parse(name string, data []byte) (*File, error) {
	p := &parser{name: name, data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	p.dec.UseNumber()
	f, err := p.file()
	if err != nil {
		return nil, err
	}
	return f, nil
}

type parser struct {
	name string
	data []byte
	dec  *json.Decoder
	// start is the offset at which the last token read begins (roughly:
	// after the previous token, so it may point at white space before it).
	start int64
}

// Error is a problem at a place in an expected-scores file.
type Error struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg) }

// errorAt builds an Error at byte offset off of the input.
func (p *parser) errorAt(off int64, format string, args ...any) *Error {
	off = min(max(off, 0), int64(len(p.data)))
	// Skip the white space and separator between the previous token and
	// this one, so that the position names the token itself.
	for off < int64(len(p.data)) && isSeparator(p.data[off]) {
		off++
	}
	before := p.data[:off]
	line := bytes.Count(before, []byte{'\n'}) + 1
	col := int(off) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return &Error{File: p.name, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

func isSeparator(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == ',' || b == ':'
}

// errorf reports a problem with the last token read.
func (p *parser) errorf(format string, args ...any) *Error {
	return p.errorAt(p.start, format, args...)
}

// token reads the next token, turning JSON syntax errors into positioned
// errors.
func (p *parser) token() (json.Token, error) {
	p.start = p.dec.InputOffset()
	tok, err := p.dec.Token()
	if err == nil {
		return tok, nil
	}
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &syn):
		return nil, p.errorAt(syn.Offset-1, "invalid JSON: %v", syn)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return nil, p.errorAt(int64(len(p.data)), "unexpected end of file (truncated JSON?)")
	}
	return nil, p.errorf("invalid JSON: %v", err)
}

func (p *parser) delim(want json.Delim, what string) error {
	tok, err := p.token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return p.errorf("%s: expected %q, found %s", what, string(want), describe(tok))
	}
	return nil
}

func describe(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		return strconv.Quote(string(v))
	case string:
		return "the string " + strconv.Quote(clip(v))
	case json.Number:
		return "the number " + clip(string(v))
	case bool:
		return strconv.FormatBool(v)
	case nil:
		return "null"
	}
	return fmt.Sprint(tok)
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// file: a run object, or a non-empty array of them, and nothing after.
func (p *parser) file() (*File, error) {
	f := &File{Name: p.name}
	tok, err := p.token()
	if err != nil {
		return nil, err
	}
	tags := map[string]int{}
	addRun := func() error {
		s, err := p.run()
		if err != nil {
			return err
		}
		if prev, dup := tags[s.Run]; dup {
			return p.errorAt(p.offsetOfLine(s.Line), "run %q appears twice (first at line %d); runs are matched by their tag", s.Run, prev)
		}
		tags[s.Run] = s.Line
		f.Runs = append(f.Runs, s)
		return nil
	}
	switch tok {
	case json.Delim('{'):
		if err := addRun(); err != nil {
			return nil, err
		}
	case json.Delim('['):
		for p.dec.More() {
			if err := p.delim('{', "run"); err != nil {
				return nil, err
			}
			if err := addRun(); err != nil {
				return nil, err
			}
		}
		if _, err := p.token(); err != nil { // the closing ']'
			return nil, err
		}
		if len(f.Runs) == 0 {
			return nil, p.errorf("no runs: the array is empty")
		}
	default:
		return nil, p.errorf("expected a run object or an array of them (the output of `mreval eval --format json`), found %s", describe(tok))
	}
	if end := p.dec.InputOffset(); len(bytes.TrimSpace(p.data[end:])) > 0 {
		return nil, p.errorAt(end, "unexpected data after the end of the JSON value")
	}
	return f, nil
}

func (p *parser) offsetOfLine(line int) int64 {
	off := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(p.data[off:], '\n')
		if i < 0 {
			break
		}
		off += i + 1
	}
	return int64(off)
}

// run reads the members of a run object whose '{' has been read.
func (p *parser) run() (*Scores, error) {
	s := newScores()
	open := p.errorAt(p.start, "")
	s.Line = open.Line
	seenKey := map[string]bool{}
	seenMeasure := map[string]bool{}
	for p.dec.More() {
		key, err := p.key(seenKey, "run object")
		if err != nil {
			return nil, err
		}
		switch key {
		case "run":
			if s.Run, err = p.str(key); err != nil {
				return nil, err
			}
		case "file":
			if s.File, err = p.str(key); err != nil {
				return nil, err
			}
		case "per_topic":
			err = p.object("per_topic", func(topic string) error {
				values := map[string]float64{}
				s.PerTopic[topic] = values
				return p.values("topic "+strconv.Quote(topic), values, func(m string) { s.noteMeasure(seenMeasure, m) })
			})
		case "all":
			err = p.values(`"all"`, s.All, func(m string) { s.noteMeasure(seenMeasure, m) })
		default:
			return nil, p.errorf("unknown key %q in a run object (expected run, file, per_topic, all)", key)
		}
		if err != nil {
			return nil, err
		}
	}
	if _, err := p.token(); err != nil { // the closing '}'
		return nil, err
	}
	for _, required := range []string{"run", "all"} {
		if !seenKey[required] {
			return nil, p.errorAt(p.offsetOfLine(s.Line), "run object lacks the key %q", required)
		}
	}
	return s, nil
}

// key reads an object key, refusing a repeated one: encoding/json would
// silently keep the last, and an expected value must never be dropped.
func (p *parser) key(seen map[string]bool, where string) (string, error) {
	tok, err := p.token()
	if err != nil {
		return "", err
	}
	key, ok := tok.(string)
	if !ok {
		return "", p.errorf("%s: expected a key, found %s", where, describe(tok))
	}
	if seen[key] {
		return "", p.errorf("%s: key %q appears twice", where, key)
	}
	seen[key] = true
	return key, nil
}

func (p *parser) str(key string) (string, error) {
	tok, err := p.token()
	if err != nil {
		return "", err
	}
	s, ok := tok.(string)
	if !ok {
		return "", p.errorf("%q must be a string, not %s", key, describe(tok))
	}
	return s, nil
}

// object reads an object whose members are each read by member.
func (p *parser) object(what string, member func(key string) error) error {
	if err := p.delim('{', what); err != nil {
		return err
	}
	seen := map[string]bool{}
	for p.dec.More() {
		key, err := p.key(seen, what)
		if err != nil {
			return err
		}
		if err := member(key); err != nil {
			return err
		}
	}
	_, err := p.token()
	return err
}

// values reads an object of measure → number|null.
func (p *parser) values(what string, into map[string]float64, note func(string)) error {
	return p.object(what, func(m string) error {
		if m == "" {
			return p.errorf("%s: empty measure name", what)
		}
		tok, err := p.token()
		if err != nil {
			return err
		}
		switch v := tok.(type) {
		case nil:
			into[m] = math.NaN()
		case json.Number:
			x, err := strconv.ParseFloat(string(v), 64)
			if err != nil || math.IsInf(x, 0) {
				return p.errorf("%s, %s: %s is out of range", what, m, clip(string(v)))
			}
			into[m] = x
		default:
			return p.errorf("%s, %s: expected a number or null, found %s", what, m, describe(tok))
		}
		note(m)
		return nil
	})
}

// FromResults turns computed results into Scores the way
// report.WriteJSON writes them: per-topic values (when perTopic) for every
// scored topic, except for families without per-topic values.
func FromResults(results []*measure.Result, perTopic bool) []*Scores {
	out := make([]*Scores, 0, len(results))
	for _, r := range results {
		s := newScores()
		s.Run, s.File = r.Run.Tag, r.Run.File
		seen := map[string]bool{}
		if perTopic {
			for i, topic := range r.Topics {
				values := map[string]float64{}
				for c, col := range r.Columns {
					if !col.Family.NoPerTopic {
						values[col.Name] = r.PerTopic[i][c]
						s.noteMeasure(seen, col.Name)
					}
				}
				s.PerTopic[topic] = values
			}
		}
		for c, col := range r.Columns {
			s.All[col.Name] = r.All[c]
			s.noteMeasure(seen, col.Name)
		}
		out = append(out, s)
	}
	return out
}
