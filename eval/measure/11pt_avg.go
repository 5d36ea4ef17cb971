package measure

func init() {
	Register(&Family{
		Name:    "11pt_avg",
		Summary: "interpolated precision averaged over recall levels",
		Help: `The mean of iprec_at_recall over the given recall levels (default the 11
levels 0,.1,...,1): an estimate of the area under the recall-precision
curve, obsolete beside map. The name stays 11pt_avg with default levels;
with levels given it is 11pt_avg_<levels as written> (11pt_avg_.2,.5,.8 is
the 3-point average of trec_eval 8).
Cite: trec_eval 9.0.8, m_11pt_avg.c; Buckley & Voorhees 2005 (see map).`,
		Trec: true, Params: Reals, Domain: RecallDomain, Defaults: recallPoints,
		Calc: func(t *Topic, levels []float64, out []float64) {
			sum := 0.0
			interpolatedPrecision(t, levels, func(_ int, p float64) { sum += p })
			out[0] = sum / float64(len(levels))
		},
	})
}
