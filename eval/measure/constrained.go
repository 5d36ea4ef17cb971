package measure

import "math"

// Measures for hardware-aware selection: does the run recommend models the
// device can run? See eval/constraint and `mreval eval --constraint`.

func init() {
	Register(&Family{
		Name:    "feasible",
		Summary: "share of the run's top k that satisfy the --constraint",
		Help: `feasible@k: the fraction of the run's first k retrieved models (whole run,
before filtering) that satisfy the constraint given with --constraint:
    feasible@k = |{d in top k : d feasible}| / min(k, n)
n = number of retrieved models. Undefined for an empty ranking. Without a
constraint every model is feasible (1). Cite: Patil et al., "Recommending
Pre-Trained Models for IoT Devices".`,
		Params: Cutoffs, Domain: CutoffDomain,
		Calc: func(t *Topic, cutoffs []float64, out []float64) {
			ranked := t.Ranked
			if t.Feasible != nil {
				ranked = t.Unfiltered
			}
			for j, c := range cutoffs {
				k := min(int(c), len(ranked))
				if k == 0 {
					out[j] = undefined
					continue
				}
				n := 0
				for _, e := range ranked[:k] {
					if t.Feasible == nil || t.Feasible(e.Doc) {
						n++
					}
				}
				out[j] = float64(n) / float64(k)
			}
		},
	})
	Register(&Family{
		Name:    "cregret",
		Summary: "constrained regret: recommending an infeasible model is the worst outcome",
		Help: `Constrained top-k regret, in qrels units (lower is better):
    cregret@k = max_{d feasible} v(d) − max_{d in top k} u(d)
    u(d) = v(d) if d is feasible, else min_{d' feasible} v(d')
over the first k judged models of the whole (unfiltered) run; an
infeasible model counts as the worst feasible value even when it is
unjudged. With no judged model retrieved: max − min over the feasible
judged models. Undefined when no judged model is feasible. Without a
constraint it equals regret@k. cregret@1: best feasible value minus the
value of the run's top model if it fits, else minus the worst feasible
value.`,
		Params: Cutoffs, Domain: CutoffDomain, Direction: LowerIsBetter,
		Calc: func(t *Topic, cutoffs []float64, out []float64) {
			ranked, all := t.Ranked, t.Qrels
			if t.Feasible != nil {
				ranked, all = t.Unfiltered, t.UnfilteredQrels
			}
			lo, hi := t.valueRange() // over the feasible judged models
			if len(t.Qrels.Docs) == 0 {
				for j := range out {
					out[j] = undefined
				}
				return
			}
			for j, c := range cutoffs {
				best, seen := math.Inf(-1), 0
				for _, e := range ranked {
					if seen == int(c) {
						break
					}
					feasible := t.Feasible == nil || t.Feasible(e.Doc)
					v, judged := all.Value[e.Doc]
					switch {
					case !feasible:
						seen++
						best = math.Max(best, lo)
					case judged:
						seen++
						best = math.Max(best, v)
					}
				}
				if seen == 0 {
					best = lo
				}
				out[j] = hi - best
			}
		},
	})
}
