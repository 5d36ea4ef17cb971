package measure

import "math"

func init() {
	Register(&Family{
		Name:    "yaap",
		Summary: "yet another average precision (Robertson's smoothed AP)",
		Help: `Robertson's adaptation of average precision, better behaved when averaged
over topics:
    yaap = log( (1 + S) / (1 + R − S) ),  S = Σ_{r relevant retrieved} P@rank(r)
R = num_rel. Not in trec_eval's all_trec; named explicitly (-m yaap).
Cite: Robertson, "On Smoothing Average Precision", ECIR 2012, LNCS 7224,
pp. 158–169 (trec_eval 9.0.8, m_yaap.c).`,
		Trec: true,
		Calc: func(t *Topic, _ []float64, out []float64) {
			c := t.trecCounts()
			relSoFar, sum := 0, 0.0
			for i, r := range c.rels {
				if t.relevant(r) {
					relSoFar++
					sum += float64(relSoFar) / float64(i+1)
				}
			}
			x := (1 + sum) / (1 + float64(c.numRel) - sum)
			if x < 0 {
				out[0] = indefinite // glibc's log of a negative number
				return
			}
			out[0] = math.Log(x)
		},
	})
}
