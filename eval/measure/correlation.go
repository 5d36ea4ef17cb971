package measure

import (
	"math"

	"github.com/ntcir-pmr/mreval/eval/rankcorr"
)

// The rank correlations between a topic's judged values and the run's
// scores. They share their inputs, so they share this file.

func init() {
	Register(&Family{
		Name:    "tauw",
		Aliases: []string{"weighted_tau", "wtau", "tau_w"},
		Summary: "weighted Kendall's τ (Model Spider convention); the task's official correlation",
		Help: `Weighted Kendall's τ (Vigna, WWW 2015, "A weighted correlation index for
rankings with ties"), as scipy.stats.weightedtau(truth, score, rank=None):
hyperbolic weight 1/(r+1) of the rank r in the decreasing lexicographic
order by (truth, score), additive pair weights; the Model Spider
convention (Zhang et al., NeurIPS 2023).
Over the topic's judged documents: truth = judged value; score = run
score, or −∞ for a judged document the run does not retrieve (tied below
everything); retrieved unjudged documents are ignored. Undefined (null)
with fewer than 2 judged documents or when scipy gives NaN (constant input).
Computed in O(n log n).`,
		Calc: func(t *Topic, _ []float64, out []float64) {
			out[0] = correlate(t, rankcorr.WeightedTau, false)
		},
	})
	Register(&Family{
		Name:    "tauw_sym",
		Summary: "symmetric weighted Kendall's τ (scipy's default rank=True)",
		Help: `As tauw, but the average of the weighted τ computed with the ranks from
(truth, score) and from (score, truth): scipy.stats.weightedtau's default.`,
		Calc: func(t *Topic, _ []float64, out []float64) {
			out[0] = correlate(t, rankcorr.WeightedTauSym, false)
		},
	})
	Register(&Family{
		Name:    "kendall_b",
		Aliases: []string{"kendall", "tau_b", "kendall_tau"},
		Summary: "Kendall's τ-b between judged values and run scores",
		Help: `Kendall's τ-b (Kendall 1945; scipy.stats.kendalltau) over the judged
documents, inputs as for tauw (unretrieved judged documents tied at −∞).
Undefined with fewer than 2 documents or a constant side.`,
		Calc: func(t *Topic, _ []float64, out []float64) {
			out[0] = correlate(t, rankcorr.KendallTauB, false)
		},
	})
	Register(&Family{
		Name:    "spearman",
		Aliases: []string{"rho", "spearman_rho"},
		Summary: "Spearman's ρ between judged values and run scores",
		Help: `Spearman's rank correlation (average ranks for ties; scipy.stats.spearmanr)
over the judged documents, inputs as for tauw.`,
		Calc: func(t *Topic, _ []float64, out []float64) {
			out[0] = correlate(t, rankcorr.Spearman, false)
		},
	})
	Register(&Family{
		Name:    "pearson",
		Aliases: []string{"pearson_r"},
		Summary: "Pearson's r between judged values and run scores (retrieved judged docs only)",
		Help: `Pearson's linear correlation between judged values and run scores over the
judged documents the run retrieved (a missing score has no numeric value,
so unretrieved documents are left out). Undefined with fewer than 2 such
documents or a constant side.`,
		Calc: func(t *Topic, _ []float64, out []float64) {
			out[0] = correlate(t, rankcorr.Pearson, true)
		},
	})
}

// correlate applies corr to the topic's pairs of judged value and run
// score (see correlationPairs).
func correlate(t *Topic, corr func(truth, score []float64) (float64, bool), retrievedOnly bool) float64 {
	truth, score := t.correlationPairs(retrievedOnly)
	v, ok := corr(truth, score)
	if !ok {
		return undefined
	}
	return v
}

// correlationPairs pairs each judged document's value with its run score,
// in qrels order: −∞ for a document the run does not retrieve, or, with
// retrievedOnly, no pair. The pairs are built once per topic and shared by
// every correlation measure (map lookups per document: on a zoo of a
// million models, tauw and tauw_sym would spend more time building them
// twice than computing), so corr must not modify them.
func (t *Topic) correlationPairs(retrievedOnly bool) (truth, score []float64) {
	c := &t.corrPairs[0]
	if retrievedOnly {
		c = &t.corrPairs[1]
	}
	if c.done {
		return c.truth, c.score
	}
	n := len(t.Qrels.Docs)
	truth = make([]float64, 0, n)
	score = make([]float64, 0, n)
	// Every retrieved document, judged or not: only judged ones are looked
	// up, and an insertion costs no more than the lookup that would avoid it.
	found := make(map[string]float64, len(t.Ranked))
	for _, e := range t.Ranked {
		found[e.Doc] = e.Score
	}
	for _, d := range t.Qrels.Docs {
		s, ok := found[d]
		if !ok {
			if retrievedOnly {
				continue
			}
			s = math.Inf(-1)
		}
		truth = append(truth, t.Qrels.Value[d])
		score = append(score, s)
	}
	c.truth, c.score, c.done = truth, score, true
	return truth, score
}
