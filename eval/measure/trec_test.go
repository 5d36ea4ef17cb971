package measure

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval"
)

// trecTopic: qrels a=2, b=0, c=1, d=-1 (in the pool, unjudged); the run
// ranks x (not in the qrels) a d b c, so trec_eval's list is -1 2 -2 0 1.
func trecTopic(opts *Options) *Topic {
	q := &eval.TopicQrels{Topic: "A", Docs: []string{"a", "b", "c", "d"},
		Value: map[string]float64{"a": 2, "b": 0, "c": 1, "d": -1}}
	ranked := []eval.Entry{{Doc: "x", Score: 5}, {Doc: "a", Score: 4}, {Doc: "d", Score: 3}, {Doc: "b", Score: 2}, {Doc: "c", Score: 1}}
	return NewTopic("A", q, ranked, opts)
}

func trecValue(t *testing.T, spec string, opts *Options) []float64 {
	t.Helper()
	m, err := Parse(spec)
	require.NoError(t, err)
	if opts == nil {
		opts = DefaultOptions()
	}
	out := make([]float64, len(m.Names))
	m.Family.Calc(trecTopic(opts), m.Params, out)
	return out
}

// Values computed by hand from the definitions in m_*.c.
func TestTrecFamiliesByHand(t *testing.T) {
	for _, c := range []struct {
		spec string
		want []float64
	}{
		{"bpref", []float64{0.5}}, // a: 1; c: 1 − min(1,2)/min(1,2) = 0; /2
		{"infAP", []float64{0.5}}, // a: 1/2; c: 1/5 + 4/5·3/4·(1+ε)/(2+2ε) = 1/2; /2
		{"num_nonrel_judged_ret", []float64{1}},
		{"set_P", []float64{0.4}},
		{"set_recall", []float64{1}},
		{"set_relative_P", []float64{1}},
		{"set_map", []float64{0.4}},
		{"set_F", []float64{2 * 0.4 / 1.4}},
		{"set_F.0.5", []float64{1.5 * 0.4 / 1.2}},
		{"binG", []float64{(1/math.Log2(3) + 1/math.Log2(5)) / 2}},
		{"success.1,2", []float64{0, 1}},
		{"map_cut.1,2,10", []float64{0, 0.25, (0.5 + 0.4) / 2}},
		{"relative_P.1,3", []float64{0, 0.5}},
		{"utility", []float64{2 - 3}},
		{"utility.1,-1,-2,0.5", []float64{2 - 3 - 0 + 0.5*float64(0+2-5-2)}},
		{"Rprec_mult.1,3", []float64{0.5, 2.0 / 6}},
		{"iprec_at_recall.0,0.5,1", []float64{0.5, 0.5, 0.4}},
		{"11pt_avg.0,0.5,1", []float64{(0.5 + 0.5 + 0.4) / 3}},
		{"gm_map", []float64{math.Log(0.45)}},
		{"yaap", []float64{math.Log((1 + 0.9) / (1 + 2 - 0.9))}},
	} {
		got := trecValue(t, c.spec, nil)
		require.Len(t, got, len(c.want), c.spec)
		for i := range got {
			assert.InDelta(t, c.want[i], got[i], 1e-12, "%s[%d]", c.spec, i)
		}
	}
	relstring, _ := Lookup("relstring")
	assert.Equal(t, "-2.01", relstring.Text(trecTopic(DefaultOptions()), []float64{10}))
	assert.Equal(t, "-2", relstring.Text(trecTopic(DefaultOptions()), []float64{2}))
}

// -M cuts trec_eval's list before -J drops the unjudged documents; -l 0
// makes judged non-relevant documents relevant but never the unjudged.
func TestTrecListOptions(t *testing.T) {
	cut := DefaultOptions()
	cut.LimitRetrieved, cut.MaxRetrieved = true, 2
	assert.Equal(t, []int64{relNonPool, 2}, trecTopic(cut).TrecRels())
	none := DefaultOptions()
	none.LimitRetrieved = true
	assert.Empty(t, trecTopic(none).TrecRels())
	judged := DefaultOptions()
	judged.JudgedOnly = true
	assert.Equal(t, []int64{2, 0, 1}, trecTopic(judged).TrecRels())
	both := DefaultOptions()
	both.JudgedOnly, both.LimitRetrieved, both.MaxRetrieved = true, true, 3
	assert.Equal(t, []int64{2}, trecTopic(both).TrecRels())
	zero := DefaultOptions()
	zero.RelevanceLevel = 0
	assert.Equal(t, 3, trecTopic(zero).NumRel())
	assert.Equal(t, int64(3), trecTopic(zero).trecCounts().numRelRet)
	minus := DefaultOptions()
	minus.RelevanceLevel = -1
	assert.Equal(t, 3, trecTopic(minus).NumRel(), "a negative level never counts")
	assert.Equal(t, []float64{1}, trecValue(t, "P.1", minus), "but -1 (not in the qrels) is relevant at -l -1, as in trec_eval")
	// iprec on an empty list is 0/0: trec_eval (x86) prints -nan.
	v := trecValue(t, "iprec_at_recall.0", none)[0]
	assert.True(t, math.IsNaN(v) && math.Signbit(v))
}

