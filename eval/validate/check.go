package validate

import (
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"github.com/ntcir-pmr/mreval/internal/suggest"
	"io"
	"io/fs"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/ntcir-pmr/mreval/internal/safetext"
)

// ValidateFile checks the run file at path ("-" = standard input; gzip is
// recognised by its content).
func (v *Validator) ValidateFile(path string) *Report {
	rep, _ := v.validateFile(path, false)
	return rep
}

// NormaliseFile is ValidateFile that also keeps what is needed to write the
// run in normal form; the NormalRun is nil when the run is invalid.
func (v *Validator) NormaliseFile(path string) (*Report, *NormalRun) {
	return v.validateFile(path, true)
}

// Validate checks an opened run. src must have been opened with the
// validator's limits (Rules().Limits) for the size and gzip checks to hold.
func (v *Validator) Validate(src *trecfmt.Source) *Report {
	rep := v.newReport(src.Name)
	v.check(src, rep, false)
	return rep
}

// Normalise is Validate that also keeps what is needed to write the run in
// normal form; the NormalRun is nil when the run is invalid. Reports name
// the file src.Name.
func (v *Validator) Normalise(src *trecfmt.Source) (*Report, *NormalRun) {
	rep := v.newReport(src.Name)
	return rep, v.check(src, rep, true)
}

func (v *Validator) validateFile(path string, keep bool) (*Report, *NormalRun) {
	rep := v.newReport(path)
	lim := v.rules.Limits
	if path != "-" {
		// Refuse an oversized file before reading a gigabyte of it.
		if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() && st.Size() > lim.MaxBytes {
			rep.addf(Error, 0, 0, CodeTooLarge, "the file is %s bytes, more than the limit of %s bytes",
				Commas(st.Size()), Commas(lim.MaxBytes))
			rep.Complete = false
			rep.finish()
			return rep, nil
		}
	}
	src, err := trecfmt.Open(path, lim)
	if err != nil {
		code, msg := CodeOpen, stripName(err, path)
		var pe *fs.PathError
		switch {
		case errors.Is(err, trecfmt.ErrBadGzip):
			code = CodeGzip
		case errors.As(err, &pe):
			msg = "cannot open: " + pe.Err.Error()
		}
		rep.addf(Error, 0, 0, code, "%s", msg)
		rep.Complete = false
		rep.finish()
		return rep, nil
	}
	defer src.Close()
	return rep, v.check(src, rep, keep)
}

// stripName drops the "name: " prefix that trecfmt puts on its errors, as
// the report names the file already.
func stripName(err error, name string) string {
	msg := err.Error()
	// A reader may print the name as is or quoted (safetext.Name).
	for _, prefix := range []string{name + ": ", safetext.Name(name) + ": "} {
		if rest, ok := strings.CutPrefix(msg, prefix); ok {
			return rest
		}
	}
	return msg
}

// topicState is what the validator keeps of one topic: dense arrays over
// the pool, 16 bytes per pool document, allocated when the topic first
// appears. A run cannot make it grow: each (topic, document) has one slot.
type topicState struct {
	scores []float64 // by pool index; NaN where the score did not parse
	ranks  []uint32  // 0 where the rank is not a usable positive integer
	lines  []uint32  // line of the document; 0 = not ranked
	count  int       // documents ranked
	usable int       // of which with a usable rank and score
	// depthLine is the line of the document beyond the Subtask B depth.
	depthLine int
	// ordered stays true while the file lists the topic's documents in
	// strictly increasing rank and evaluation order, the common case in
	// which the rank check needs no sorting.
	ordered bool
	last    uint32 // pool index of the last usable document, when usable > 0
}

// before reports whether document a precedes b in evaluation order
// (eval.CompareEntries: score descending, then docno descending; pool
// indexes follow docno byte order).
func (ts *topicState) before(a, b uint32) bool {
	if ts.scores[a] != ts.scores[b] {
		return ts.scores[a] > ts.scores[b]
	}
	return a > b
}

func (ts *topicState) compare(a, b uint32) int {
	if c := cmp.Compare(ts.scores[b], ts.scores[a]); c != 0 {
		return c
	}
	return cmp.Compare(b, a)
}

