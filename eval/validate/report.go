package validate

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/ntcir-pmr/mreval/internal/safetext"
)

// Severity says whether a problem makes the run invalid.
type Severity string

const (
	// Error makes the run invalid.
	Error Severity = "error"
	// Warning is reported, but the run is accepted as is.
	Warning Severity = "warning"
)

// Problem codes: stable, machine-readable kinds of problem. The list with
// an example of each is in docs/submitting.md.
const (
	CodeOpen          = "open"           // the file cannot be opened
	CodeRead          = "read"           // read error
	CodeTooLarge      = "too-large"      // beyond the size limit
	CodeGzipBomb      = "gzip-bomb"      // gzip expands beyond the ratio limit
	CodeGzip          = "gzip"           // corrupt gzip data
	CodeTooManyLines  = "too-many-lines" // more lines than the validator counts
	CodeEncoding      = "encoding"       // UTF-16 instead of UTF-8
	CodeUTF8          = "utf8"           // invalid UTF-8
	CodeNUL           = "nul"            // NUL byte (trecfmt)
	CodeLineLength    = "line-length"    // line too long (trecfmt)
	CodeBOM           = "bom"            // UTF-8 byte order mark (warning)
	CodeCRLF          = "crlf"           // CRLF line ends (warning)
	CodeFields        = "fields"         // not 6 fields (trecfmt)
	CodeIter          = "iter"           // iteration column not Q0 or 0
	CodeIterZero      = "iter-0"         // iteration column 0 (warning)
	CodeRank          = "rank"           // rank not a positive integer
	CodeScore         = "score"          // score not a finite number (trecfmt)
	CodeTag           = "tag"            // run tag syntax
	CodeTagMismatch   = "tag-mismatch"   // run tag differs between lines
	CodeUnknownTopic  = "unknown-topic"  // topic not in the topic list
	CodeNotInPool     = "not-in-pool"    // docno not in the pool
	CodeDuplicate     = "duplicate"      // (topic, docno) twice
	CodeRankRepeated  = "rank-repeated"  // a rank used twice in a topic (warning)
	CodeRankOrder     = "rank-order"     // ranks disagree with the score order (warning)
	CodeEmpty         = "empty"          // no run lines
	CodeMissingTopics = "missing-topics" // topics of the list absent
	CodeMissingModels = "missing-models" // Subtask A: pool models absent for a topic
	CodeDepth         = "depth"          // Subtask B: too many documents for a topic
	CodeSysdesc       = "sysdesc"        // malformed or misplaced <SYSDESC> line (trecfmt)
	CodeSysdescNeeded = "sysdesc-needed" // --require-sysdesc: no <SYSDESC> first line, or an empty one
	CodeRunName       = "run-name"       // run tag does not follow the run name pattern
)

// Problem is one finding of the validator. Line is 0 for a problem of the
// whole file, Col 0 for a problem of the whole line.
type Problem struct {
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Col      int      `json:"column"`
	Code     string   `json:"code"`
	Severity Severity `json:"severity"`
	Msg      string   `json:"message"`
}

// String formats the problem as `file:line:col: severity: message [code]`,
// the file name quoted when it could forge a line (safetext.Name).
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(safetext.Name(p.File))
	if p.Line > 0 {
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(p.Line))
		if p.Col > 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(p.Col))
		}
	}
	fmt.Fprintf(&b, ": %s: %s [%s]", p.Severity, p.Msg, p.Code)
	return b.String()
}

// Report is the outcome of validating one file.
type Report struct {
	File string `json:"file"`
	Task Task   `json:"task"`
	// Tag is the run tag of the first run line.
	Tag string `json:"tag"`
	// Description is the system description of the <SYSDESC> first line.
	Description string `json:"description,omitempty"`
	// Name is what the run tag says through the run name pattern (nil
	// without a pattern, or when the tag does not follow it).
	Name *NameParts `json:"name,omitempty"`
	// Lines counts the lines read; RunLines the non-blank ones.
	Lines    int `json:"lines"`
	RunLines int `json:"run_lines"`
	// Topics counts the topics of the list the run ranks; TopicsExpected
	// is the size of the list.
	Topics         int `json:"topics"`
	TopicsExpected int `json:"topics_expected"`
	// Errors and Warnings count every problem, shown or not.
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	// Complete is false when reading stopped before the end of the file
	// (size limit, corrupt gzip, ...); whole-file checks are then skipped.
	Complete bool `json:"complete"`
	// Problems are the problems shown, in file order, whole-file problems
	// last; at most MaxPerKind of each code.
	Problems []Problem `json:"problems"`
	// Omitted counts, per code, the problems not shown.
	Omitted map[string]int `json:"omitted"`

	maxPerKind int
	shown      map[string]int
}

