package measure

import "math"

func init() {
	Register(&Family{
		Name:    "Rndcg",
		Summary: "nDCG averaged at the R-levels of the ideal ranking",
		Help: `nDCG (as trec_eval's ndcg, see ndcg_trec) averaged at the points where the
ideal gain changes (the R-levels), plus the end of the retrieved list: with
5 documents judged 3, 3 judged 2, 10 judged 1 and 50 judged 0,
    Rndcg = (nDCG@5 + nDCG@8 + nDCG@18 + nDCG@68) / 4.
Unjudged documents gain 0. An experimental measure of trec_eval; 0 when the
topic has no relevant document. Gains as for ndcg (level=gain pairs).
Cite: trec_eval 9.0.8, m_Rndcg.c.`,
		Trec: true, Params: GainPairs, Domain: gainDomain,
		Calc: func(t *Topic, pairs []float64, out []float64) {
			c := t.trecCounts()
			gains := t.trecGains(pairs)
			if c.numRel == 0 {
				return
			}
			resultsDCG, idealDCG, sum := 0.0, 0.0, 0.0
			var changes int64
			level := newIdealWalk(gains)
			oldGain := level.gain
			atChange := func() {
				if oldGain != level.gain {
					if idealDCG > 0 {
						sum += resultsDCG / idealDCG
						changes++
					}
					oldGain = level.gain
				}
			}
			i := int64(0)
			for ; i < c.numRet && level.gain > 0; i++ {
				g := gainOf(gains, c.rels[i])
				level.next()
				atChange()
				if g != 0 {
					resultsDCG += g / math.Log2(float64(i+2))
				}
				if level.gain > 0 {
					idealDCG += level.gain / math.Log2(float64(i+2))
				}
			}
			if i < c.numRet {
				for ; i < c.numRet; i++ {
					if g := gainOf(gains, c.rels[i]); g != 0 {
						resultsDCG += g / math.Log2(float64(i+2))
					}
				}
				if idealDCG > 0 {
					sum += resultsDCG / idealDCG
					changes++
				}
			}
			for ; level.gain > 0; i++ {
				level.next()
				atChange()
				if level.gain > 0 {
					idealDCG += level.gain / math.Log2(float64(i+2))
				}
			}
			out[0] = cdiv(sum, float64(changes))
		},
	})
}
