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
}