type checker struct {
	suggestEdits int // unknown docnos given an edit-distance search so far
	v            *Validator
	rep          *Report
	topics       []*topicState // by topic index
	tag          string
	tagLine      int
	tagCol       int
	tagSeen      bool
	// sysdesc: a well-formed <SYSDESC> first line was read;
	// sysdescTried: the first line is a SYSDESC line, well formed or not.
	sysdesc, sysdescTried bool

	otherTags, unknownTopics, unknownDocs agg
	iterZero, iterZeroLine                int
	crlfLine                              int
}

var (
	q0       = []byte("Q0")
	iterZero = []byte("0")
	utf16LE  = []byte{0xff, 0xfe}
	utf16BE  = []byte{0xfe, 0xff}
)

const (
	ellipsis  = "…"
	listNames = 10 // names listed in a missing-topics or missing-models message
)

// check reads the whole run, reports into rep, and returns the normal form
// when keep is set and the run is valid.
func (v *Validator) check(src *trecfmt.Source, rep *Report, keep bool) *NormalRun {
	defer rep.finish()
	c := &checker{v: v, rep: rep, topics: make([]*topicState, len(v.topics))}
	s := trecfmt.NewScanner(src, v.rules.Limits)
	crlf := 0
	for s.Scan() {
		line := s.Line()
		if int64(line) > math.MaxInt32 {
			rep.addf(Error, line, 0, CodeTooManyLines, "more than %s lines; reading stopped here", Commas(int64(math.MaxInt32)))
			rep.Complete = false
			break
		}
		if s.CRLFLines != crlf {
			crlf = s.CRLFLines
			if c.crlfLine == 0 {
				c.crlfLine = line
			}
		}
		if line == 1 && (bytes.HasPrefix(s.Bytes(), utf16LE) || bytes.HasPrefix(s.Bytes(), utf16BE)) {
			rep.addf(Error, 1, 1, CodeEncoding, "the file is UTF-16 encoded (it starts with a UTF-16 byte order mark); save it as UTF-8")
			rep.Complete = false
			break
		}
		if p := trecfmt.LineProblem(s); p != nil {
			c.addTrec(p)
			continue
		}
		if col := invalidUTF8(s.Bytes()); col > 0 {
			rep.addf(Error, line, col, CodeUTF8, "invalid UTF-8 byte 0x%02x (the file must be UTF-8 encoded)", s.Bytes()[col-1])
		}
		if trecfmt.IsBlank(s) {
			continue
		}
		if trecfmt.IsSysdescLine(s) {
			c.checkSysdesc(s) // runname.go
			continue
		}
		rep.RunLines++
		c.line(s)
	}
	rep.Lines = s.Line()
	if s.SawBOM {
		rep.addf(Warning, 1, 1, CodeBOM, "the file starts with a UTF-8 byte order mark (accepted; the normalised run has none)")
	}
	if c.crlfLine > 0 {
		rep.addf(Warning, c.crlfLine, 0, CodeCRLF, "%s end in CRLF (Windows line ends; accepted, the normalised run uses LF)",
			pluralVerb(crlf, "line", "lines"))
	}
	if c.iterZero > 0 {
		rep.addf(Warning, c.iterZeroLine, 0, CodeIterZero, "the iteration column is \"0\" instead of \"Q0\" on %s (accepted; trec_eval ignores this column)",
			plural(c.iterZero, "line"))
	}
	c.emitAggregates()
	if err := s.Err(); err != nil {
		c.readError(err, s.Line()+1)
	}
	for _, ts := range c.topics {
		if ts != nil {
			rep.Topics++
		}
	}
	c.namingRules() // runname.go
	if !rep.Complete {
		return nil
	}
	c.wholeFile()
	if !keep || !rep.Valid() {
		return nil
	}
	return &NormalRun{v: v, tag: c.tag, description: rep.Description, topics: c.topics}
}

func (c *checker) addTrec(e *trecfmt.Error) {
	c.rep.add(Problem{File: e.File, Line: e.Line, Col: e.Col, Code: e.Code, Severity: Error, Msg: e.Msg})
}

func (c *checker) readError(err error, line int) {
	code := CodeRead
	switch {
	case errors.Is(err, trecfmt.ErrGzipRatio):
		code = CodeGzipBomb
	case errors.Is(err, trecfmt.ErrTooLarge):
		code = CodeTooLarge
	case errors.Is(err, trecfmt.ErrBadGzip):
		code = CodeGzip
	}
	c.rep.addf(Error, line, 0, code, "%s; reading stopped here and the whole-file checks were skipped", stripName(err, c.rep.File))
	c.rep.Complete = false
}

