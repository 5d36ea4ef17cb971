package measure

// recallPoints are the 11 standard recall levels 0, 0.1, ..., 1.
var recallPoints = []float64{0, .1, .2, .3, .4, .5, .6, .7, .8, .9, 1}

// RecallDomain is the domain of a recall level.
var RecallDomain = Domain{What: "recall level", Min: 0, Max: 1}

func init() {
	Register(&Family{
		Name:    "iprec_at_recall",
		Summary: "interpolated precision at recall levels",
		Help: `Interpolated precision at recall levels (the recall-precision graph):
    iprec(ρ) = max { P@k : k ≥ k_ρ }
where k_ρ is the rank at which the run has retrieved c_ρ = ⌊ρ·R + 0.9⌋
relevant documents, R = num_rel (the +0.9 keeps the historical cutoffs);
levels the run never reaches get 0, and a topic retrieving nothing gets
0/0 (trec_eval prints -nan). Names iprec_at_recall_0.10 (two decimals).
Default levels 0,.1,.2,...,1.
Cite: trec_eval 9.0.8, m_iprec_at_recall.c; Buckley & Voorhees 2005 (see map).`,
		Trec: true, Params: RealCutoffs, Domain: RecallDomain, Defaults: recallPoints,
		Calc: func(t *Topic, levels []float64, out []float64) {
			interpolatedPrecision(t, levels, func(j int, p float64) { out[j] = p })
		},
	})
}

// interpolatedPrecision is the loop shared by m_iprec_at_recall.c and
// m_11pt_avg.c: it calls set(j, iprec) for each recall level j, in
// decreasing order of j (so a repeated level is reported as trec_eval
// reports it).
func interpolatedPrecision(t *Topic, levels []float64, set func(j int, p float64)) {
	c := t.trecCounts()
	cutoffs := make([]int64, len(levels))
	for i, l := range levels {
		cutoffs[i] = int64(l*float64(c.numRel) + .9)
	}
	cur := len(levels) - 1
	for cur >= 0 && cutoffs[cur] > c.numRelRet {
		cur--
	}
	precis := cdiv(float64(c.numRelRet), float64(c.numRet))
	intPrecis := precis
	relSoFar := c.numRelRet
	for i := c.numRet; i > 0 && relSoFar > 0; i-- {
		precis = float64(relSoFar) / float64(i)
		if intPrecis < precis {
			intPrecis = precis
		}
		if t.relevant(c.rels[i-1]) {
			for cur >= 0 && relSoFar == cutoffs[cur] {
				set(cur, intPrecis)
				cur--
			}
			relSoFar--
		}
	}
	for ; cur >= 0; cur-- {
		set(cur, intPrecis)
	}
}
