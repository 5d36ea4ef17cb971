package modelspider

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/ntcir-pmr/mreval/baselines/metadata"
	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/zoo"
	"github.com/ntcir-pmr/mreval/internal/numeric"
)

// ProbeSpec is the probe-budget representation of Subtask A (the recycling
// collection). A topic is known through the fine-tuned accuracies a_j of
// the K probe models of the probe-knn baseline; it becomes K task tokens,
// token j having the inputs
//
//	[ e_j ; e_j·z_j ; e_j·c_j ],   z_j = (a_j − AccMean)/AccStd,
//	c_j = (a_j − mean_k a_k)/AccStd,
//
// e_j the j-th unit vector: after the task projection, token j is a learned
// probe embedding plus learned directions scaled by the probe's absolute
// and relative accuracy. A model's metadata features are
//
//	[ onehot(base) ; y ; y·onehot(base) ],   y = (mnli_lp − MNLIMean)/MNLIStd,
//
// (base architecture and MNLI linear-probe accuracy, which every
// participant has). AccMean and AccStd are the mean and standard deviation
// of the probe accuracies over the training topics, MNLIMean and MNLIStd
// those of mnli_lp over the pool.
type ProbeSpec struct {
	// Collection names the collection (eval/collection) the topics come
	// from; ranking reads the probe models' judgments from its qrels.
	Collection string   `json:"collection"`
	Probes     []string `json:"probes"`
	AccMean    float64  `json:"acc_mean"`
	AccStd     float64  `json:"acc_std"`
	Bases      []string `json:"bases"`
	MNLIMean   float64  `json:"mnli_mean"`
	MNLIStd    float64  `json:"mnli_std"`
	// IgnoreAccuracy zeroes the accuracy parts of the task tokens, leaving
	// the probe identities only: the ablation that shows what the probe
	// accuracies contribute.
	IgnoreAccuracy bool `json:"ignore_accuracy,omitempty"`
	// BaseAccuracy gives every model one pair input on a topic, the
	// accuracy of its own base model there relative to the probes' mean,
	//
	//	p_{m,T} = (a_{base(m)} − mean_k a_k)/AccStd,
	//
	// 0 for a model whose base is not a probe: the nearest thing to Model
	// Spider's PTM-specific signal (the target data seen through model m
	// itself) that the probe budget holds.
	BaseAccuracy bool `json:"base_accuracy,omitempty"`
}

func (s *ProbeSpec) pairFeatures() int {
	if s.BaseAccuracy {
		return 1
	}
	return 0
}

// pairInputs encodes the pair inputs of the models whose bases are given,
// on a topic with the probe accuracies acc; nil without BaseAccuracy.
func (s *ProbeSpec) pairInputs(bases []string, acc []float64) [][]float64 {
	if !s.BaseAccuracy {
		return nil
	}
	mean, _ := meanStd(acc)
	out := make([][]float64, len(bases))
	for i, b := range bases {
		v := 0.0
		if j := slices.Index(s.Probes, b); j >= 0 && !s.IgnoreAccuracy {
			v = (acc[j] - mean) / s.AccStd
		}
		out[i] = []float64{v}
	}
	return out
}

func (s *ProbeSpec) taskFeatures() int  { return 3 * len(s.Probes) }
func (s *ProbeSpec) modelFeatures() int { return 2*len(s.Bases) + 1 }

// tokens encodes a topic from its probe accuracies (in probe order).
func (s *ProbeSpec) tokens(acc []float64) [][]float64 {
	k := len(s.Probes)
	mean, _ := meanStd(acc)
	out := make([][]float64, k)
	for j, a := range acc {
		u := make([]float64, 3*k)
		u[j] = 1
		if !s.IgnoreAccuracy {
			u[k+j] = (a - s.AccMean) / s.AccStd
			u[2*k+j] = (a - mean) / s.AccStd
		}
		out[j] = u
	}
	return out
}

// features encodes a model's metadata; a base outside Bases leaves the
// one-hot parts zero.
func (s *ProbeSpec) features(base string, mnliLP float64) []float64 {
	b := len(s.Bases)
	f := make([]float64, 2*b+1)
	y := (mnliLP - s.MNLIMean) / s.MNLIStd
	f[b] = y
	if i := slices.Index(s.Bases, base); i >= 0 {
		f[i] = 1
		f[b+1+i] = y
	}
	return f
}

// RecyclingOptions configure TrainRecycling.
type RecyclingOptions struct {
	// Collection is recorded in the ranker (ProbeSpec.Collection);
	// "recycling" when empty.
	Collection string
	// Probes are the probe models (metadata.DefaultProbes when empty).
	Probes []string
	// Dim and FFN are the network width and feed-forward width.
	Dim, FFN int
	// FreeTokens gives every pool model a learned free token on top of its
	// metadata features.
	FreeTokens bool
	// IgnoreAccuracy is the ablation of ProbeSpec.IgnoreAccuracy.
	IgnoreAccuracy bool
	// LinearPath adds the linear metadata path (Config.LinearPath).
	LinearPath bool
	// BaseAccuracyPath adds the pair input of ProbeSpec.BaseAccuracy.
	BaseAccuracyPath bool
	// NetSeed seeds the initial parameters, Train.Seed the optimisation.
	NetSeed uint64
	Train   TrainConfig
}

