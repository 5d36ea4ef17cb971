package measure

import "github.com/ntcir-pmr/mreval/eval/ntcir"

// NTCIREVAL's binary measures. trec_eval has measures of the same names
// (map, recip_rank, P), but one name has one meaning: these follow
// NTCIREVAL — run order with scores compared as float64 (or file order,
// --order file), condensed lists with --condensed, relevant = level > 0,
// undefined without relevant documents — while map, recip_rank and P stay
// byte-identical to trec_eval.

func init() {
	Register(&Family{
		Name: "ap", NTCIR: true, Summary: "NTCIREVAL's average precision (AP); trec_eval's is map",
		Help: `Average precision as NTCIREVAL computes it (Q-measure with β = 0):
    AP = (1/R) Σ_{r: g(r) > 0} C(r)/r
C(r) = relevant documents in the top r, R = relevant documents judged;
relevant = level > 0. Differs from trec_eval's map in the run order (scores
compared as float64, not float32; --order file keeps the file's order),
--condensed, and the relevance rule (-l does not apply). Undefined
without relevant documents.
Cite: Sakai, "Alternatives to Bpref", SIGIR 2007.`,
		Calc: func(t *Topic, _ []float64, out []float64) {
			r, ideal := t.gradedLists()
			out[0] = okOrUndefined(ntcir.AP(r, ideal))
		},
	})
	Register(&Family{
		Name: "rr", NTCIR: true, Summary: "NTCIREVAL's reciprocal rank; trec_eval's is recip_rank",
		Help: `Reciprocal rank as NTCIREVAL computes it: 1/r for the rank r of the first
relevant document (level > 0), 0 when none is retrieved. Differs from
trec_eval's recip_rank in the run order (float64 scores, --order file),
--condensed and the relevance rule (-l does not apply). Undefined without
relevant documents.`,
		Calc: func(t *Topic, _ []float64, out []float64) {
			r, ideal := t.gradedLists()
			out[0] = undefined
			if len(ideal) > 0 {
				out[0] = ntcir.RR(r)
			}
		},
	})
	Register(&Family{
		Name: "prec", NTCIR: true, Summary: "NTCIREVAL's precision at k; P / p@k is trec_eval's",
		Help: `Precision at cutoff k as NTCIREVAL computes it: (relevant documents among
the first k)/k, relevant = level > 0, divided by k also when fewer than k
are retrieved. Names are case-insensitive, so p@k is trec_eval's P; this
is NTCIREVAL's: run order with float64 scores (or --order file),
--condensed, no -l. Undefined without relevant documents.`,
		Params: Cutoffs, Domain: CutoffDomain,
		Calc: ntcirCut(func(r, _ []float64, k int, _ *Topic) (float64, bool) {
			return ntcir.Precision(r, k), true
		}),
	})
}
