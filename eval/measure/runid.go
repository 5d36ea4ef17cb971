package measure

func init() {
	Register(&Family{
		Name:    "runid",
		Summary: "the run's tag (trec_eval's runid line)",
		Help: `Not a number: the 'all' line prints the run tag of the run file's last
line, as trec_eval 9.0.8 does (m_runid.c: "Runid given by results input
file"). No per-topic lines.`,
		Trec: true, NoPerTopic: true, Aggregation: RunTag,
		Calc: func(t *Topic, _ []float64, out []float64) { out[0] = 0 },
	})
}
