// Package metadata holds the cheap Subtask A baselines: rankings of the
// pool computed from what is known without running any model on the target
// task — the qrels of the training topics, the models' metadata, the task
// description, and (probe-knn) the fine-tuned accuracy of a handful of probe
// models on the target task.
//
// Every baseline takes the collection as a zoo.Data and ranks all pool
// models for every test topic. Scores are computed with sums in a fixed
// order and explicit float64 conversions of products, so the shipped runs
// are byte-identical on every machine.
package metadata

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/ntcir-pmr/mreval/eval/zoo"
)

// value returns the judged value of model on topic, or an error saying
// which judgment is missing.
func value(d *zoo.Data, topic, model string) (float64, error) {
	t := d.Qrels.Topic(topic)
	if t == nil {
		return 0, fmt.Errorf("qrels have no topic %q", topic)
	}
	v, ok := t.Value[model]
	if !ok {
		return 0, fmt.Errorf("qrels have no judgment of %q on topic %q", model, topic)
	}
	return v, nil
}

// Prior returns, for each pool model in pool order, its mean accuracy over
// the train topics:
//
//	prior(m) = (1/|T|) Σ_{t∈T} acc(m, t)
//
// summed in the order of d.Train. Every pool model must be judged on every
// train topic.
func Prior(d *zoo.Data) ([]float64, error) {
	if len(d.Train) == 0 {
		return nil, fmt.Errorf("prior: no train topics")
	}
	out := make([]float64, len(d.Pool))
	for i, m := range d.Pool {
		sum := 0.0
		for _, t := range d.Train {
			v, err := value(d, t, m)
			if err != nil {
				return nil, fmt.Errorf("prior: %w", err)
			}
			sum += v
		}
		out[i] = sum / float64(len(d.Train))
	}
	return out, nil
}

// PriorRun ranks the pool by Prior for every test topic: the "popular
// model" baseline, which ignores the target task altogether.
func PriorRun(tag string, d *zoo.Data) (*eval.Run, error) {
	prior, err := Prior(d)
	if err != nil {
		return nil, err
	}
	return sameForEveryTopic(tag, d.Pool, d.Test, prior), nil
}

// sameForEveryTopic builds a run giving each pool model the same score on
// every topic.
func sameForEveryTopic(tag string, pool, topics []string, score []float64) *eval.Run {
	scores := make(map[string][]float64, len(topics))
	for _, t := range topics {
		scores[t] = score
	}
	return PoolRun(tag, pool, scores)
}

// PoolRun builds a run from scores indexed like the pool: scores[t][i] is
// the score of pool[i] on topic t.
func PoolRun(tag string, pool []string, scores map[string][]float64) *eval.Run {
	m := make(map[string]map[string]float64, len(scores))
	for t, s := range scores {
		mt := make(map[string]float64, len(pool))
		for i, id := range pool {
			mt[id] = s[i]
		}
		m[t] = mt
	}
	return trecfmt.NewRun(tag, m)
}

// lexicographicScores turns a lexicographic order into run scores: models
// are sorted by the keys in turn (each descending), remaining ties by model
// ID descending in byte order (trec_eval's tie rule), and the model at
// position p (0-based) of n gets the score n − p. The scores are thus
// distinct integers whose order is exactly the lexicographic one; they
// carry no other meaning.
func lexicographicScores(pool []string, keys ...[]float64) []float64 {
	idx := make([]int, len(pool))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		for _, k := range keys {
			if c := cmp.Compare(k[b], k[a]); c != 0 {
				return c
			}
		}
		return cmp.Compare(pool[b], pool[a])
	})
	out := make([]float64, len(pool))
	for p, i := range idx {
		out[i] = float64(len(pool) - p)
	}
	return out
}
