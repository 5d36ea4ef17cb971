package trecfmt

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/internal/safetext"
	"github.com/ntcir-pmr/mreval/internal/workers"
)

// RunLine is one parsed line of a run file. The byte slices alias the
// scanner's buffer and are valid until the next Scan.
type RunLine struct {
	Topic, Iter, Doc, Tag []byte
	Rank                  int
	Score                 float64
}

// ParseRunLine checks and splits the fields of one run line:
// `topic iter docno rank score tag`. Fields after the tag are ignored, as
// trec_eval ignores them (its own test/results.trunc has them). It is the
// one place where the syntax of a run line is decided; the reader and the
// validator both call it. It returns the first problem of the line;
// CheckRunLine returns them all.
func ParseRunLine(s *Scanner) (RunLine, *Error) {
	if p := checkFieldCount(s, false); p != nil {
		return RunLine{}, p
	}
	l := splitRunLine(s)
	var p *Error
	if l.Rank, p = parseRank(s); p != nil {
		return RunLine{}, p
	}
	if l.Score, p = parseScore(s); p != nil {
		return RunLine{}, p
	}
	return l, nil
}

// CheckRunLine is ParseRunLine reporting every problem of the line rather
// than the first, for the validator, which also refuses fields after the
// tag (a submission has exactly 6; a 7th is most often a run tag with a
// space). With a wrong number of fields only that problem is returned and
// l is zero. Otherwise l holds the four text fields, and Rank and Score
// wherever they parsed (RankOK, ScoreOK).
// It allocates only when the line has problems.
func CheckRunLine(s *Scanner) (l RunLine, rankOK, scoreOK bool, problems []*Error) {
	if p := checkFieldCount(s, true); p != nil {
		return RunLine{}, false, false, []*Error{p}
	}
	l = splitRunLine(s)
	var p *Error
	if l.Rank, p = parseRank(s); p != nil {
		problems = append(problems, p)
	}
	rankOK = p == nil
	if l.Score, p = parseScore(s); p != nil {
		problems = append(problems, p)
	}
	scoreOK = p == nil
	return l, rankOK, scoreOK, problems
}

func checkFieldCount(s *Scanner, exact bool) *Error {
	n := len(s.Fields())
	if n < 6 || n > 6 && exact {
		return errorf(s.Name, s.Line(), 0, "fields",
			"expected 6 fields (topic Q0 docno rank score tag), found %d", n)
	}
	// Fields after the tag are ignored, which must not swallow further
	// lines: a file with CR-only line ends is one line whose "extra
	// fields" are every run line after the first.
	if n > 6 {
		if i := bytes.IndexByte(s.Bytes(), '\r'); i >= 0 {
			return errorf(s.Name, s.Line(), i+1, "cr",
				"carriage return inside a line (old Mac line ends? save the file with LF or CRLF line ends)")
		}
	}
	return nil
}

func splitRunLine(s *Scanner) RunLine {
	f := s.Fields()
	return RunLine{Topic: f[0], Iter: f[1], Doc: f[2], Tag: f[5]}
}

func parseRank(s *Scanner) (int, *Error) {
	f := s.Fields()[3]
	rank, err := strconv.Atoi(string(f))
	if err != nil {
		return 0, errorf(s.Name, s.Line(), s.FieldColumn(3), "rank",
			"rank %q is not an integer", clip(f))
	}
	return rank, nil
}

func parseScore(s *Scanner) (float64, *Error) {
	return parseNumberField(s, 4, "score", "score")
}

// parseNumberField reads field i as a number (ParseNumber); a refusal
// points at the offending byte of the field.
func parseNumberField(s *Scanner, i int, code, what string) (float64, *Error) {
	f := s.Fields()[i]
	v, err := ParseNumber(f)
	if err != nil {
		ne := err.(*NumberError)
		return 0, errorf(s.Name, s.Line(), s.FieldColumn(i)+ne.Offset, code, "%s %q is %s", what, clip(f), ne)
	}
	return v, nil
}

