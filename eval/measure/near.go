package measure

func init() {
	Register(&Family{
		Name:    "near",
		Summary: "1 if a top-k model is within ε of the best judged value (tolerance-aware hit)",
		Help: `near@k: 1 if one of the first k judged models in run order has a value
within ε of the best judged value of the topic, else 0:
    near@k = [ max{ v(d) : d among the first k judged } ≥ max_d v(d) − ε ]
Unjudged models are skipped, as for regret@k. ε is --epsilon: a number of
points, or 'noise' for the topic's fine-tuning noise σ_t (the pooled
standard deviation of the base models' seed runs, see 'mreval noise').
With ε = 0 it is 1 exactly when regret@k = 0. Undefined without judged
models.`,
		Params: Cutoffs, Domain: CutoffDomain,
		Calc: func(t *Topic, cutoffs []float64, out []float64) {
			regrets := make([]float64, len(cutoffs))
			regretCalc(t, cutoffs, regrets)
			eps := t.Opts.Epsilon
			if e, ok := t.Opts.EpsilonByTopic[t.ID]; ok {
				eps = e
			}
			for j, r := range regrets {
				switch {
				case r != r: // undefined
					out[j] = undefined
				case r <= eps:
					out[j] = 1
				default:
					out[j] = 0
				}
			}
		},
	})
}