// line checks one run line: syntax, then the collection.
func (c *checker) line(s *trecfmt.Scanner) {
	l, rankOK, scoreOK, problems := trecfmt.CheckRunLine(s)
	for _, p := range problems {
		c.addTrec(p)
	}
	if l.Topic == nil {
		return // wrong number of fields: nothing else can be checked
	}
	rep, line := c.rep, s.Line()
	if !bytes.Equal(l.Iter, q0) {
		if bytes.Equal(l.Iter, iterZero) {
			if c.iterZero == 0 {
				c.iterZeroLine = line
			}
			c.iterZero++
		} else {
			rep.addf(Error, line, s.FieldColumn(1), CodeIter, "the iteration column is %q; it must be Q0", clip(l.Iter))
		}
	}
	if !c.tagSeen {
		c.tag, c.tagLine, c.tagCol, c.tagSeen = string(l.Tag), line, s.FieldColumn(5), true
		rep.Tag = c.tag
		if !ValidTag(c.tag) {
			rep.addf(Error, line, s.FieldColumn(5), CodeTag, "run tag %q is not valid: use 1 to 64 characters from A-Z a-z 0-9 _ . -", clip(l.Tag))
		}
	} else if string(l.Tag) != c.tag {
		c.otherTags.add(l.Tag, line, s.FieldColumn(5))
	}
	rankUsable := rankOK
	if rankOK && (l.Rank < 1 || l.Rank > math.MaxInt32) {
		rankUsable = false
		if l.Rank < 1 {
			rep.addf(Error, line, s.FieldColumn(3), CodeRank, "rank %d is not a positive integer (ranks start at 1)", l.Rank)
		} else {
			rep.addf(Error, line, s.FieldColumn(3), CodeRank, "rank %d is too large (at most %d)", l.Rank, math.MaxInt32)
		}
	}
	ti, topicOK := c.v.topicIdx[string(l.Topic)]
	if !topicOK {
		c.unknownTopics.add(l.Topic, line, s.FieldColumn(0))
	}
	var ts *topicState
	if topicOK {
		// The topic is present even when none of its documents is valid.
		ts = c.topic(ti)
	}
	d, docOK := c.v.docIdx[string(l.Doc)]
	if !docOK {
		c.unknownDocs.add(l.Doc, line, s.FieldColumn(2))
	}
	if !topicOK || !docOK {
		return
	}
	if prev := ts.lines[d]; prev != 0 {
		rep.addf(Error, line, s.FieldColumn(2), CodeDuplicate, "document %q appears twice for topic %q (lines %d and %d)",
			c.v.pool[d], c.v.topics[ti], prev, line)
		return
	}
	ts.lines[d] = uint32(line)
	ts.count++
	if ts.count == c.v.rules.Depth+1 {
		ts.depthLine = line
	}
	if !rankUsable || !scoreOK {
		ts.scores[d] = math.NaN()
		return
	}
	ts.ranks[d], ts.scores[d] = uint32(l.Rank), l.Score
	if ts.usable > 0 && ts.ordered && !(ts.ranks[d] > ts.ranks[ts.last] && ts.before(ts.last, d)) {
		ts.ordered = false
	}
	ts.last = d
	ts.usable++
}

func (c *checker) topic(i int) *topicState {
	if ts := c.topics[i]; ts != nil {
		return ts
	}
	n := len(c.v.pool)
	ts := &topicState{scores: make([]float64, n), ranks: make([]uint32, n), lines: make([]uint32, n), ordered: true}
	c.topics[i] = ts
	return ts
}

// invalidUTF8 returns the 1-based column of the first byte of b that is not
// valid UTF-8, or 0.
func invalidUTF8(b []byte) int {
	if utf8.Valid(b) {
		return 0
	}
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i + 1
		}
		i += size
	}
	return 0
}

// clip shortens a field for a message.
func clip(b []byte) string {
	const max = 40
	if utf8.RuneCount(b) > max {
		r := []rune(string(b))
		return string(r[:max]) + ellipsis
	}
	return string(b)
}