// trec_eval sorts its gain table with (int)(g1 − g2): gains less than 1
// apart compare equal and keep their order under glibc's merge sort.
func TestTrecGainOrder(t *testing.T) {
	gains := []relGain{{level: 1, gain: 0.9}, {level: 2, gain: 0.2}}
	glibcMergeSort(gains, func(a, b relGain) int { return cInt(a.gain - b.gain) })
	assert.Equal(t, []relGain{{level: 1, gain: 0.9}, {level: 2, gain: 0.2}}, gains)
	gains = []relGain{{level: 1, gain: 1.5}, {level: 2, gain: 0.2}, {level: 3, gain: 3}, {level: 4, gain: -1}}
	glibcMergeSort(gains, func(a, b relGain) int { return cInt(a.gain - b.gain) })
	assert.Equal(t, []float64{-1, 0.2, 1.5, 3}, []float64{gains[0].gain, gains[1].gain, gains[2].gain, gains[3].gain})
	assert.Equal(t, math.MinInt32, cInt(math.NaN()))
	assert.Equal(t, math.MinInt32, cInt(1e10))
	assert.Equal(t, -2, cInt(-2.7))
}

// gm_map under -c: a topic the run lacks counts as log(MIN_GEO_MEAN),
// added after the others as trec_eval adds it; num_rel's `all` is the
// judged documents above 0 in every topic, whatever -l says.
func TestTrecCompleteAggregation(t *testing.T) {
	q := &eval.Qrels{File: "q", Topics: []string{"A", "B"}, ByID: map[string]*eval.TopicQrels{
		"A": {Topic: "A", Docs: []string{"a", "b", "c", "d"}, Value: map[string]float64{"a": 2, "b": 0, "c": 1, "d": -1}},
		"B": {Topic: "B", Docs: []string{"e"}, Value: map[string]float64{"e": 1}},
	}}
	run := &eval.Run{File: "r", Topics: []string{"A"}, ByID: map[string]*eval.Ranking{"A": {Topic: "A", Entries: []eval.Entry{
		{Doc: "x", Score: 5}, {Doc: "a", Score: 4}, {Doc: "d", Score: 3}, {Doc: "b", Score: 2}, {Doc: "c", Score: 1}}}}}
	ms, err := ParseAll([]string{"gm_map", "num_rel", "iprec_at_recall.0"})
	require.NoError(t, err)
	opts := DefaultOptions()
	opts.RelevanceLevel = 2
	res := Evaluate(q, run, Config{Measures: ms, Options: opts, Complete: true})
	require.Equal(t, []string{"num_rel", "gm_map", "iprec_at_recall_0.00"}, []string{res.Columns[0].Name, res.Columns[1].Name, res.Columns[2].Name})
	apA := 0.5 / 1 // -l 2: only a is relevant, found at rank 2
	assert.Equal(t, 3.0, res.All[0], "a, c and e are judged above 0")
	assert.InDelta(t, math.Exp((math.Log(apA)+math.Log(MinGeoMean))/2), res.All[1], 1e-15)
	assert.Equal(t, 0.25, res.All[2], "B counts 0 (not its empty-list 0/0)")
	res = Evaluate(q, run, Config{Measures: ms, Options: opts})
	assert.Equal(t, 1.0, res.All[0])
}

// An empty level takes part in trec_eval's gain sort: with gains 0.3 and
// 0.9 for levels 1 and 2 and nothing judged 0, the (int)-truncating
// comparator leaves level 0 (gain 0) last, where the ideal ranking starts,
// so trec_eval's G and ndcg are 0; with level 0 given gain 5 they are not.
func TestTrecGainsEmptyLevel(t *testing.T) {
	q := &eval.TopicQrels{Topic: "A", Docs: []string{"a", "b"}, Value: map[string]float64{"a": 1, "b": 2}}
	topic := func() *Topic {
		return NewTopic("A", q, []eval.Entry{{Doc: "b", Score: 2}, {Doc: "a", Score: 1}}, DefaultOptions())
	}
	for _, spec := range []string{"G.1=0.3,2=0.9", "ndcg_trec.1=0.3,2=0.9"} {
		m, err := Parse(spec)
		require.NoError(t, err)
		out := make([]float64, 1) // Evaluate's zeroed values: trec_eval's q_eval
		m.Family.Calc(topic(), m.Params, out)
		assert.Equal(t, 0.0, out[0], spec)
	}
	m, err := Parse("ndcg_trec.0=5,1=0.3,2=0.9")
	require.NoError(t, err)
	out := []float64{-1}
	m.Family.Calc(topic(), m.Params, out)
	// Sorted table 0.3 0.9 5 (the last two differ by more than 1): the
	// ideal ranking starts at level 0, which no document has, then 0.9,
	// then 0.3; the run's b (0.9) then a (0.3) is ideal.
	assert.InDelta(t, 1.0, out[0], 1e-15)
}