// clip shortens a field for an error message.
func clip(b []byte) string {
	const max = 40
	if len(b) > max {
		return string(b[:max]) + "…"
	}
	return string(b)
}

// lineProblem returns the error for a line that cannot be data at all: too
// long or holding NUL bytes. Both readers and the validator use it.
func lineProblem(s *Scanner) *Error {
	if s.TooLong() {
		return errorf(s.Name, s.Line(), 0, "line-length", "line longer than %d bytes (raise --%s if this is intended)", s.maxLine, FlagMaxLine)
	}
	if i := bytes.IndexByte(s.Bytes(), 0); i >= 0 {
		return errorf(s.Name, s.Line(), i+1, "nul", "NUL byte in line (binary file?)")
	}
	// A byte order mark is only stripped at the start of the input. One
	// inside it (files with BOMs concatenated) would otherwise become part
	// of an identifier: "\ufeffcola" is silently another topic than "cola".
	if i := bytes.Index(s.Bytes(), bom); i >= 0 {
		return errorf(s.Name, s.Line(), i+1, "bom-inside", "byte order mark (U+FEFF) inside the file (were files with byte order marks concatenated?)")
	}
	return nil
}

// LineProblem is lineProblem for callers outside the package.
func LineProblem(s *Scanner) *Error { return lineProblem(s) }

// IsBlank reports whether the current line holds only white space.
func IsBlank(s *Scanner) bool { return len(s.Fields()) == 0 }

// ReadRunFile reads a TREC run from path ("-" = stdin, gzip transparent).
func ReadRunFile(path string, lim Limits) (*eval.Run, error) {
	return readFile(path, lim, ReadRun)
}

// readFile opens path and hands it to read, closing it afterwards.
func readFile[T any](path string, lim Limits, read func(*Source, Limits) (T, error)) (T, error) {
	src, err := Open(path, lim)
	if err != nil {
		var zero T
		return zero, err
	}
	defer src.Close()
	return read(src, lim)
}

// forEachDataLine calls fn for every line of s that holds data: a line
// that cannot be data (too long, NUL bytes, a stray BOM) ends the loop
// with its error, blank lines are skipped, more than maxEntries data lines
// are an error, and a read error is returned with the line it stopped at.
func forEachDataLine(s *Scanner, maxEntries int, fn func() error) error {
	entries := 0
	for s.Scan() {
		if p := lineProblem(s); p != nil {
			return p
		}
		if IsBlank(s) {
			continue
		}
		if entries++; entries > maxEntries {
			return errorf(s.Name, s.Line(), 0, FlagMaxEntries,
				"more than %d data lines (raise --%s if this is intended)", maxEntries, FlagMaxEntries)
		}
		if err := fn(); err != nil {
			return err
		}
	}
	if err := s.Err(); err != nil {
		return &ReadError{File: s.Name, Line: s.Line() + 1, Err: err}
	}
	return nil
}

// ReadError is a failure of the input itself (a limit of size, gzip ratio
// or time, corrupt gzip, an I/O error) at the line where reading stopped.
// It unwraps to the error of the source (ErrTooLarge, ErrGzipRatio,
// ErrTimeLimit, ErrBadGzip, ...).
type ReadError struct {
	File string
	Line int
	Err  error
}

func (e *ReadError) Error() string {
	// The source's errors start with the file name; put the line after it.
	name := safetext.Name(e.File)
	msg := strings.TrimPrefix(e.Err.Error(), name+": ")
	return fmt.Sprintf("%s:%d: %s", name, e.Line, msg)
}

func (e *ReadError) Unwrap() error { return e.Err }

// topicLimitError is the error for the first topic beyond lim.MaxTopics.
func topicLimitError(s *Scanner, max int) *Error {
	return errorf(s.Name, s.Line(), 0, FlagMaxTopics,
		"more than %d topics (raise --%s if this is intended)", max, FlagMaxTopics)
}

