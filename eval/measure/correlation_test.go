package measure

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/ntcir-pmr/mreval/eval/rankcorr"
)

// TestCorrelationsShareTheirPairs scores the correlation measures of a
// topic together (they share the topic's pairs, built once) and one by
// one, which must agree exactly, and pins the values: m4 is judged but
// not retrieved (−∞ for all but pearson, which leaves it out).
func TestCorrelationsShareTheirPairs(t *testing.T) {
	q, run := accuracyTopic("m1", "m3", "m2") // scores m1 3, m3 2, m2 1
	names := []string{"tauw", "pearson", "tauw_sym", "kendall_b", "spearman"}
	together := scoreOne(t, q, run, Config{}, names...)
	for _, name := range names {
		alone := scoreOne(t, q, run, Config{}, name)
		assert.Equal(t, math.Float64bits(alone[name]), math.Float64bits(together[name]), name)
	}

	// Qrels order m1 m2 m3 m4. Of the 6 pairs, (m1,m3) and (m2,m4) are
	// concordant, the other 4 discordant: τb = (2 − 4)/6.
	assert.InDelta(t, -1.0/3, together["kendall_b"], 1e-15)
	truth, score := []float64{87.25, 91.5, 60, 88}, []float64{3, 1, 2, math.Inf(-1)}
	tauw, _ := rankcorr.WeightedTau(truth, score)
	tauwSym, _ := rankcorr.WeightedTauSym(truth, score)
	assert.Equal(t, tauw, together["tauw"])
	assert.Equal(t, tauwSym, together["tauw_sym"])
	// Pearson over the 3 retrieved: Σdxdy = 7.667 − 11.917 = −4.25,
	// Σdx² = 584.29, Σdy² = 2.
	assert.InDelta(t, -4.25/math.Sqrt(584.2916666666666*2), together["pearson"], 1e-12)
}
