package measure

func init() {
	Register(&Family{
		Name:    "recall",
		Summary: "recall at cutoffs",
		Help: `Recall at cutoff k: (relevant documents among the first k)/num_rel; 0 when
the topic has no relevant document. Default cutoffs as for P.`,
		Trec: true, Params: Cutoffs, Domain: CutoffDomain, Defaults: trecCutoffs,
		Calc: func(t *Topic, cutoffs []float64, out []float64) {
			rels := t.TrecRels()
			numRel := t.NumRel()
			for j, k := range cutoffs {
				out[j] = 0
				if numRel == 0 {
					continue
				}
				n := 0
				for i := 0; i < len(rels) && i < int(k); i++ {
					if rels[i] >= t.Opts.RelevanceLevel {
						n++
					}
				}
				out[j] = float64(n) / float64(numRel)
			}
		},
	})
}
