// Package assess is the organisers' side of graded relevance assessment:
// depth-k pooling of submitted runs into judging sheets, reading the sheets
// the assessors fill in, merging their grades into qrels, and measuring how
// well the assessors agree (Cohen's weighted κ, Krippendorff's α).
// Formats and workflow: docs/subtask-b.md.
package assess

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/ntcir-pmr/mreval/eval"
)

// PoolOptions configure Pool.
type PoolOptions struct {
	// Depth is how many top documents of each run's ranking of a topic
	// enter the pool.
	Depth int
	// Seed drives the per-topic shuffle that hides the ranks from the
	// assessors.
	Seed uint64
	// ByPriority, when set, replaces Depth: run i pools the top
	// ByPriority[Priorities[i]] documents, and a run whose priority is not
	// a key is left out (pool_priority.go).
	ByPriority map[int]int
	// Priorities gives each run's priority (1 = the run its team most
	// wants judged); needed with ByPriority, and used to break ties under
	// Budget.
	Priorities []int
	// Budget caps the documents judged per topic (0 = no cap); see
	// capPool for which are kept.
	Budget int
}

// TopicPool is the judging pool of one topic.
type TopicPool struct {
	Topic string
	// Docs is the pooled documents in the order the assessors see them.
	Docs []string
	// Capped counts the documents the runs put forward beyond Budget,
	// left out of the pool.
	Capped int
	// Judged[i] counts the documents of run i's top JudgedK (in
	// evaluation order) that are in the pool.
	Judged []int
	// Contributed[i] counts the documents run i put in this topic's pool
	// (min(depth, its ranking length)); Unique[i] those no other run
	// contributed; Overlap[i][j] those runs i and j both contributed.
	Contributed []int
	Unique      []int
	Overlap     [][]int

	pooledBy map[string][]int // document → the runs whose top-depth holds it
}

// Pooled is the result of Pool.
type Pooled struct {
	Depth int
	// ByPriority, Priorities and Budget are the options of Pool; Depths
	// is the depth each run was pooled to (0 = left out), JudgedK the
	// depth of TopicPool.Judged: the largest of Depths.
	ByPriority map[int]int
	Priorities []int
	Budget     int
	Depths     []int
	JudgedK    int
	Seed       uint64
	Runs       []string    // the runs' names (File, or Tag when built in memory), in input order
	Topics     []TopicPool // in byte order of topic id
}

// Pool builds the depth-k judging pool of runs: for each topic any run
// ranks, the union of every run's top Depth documents (in evaluation
// order, eval.CompareEntries), in an order shuffled per topic so that the
// assessors cannot tell the rank a document had. The order of a topic
// depends only on the seed, the topic id and the set of pooled documents —
// not on the order of the runs or on the other topics: the documents are
// sorted in byte order, then shuffled by Fisher–Yates with the PCG stream
// (Seed, FNV-1a-64 of the topic id).
func Pool(runs []*eval.Run, opts PoolOptions) (*Pooled, error) {
	if len(runs) == 0 {
		return nil, errors.New("pool: no runs")
	}
	p, err := newPooled(runs, opts) // pool_priority.go
	if err != nil {
		return nil, err
	}
	topics := map[string]bool{}
	for i, r := range runs {
		if r == nil {
			return nil, fmt.Errorf("pool: run %d is nil", i+1)
		}
		name := r.File
		if name == "" {
			name = r.Tag
		}
		p.Runs = append(p.Runs, name)
		for _, t := range r.Topics {
			topics[t] = true
		}
	}
	for _, topic := range eval.SortedKeys(topics) {
		tp := TopicPool{Topic: topic, Contributed: make([]int, len(runs)), Unique: make([]int, len(runs)), Overlap: make([][]int, len(runs)), Judged: make([]int, len(runs))}
		ranked := make([][]eval.Entry, len(runs))
		for i, r := range runs {
			tp.Overlap[i] = make([]int, len(runs))
			if rk := r.Ranking(topic); rk != nil {
				ranked[i] = rk.Entries
				if !slices.IsSortedFunc(ranked[i], eval.CompareEntries) {
					ranked[i] = slices.Clone(ranked[i])
					eval.SortEntries(ranked[i])
				}
			}
		}
		from := p.candidates(ranked, &tp) // pool_priority.go: document → the runs that pooled it
		for _, rs := range from {
			for _, i := range rs {
				tp.Contributed[i]++
			}
		}
		for i, entries := range ranked {
			for _, e := range entries[:min(p.JudgedK, len(entries))] {
				if _, ok := from[e.Doc]; ok {
					tp.Judged[i]++
				}
			}
		}
		tp.Docs = eval.SortedKeys(from)
		tp.pooledBy = from
		for _, d := range tp.Docs {
			rs := from[d]
			if len(rs) == 1 {
				tp.Unique[rs[0]]++
			}
			for _, a := range rs {
				for _, b := range rs {
					tp.Overlap[a][b]++
				}
			}
		}
		rng := rand.New(rand.NewPCG(opts.Seed, topicStream(topic)))
		rng.Shuffle(len(tp.Docs), func(i, j int) { tp.Docs[i], tp.Docs[j] = tp.Docs[j], tp.Docs[i] })
		p.Topics = append(p.Topics, tp)
	}
	return p, nil
}

