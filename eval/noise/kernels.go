package noise

import (
	"cmp"
	"math"
	"slices"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/measure"
	"github.com/ntcir-pmr/mreval/internal/numeric"
)

// The ceilings score every system on every draw of every topic: 1,000
// draws × 12 topics × 1,266 models on the recycling test split. Going
// through measure.Evaluate would rebuild a qrels map and re-sort the run
// each time; these kernels instead prepare, once per system and topic,
// everything that does not depend on the draw (the ranking never changes,
// only the judged values do) and then compute nDCG@k, τw, regret@k and
// near@k from the drawn values alone. They repeat the measure package's
// arithmetic operation for operation, so their values are bit-identical to
// measure.Evaluate's (kernels_test.go checks it).

// topicFrame is what a topic's kernels share: its judged documents and the
// index of each.
type topicFrame struct {
	id     string
	docs   []string // the judged documents in qrels order: the draw's index space
	values []float64
	index  map[string]int32
}

func newTopicFrame(tq *eval.TopicQrels) *topicFrame {
	f := &topicFrame{id: tq.Topic, docs: tq.Docs, values: tq.Values(), index: make(map[string]int32, len(tq.Docs))}
	for i, d := range tq.Docs {
		f.index[d] = int32(i)
	}
	return f
}

// systemTopic is one system's ranking of one topic reduced to judged
// indices; it does not depend on the draw.
type systemTopic struct {
	// trecTop[i] is the judged index of the document at rank i of
	// trec_eval's order (measure.Topic.TrecRanked), −1 when unjudged; the
	// first maxCut ranks (nDCG@k).
	trecTop []int32
	// firstJudged are the judged indices of the first judged documents in
	// evaluation order, up to the largest regret/near cutoff.
	firstJudged []int32
	// yRank is each judged document's dense rank of its run score (−∞,
	// rank 0, when the run does not retrieve it): the input of τw that the
	// draw does not change.
	yRank []int32
}

// prepareSystem reduces ranked (evaluation order; nil when the run lacks
// the topic) for the kernels. trecCut and regretCut are the largest nDCG
// and regret/near cutoffs in use.
func prepareSystem(f *topicFrame, tq *eval.TopicQrels, ranked []eval.Entry, opts *measure.Options, trecCut, regretCut int) *systemTopic {
	st := &systemTopic{}
	if trecCut > 0 {
		trec := measure.NewTopic(f.id, tq, ranked, opts).TrecRanked()
		for _, e := range trec[:min(len(trec), trecCut)] {
			j, ok := f.index[e.Doc]
			if !ok {
				j = -1
			}
			st.trecTop = append(st.trecTop, j)
		}
	}
	for _, e := range ranked {
		if len(st.firstJudged) == regretCut {
			break
		}
		if j, ok := f.index[e.Doc]; ok {
			st.firstJudged = append(st.firstJudged, j)
		}
	}
	// As measure's correlate: a judged document's score is its run score
	// (the last one, should it be ranked twice), −∞ when not retrieved.
	n := len(f.docs)
	score := make([]float64, n)
	for i := range score {
		score[i] = math.Inf(-1)
	}
	for _, e := range ranked {
		if j, ok := f.index[e.Doc]; ok {
			score[j] = e.Score
		}
	}
	byScore := make([]int32, n)
	for i := range byScore {
		byScore[i] = int32(i)
	}
	slices.SortFunc(byScore, func(a, b int32) int { return cmp.Compare(score[a], score[b]) })
	st.yRank = make([]int32, n)
	rank := int32(0)
	for k, i := range byScore {
		if k > 0 && score[byScore[k-1]] != score[i] {
			rank++
		}
		st.yRank[i] = rank
	}
	return st
}

// drawStats are the quantities of one drawn topic that every system shares.
type drawStats struct {
	lo, hi float64
	// idcg[k−1] is the ideal DCG@k of the draw's linear gains, k ≤ trecCut.
	idcg []float64
}

// log2Rank[i] = log2(i + 2), the discount of rank i + 1.
func log2Rank(i int) float64 { return math.Log2(float64(i + 2)) }

// linearGain is measure.GainLinear: the value when positive, else 0.
func linearGain(v float64) float64 {
	if v <= 0 {
		return 0
	}
	return v
}

