package noise

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/measure"
	"github.com/ntcir-pmr/mreval/internal/testtree"
)

func parseMeasures(t testing.TB, specs ...string) []*measure.Measure {
	t.Helper()
	ms, err := measure.ParseAll(specs)
	require.NoError(t, err)
	return ms
}

// column finds a column by name.
func column(t testing.TB, c *Ceilings, name string) int {
	t.Helper()
	for i, col := range c.Columns {
		if col.Name == name {
			return i
		}
	}
	t.Fatalf("no column %s", name)
	return -1
}

// Without noise every draw is the shipped qrels: the oracle scores exactly
// 1 (nDCG, τw) and 0 (regret) on every draw, and a run scores what
// measure.Evaluate gives it, worked out here by hand.
func TestCeilingsWithoutNoise(t *testing.T) {
	q := testtree.ParseQrels(t, "tiny.qrels", "t1 0 a 90\nt1 0 b 80\nt1 0 c 70\nt1 0 d 60\nt2 0 x 50\nt2 0 y 40\n")
	rev := testtree.ParseRun(t, "rev.run", "t1 Q0 d 1 4 rev\nt1 Q0 c 2 3 rev\nt1 Q0 b 3 2 rev\nt1 Q0 a 4 1 rev\n")
	none := Perturbation{Model: Gaussian, Sigma: 0}
	in := Input{Qrels: q, Topics: []string{"t1", "t2"}, Noise: map[string]Perturbation{"t1": none, "t2": none}, Runs: []*eval.Run{rev}}
	c, err := ComputeCeilings(in, Config{Measures: parseMeasures(t, "ndcg@10", "tauw", "regret@1"), Draws: 50, Seed: 7})
	require.NoError(t, err)
	require.Equal(t, []System{{Tag: "oracle", File: "tiny.qrels"}, {Tag: "rev", File: "rev.run", Missing: []string{"t2"}}}, c.Systems)
	ndcg, tauw, regret := column(t, c, "ndcg@10"), column(t, c, "tauw"), column(t, c, "regret@1")

	for topic := range c.Topics {
		assert.Equal(t, Summary{Mean: 1, Lo: 1, Hi: 1, Defined: 50}, c.Topic(0, ndcg, topic, 0.95))
		assert.Equal(t, Summary{Mean: 0, Lo: 0, Hi: 0, Defined: 50}, c.Topic(0, regret, topic, 0.95))
		// τw is T/√T/√T in SciPy's order of operations, which rounds to
		// 1 − 2 ulp on t1 (measure.Evaluate gives the same).
		for _, v := range c.Values(0, tauw, topic) {
			assert.InDelta(t, 1, v, 3e-16)
		}
	}
	assert.Equal(t, Summary{Mean: 1, Lo: 1, Hi: 1, Defined: 50}, c.All(0, ndcg, 0.95))

	// The reversed run on t1: DCG = 60/log2 2 + 70/log2 3 + 80/log2 4 + 90/log2 5,
	// IDCG = 90/log2 2 + 80/log2 3 + 70/log2 4 + 60/log2 5; τw = −1; regret 90 − 60.
	dcg := 60/1.0 + 70/math.Log2(3) + 80/2.0 + 90/math.Log2(5)
	idcg := 90/1.0 + 80/math.Log2(3) + 70/2.0 + 60/math.Log2(5)
	for _, v := range c.Values(1, ndcg, 0) {
		assert.InDelta(t, dcg/idcg, v, 1e-15)
	}
	for _, v := range c.Values(1, tauw, 0) {
		assert.InDelta(t, -1, v, 3e-16)
	}
	assert.Equal(t, Summary{Mean: 30, Lo: 30, Hi: 30, Defined: 50}, c.Topic(1, regret, 0, 0.95))
	// t2 is missing from the run: an empty ranking has nDCG 0, regret
	// max − min = 10, and τw undefined (every score is −∞).
	assert.Equal(t, Summary{Mean: 0, Lo: 0, Hi: 0, Defined: 50}, c.Topic(1, ndcg, 1, 0.95))
	assert.Equal(t, Summary{Mean: 10, Lo: 10, Hi: 10, Defined: 50}, c.Topic(1, regret, 1, 0.95))
	s := c.Topic(1, tauw, 1, 0.95)
	assert.Equal(t, 0, s.Defined)
	assert.True(t, math.IsNaN(s.Mean) && math.IsNaN(s.Lo) && math.IsNaN(s.Hi))
	// The mean over topics uses the topics where the value is defined.
	all := c.All(1, tauw, 0.95)
	assert.Equal(t, 50, all.Defined)
	assert.InDelta(t, -1, all.Mean, 3e-16)
	assert.Equal(t, Summary{Mean: 20, Lo: 20, Hi: 20, Defined: 50}, c.All(1, regret, 0.95))

	// The scores on the shipped qrels.
	assert.Equal(t, 30.0, c.Shipped(1, regret, 0))
	assert.Equal(t, 10.0, c.Shipped(1, regret, 1))
	assert.Equal(t, 20.0, c.ShippedMean(1, regret))
	assert.True(t, math.IsNaN(c.Shipped(1, tauw, 1)))
	assert.Equal(t, 0.0, c.ShippedMean(0, regret))

	// Without noise the difference between two systems is the same on
	// every draw: the reversed run's regret is 30 and 10 above the oracle's.
	assert.Equal(t, Summary{Mean: 20, Lo: 20, Hi: 20, Defined: 50}, Summarise(c.DiffValues(1, 0, regret), 0.95))
}

