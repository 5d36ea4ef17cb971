package measure

func init() {
	Register(&Family{
		Name:    "set_P",
		Summary: "precision of the whole retrieved set",
		Help: `Set precision: num_rel_ret / num_ret over everything retrieved for the
topic (0 when nothing is). Unlike P@k it does not fill a short list with
non-relevant documents: 'mreval trec_eval -M 50 -m set_P' differs from
'-m P.50' on topics retrieving fewer than 50. Was exact_prec in earlier
versions of trec_eval.
Cite: trec_eval 9.0.8, m_set_P.c.`,
		Trec: true,
		Calc: func(t *Topic, _ []float64, out []float64) {
			if c := t.trecCounts(); c.numRet > 0 {
				out[0] = float64(c.numRelRet) / float64(c.numRet)
			}
		},
	})
}
