package modelspider

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/ntcir-pmr/mreval/baselines/metadata"
	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/measure"
	"github.com/ntcir-pmr/mreval/eval/zoo"
)

// Metrics are the task's three headline measures averaged over topics.
type Metrics struct {
	NDCG10  float64 `json:"ndcg@10"`
	TauW    float64 `json:"tauw"`
	Regret1 float64 `json:"regret@1"`
}

var headline = []string{"ndcg@10", "tauw", "regret@1"}

// Evaluate scores run on the listed topics of q with the kit's own
// measures (eval/measure: ndcg@10, τw, regret@1), as `mreval eval` does. It
// also returns the per-topic values, per topic in the order of topics.
func Evaluate(q *eval.Qrels, run *eval.Run, topics []string) (Metrics, []Metrics, error) {
	ms, err := measure.ParseAll(headline)
	if err != nil {
		return Metrics{}, nil, err
	}
	sub := &eval.Qrels{File: q.File, ByID: map[string]*eval.TopicQrels{}}
	for _, t := range topics {
		tq := q.Topic(t)
		if tq == nil {
			return Metrics{}, nil, fmt.Errorf("evaluate: qrels have no topic %q", t)
		}
		if run.Ranking(t) == nil {
			return Metrics{}, nil, fmt.Errorf("evaluate: run has no topic %q", t)
		}
		sub.ByID[t] = tq
	}
	sub.Topics = eval.SortedKeys(sub.ByID)
	res := measure.Evaluate(sub, run, measure.Config{Measures: ms, Workers: 1})
	pick := func(vals []float64) (Metrics, error) {
		var m Metrics
		for c, col := range res.Columns {
			switch col.Name {
			case "ndcg@10":
				m.NDCG10 = vals[c]
			case "tauw":
				m.TauW = vals[c]
			case "regret@1":
				m.Regret1 = vals[c]
			}
		}
		return m, nil
	}
	all, _ := pick(res.All)
	per := make([]Metrics, len(topics))
	for i, t := range res.Topics {
		j := slices.Index(topics, t)
		per[j], _ = pick(res.PerTopic[i])
	}
	return all, per, nil
}

// Folds splits topics into k folds by a seeded permutation.
func Folds(topics []string, k int, seed uint64) [][]string {
	perm := rand.New(rand.NewPCG(seed, 0x666f6c6473)).Perm(len(topics))
	out := make([][]string, k)
	for i, p := range perm {
		out[i%k] = append(out[i%k], topics[p])
	}
	for _, f := range out {
		slices.Sort(f)
	}
	return out
}

// CrossValidateRecycling trains on all but one fold of the train topics of
// d and ranks the held-out fold, for every fold; it returns the measures of
// the held-out rankings over all train topics, and per topic (train topics
// in byte order). The test topics play no part.
func CrossValidateRecycling(d *zoo.Data, opt RecyclingOptions, folds [][]string) (Metrics, []Metrics, error) {
	return CrossValidateEnsemble(d, opt, folds, []uint64{opt.NetSeed})
}

// CrossValidateEnsemble is CrossValidateRecycling for a seed ensemble: on
// every fold one network is trained per seed (opt.WithSeed), and a pool
// model's score is the mean over the members of its score standardised
// over the pool on that topic,
//
//	s(m, T) = (1/K) Σ_k (t̂_k(m, T) − mean_m t̂_k) / sd_m t̂_k,
//
// so that members whose scores live on different scales weigh the same.
// With one seed the network's own scores are used.
func CrossValidateEnsemble(d *zoo.Data, opt RecyclingOptions, folds [][]string, seeds []uint64) (Metrics, []Metrics, error) {
	if len(seeds) == 0 {
		return Metrics{}, nil, fmt.Errorf("cross-validation: no seeds")
	}
	scores := map[string][]float64{}
	for f, held := range folds {
		var train []string
		for g, fold := range folds {
			if g != f {
				train = append(train, fold...)
			}
		}
		slices.Sort(train)
		for _, seed := range seeds {
			r, _, err := trainRecyclingOn(d, train, opt.WithSeed(seed), nil)
			if err != nil {
				return Metrics{}, nil, err
			}
			s, err := r.ScoreRecycling(d, held)
			if err != nil {
				return Metrics{}, nil, err
			}
			for t, v := range s {
				if len(seeds) == 1 {
					scores[t] = v
					continue
				}
				if scores[t] == nil {
					scores[t] = make([]float64, len(v))
				}
				addStandardised(scores[t], v, 1/float64(len(seeds)))
			}
		}
	}
	var all []string
	for _, f := range folds {
		all = append(all, f...)
	}
	slices.Sort(all)
	return Evaluate(d.Qrels, metadata.PoolRun("cv", d.Pool, scores), all)
}

// addStandardised adds w·(x − mean x)/sd x to acc (population sd; a
// constant x adds nothing).
func addStandardised(acc, x []float64, w float64) {
	mean, sd := meanStd(x)
	if !(sd > 0) {
		return
	}
	for i, v := range x {
		acc[i] += w * (v - mean) / sd
	}
}
