package modelspider

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/ntcir-pmr/mreval/eval/zoo"
)

func TestProbeSpecEncoding(t *testing.T) {
	s := &ProbeSpec{Probes: []string{"p0", "p1", "p2", "p3"}, AccMean: 70, AccStd: 10,
		Bases: []string{"a", "b"}, MNLIMean: 0.6, MNLIStd: 0.1}
	tok := s.tokens([]float64{70, 80, 90, 60})
	require.Len(t, tok, 4)
	// token j = [e_j ; e_j·(a_j − 70)/10 ; e_j·(a_j − 75)/10]
	assert.Equal(t, []float64{0, 1, 0, 0, 0, 1, 0, 0, 0, 0.5, 0, 0}, tok[1])
	assert.Equal(t, []float64{0, 0, 0, 1, 0, 0, 0, -1, 0, 0, 0, -1.5}, tok[3])
	f := s.features("b", 0.75)
	assert.InDeltaSlice(t, []float64{0, 1, 1.5, 0, 1.5}, f, 1e-12)
	f = s.features("unknown", 0.5)
	assert.InDeltaSlice(t, []float64{0, 0, -1, 0, 0}, f, 1e-12)
	assert.Nil(t, s.pairInputs([]string{"p1"}, []float64{70, 80, 90, 60}))
	s.BaseAccuracy = true
	// p_{m,T} = (a_base − 75)/10; a base that is not a probe gives 0
	assert.Equal(t, [][]float64{{0.5}, {0}, {-1.5}}, s.pairInputs([]string{"p1", "elsewhere", "p3"}, []float64{70, 80, 90, 60}))
	s.IgnoreAccuracy = true
	assert.Equal(t, [][]float64{{0}}, s.pairInputs([]string{"p1"}, []float64{70, 80, 90, 60}))
}

// fakeRecycling builds a small probe-budget collection: the probes are pool
// models; model m of base b has accuracy
//
//	acc(m, t) = probe_acc(b, t) + 2·y_m + noise,
//
// y_m its standardised mnli_lp, so that a ranker must combine the task's
// probe accuracies (which base suits it) with the model's metadata.
func fakeRecycling(t *testing.T, seed uint64) *zoo.Data {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	bases := []string{"roberta-base", "bert-base-uncased", "bert-base-cased", "microsoft/deberta-v3-base"}
	d := &zoo.Data{Base: map[string]string{}, MNLILP: map[string]float64{}}
	for _, b := range bases {
		d.Pool = append(d.Pool, b)
		d.Base[b] = b
		d.MNLILP[b] = 0.6
	}
	for i := 0; i < 36; i++ {
		id := fmt.Sprintf("org/model-%02d", i)
		d.Pool = append(d.Pool, id)
		d.Base[id] = bases[i%4]
		d.MNLILP[id] = 0.6 + 0.1*rng.NormFloat64()
	}
	q := &eval.Qrels{File: "fake.qrels", ByID: map[string]*eval.TopicQrels{}}
	for ti := 0; ti < 16; ti++ {
		id := fmt.Sprintf("topic-%02d", ti)
		tq := &eval.TopicQrels{Topic: id, Value: map[string]float64{}}
		probe := map[string]float64{}
		for _, b := range bases {
			probe[b] = 50 + 30*rng.Float64()
		}
		for _, m := range d.Pool {
			v := probe[d.Base[m]]
			if m != d.Base[m] {
				v += 20*(d.MNLILP[m]-0.6) + 0.5*rng.NormFloat64()
			}
			tq.Value[m] = v
			tq.Docs = append(tq.Docs, m)
		}
		q.ByID[id] = tq
		if ti < 12 {
			d.Train = append(d.Train, id)
		} else {
			d.Test = append(d.Test, id)
		}
	}
	q.Topics = eval.SortedKeys(q.ByID)
	d.Qrels = q
	return d
}