// computeDrawStats fills s from the drawn values x; top is scratch of
// capacity trecCut.
func computeDrawStats(x []float64, trecCut int, s *drawStats, top []float64) {
	s.lo, s.hi = x[0], x[0]
	for _, v := range x[1:] {
		s.lo = min(s.lo, v)
		s.hi = max(s.hi, v)
	}
	if trecCut == 0 {
		return
	}
	// The trecCut largest positive gains, in decreasing order (insertion
	// into a short sorted list; most values fail the first comparison).
	top = top[:0]
	for _, v := range x {
		g := linearGain(v)
		if g <= 0 || (len(top) == trecCut && g <= top[trecCut-1]) {
			continue
		}
		if len(top) < trecCut {
			top = append(top, g)
		} else {
			top[trecCut-1] = g
		}
		for i := len(top) - 1; i > 0 && top[i] > top[i-1]; i-- {
			top[i], top[i-1] = top[i-1], top[i]
		}
	}
	s.idcg = s.idcg[:0]
	sum := 0.0
	for i := range trecCut {
		if i < len(top) {
			sum += top[i] / log2Rank(i)
		}
		s.idcg = append(s.idcg, sum)
	}
}

// ndcgAt is nDCG@k with linear gains (measure's ndcg family).
func ndcgAt(x []float64, st *systemTopic, s *drawStats, k int) float64 {
	dcg := 0.0
	for i, j := range st.trecTop[:min(len(st.trecTop), k)] {
		if j < 0 {
			continue
		}
		if g := linearGain(x[j]); g != 0 {
			dcg += g / log2Rank(i)
		}
	}
	if idcg := s.idcg[k-1]; idcg > 0 {
		return dcg / idcg
	}
	return 0
}

// regretAt is regret@k (measure's regret family).
func regretAt(x []float64, st *systemTopic, s *drawStats, k int) float64 {
	judged := st.firstJudged[:min(len(st.firstJudged), k)]
	if len(judged) == 0 {
		return s.hi - s.lo
	}
	best := math.Inf(-1)
	for _, j := range judged {
		best = math.Max(best, x[j])
	}
	return s.hi - best
}

// tauwScratch holds the buffers of one goroutine's τw computations.
type tauwScratch struct {
	// Set by sortDraw for the current draw of a topic, shared by every
	// system: the judged indices in increasing order of the drawn value
	// (ties by index), their sortable keys, and the [start, end) ranges of
	// tied values.
	order, tmpOrder []int32
	keys, tmpK      []uint64
	ties            [][2]int
	ys, tmpY        []int32   // dense score ranks of the system being scored
	ws, tmpW        []float64 // weights, during the merge sort
	invRank         []float64 // invRank[r] = 1/(r+1)
	exchanges       float64
}

func (k *tauwScratch) grow(n int) {
	if len(k.invRank) == n {
		return
	}
	k.order, k.tmpOrder = make([]int32, n), make([]int32, n)
	k.keys, k.tmpK = make([]uint64, n), make([]uint64, n)
	k.ys, k.tmpY = make([]int32, n), make([]int32, n)
	k.ws, k.tmpW = make([]float64, n), make([]float64, n)
	k.invRank = make([]float64, n)
	for r := range n {
		k.invRank[r] = 1.0 / float64(1+r)
	}
}

// sortDraw orders the judged indices by the drawn values x (ties by
// index) with numeric.Argsort's radix sort, and notes the ranges of tied
// values. It is done once per draw of a topic; tauw then only has to order
// each tie by the system's scores.
func (k *tauwScratch) sortDraw(x []float64) {
	n := len(x)
	k.grow(n)
	numeric.Argsort(x, k.order, k.tmpOrder, k.keys, k.tmpK)
	keys := k.keys
	k.ties = k.ties[:0]
	for i := 0; i < n; {
		j := i + 1
		for j < n && keys[j] == keys[i] {
			j++
		}
		if j-i > 1 {
			k.ties = append(k.ties, [2]int{i, j})
		}
		i = j
	}
}

