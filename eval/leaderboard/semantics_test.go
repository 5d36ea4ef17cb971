package leaderboard_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/leaderboard"
	"github.com/ntcir-pmr/mreval/eval/measure"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
)

// TestScoreMissingTopicNeverPays: τw of an empty ranking or of constant
// scores is undefined; in leaderboard scoring it is 0 (no information), so
// the run that leaves out t2 (or ranks it with constant scores) is
// averaged over both topics like the others. t3 has one judged model: τw
// has no value there for any ranking, so it is undefined for every run.
func TestScoreMissingTopicNeverPays(t *testing.T) {
	q := qrels(map[string]map[string]float64{
		"t1": {"a": 90, "b": 60, "c": 70},
		"t2": {"a": 50, "b": 80, "c": 40},
		"t3": {"a": 10},
	})
	perfect1 := map[string]float64{"a": 3, "b": 1, "c": 2}
	perfect2 := map[string]float64{"a": 2, "b": 3, "c": 1}
	runs := []*eval.Run{
		trecfmt.NewRun("full", map[string]map[string]float64{"t1": perfect1, "t2": perfect2, "t3": {"a": 1}}),
		trecfmt.NewRun("missing", map[string]map[string]float64{"t1": perfect1, "t3": {"a": 1}}),
		trecfmt.NewRun("constant", map[string]map[string]float64{"t1": perfect1, "t2": {"a": 1, "b": 1, "c": 1}, "t3": {"a": 1}}),
	}
	for _, r := range runs {
		r.File = r.Tag + ".run"
	}
	ms, err := measure.ParseAll([]string{"ndcg@2", "tauw", "judged@2"})
	require.NoError(t, err)
	res, warnings := leaderboard.Score(q, runs, measure.Config{Measures: ms}, nil)
	nan := math.NaN()
	// want[run][topic] = ndcg@2, tauw, judged@2. The perfect rankings
	// have τw = 1 and nDCG@2 = 1; t2's empty ranking has judged@2 0 and
	// nDCG@2 0; the constant ranking of t2 is read by docno descending
	// (c, b, a): nDCG@2 = (40 + 80/log2 3)/(80 + 50/log2 3).
	want := map[string][][]float64{
		"full":     {{1, 1, 1}, {1, 1, 1}, {1, nan, 1}},
		"missing":  {{1, 1, 1}, {0, 0, 0}, {1, nan, 1}},
		"constant": {{1, 1, 1}, {(40 + 80/math.Log2(3)) / (80 + 50/math.Log2(3)), 0, 1}, {1, nan, 1}},
	}
	for _, r := range res {
		for i, row := range want[r.Run.Tag] {
			for c, v := range row {
				if math.IsNaN(v) {
					assert.True(t, math.IsNaN(r.PerTopic[i][c]), "%s %s %s", r.Run.Tag, r.Topics[i], r.Columns[c].Name)
				} else {
					assert.InDelta(t, v, r.PerTopic[i][c], 1e-15, "%s %s %s", r.Run.Tag, r.Topics[i], r.Columns[c].Name)
					assert.False(t, math.IsNaN(r.PerTopic[i][c]), "%s %s %s", r.Run.Tag, r.Topics[i], r.Columns[c].Name)
				}
			}
		}
	}
	assert.Equal(t, []string{
		"missing.run: run missing ranks 2 of the 3 evaluation topics; the missing topic is scored on an empty ranking: t2",
		"constant.run: run constant: tauw is undefined for its ranking of 1 topic (constant scores?) and scores as an empty ranking there (no information: 0 for a correlation): t2",
	}, warnings)

	lb, err := leaderboard.Compute(q, res, leaderboard.Options{Resamples: 100, Permutations: 100})
	require.NoError(t, err)
	assert.Equal(t, []string{"full", "constant", "missing"}, tags(lb), "by nDCG@2")
	tauw := &lb.Measures[1]
	assert.Equal(t, 1.0, tauw.Runs[0].Mean)
	assert.Equal(t, 0.5, tauw.Runs[1].Mean, "constant: (1 + 0)/2, not 1 over t1 alone")
	assert.Equal(t, 0.5, tauw.Runs[2].Mean, "missing: (1 + 0)/2, not 1 over t1 alone")
	for d := range tauw.Runs {
		assert.Equal(t, 2, tauw.Runs[d].Topics)
		assert.Equal(t, 1, tauw.Runs[d].Undefined, "t3 is undefined for every run")
	}
	assert.Equal(t, []string{"t3"}, tauw.HSD.Dropped)
	assert.Equal(t, 2, tauw.HSD.Topics)
}

