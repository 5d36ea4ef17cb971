package leaderboard_test

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/leaderboard"
	"github.com/ntcir-pmr/mreval/eval/measure"
	"github.com/ntcir-pmr/mreval/eval/stats"
)

var nan = math.NaN()

// runData is one run of a hand-made evaluation: scores[column][topic].
type runData struct {
	tag    string
	scores [][]float64
}

// results builds measure results as measure.Evaluate would, from given
// per-topic scores, so that the assembly can be checked against hand
// calculations.
func results(t *testing.T, specs []string, topics []string, runs ...runData) []*measure.Result {
	t.Helper()
	ms, err := measure.ParseAll(specs)
	require.NoError(t, err)
	cols := measure.Columns(ms)
	var out []*measure.Result
	for _, rd := range runs {
		require.Len(t, rd.scores, len(cols), "run %s", rd.tag)
		res := &measure.Result{
			Run:     &eval.Run{Tag: rd.tag, File: rd.tag + ".run"},
			Columns: cols,
			Topics:  topics,
		}
		for ti := range topics {
			res.InRun = append(res.InRun, true)
			row := make([]float64, len(cols))
			for c := range cols {
				require.Len(t, rd.scores[c], len(topics), "run %s column %d", rd.tag, c)
				row[c] = rd.scores[c][ti]
			}
			res.PerTopic = append(res.PerTopic, row)
		}
		out = append(out, res)
	}
	return out
}

func tags(lb *leaderboard.Leaderboard) []string {
	var out []string
	for _, r := range lb.Runs {
		out = append(out, r.Tag)
	}
	return out
}

func ranks(lb *leaderboard.Leaderboard) []int {
	var out []int
	for _, r := range lb.Runs {
		out = append(out, r.Rank)
	}
	return out
}

// threeRuns: ndcg@10 (higher is better) and regret@1 (lower is better)
// on three topics.
func threeRuns(t *testing.T) []*measure.Result {
	return results(t, []string{"ndcg@10", "regret@1"}, []string{"t1", "t2", "t3"},
		runData{"A", [][]float64{{0.2, 0.4, 0.6}, {10, 0, 5}}},
		runData{"B", [][]float64{{0.1, 0.2, 0.6}, {20, 10, 0}}},
		runData{"C", [][]float64{{0.3, 0.5, 0.9}, {0, 0, 3}}},
	)
}

func TestScoreMatrix(t *testing.T) {
	res := threeRuns(t)
	m, err := leaderboard.ScoreMatrix(res, 1)
	require.NoError(t, err)
	assert.Equal(t, [][]float64{{10, 0, 5}, {20, 10, 0}, {0, 0, 3}}, m)

	_, err = leaderboard.ScoreMatrix(res, 2)
	assert.ErrorContains(t, err, "column 2 out of range")
	_, err = leaderboard.ScoreMatrix(nil, 0)
	assert.ErrorContains(t, err, "no runs")

	other := results(t, []string{"ndcg@10", "regret@1"}, []string{"t1", "t2"}, runData{"D", [][]float64{{1, 1}, {0, 0}}})
	_, err = leaderboard.ScoreMatrix(append(res, other...), 0)
	assert.ErrorContains(t, err, "runs A and D were scored on different topics (3 and 2)")
}

