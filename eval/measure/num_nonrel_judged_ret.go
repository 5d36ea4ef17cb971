package measure

func init() {
	Register(&Family{
		Name:    "num_nonrel_judged_ret",
		Summary: "number of judged non-relevant documents retrieved",
		Help: `Number of retrieved documents judged non-relevant (judged ≥ 0 and below
the relevance level): num_ret − unjudged − num_rel_ret. Summed over
topics in 'all'.
Cite: trec_eval 9.0.8, m_num_nonrel_judged_ret.c.`,
		Trec: true, Integer: true, Aggregation: Sum,
		Calc: func(t *Topic, _ []float64, out []float64) {
			c := t.trecCounts()
			out[0] = float64(c.numRet - c.numNonpool - c.numUnjudged - c.numRelRet)
		},
	})
}
