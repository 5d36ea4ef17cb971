package modelspider

import (
	"cmp"
	"fmt"
	"slices"
)

// Scorer scores a fixed list of models on any number of topics. It
// computes the model-side part of the network (θ_m and its query, key and
// value) once, so that scoring a topic costs O(models · tokens · d).
type Scorer struct {
	n      *Network
	models []ModelRef
	ms     *modelSide
}

// NewScorer prepares the network to score models.
func (n *Network) NewScorer(models []ModelRef) (*Scorer, error) {
	if err := n.checkModels(models); err != nil {
		return nil, err
	}
	s := &Scorer{n: n, models: models, ms: newModelSide(len(models), n.cfg.Dim)}
	parallelRanges(len(models), func(lo, hi int) { n.modelForward(&n.w, models, s.ms, lo, hi) })
	return s, nil
}

// Scores returns the generic score t̂(m, T) of every model for a topic
// with the given task-token inputs (stage one of Model Spider).
func (s *Scorer) Scores(tokens [][]float64) ([]float64, error) {
	return s.ScoresWith(tokens, nil)
}

// ScoresWith is Scores for a network with pair features: pair[i] are
// model i's pair inputs on the topic.
func (s *Scorer) ScoresWith(tokens [][]float64, pair [][]float64) ([]float64, error) {
	n := s.n
	if err := n.checkTokens(tokens, "score"); err != nil {
		return nil, err
	}
	if err := n.checkPair(pair, len(s.models), "score"); err != nil {
		return nil, err
	}
	ts := n.taskForward(&n.w, tokens)
	out := make([]float64, len(s.models))
	parallelRanges(len(s.models), func(lo, hi int) {
		p := newPairState(n.cfg)
		for i := lo; i < hi; i++ {
			var pi []float64
			if pair != nil {
				pi = pair[i]
			}
			out[i] = n.pairForward(&n.w, s.ms, i, s.models[i].Free, ts, nil, pi, p)
		}
	})
	return out, nil
}

// Rank scores every model for a topic and re-ranks the top k (stage two of
// Model Spider): each of the k best models by generic score that has
// PTM-specific token inputs (specific[i] != nil, its own features of the
// target data) is scored again with them appended to the sequence, and the
// k are re-ordered by the new scores (a model without specific inputs keeps
// its generic score, which training puts on the same scale). The re-ranked
// models stay above all others: when needed their scores are shifted by one
// constant so that the lowest of them is one above the best of the rest.
// Ties in the generic score are broken by model index. specific may be nil
// (no re-ranking); k ≤ 0 also disables it.
func (s *Scorer) Rank(tokens [][]float64, specific [][][]float64, k int) ([]float64, error) {
	scores, err := s.Scores(tokens)
	if err != nil || k <= 0 || specific == nil {
		return scores, err
	}
	n := s.n
	if len(specific) != len(s.models) {
		return nil, fmt.Errorf("rank: specific inputs for %d models, want %d", len(specific), len(s.models))
	}
	order := make([]int, len(scores))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(scores[b], scores[a]) })
	k = min(k, len(order))
	top := order[:k]
	ts := n.taskForward(&n.w, tokens)
	p := newPairState(n.cfg)
	rescored := make([]float64, k)
	for j, i := range top {
		rescored[j] = scores[i]
		if specific[i] == nil {
			continue
		}
		if err := n.checkSpecific(s.models[i].Free, specific[i], "rank"); err != nil {
			return nil, err
		}
		rescored[j] = n.pairForward(&n.w, s.ms, i, s.models[i].Free, ts, specific[i], nil, p)
	}
	if k == len(order) {
		for j, i := range top {
			scores[i] = rescored[j]
		}
		return scores, nil
	}
	bestRest := scores[order[k]]
	lowTop := slices.Min(rescored)
	shift := 0.0
	if lowTop <= bestRest {
		shift = bestRest - lowTop + 1
	}
	for j, i := range top {
		scores[i] = rescored[j] + shift
	}
	return scores, nil
}
