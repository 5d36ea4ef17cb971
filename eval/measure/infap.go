package measure

// infapEpsilon is trec_eval's INFAP_EPSILON.
const infapEpsilon = .00001

func init() {
	Register(&Family{
		Name:    "infAP",
		Summary: "inferred average precision (sampled judgments)",
		Help: `Inferred AP for a judgment pool of which a random sample was judged:
documents judged with a negative level are in the pool but unjudged,
documents absent from the qrels are outside the pool. At the k-th retrieved
document (k ≥ 2) when it is relevant, with r relevant, n non-relevant and u
pooled-unjudged documents above it:
    E[P@k] = 1/k + ((k−1)/k) · ((r+n+u)/(k−1)) · ((r+ε)/(r+n+2ε)),  ε = 0.00001
and 1 at rank 1; infAP = (Σ E[P@k]) / R, R = num_rel (0 when R = 0).
Cite: Yilmaz & Aslam, "Estimating Average Precision with Incomplete and
Imperfect Judgments", CIKM 2006 (trec_eval 9.0.8, m_infap.c).`,
		Trec: true,
		Calc: func(t *Topic, _ []float64, out []float64) {
			c := t.trecCounts()
			var relSoFar, nonrelSoFar, unjudgedSoFar int64
			sum := 0.0
			for j, r := range c.rels {
				switch {
				case r == relNonPool:
					continue
				case r == relUnjudged:
					unjudgedSoFar++
					continue
				case r >= 0 && r < t.Opts.RelevanceLevel:
					nonrelSoFar++
					continue
				}
				relSoFar++
				if j == 0 {
					sum++
					continue
				}
				fj := float64(j)
				sum += 1/(fj+1) + (fj/(fj+1))*
					(float64(relSoFar-1+nonrelSoFar+unjudgedSoFar)/fj)*
					((float64(relSoFar-1)+infapEpsilon)/(float64(relSoFar-1+nonrelSoFar)+2*infapEpsilon))
			}
			if c.numRel > 0 {
				sum /= float64(c.numRel)
			}
			out[0] = sum
		},
	})
}