// Two models one point apart and residuals −2, 0, +2: the nine equally
// likely residual pairs (r_a, r_b) swap the oracle's order when
// r_b − r_a > 1, i.e. for (−2, 0), (0, 2) by one point and (−2, 2) by three.
// So E[regret@1] = (1 + 1 + 3)/9 = 5/9 and E[τw] = (6·1 + 3·(−1))/9 = 1/3;
// the nDCG@10 expectation is enumerated over the nine pairs.
func TestCeilingsKnownExpectation(t *testing.T) {
	q := testtree.ParseQrels(t, "tiny.qrels", "s 0 a 51\ns 0 b 50\n")
	in := Input{Qrels: q, Topics: []string{"s"}, Noise: map[string]Perturbation{"s": {Model: Empirical, Residuals: []float64{-2, 0, 2}}}}
	const draws = 20000
	c, err := ComputeCeilings(in, Config{Measures: parseMeasures(t, "ndcg@10", "tauw", "regret@1"), Draws: draws, Seed: 11})
	require.NoError(t, err)

	wantNDCG := 0.0
	for _, ra := range []float64{-2, 0, 2} {
		for _, rb := range []float64{-2, 0, 2} {
			xa, xb := 51+ra, 50+rb
			hi, lo := max(xa, xb), min(xa, xb)
			wantNDCG += (xa + xb/math.Log2(3)) / (hi + lo/math.Log2(3)) / 9
		}
	}
	// Tolerances: 5 standard errors over 20,000 draws (standard
	// deviations 0.956 for regret, 0.943 for τw, < 0.01 for nDCG).
	regret := c.Topic(0, column(t, c, "regret@1"), 0, 0.95)
	assert.InDelta(t, 5.0/9, regret.Mean, 5*0.956/math.Sqrt(draws))
	assert.Equal(t, [2]float64{0, 3}, [2]float64{regret.Lo, regret.Hi}, "P(regret = 3) = 1/9 > 2.5 %")
	tauw := c.Topic(0, column(t, c, "tauw"), 0, 0.95)
	assert.InDelta(t, 1.0/3, tauw.Mean, 5*0.943/math.Sqrt(draws))
	assert.Equal(t, [2]float64{-1, 1}, [2]float64{tauw.Lo, tauw.Hi})
	ndcg := c.Topic(0, column(t, c, "ndcg@10"), 0, 0.95)
	assert.InDelta(t, wantNDCG, ndcg.Mean, 5*0.01/math.Sqrt(draws))
	assert.Equal(t, 1.0, ndcg.Hi)
}

func TestSummarise(t *testing.T) {
	values := make([]float64, 1000)
	for i := range values {
		values[i] = float64(1000 - i) // unsorted on purpose
	}
	// The 25th and 975th of 1, …, 1000.
	assert.Equal(t, Summary{Mean: 500.5, Lo: 25, Hi: 975, Defined: 1000}, Summarise(values, 0.95))
	// Undefined draws are left out and counted.
	s := Summarise([]float64{math.NaN(), 3, 1, math.NaN(), 2}, 0.5)
	// m = 3: order statistics ⌈0.75⌉ = 1st and ⌈2.25⌉ = 3rd.
	assert.Equal(t, Summary{Mean: 2, Lo: 1, Hi: 3, Defined: 3}, s)
	none := Summarise([]float64{math.NaN()}, 0.95)
	assert.Equal(t, 0, none.Defined)
	assert.True(t, math.IsNaN(none.Mean))
}

// DiffValues averages, draw by draw, the differences over the topics
// where both systems are defined.
func TestDiffValuesByHand(t *testing.T) {
	cols := measure.Columns(parseMeasures(t, "regret@1"))
	nan := math.NaN()
	// Two topics × three draws per system: topic-major, as values stores them.
	c := &Ceilings{Topics: []string{"t1", "t2"}, Columns: cols, Draws: 3, Systems: []System{{Tag: OracleTag}, {Tag: "a"}, {Tag: "b"}},
		values: [][]float64{
			{0, 0, 0, 0, 0, 0},
			{1, 2, 3, 10, nan, nan},
			{0, 5, nan, 4, 4, nan},
		}}
	// Draw 0: (1 − 0 + 10 − 4)/2 = 3.5; draw 1: only t1, 2 − 5 = −3;
	// draw 2: no topic has both.
	d := c.DiffValues(1, 2, 0)
	assert.Equal(t, []float64{3.5, -3}, d[:2])
	assert.True(t, math.IsNaN(d[2]))
}

