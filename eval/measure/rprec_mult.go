package measure

func init() {
	Register(&Family{
		Name:    "Rprec_mult",
		Summary: "precision at multiples of R",
		Help: `Precision after m·R documents for each multiple m, R = num_rel:
    Rprec_mult(m) = P@c,  c = ⌊m·R + 0.9⌋
beyond the retrieved list, (relevant retrieved)/c. Comparing low and high
multiples tells precision-oriented from recall-oriented runs. Names
Rprec_mult_0.20 (two decimals). Default multiples 0.2,0.4,...,2.0.
Cite: trec_eval 9.0.8, m_Rprec_mult.c.`,
		Trec: true, Params: RealCutoffs,
		Domain:   Domain{What: "multiple m of R", Min: 0, Max: 1000, MinOpen: true},
		Defaults: []float64{.2, .4, .6, .8, 1, 1.2, 1.4, 1.6, 1.8, 2},
		Calc: func(t *Topic, mults []float64, out []float64) {
			c := t.trecCounts()
			cutoffs := make([]int64, len(mults))
			for i, m := range mults {
				cutoffs[i] = int64(m*float64(c.numRel) + .9)
			}
			cur := len(mults) - 1
			for cur >= 0 && cutoffs[cur] > c.numRet {
				out[cur] = cdiv(float64(c.numRelRet), float64(cutoffs[cur]))
				cur--
			}
			relSoFar := c.numRelRet
			for i := c.numRet; i > 0 && relSoFar > 0; i-- {
				precis := float64(relSoFar) / float64(i)
				for cur >= 0 && i == cutoffs[cur] {
					out[cur] = precis
					cur--
				}
				if t.relevant(c.rels[i-1]) {
					relSoFar--
				}
			}
		},
	})
}
