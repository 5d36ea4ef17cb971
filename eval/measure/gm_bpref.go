package measure

func init() {
	Register(&Family{
		Name:    "gm_bpref",
		Summary: "bpref averaged with the geometric mean",
		Help: `bpref (see bpref) on each topic, averaged over topics with the geometric
mean, as gm_map: exp( (1/n) Σ_t log(max(bpref_t, 0.00001)) ). Printed only
in the 'all' line.
Cite: trec_eval 9.0.8, m_gm_bpref.c; Buckley & Voorhees, SIGIR 2004.`,
		Trec: true, NoPerTopic: true, Aggregation: GeoMean,
		Calc: func(t *Topic, _ []float64, out []float64) { out[0] = geoLog(bpref(t)) },
	})
}
