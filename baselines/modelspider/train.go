package modelspider

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// TrainConfig holds the optimisation settings of Train.
type TrainConfig struct {
	// Seed drives every random choice of training (topic mini-batches,
	// which pairs use their PTM-specific tokens). The network's initial
	// parameters come from NewNetwork's own seed.
	Seed uint64 `json:"seed"`
	// Steps is the number of Adam updates.
	Steps int `json:"steps"`
	// LR is the initial learning rate; it follows a cosine schedule down to
	// LRMin at the last step (Loshchilov & Hutter 2017, as in the
	// reference code).
	LR    float64 `json:"lr"`
	LRMin float64 `json:"lr_min"`
	// DecayTokens and DecayWeights are the L2 strengths on the free model
	// tokens and on the weight matrices.
	DecayTokens  float64 `json:"decay_tokens"`
	DecayWeights float64 `json:"decay_weights"`
	// Weighting of the positions in the listwise loss.
	Weighting Weighting `json:"weighting"`
	// TopicsPerStep is the mini-batch size in topics; 0 uses every topic
	// at every step.
	TopicsPerStep int `json:"topics_per_step"`
	// SpecificRate is the probability that a pair whose model has
	// PTM-specific tokens on the topic uses them in a step, so that the
	// network learns to score with and without them (the reference code
	// samples a few such models per task in the same way).
	SpecificRate float64 `json:"specific_rate"`
}

// MaxSteps bounds the Adam steps of one training: 33 times the shipped
// setting's 300, which take seconds (a count typed by mistake, 1e12, would
// otherwise run for ever).
const MaxSteps = 10_000

func (tc TrainConfig) validate() error {
	switch {
	case tc.Steps < 1 || tc.Steps > MaxSteps:
		return fmt.Errorf("train: %d steps, need 1 to %d", tc.Steps, MaxSteps)
	case !(tc.LR > 0) || tc.LRMin < 0 || tc.LRMin > tc.LR:
		return fmt.Errorf("train: learning rate %g (floor %g) must satisfy 0 ≤ floor ≤ rate, rate > 0", tc.LR, tc.LRMin)
	case tc.DecayTokens < 0 || tc.DecayWeights < 0:
		return errors.New("train: negative decay")
	case tc.TopicsPerStep < 0:
		return errors.New("train: negative topics per step")
	case tc.SpecificRate < 0 || tc.SpecificRate > 1:
		return fmt.Errorf("train: specific rate %g outside [0, 1]", tc.SpecificRate)
	}
	return tc.Weighting.valid()
}

// TrainTopic is one training topic.
type TrainTopic struct {
	ID string
	// Tokens are the inputs of the generic task tokens.
	Tokens [][]float64
	// Models lists the indices (into the models given to Train) that the
	// loss ranks on this topic, Targets their true values (higher is
	// better; an accuracy, or a RankAgg score where the truth is missing).
	Models  []int
	Targets []float64
	// Specific, when not nil, holds per model index the inputs of that
	// model's PTM-specific tokens on this topic (nil for none).
	Specific [][][]float64
	// Pair holds per model index the model's pair inputs on this topic
	// (Config.PairFeatures each); nil when the network takes none.
	Pair [][]float64
}

// History records the objective during training.
type History struct {
	// Objective[s] and RankLoss[s] are the penalised objective and the mean
	// ranking loss at step s, before its update.
	Objective []float64
	RankLoss  []float64
}

