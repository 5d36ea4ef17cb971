package modelspider

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"

	"github.com/ntcir-pmr/mreval/baselines/metadata"
	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
)

// EstimatorSpec is the representation of the Model Spider single zoo,
// where a topic is known through the scores that transferability
// estimators give its models. With s_e(m) estimator e's score of model m
// on the topic and z_e(m) = (s_e(m) − mean_m s_e)/std_m s_e its
// standardisation over the topic's models (0 for an estimator that scores
// every model alike, which carries no order), the topic has one generic
// token per estimator,
//
//	[ onehot(e) ; z_e(m_1) … z_e(m_M) ],
//
// and model m has one PTM-specific token [ z_{e_1}(m) … z_{e_E}(m) ]: its
// own column of estimator scores, projected by its own map P_m. Every
// model is re-ranked with it (k = all models).
type EstimatorSpec struct {
	// Estimators names the estimators in token order.
	Estimators []string `json:"estimators"`
}

// ZooEstimators are the nine estimators published with the Model Spider
// single zoo (runs/modelspider-single/NAME.run).
var ZooEstimators = []string{"hscore", "leep", "logme", "nce", "nleep", "otce", "pactran", "gbc", "lfc"}

// ZooData is a model zoo with fine-tuning results and estimator scores.
type ZooData struct {
	Qrels *eval.Qrels
	// Topics are the topics with every estimator's scores, in byte order.
	Topics []string
	// Models are the zoo's models in byte order; every topic judges all.
	Models []string
	// Estimators[e] are the estimator names; Scores[e][t][m] estimator e's
	// score of model m on topic t (indices into Topics and Models).
	Estimators []string
	Scores     [][][]float64
}

// LoadZoo reads a zoo: the qrels and, per estimator, a run file
// runsDir/NAME.run with that estimator's scores. The topics are those
// every run covers; each must be judged in the qrels for exactly the same
// models as every other, and every run must score each of them.
func LoadZoo(qrelsPath, runsDir string, estimators []string) (*ZooData, error) {
	if len(estimators) == 0 {
		return nil, errors.New("zoo: no estimators")
	}
	q, err := trecfmt.ReadQrelsFile(qrelsPath, trecfmt.DefaultLimits)
	if err != nil {
		return nil, err
	}
	runs := make([]*eval.Run, len(estimators))
	for e, name := range estimators {
		if runs[e], err = trecfmt.ReadRunFile(filepath.Join(runsDir, name+".run"), trecfmt.DefaultLimits); err != nil {
			return nil, err
		}
	}
	z := &ZooData{Qrels: q, Estimators: slices.Clone(estimators)}
	for _, t := range runs[0].Topics {
		inAll := true
		for _, r := range runs[1:] {
			if r.Ranking(t) == nil {
				inAll = false
			}
		}
		if inAll {
			z.Topics = append(z.Topics, t)
		}
	}
	if len(z.Topics) < 2 {
		return nil, fmt.Errorf("zoo: the estimator runs share %d topics, need at least 2", len(z.Topics))
	}
	for _, t := range z.Topics {
		tq := q.Topic(t)
		if tq == nil {
			return nil, fmt.Errorf("zoo: %s: topic %q of the estimator runs is not judged", qrelsPath, t)
		}
		models := slices.Sorted(slices.Values(tq.Docs))
		if z.Models == nil {
			z.Models = models
		} else if !slices.Equal(z.Models, models) {
			return nil, fmt.Errorf("zoo: %s: topic %q judges models %v, topic %q judges %v", qrelsPath, t, models, z.Topics[0], z.Models)
		}
	}
	z.Scores = make([][][]float64, len(estimators))
	for e, r := range runs {
		z.Scores[e] = make([][]float64, len(z.Topics))
		for ti, t := range z.Topics {
			byDoc := map[string]float64{}
			for _, en := range r.Ranking(t).Entries {
				byDoc[en.Doc] = en.Score
			}
			s := make([]float64, len(z.Models))
			for mi, m := range z.Models {
				v, ok := byDoc[m]
				if !ok {
					return nil, fmt.Errorf("zoo: %s does not score model %q on topic %q", r.File, m, t)
				}
				s[mi] = v
			}
			z.Scores[e][ti] = s
		}
	}
	return z, nil
}

