package measure

var trecCutoffs = []float64{5, 10, 15, 20, 30, 100, 200, 500, 1000}

func init() {
	Register(&Family{
		Name:    "P",
		Summary: "precision at cutoffs",
		Help: `Precision at cutoff k: (relevant documents among the first k)/k. When
fewer than k documents are retrieved the rest count as non-relevant, so
P@20 of a run retrieving 15 documents with 4 relevant is 0.2.
Binary relevance: level ≥ the relevance level (default 1).
Default cutoffs: 5,10,15,20,30,100,200,500,1000.`,
		Trec: true, Params: Cutoffs, Domain: CutoffDomain, Defaults: trecCutoffs,
		Calc: func(t *Topic, cutoffs []float64, out []float64) {
			rels := t.TrecRels()
			for j, k := range cutoffs {
				n := 0
				for i := 0; i < len(rels) && i < int(k); i++ {
					if rels[i] >= t.Opts.RelevanceLevel {
						n++
					}
				}
				out[j] = float64(n) / k
			}
		},
	})
}
