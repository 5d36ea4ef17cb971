package fennec

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/zoo"
)

func TestRidgeHand(t *testing.T) {
	// x = [0, 1, 2]; y1 = 1 + 2x, y2 = [0, 0, 3]. Centred x = [−1, 0, 1],
	// Σx² = 2, Σx·y1 = 4, Σx·y2 = 3; with μ = 2: W = [4/4, 3/4].
	x := []float64{0, 1, 2}
	y := []float64{1, 0, 3, 0, 5, 3}
	r, err := FitRidge(x, y, 3, 1, 2, nil, 2)
	require.NoError(t, err)
	assert.Equal(t, []float64{1}, r.XMean)
	assert.Equal(t, []float64{3, 1}, r.Intercept)
	assert.Equal(t, []float64{1, 0.75}, r.W)
	assert.Equal(t, []float64{4, 1.75}, r.Apply([]float64{2}))
	// Rows select the fit: rows 0 and 2 only, x̄ = 1, Σx² = 2 again,
	// Σx·y1 = (−1)(−2) + 1·2 = 4, Σx·y2 = (−1)(−1.5) + 1·1.5 = 3.
	r, err = FitRidge(x, y, 3, 1, 2, []int{0, 2}, 2)
	require.NoError(t, err)
	assert.Equal(t, []float64{3, 1.5}, r.Intercept)
	assert.Equal(t, []float64{1, 0.75}, r.W)

	_, err = FitRidge(x, y, 3, 1, 2, nil, 0)
	assert.EqualError(t, err, "ridge: μ = 0 must be positive and finite")
	_, err = FitRidge(x, y[:4], 3, 1, 2, nil, 1)
	assert.EqualError(t, err, "ridge: 3 features and 4 targets for 3 rows of 1 and 2")
}

func TestFeaturesHand(t *testing.T) {
	train := []zoo.Model{
		{ID: "org1/bert-foo", BaseModel: "B1", Params: "100", Layers: "12.0", ModelType: "bert", Tokenizer: "org1/bert-foo"},
		{ID: "org1/roberta-foo", BaseModel: "R1", Params: "1000", Layers: "12.0", ModelType: "roberta", Tokenizer: "org1/roberta-foo"},
		{ID: "org2/bert-bar", BaseModel: "B1", Params: "1000", Layers: "12.0", ModelType: "bert", Tokenizer: "B1"},
	}
	f, err := NewFeatures(train, 2)
	require.NoError(t, err)
	// Indicators in at least 2 models; layers is constant and dropped.
	assert.Equal(t, []string{"log10(params)", "base=B1", "name:bert", "name:foo", "name:org1", "org:org1",
		"params=1000", "tokenizer=own", "type=bert"}, f.Names)
	// log10(params) = 2, 3, 3: mean 8/3, sd √2/3. Each indicator is in 2
	// of 3 models: mean 2/3, sd √2/3, so present → 1/√2, absent → −√2.
	p, a := 1/math.Sqrt2, -math.Sqrt2
	x, err := f.Encode(train[0])
	require.NoError(t, err)
	assert.InDeltaSlice(t, []float64{-math.Sqrt2, p, p, p, p, p, a, p, p}, x, 1e-15)
	// A new model: unknown tokens are ignored.
	x, err = f.Encode(zoo.Model{ID: "new/xyz", BaseModel: "R1", Params: "1000", Layers: "12", ModelType: "roberta", Tokenizer: "new/xyz"})
	require.NoError(t, err)
	assert.InDeltaSlice(t, []float64{1 / math.Sqrt2, a, a, a, a, a, p, p, a}, x, 1e-15)

	_, err = f.Encode(zoo.Model{ID: "bad", BaseModel: "B1", Params: "lots", Layers: "12", ModelType: "bert"})
	assert.EqualError(t, err, `features: model "bad": params "lots" is not a positive number`)
	_, err = NewFeatures(append(train[:2:2], zoo.Model{ID: "z", BaseModel: "B1", Params: "1", Layers: "-1", ModelType: "bert"}), 2)
	assert.EqualError(t, err, `features: model "z": layers "-1" is not a positive number`)
}