// docsLimitError is the error for the first document of a topic beyond
// lim.MaxDocsPerTopic.
func docsLimitError(s *Scanner, topic string, max int) *Error {
	return errorf(s.Name, s.Line(), 0, FlagMaxDocsPerTopic,
		"topic %q has more than %d documents (raise --%s if this is intended)", clip([]byte(topic)), max, FlagMaxDocsPerTopic)
}

// ReadRun reads a TREC run: `topic Q0 docno rank score tag` lines, ranked
// per topic in evaluation order (eval.CompareEntries). Blank lines are
// skipped; any malformed line, a duplicate (topic, docno) or a non-finite
// score is an error naming the file and line. An empty input gives a run
// with no topics.
func ReadRun(src *Source, lim Limits) (*eval.Run, error) {
	lim = lim.WithDefaults()
	s := NewScanner(src, lim)
	run := &eval.Run{File: src.Name, ByID: map[string]*eval.Ranking{}}
	docs := newDocStore()
	var last *eval.Ranking
	lastLen := 16
	err := forEachDataLine(s, lim.MaxEntries, func() error {
		if IsSysdescLine(s) {
			return readSysdesc(s, run) // sysdesc.go
		}
		l, p := ParseRunLine(s)
		if p != nil {
			return p
		}
		if run.Tag == "" {
			run.Tag = string(l.Tag)
		}
		if string(l.Tag) != run.LastTag {
			run.LastTag = string(l.Tag)
		}
		r := last
		// Runs list a topic's lines together: the topic of the previous
		// line saves a map lookup on nearly every line.
		if r == nil || string(l.Topic) != r.Topic {
			r = run.ByID[string(l.Topic)]
		}
		if r == nil {
			if len(run.ByID) >= lim.MaxTopics {
				return topicLimitError(s, lim.MaxTopics)
			}
			topic := string(l.Topic)
			// Runs rank about as many documents for every topic, so the
			// previous topic's length is a good first capacity and saves
			// the garbage of growing a million-entry list by doubling.
			r = &eval.Ranking{Topic: topic, Entries: make([]eval.Entry, 0, lastLen)}
			run.ByID[topic] = r
		}
		if last != r {
			if last != nil {
				// The previous topic's length, not the longest so far: a
				// million one-line topics after a long one must not get a
				// long list each.
				lastLen = max(1, len(last.Entries))
			}
			last = r
		}
		if len(r.Entries) >= lim.MaxDocsPerTopic {
			return docsLimitError(s, r.Topic, lim.MaxDocsPerTopic)
		}
		if l.Rank > math.MaxInt32 || l.Rank < math.MinInt32 {
			return errorf(s.Name, s.Line(), s.FieldColumn(3), "rank", "rank %d is out of range", l.Rank)
		}
		if s.Line() > math.MaxInt32 {
			return errorf(s.Name, s.Line(), 0, "size", "more than %d lines", math.MaxInt32)
		}
		r.Entries = append(r.Entries, eval.Entry{Score: l.Score, Rank: int32(l.Rank), Line: int32(s.Line())})
		docs.set(r, len(r.Entries)-1, l.Doc)
		return nil
	})
	if err != nil {
		return nil, err
	}
	docs.flush()
	run.Topics = eval.SortedKeys(run.ByID)
	if err := finishRankings(run); err != nil {
		return nil, err
	}
	return run, nil
}

// docStore gives the entries of a run (and the judged documents of qrels)
// their docno strings without one allocation per line. Docnos that recur (the task's runs rank the same
// few thousand models for every topic) are interned; once the interner is
// full and few docnos are found in it (MS MARCO: millions of passages, each
// ranked for one or two topics), docnos are copied into an arena that
// becomes one string per 64 KiB, sliced for each entry.
type docStore struct {
	interned map[string]string
	// Lookups and hits, counted in windows of maxInterned lookups, decide
	// whether a full interner is still worth a lookup per line.
	lookups, hits int
	skipIntern    bool
	arena         []byte
	pending       []pendingDoc // entries whose Doc is in arena
}

