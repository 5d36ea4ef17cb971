package measure

func init() {
	Register(&Family{
		Name:    "success",
		Summary: "1 if a relevant document is in the first k",
		Help: `Success at k: 1 when at least one relevant document is among the first k
retrieved, else 0; averaged over topics it is the fraction of topics
answered within k. Default cutoffs 1,5,10.
Cite: trec_eval 9.0.8, m_success.c (developed by Stephen Tomlinson).`,
		Trec: true, Params: Cutoffs, Domain: CutoffDomain, Defaults: []float64{1, 5, 10},
		Calc: func(t *Topic, cutoffs []float64, out []float64) {
			c := t.trecCounts()
			found := false
			atCutoffs(c.numRet, cutoffs, out, func() float64 {
				if found {
					return 1
				}
				return 0
			}, func(i int64) {
				if t.relevant(c.rels[i]) {
					found = true
				}
			})
		},
	})
}
