package rundiff

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/measure"
)

// makeRun builds a run from topic → "doc:score doc:score ..." (put into
// evaluation order here, as the reader does).
func makeRun(tag string, topics map[string]string) *eval.Run {
	r := &eval.Run{File: tag + ".run", Tag: tag, ByID: map[string]*eval.Ranking{}}
	for topic, list := range topics {
		rk := &eval.Ranking{Topic: topic}
		for _, f := range strings.Fields(list) {
			doc, score, _ := strings.Cut(f, ":")
			var s float64
			for _, c := range score {
				s = s*10 + float64(c-'0')
			}
			rk.Entries = append(rk.Entries, eval.Entry{Doc: doc, Score: s})
		}
		eval.SortEntries(rk.Entries)
		r.ByID[topic] = rk
		r.Topics = append(r.Topics, topic)
	}
	r.Topics = eval.SortedKeys(r.ByID)
	return r
}

// The two runs: T1 identical but for a score, T2 with two documents
// swapped and one replaced, T3 in A only, T4 in B only, T5 tied scores in
// the same evaluation order (docno descending) in both.
var (
	runA = makeRun("a", map[string]string{
		"T1": "d1:30 d2:20 d3:10",
		"T2": "a:4 b:3 c:2 d:1",
		"T3": "x:2 y:1",
		"T5": "x:1 y:1",
	})
	runB = makeRun("b", map[string]string{
		"T1": "d1:35 d2:20 d3:10",
		"T2": "b:4 a:3 c:2 e:1",
		"T4": "z:1",
		"T5": "y:1 x:1",
	})
)

func TestCompare(t *testing.T) {
	d := Compare(runA, runB)
	nan := math.NaN()
	want := []Topic{
		{Topic: "T1", DocsA: 3, DocsB: 3, Tau: 1, ScoreDelta: 5, Identical: true},
		// Shared a, b, c: (a,b) discordant, (a,c) and (b,c) concordant:
		// τ = (2 − 1)/3 (0.33333333333333337 after SciPy's division).
		{Topic: "T2", DocsA: 4, DocsB: 4, OnlyA: 1, OnlyB: 1, Moved: 2, Tau: 1.0 / 3, ScoreDelta: 1},
		{Topic: "T3", DocsA: 2, OnlyA: 2, Tau: nan, ScoreDelta: nan},
		{Topic: "T4", DocsB: 1, OnlyB: 1, Tau: nan, ScoreDelta: nan},
		{Topic: "T5", DocsA: 2, DocsB: 2, Tau: 1, ScoreDelta: 0, Identical: true},
	}
	require.Len(t, d.Topics, len(want))
	for i, w := range want {
		g := d.Topics[i]
		assert.Equal(t, w.Topic, g.Topic)
		assert.Equal(t, []int{w.DocsA, w.DocsB, w.OnlyA, w.OnlyB, w.Moved}, []int{g.DocsA, g.DocsB, g.OnlyA, g.OnlyB, g.Moved}, w.Topic)
		assert.Equal(t, w.Identical, g.Identical, w.Topic)
		if math.IsNaN(w.Tau) {
			assert.True(t, math.IsNaN(g.Tau), w.Topic)
			assert.True(t, math.IsNaN(g.ScoreDelta), w.Topic)
		} else {
			assert.InDelta(t, w.Tau, g.Tau, 1e-15, w.Topic)
			assert.Equal(t, w.ScoreDelta, g.ScoreDelta, w.Topic)
		}
	}
	assert.False(t, d.Identical())
	s := d.Summarize()
	assert.Equal(t, Summary{Topics: 5, Identical: 2, DocsA: 11, DocsB: 10, OnlyA: 3, OnlyB: 2, Moved: 2,
		MeanTau: (1 + 1.0/3 + 1) / 3, MaxScoreDelta: 5, TauTopics: 3}, s)

	same := Compare(runA, runA)
	assert.True(t, same.Identical())
	assert.Equal(t, 0, same.Summarize().Moved)
}

// TestReversed: a reversed ranking moves every document but the middle
// one and has τ = −1.
func TestReversed(t *testing.T) {
	d := Compare(makeRun("a", map[string]string{"T": "p:5 q:4 r:3 s:2 t:1"}), makeRun("b", map[string]string{"T": "p:1 q:2 r:3 s:4 t:5"}))
	require.Len(t, d.Topics, 1)
	assert.Equal(t, 4, d.Topics[0].Moved)
	// rankcorr divides as SciPy does: −0.9999999999999999, not −1.
	assert.InDelta(t, -1.0, d.Topics[0].Tau, 2e-16)
	assert.Equal(t, 4.0, d.Topics[0].ScoreDelta)
}