// pendingDoc is an entry of a run (r) or a judged document of qrels (q)
// whose docno is arena[off:end].
type pendingDoc struct {
	r           *eval.Ranking
	q           *eval.TopicQrels
	i, off, end int
}

// The interner's capacity and the size of an arena block; variables so
// that tests can cross both with small inputs.
var (
	maxInterned = 1 << 16
	arenaSize   = 1 << 16
)

func newDocStore() *docStore {
	return &docStore{interned: map[string]string{}, arena: make([]byte, 0, arenaSize)}
}

// set gives entry i of r the docno b (which aliases the scanner's buffer).
func (d *docStore) set(r *eval.Ranking, i int, b []byte) {
	if s, ok := d.intern(b); ok {
		r.Entries[i].Doc = s
		return
	}
	d.pend(pendingDoc{r: r, i: i}, b)
}

// setJudged gives judged document i of q the docno b.
func (d *docStore) setJudged(q *eval.TopicQrels, i int, b []byte) {
	if s, ok := d.intern(b); ok {
		q.Docs[i] = s
		return
	}
	d.pend(pendingDoc{q: q, i: i}, b)
}

// intern returns the interned string of b, interning it while there is
// room; ok is false when b is left to the arena.
func (d *docStore) intern(b []byte) (string, bool) {
	if !d.skipIntern {
		if s, ok := d.interned[string(b)]; ok {
			d.hits++
			d.lookups++
			return s, true
		}
		if len(d.interned) < maxInterned {
			s := string(b)
			d.interned[s] = s
			return s, true
		}
		// Full: keep looking up only while at least one docno in four is
		// found. (≥: hits before the interner filled count too.)
		if d.lookups++; d.lookups >= maxInterned {
			d.skipIntern = d.hits < maxInterned/4
			d.lookups, d.hits = 0, 0
		}
	}
	return "", false
}

// pend copies b into the arena for the entry or judged document p.
func (d *docStore) pend(p pendingDoc, b []byte) {
	p.off = len(d.arena)
	d.arena = append(d.arena, b...)
	p.end = len(d.arena)
	d.pending = append(d.pending, p)
	if len(d.arena) >= arenaSize {
		d.flush()
	}
}

// flush turns the arena into a string and hands out its pieces. Entries
// are found by index, as appending may have moved a ranking's entries.
func (d *docStore) flush() {
	if len(d.pending) == 0 {
		return
	}
	block := string(d.arena)
	for _, p := range d.pending {
		if p.r != nil {
			p.r.Entries[p.i].Doc = block[p.off:p.end]
		} else {
			p.q.Docs[p.i] = block[p.off:p.end]
		}
	}
	d.arena = d.arena[:0]
	d.pending = d.pending[:0]
}

// finishRankings checks every topic for duplicate documents and sorts it
// into evaluation order, topics in parallel. The error is that of the
// first topic in run.Topics with a duplicate, whatever the scheduling.
func finishRankings(run *eval.Run) error {
	longest := 0
	for _, r := range run.ByID {
		longest = max(longest, len(r.Entries))
	}
	firstLines := make([]map[string]int32, workers.Count(0, len(run.Topics)))
	return workers.Run(len(run.Topics), len(firstLines), func(w, i int) error {
		if firstLines[w] == nil {
			firstLines[w] = make(map[string]int32, longest)
		}
		firstLine := firstLines[w]
		topic := run.Topics[i]
		r := run.ByID[topic]
		clear(firstLine)
		for _, e := range r.Entries {
			if prev, dup := firstLine[e.Doc]; dup {
				return errorf(run.File, int(e.Line), 0, "duplicate",
					"document %q appears twice for topic %q (lines %d and %d)", e.Doc, topic, prev, e.Line)
			}
			firstLine[e.Doc] = e.Line
		}
		eval.SortEntries(r.Entries)
		return nil
	})
}
