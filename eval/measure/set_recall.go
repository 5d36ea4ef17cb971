package measure

func init() {
	Register(&Family{
		Name:    "set_recall",
		Summary: "recall of the whole retrieved set",
		Help: `Set recall: num_rel_ret / num_rel over everything retrieved for the topic
(0 when num_rel = 0). Was exact_recall in earlier versions.
Cite: trec_eval 9.0.8, m_set_recall.c.`,
		Trec: true,
		Calc: func(t *Topic, _ []float64, out []float64) {
			if c := t.trecCounts(); c.numRel > 0 {
				out[0] = float64(c.numRelRet) / float64(c.numRel)
			}
		},
	})
}