// wholeFile runs the checks that need the whole run.
func (c *checker) wholeFile() {
	rep, v := c.rep, c.v
	if rep.RunLines == 0 {
		rep.addf(Error, 0, 0, CodeEmpty, "the file has no run lines")
		return
	}
	var missing []string
	for i, ts := range c.topics {
		if ts == nil {
			missing = append(missing, v.topics[i])
		}
	}
	if len(missing) > 0 {
		const effect = "an absent topic is scored as an empty ranking: nDCG 0 and the largest possible regret"
		if len(missing) == 1 {
			rep.addf(Error, 0, 0, CodeMissingTopics, "topic %q of the topic list has no lines (%s)", missing[0], effect)
		} else {
			rep.addf(Error, 0, 0, CodeMissingTopics, "%d of %d topics of the topic list have no lines: %s (%s)",
				len(missing), len(v.topics), quoteListMore(missing[:min(len(missing), listNames)], len(missing)), effect)
		}
	}
	var scratch orderScratch
	for i, ts := range c.topics {
		if ts == nil {
			continue
		}
		switch v.rules.Task {
		case TaskA:
			c.missingModels(i, ts)
		case TaskB:
			if ts.count > v.rules.Depth {
				rep.addf(Error, ts.depthLine, 0, CodeDepth, "topic %q ranks %s documents; Subtask B accepts at most %s per topic (this line is number %s)",
					v.topics[i], Commas(ts.count), Commas(v.rules.Depth), Commas(v.rules.Depth+1))
			}
		}
		c.rankOrder(i, ts, &scratch)
	}
}

// missingModels reports pool models a Subtask A topic does not rank, and how
// they would be scored.
func (c *checker) missingModels(ti int, ts *topicState) {
	v := c.v
	if ts.count == len(v.pool) {
		return
	}
	topic := v.topics[ti]
	var names []string
	missing, judged := 0, 0
	var tq map[string]float64
	if v.rules.Qrels != nil {
		if q := v.rules.Qrels.Topic(topic); q != nil {
			tq = q.Value
		}
	}
	for d, line := range ts.lines {
		if line != 0 {
			continue
		}
		missing++
		if len(names) < listNames {
			names = append(names, v.pool[d])
		}
		if _, ok := tq[v.pool[d]]; ok {
			judged++
		}
	}
	var judgedNote string
	switch {
	case v.rules.Qrels == nil:
		judgedNote = "the qrels are not available here to tell which of them are judged"
	case judged == 0:
		judgedNote = "none of them is judged for this topic, so its scores are unaffected"
	default:
		judgedNote = fmt.Sprintf("%s of them %s judged for this topic", Commas(judged), isAre(judged))
	}
	c.rep.addf(Error, 0, 0, CodeMissingModels,
		"topic %q: %s of %s pool models are not ranked: %s. Subtask A needs every pool model ranked exactly once per topic. "+
			"If scored as is, a judged model missing from a run is tied below everything for τw, skipped for regret, and has gain 0 for nDCG; "+
			"%s",
		topic, Commas(missing), Commas(len(v.pool)), quoteListMore(names, missing), judgedNote)
}

type orderScratch struct {
	byScore, byRank, pos []uint32
}

