// Package eval holds the data model shared by every part of mreval: the
// ground truth of a collection (Qrels) and a participant's ranking (Run).
// Parsing lives in eval/trecfmt, measures in eval/measure; this package has
// no I/O.
package eval

import (
	"cmp"
	"slices"
)

// Qrels is the ground truth of a collection: for each topic, the judged
// documents and their values (an accuracy in percent for Subtask A, a graded
// relevance level for Subtask B, an integer level for TREC-style data).
type Qrels struct {
	File   string
	Topics []string // sorted in byte order, as trec_eval processes them
	ByID   map[string]*TopicQrels
}

// TopicQrels is the ground truth of one topic.
type TopicQrels struct {
	Topic string
	// Value maps a judged document to its value.
	Value map[string]float64
	// Docs lists the judged documents in file order.
	Docs []string
	// Lines gives the file line of each entry of Docs.
	Lines []int
}

// Topic returns the judgments of topic, or nil when it has none.
func (q *Qrels) Topic(topic string) *TopicQrels {
	if q == nil {
		return nil
	}
	return q.ByID[topic]
}

// Values returns the judged values of the topic in file order.
func (t *TopicQrels) Values() []float64 {
	out := make([]float64, len(t.Docs))
	for i, d := range t.Docs {
		out[i] = t.Value[d]
	}
	return out
}

// Entry is one retrieved document of a ranking.
type Entry struct {
	Doc   string
	Score float64
	// Rank is the rank column of the file; trec_eval ignores it and so do
	// the measures. 32 bits keep an Entry at 32 bytes: a million-line run
	// is held in memory whole.
	Rank int32
	// Line is the line number in the run file (0 when built in memory).
	Line int32
}

// Ranking is a run's ranked list for one topic, in evaluation order.
type Ranking struct {
	Topic   string
	Entries []Entry
}

// Run is a participant's ranking of documents for a set of topics.
type Run struct {
	File string
	Tag  string // the run tag of the file (last column)
	// LastTag is the tag of the file's last line, which trec_eval prints
	// as its runid (it does not check that the tags agree).
	LastTag string
	// Description is the system description of the file's <SYSDESC>
	// first line (the NTCIR convention), "" without one.
	Description string
	Topics      []string // sorted in byte order
	ByID        map[string]*Ranking
}

// Ranking returns the ranked list of topic, or nil when the run has none.
func (r *Run) Ranking(topic string) *Ranking {
	if r == nil {
		return nil
	}
	return r.ByID[topic]
}

// CompareEntries orders entries as trec_eval does: score descending, ties
// broken by docno descending in byte order. The rank column plays no part.
func CompareEntries(a, b Entry) int {
	if c := cmp.Compare(b.Score, a.Score); c != 0 {
		return c
	}
	return cmp.Compare(b.Doc, a.Doc)
}

// SortEntries puts entries into evaluation order (see CompareEntries).
func SortEntries(entries []Entry) { slices.SortFunc(entries, CompareEntries) }

// SortedKeys returns the keys of m in byte order.
func SortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