func TestRecyclingLearns(t *testing.T) {
	d := fakeRecycling(t, 1)
	opt := RecyclingOptions{Dim: 8, FreeTokens: true,
		Train: TrainConfig{Steps: 150, LR: 0.02, LRMin: 0.001, DecayTokens: 0.01, DecayWeights: 1e-4, Weighting: Hyperbolic}}
	r, hist, err := TrainRecycling(d, opt, nil)
	require.NoError(t, err)
	assert.Less(t, hist.RankLoss[len(hist.RankLoss)-1], hist.RankLoss[0])
	assert.Equal(t, "recycling", r.Repr.Probes.Collection)
	run, err := r.RankRecycling(d, d.Test, "x")
	require.NoError(t, err)
	learned, _, err := Evaluate(d.Qrels, run, d.Test)
	require.NoError(t, err)
	// mnli_lp alone cannot know which base suits the topic.
	lp := map[string]map[string]float64{}
	for _, tp := range d.Test {
		lp[tp] = d.MNLILP
	}
	mnli, _, err := Evaluate(d.Qrels, trecfmt.NewRun("lp", lp), d.Test)
	require.NoError(t, err)
	t.Logf("held-out τw: ranker %.3f, mnli_lp %.3f", learned.TauW, mnli.TauW)
	assert.Greater(t, learned.TauW, mnli.TauW+0.2)
	assert.Greater(t, learned.TauW, 0.7)
}

func TestRecyclingDeterministicRun(t *testing.T) {
	d := fakeRecycling(t, 2)
	opt := RecyclingOptions{Dim: 4, FreeTokens: true,
		Train: TrainConfig{Steps: 20, LR: 0.02, LRMin: 0.001, DecayTokens: 0.01, Weighting: Hyperbolic}}
	build := func() []byte {
		r, _, err := TrainRecycling(d, opt, nil)
		require.NoError(t, err)
		run, err := r.RankRecycling(d, d.Test, RecyclingRunTag)
		require.NoError(t, err)
		var buf bytes.Buffer
		require.NoError(t, trecfmt.WriteRun(&buf, run))
		return buf.Bytes()
	}
	a, b := build(), build()
	assert.Equal(t, a, b)
	assert.Equal(t, len(d.Test)*len(d.Pool), bytes.Count(a, []byte("\n")))
}

func TestRecyclingErrors(t *testing.T) {
	opt := RecyclingOptions{Dim: 4, Train: TrainConfig{Steps: 1, LR: 0.01, Weighting: Hyperbolic}}
	d := fakeRecycling(t, 3)
	delete(d.MNLILP, "org/model-05")
	_, _, err := TrainRecycling(d, opt, nil)
	assert.ErrorContains(t, err, `pool model "org/model-05" has no mnli_lp value`)

	d = fakeRecycling(t, 3)
	delete(d.Qrels.ByID["topic-02"].Value, "org/model-07")
	_, _, err = TrainRecycling(d, opt, nil)
	assert.ErrorContains(t, err, `no judgment of "org/model-07" on train topic "topic-02"`)

	d = fakeRecycling(t, 3)
	delete(d.Qrels.ByID["topic-13"].Value, "bert-base-cased")
	r, _, err := TrainRecycling(d, opt, nil)
	require.NoError(t, err, "test-topic judgments are not read in training")
	_, err = r.RankRecycling(d, d.Test, "x")
	assert.ErrorContains(t, err, `probe model "bert-base-cased" is not judged on topic "topic-13"`)

	opt.Probes = []string{"roberta-base", "nobody"}
	_, _, err = TrainRecycling(fakeRecycling(t, 3), opt, nil)
	assert.ErrorContains(t, err, `"nobody"`)

	opt.Probes = nil
	opt.Train.Weighting = "flat"
	_, _, err = TrainRecycling(fakeRecycling(t, 3), opt, nil)
	assert.ErrorContains(t, err, `unknown loss weighting "flat"`)
}