// ShippedRecycling returns the options of the shipped run
// runs/recycling/modelspider.run, chosen by cross-validation inside the
// train topics (see docs/baselines-modelspider.md and RecyclingGrid).
func ShippedRecycling() RecyclingOptions {
	return RecyclingOptions{
		Dim:   16,
		Train: TrainConfig{Steps: 300, LR: 0.01, LRMin: 0.0005, DecayTokens: 0.1, DecayWeights: 1e-2, Weighting: Hyperbolic},
	}
}

// WithSeed returns the options with both seeds set to seed.
func (o RecyclingOptions) WithSeed(seed uint64) RecyclingOptions {
	o.NetSeed = seed
	o.Train.Seed = seed
	return o
}

// newProbeSpec fixes the encoding from the train topics and the pool.
func newProbeSpec(d *zoo.Data, probes []string) (*ProbeSpec, error) {
	if len(probes) == 0 {
		probes = metadata.DefaultProbes
	}
	if len(d.Train) == 0 {
		return nil, errors.New("modelspider: no train topics")
	}
	spec := &ProbeSpec{Probes: slices.Clone(probes)}
	var accs []float64
	for _, t := range d.Train {
		v, err := metadata.ProbeVector(d.Qrels, t, probes)
		if err != nil {
			return nil, fmt.Errorf("modelspider: %w", err)
		}
		accs = append(accs, v...)
	}
	spec.AccMean, spec.AccStd = meanStd(accs)
	if !(spec.AccStd > 0) {
		return nil, errors.New("modelspider: the probe accuracies of the train topics are all equal")
	}
	var lps []float64
	bases := map[string]bool{}
	for _, m := range d.Pool {
		lp, ok := d.MNLILP[m]
		if !ok {
			return nil, fmt.Errorf("modelspider: pool model %q has no mnli_lp value", m)
		}
		b, ok := d.Base[m]
		if !ok {
			return nil, fmt.Errorf("modelspider: pool model %q has no base model", m)
		}
		lps = append(lps, lp)
		bases[b] = true
	}
	spec.MNLIMean, spec.MNLIStd = meanStd(lps)
	if !(spec.MNLIStd > 0) {
		return nil, errors.New("modelspider: mnli_lp is the same for every pool model")
	}
	spec.Bases = eval.SortedKeys(bases)
	return spec, nil
}

// meanStd returns the mean and population standard deviation of x, summed
// in index order.
func meanStd(x []float64) (mean, std float64) {
	mean = numeric.Mean(x)
	var ss float64
	for _, v := range x {
		ss += float64((v - mean) * (v - mean))
	}
	return mean, math.Sqrt(ss / float64(len(x)))
}

// poolBases returns the base model of every pool model, in pool order.
func poolBases(d *zoo.Data) []string {
	out := make([]string, len(d.Pool))
	for i, m := range d.Pool {
		out[i] = d.Base[m]
	}
	return out
}

// poolRefs encodes the pool models of d for a ranker whose free tokens
// belong to rows (nil for none).
func poolRefs(d *zoo.Data, spec *ProbeSpec, rows []string) ([]ModelRef, error) {
	rowOf := make(map[string]int, len(rows))
	for r, m := range rows {
		rowOf[m] = r
	}
	refs := make([]ModelRef, len(d.Pool))
	for i, m := range d.Pool {
		lp, ok := d.MNLILP[m]
		if !ok {
			return nil, fmt.Errorf("modelspider: pool model %q has no mnli_lp value", m)
		}
		free := -1
		if r, ok := rowOf[m]; ok {
			free = r
		}
		refs[i] = ModelRef{Free: free, Features: spec.features(d.Base[m], lp)}
	}
	return refs, nil
}

// recyclingTopics builds the training topics: probe tokens and the pool's
// accuracies.
func recyclingTopics(d *zoo.Data, spec *ProbeSpec, topics []string) ([]TrainTopic, error) {
	list := make([]int, len(d.Pool))
	for i := range list {
		list[i] = i
	}
	bases := poolBases(d)
	out := make([]TrainTopic, 0, len(topics))
	for _, t := range topics {
		acc, err := metadata.ProbeVector(d.Qrels, t, spec.Probes)
		if err != nil {
			return nil, fmt.Errorf("modelspider: %w", err)
		}
		tq := d.Qrels.Topic(t)
		targets := make([]float64, len(d.Pool))
		for i, m := range d.Pool {
			v, ok := tq.Value[m]
			if !ok {
				return nil, fmt.Errorf("modelspider: qrels have no judgment of %q on train topic %q", m, t)
			}
			targets[i] = v
		}
		out = append(out, TrainTopic{ID: t, Tokens: spec.tokens(acc), Models: list, Targets: targets, Pair: spec.pairInputs(bases, acc)})
	}
	return out, nil
}