// rankOrder checks that the rank column is unique and agrees with the
// evaluation order within a topic. Both are warnings: trec_eval ignores
// ranks and scores the score order.
func (c *checker) rankOrder(ti int, ts *topicState, sc *orderScratch) {
	if ts.ordered {
		return
	}
	v := c.v
	sc.byScore = sc.byScore[:0]
	for d, line := range ts.lines {
		if line != 0 && ts.ranks[d] != 0 {
			sc.byScore = append(sc.byScore, uint32(d))
		}
	}
	slices.SortFunc(sc.byScore, ts.compare)
	consistent := true
	for i := 1; i < len(sc.byScore); i++ {
		if ts.ranks[sc.byScore[i]] <= ts.ranks[sc.byScore[i-1]] {
			consistent = false
			break
		}
	}
	if consistent {
		return // the file order differs, but ranks and scores agree
	}
	if cap(sc.pos) < len(v.pool) {
		sc.pos = make([]uint32, len(v.pool))
	}
	pos := sc.pos[:len(v.pool)]
	for i, d := range sc.byScore {
		pos[d] = uint32(i)
	}
	sc.byRank = append(sc.byRank[:0], sc.byScore...)
	slices.SortFunc(sc.byRank, func(a, b uint32) int {
		return cmp.Or(cmp.Compare(ts.ranks[a], ts.ranks[b]), cmp.Compare(pos[a], pos[b]))
	})
	topic := v.topics[ti]
	repeated, firstRep := 0, -1
	for i := 1; i < len(sc.byRank); i++ {
		if ts.ranks[sc.byRank[i]] == ts.ranks[sc.byRank[i-1]] {
			if firstRep < 0 {
				firstRep = i
			}
			repeated++
		}
	}
	if repeated > 0 {
		a, b := sc.byRank[firstRep-1], sc.byRank[firstRep]
		more := ""
		if repeated > 1 {
			more = fmt.Sprintf("; %s ranks repeat an earlier one in this topic", Commas(repeated))
		}
		c.rep.addf(Warning, int(max(ts.lines[a], ts.lines[b])), 0, CodeRankRepeated,
			"topic %q: rank %d is given to both %q (line %d) and %q (line %d)%s. Ranks should be unique; trec_eval ignores them and the score order will be scored",
			topic, ts.ranks[a], v.pool[a], ts.lines[a], v.pool[b], ts.lines[b], more)
	}
	disagree, first := 0, -1
	for i := range sc.byRank {
		if sc.byRank[i] != sc.byScore[i] {
			if first < 0 {
				first = i
			}
			disagree++
		}
	}
	if disagree == 0 {
		return
	}
	a, b := sc.byRank[first], sc.byScore[first]
	tie := ""
	if ts.scores[a] == ts.scores[b] {
		tie = "; their scores tie, so the docno order decides"
	}
	c.rep.addf(Warning, int(ts.lines[a]), 0, CodeRankOrder,
		"topic %q: the rank column disagrees with the score order at %s of %s positions. Position %s by rank is %q (rank %d, score %s), "+
			"but by score (descending, ties by docno descending) it is %q (line %d, rank %d, score %s)%s. trec_eval ignores ranks: the score order will be scored",
		topic, Commas(disagree), Commas(len(sc.byRank)), Commas(first+1),
		v.pool[a], ts.ranks[a], trecfmt.FormatScore(ts.scores[a]),
		v.pool[b], ts.lines[b], ts.ranks[b], trecfmt.FormatScore(ts.scores[b]), tie)
}

// agg collects one kind of repeated value problem (unknown topic, document
// not in the pool, other run tag) by distinct value, so that a topic
// misspelt on 2,700 lines is one problem, not 2,700. It tracks a bounded
// number of distinct values; lines beyond that are counted.
type agg struct {
	order     []string
	items     map[string]*aggItem
	bytes     int
	untracked int
	untrLine  int
}

type aggItem struct{ line, col, count int }

const (
	aggMaxValues = 10000
	aggMaxBytes  = 4 << 20
)

func (a *agg) add(value []byte, line, col int) {
	if it, ok := a.items[string(value)]; ok {
		it.count++
		return
	}
	if len(a.items) >= aggMaxValues || a.bytes+len(value) > aggMaxBytes {
		if a.untracked == 0 {
			a.untrLine = line
		}
		a.untracked++
		return
	}
	if a.items == nil {
		a.items = map[string]*aggItem{}
	}
	k := string(value)
	a.items[k] = &aggItem{line: line, col: col, count: 1}
	a.order = append(a.order, k)
	a.bytes += len(k)
}

func (a *agg) emit(rep *Report, code string, msg func(value string) string, untrackedMsg string) {
	for _, k := range a.order {
		it := a.items[k]
		m := msg(k)
		if it.count > 1 {
			m += fmt.Sprintf(" (%s lines)", Commas(it.count))
		}
		rep.add(Problem{Line: it.line, Col: it.col, Code: code, Severity: Error, Msg: m})
	}
	if a.untracked > 0 {
		rep.addf(Error, a.untrLine, 0, code, "%s more lines %s (too many distinct values to list each)", Commas(a.untracked), untrackedMsg)
	}
}

