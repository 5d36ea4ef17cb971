package measure

func init() {
	Register(&Family{
		Name:    "set_F",
		Summary: "F measure of the retrieved set",
		Help: `Set F: the weighted harmonic mean of set precision P and set recall R,
    set_F(x) = (x + 1)·P·R / (R + x·P)
x the weight of recall relative to precision (default 1: F1); 0 when
nothing relevant is retrieved. Named set_F_<x as written> when x is given.
Cite: trec_eval 9.0.8, m_set_F.c; a variant of van Rijsbergen's E measure
(Information Retrieval, Butterworths, 1979).`,
		Trec: true, Params: Real, Domain: Domain{What: "weight x", Min: 0, Max: 1e9},
		Defaults: []float64{1},
		Calc: func(t *Topic, p []float64, out []float64) {
			c := t.trecCounts()
			if c.numRelRet == 0 {
				return
			}
			P := float64(c.numRelRet) / float64(c.numRet)
			R := float64(c.numRelRet) / float64(c.numRel)
			x := p[0]
			out[0] = (x + 1) * P * R / (x*P + R)
		},
	})
}
