package leaderboard

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/measure"
	"github.com/ntcir-pmr/mreval/eval/noise"
	"github.com/ntcir-pmr/mreval/internal/testtree"
)

func noiseTestRun(t *testing.T, tag string, order ...string) *eval.Run {
	t.Helper()
	var b strings.Builder
	for i, d := range order {
		b.WriteString("s Q0 " + d + " " + string(rune('1'+i)) + " " + string(rune('9'-i)) + " " + tag + "\n")
	}
	return testtree.ParseRun(t, tag+".run", b.String())
}

// Models a = 51, b = 50, c = 40 and residuals −2, 0, +2 (r_a, r_b, r_c).
// The oracle (a first) has regret@1 = max(0, r_b − r_a − 1) ∈ {0, 1, 3}
// with probabilities 6/9, 2/9, 1/9 (c can never overtake a or b: it is 10
// points behind, the residuals differ by 4 at most). On a draw, the runs
// putting a, b or c first differ by
//
//	afirst − bfirst = x_b − x_a = −1 + r_b − r_a ∈ {−5, −3, −1, 1, 3} (probabilities 1, 2, 3, 2, 1 ninths),
//	afirst − cfirst ≤ 3 − 7 < 0,   bfirst − cfirst = x_c − x_b ∈ [−14, −6],
//
// so only the pairs with cfirst keep their order on every draw.
func TestAddNoise(t *testing.T) {
	q := testtree.ParseQrels(t, "s.qrels", "s 0 a 51\ns 0 b 50\ns 0 c 40\n")
	runs := []*eval.Run{noiseTestRun(t, "cfirst", "c", "a", "b"), noiseTestRun(t, "afirst", "a", "b", "c"), noiseTestRun(t, "bfirst", "b", "a", "c")}
	ms, err := measure.ParseAll([]string{"regret@1"})
	require.NoError(t, err)
	results, _ := Score(q, runs, measure.Config{Measures: ms, Options: measure.DefaultOptions()}, nil)
	lb, err := Compute(q, results, Options{Seed: 1, Resamples: 100, Permutations: 100})
	require.NoError(t, err)
	require.Equal(t, []string{"afirst", "bfirst", "cfirst"}, []string{lb.Runs[0].Tag, lb.Runs[1].Tag, lb.Runs[2].Tag})

	c, err := noise.ComputeCeilings(noise.Input{Qrels: q, Topics: lb.Topics, Runs: runs,
		Noise: map[string]noise.Perturbation{"s": {Model: noise.Empirical, Residuals: []float64{-2, 0, 2}}}},
		noise.Config{Measures: ms, Draws: 1000, Seed: 1})
	require.NoError(t, err)
	require.NoError(t, AddNoise(lb, c, noise.Empirical))

	n := lb.Noise
	require.NotNil(t, n)
	assert.Equal(t, "empirical", n.Model)
	assert.Equal(t, 1000, n.Draws)
	assert.Equal(t, 0.95, n.Level)
	require.Len(t, n.Measures, 1)
	nm := n.Measures[0]
	// E[regret] = 5/9; standard deviation 0.956, 5 standard errors.
	assert.InDelta(t, 5.0/9, nm.Ceiling.Mean, 5*0.956/31.6)
	assert.Equal(t, [2]float64{0, 3}, [2]float64{nm.Ceiling.Lo, nm.Ceiling.Hi})
	// Pairs (afirst, bfirst): shipped −1, re-drawn −5 … 3 (mean −1,
	// standard deviation √(8/3)); (afirst, cfirst) and (bfirst, cfirst).
	require.Len(t, nm.Pairs, 3)
	ab := nm.Pairs[0]
	assert.False(t, ab.Beyond)
	assert.Equal(t, [2]float64{-5, 3}, [2]float64{ab.Diff.Lo, ab.Diff.Hi})
	assert.InDelta(t, -1, ab.Diff.Mean, 5*math.Sqrt(8.0/3)/31.6)
	assert.True(t, nm.Pairs[1].Beyond)
	assert.True(t, nm.Pairs[2].Beyond)
	assert.Less(t, nm.Pairs[2].Diff.Hi, -5.9)
	assert.Equal(t, []int{1, 1, 2}, nm.BeyondNoise)
	assert.Equal(t, []int{2, 2, 2}, nm.Compared)

	other := *c
	other.Topics = []string{"t"}
	assert.EqualError(t, AddNoise(lb, &other, noise.Empirical), "the noise ceilings were computed on other topics (t) than the leaderboard's (s)")
	other = *c
	other.Systems = c.Systems[:2]
	assert.EqualError(t, AddNoise(lb, &other, noise.Empirical), "the noise ceilings lack run afirst")
}
