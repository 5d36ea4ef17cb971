package measure

import "math"

func init() {
	Register(&Family{
		Name:    "G",
		Summary: "normalized gain G (gains per level)",
		Help: `Normalized gain, an experimental measure of trec_eval (4/10/2008) between
MAP and nDCG. The document at rank i contributes
    g(d_i) / log2(2 + I(i) − S(i))
where S(i) is the gain retrieved up to rank i and I(i) the most an ideal
ranking could have by then (each rank costing at least 1); G is the sum
normalised by the total ideal gain. Gains are the relevance levels unless
given as level=gain pairs: G.1=3.5,2=9 gives level 1 gain 3.5, level 2
gain 9, other levels their own value; gains may be 0 or negative.
Cite: trec_eval 9.0.8, m_G.c.`,
		Trec: true, Params: GainPairs, Domain: Domain{What: "gain", Min: -1e9, Max: 1e9},
		Calc: func(t *Topic, pairs []float64, out []float64) {
			c := t.trecCounts()
			gains := t.trecGains(pairs)
			resultsG, sumResults, sumIdeal, sumCost := 0.0, 0.0, 0.0, 0.0
			const minCost = 1.0
			level := newIdealWalk(gains)
			i := int64(0)
			for ; i < c.numRet && level.gain > 0; i++ {
				g := gainOf(gains, c.rels[i])
				sumResults += g
				level.next()
				if level.gain > 0 {
					sumIdeal += level.gain
				}
				if level.gain >= minCost {
					sumCost += level.gain
				} else {
					sumCost += minCost
				}
				if g != 0 {
					resultsG += g / math.Log2(2+sumCost-sumResults)
				}
			}
			for ; i < c.numRet; i++ {
				g := gainOf(gains, c.rels[i])
				sumResults += g
				sumCost += minCost
				if g != 0 {
					resultsG += g / math.Log2(2+sumCost-sumResults)
				}
			}
			for level.gain > 0 {
				level.next()
				if level.gain > 0 {
					sumIdeal += level.gain
				}
			}
			if sumIdeal > 0 {
				out[0] = resultsG / sumIdeal
			}
		},
	})
}

// idealWalk steps through the ideal ranking of trec_eval's gain table, from
// the highest gain down: gain is the gain at the current ideal rank, 0 or
// less once the positive gains are used up (m_ndcg.c's cur_level loop).
type idealWalk struct {
	gains      []relGain
	cur        int
	numAtLevel int64
	gain       float64
}

func newIdealWalk(gains []relGain) *idealWalk {
	w := &idealWalk{gains: gains, cur: len(gains) - 1}
	if w.cur >= 0 {
		w.gain = gains[w.cur].gain
	}
	return w
}

// next moves to the next ideal rank.
func (w *idealWalk) next() {
	w.numAtLevel++
	for w.cur >= 0 && w.numAtLevel > w.gains[w.cur].numAtLevel {
		w.numAtLevel = 1
		w.cur--
		w.gain = 0
		if w.cur >= 0 {
			w.gain = w.gains[w.cur].gain
		}
	}
}