// TestComputeHandValues checks the assembled numbers against hand
// calculations: means, the t interval, and a pair whose orientation is
// flipped between the canonical (tag) order and the leaderboard order.
func TestComputeHandValues(t *testing.T) {
	lb, err := leaderboard.Compute(nil, threeRuns(t), leaderboard.Options{Seed: 3})
	require.NoError(t, err)
	require.Len(t, lb.Measures, 2)
	assert.Equal(t, []string{"C", "A", "B"}, tags(lb), "ndcg@10 descending")
	assert.Equal(t, []int{1, 2, 3}, ranks(lb))
	assert.Equal(t, []string{"t1", "t2", "t3"}, lb.Topics)
	assert.Equal(t, 0, lb.SortBy)
	assert.Equal(t, 0.95, lb.Level)
	assert.Equal(t, 0.05, lb.Alpha)
	assert.Equal(t, stats.DefaultResamples, lb.Resamples)
	assert.Equal(t, stats.DefaultResamples, lb.Permutations)

	ndcg := &lb.Measures[0]
	assert.Equal(t, "ndcg@10", ndcg.Name)
	assert.True(t, ndcg.HigherIsBetter)
	assert.Equal(t, [][]float64{{0.3, 0.5, 0.9}, {0.2, 0.4, 0.6}, {0.1, 0.2, 0.6}}, ndcg.Scores)
	a := ndcg.Runs[1]
	assert.InDelta(t, 0.4, a.Mean, 1e-15)
	assert.Equal(t, 3, a.Topics)
	assert.Equal(t, 0, a.Undefined)
	// x̄ ± t(0.975; 2)·s/√3 with s = 0.2; t(0.975; 2) = 4.302652729749464.
	half := 4.302652729749464 * 0.2 / math.Sqrt(3)
	assert.InDelta(t, 0.4-half, a.T.Lower, 1e-12)
	assert.InDelta(t, 0.4+half, a.T.Upper, 1e-12)
	assert.Empty(t, a.T.Undefined)
	assert.LessOrEqual(t, a.Bootstrap.Lower, a.Mean)
	assert.GreaterOrEqual(t, a.Bootstrap.Upper, a.Mean)
	assert.True(t, ndcg.Runs[0].Best)
	assert.False(t, ndcg.Runs[1].Best)

	// Pair (C, A): d = (0.1, 0.1, 0.3), d̄ = 1/6, s_d = √(1/75),
	// t = 2.5, p = 1 − t/√(2 + t²) (the closed form for 2 df);
	// randomisation: |Σ±dₜ| ≥ 0.5 for 2 of the 8 sign vectors;
	// g_z = J(2)·d̄/s_d with J(2) = 1/√π.
	p, aFirst := ndcg.Pair(0, 1)
	require.NotNil(t, p)
	assert.True(t, aFirst)
	assert.Equal(t, 0, p.A)
	assert.Equal(t, 1, p.B)
	assert.Equal(t, 3, p.Topics)
	assert.InDelta(t, 1.0/6, p.MeanDiff, 1e-12)
	assert.InDelta(t, 2.5, p.T, 1e-9)
	assert.InDelta(t, 1-2.5/math.Sqrt(8.25), p.TP, 1e-9)
	assert.Equal(t, 0.25, p.RandP)
	assert.True(t, p.RandExact)
	assert.Equal(t, 8, p.RandSamples)
	assert.InDelta(t, 0.8143375198381999, p.HedgesG, 1e-9)
	assert.Equal(t, 3, ndcg.TTestFamily)
	assert.Equal(t, 3, ndcg.RandomisationFamily)
	back, aFirst := ndcg.Pair(1, 0)
	assert.Same(t, p, back)
	assert.False(t, aFirst)
	none, _ := ndcg.Pair(1, 1)
	assert.Nil(t, none)

	// The HSD and ES_HSD matrices are stats' results, reordered: run C is
	// canonical index 2 and leaderboard position 0.
	canon := [][]float64{{0.2, 0.4, 0.6}, {0.1, 0.2, 0.6}, {0.3, 0.5, 0.9}}
	hsd, err := stats.RandomisedTukeyHSD(canon, stats.HSDOptions{Seed: 3})
	require.NoError(t, err)
	es, err := stats.EffectSizesHSD(canon)
	require.NoError(t, err)
	pos := []int{2, 0, 1} // leaderboard position → canonical index
	for d := range 3 {
		for e := range 3 {
			assert.Equal(t, hsd.P[pos[d]][pos[e]], ndcg.HSD.P[d][e], "P[%d][%d]", d, e)
			assert.Equal(t, es.ES[pos[d]][pos[e]], ndcg.HSD.ES[d][e], "ES[%d][%d]", d, e)
		}
	}
	assert.Equal(t, hsd.P[2][0], p.HSDP)
	assert.Equal(t, es.ES[2][0], p.ESHSD)
	assert.Equal(t, 3, ndcg.HSD.Topics)
	assert.Empty(t, ndcg.HSD.Dropped)
	assert.Equal(t, es.ResidualVariance, ndcg.HSD.ResidualVariance)
	assert.Equal(t, 2*2, ndcg.HSD.DF)

	// regret@1 is lower-is-better: C (mean 1) is best and gets letter a.
	regret := &lb.Measures[1]
	assert.False(t, regret.HigherIsBetter)
	assert.Equal(t, []float64{1, 5, 10}, []float64{regret.Runs[0].Mean, regret.Runs[1].Mean, regret.Runs[2].Mean})
	assert.True(t, regret.Runs[0].Best)
	assert.Equal(t, "a", regret.Runs[0].Letters[:1])
	// Pair (C, A) of regret: d = (−10, 0, −2), oriented C − A.
	pr, _ := regret.Pair(0, 1)
	assert.InDelta(t, -4.0, pr.MeanDiff, 1e-12)
	assert.Less(t, pr.T, 0.0)
	assert.Less(t, pr.HedgesG, 0.0)
	assert.Less(t, pr.ESHSD, 0.0)
}

