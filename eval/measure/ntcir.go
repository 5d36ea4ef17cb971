package measure

import (
	"math"
	"slices"

	"github.com/ntcir-pmr/mreval/eval/ntcir"
)

// The graded-relevance measures of NTCIREVAL (Sakai), computed by package
// eval/ntcir on the run's list (Topic.Ranked: run order, Options.Order;
// unjudged documents kept in place as non-relevant, or removed with
// Options.Condensed). Gain of a judged document = its level when positive.
// One rule for the whole family (NTCIR: true, here and in
// ntcir_binary.go): a topic without a relevant document has no value
// (NTCIREVAL refuses it), and Evaluate warns once about such topics.

func init() {
	Register(&Family{
		Name: "msndcg", NTCIR: true, Summary: "NTCIR's MSnDCG@k (trec_eval-style nDCG on graded levels)",
		Help: `Microsoft-style nDCG@k as NTCIREVAL reports it (Burges et al., ICML 2005;
Sakai, IP&M 43(2), 2007): DCG@k = Σ_{r≤k} g(r)/log(r+1), normalised by the
ideal list's DCG@k. g(r) = level of the document at rank r (0 unjudged).
Undefined (null) for a topic without relevant documents.`,
		Params: Cutoffs, Domain: CutoffDomain,
		Calc: ntcirCut(func(r, ideal []float64, k int, _ *Topic) (float64, bool) {
			return ntcir.MSnDCG(r, ideal, k)
		}),
	})
	Register(&Family{
		Name: "ndcg_orig", NTCIR: true, Summary: "original Järvelin–Kekäläinen nDCG@k (log base 2)",
		Help: `Original nDCG@k of Järvelin & Kekäläinen (ACM TOIS 20(4), 2002) with log
base b = 2: ranks r ≤ b are not discounted, later ones divided by log_b r.
Undefined for a topic without relevant documents.`,
		Params: Cutoffs, Domain: CutoffDomain,
		Calc: ntcirCut(func(r, ideal []float64, k int, _ *Topic) (float64, bool) {
			return ntcir.NDCGOriginal(r, ideal, k, 2)
		}),
	})
	Register(&Family{
		Name: "nerr", NTCIR: true, Summary: "normalised expected reciprocal rank @k",
		Help: `nERR@k (Chapelle et al., CIKM 2009; normalised as in NTCIREVAL, Sakai &
Song 2011): ERR with stopping probability g/(g_max+1), g_max = the top
level of the grading scale (--max-level; by default the collection's
declared scale, else the highest level judged in the qrels), divided by
the ERR@k of the ideal list. Undefined without relevant documents.`,
		Params: Cutoffs, Domain: CutoffDomain,
		Calc: ntcirCut(func(r, ideal []float64, k int, t *Topic) (float64, bool) {
			return ntcir.NERR(r, ideal, t.maxLevel(), k)
		}),
	})
	Register(&Family{
		Name: "hit", NTCIR: true, Summary: "1 if a relevant document is in the top k",
		Help: `Hit@k: 1 if one of the first k retrieved documents is relevant (level > 0),
else 0. Undefined without relevant documents.`,
		Params: Cutoffs, Domain: CutoffDomain,
		Calc: ntcirCut(func(r, _ []float64, k int, _ *Topic) (float64, bool) {
			return ntcir.Hit(r, k), true
		}),
	})
	Register(&Family{
		Name: "q", NTCIR: true, Aliases: []string{"q_measure"}, Summary: "Sakai's Q-measure (β = 1 unless q_<β>)",
		Help: `Q-measure (Sakai, NTCIR-4 2004; IP&M 43(2), 2007):
    Q = (1/R) Σ_r isrel(r) · (β·cg(r) + count(r)) / (β·cg*(r) + r)
with cg the cumulative gain of the run, cg* of the ideal list, count(r) the
relevant documents up to r, R the number of relevant documents. β = 1 by
default; q_0.5 sets β. β = 0 gives AP. Undefined without relevant documents.`,
		Params: Real, Defaults: []float64{1},
		// β weighs gain against rank; past 1000 β·cg overflows sooner
		// than it changes the order of any published use (β ≤ 10).
		Domain: Domain{What: "β", Min: 0, Max: 1000},
		Calc: func(t *Topic, params []float64, out []float64) {
			r, ideal := t.gradedLists()
			out[0] = okOrUndefined(ntcir.Q(r, ideal, params[0]))
		},
	})
	Register(&Family{
		Name: "rbp", NTCIR: true, Summary: "rank-biased precision with persistence p (rbp_0.95)",
		Help: `Rank-biased precision (Moffat & Zobel, ACM TOIS 27(1), 2008):
    RBP = Σ_r (1−p)·p^(r−1)·g(r)/g_max
with g_max the top level of the grading scale (see nerr). Write rbp_0.95;
a bare 'rbp' uses p = 0.95. Undefined without relevant documents.`,
		Params: Real, Defaults: []float64{0.95},
		// p = 0 is the reader of the first document only; p = 1 weighs
		// every rank by 1 − p = 0, so every run would score 0.
		Domain: Domain{What: "persistence p", Min: 0, Max: 1, MaxOpen: true},
		Calc: func(t *Topic, params []float64, out []float64) {
			r, ideal := t.gradedLists()
			p := params[0]
			if p < 0 || p > 1 || len(ideal) == 0 {
				out[0] = undefined
				return
			}
			out[0] = ntcir.RBP(r, t.maxLevel(), p)
		},
	})
}

func okOrUndefined(v float64, ok bool) float64 {
	if !ok {
		return undefined
	}
	return v
}

func ntcirCut(f func(ranked, ideal []float64, k int, t *Topic) (float64, bool)) func(*Topic, []float64, []float64) {
	return func(t *Topic, cutoffs []float64, out []float64) {
		r, ideal := t.gradedLists()
		for j, k := range cutoffs {
			out[j] = undefined
			if len(ideal) > 0 {
				out[j] = okOrUndefined(f(r, ideal, int(k), t))
			}
		}
	}
}

// gradedLists returns the gain of each document of Topic.Ranked (run
// order; unjudged and non-positive: 0; unjudged ones already removed when
// condensed) and the gains of the judged relevant documents.
func (t *Topic) gradedLists() (ranked, ideal []float64) {
	ranked = make([]float64, 0, len(t.Ranked))
	for _, e := range t.Ranked {
		ranked = append(ranked, max(t.Qrels.Value[e.Doc], 0))
	}
	for _, d := range t.Qrels.Docs {
		if v := t.Qrels.Value[d]; v > 0 {
			ideal = append(ideal, v)
		}
	}
	slices.Sort(ideal)
	return ranked, ideal
}

// maxLevel is the top of the grading scale for nERR and RBP: Options.MaxLevel,
// or when it is unset (a Topic made without Evaluate) the topic's highest
// judged level.
func (t *Topic) maxLevel() float64 {
	if t.Opts.MaxLevel > 0 {
		return t.Opts.MaxLevel
	}
	hi := 1.0
	for _, v := range t.Qrels.Value {
		hi = math.Max(hi, v)
	}
	return hi
}