func (c *checker) emitAggregates() {
	c.unknownTopics.emit(c.rep, CodeUnknownTopic, func(t string) string {
		return fmt.Sprintf("topic %q is not in the topic list", clip([]byte(t)))
	}, "name topics that are not in the topic list")
	c.unknownDocs.emit(c.rep, CodeNotInPool, func(d string) string {
		return fmt.Sprintf("document %q is not in the pool%s", clip([]byte(d)), c.suggest(d))
	}, "name documents that are not in the pool")
	c.otherTags.emit(c.rep, CodeTagMismatch, func(t string) string {
		return fmt.Sprintf("run tag %q differs from %q of line %d; every line must carry the same tag", clip([]byte(t)), c.tag, c.tagLine)
	}, "carry other run tags")
}

// suggest proposes the pool documents an unknown docno probably means:
// the same name in another case; the name with or without its
// organisation ("bert-base-uncased" for "google-bert/bert-base-uncased" and
// the reverse); else the nearest names by edit distance. Only the first
// suggestMaxEdits distinct unknown names get the edit-distance search, so
// a run of 10,000 made-up names costs no more than a few.
func (c *checker) suggest(doc string) string {
	v := c.v
	var found []string
	base := doc[strings.LastIndexByte(doc, '/')+1:]
	for _, d := range v.pool {
		dBase := d[strings.LastIndexByte(d, '/')+1:]
		if strings.EqualFold(d, doc) || strings.EqualFold(dBase, base) {
			found = append(found, d)
			if len(found) == suggestMax {
				break
			}
		}
	}
	if len(found) == 0 && c.suggestEdits < suggestMaxEdits {
		c.suggestEdits++
		found = suggest.Closest(doc, v.pool, suggestMax)
	}
	if len(found) == 0 {
		return ""
	}
	return " (did you mean " + suggest.Phrase(found) + "?)"
}

const (
	suggestMax      = 3
	suggestMaxEdits = 20
)

// quoteListMore quotes names (the first of total) and says how many are
// left out.
func quoteListMore(names []string, total int) string {
	var b strings.Builder
	for i, n := range names {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q", n)
	}
	if total > len(names) {
		fmt.Fprintf(&b, ", %s and %s more", ellipsis, Commas(total-len(names)))
	}
	return b.String()
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

func pluralVerb(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return Commas(n) + " " + many
}

// NormalRun is a valid run kept by NormaliseFile, ready to be written in
// normal form.
type NormalRun struct {
	v           *Validator
	tag         string
	description string
	topics      []*topicState
}

// Tag is the run tag.
func (n *NormalRun) Tag() string { return n.tag }

// Description is the system description of the <SYSDESC> line, or "".
func (n *NormalRun) Description() string { return n.description }

// WriteTo writes the run in normal form, the bytes trecfmt.WriteRun writes
// for the run trecfmt.ReadRun reads from the file: LF line ends, no byte
// order mark, the <SYSDESC> line (if any) as <SYSDESC>text</SYSDESC> with
// the text trimmed, topics in byte order, each ranking in evaluation order
// (eval.CompareEntries) with ranks renumbered 1..n, `Q0`, single spaces,
// and each score in the shortest form that reads back to the same float64.
// It is what will be scored.
func (n *NormalRun) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: w}
	bw := bufio.NewWriterSize(cw, 1<<16)
	var buf []byte
	var idx []uint32
	if n.description != "" {
		if _, err := bw.Write(trecfmt.AppendSysdesc(nil, n.description)); err != nil {
			return cw.n, err
		}
	}
	for ti, ts := range n.topics {
		if ts == nil {
			continue
		}
		idx = idx[:0]
		for d, line := range ts.lines {
			if line != 0 {
				idx = append(idx, uint32(d))
			}
		}
		slices.SortFunc(idx, ts.compare)
		topic := n.v.topics[ti]
		for i, d := range idx {
			buf = append(buf[:0], topic...)
			buf = append(buf, " Q0 "...)
			buf = append(buf, n.v.pool[d]...)
			buf = append(buf, ' ')
			buf = strconv.AppendInt(buf, int64(i+1), 10)
			buf = append(buf, ' ')
			buf = strconv.AppendFloat(buf, ts.scores[d], 'g', -1, 64)
			buf = append(buf, ' ')
			buf = append(buf, n.tag...)
			buf = append(buf, '\n')
			if _, err := bw.Write(buf); err != nil {
				return cw.n, err
			}
		}
	}
	err := bw.Flush()
	return cw.n, err
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
