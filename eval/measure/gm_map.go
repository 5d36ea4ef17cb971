package measure

func init() {
	Register(&Family{
		Name:    "gm_map",
		Summary: "geometric mean average precision",
		Help: `Average precision as for map on each topic, averaged over topics with the
geometric mean:
    gm_map = exp( (1/n) Σ_t log(max(AP_t, 0.00001)) )
The floor 0.00001 is trec_eval's MIN_GEO_MEAN; under -c a topic the run
lacks counts as the floor. Printed only in the 'all' line. It rewards runs
that are consistent over topics rather than very good on some and very poor
on others.
Cite: trec_eval 9.0.8, m_gm_map.c; Robertson, "On GMAP: and other
transformations", CIKM 2006.`,
		Trec: true, NoPerTopic: true, Aggregation: GeoMean,
		Calc: func(t *Topic, _ []float64, out []float64) {
			c := t.trecCounts()
			relSoFar, sum := 0, 0.0
			for i, r := range c.rels {
				if t.relevant(r) {
					relSoFar++
					sum += float64(relSoFar) / float64(i+1)
				}
			}
			if relSoFar > 0 {
				sum /= float64(c.numRel)
			}
			out[0] = geoLog(sum)
		},
	})
}
