package measure

func init() {
	Register(&Family{
		Name:    "relative_P",
		Summary: "precision at cutoffs relative to the best possible",
		Help: `Precision at k relative to the best precision possible at k:
    relative_P(k) = (relevant among the first k) / min(k, R),  R = num_rel
i.e. precision up to R and recall after it. 0 when R = 0. Default cutoffs
5,10,15,20,30,100,200,500,1000.
Cite: trec_eval 9.0.8, m_rel_P.c.`,
		Trec: true, Params: Cutoffs, Domain: CutoffDomain, Defaults: trecCutoffs,
		Calc: func(t *Topic, cutoffs []float64, out []float64) {
			c := t.trecCounts()
			if c.numRel == 0 {
				return
			}
			var relSoFar int64
			j := 0
			for i := int64(0); i < c.numRet; i++ {
				if float64(i) == cutoffs[j] {
					out[j] = float64(relSoFar) / float64(min(i, c.numRel))
					if j++; j == len(cutoffs) {
						return
					}
				}
				if t.relevant(c.rels[i]) {
					relSoFar++
				}
			}
			for ; j < len(cutoffs); j++ {
				out[j] = float64(relSoFar) / min(cutoffs[j], float64(c.numRel))
			}
		},
	})
}