func (v *Validator) newReport(file string) *Report {
	return &Report{File: file, Task: v.rules.Task, TopicsExpected: len(v.topics), Complete: true,
		maxPerKind: v.rules.MaxPerKind, Omitted: map[string]int{}, shown: map[string]int{}, Problems: []Problem{}}
}

// Valid reports whether the run has no errors (warnings allowed).
func (r *Report) Valid() bool { return r.Errors == 0 }

func (r *Report) add(p Problem) {
	if p.File == "" {
		p.File = r.File
	}
	if p.Severity == Error {
		r.Errors++
	} else {
		r.Warnings++
	}
	if r.maxPerKind >= 0 && r.shown[p.Code] >= r.maxPerKind {
		r.Omitted[p.Code]++
		return
	}
	r.shown[p.Code]++
	r.Problems = append(r.Problems, p)
}

func (r *Report) addf(sev Severity, line, col int, code, format string, args ...any) {
	r.add(Problem{Line: line, Col: col, Code: code, Severity: sev, Msg: fmt.Sprintf(format, args...)})
}

// finish puts the problems into reading order: by line and column, the
// whole-file problems (line 0) last, ties in the order found.
func (r *Report) finish() {
	type item struct {
		p   Problem
		seq int
	}
	items := make([]item, len(r.Problems))
	for i, p := range r.Problems {
		items[i] = item{p, i}
	}
	lineKey := func(l int) int {
		if l == 0 {
			return int(^uint(0) >> 1)
		}
		return l
	}
	slices.SortStableFunc(items, func(a, b item) int {
		return cmp.Or(cmp.Compare(lineKey(a.p.Line), lineKey(b.p.Line)), cmp.Compare(a.p.Col, b.p.Col), cmp.Compare(a.seq, b.seq))
	})
	for i := range items {
		r.Problems[i] = items[i].p
	}
}

// Summary is the one-line verdict, e.g.
// `run.txt: INVALID: 3 errors, 1 warning (run tag "x"; 12 of 12 topics; 32,400 run lines)`.
func (r *Report) Summary() string {
	var b strings.Builder
	b.WriteString(safetext.Name(r.File))
	if r.Valid() {
		b.WriteString(": valid")
		if r.Warnings > 0 {
			b.WriteString(", ")
			b.WriteString(plural(r.Warnings, "warning"))
		}
	} else {
		b.WriteString(": INVALID: ")
		b.WriteString(plural(r.Errors, "error"))
		if r.Warnings > 0 {
			b.WriteString(", ")
			b.WriteString(plural(r.Warnings, "warning"))
		}
	}
	fmt.Fprintf(&b, " (Subtask %s", r.Task)
	if r.Tag != "" {
		fmt.Fprintf(&b, "; run tag %q", r.Tag)
	}
	if r.Name != nil {
		fmt.Fprintf(&b, " (%s)", r.Name.Describe())
	}
	fmt.Fprintf(&b, "; %s of %s topics; %s)", Commas(r.Topics), Commas(r.TopicsExpected), plural(r.RunLines, "run line"))
	return b.String()
}

// WriteText writes the shown problems, one per line, each code's "... and
// N more like this" after its last shown problem, then the summary line.
func (r *Report) WriteText(w io.Writer) error {
	last := map[string]int{}
	for i, p := range r.Problems {
		last[p.Code] = i
	}
	var b strings.Builder
	for i, p := range r.Problems {
		b.WriteString(p.String())
		b.WriteByte('\n')
		if n := r.Omitted[p.Code]; n > 0 && last[p.Code] == i {
			fmt.Fprintf(&b, "%s: ... and %s more like this [%s]\n", safetext.Name(r.File), Commas(n), p.Code)
		}
	}
	if r.Description != "" {
		fmt.Fprintf(&b, "%s: system description: %q\n", safetext.Name(r.File), r.Description)
	}
	b.WriteString(r.Summary())
	b.WriteByte('\n')
	_, err := io.WriteString(w, b.String())
	return err
}

// MarshalJSON gives the report with its verdict (`valid`, `summary`).
func (r *Report) MarshalJSON() ([]byte, error) {
	type plain Report // without this method
	return json.Marshal(struct {
		*plain
		Valid   bool   `json:"valid"`
		Summary string `json:"summary"`
	}{(*plain)(r), r.Valid(), r.Summary()})
}

// WriteJSON writes the reports of several files as one JSON document:
// {"valid": all valid, "files": [report, ...]}.
func WriteJSON(w io.Writer, reports []*Report) error {
	valid := true
	for _, r := range reports {
		valid = valid && r.Valid()
	}
	if reports == nil {
		reports = []*Report{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Valid bool      `json:"valid"`
		Files []*Report `json:"files"`
	}{valid, reports})
}

// Commas writes n with thousands separators: 12345 → "12,345".
func Commas[T int | int64 | uint32](n T) string {
	s := strconv.FormatInt(int64(n), 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return Commas(n) + " " + word + "s"
}