// TestComputeSortedByLowerIsBetter sorts by regret: ascending.
func TestComputeSortedByLowerIsBetter(t *testing.T) {
	res := results(t, []string{"ndcg@10", "regret@1"}, []string{"t1", "t2", "t3"},
		runData{"A", [][]float64{{0.9, 0.9, 0.9}, {10, 0, 5}}},      // regret 5
		runData{"B", [][]float64{{0.1, 0.2, 0.6}, {2, 1, 0}}},       // regret 1
		runData{"C", [][]float64{{0.3, 0.5, 0.9}, {30, 0, 3}}},      // regret 11
		runData{"D", [][]float64{{0.3, 0.5, 0.9}, {1, 1, 1}}},       // regret 1, ties with B
		runData{"E", [][]float64{{0.3, 0.5, 0.9}, {nan, nan, nan}}}, // undefined
	)
	lb, err := leaderboard.Compute(nil, res, leaderboard.Options{SortBy: "regret@1", Resamples: 200, Permutations: 200})
	require.NoError(t, err)
	assert.Equal(t, 1, lb.SortBy)
	assert.Equal(t, []string{"B", "D", "A", "C", "E"}, tags(lb))
	assert.Equal(t, []int{1, 1, 3, 4, 5}, ranks(lb), "ties share a rank; the undefined run comes last")
	regret := &lb.Measures[1]
	assert.True(t, regret.Runs[0].Best)
	assert.True(t, regret.Runs[1].Best, "both runs tying for the best mean are marked")
	assert.False(t, regret.Runs[2].Best)
	e := regret.Runs[4]
	assert.True(t, math.IsNaN(e.Mean))
	assert.Equal(t, "the score is undefined on all 3 topics", e.MeanUndefined)
	assert.Equal(t, 0, e.Topics)
	assert.Equal(t, 3, e.Undefined)
	assert.Equal(t, "randomised Tukey HSD: no topic is defined for every run (all 3 dropped)", regret.HSD.Undefined)
	assert.Nil(t, regret.HSD.P)
	assert.Equal(t, regret.HSD.Undefined, regret.HSD.LettersUndefined)
	for _, rs := range regret.Runs {
		assert.Empty(t, rs.Letters)
	}
	// ndcg@10 is unaffected: its HSD runs on all topics.
	assert.Empty(t, lb.Measures[0].HSD.Undefined)
}

