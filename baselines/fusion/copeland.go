package fusion

import (
	"fmt"
	"slices"

	"github.com/ntcir-pmr/mreval/eval"
)

// DefaultCopelandMaxDocs bounds the documents of one topic that Copeland
// fuses from three or more runs. With one or two runs Copeland's scores
// come from two sorts in O(n log n) whatever n is; from three runs on, a
// pairwise majority has no such shortcut (counting the docs a beats is an
// R-dimensional dominance count), so every pair is compared: R·n²/2 steps,
// about 1 s for 4 runs of 20,000 docs. Subtask A topics have 1,266 models.
const DefaultCopelandMaxDocs = 20_000

// Copeland fuses runs by Copeland's pairwise-majority rule, the rank
// aggregation Model Spider (Zhang et al., NeurIPS 2023) uses to combine the
// orders of several cheap estimators into one approximate ranking. A doc a
// beats b when more runs rank a above b than b above a; its score is
//
//	copeland(a) = #{b : a beats b} − #{b : b beats a}
//
// over the other docs of the topic. A run ranks a above b when a has the
// better (fractional) rank, or when it retrieves a and not b; tied scores,
// and two docs the run does not retrieve, express no preference. Equal
// Copeland scores are ordered by docno, as trec_eval breaks ties.
// (Copeland 1951; see Brandt et al., Handbook of Computational Social
// Choice, 2016, §2.) It refuses a topic of more than
// DefaultCopelandMaxDocs documents when three or more runs have it.
func Copeland(runs []*eval.Run, tag string) (*eval.Run, error) {
	return CopelandMaxDocs(runs, tag, DefaultCopelandMaxDocs)
}

// CopelandMaxDocs is Copeland with another per-topic document limit for
// three or more runs (maxDocs ≤ 0: DefaultCopelandMaxDocs; every limit of
// the kit has a bound).
func CopelandMaxDocs(runs []*eval.Run, tag string, maxDocs int) (*eval.Run, error) {
	if maxDocs <= 0 {
		maxDocs = DefaultCopelandMaxDocs
	}
	return fuse(runs, tag, func(in topicInputs) (map[string]float64, error) {
		rank := doubledRanks(in)
		n := len(in.docs)
		var score []int
		switch {
		case len(rank) <= 2:
			score = copelandSorted(rank, n)
		case n > maxDocs:
			return nil, fmt.Errorf("copeland over %d runs compares every pair of documents: the topic has %d documents, above the limit of %d (--copeland-max-docs)", len(rank), n, maxDocs)
		default:
			score = copelandPairwise(rank, n)
		}
		out := make(map[string]float64, n)
		for i, d := range in.docs {
			out[d] = float64(score[i])
		}
		return out, nil
	})
}

// doubledRanks returns, for each run that has the topic, twice the
// fractional rank of every doc of the union (integers: an average rank is
// a multiple of ½); an unretrieved doc gets 2(n+1), below every retrieved
// doc and tied with the other unretrieved ones.
func doubledRanks(in topicInputs) [][]int {
	n := len(in.docs)
	var rank [][]int
	for _, l := range in.lists {
		if l == nil {
			continue
		}
		rk := make([]int, n)
		for i, d := range in.docs {
			if v, ok := l.rank[d]; ok {
				rk[i] = int(2 * v)
			} else {
				rk[i] = 2 * (n + 1)
			}
		}
		rank = append(rank, rk)
	}
	return rank
}

// copelandSorted computes Copeland scores from one or two rankings in
// O(n log n). With two runs, run 1 and run 2 prefer a to b by signs s1, s2
// ∈ {−1, 0, 1}, and a beats b exactly when s1 + s2 > 0, that is when
// neither prefers b and not both are indifferent:
//
//	wins(a)   = #{b : x_b ≥ x_a, y_b ≥ y_a} − #{b : x_b = x_a, y_b = y_a}
//	losses(a) = #{b : x_b ≤ x_a, y_b ≤ y_a} − #{b : x_b = x_a, y_b = y_a}
//
// with x, y the ranks in the two runs (b ranges over every doc, a
// included: it is in both counts once). The equal-pair counts cancel, so
// copeland(a) is the difference of two two-dimensional dominance counts,
// each one sort by x and a Fenwick tree over y. One run is the case y
// constant.
func copelandSorted(rank [][]int, n int) []int {
	score := make([]int, n)
	if n == 0 {
		return score
	}
	x := rank[0]
	y := make([]int, n)
	if len(rank) == 2 {
		y = rank[1]
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return x[a] - x[b] })
	maxY := slices.Max(y)
	// Docs in decreasing x: once a group of equal x is in the tree, it
	// holds exactly the docs with x_b ≥ x_a.
	tree := newFenwick(maxY + 1)
	for hi := n; hi > 0; {
		lo := hi - 1
		for lo > 0 && x[order[lo-1]] == x[order[hi-1]] {
			lo--
		}
		for _, a := range order[lo:hi] {
			tree.add(y[a])
		}
		for _, a := range order[lo:hi] {
			score[a] += tree.total - tree.countBelow(y[a]) // y_b ≥ y_a
		}
		hi = lo
	}
	// Docs in increasing x: the tree holds the docs with x_b ≤ x_a.
	tree = newFenwick(maxY + 1)
	for lo := 0; lo < n; {
		hi := lo + 1
		for hi < n && x[order[hi]] == x[order[lo]] {
			hi++
		}
		for _, a := range order[lo:hi] {
			tree.add(y[a])
		}
		for _, a := range order[lo:hi] {
			score[a] -= tree.countBelow(y[a] + 1) // y_b ≤ y_a
		}
		lo = hi
	}
	return score
}

// fenwick counts inserted values in [0, size).
type fenwick struct {
	count []int
	total int
}

func newFenwick(size int) *fenwick { return &fenwick{count: make([]int, size+1)} }

func (f *fenwick) add(v int) {
	f.total++
	for i := v + 1; i < len(f.count); i += i & -i {
		f.count[i]++
	}
}

// countBelow returns the number of inserted values < v.
func (f *fenwick) countBelow(v int) int {
	c := 0
	for i := min(v, len(f.count)-1); i > 0; i -= i & -i {
		c += f.count[i]
	}
	return c
}

// copelandPairwise compares every pair of docs over all runs: O(R·n²).
// The ranks are laid out doc by doc so that a pair reads two short
// contiguous rows.
func copelandPairwise(rank [][]int, n int) []int {
	runs := len(rank)
	rows := make([]int32, n*runs)
	for r, rk := range rank {
		for i, v := range rk {
			rows[i*runs+r] = int32(v)
		}
	}
	score := make([]int32, n)
	for a := 0; a < n; a++ {
		ra := rows[a*runs : (a+1)*runs]
		var wins int32
		for b := a + 1; b < n; b++ {
			rb := rows[b*runs : (b+1)*runs]
			var pref int32 // runs preferring a minus runs preferring b
			for r, va := range ra {
				pref += sign(rb[r] - va)
			}
			// Random rankings make a branch here a coin flip.
			s := sign(pref)
			wins += s
			score[b] -= s
		}
		score[a] += wins
	}
	out := make([]int, n)
	for i, v := range score {
		out[i] = int(v)
	}
	return out
}

// sign is −1, 0 or 1 without a branch (ranks are below 2³⁰, so the
// differences do not overflow).
func sign(d int32) int32 {
	return d>>31 | int32(uint32(-d)>>31)
}