func scored(t *testing.T) *Diff {
	t.Helper()
	q := &eval.Qrels{File: "q", Topics: []string{"T1", "T2"}, ByID: map[string]*eval.TopicQrels{
		"T1": {Topic: "T1", Value: map[string]float64{"d1": 1}, Docs: []string{"d1"}, Lines: []int{1}},
		"T2": {Topic: "T2", Value: map[string]float64{"b": 1}, Docs: []string{"b"}, Lines: []int{2}},
	}}
	ms, err := measure.ParseAll([]string{"num_q", "P.1"})
	require.NoError(t, err)
	cfg := measure.Config{Measures: ms}
	d := Compare(runA, runB)
	d.AddScores(measure.Evaluate(q, runA, cfg), measure.Evaluate(q, runB, cfg))
	return d
}

func TestAddScores(t *testing.T) {
	d := scored(t)
	require.Len(t, d.Columns, 2)
	assert.Equal(t, "num_q", d.Columns[0].Name)
	assert.Equal(t, "P_1", d.Columns[1].Name)
	// T1: both rank d1 first (P_1 = 1); T2: A ranks a first (0), B ranks
	// b first (1); T3-T5 are not judged; num_q has no per-topic value.
	for i, want := range [][]float64{{math.NaN(), 0}, {math.NaN(), 1}, {math.NaN(), math.NaN()}, {math.NaN(), math.NaN()}, {math.NaN(), math.NaN()}} {
		for c := range want {
			if math.IsNaN(want[c]) {
				assert.True(t, math.IsNaN(d.Topics[i].Delta[c]), "topic %s column %d", d.Topics[i].Topic, c)
			} else {
				assert.Equal(t, want[c], d.Topics[i].Delta[c], "topic %s column %d", d.Topics[i].Topic, c)
			}
		}
	}
	// num_q 2 − 2; P_1 mean 1 − mean 0.5.
	assert.Equal(t, []float64{0, 0.5}, d.AllDelta)
}

func TestWriteJSON(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, WriteJSON(&buf, scored(t)))
	assert.Equal(t, `{
  "run_a": {
    "run": "a",
    "file": "a.run"
  },
  "run_b": {
    "run": "b",
    "file": "b.run"
  },
  "identical": false,
  "topics": [
    {
      "topic": "T1",
      "identical": true,
      "docs_a": 3,
      "docs_b": 3,
      "only_a": 0,
      "only_b": 0,
      "moved": 0,
      "tau": 1,
      "max_score_delta": 5,
      "delta": {
        "num_q": null,
        "P_1": 0
      }
    },
    {
      "topic": "T2",
      "identical": false,
      "docs_a": 4,
      "docs_b": 4,
      "only_a": 1,
      "only_b": 1,
      "moved": 2,
      "tau": 0.33333333333333337,
      "max_score_delta": 1,
      "delta": {
        "num_q": null,
        "P_1": 1
      }
    },
    {
      "topic": "T3",
      "identical": false,
      "docs_a": 2,
      "docs_b": 0,
      "only_a": 2,
      "only_b": 0,
      "moved": 0,
      "tau": null,
      "max_score_delta": null,
      "delta": {
        "num_q": null,
        "P_1": null
      }
    },
    {
      "topic": "T4",
      "identical": false,
      "docs_a": 0,
      "docs_b": 1,
      "only_a": 0,
      "only_b": 1,
      "moved": 0,
      "tau": null,
      "max_score_delta": null,
      "delta": {
        "num_q": null,
        "P_1": null
      }
    },
    {
      "topic": "T5",
      "identical": true,
      "docs_a": 2,
      "docs_b": 2,
      "only_a": 0,
      "only_b": 0,
      "moved": 0,
      "tau": 1,
      "max_score_delta": 0,
      "delta": {
        "num_q": null,
        "P_1": null
      }
    }
  ],
  "all": {
    "topics": 5,
    "identical": 2,
    "docs_a": 11,
    "docs_b": 10,
    "only_a": 3,
    "only_b": 2,
    "moved": 2,
    "mean_tau": 0.7777777777777778,
    "max_score_delta": 5,
    "delta": {
      "num_q": 0,
      "P_1": 0.5
    }
  }
}
`, buf.String())

	// Without scores there is no "delta" key.
	buf.Reset()
	require.NoError(t, WriteJSON(&buf, Compare(runA, runA)))
	assert.NotContains(t, buf.String(), `"delta":`)
	assert.Contains(t, buf.String(), `"identical": true,`)
}

func TestWriteCSV(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, WriteCSV(&buf, scored(t)))
	assert.Equal(t, `topic,identical,docs_a,docs_b,only_a,only_b,moved,tau,max_score_delta,delta_num_q,delta_P_1
T1,true,3,3,0,0,0,1,5,,0
T2,false,4,4,1,1,2,0.33333333333333337,1,,1
T3,false,2,0,2,0,0,,,,
T4,false,0,1,0,1,0,,,,
T5,true,2,2,0,0,0,1,0,,
all,false,11,10,3,2,2,0.7777777777777778,5,0,0.5
`, buf.String())
}
