package measure

func init() {
	Register(&Family{
		Name:    "judged",
		Summary: "fraction of the top k that is judged (how far the qrels cover the run)",
		Help: `judged@k: the fraction of the run's first k retrieved documents that the
qrels judge (at any level, 0 included):
    judged@k = |{d in top min(k, n) : d judged}| / min(k, n)
n = number of retrieved documents. Undefined for an empty ranking. Not a
quality measure: it says how much of a score rests on judged documents.
Runs that took part in a depth-k pool have judged@k = 1 up to the pool
depth; a later run below 1 is scored as if its unjudged documents were
non-relevant (or, with --condensed, as if they were absent). Computed on
the run as submitted, before condensing. Cf. Buckley and Voorhees,
"Retrieval evaluation with incomplete information", SIGIR 2004; Sakai,
"Alternatives to Bpref", SIGIR 2007 (condensed lists).`,
		Params: Cutoffs, Domain: CutoffDomain,
		Calc: func(t *Topic, cutoffs []float64, out []float64) {
			for j, c := range cutoffs {
				k := min(int(c), len(t.Submitted))
				if k == 0 {
					out[j] = undefined
					continue
				}
				n := 0
				for _, e := range t.Submitted[:k] {
					if _, ok := t.Qrels.Value[e.Doc]; ok {
						n++
					}
				}
				out[j] = float64(n) / float64(k)
			}
		},
	})
}
