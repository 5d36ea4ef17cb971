// Package rundiff compares two runs topic by topic: are the rankings
// identical, how many documents moved, how far the orders agree (Kendall's
// τ), and, given scores of both, how much each measure changed. It answers
// "did my re-run reproduce my submitted run?".
//
// Rankings are compared in evaluation order (eval.CompareEntries: score
// descending, ties by docno descending); the rank column plays no part, as
// in trec_eval. Two rankings are identical when they hold the same
// documents in the same order; their scores may differ (a re-run in another
// precision), which ScoreDelta reports.
//
// τ is computed over the documents both rankings hold: a document ranked
// by one run only has no position in the other, and any position given to
// it (say, tied last) would be invented. The documents left out are
// counted instead (OnlyA, OnlyB), so a reader sees both how the shared
// documents were reordered and how many were swapped in or out. With
// positions there are no ties, so τ-b (rankcorr.KendallTauB) equals τ-a.
package rundiff

import (
	"math"
	"slices"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/measure"
	"github.com/ntcir-pmr/mreval/eval/rankcorr"
)

// Topic is the comparison of one topic.
type Topic struct {
	Topic string
	// DocsA and DocsB are the lengths of the two rankings (0 when a run
	// lacks the topic).
	DocsA, DocsB int
	// OnlyA and OnlyB count the documents ranked by one run only.
	OnlyA, OnlyB int
	// Moved counts the documents of both rankings whose rank differs.
	Moved int
	// Tau is Kendall's τ between the ranks of the documents of both
	// rankings; NaN with fewer than two of them.
	Tau float64
	// ScoreDelta is the largest |score B − score A| over the documents of
	// both rankings; NaN when they share none.
	ScoreDelta float64
	// Identical: the same documents in the same order.
	Identical bool
	// Delta[c] is measure column c of B minus that of A on this topic; NaN
	// when undefined on either side, when either run was not scored on the
	// topic, or for a measure without per-topic values.
	Delta []float64
}

// Diff is the comparison of two runs.
type Diff struct {
	A, B   *eval.Run
	Topics []Topic // the topics of either run, in byte order
	// Columns are the measures of Delta and AllDelta (nil without scores).
	Columns []measure.Column
	// AllDelta[c] is the aggregate of B minus that of A.
	AllDelta []float64
}

// Compare compares the rankings of a and b.
func Compare(a, b *eval.Run) *Diff {
	d := &Diff{A: a, B: b}
	topics := append(slices.Clone(a.Topics), b.Topics...)
	slices.Sort(topics)
	for _, topic := range slices.Compact(topics) {
		d.Topics = append(d.Topics, compareTopic(topic, a.Ranking(topic), b.Ranking(topic)))
	}
	return d
}

func entries(r *eval.Ranking) []eval.Entry {
	if r == nil {
		return nil
	}
	return r.Entries
}

func compareTopic(topic string, ra, rb *eval.Ranking) Topic {
	ea, eb := entries(ra), entries(rb)
	t := Topic{Topic: topic, DocsA: len(ea), DocsB: len(eb), Tau: math.NaN(), ScoreDelta: math.NaN()}
	rankB := make(map[string]int, len(eb))
	for i, e := range eb {
		rankB[e.Doc] = i
	}
	var posA, posB []float64
	for i, e := range ea {
		j, ok := rankB[e.Doc]
		if !ok {
			t.OnlyA++
			continue
		}
		if i != j {
			t.Moved++
		}
		posA = append(posA, float64(i))
		posB = append(posB, float64(j))
		delta := math.Abs(eb[j].Score - e.Score)
		if math.IsNaN(t.ScoreDelta) || delta > t.ScoreDelta {
			t.ScoreDelta = delta
		}
	}
	t.OnlyB = len(eb) - len(posA)
	if tau, ok := rankcorr.KendallTauB(posA, posB); ok {
		t.Tau = tau
	}
	t.Identical = ra != nil && rb != nil && t.OnlyA == 0 && t.OnlyB == 0 && t.Moved == 0
	return t
}

// Identical tells whether both runs rank the same topics identically.
func (d *Diff) Identical() bool {
	for _, t := range d.Topics {
		if !t.Identical {
			return false
		}
	}
	return true
}

// AddScores records the measure deltas B − A from the results of scoring
// a and b with the same measures.
func (d *Diff) AddScores(ra, rb *measure.Result) {
	d.Columns = ra.Columns
	index := func(r *measure.Result) map[string]int {
		m := make(map[string]int, len(r.Topics))
		for i, t := range r.Topics {
			m[t] = i
		}
		return m
	}
	ia, ib := index(ra), index(rb)
	for k := range d.Topics {
		t := &d.Topics[k]
		t.Delta = make([]float64, len(d.Columns))
		i, okA := ia[t.Topic]
		j, okB := ib[t.Topic]
		for c, col := range d.Columns {
			if !okA || !okB || col.Family.NoPerTopic {
				t.Delta[c] = math.NaN()
				continue
			}
			t.Delta[c] = rb.PerTopic[j][c] - ra.PerTopic[i][c]
		}
	}
	d.AllDelta = make([]float64, len(d.Columns))
	for c := range d.Columns {
		d.AllDelta[c] = rb.All[c] - ra.All[c]
	}
}

// Summary totals the topics: how many are identical, the sums of the
// counts, the mean τ over the topics where it is defined and the largest
// score delta.
type Summary struct {
	Topics, Identical          int
	DocsA, DocsB, OnlyA, OnlyB int
	Moved                      int
	MeanTau, MaxScoreDelta     float64
	TauTopics                  int // topics where τ is defined
}

// Summarize totals the topics.
func (d *Diff) Summarize() Summary {
	s := Summary{Topics: len(d.Topics), MeanTau: math.NaN(), MaxScoreDelta: math.NaN()}
	tauSum := 0.0
	for _, t := range d.Topics {
		if t.Identical {
			s.Identical++
		}
		s.DocsA += t.DocsA
		s.DocsB += t.DocsB
		s.OnlyA += t.OnlyA
		s.OnlyB += t.OnlyB
		s.Moved += t.Moved
		if !math.IsNaN(t.Tau) {
			tauSum += t.Tau
			s.TauTopics++
		}
		if !math.IsNaN(t.ScoreDelta) && (math.IsNaN(s.MaxScoreDelta) || t.ScoreDelta > s.MaxScoreDelta) {
			s.MaxScoreDelta = t.ScoreDelta
		}
	}
	if s.TauTopics > 0 {
		s.MeanTau = tauSum / float64(s.TauTopics)
	}
	return s
}