func TestComputeUndefinedCells(t *testing.T) {
	res := results(t, []string{"tauw"}, []string{"t1", "t2", "t3", "t4"},
		runData{"A", [][]float64{{0.5, nan, 0.7, 0.1}}},
		runData{"B", [][]float64{{0.2, 0.3, nan, 0.4}}},
	)
	lb, err := leaderboard.Compute(nil, res, leaderboard.Options{Resamples: 100, Permutations: 100})
	require.NoError(t, err)
	m := &lb.Measures[0]
	assert.Equal(t, []string{"A", "B"}, tags(lb)) // A: 1.3/3, B: 0.9/3
	assert.InDelta(t, 1.3/3, m.Runs[0].Mean, 1e-15)
	assert.Equal(t, 3, m.Runs[0].Topics)
	assert.Equal(t, 1, m.Runs[0].Undefined)
	assert.Equal(t, 1, m.Runs[1].Undefined)
	assert.Equal(t, 2, m.HSD.Topics)
	assert.Equal(t, []string{"t2", "t3"}, m.HSD.Dropped)
	assert.InDelta(t, 0.3, m.HSD.Means[0], 1e-15, "HSD means use the common topics t1, t4")
	p, _ := m.Pair(0, 1)
	assert.Equal(t, 2, p.Topics)
	assert.Equal(t, 2, p.Dropped)
	assert.InDelta(t, 0.0, p.MeanDiff, 1e-15)
	// d = (0.3, −0.3) on t1 and t4: t = 0, p = 1.
	assert.Empty(t, p.TUndefined)
	assert.InDelta(t, 0, p.T, 1e-9)
	assert.InDelta(t, 1, p.TP, 1e-9)
	assert.True(t, math.IsNaN(p.HedgesG))
	assert.Equal(t, "Hedges' g_z needs at least 3 topics, got 2 (the correction J(n−1) is 0 for n = 2)", p.HedgesGUndefined)
}

func TestComputeSingleRun(t *testing.T) {
	res := results(t, []string{"ndcg@10", "regret@1"}, []string{"t1", "t2"},
		runData{"only", [][]float64{{0.5, 0.7}, {1, 3}}})
	lb, err := leaderboard.Compute(nil, res, leaderboard.Options{Resamples: 100, Permutations: 100})
	require.NoError(t, err)
	assert.Equal(t, []string{"only"}, tags(lb))
	assert.Equal(t, []int{1}, ranks(lb))
	for _, m := range lb.Measures {
		assert.Empty(t, m.Pairs)
		assert.Equal(t, 0, m.TTestFamily)
		assert.Equal(t, "the Tukey HSD test compares at least 2 runs, got 1", m.HSD.Undefined)
		assert.Equal(t, "ES_HSD compares at least 2 runs, got 1", m.HSD.ESUndefined)
		assert.Equal(t, m.HSD.Undefined, m.HSD.LettersUndefined, "no letters without the test")
		assert.Empty(t, m.Runs[0].Letters)
		assert.True(t, m.Runs[0].Best)
		assert.False(t, m.Runs[0].WorseThanBest)
		assert.Empty(t, m.Runs[0].T.Undefined)
	}
	assert.InDelta(t, 0.6, lb.Measures[0].Runs[0].Mean, 1e-15)
	assert.Equal(t, 2.0, lb.Measures[1].Runs[0].Mean)
}

func TestComputeSingleTopic(t *testing.T) {
	res := results(t, []string{"ndcg@10"}, []string{"t1"},
		runData{"A", [][]float64{{0.5}}},
		runData{"B", [][]float64{{0.7}}},
	)
	lb, err := leaderboard.Compute(nil, res, leaderboard.Options{Resamples: 100, Permutations: 100})
	require.NoError(t, err)
	m := &lb.Measures[0]
	assert.Equal(t, []string{"B", "A"}, tags(lb))
	for _, rs := range m.Runs {
		assert.Equal(t, 1, rs.Topics)
		assert.True(t, math.IsNaN(rs.T.Lower))
		assert.Equal(t, "t-interval needs at least 2 topics, got 1 (the standard deviation has no degrees of freedom)", rs.T.Undefined)
		assert.Equal(t, "bootstrap interval needs at least 2 topics, got 1 (every resample equals the single score)", rs.Bootstrap.Undefined)
	}
	p, _ := m.Pair(0, 1)
	assert.InDelta(t, 0.2, p.MeanDiff, 1e-15)
	assert.Equal(t, "paired t-test needs at least 2 topics, got 1 (no degrees of freedom)", p.TUndefined)
	assert.True(t, math.IsNaN(p.TP))
	assert.True(t, math.IsNaN(p.THolm))
	assert.Equal(t, 1.0, p.RandP, "one topic: both sign vectors are as extreme")
	assert.Equal(t, 0, m.TTestFamily)
	assert.Equal(t, 1, m.RandomisationFamily)
	assert.Equal(t, [][]float64{{1, 1}, {1, 1}}, m.HSD.P, "a single topic's permutations keep its range")
	assert.Equal(t, "two-way ANOVA residual variance needs at least 2 runs and 2 topics, got 2 × 1", m.HSD.ESUndefined)
	assert.True(t, math.IsNaN(p.ESHSD))
	assert.Equal(t, "a", m.Runs[0].Letters)
	assert.Equal(t, "a", m.Runs[1].Letters)
}