func TestCeilingsErrors(t *testing.T) {
	q := testtree.ParseQrels(t, "tiny.qrels", "t1 0 a 90\nt1 0 b 80\n")
	noise := map[string]Perturbation{"t1": {Model: Gaussian, Sigma: 1}}
	ms := parseMeasures(t, "tauw")
	in := Input{Qrels: q, Topics: []string{"t1"}, Noise: noise}
	for _, tc := range []struct {
		name string
		in   Input
		cfg  Config
		want string
	}{
		{"one draw", in, Config{Measures: ms, Draws: 1}, "ceilings need at least 2 draws, got 1"},
		{"no topics", Input{Qrels: q, Noise: noise}, Config{Measures: ms}, "ceilings: no topics"},
		{"unjudged topic", Input{Qrels: q, Topics: []string{"t9"}, Noise: noise}, Config{Measures: ms}, "tiny.qrels: topic t9 has no judgments"},
		{"no noise", Input{Qrels: q, Topics: []string{"t1"}}, Config{Measures: ms}, "topic t1 has no noise model (no seed runs)"},
		{"empty pool", Input{Qrels: q, Topics: []string{"t1"}, Noise: map[string]Perturbation{"t1": {Model: Empirical}}}, Config{Measures: ms},
			"topic t1: the empirical noise model has no residuals"},
		{"bad sigma", Input{Qrels: q, Topics: []string{"t1"}, Noise: map[string]Perturbation{"t1": {Model: Gaussian, Sigma: math.NaN()}}}, Config{Measures: ms},
			"topic t1: σ = NaN is not a finite non-negative number"},
		{"count measure", in, Config{Measures: parseMeasures(t, "num_ret")}, "measure num_ret is a count or a sum over topics, not a per-topic score"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ComputeCeilings(tc.in, tc.cfg)
			assert.EqualError(t, err, tc.want)
		})
	}
}

// sameValues compares two ceilings value by value, bit for bit (NaN
// equal to NaN).
func sameValues(t *testing.T, want, got *Ceilings) {
	t.Helper()
	require.Equal(t, len(want.values), len(got.values))
	same := func(w, g float64) bool {
		return math.Float64bits(w) == math.Float64bits(g) || (math.IsNaN(w) && math.IsNaN(g))
	}
	for i := range want.values {
		s, col := i/len(want.Columns), i%len(want.Columns)
		for j, w := range want.values[i] {
			if g := got.values[i][j]; !same(w, g) {
				t.Fatalf("%s %s topic %s draw %d: %v, want %v", want.Systems[s].Tag, want.Columns[col].Name,
					want.Topics[j/want.Draws], j%want.Draws, g, w)
			}
		}
		for j, w := range want.shipped[i] {
			if g := got.shipped[i][j]; !same(w, g) {
				t.Fatalf("%s %s topic %s, shipped qrels: %v, want %v", want.Systems[s].Tag, want.Columns[col].Name, want.Topics[j], g, w)
			}
		}
	}
}