// TrainRecycling trains a ranker on the train topics of d (the probe
// representation, ProbeSpec). Only the train topics' judgments are read.
// progress, when not nil, is called after every step.
func TrainRecycling(d *zoo.Data, opt RecyclingOptions, progress func(step int, obj float64)) (*Ranker, *History, error) {
	return trainRecyclingOn(d, d.Train, opt, progress)
}

func trainRecyclingOn(d *zoo.Data, train []string, opt RecyclingOptions, progress func(int, float64)) (*Ranker, *History, error) {
	sub := *d
	sub.Train = train
	spec, err := newProbeSpec(&sub, opt.Probes)
	if err != nil {
		return nil, nil, err
	}
	spec.Collection = cmp.Or(opt.Collection, "recycling")
	spec.IgnoreAccuracy = opt.IgnoreAccuracy
	spec.BaseAccuracy = opt.BaseAccuracyPath
	var rows []string
	if opt.FreeTokens {
		rows = slices.Clone(d.Pool)
	}
	cfg := Config{Dim: opt.Dim, FFN: opt.FFN, NumModels: len(rows), ModelFeatures: spec.modelFeatures(), TaskFeatures: spec.taskFeatures(), LinearPath: opt.LinearPath,
		PairFeatures: spec.pairFeatures()}
	net, err := NewNetwork(cfg, opt.NetSeed)
	if err != nil {
		return nil, nil, fmt.Errorf("modelspider: %w", err)
	}
	models, err := poolRefs(&sub, spec, rows)
	if err != nil {
		return nil, nil, err
	}
	topics, err := recyclingTopics(&sub, spec, train)
	if err != nil {
		return nil, nil, err
	}
	hist, err := Train(net, models, topics, opt.Train, progress)
	if err != nil {
		return nil, nil, fmt.Errorf("modelspider: %w", err)
	}
	r := &Ranker{Net: net, Repr: Representation{Kind: ReprProbes, Probes: spec}, Models: rows, NetSeed: opt.NetSeed, Train: opt.Train}
	return r, hist, nil
}

// ScoreRecycling returns the ranker's scores of the pool of d for each of
// the topics (only the probe models' judgments on them are read), as
// scores[topic][i] for pool model i.
func (r *Ranker) ScoreRecycling(d *zoo.Data, topics []string) (map[string][]float64, error) {
	if r.Repr.Kind != ReprProbes {
		return nil, fmt.Errorf("modelspider: ranker was trained on the %q representation, not %q", r.Repr.Kind, ReprProbes)
	}
	spec := r.Repr.Probes
	models, err := poolRefs(d, spec, r.Models)
	if err != nil {
		return nil, err
	}
	sc, err := r.Net.NewScorer(models)
	if err != nil {
		return nil, fmt.Errorf("modelspider: %w", err)
	}
	bases := poolBases(d)
	out := make(map[string][]float64, len(topics))
	for _, t := range topics {
		acc, err := metadata.ProbeVector(d.Qrels, t, spec.Probes)
		if err != nil {
			return nil, fmt.Errorf("modelspider: %w", err)
		}
		s, err := sc.ScoresWith(spec.tokens(acc), spec.pairInputs(bases, acc))
		if err != nil {
			return nil, fmt.Errorf("modelspider: topic %s: %w", t, err)
		}
		out[t] = s
	}
	return out, nil
}

// RankRecycling ranks the pool of d for the topics and returns the run.
func (r *Ranker) RankRecycling(d *zoo.Data, topics []string, tag string) (*eval.Run, error) {
	scores, err := r.ScoreRecycling(d, topics)
	if err != nil {
		return nil, err
	}
	return metadata.PoolRun(tag, d.Pool, scores), nil
}

// RecyclingRunTag is the run tag of the shipped run.
const RecyclingRunTag = "modelspider"

// BuildRecyclingRun regenerates runs/recycling/modelspider.run: it trains
// a ranker with ShippedRecycling (seed 0) on the train topics of d and
// ranks the pool for the test topics. It reads the judgments of the train
// topics and, on the test topics, only those of the probe models (the
// probe budget). The result is byte-identical on every machine and for any
// GOMAXPROCS; it takes well under a minute on one core. The collection
// build (internal/ship) calls it with the data of collection.BaselineData.
func BuildRecyclingRun(d *zoo.Data) (*eval.Run, error) {
	r, _, err := TrainRecycling(d, ShippedRecycling().WithSeed(0), nil)
	if err != nil {
		return nil, err
	}
	return r.RankRecycling(d, d.Test, RecyclingRunTag)
}
