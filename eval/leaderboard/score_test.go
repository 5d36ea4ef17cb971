package leaderboard_test

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/collection"
	"github.com/ntcir-pmr/mreval/eval/leaderboard"
	"github.com/ntcir-pmr/mreval/eval/measure"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
)

func qrels(topics map[string]map[string]float64) *eval.Qrels {
	q := &eval.Qrels{File: "q.qrels", ByID: map[string]*eval.TopicQrels{}}
	for topic, docs := range topics {
		tq := &eval.TopicQrels{Topic: topic, Value: docs, Docs: eval.SortedKeys(docs)}
		q.ByID[topic] = tq
	}
	q.Topics = eval.SortedKeys(q.ByID)
	return q
}

// TestScoreMissingTopic: a run lacking a topic is scored on an empty
// ranking there (nDCG 0, regret = max − min), not averaged over fewer
// topics, and a warning names the topic.
func TestScoreMissingTopic(t *testing.T) {
	q := qrels(map[string]map[string]float64{
		"t1": {"a": 90, "b": 60},
		"t2": {"a": 50, "b": 80},
	})
	full := trecfmt.NewRun("full", map[string]map[string]float64{"t1": {"a": 2, "b": 1}, "t2": {"a": 2, "b": 1}})
	full.File = "full.run"
	partial := trecfmt.NewRun("partial", map[string]map[string]float64{"t1": {"a": 2, "b": 1}})
	partial.File = "partial.run"
	ms, err := measure.ParseAll([]string{"ndcg@10", "regret@1"})
	require.NoError(t, err)
	var calls [][2]int
	res, warnings := leaderboard.Score(q, []*eval.Run{full, partial}, measure.Config{Measures: ms}, func(done, total int) {
		calls = append(calls, [2]int{done, total})
	})
	assert.Equal(t, [][2]int{{0, 2}, {1, 2}, {2, 2}}, calls)
	require.Len(t, res, 2)
	assert.Equal(t, []string{"t1", "t2"}, res[1].Topics)
	assert.Equal(t, []bool{true, false}, res[1].InRun)
	assert.Equal(t, []float64{1, 0}, res[1].PerTopic[0])
	assert.Equal(t, []float64{0, 30}, res[1].PerTopic[1], "empty ranking: nDCG 0, regret max − min")
	assert.Equal(t, []string{"partial.run: run partial ranks 1 of the 2 evaluation topics; the missing topic is scored on an empty ranking: t2"}, warnings)

	// A name from input reaches a terminal escaped: no control byte of a
	// file name, run tag or topic is printed as it is.
	hostile := trecfmt.NewRun("r\x1b[2J", map[string]map[string]float64{"t1": {"a": 2, "b": 1}})
	hostile.File = "x\nmreval: fake.run"
	q2 := qrels(map[string]map[string]float64{"t1": {"a": 90}, "t\x1b]0;title\a": {"a": 50}})
	_, warnings = leaderboard.Score(q2, []*eval.Run{hostile}, measure.Config{Measures: ms}, nil)
	assert.Equal(t, []string{`"x\nmreval: fake.run": run "r\x1b[2J" ranks 1 of the 2 evaluation topics; the missing topic is scored on an empty ranking: "t\x1b]0;title\a"`}, warnings)

	lb, err := leaderboard.Compute(q, res, leaderboard.Options{Resamples: 100, Permutations: 100})
	require.NoError(t, err)
	assert.Equal(t, "q.qrels", lb.Qrels)
	assert.Equal(t, []string{"full", "partial"}, tags(lb))
	assert.Empty(t, lb.Runs[0].Missing)
	assert.Equal(t, []string{"t2"}, lb.Runs[1].Missing)
	assert.Equal(t, 0.5, lb.Measures[0].Runs[1].Mean)
}

// TestScoreWarningsOnce: a warning about the qrels, which every run's
// evaluation repeats, is reported once.
func TestScoreWarningsOnce(t *testing.T) {
	q := qrels(map[string]map[string]float64{"t1": {"a": 0, "b": 0}})
	r1 := trecfmt.NewRun("r1", map[string]map[string]float64{"t1": {"a": 2, "b": 1}})
	r2 := trecfmt.NewRun("r2", map[string]map[string]float64{"t1": {"a": 1, "b": 2}})
	ms, err := measure.ParseAll([]string{"ndcg@10"})
	require.NoError(t, err)
	_, warnings := leaderboard.Score(q, []*eval.Run{r1, r2}, measure.Config{Measures: ms}, nil)
	assert.Equal(t, []string{"q.qrels: topic t1 has no judged value with positive gain; its nDCG is 0 (try --gain minmax)"}, warnings)
}