// tauw is rankcorr.WeightedTau(x, score) for the system's scores, x being
// the values sortDraw was last called with: the steps of rankcorr's port
// of SciPy's _weightedrankedtau with the same floating-point operations in
// the same order. Differences: the lexsort by (x, score, index) is
// sortDraw's order with each tie in x sorted by score; scores are compared
// as dense ranks; the items' score ranks and weights move along in arrays
// instead of being looked up through a permutation. (Within a tie in both
// x and score, items differ only by their position, which fixes their
// weight, so their identities are not needed.) NaN when undefined.
func (k *tauwScratch) tauw(x []float64, st *systemTopic) float64 {
	n := len(x)
	if n < 2 {
		return math.NaN()
	}
	keys, ys, ws := k.keys, k.ys, k.ws
	for i, j := range k.order {
		ys[i] = st.yRank[j]
	}
	for _, tie := range k.ties {
		slices.Sort(ys[tie[0]:tie[1]])
	}
	// The item at position i of the increasing order has the decreasing
	// rank n−1−i and weight 1/(n−i).
	for i := range n {
		ws[i] = k.invRank[n-1-i]
	}

	t := 0.0
	first := 0
	s := ws[0]
	for i := 1; i < n; i++ {
		if keys[first] != keys[i] || ys[first] != ys[i] {
			t += float64(s * float64(i-first-1))
			first = i
			s = 0
		}
		s += ws[i]
	}
	t += float64(s * float64(n-first-1))

	u := 0.0
	first = 0
	s = ws[0]
	for i := 1; i < n; i++ {
		if keys[first] != keys[i] {
			u += float64(s * float64(i-first-1))
			first = i
			s = 0
		}
		s += ws[i]
	}
	u += float64(s * float64(n-first-1))
	if first == 0 { // x is constant
		return math.NaN()
	}

	k.exchanges = 0
	k.weighedMerge(0, n)

	v := 0.0
	first = 0
	s = ws[0]
	for i := 1; i < n; i++ {
		if ys[first] != ys[i] {
			v += float64(s * float64(i-first-1))
			first = i
			s = 0
		}
		s += ws[i]
	}
	v += float64(s * float64(n-first-1))
	if first == 0 { // the scores are constant
		return math.NaN()
	}

	s = 0
	for i := range n {
		s += ws[i]
	}
	tot := s * float64(n-1)

	tau := ((tot - (v + u - t)) - 2*k.exchanges) / math.Sqrt(tot-u) / math.Sqrt(tot-v)
	return math.Min(1, math.Max(-1, tau))
}

// weighedMerge is rankcorr's weighedMerge on the arrays of score ranks and
// weights: it sorts section [offset, offset+length) by score (stable),
// adds the weight of the discordant pairs to k.exchanges and returns the
// section's total weight.
func (k *tauwScratch) weighedMerge(offset, length int) float64 {
	ys, ws := k.ys, k.ws
	switch length {
	case 1:
		return ws[offset]
	case 2:
		// The general step below on two items, without the calls: the
		// same floating-point operations in the same order.
		wa, wb := ws[offset], ws[offset+1]
		if ys[offset] > ys[offset+1] {
			k.exchanges += wb + wa
			ys[offset], ys[offset+1] = ys[offset+1], ys[offset]
			ws[offset], ws[offset+1] = wb, wa
		}
		return wb + wa
	}
	length0 := length / 2
	length1 := length - length0
	middle := offset + length0
	residual := k.weighedMerge(offset, length0)
	total := k.weighedMerge(middle, length1) + residual
	if ys[middle-1] < ys[middle] {
		return total
	}
	tys, tws := k.tmpY, k.tmpW
	i, j, l := 0, 0, 0
	exchanges := k.exchanges
	for j < length0 && l < length1 {
		// Branch-free form of rankcorr's step (the comparison is a coin
		// toss on noisy data, so a branch is mispredicted half the time):
		// take the left item (left = 1) or the right one (left = 0).
		// Multiplying by 0 or 1 and adding or subtracting an exact 0 leave
		// the sums bit for bit as rankcorr's.
		left := 0
		if ys[offset+j] <= ys[middle+l] {
			left = 1
		}
		from := middle + l + left*(offset+j-middle-l)
		y, w := ys[from], ws[from]
		tys[i], tws[i] = y, w
		fl := float64(left)
		residual -= float64(w * fl)
		exchanges += float64((float64(w*float64(length0-j)) + residual) * (1 - fl))
		j += left
		l += 1 - left
		i++
	}
	k.exchanges = exchanges
	copy(ys[offset+i:offset+i+length0-j], ys[offset+j:offset+length0])
	copy(ws[offset+i:offset+i+length0-j], ws[offset+j:offset+length0])
	copy(ys[offset:offset+i], tys[:i])
	copy(ws[offset:offset+i], tws[:i])
	return total
}
