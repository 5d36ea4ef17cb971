package measure

func init() {
	Register(&Family{
		Name:    "set_relative_P",
		Summary: "set precision relative to the best possible for its size",
		Help: `Relative set precision: num_rel_ret / min(num_ret, num_rel), the set
precision divided by the best possible for a set of that size (0 when
either count is 0). Was exact_relative_prec in earlier versions.
Cite: trec_eval 9.0.8, m_set_rel_P.c.`,
		Trec: true,
		Calc: func(t *Topic, _ []float64, out []float64) {
			if c := t.trecCounts(); c.numRet > 0 && c.numRel > 0 {
				out[0] = float64(c.numRelRet) / float64(min(c.numRet, c.numRel))
			}
		},
	})
}
