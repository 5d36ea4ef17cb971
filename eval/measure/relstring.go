package measure

import "strings"

func init() {
	Register(&Family{
		Name:    "relstring",
		Summary: "the relevance levels of the first n documents, as text",
		Help: `The relevance of the first n retrieved documents (default 10) as a string,
one character each: the level when 0–9, '>' above 9, '-' not in the qrels,
'.' judged with a negative level (in the pool, unjudged), '<' any other
value. Printed for each topic only (with -q), quoted: relstring 301 '1-0..'.
Cite: trec_eval 9.0.8, m_relstring.c.`,
		Trec: true, Params: Real, Domain: Domain{What: "length n", Min: 0, Max: MaxCutoff, Integer: true},
		Defaults: []float64{10}, Aggregation: NoAggregate,
		Calc: func(t *Topic, _ []float64, out []float64) { out[0] = undefined },
		Text: func(t *Topic, p []float64) string {
			c := t.trecCounts()
			n := min(int64(p[0]), c.numRet)
			var b strings.Builder
			for _, r := range c.rels[:max(n, 0)] {
				switch {
				case r > 9:
					b.WriteByte('>')
				case r >= 0:
					b.WriteByte(byte('0' + r))
				case r == relNonPool:
					b.WriteByte('-')
				case r == relUnjudged:
					b.WriteByte('.')
				default:
					b.WriteByte('<')
				}
			}
			return b.String()
		},
	})
}