// Train fits the network's parameters by Adam (Kingma & Ba 2015) on the
// listwise ranking loss of the topics. It is deterministic for a given
// network, data and configuration, whatever GOMAXPROCS is. progress, when
// not nil, is called after every step.
func Train(net *Network, models []ModelRef, topics []TrainTopic, tc TrainConfig, progress func(step int, obj float64)) (*History, error) {
	if err := tc.validate(); err != nil {
		return nil, err
	}
	if err := net.checkModels(models); err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	if len(topics) == 0 {
		return nil, errors.New("train: no topics")
	}
	seenRow := make(map[int]int, len(models))
	for i, m := range models {
		if m.Free < 0 {
			continue
		}
		if j, dup := seenRow[m.Free]; dup {
			return nil, fmt.Errorf("train: models %d and %d share free-token row %d", j, i, m.Free)
		}
		seenRow[m.Free] = i
	}
	batch := make([]*batchTopic, len(topics))
	for t, tp := range topics {
		if err := net.checkTokens(tp.Tokens, "train: topic "+tp.ID); err != nil {
			return nil, err
		}
		if len(tp.Models) != len(tp.Targets) {
			return nil, fmt.Errorf("train: topic %s: %d models, %d targets", tp.ID, len(tp.Models), len(tp.Targets))
		}
		seen := make(map[int]bool, len(tp.Models))
		for _, i := range tp.Models {
			if i < 0 || i >= len(models) {
				return nil, fmt.Errorf("train: topic %s: model index %d outside [0, %d)", tp.ID, i, len(models))
			}
			if seen[i] {
				return nil, fmt.Errorf("train: topic %s: model index %d listed twice", tp.ID, i)
			}
			seen[i] = true
		}
		if tp.Specific != nil {
			if len(tp.Specific) != len(models) {
				return nil, fmt.Errorf("train: topic %s: specific inputs for %d models, want %d", tp.ID, len(tp.Specific), len(models))
			}
			for i, s := range tp.Specific {
				if s == nil {
					continue
				}
				if err := net.checkSpecific(models[i].Free, s, "train: topic "+tp.ID); err != nil {
					return nil, err
				}
			}
		}
		if err := net.checkPair(tp.Pair, len(models), "train: topic "+tp.ID); err != nil {
			return nil, err
		}
		batch[t] = newBatchTopic(tp.ID, tp.Tokens, len(models), tp.Models, tp.Targets, tp.Specific, tp.Pair)
	}

	rng := rand.New(rand.NewPCG(tc.Seed, 0x747261696e))
	opt := newAdam(net.lay.size)
	grad := make([]float64, net.lay.size)
	hist := &History{}
	pen := penalty{tokens: tc.DecayTokens, weights: tc.DecayWeights}
	perm := make([]int, len(batch))
	for s := 0; s < tc.Steps; s++ {
		step := batch
		if tc.TopicsPerStep > 0 && tc.TopicsPerStep < len(batch) {
			for i := range perm {
				perm[i] = i
			}
			rng.Shuffle(len(perm), func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
			step = make([]*batchTopic, tc.TopicsPerStep)
			for i := range step {
				step[i] = batch[perm[i]]
			}
		}
		for _, bt := range step {
			for k, i := range bt.list {
				bt.useSpecific[k] = bt.specific != nil && bt.specific[i] != nil && tc.SpecificRate > 0 && rng.Float64() < tc.SpecificRate
			}
		}
		obj, rl, err := net.objective(models, step, tc.Weighting, pen, grad)
		if err != nil {
			return nil, fmt.Errorf("train: step %d: %w", s, err)
		}
		if math.IsNaN(obj) || math.IsInf(obj, 0) || !allFinite(grad) {
			return nil, fmt.Errorf("train: step %d: objective or gradient is not finite (learning rate %g too high?)", s, tc.LR)
		}
		hist.Objective = append(hist.Objective, obj)
		hist.RankLoss = append(hist.RankLoss, rl)
		lr := tc.LRMin + (tc.LR-tc.LRMin)*(1+math.Cos(math.Pi*float64(s)/float64(tc.Steps)))/2
		opt.step(net.params, grad, lr)
		if progress != nil {
			progress(s, obj)
		}
	}
	return hist, nil
}

// adam holds the moment estimates of Adam with the usual constants
// β₁ = 0.9, β₂ = 0.999, ε = 1e-8.
type adam struct {
	m, v []float64
	t    int
}

func newAdam(n int) *adam { return &adam{m: make([]float64, n), v: make([]float64, n)} }

func (a *adam) step(params, grad []float64, lr float64) {
	const b1, b2, eps = 0.9, 0.999, 1e-8
	a.t++
	c1 := 1 - math.Pow(b1, float64(a.t))
	c2 := 1 - math.Pow(b2, float64(a.t))
	for i, g := range grad {
		a.m[i] = float64(b1*a.m[i]) + float64((1-b1)*g)
		a.v[i] = float64(b2*a.v[i]) + float64(float64((1-b2)*g)*g)
		mhat := a.m[i] / c1
		vhat := a.v[i] / c2
		params[i] -= float64(lr*mhat) / (math.Sqrt(vhat) + eps)
	}
}
