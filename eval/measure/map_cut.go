package measure

func init() {
	Register(&Family{
		Name:    "map_cut",
		Summary: "average precision at cutoffs",
		Help: `Average precision (see map) of the first k documents:
    map_cut(k) = (1/R) Σ_{i ≤ k, doc i relevant} P@i,  R = num_rel
cutoffs beyond the list count the missing documents as non-relevant; 0 when
R = 0. Default cutoffs 5,10,15,20,30,100,200,500,1000.
Cite: trec_eval 9.0.8, m_map_cut.c; Buckley & Voorhees 2005 (see map).`,
		Trec: true, Params: Cutoffs, Domain: CutoffDomain, Defaults: trecCutoffs,
		Calc: func(t *Topic, cutoffs []float64, out []float64) {
			c := t.trecCounts()
			if c.numRel == 0 {
				return
			}
			var relSoFar int64
			sum := 0.0
			atCutoffs(c.numRet, cutoffs, out, func() float64 { return sum / float64(c.numRel) }, func(i int64) {
				if t.relevant(c.rels[i]) {
					relSoFar++
					sum += float64(relSoFar) / float64(i+1)
				}
			})
		},
	})
}

// atCutoffs is the loop of trec_eval's cutoff measures (m_map_cut.c,
// m_success.c, ...): step(i) for each retrieved rank i (0-based); at each
// cutoff k, before step(k), out[j] = value(). Cutoffs beyond the list get
// the value at its end.
func atCutoffs(numRet int64, cutoffs []float64, out []float64, value func() float64, step func(i int64)) {
	j := 0
	for i := int64(0); i < numRet; i++ {
		if float64(i) == cutoffs[j] {
			out[j] = value()
			if j++; j == len(cutoffs) {
				return
			}
		}
		step(i)
	}
	for ; j < len(cutoffs); j++ {
		out[j] = value()
	}
}