// TestEqualMeansShareARank: the same three values in three topic orders.
// A shifted sum x₀ + Σ(x − x₀)/n gives 5.3, 5.299999999999999 and 5.3; the
// exact mean gives 5.3 to all three, so they share rank 1, are all marked
// best and carry the same letters.
func TestEqualMeansShareARank(t *testing.T) {
	res := results(t, []string{"ndcg@10"}, []string{"t1", "t2", "t3"},
		runData{"A", [][]float64{{7, 8.2, 0.7}}},
		runData{"B", [][]float64{{8.2, 0.7, 7}}},
		runData{"C", [][]float64{{0.7, 7, 8.2}}},
		runData{"D", [][]float64{{5, 5, 5}}},
	)
	lb, err := leaderboard.Compute(nil, res, leaderboard.Options{Resamples: 100, Permutations: 100})
	require.NoError(t, err)
	assert.Equal(t, []string{"A", "B", "C", "D"}, tags(lb))
	assert.Equal(t, []int{1, 1, 1, 4}, ranks(lb))
	m := &lb.Measures[0]
	for d := range 3 {
		assert.Equal(t, 5.3, m.Runs[d].Mean)
		assert.True(t, m.Runs[d].Best)
		assert.Equal(t, 5.3, m.HSD.Means[d])
		assert.Equal(t, m.Runs[0].Letters, m.Runs[d].Letters)
	}
	assert.Equal(t, 5.0, m.Runs[3].Mean)
	assert.False(t, m.Runs[3].Best)
}

// TestBestRunGetsA: scored by Score, every run is defined on the same
// topics, so the HSD means are the shown means and the rank-1 run carries
// "a". Run "gappy" ranks t1..t3 perfectly and leaves out t4..t6: scored
// over its own topics it would be best (mean 1), over the common topics
// it is the worst.
func TestBestRunGetsA(t *testing.T) {
	judged := map[string]float64{"a": 90, "b": 60, "c": 70, "d": 20}
	perfect := map[string]float64{"a": 4, "b": 2, "c": 3, "d": 1}
	good := map[string]float64{"a": 4, "b": 3, "c": 2, "d": 1}
	topics := map[string]map[string]float64{}
	full := map[string]map[string]float64{}
	gappy := map[string]map[string]float64{}
	for _, id := range []string{"t1", "t2", "t3", "t4", "t5", "t6"} {
		topics[id] = judged
		full[id] = good
		if id <= "t3" {
			gappy[id] = perfect
		}
	}
	q := qrels(topics)
	runs := []*eval.Run{trecfmt.NewRun("full", full), trecfmt.NewRun("gappy", gappy)}
	ms, err := measure.ParseAll([]string{"tauw"})
	require.NoError(t, err)
	res, _ := leaderboard.Score(q, runs, measure.Config{Measures: ms}, nil)
	lb, err := leaderboard.Compute(q, res, leaderboard.Options{Resamples: 200, Permutations: 200})
	require.NoError(t, err)
	m := &lb.Measures[0]
	assert.Equal(t, []string{"full", "gappy"}, tags(lb))
	assert.InDelta(t, 0.5, m.Runs[1].Mean, 1e-15, "gappy: three topics at τw = 1, three at 0")
	assert.Greater(t, m.Runs[0].Mean, 0.5)
	assert.Equal(t, 6, m.HSD.Topics)
	assert.Empty(t, m.HSD.Dropped)
	for d := range m.Runs {
		assert.Equal(t, m.Runs[d].Mean, m.HSD.Means[d], "HSD means are the shown means")
	}
	assert.Equal(t, "a", m.Runs[0].Letters[:1])
}

// TestEveryMeasureDefinedForEmptyRanking: on a topic every measure can
// score (graded judgments with a relevant model), a run that leaves the
// topic out gets a value from every leaderboard measure, never an
// undefined one that would drop the topic from its mean. A new measure
// undefined on an empty ranking fails here until Score gives it a value.
func TestEveryMeasureDefinedForEmptyRanking(t *testing.T) {
	q := qrels(map[string]map[string]float64{
		"t1": {"a": 3, "b": 1, "c": 0},
		"t2": {"a": 2, "b": 0, "c": 1},
	})
	full := trecfmt.NewRun("full", map[string]map[string]float64{
		"t1": {"a": 3, "b": 2, "c": 1}, "t2": {"a": 3, "b": 2, "c": 1}})
	partial := trecfmt.NewRun("partial", map[string]map[string]float64{"t1": {"a": 3, "b": 2, "c": 1}})
	for _, f := range measure.Families() {
		if leaderboard.CheckColumns([]measure.Column{{Name: f.Name, Family: f}}) != nil {
			continue
		}
		spec := f.Name
		if f.Params == measure.Cutoffs {
			spec += "@2"
		}
		ms, err := measure.ParseAll([]string{spec})
		require.NoError(t, err, spec)
		res, _ := leaderboard.Score(q, []*eval.Run{full, partial}, measure.Config{Measures: ms}, nil)
		for _, r := range res {
			for i, topic := range r.Topics {
				assert.False(t, math.IsNaN(r.PerTopic[i][0]), "%s: run %s, topic %s", spec, r.Run.Tag, topic)
			}
		}
	}
}