// The kernels give exactly what measure.Evaluate gives on the drawn qrels,
// on a topic built to hit the corner cases: tied values (and residuals
// that make ties in the draws), negative and zero values, scores tied
// exactly and only as 32-bit floats, unjudged documents in the run,
// judged documents missing from it, a topic with one judged model, a
// topic a run lacks.
func TestKernelsAgreeWithEvaluateCorners(t *testing.T) {
	q := testtree.ParseQrels(t, "tiny.qrels", strings.Join([]string{
		"c 0 a 3", "c 0 b 3", "c 0 c 1", "c 0 d 0", "c 0 e -1", "c 0 f 2", "c 0 g 2", "c 0 h 5", "c 0 i 1", "c 0 j 4",
		"c 0 k 3", "c 0 l 0",
		"one 0 z 7",
		"m 0 p 10", "m 0 q 20", "m 0 r 30",
	}, "\n")+"\n")
	run := testtree.ParseRun(t, "r.run", strings.Join([]string{
		"c Q0 b 1 9 r", "c Q0 x 2 8.5 r", "c Q0 a 3 8 r", "c Q0 c 4 8 r", "c Q0 h 5 7.000000001 r", "c Q0 j 6 7 r",
		"c Q0 y 7 6 r", "c Q0 e 8 5 r", "c Q0 f 9 5 r", "c Q0 d 10 4 r", "c Q0 l 11 3 r",
		"one Q0 z 1 1 r",
	}, "\n")+"\n")
	flat := testtree.ParseRun(t, "flat.run", "c Q0 a 1 1 flat\nc Q0 b 2 1 flat\nm Q0 q 1 1 flat\n")
	small := Perturbation{Model: Empirical, Residuals: []float64{-1, 0, 0, 1, -3}}
	in := Input{Qrels: q, Topics: []string{"c", "m", "one"}, Runs: []*eval.Run{run, flat},
		Noise: map[string]Perturbation{"c": small, "m": {Model: Gaussian, Sigma: 5}, "one": small}}
	opts := measure.DefaultOptions()
	opts.Epsilon = 1
	opts.EpsilonByTopic = map[string]float64{"m": 4}
	ms := parseMeasures(t, "ndcg@1,3,10,15", "tauw", "regret@1,2", "near@1,3", "P@5", "spearman")
	cfg := Config{Measures: ms, Options: opts, Draws: 200, Seed: 3}
	fast, err := ComputeCeilings(in, cfg)
	require.NoError(t, err)
	cfg.generic = true
	slow, err := ComputeCeilings(in, cfg)
	require.NoError(t, err)
	sameValues(t, slow, fast)
	// The draws did produce ties and both orders of the swapped pair.
	tauw := fast.Values(1, column(t, fast, "tauw"), 0)
	assert.Greater(t, Summarise(tauw, 0.95).Hi-Summarise(tauw, 0.95).Lo, 0.1)
}

// The same check on the recycling collection: a few draws of the 12 test
// topics, the oracle and the reference runs.
func TestKernelsAgreeWithEvaluateRecycling(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the recycling collection")
	}
	in, runs := recyclingInput(t, Empirical)
	in.Runs = runs
	cfg := Config{Measures: parseMeasures(t, "ndcg@10", "tauw", "regret@1"), Draws: 3, Seed: 5}
	fast, err := ComputeCeilings(in, cfg)
	require.NoError(t, err)
	cfg.generic = true
	slow, err := ComputeCeilings(in, cfg)
	require.NoError(t, err)
	sameValues(t, slow, fast)
	// On the shipped qrels, a run scores what `mreval eval -c` gives it.
	q := *in.Qrels
	q.Topics = in.Topics
	for s, run := range runs {
		res := measure.Evaluate(&q, run, measure.Config{Measures: cfg.Measures, Complete: true})
		require.Equal(t, in.Topics, res.Topics)
		for col := range fast.Columns {
			for topic := range in.Topics {
				assert.Equal(t, res.PerTopic[topic][col], fast.Shipped(s+1, col, topic))
			}
			assert.Equal(t, res.All[col], fast.ShippedMean(s+1, col))
		}
	}
}

// Same seed, same numbers, whatever the number of workers; a topic's
// draws do not depend on the other topics computed with it; another seed
// gives other draws.
func TestCeilingsDeterministic(t *testing.T) {
	in, _ := recyclingInput(t, Empirical)
	in.Topics = in.Topics[:3]
	ms := parseMeasures(t, "ndcg@10", "tauw", "regret@1")
	cfg := Config{Measures: ms, Draws: 40, Seed: 9, Workers: 1}
	one, err := ComputeCeilings(in, cfg)
	require.NoError(t, err)
	cfg.Workers = 3
	three, err := ComputeCeilings(in, cfg)
	require.NoError(t, err)
	sameValues(t, one, three)

	alone := in
	alone.Topics = in.Topics[1:2]
	single, err := ComputeCeilings(alone, cfg)
	require.NoError(t, err)
	for col := range ms {
		assert.Equal(t, one.Values(0, col, 1), single.Values(0, col, 0))
	}

	cfg.Seed = 10
	other, err := ComputeCeilings(in, cfg)
	require.NoError(t, err)
	assert.NotEqual(t, one.Values(0, 0, 0), other.Values(0, 0, 0))
}

func TestCeilingsProgress(t *testing.T) {
	q := testtree.ParseQrels(t, "tiny.qrels", "t1 0 a 90\nt1 0 b 80\n")
	in := Input{Qrels: q, Topics: []string{"t1"}, Noise: map[string]Perturbation{"t1": {Model: Gaussian, Sigma: 1}}}
	var calls []int
	_, err := ComputeCeilings(in, Config{Measures: parseMeasures(t, "tauw"), Draws: 30, Workers: 3, Progress: func(done, total int) {
		assert.Equal(t, 30, total)
		calls = append(calls, done) // calls are serialised
	}})
	require.NoError(t, err)
	want := make([]int, 31)
	for i := range want {
		want[i] = i
	}
	assert.Equal(t, want, calls)
}