// TestWorseThanBest: a run below the best one on all 8 topics differs
// significantly (exact randomisation p = 2/2⁸, Holm × 3 < 0.05); a run
// equal to the best on half the topics does not.
func TestWorseThanBest(t *testing.T) {
	topics := []string{"t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8"}
	best := []float64{0.9, 0.8, 0.85, 0.7, 0.95, 0.75, 0.8, 0.9}
	worse := make([]float64, 8)
	close := make([]float64, 8)
	for i, v := range best {
		worse[i] = v - 0.3 - 0.01*float64(i)
		close[i] = v
		if i%2 == 1 {
			close[i] = v - 0.05
		}
	}
	res := results(t, []string{"ndcg@10"}, topics,
		runData{"best", [][]float64{best}}, runData{"worse", [][]float64{worse}}, runData{"close", [][]float64{close}})
	lb, err := leaderboard.Compute(nil, res, leaderboard.Options{Resamples: 1000, Permutations: 1000})
	require.NoError(t, err)
	assert.Equal(t, []string{"best", "close", "worse"}, tags(lb))
	m := &lb.Measures[0]
	assert.False(t, m.Runs[0].WorseThanBest)
	assert.False(t, m.Runs[1].WorseThanBest)
	assert.True(t, m.Runs[2].WorseThanBest)
	p, _ := m.Pair(0, 2)
	assert.Equal(t, 2.0/256, p.RandP)
	assert.Equal(t, 3*2.0/256, p.RandHolm)
	assert.True(t, p.Significant)
}

// TestComputeIndependentOfInputOrderAndSortKey: statistics depend on the
// set of runs and the seed only.
func TestComputeIndependentOfInputOrderAndSortKey(t *testing.T) {
	topics := []string{"t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9", "t10", "t11", "t12", "t13", "t14", "t15"}
	var runs []runData
	for r := range 5 {
		nd := make([]float64, len(topics))
		rg := make([]float64, len(topics))
		for ti := range topics {
			nd[ti] = math.Mod(float64((r+3)*(ti+7)*37), 101) / 101
			rg[ti] = math.Mod(float64((r+5)*(ti+2)*53), 31)
		}
		runs = append(runs, runData{fmt.Sprintf("run%d", r), [][]float64{nd, rg}})
	}
	// 2¹⁵ > B: the randomisation tests are Monte Carlo, so seeding matters.
	opt := leaderboard.Options{Seed: 11, Resamples: 500, Permutations: 500}
	lb1, err := leaderboard.Compute(nil, results(t, []string{"ndcg@10", "regret@1"}, topics, runs...), opt)
	require.NoError(t, err)
	reversed := slices.Clone(runs)
	slices.Reverse(reversed)
	lb2, err := leaderboard.Compute(nil, results(t, []string{"ndcg@10", "regret@1"}, topics, reversed...), opt)
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprintf("%+v", lb1), fmt.Sprintf("%+v", lb2))

	opt.SortBy = "regret@1"
	lb3, err := leaderboard.Compute(nil, results(t, []string{"ndcg@10", "regret@1"}, topics, runs...), opt)
	require.NoError(t, err)
	require.NotEqual(t, tags(lb1), tags(lb3), "the test needs the sort keys to order the runs differently")
	pos3 := map[string]int{}
	for d, r := range lb3.Runs {
		pos3[r.Tag] = d
	}
	for mi := range lb1.Measures {
		m1, m3 := &lb1.Measures[mi], &lb3.Measures[mi]
		for d, r := range lb1.Runs {
			e := pos3[r.Tag]
			assert.Equal(t, fmt.Sprintf("%+v", m1.Runs[d]), fmt.Sprintf("%+v", m3.Runs[e]), "%s %s", m1.Name, r.Tag)
			for d2, r2 := range lb1.Runs {
				if d2 == d {
					continue
				}
				p1, f1 := m1.Pair(d, d2)
				p3, f3 := m3.Pair(e, pos3[r2.Tag])
				assert.Equal(t, p1.RandP, p3.RandP)
				assert.Equal(t, p1.THolm, p3.THolm)
				assert.Equal(t, m1.HSD.P[d][d2], m3.HSD.P[e][pos3[r2.Tag]])
				sign := func(first bool) float64 {
					if first {
						return 1
					}
					return -1
				}
				assert.InDelta(t, sign(f1)*p1.MeanDiff, sign(f3)*p3.MeanDiff, 1e-15)
				assert.InDelta(t, sign(f1)*p1.HedgesG, sign(f3)*p3.HedgesG, 1e-15)
			}
		}
	}
}

