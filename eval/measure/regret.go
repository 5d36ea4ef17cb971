package measure

import "math"

func init() {
	Register(&Family{
		Name:    "regret",
		Summary: "top-k regret in qrels units (accuracy points); lower is better",
		Help: `Top-k regret: how much worse the best of the run's first k judged models
is than the best judged model:
    regret@k = max_d v(d) − max{ v(d) : d among the first k judged docs in run order }
Unjudged retrieved documents are skipped (they cannot be scored). If the
run retrieves no judged document: max − min of the judged values (the
worst case). Undefined when the topic has no judgments. In qrels units:
accuracy points for Subtask A. Lower is better; 0 = the run's top model is
(one of) the best.`,
		Params: Cutoffs, Domain: CutoffDomain, Direction: LowerIsBetter,
		Calc: regretCalc,
	})
}

func regretCalc(t *Topic, cutoffs []float64, out []float64) {
	if len(t.Qrels.Docs) == 0 {
		for j := range out {
			out[j] = undefined
		}
		return
	}
	lo, hi := t.valueRange()
	for j, c := range cutoffs {
		best, seen := math.Inf(-1), 0
		for _, e := range t.Ranked {
			if seen == int(c) {
				break
			}
			if v, ok := t.Qrels.Value[e.Doc]; ok {
				seen++
				best = math.Max(best, v)
			}
		}
		if seen == 0 {
			best = lo
		}
		out[j] = hi - best
	}
}
