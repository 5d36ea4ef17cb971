package measure

func init() {
	Register(&Family{
		Name:    "recip_rank",
		Aliases: []string{"mrr"},
		Summary: "reciprocal rank of the first relevant document",
		Help: `RR = 1/r where r is the rank of the first relevant retrieved document;
0 when none is retrieved. Binary relevance (level ≥ -l, default 1).
trec_eval's order and rule; NTCIREVAL's reciprocal rank is 'rr'.`,
		Trec: true,
		Calc: func(t *Topic, _ []float64, out []float64) {
			out[0] = 0
			for i, r := range t.TrecRels() {
				if r >= t.Opts.RelevanceLevel {
					out[0] = 1 / float64(i+1)
					return
				}
			}
		},
	})
}
