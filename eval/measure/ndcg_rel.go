package measure

import "math"

func init() {
	Register(&Family{
		Name:    "ndcg_rel",
		Summary: "nDCG averaged over the relevant documents",
		Help: `nDCG (as trec_eval's ndcg, see ndcg_trec) averaged over the ranks of the
relevant documents instead of taken at the end of the list: at the rank of
each retrieved document with positive gain, DCG/IDCG at that rank; each
relevant document not retrieved contributes DCG/IDCG at the end of the
list. Averaged over the documents with positive ideal gain. Gains as for
ndcg (level=gain pairs accepted).
Cite: trec_eval 9.0.8, m_ndcg_rel.c.`,
		Trec: true, Params: GainPairs, Domain: gainDomain,
		Calc: func(t *Topic, pairs []float64, out []float64) {
			c := t.trecCounts()
			gains := t.trecGains(pairs)
			resultsDCG, idealDCG, sum := 0.0, 0.0, 0.0
			var numRelRet, numRel int64
			level := newIdealWalk(gains)
			i := int64(0)
			for ; i < c.numRet && level.gain > 0; i++ {
				g := gainOf(gains, c.rels[i])
				if g != 0 {
					resultsDCG += g / math.Log2(float64(i+2))
				}
				level.next()
				if level.gain > 0 {
					numRel++
					idealDCG += level.gain / math.Log2(float64(i+2))
				}
				if g > 0 {
					sum += cdiv(resultsDCG, idealDCG)
					numRelRet++
				}
			}
			for ; i < c.numRet; i++ {
				g := gainOf(gains, c.rels[i])
				if g != 0 {
					resultsDCG += g / math.Log2(float64(i+2))
				}
				if g > 0 {
					sum += cdiv(resultsDCG, idealDCG)
					numRelRet++
				}
			}
			for ; level.gain > 0; i++ {
				level.next()
				if level.gain > 0 {
					numRel++
					idealDCG += level.gain / math.Log2(float64(i+2))
				}
			}
			sum += float64(numRel-numRelRet) * cdiv(resultsDCG, idealDCG)
			if sum > 0 {
				out[0] = sum / float64(numRel)
			}
		},
	})
}
