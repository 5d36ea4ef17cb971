package measure

func init() {
	Register(&Family{
		Name:    "map",
		Summary: "mean average precision",
		Help: `Average precision as trec_eval computes it (NTCIREVAL's is 'ap'):
    AP = (1/R) Σ_{i: doc i relevant} P@i
where R = num_rel and P@i the precision at rank i. 0 when R = 0.
Binary relevance: level ≥ the relevance level (default 1).
Cite: Buckley & Voorhees, "Retrieval System Evaluation", in TREC: Experiment
and Evaluation in Information Retrieval, MIT Press 2005.`,
		Trec: true,
		Calc: func(t *Topic, _ []float64, out []float64) {
			relSoFar, sum := 0, 0.0
			for i, r := range t.TrecRels() {
				if r >= t.Opts.RelevanceLevel {
					relSoFar++
					sum += float64(relSoFar) / float64(i+1)
				}
			}
			out[0] = 0
			if relSoFar > 0 {
				out[0] = sum / float64(t.NumRel())
			}
		},
	})
}