// standardize returns (x − mean)/std over x, or zeros when x is constant.
func standardize(x []float64) []float64 {
	mean, std := meanStd(x)
	out := make([]float64, len(x))
	if std == 0 {
		return out
	}
	for i, v := range x {
		out[i] = (v - mean) / std
	}
	return out
}

// zooInputs encodes topic ti: the generic tokens and each model's
// specific token.
func (z *ZooData) zooInputs(ti int) (tokens [][]float64, specific [][][]float64) {
	ne, nm := len(z.Estimators), len(z.Models)
	zs := make([][]float64, ne)
	for e := range zs {
		zs[e] = standardize(z.Scores[e][ti])
		u := make([]float64, ne+nm)
		u[e] = 1
		copy(u[ne:], zs[e])
		tokens = append(tokens, u)
	}
	specific = make([][][]float64, nm)
	for m := range specific {
		s := make([]float64, ne)
		for e := range s {
			s[e] = zs[e][m]
		}
		specific[m] = [][]float64{s}
	}
	return tokens, specific
}

func (z *ZooData) topicIndex(t string) (int, error) {
	i := slices.Index(z.Topics, t)
	if i < 0 {
		return 0, fmt.Errorf("zoo: no estimator scores for topic %q", t)
	}
	return i, nil
}

// ZooOptions configure TrainZoo.
type ZooOptions struct {
	Dim, FFN int
	NetSeed  uint64
	Train    TrainConfig
}

// WithSeed returns the options with both seeds set to seed.
func (o ZooOptions) WithSeed(seed uint64) ZooOptions {
	o.NetSeed = seed
	o.Train.Seed = seed
	return o
}

// DefaultZoo are the options of the leave-one-dataset-out experiment,
// chosen by the nested leave-one-out of ZooSelect.
var DefaultZoo = ZooOptions{
	Dim: 16,
	Train: TrainConfig{Steps: 300, LR: 0.01, LRMin: 0.0005, DecayTokens: 1e-3, DecayWeights: 1e-3,
		Weighting: Hyperbolic, SpecificRate: 0.5},
}

// TrainZoo trains a ranker on the listed topics of the zoo.
func TrainZoo(z *ZooData, train []string, opt ZooOptions, progress func(int, float64)) (*Ranker, error) {
	ne, nm := len(z.Estimators), len(z.Models)
	spec := make([]int, nm)
	models := make([]ModelRef, nm)
	list := make([]int, nm)
	for m := range spec {
		spec[m] = ne
		models[m] = ModelRef{Free: m}
		list[m] = m
	}
	cfg := Config{Dim: opt.Dim, FFN: opt.FFN, NumModels: nm, TaskFeatures: ne + nm, SpecificFeatures: spec}
	net, err := NewNetwork(cfg, opt.NetSeed)
	if err != nil {
		return nil, fmt.Errorf("modelspider: %w", err)
	}
	topics := make([]TrainTopic, len(train))
	for k, t := range train {
		ti, err := z.topicIndex(t)
		if err != nil {
			return nil, err
		}
		tq := z.Qrels.Topic(t)
		targets := make([]float64, nm)
		for m, id := range z.Models {
			targets[m] = tq.Value[id]
		}
		tokens, specific := z.zooInputs(ti)
		topics[k] = TrainTopic{ID: t, Tokens: tokens, Models: list, Targets: targets, Specific: specific}
	}
	if _, err := Train(net, models, topics, opt.Train, progress); err != nil {
		return nil, fmt.Errorf("modelspider: %w", err)
	}
	return &Ranker{Net: net, Repr: Representation{Kind: ReprEstimators, Estimators: &EstimatorSpec{Estimators: slices.Clone(z.Estimators)}},
		Models: slices.Clone(z.Models), NetSeed: opt.NetSeed, Train: opt.Train}, nil
}

