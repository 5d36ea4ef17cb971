package measure

import (
	"math"
	"slices"
)

func init() {
	Register(&Family{
		Name:    "ndcg",
		Aliases: []string{"ndcg_float"},
		Summary: "nDCG on the judged values (float gains), whole list or @k",
		Help: `Normalised discounted cumulative gain (Järvelin & Kekäläinen, ACM TOIS
20(4), 2002), on the judged values themselves, so accuracies such as 87.25
are gains:
    DCG@k  = Σ_{i=1..min(k,n)} g(v_i) / log2(i+1)
    nDCG@k = DCG@k / IDCG@k
v_i is the judged value of the document at rank i (unjudged: gain 0);
IDCG@k is the DCG of the judged values sorted decreasingly. 'ndcg' has no
cutoff. Gain g (--gain): linear g(v) = v if v > 0 else 0 (default);
minmax g(v) = (v − min)/(max − min) over the topic's judged values; exp2
g(v) = 2^v − 1 for graded levels. Ranking order: trec_eval's — score
descending with scores compared as 32-bit floats (trec_eval stores them
so), ties by docno descending. A topic whose ideal DCG is 0 (no positive gain) scores 0
and is reported in a warning; a topic absent from the run scores 0.
On integer qrels with the default gain this is trec_eval's ndcg.

Two nDCGs, side by side:
  ndcg@k       gains = the judged values as written (87.25 is 87.25)
  ndcg_cut.k   trec_eval's: gains = the values truncated to integers, as
               trec_eval reads them (87.25 is 87)
They agree on integer qrels and differ slightly on float ones (Subtask A:
fennec: ndcg@10 0.8256 vs ndcg_cut.10 0.8254); ndcg@10 is the task's.`,
		Trec: true, Params: Cutoffs, Domain: CutoffDomain, Bare: true,
		Calc: func(t *Topic, cutoffs []float64, out []float64) {
			ndcgFloat(t, cutoffs, out)
		},
	})
	Register(&Family{
		Name:    "ndcg_cut",
		Summary: "trec_eval's nDCG at cutoffs",
		Help: `trec_eval's ndcg_cut: nDCG@k as 'ndcg' above with integer relevance levels
as gains (the value truncated like trec_eval's atol; negative levels are
unjudged), trec_eval's ranking order (scores compared as 32-bit floats).
Output names ndcg_cut_k. Default cutoffs 5,10,15,20,30,100,200,500,1000.
Cite: Järvelin & Kekäläinen, ACM TOIS 20(4):422–446, 2002.`,
		Trec: true, Params: Cutoffs, Domain: CutoffDomain, Defaults: trecCutoffs,
		Calc: ndcgCut,
	})
}

// ndcgFloat computes nDCG at each cutoff (0 = whole list) on float gains.
func ndcgFloat(t *Topic, cutoffs []float64, out []float64) {
	ideal := make([]float64, 0, len(t.Qrels.Docs))
	for _, d := range t.Qrels.Docs {
		if g := t.gain(t.Qrels.Value[d]); g > 0 {
			ideal = append(ideal, g)
		}
	}
	slices.Sort(ideal)
	slices.Reverse(ideal)
	ranked := t.TrecRanked()
	for j, c := range cutoffs {
		k := len(ranked)
		if c > 0 {
			k = min(k, int(c))
		}
		dcg := 0.0
		for i, e := range ranked[:k] {
			if v, ok := t.Qrels.Value[e.Doc]; ok {
				if g := t.gain(v); g != 0 {
					dcg += g / math.Log2(float64(i+2))
				}
			}
		}
		kIdeal := len(ideal)
		if c > 0 {
			kIdeal = min(kIdeal, int(c))
		}
		idcg := 0.0
		for i, g := range ideal[:kIdeal] {
			idcg += g / math.Log2(float64(i+2))
		}
		out[j] = 0
		if idcg > 0 {
			out[j] = dcg / idcg
		}
	}
}

func ndcgCut(t *Topic, cutoffs []float64, out []float64) {
	rels := t.TrecRels()
	var ideal []float64
	for _, d := range t.Qrels.Docs {
		if l := TrecLevel(t.Qrels.Value[d]); l > 0 {
			ideal = append(ideal, float64(l))
		}
	}
	slices.Sort(ideal)
	slices.Reverse(ideal)
	for j, c := range cutoffs {
		k := min(len(rels), int(c))
		dcg := 0.0
		for i, r := range rels[:k] {
			if r > 0 {
				dcg += float64(r) / math.Log2(float64(i+2))
			}
		}
		idcg := 0.0
		for i, g := range ideal[:min(len(ideal), int(c))] {
			idcg += g / math.Log2(float64(i+2))
		}
		out[j] = dcg
		if idcg > 0 {
			out[j] = dcg / idcg
		}
	}
}
