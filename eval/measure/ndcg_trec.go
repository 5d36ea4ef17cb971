package measure

import "math"

// gainDomain bounds a gain of a level=gain pair.
var gainDomain = Domain{What: "gain", Min: -1e9, Max: 1e9}

func init() {
	Register(&Family{
		Name:     "ndcg_trec",
		TrecName: "ndcg",
		Summary:  "trec_eval's ndcg: whole list, gains per relevance level",
		Help: `trec_eval's ndcg (named ndcg in 'mreval trec_eval'; mreval's own ndcg takes
cutoffs and float gains): nDCG over the whole ranking (Järvelin &
Kekäläinen, ACM TOIS 20(4):422–446, 2002),
    nDCG = Σ_i g(l_i)/log2(i+1)  /  Σ_i g(l*_i)/log2(i+1)
on integer relevance levels l (the judged value truncated, as trec_eval's
atol), l* the levels of the ideal ranking (positive gains only), unjudged
documents gain 0. The gain of a level is the level itself unless given as
level=gain pairs: ndcg_trec.1=3.5,2=9 gives level 1 gain 3.5 and level 2
gain 9, other levels their own value; gains may be 0 or negative.
Independent of -l. 0 when the ideal DCG is 0.
Cite: trec_eval 9.0.8, m_ndcg.c (after an implementation by Ian Soboroff).`,
		Trec: true, Params: GainPairs, Domain: gainDomain,
		Calc: func(t *Topic, pairs []float64, out []float64) {
			c := t.trecCounts()
			gains := t.trecGains(pairs)
			resultsDCG, idealDCG := 0.0, 0.0
			level := newIdealWalk(gains)
			i := int64(0)
			for ; i < c.numRet && level.gain > 0; i++ {
				if g := gainOf(gains, c.rels[i]); g != 0 {
					resultsDCG += g / math.Log2(float64(i+2))
				}
				level.next()
				if level.gain > 0 {
					idealDCG += level.gain / math.Log2(float64(i+2))
				}
			}
			for ; i < c.numRet; i++ {
				if g := gainOf(gains, c.rels[i]); g != 0 {
					resultsDCG += g / math.Log2(float64(i+2))
				}
			}
			for ; level.gain > 0; i++ {
				level.next()
				if level.gain > 0 {
					idealDCG += level.gain / math.Log2(float64(i+2))
				}
			}
			if idealDCG > 0 {
				out[0] = resultsDCG / idealDCG
			}
		},
	})
}