// ScoreZoo scores the zoo's models on the topics, every model re-ranked
// with its PTM-specific token. It returns scores[topic][m] in the order of
// z.Models.
func (r *Ranker) ScoreZoo(z *ZooData, topics []string) (map[string][]float64, error) {
	if r.Repr.Kind != ReprEstimators {
		return nil, fmt.Errorf("modelspider: ranker was trained on the %q representation, not %q", r.Repr.Kind, ReprEstimators)
	}
	if !slices.Equal(r.Repr.Estimators.Estimators, z.Estimators) || !slices.Equal(r.Models, z.Models) {
		return nil, errors.New("modelspider: the zoo's estimators or models differ from the ranker's")
	}
	models := make([]ModelRef, len(z.Models))
	for m := range models {
		models[m] = ModelRef{Free: m}
	}
	sc, err := r.Net.NewScorer(models)
	if err != nil {
		return nil, fmt.Errorf("modelspider: %w", err)
	}
	out := make(map[string][]float64, len(topics))
	for _, t := range topics {
		ti, err := z.topicIndex(t)
		if err != nil {
			return nil, err
		}
		tokens, specific := z.zooInputs(ti)
		s, err := sc.Rank(tokens, specific, len(z.Models))
		if err != nil {
			return nil, fmt.Errorf("modelspider: topic %s: %w", t, err)
		}
		out[t] = s
	}
	return out, nil
}

// ZooLeaveOneOut trains on all topics but one and scores the held-out
// one, for every topic, and returns the run of held-out scores with its
// measures.
func ZooLeaveOneOut(z *ZooData, opt ZooOptions) (*eval.Run, Metrics, []Metrics, error) {
	scores := map[string][]float64{}
	for _, held := range z.Topics {
		var train []string
		for _, t := range z.Topics {
			if t != held {
				train = append(train, t)
			}
		}
		r, err := TrainZoo(z, train, opt, nil)
		if err != nil {
			return nil, Metrics{}, nil, err
		}
		s, err := r.ScoreZoo(z, []string{held})
		if err != nil {
			return nil, Metrics{}, nil, err
		}
		scores[held] = s[held]
	}
	run := metadata.PoolRun("modelspider", z.Models, scores)
	all, per, err := Evaluate(z.Qrels, run, z.Topics)
	return run, all, per, err
}

// ZooBaselines returns the measures of every single estimator and of the
// Copeland fusion of RankAggEstimators on the zoo's topics.
func ZooBaselines(z *ZooData) (map[string]Metrics, error) {
	out := map[string]Metrics{}
	copeland := map[string][]float64{}
	for ti, t := range z.Topics {
		var rankings [][]float64
		for _, name := range RankAggEstimators {
			e := slices.Index(z.Estimators, name)
			if e < 0 {
				return nil, fmt.Errorf("zoo: Copeland fusion needs estimator %q", name)
			}
			rankings = append(rankings, z.Scores[e][ti])
		}
		c, err := Copeland(rankings)
		if err != nil {
			return nil, err
		}
		copeland[t] = c
	}
	m, _, err := Evaluate(z.Qrels, metadata.PoolRun("copeland", z.Models, copeland), z.Topics)
	if err != nil {
		return nil, err
	}
	out["copeland"] = m
	for e, name := range z.Estimators {
		s := map[string][]float64{}
		for ti, t := range z.Topics {
			s[t] = z.Scores[e][ti]
		}
		if m, _, err = Evaluate(z.Qrels, metadata.PoolRun(name, z.Models, s), z.Topics); err != nil {
			return nil, err
		}
		out[name] = m
	}
	return out, nil
}
