package measure

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval"
)

// accuracyTopic: m2 is the best model (91.5); the run ranks m1 first.
func accuracyTopic(order ...string) (*eval.Qrels, *eval.Run) {
	q := &eval.Qrels{Topics: []string{"A"}, ByID: map[string]*eval.TopicQrels{"A": {
		Topic: "A",
		Docs:  []string{"m1", "m2", "m3", "m4"},
		Lines: []int{1, 2, 3, 4},
		Value: map[string]float64{"m1": 87.25, "m2": 91.5, "m3": 60, "m4": 88},
	}}}
	r := &eval.Ranking{Topic: "A"}
	for i, d := range order {
		r.Entries = append(r.Entries, eval.Entry{Doc: d, Score: float64(len(order) - i)})
	}
	return q, &eval.Run{Topics: []string{"A"}, ByID: map[string]*eval.Ranking{"A": r}}
}

func scoreOne(t *testing.T, q *eval.Qrels, run *eval.Run, cfg Config, specs ...string) map[string]float64 {
	t.Helper()
	ms, err := ParseAll(specs)
	require.NoError(t, err)
	cfg.Measures = ms
	res := Evaluate(q, run, cfg)
	require.Len(t, res.Topics, 1)
	out := map[string]float64{}
	for c, col := range res.Columns {
		out[col.Name] = res.PerTopic[0][c]
	}
	return out
}

func TestRegretAndNearByHand(t *testing.T) {
	q, run := accuracyTopic("m1", "m2", "m3", "m4")
	opts := DefaultOptions()
	opts.Epsilon = 5
	got := scoreOne(t, q, run, Config{Options: opts}, "regret@1", "regret@2", "near@1", "ndcg@1")
	assert.InDelta(t, 4.25, got["regret@1"], 1e-12)
	assert.Equal(t, 0.0, got["regret@2"])
	assert.Equal(t, 1.0, got["near@1"], "4.25 points is within ε = 5")
	assert.InDelta(t, 87.25/91.5, got["ndcg@1"], 1e-12)

	opts.Epsilon = 4
	opts.EpsilonByTopic = map[string]float64{"A": 4.3}
	got = scoreOne(t, q, run, Config{Options: opts}, "near@1")
	assert.Equal(t, 1.0, got["near@1"], "the topic's own ε wins over the global one")
	opts.EpsilonByTopic = nil
	got = scoreOne(t, q, run, Config{Options: opts}, "near@1", "near@2")
	assert.Equal(t, 0.0, got["near@1"])
	assert.Equal(t, 1.0, got["near@2"])
}

func TestConstraintMeasuresByHand(t *testing.T) {
	// m2 (the best model) does not fit the device.
	feasible := func(d string) bool { return d != "m2" }
	tests := []struct {
		name  string
		order []string
		want  map[string]float64
	}{
		{"top model fits", []string{"m1", "m2", "m3", "m4"}, map[string]float64{
			"feasible@1": 1, "feasible@2": 0.5, "feasible@4": 0.75,
			"cregret@1": 88 - 87.25, // best feasible is m4 (88)
			"regret@1":  88 - 87.25, // on the feasible subset: m1 first
			"ndcg@1":    87.25 / 88,
		}},
		{"top model does not fit", []string{"m2", "m1", "m3", "m4"}, map[string]float64{
			"feasible@1": 0, "feasible@2": 0.5,
			"cregret@1": 88 - 60, // recommending m2 counts as the worst feasible model
			"cregret@2": 88 - 87.25,
			"regret@1":  88 - 87.25, // m2 is filtered out, m1 leads
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q, run := accuracyTopic(tc.order...)
			var specs []string
			for name := range tc.want {
				specs = append(specs, name)
			}
			got := scoreOne(t, q, run, Config{Feasible: feasible}, specs...)
			for name, want := range tc.want {
				assert.InDelta(t, want, got[name], 1e-12, name)
			}
		})
	}
	// Without a constraint, cregret is regret and every model is feasible.
	q, run := accuracyTopic("m1", "m2", "m3", "m4")
	got := scoreOne(t, q, run, Config{}, "cregret@1", "regret@1", "feasible@3")
	assert.Equal(t, got["regret@1"], got["cregret@1"])
	assert.Equal(t, 1.0, got["feasible@3"])
}

func TestUndefinedAndEmpty(t *testing.T) {
	q, _ := accuracyTopic()
	empty := &eval.Run{ByID: map[string]*eval.Ranking{}}
	got := scoreOne(t, q, empty, Config{Complete: true}, "ndcg@10", "tauw", "regret@1", "feasible@5", "num_ret")
	assert.Equal(t, 0.0, got["ndcg@10"])
	assert.True(t, math.IsNaN(got["tauw"]), "all scores tie at −∞: τw undefined")
	assert.Equal(t, 91.5-60, got["regret@1"], "no judged model retrieved: max − min")
	assert.True(t, math.IsNaN(got["feasible@5"]))
	assert.Equal(t, 0.0, got["num_ret"])
}

func TestParseNames(t *testing.T) {
	tests := []struct {
		spec  string
		names []string
	}{
		{"P.5,10", []string{"P_5", "P_10"}},
		{"p.10,5", []string{"P_5", "P_10"}},
		{"P@10", []string{"P@10"}},
		{"nDCG@10", []string{"nDCG@10"}},
		{"ndcg", []string{"ndcg"}},
		{"ndcg_cut.10", []string{"ndcg_cut_10"}},
		{"regret@1", []string{"regret@1"}},
		{"regret.1,3", []string{"regret@1", "regret@3"}},
		{"rbp_0.95", []string{"rbp_0.95"}},
		{"rbp", []string{"rbp"}},
		{"q", []string{"q"}},
		{"q_0.5", []string{"q_0.5"}},
		{"ap", []string{"ap"}},
		{"map", []string{"map"}},
		{"TauW", []string{"TauW"}},
	}
	for _, tc := range tests {
		m, err := Parse(tc.spec)
		require.NoError(t, err, tc.spec)
		assert.Equal(t, tc.names, m.Names, tc.spec)
	}
	for spec, want := range map[string]string{
		"ndcg@x":   `measure "ndcg@x": parameter "x" is not a number`,
		"P.0":      `measure "P.0": parameter 0 out of range: cutoff k must be an integer in [1, 1000000000]`,
		"P.5,5":    `measure "P.5,5": parameter 5 given twice`,
		"tauw@3":   `measure "tauw@3": tauw takes no parameters`,
		"bogus":    "unknown measure \"bogus\" (`mreval measures` lists them all)",
		"regret":   `measure "regret" needs a parameter, e.g. regret@10`,
		"rbp@0.95": `measure "rbp@0.95": write rbp_<value>, e.g. rbp_0.95`,
	} {
		_, err := Parse(spec)
		assert.EqualError(t, err, want, spec)
	}
}