func TestNewScatter(t *testing.T) {
	q := qrels(map[string]map[string]float64{
		"t1": {"a": 90, "b": 60, "c": 70},
		"t2": {"a": 50},
	})
	run := trecfmt.NewRun("r", map[string]map[string]float64{"t1": {"a": 0.2, "b": 0.9, "x": 0.5}})
	s := leaderboard.NewScatter(q, run, []string{"t1", "t2"})
	assert.Equal(t, "r", s.Run)
	require.Len(t, s.Topics, 2)
	assert.Equal(t, leaderboard.ScatterTopic{
		Topic:    "t1",
		Points:   []leaderboard.Point{{Doc: "b", Score: 0.9, Truth: 60}, {Doc: "a", Score: 0.2, Truth: 90}},
		Unjudged: 1, // x
		Unranked: 1, // c
	}, s.Topics[0])
	assert.Equal(t, leaderboard.ScatterTopic{Topic: "t2", Unranked: 1}, s.Topics[1])
}

// recycling loads the shipped recycling collection of this working tree:
// qrels restricted to the test topics and the reference runs.
func recycling(tb testing.TB) (*eval.Qrels, []*eval.Run) {
	tb.Helper()
	root, err := filepath.Abs("../..")
	require.NoError(tb, err)
	c, err := collection.LookupIn(root, "recycling")
	if err != nil {
		tb.Skipf("recycling collection not available: %v", err)
	}
	q, err := c.Qrels()
	require.NoError(tb, err)
	topics, err := c.TestTopics()
	require.NoError(tb, err)
	require.Empty(tb, trecfmt.RestrictTopics(topics, q))
	files, err := c.RunFiles()
	require.NoError(tb, err)
	var runs []*eval.Run
	for _, f := range files {
		r, err := c.ReadRun(f)
		require.NoError(tb, err)
		trecfmt.RestrictTopics(topics, nil, r)
		runs = append(runs, r)
	}
	return q, runs
}

// TestRecyclingLeaderboard checks the default leaderboard of the shipped
// runs against `mreval eval` (the per-run `all` values are the means).
func TestRecyclingLeaderboard(t *testing.T) {
	q, runs := recycling(t)
	require.GreaterOrEqual(t, len(runs), 3)
	ms, err := measure.ParseAll([]string{"ndcg@10", "tauw", "regret@1"})
	require.NoError(t, err)
	res, warnings := leaderboard.Score(q, runs, measure.Config{Measures: ms}, nil)
	assert.Empty(t, warnings)
	lb, err := leaderboard.Compute(q, res, leaderboard.Options{Seed: 1, Resamples: 1000, Permutations: 1000})
	require.NoError(t, err)
	assert.Len(t, lb.Topics, 12)
	for _, r := range res {
		d := -1
		for i, run := range lb.Runs {
			if run.Tag == r.Run.Tag {
				d = i
			}
		}
		require.GreaterOrEqual(t, d, 0)
		for c := range r.Columns {
			assert.InDelta(t, r.All[c], lb.Measures[c].Runs[d].Mean, 1e-12, "%s %s", r.Run.Tag, r.Columns[c].Name)
			assert.Equal(t, r.Undefined[c], lb.Measures[c].Runs[d].Undefined)
		}
	}
	for i := 1; i < len(lb.Runs); i++ {
		assert.GreaterOrEqual(t, lb.Measures[0].Runs[i-1].Mean, lb.Measures[0].Runs[i].Mean, "sorted by ndcg@10")
	}
	assert.False(t, math.IsNaN(lb.Measures[2].HSD.P[0][1]))
}

// BenchmarkRecyclingLeaderboard is the end-to-end benchmark of the default
// leaderboard: read the qrels, the test topics and the shipped runs (3+
// runs × 12 topics × 1,266 models), score ndcg@10, tauw and regret@1, and
// compute every statistic with B = 10⁴ (target: under 1 s on 2 cores).
func BenchmarkRecyclingLeaderboard(b *testing.B) {
	ms, err := measure.ParseAll([]string{"ndcg@10", "tauw", "regret@1"})
	require.NoError(b, err)
	for b.Loop() {
		q, runs := recycling(b)
		res, _ := leaderboard.Score(q, runs, measure.Config{Measures: ms}, nil)
		if _, err := leaderboard.Compute(q, res, leaderboard.Options{Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
