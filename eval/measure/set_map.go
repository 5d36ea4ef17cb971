package measure

func init() {
	Register(&Family{
		Name:    "set_map",
		Summary: "unranked average precision of the retrieved set",
		Help: `Set MAP: num_rel_ret² / (num_ret · num_rel), the set precision times the
set recall — average precision with every relevant retrieved document at
the set's precision and the others at 0 (0 when num_ret or num_rel is 0).
Was exact_unranked_avg_prec in earlier versions.
Cite: trec_eval 9.0.8, m_set_map.c.`,
		Trec: true,
		Calc: func(t *Topic, _ []float64, out []float64) {
			if c := t.trecCounts(); c.numRet > 0 && c.numRel > 0 {
				out[0] = float64(c.numRelRet) * float64(c.numRelRet) / (float64(c.numRet) * float64(c.numRel))
			}
		},
	})
}
