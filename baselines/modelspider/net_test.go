package modelspider

import (
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tinyProblem is a small network with every optional part switched on, and
// a batch that exercises free and feature-only models, PTM-specific tokens
// and models missing from a topic's list.
func tinyProblem(t *testing.T, ffn int) (*Network, []ModelRef, []*batchTopic) {
	return tinyProblemWith(t, ffn, false, false)
}

// tinyProblemWith is tinyProblem, with the linear metadata path when
// linear is set and two pair features when pair is set.
func tinyProblemWith(t *testing.T, ffn int, linear, pair bool) (*Network, []ModelRef, []*batchTopic) {
	t.Helper()
	rng := rand.New(rand.NewPCG(11, 12))
	cfg := Config{Dim: 4, FFN: ffn, NumModels: 5, ModelFeatures: 2, TaskFeatures: 3, SpecificFeatures: []int{2, 0, 3, 0, 2}, LinearPath: linear}
	if pair {
		cfg.PairFeatures = 2
	}
	net, err := NewNetwork(cfg, 1)
	require.NoError(t, err)
	// Move every parameter off its initial value so that no gradient is
	// checked only at a special point (gains of exactly 1, zero biases).
	for i := range net.params {
		net.params[i] += 0.3 * rng.NormFloat64()
	}
	models := []ModelRef{
		{Free: 0, Features: randVec(rng, 2)},
		{Free: 1, Features: randVec(rng, 2)},
		{Free: -1, Features: randVec(rng, 2)},
		{Free: 2, Features: randVec(rng, 2)},
		{Free: 4, Features: randVec(rng, 2)},
		{Free: 3, Features: randVec(rng, 2)},
	}
	tokens := func(n int) [][]float64 {
		out := make([][]float64, n)
		for i := range out {
			out[i] = randVec(rng, 3)
		}
		return out
	}
	spec0 := make([][][]float64, len(models))
	spec0[0] = [][]float64{randVec(rng, 2), randVec(rng, 2)}
	spec0[3] = [][]float64{randVec(rng, 3)}
	spec0[4] = [][]float64{randVec(rng, 2)}
	pairInputs := func() [][]float64 {
		if !pair {
			return nil
		}
		out := make([][]float64, len(models))
		for i := range out {
			out[i] = randVec(rng, 2)
		}
		return out
	}
	t0 := newBatchTopic("t0", tokens(3), len(models), []int{0, 1, 2, 3, 4, 5}, []float64{70, 60, 80, 75, 60, 50}, spec0, pairInputs())
	t0.useSpecific = []bool{true, false, false, true, true, false}
	t1 := newBatchTopic("t1", tokens(2), len(models), []int{5, 3, 0, 2}, []float64{1, 2, 3, 4}, nil, pairInputs())
	return net, models, []*batchTopic{t0, t1}
}

func TestNetworkGradient(t *testing.T) {
	for _, ffn := range []int{0, 3} {
		for _, w := range []Weighting{Uniform, Hyperbolic} {
			for _, extra := range []bool{false, true} {
				net, models, batch := tinyProblemWith(t, ffn, extra, extra)
				checkNetworkGradient(t, net, models, batch, w)
			}
		}
	}
}

// checkNetworkGradient compares ∂J/∂θ of objective with central
// differences for every tensor of the network.
func checkNetworkGradient(t *testing.T, net *Network, models []ModelRef, batch []*batchTopic, w Weighting) {
	t.Helper()
	pen := penalty{tokens: 0.07, weights: 0.03}
	grad := make([]float64, net.NumParams())
	_, _, err := net.objective(models, batch, w, pen, grad)
	require.NoError(t, err)
	scratch := make([]float64, net.NumParams())
	f := func() float64 {
		obj, _, err := net.objective(models, batch, w, pen, scratch)
		require.NoError(t, err)
		return obj
	}
	for _, s := range net.lay.specs {
		x := net.params[s.off : s.off+s.size()]
		checkGrad(t, s.Name, x, grad[s.off:s.off+s.size()], f)
	}
}

func TestNetworkPenalty(t *testing.T) {
	net, models, batch := tinyProblem(t, 0)
	grad := make([]float64, net.NumParams())
	obj0, rl0, err := net.objective(models, batch, Uniform, penalty{}, grad)
	require.NoError(t, err)
	assert.Equal(t, obj0, rl0)
	obj, rl, err := net.objective(models, batch, Uniform, penalty{tokens: 2, weights: 0}, grad)
	require.NoError(t, err)
	assert.Equal(t, rl0, rl)
	free := net.w.free
	assert.InDelta(t, rl0+dot(free, free), obj, 1e-12, "λ/2·‖E‖² with λ = 2")
}

// TestScorerMatchesPairForward checks the inference path (shared model
// side, one pass per topic) against the per-pair forward of training, and
// that re-ranking keeps the k re-scored models on top.
func TestScorerMatchesPairForward(t *testing.T) {
	net, models, batch := tinyProblemWith(t, 3, true, false)
	sc, err := net.NewScorer(models)
	require.NoError(t, err)
	bt := batch[0]
	scores, err := sc.Scores(bt.tokens)
	require.NoError(t, err)
	ms := newModelSide(len(models), net.cfg.Dim)
	net.modelForward(&net.w, models, ms, 0, len(models))
	ts := net.taskForward(&net.w, bt.tokens)
	p := newPairState(net.cfg)
	for i := range models {
		assert.Equal(t, net.pairForward(&net.w, ms, i, models[i].Free, ts, nil, nil, p), scores[i])
	}

	ranked, err := sc.Rank(bt.tokens, bt.specific, 3)
	require.NoError(t, err)
	order := argsortDesc(scores)
	top := order[:3]
	minTop := math.Inf(1)
	for _, i := range top {
		want := scores[i]
		if bt.specific[i] != nil {
			want = net.pairForward(&net.w, ms, i, models[i].Free, ts, bt.specific[i], nil, p)
		}
		minTop = min(minTop, ranked[i])
		_ = want
	}
	for _, i := range order[3:] {
		assert.Equal(t, scores[i], ranked[i], "models below the top k keep their score")
		assert.Less(t, ranked[i], minTop)
	}
	// Order within the top k follows the stage-two scores.
	for a := 0; a < 3; a++ {
		for b := 0; b < 3; b++ {
			ia, ib := top[a], top[b]
			sa, sb := scores[ia], scores[ib]
			if bt.specific[ia] != nil {
				sa = net.pairForward(&net.w, ms, ia, models[ia].Free, ts, bt.specific[ia], nil, p)
			}
			if bt.specific[ib] != nil {
				sb = net.pairForward(&net.w, ms, ib, models[ib].Free, ts, bt.specific[ib], nil, p)
			}
			if sa > sb {
				assert.Greater(t, ranked[ia], ranked[ib])
			}
		}
	}
}

func argsortDesc(x []float64) []int {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	for i := 1; i < len(idx); i++ {
		for j := i; j > 0 && x[idx[j]] > x[idx[j-1]]; j-- {
			idx[j], idx[j-1] = idx[j-1], idx[j]
		}
	}
	return idx
}

// TestTrainIndependentOfCores trains the same problem with one and with
// four goroutines and demands bit-identical parameters.
func TestTrainIndependentOfCores(t *testing.T) {
	for _, perStep := range []int{0, 1} {
		run := func(procs int) ([]float64, *History) {
			old := runtime.GOMAXPROCS(procs)
			defer runtime.GOMAXPROCS(old)
			net, models, batch := tinyProblem(t, 3)
			var topics []TrainTopic
			for _, bt := range batch {
				topics = append(topics, TrainTopic{ID: bt.id, Tokens: bt.tokens, Models: bt.list, Targets: bt.targets, Specific: bt.specific})
			}
			h, err := Train(net, models, topics, TrainConfig{Seed: 3, Steps: 20, LR: 0.01, LRMin: 0.001, DecayTokens: 0.01,
				DecayWeights: 0.001, Weighting: Hyperbolic, SpecificRate: 0.5, TopicsPerStep: perStep}, nil)
			require.NoError(t, err)
			return net.params, h
		}
		a, ha := run(1)
		b, hb := run(4)
		require.Equal(t, len(a), len(b))
		for i := range a {
			require.Equal(t, math.Float64bits(a[i]), math.Float64bits(b[i]), "parameter %d", i)
		}
		assert.Equal(t, ha, hb)
		assert.Less(t, ha.Objective[19], ha.Objective[0], "training lowers the objective")
	}
}

func TestTrainErrors(t *testing.T) {
	net, models, batch := tinyProblem(t, 0)
	bt := batch[1]
	good := TrainTopic{ID: "t", Tokens: bt.tokens, Models: bt.list, Targets: bt.targets}
	tc := TrainConfig{Steps: 1, LR: 0.01, Weighting: Uniform}
	for _, c := range []struct {
		name   string
		models []ModelRef
		topic  func(TrainTopic) TrainTopic
		cfg    func(TrainConfig) TrainConfig
		want   string
	}{
		{"no steps", models, nil, func(c TrainConfig) TrainConfig { c.Steps = 0; return c }, "0 steps"},
		{"bad rate", models, nil, func(c TrainConfig) TrainConfig { c.LR = -1; return c }, "learning rate"},
		{"shared row", append([]ModelRef{{Free: 0, Features: models[0].Features}}, models...), nil, nil, "share free-token row 0"},
		{"feature count", []ModelRef{{Free: 0, Features: []float64{1}}}, nil, nil, "1 features, the network takes 2"},
		{"token width", models, func(tp TrainTopic) TrainTopic { tp.Tokens = [][]float64{{1}}; return tp }, nil, "task token 0 has 1 features"},
		{"no tokens", models, func(tp TrainTopic) TrainTopic { tp.Tokens = nil; return tp }, nil, "no task tokens"},
		{"index", models, func(tp TrainTopic) TrainTopic { tp.Models = []int{0, 9}; tp.Targets = []float64{1, 2}; return tp }, nil, "model index 9 outside"},
		{"twice", models, func(tp TrainTopic) TrainTopic { tp.Models = []int{0, 0}; tp.Targets = []float64{1, 2}; return tp }, nil, "listed twice"},
		{"targets", models, func(tp TrainTopic) TrainTopic { tp.Targets = tp.Targets[:1]; return tp }, nil, "4 models, 1 targets"},
		{"flat targets", models, func(tp TrainTopic) TrainTopic { tp.Targets = []float64{5, 5, 5, 5}; return tp }, nil, "all 4 targets are equal"},
		{"specific without projection", models, func(tp TrainTopic) TrainTopic {
			tp.Specific = make([][][]float64, len(models))
			tp.Specific[1] = [][]float64{{1, 2}}
			return tp
		}, nil, "model row 1 has no PTM-specific projection"},
	} {
		t.Run(c.name, func(t *testing.T) {
			tp := good
			if c.topic != nil {
				tp = c.topic(tp)
			}
			cfg := tc
			if c.cfg != nil {
				cfg = c.cfg(cfg)
			}
			_, err := Train(net, c.models, []TrainTopic{tp}, cfg, nil)
			assert.ErrorContains(t, err, c.want)
		})
	}
}

// TestActivationCacheIsExact checks that the gradient with activations
// kept between the passes equals, bit for bit, the one with recomputation.
func TestActivationCacheIsExact(t *testing.T) {
	for _, ffn := range []int{0, 3} {
		net, models, batch := tinyProblemWith(t, ffn, true, true)
		g1 := make([]float64, net.NumParams())
		g2 := make([]float64, net.NumParams())
		o1, _, err := net.objective(models, batch, Hyperbolic, penalty{}, g1)
		require.NoError(t, err)
		old := maxCache
		maxCache = 0
		o2, _, err := net.objective(models, batch, Hyperbolic, penalty{}, g2)
		maxCache = old
		require.NoError(t, err)
		assert.Equal(t, o1, o2)
		for i := range g1 {
			require.Equal(t, math.Float64bits(g1[i]), math.Float64bits(g2[i]), "gradient %d", i)
		}
	}
}

// TestLinearPathsAddUp checks the linear metadata and pair paths by hand:
// switching them off (u = 0, v = 0) lowers every score by exactly
// u·x_m + v·p_{m,T}.
func TestLinearPathsAddUp(t *testing.T) {
	net, models, batch := tinyProblemWith(t, 3, true, true)
	u := slices.Clone(net.w.modelLinear)
	v := slices.Clone(net.w.pairLinear)
	require.Len(t, u, 2)
	require.Len(t, v, 2)
	bt := batch[0]
	sc, err := net.NewScorer(models)
	require.NoError(t, err)
	with, err := sc.ScoresWith(bt.tokens, bt.pair)
	require.NoError(t, err)
	_, err = sc.Scores(bt.tokens)
	assert.ErrorContains(t, err, "pair inputs for 0 models, want 6")
	clear(net.w.modelLinear)
	clear(net.w.pairLinear)
	sc, err = net.NewScorer(models)
	require.NoError(t, err)
	without, err := sc.ScoresWith(bt.tokens, bt.pair)
	require.NoError(t, err)
	for i, m := range models {
		p := bt.pair[i]
		want := u[0]*m.Features[0] + u[1]*m.Features[1] + v[0]*p[0] + v[1]*p[1]
		assert.InDelta(t, want, with[i]-without[i], 1e-12, "model %d", i)
	}
	_, err = NewNetwork(Config{Dim: 2, NumModels: 1, TaskFeatures: 1, LinearPath: true}, 1)
	assert.ErrorContains(t, err, "linear_path needs model features")
	_, err = NewNetwork(Config{Dim: 2, NumModels: 1, TaskFeatures: 1, PairFeatures: -1}, 1)
	assert.ErrorContains(t, err, "pair_features -1 is negative")
	bad := slices.Clone(bt.pair)
	bad[2] = []float64{1}
	_, err = sc.ScoresWith(bt.tokens, bad)
	assert.ErrorContains(t, err, "model 2 has 1 pair inputs, the network takes 2")
	plain, _, _ := tinyProblem(t, 0)
	sc, err = plain.NewScorer(models)
	require.NoError(t, err)
	_, err = sc.ScoresWith(bt.tokens, bt.pair)
	assert.ErrorContains(t, err, "pair inputs given, the network takes none")
}