// topicStream is the PCG stream of a topic's shuffle: FNV-1a-64 of its id.
func topicStream(topic string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(topic))
	return h.Sum64()
}

// Size is the number of pooled (topic, document) pairs.
func (p *Pooled) Size() int {
	n := 0
	for _, t := range p.Topics {
		n += len(t.Docs)
	}
	return n
}

// namePattern is what a topic id must look like to be part of a sheet's
// file name; assessorPattern the same without '.', which separates the
// topic from the assessor in <topic>.<assessor>.csv. With the assessor
// free of dots, the last dot before .csv recovers both, so no two
// (topic, assessor) pairs share a file name: topics t and t.x with
// assessors x.y and y would both have made t.x.y.csv.
var (
	namePattern     = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`) })
	assessorPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`) })
)

// ValidName reports whether s can name a sheet file: 1 to 64 characters
// from A–Z a–z 0–9 _ . -, starting with a letter or digit.
func ValidName(s string) bool { return namePattern().MatchString(s) }

// ValidAssessor reports whether s can name an assessor in a sheet's file
// name: as ValidName, without '.'.
func ValidAssessor(s string) bool { return assessorPattern().MatchString(s) }

// SheetName is the file name of the judging sheet of topic for assessor
// ("" = not yet assigned): <topic>.csv or <topic>.<assessor>.csv.
func SheetName(topic, assessor string) string {
	if assessor == "" {
		return topic + ".csv"
	}
	return topic + "." + assessor + ".csv"
}

// DefaultMaxSheets bounds the sheets one pool writes: a pool is judged by
// people, and a run with a million one-line topics would otherwise make a
// million files.
const DefaultMaxSheets = 10_000

// Sheets is SheetsMax with DefaultMaxSheets.
func (p *Pooled) Sheets(assessors []string) ([]Sheet, error) {
	return p.SheetsMax(assessors, DefaultMaxSheets)
}

// SheetsMax returns the blank judging sheets of the pool: for each topic,
// one per assessor (or one with the assessor column empty when assessors
// is empty), rows in the pool's shuffled order. Topic ids must be valid
// file names (ValidName), assessor names ValidAssessor. It refuses more
// than maxSheets sheets (maxSheets ≤ 0: DefaultMaxSheets), and two sheets whose
// names differ only in letter case, which are one file on a
// case-insensitive file system (macOS, Windows).
func (p *Pooled) SheetsMax(assessors []string, maxSheets int) ([]Sheet, error) {
	seen := map[string]bool{}
	for _, a := range assessors {
		if !ValidAssessor(a) {
			return nil, fmt.Errorf("assessor name %q: use 1 to 64 characters from A-Z a-z 0-9 _ - (it follows the topic and a '.' in the sheet's file name)", a)
		}
		if seen[a] {
			return nil, fmt.Errorf("assessor %q is named twice", a)
		}
		seen[a] = true
	}
	if len(assessors) == 0 {
		assessors = []string{""}
	}
	if maxSheets <= 0 {
		maxSheets = DefaultMaxSheets
	}
	if n := len(p.Topics) * len(assessors); n > maxSheets {
		return nil, fmt.Errorf("the pool makes %d judging sheets (%d topics × %d assessors), above the limit of %d", n, len(p.Topics), len(assessors), maxSheets)
	}
	type source struct{ topic, assessor string }
	byFoldedName := map[string]source{}
	var out []Sheet
	for _, t := range p.Topics {
		if !ValidName(t.Topic) {
			return nil, fmt.Errorf("topic id %q cannot name a sheet file: use 1 to 64 characters from A-Z a-z 0-9 _ . -", t.Topic)
		}
		for _, a := range assessors {
			s := Sheet{Name: SheetName(t.Topic, a)}
			folded := strings.ToLower(s.Name)
			if prev, dup := byFoldedName[folded]; dup {
				return nil, fmt.Errorf("the sheets of topic %q%s and of topic %q%s would be named %s and %s, one file where letter case is ignored",
					prev.topic, assessorNote(prev.assessor), t.Topic, assessorNote(a), SheetName(prev.topic, prev.assessor), s.Name)
			}
			byFoldedName[folded] = source{t.Topic, a}
			for _, d := range t.Docs {
				s.Rows = append(s.Rows, Row{Topic: t.Topic, Doc: d, Assessor: a})
			}
			out = append(out, s)
		}
	}
	return out, nil
}

func assessorNote(a string) string {
	if a == "" {
		return ""
	}
	return fmt.Sprintf(" (assessor %q)", a)
}

// Stats sums the per-topic statistics over topics, for each run:
// contributed and unique documents and the overlap matrix.
func (p *Pooled) Stats() (contributed, unique []int, overlap [][]int, topicsRanked []int) {
	n := len(p.Runs)
	contributed, unique, topicsRanked = make([]int, n), make([]int, n), make([]int, n)
	overlap = make([][]int, n)
	for i := range overlap {
		overlap[i] = make([]int, n)
	}
	for _, t := range p.Topics {
		for i := 0; i < n; i++ {
			contributed[i] += t.Contributed[i]
			unique[i] += t.Unique[i]
			if t.Contributed[i] > 0 {
				topicsRanked[i]++
			}
			for j := 0; j < n; j++ {
				overlap[i][j] += t.Overlap[i][j]
			}
		}
	}
	return contributed, unique, overlap, topicsRanked
}
