package measure

import (
	"math"

	"github.com/ntcir-pmr/mreval/eval"
)

// The counting measures of trec_eval (m_num_q.c, m_num_ret.c, m_num_rel.c,
// m_num_rel_ret.c). They are tiny, so they share a file.

func init() {
	Register(&Family{
		Name:    "num_q",
		Summary: "number of topics evaluated",
		Help: `Number of topics with results and judgments; with -c, every topic of the
qrels. Printed only in the 'all' lines, as trec_eval does.`,
		Trec: true, Integer: true, NoPerTopic: true, Aggregation: Count,
		Calc: func(t *Topic, _ []float64, out []float64) { out[0] = 1 },
	})
	Register(&Family{
		Name:    "num_ret",
		Summary: "number of retrieved documents",
		Help:    `Number of documents the run retrieved for the topic (summed over topics in 'all').`,
		Trec:    true, Integer: true, Aggregation: Sum,
		Calc: func(t *Topic, _ []float64, out []float64) { out[0] = float64(len(t.TrecRanked())) },
	})
	Register(&Family{
		Name:    "num_rel",
		Summary: "number of relevant documents",
		Help: `Number of judged documents whose level (the value truncated to an integer,
as trec_eval's atol) is at least the relevance level (-l, default 1) and
not negative. With -c the 'all' value is trec_eval's: the judged documents
with a level above 0 in every topic of the qrels, whatever -l says.`,
		Trec: true, Integer: true, Aggregation: Sum,
		Calc: func(t *Topic, _ []float64, out []float64) { out[0] = float64(t.NumRel()) },
		AllComplete: func(q *eval.Qrels) float64 {
			n := 0
			for _, tq := range q.ByID {
				for _, v := range tq.Value {
					if TrecLevel(v) > 0 {
						n++
					}
				}
			}
			return float64(n)
		},
	})
	Register(&Family{
		Name:    "num_rel_ret",
		Summary: "number of relevant documents retrieved",
		Help:    `Number of retrieved documents judged relevant (level ≥ 0 and ≥ -l; see num_rel).`,
		Trec:    true, Integer: true, Aggregation: Sum,
		Calc: func(t *Topic, _ []float64, out []float64) { out[0] = float64(t.trecCounts().numRelRet) },
	})
}

// undefined is the value of a measure that has no value for a topic.
var undefined = math.NaN()
