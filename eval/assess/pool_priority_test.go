package assess

import (
	"bytes"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/internal/testtree"
)

// Three runs of priorities 1, 2 and 3 on one topic. With depths 1:3 and
// 2:2, p1 pools a b c, p2 pools e a, p3 is left out: the pool is a b c e.
// Under a budget of 3 the documents sort by (best rank, priority, docno):
// a (1, 1), e (1, 2), b (2, 1), c (3, 1): c is left out.
const (
	prioRun1 = "t Q0 a 1 4 p1\nt Q0 b 2 3 p1\nt Q0 c 3 2 p1\nt Q0 d 4 1 p1\n"
	prioRun2 = "t Q0 e 1 4 p2\nt Q0 a 2 3 p2\nt Q0 f 3 2 p2\nt Q0 g 4 1 p2\n"
	prioRun3 = "t Q0 h 1 2 p3\nt Q0 i 2 1 p3\n"
)

func TestPoolByPriority(t *testing.T) {
	runs := []*eval.Run{testtree.ParseRun(t, "p1.run", prioRun1), testtree.ParseRun(t, "p2.run", prioRun2), testtree.ParseRun(t, "p3.run", prioRun3)}
	tests := []struct {
		name        string
		budget      int
		docs        []string
		capped      int
		contributed []int
		unique      []int
		judged      []int
		byPriority  []PriorityStats
		stats       string
	}{
		{name: "no budget", docs: []string{"a", "b", "c", "e"}, contributed: []int{3, 2, 0}, unique: []int{2, 1, 0}, judged: []int{3, 2, 0},
			byPriority: []PriorityStats{{1, 1, 3, 3, 3, 3}, {2, 1, 2, 2, 1, 2}, {3, 1, 0, 0, 0, 0}},
			stats: "pool: depth 1:3,2:2 (priority:depth; other priorities not pooled), budget none, seed 1, 3 runs, 1 topics, 4 documents to judge (per topic: min 4, mean 4.0, max 4)\n" +
				"\nby priority (pooled: documents its runs put in the pool; new: of them, none of a higher priority had):\n" +
				"priority  runs  depth  pooled  new  judged in top 3\n" +
				"1         1     3      3       3    3\n" +
				"2         1     2      2       1    2\n" +
				"3         1     0      0       0    0\n" +
				"\nruns (judged: documents of its top 3 in the pool, summed over topics):\n" +
				"#  run     priority  depth  topics  pooled  unique  judged\n" +
				"1  p1.run  1         3      1       3       2       3\n" +
				"2  p2.run  2         2      1       2       1       2\n" +
				"3  p3.run  3         0      0       0       0       0\n"},
		{name: "budget 3", budget: 3, docs: []string{"a", "b", "e"}, capped: 1, contributed: []int{2, 2, 0}, unique: []int{1, 1, 0}, judged: []int{2, 2, 0},
			byPriority: []PriorityStats{{1, 1, 3, 2, 2, 2}, {2, 1, 2, 2, 1, 2}, {3, 1, 0, 0, 0, 0}},
			stats: "pool: depth 1:3,2:2 (priority:depth; other priorities not pooled), budget 3 documents per topic, seed 1, 3 runs, 1 topics, 3 documents to judge (per topic: min 3, mean 3.0, max 3)\n" +
				"budget: 1 documents left out over 1 topics (kept by best rank in any run, then priority, then docno)\n" +
				"\nby priority (pooled: documents its runs put in the pool; new: of them, none of a higher priority had):\n" +
				"priority  runs  depth  pooled  new  judged in top 3\n" +
				"1         1     3      2       2    2\n" +
				"2         1     2      2       1    2\n" +
				"3         1     0      0       0    0\n" +
				"\nruns (judged: documents of its top 3 in the pool, summed over topics):\n" +
				"#  run     priority  depth  topics  pooled  unique  judged\n" +
				"1  p1.run  1         3      1       2       1       2\n" +
				"2  p2.run  2         2      1       2       1       2\n" +
				"3  p3.run  3         0      0       0       0       0\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Pool(runs, PoolOptions{ByPriority: map[int]int{1: 3, 2: 2}, Priorities: []int{1, 2, 3}, Budget: tc.budget, Seed: 1})
			require.NoError(t, err)
			require.Len(t, p.Topics, 1)
			tp := p.Topics[0]
			docs := slices.Clone(tp.Docs)
			slices.Sort(docs)
			assert.Equal(t, tc.docs, docs)
			assert.Equal(t, tc.capped, tp.Capped)
			assert.Equal(t, tc.contributed, tp.Contributed)
			assert.Equal(t, tc.unique, tp.Unique)
			assert.Equal(t, tc.judged, tp.Judged)
			assert.Equal(t, []int{3, 2, 0}, p.Depths)
			assert.Equal(t, tc.byPriority, p.ByPriorityStats())
			var b bytes.Buffer
			require.NoError(t, p.WriteStats(&b))
			assert.Equal(t, tc.stats, b.String())
		})
	}
}

// A budget without priorities: ties at the same best rank go by docno.
func TestPoolBudgetUniformDepth(t *testing.T) {
	runs := []*eval.Run{testtree.ParseRun(t, "p1.run", prioRun1), testtree.ParseRun(t, "p2.run", prioRun2)}
	p, err := Pool(runs, PoolOptions{Depth: 2, Budget: 3, Seed: 1})
	require.NoError(t, err)
	docs := slices.Clone(p.Topics[0].Docs)
	slices.Sort(docs)
	// Candidates a (1), e (1), b (2); a's best rank is 1 in p1.
	assert.Equal(t, []string{"a", "b", "e"}, docs)
	p, err = Pool(runs, PoolOptions{Depth: 2, Budget: 2, Seed: 1})
	require.NoError(t, err)
	docs = slices.Clone(p.Topics[0].Docs)
	slices.Sort(docs)
	assert.Equal(t, []string{"a", "e"}, docs)
	assert.Nil(t, p.ByPriorityStats())
}

func TestPoolByPriorityRefusals(t *testing.T) {
	runs := []*eval.Run{testtree.ParseRun(t, "p1.run", prioRun1)}
	tests := []struct {
		opts PoolOptions
		err  string
	}{
		{PoolOptions{ByPriority: map[int]int{1: 3}}, "pool: a depth per priority needs each run's priority"},
		{PoolOptions{ByPriority: map[int]int{1: 3}, Priorities: []int{1, 2}}, "pool: 2 priorities for 1 runs"},
		{PoolOptions{ByPriority: map[int]int{0: 3}, Priorities: []int{1}}, "pool: priority 0 with depth 3: both must be at least 1"},
		{PoolOptions{ByPriority: map[int]int{1: 0}, Priorities: []int{1}}, "pool: priority 1 with depth 0: both must be at least 1"},
		{PoolOptions{ByPriority: map[int]int{2: 5, 3: 1}, Priorities: []int{1}}, "pool: no run has a priority the depths name (2:5,3:1)"},
		{PoolOptions{Depth: 2, Budget: -1}, "pool: budget -1 is negative"},
	}
	for _, tc := range tests {
		t.Run(tc.err, func(t *testing.T) {
			_, err := Pool(runs, tc.opts)
			assert.EqualError(t, err, tc.err)
		})
	}
}