func TestHoldOut(t *testing.T) {
	var pool []string
	for i := 0; i < 50; i++ {
		pool = append(pool, "m"+strconv.Itoa(100+i))
	}
	probes := []string{"m100", "m101", "m102", "m103"}
	h1, err := HoldOut(pool, probes, 0.1, 1)
	require.NoError(t, err)
	assert.Len(t, h1, 5)
	assert.IsIncreasing(t, h1, "in pool order")
	for _, m := range h1 {
		assert.NotContains(t, probes, m)
	}
	again, err := HoldOut(pool, probes, 0.1, 1)
	require.NoError(t, err)
	assert.Equal(t, h1, again, "same seed, same models")
	h2, err := HoldOut(pool, probes, 0.1, 2)
	require.NoError(t, err)
	assert.NotEqual(t, h1, h2, "another seed, other models")

	_, err = HoldOut(pool, probes, 1, 1)
	assert.EqualError(t, err, "cold start: hold-out fraction 1 is outside (0, 1)")
	_, err = HoldOut(pool[:5], probes, 0.5, 1)
	assert.EqualError(t, err, "cold start: holding out 3 of 5 models leaves none to hold out or too few to train")
}

// TestColdStartFamilies builds a pool in which a model's values depend on
// its family alone (b_m, u_m fixed per family, plus small noise), and the
// family is in the metadata (base model, org): the cold-start map then
// places a held-out model where its family is, and the held-out models
// are ranked as the full model ranks them.
func TestColdStartFamilies(t *testing.T) {
	const nModels, nTopics, nTrain = 120, 14, 10
	rng := rand.New(rand.NewPCG(21, 21))
	fams := 4
	famBias := []float64{0, 6, -4, 2}
	famVec := [][]float64{{1, 0}, {-1, 1}, {0, -2}, {2, 2}}
	topicVec := make([][]float64, nTopics)
	for j := range topicVec {
		topicVec[j] = []float64{3 * rng.NormFloat64(), 3 * rng.NormFloat64()}
	}
	q := &eval.Qrels{ByID: map[string]*eval.TopicQrels{}}
	d := &zoo.Data{Qrels: q}
	var info []zoo.Model
	for i := 0; i < nModels; i++ {
		f := i % fams
		id := "fam" + strconv.Itoa(f) + "/model-" + strconv.Itoa(i)
		d.Pool = append(d.Pool, id)
		info = append(info, zoo.Model{ID: id, BaseModel: "base" + strconv.Itoa(f), Params: "110000000", Layers: "12",
			ModelType: "bert", Tokenizer: id})
	}
	for j := 0; j < nTopics; j++ {
		id := "t" + pad(j)
		tq := &eval.TopicQrels{Topic: id, Value: map[string]float64{}}
		for i, m := range d.Pool {
			f := i % fams
			v := 70 + famBias[f] + famVec[f][0]*topicVec[j][0] + famVec[f][1]*topicVec[j][1] + 0.1*rng.NormFloat64()
			tq.Value[m] = v
			tq.Docs = append(tq.Docs, m)
			tq.Lines = append(tq.Lines, 0)
		}
		q.ByID[id] = tq
		q.Topics = append(q.Topics, id)
		if j < nTrain {
			d.Train = append(d.Train, id)
		} else {
			d.Test = append(d.Test, id)
		}
	}
	probes := []string{d.Pool[0], d.Pool[1], d.Pool[2], d.Pool[3]}
	opt := Options{Rank: 2, Lambda: 0.1, Probes: probes}
	cs, err := ColdStart("cold", d, info, opt, ColdStartOptions{Seed: 5})
	require.NoError(t, err)
	require.Len(t, cs.Held, 12)
	assert.Equal(t, "cold", cs.Run.Tag)
	full, err := Run("full", d, opt)
	require.NoError(t, err)
	for _, topic := range d.Test {
		byModel := map[string]float64{}
		for _, e := range cs.Run.ByID[topic].Entries {
			byModel[e.Doc] = e.Score
		}
		require.Len(t, byModel, nModels, "the cold-start run ranks the whole pool")
		for _, e := range full.Run.ByID[topic].Entries {
			// Family gaps are several points, the noise 0.1: the cold
			// score is within 0.5 of the full model's.
			assert.InDelta(t, e.Score, byModel[e.Doc], 0.5, "%s %s", topic, e.Doc)
		}
	}
	assert.Equal(t, 0.1, cs.Map.Mu, "an exact linear relation: the smallest μ")

	// The same seed gives the same run; models without metadata are an error.
	again, err := ColdStart("cold", d, info, opt, ColdStartOptions{Seed: 5})
	require.NoError(t, err)
	assert.Equal(t, cs.Run, again.Run)
	_, err = ColdStart("cold", d, info[1:], opt, ColdStartOptions{Seed: 5})
	assert.EqualError(t, err, `cold start: pool model "fam0/model-0" has no metadata`)
}
