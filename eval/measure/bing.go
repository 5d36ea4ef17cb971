package measure

import "math"

func init() {
	Register(&Family{
		Name:    "binG",
		Summary: "binary G: relevant documents discounted by the non-relevant ones above",
		Help: `Binary G, an experimental measure of trec_eval (4/10/2008) between MAP and
nDCG: each relevant retrieved document counts 1/log2(2 + n), n the
non-relevant (or unjudged) documents above it, averaged over R = num_rel:
    binG = (1/R) Σ_{r relevant retrieved} 1/log2(2 + n_r)
Cite: trec_eval 9.0.8, m_binG.c.`,
		Trec: true,
		Calc: func(t *Topic, _ []float64, out []float64) {
			c := t.trecCounts()
			var relSoFar int64
			sum := 0.0
			for i, r := range c.rels {
				if t.relevant(r) {
					relSoFar++
					sum += 1 / math.Log2(float64(3+int64(i)-relSoFar))
				}
			}
			if relSoFar > 0 {
				out[0] = sum / float64(c.numRel)
			}
		},
	})
}
