package measure

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval"
)

func TestEmptyRunWarningSaysWhatEachMeasureScores(t *testing.T) {
	q, _ := accuracyTopic()
	empty := &eval.Run{File: "empty.run", ByID: map[string]*eval.Ranking{}}
	ms, err := ParseAll([]string{"num_q", "ndcg@10", "tauw", "regret@1"})
	require.NoError(t, err)
	res := Evaluate(q, empty, Config{Measures: ms})
	// Best model 91.5, worst 60: an empty ranking's regret is the worst
	// choice's, 31.5; τw has no pair to correlate.
	assert.Contains(t, res.Warnings,
		"empty.run: the run is empty; each of the 1 topics is scored on an empty ranking: ndcg@10 0, tauw undefined, regret@1 31.5")

	empty.File = "e\x1b[31m.run"
	res = Evaluate(q, empty, Config{Measures: ms})
	assert.Contains(t, res.Warnings,
		`"e\x1b[31m.run": the run is empty; each of the 1 topics is scored on an empty ranking: ndcg@10 0, tauw undefined, regret@1 31.5`)
}

func TestBinaryAndIntegerGainNotes(t *testing.T) {
	q, run := accuracyTopic("m1", "m2")
	q.File = "acc.qrels"
	allRelevant := "acc.qrels: every judged document has a value ≥ 1 (the values are graded, up to 91.5), so map, P_5 count nearly every judged document as relevant and hardly tell one order from another (use ndcg@k, tauw or regret@k; -l sets the level)"
	integer := "acc.qrels: the judged values have fractions; ndcg_cut_10 uses trec_eval's integer gains (each value truncated), ndcg@k the values themselves ('mreval measures ndcg' compares them)"
	for _, tc := range []struct {
		specs []string
		level int64
		want  []string
	}{
		{[]string{"map", "P.5"}, 1, []string{allRelevant}},
		{[]string{"ndcg_cut.10", "ndcg@10"}, 1, []string{integer}},
		{[]string{"ndcg@10", "tauw"}, 1, nil},
		// With -l 88, m1 (87.25) and m3 (60) are not relevant: binary
		// measures discriminate again.
		{[]string{"map"}, 88, nil},
	} {
		ms, err := ParseAll(tc.specs)
		require.NoError(t, err)
		opts := DefaultOptions()
		opts.RelevanceLevel = tc.level
		res := Evaluate(q, run, Config{Measures: ms, Options: opts})
		assert.Equal(t, tc.want, res.Warnings, "%v", tc.specs)
	}
	// Binary 0/1 qrels: nothing to note.
	bin := &eval.Qrels{File: "bin.qrels", Topics: []string{"A"}, ByID: map[string]*eval.TopicQrels{"A": {
		Topic: "A", Docs: []string{"d1"}, Lines: []int{1}, Value: map[string]float64{"d1": 1}}}}
	ms, err := ParseAll([]string{"map", "ndcg_cut.10"})
	require.NoError(t, err)
	assert.Empty(t, Evaluate(bin, run, Config{Measures: ms}).Warnings)
}
