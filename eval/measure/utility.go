package measure

// coefficientDomain bounds a real coefficient or gain: wide, and finite.
var coefficientDomain = Domain{What: "coefficient", Min: -1e9, Max: 1e9}

func init() {
	Register(&Family{
		Name:    "utility",
		Summary: "set utility from the contingency table",
		Help: `Set utility with four coefficients p1,p2,p3,p4 (default 1,-1,0,0):
    utility = p1·a + p2·b + p3·c + p4·d
a = relevant retrieved, b = non-relevant retrieved, c = relevant not
retrieved, d = the documents neither retrieved nor relevant, N − a − b − c
with N the collection size of trec_eval's -N (0 unless given: the qrels
and run do not tell it). The 'all' value is the mean over topics. Named
utility_<coefficients as written> when they are given.
Cite: trec_eval 9.0.8, m_utility.c (the TREC filtering track's utility).`,
		Trec: true, Params: Reals, ParamCount: 4,
		Domain:   coefficientDomain,
		Defaults: []float64{1, -1, 0, 0},
		Calc: func(t *Topic, p []float64, out []float64) {
			if len(p) != 4 {
				out[0] = undefined
				return
			}
			c := t.trecCounts()
			out[0] = p[0]*float64(c.numRelRet) +
				p[1]*float64(c.numRet-c.numRelRet) +
				p[2]*float64(c.numRel-c.numRelRet) +
				p[3]*float64(t.Opts.NumDocsInColl+c.numRelRet-c.numRet-c.numRel)
		},
	})
}