func TestComputeErrors(t *testing.T) {
	_, err := leaderboard.Compute(nil, nil, leaderboard.Options{})
	assert.EqualError(t, err, "no runs to rank")

	dup := results(t, []string{"ndcg@10"}, []string{"t1"}, runData{"A", [][]float64{{1}}}, runData{"A", [][]float64{{0}}})
	dup[1].Run.File = "other.run"
	_, err = leaderboard.Compute(nil, dup, leaderboard.Options{})
	assert.EqualError(t, err, `runs A.run and other.run have the same tag "A"; a leaderboard needs distinct tags`)

	counts := results(t, []string{"num_ret"}, []string{"t1"}, runData{"A", [][]float64{{1}}})
	_, err = leaderboard.Compute(nil, counts, leaderboard.Options{})
	assert.ErrorContains(t, err, "measure num_ret is a count or a sum over topics")

	ok := threeRuns(t)
	_, err = leaderboard.Compute(nil, ok, leaderboard.Options{SortBy: "tauw"})
	assert.EqualError(t, err, "sort measure tauw is not on the leaderboard (measures: ndcg@10, regret@1)")
	_, err = leaderboard.Compute(nil, ok, leaderboard.Options{Alpha: 1.5})
	assert.EqualError(t, err, "significance level 1.5 is not in (0, 1)")
	_, err = leaderboard.Compute(nil, ok, leaderboard.Options{Resamples: -1})
	assert.ErrorContains(t, err, "must be positive")

	none := results(t, []string{"ndcg@10"}, nil, runData{"A", [][]float64{{}}})
	_, err = leaderboard.Compute(nil, none, leaderboard.Options{})
	assert.EqualError(t, err, "no topics to rank the runs on")
}

// TestComputeProgress: every statistic reports progress per measure.
func TestComputeProgress(t *testing.T) {
	last := map[string][2]int{}
	_, err := leaderboard.Compute(nil, threeRuns(t), leaderboard.Options{
		Resamples: 300, Permutations: 400,
		Progress: func(task string, done, total int) { last[task] = [2]int{done, total} },
	})
	require.NoError(t, err)
	assert.Equal(t, map[string][2]int{
		"ndcg@10: bootstrap intervals":  {900, 900},
		"ndcg@10: randomisation tests":  {24, 24}, // 3 pairs × 2³ exact sign vectors
		"ndcg@10: Tukey HSD":            {400, 400},
		"regret@1: bootstrap intervals": {900, 900},
		"regret@1: randomisation tests": {24, 24},
		"regret@1: Tukey HSD":           {400, 400},
	}, last)
}
