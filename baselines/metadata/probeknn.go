package metadata

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/rankcorr"
	"github.com/ntcir-pmr/mreval/eval/zoo"
)

// DefaultProbes are the probe models of the probe-budget setting: the four
// most common base checkpoints of the pool, whose fine-tuned accuracy on
// the target task is assumed known (fine-tuning four models is the budget).
var DefaultProbes = []string{"roberta-base", "bert-base-uncased", "bert-base-cased", "microsoft/deberta-v3-base"}

// ProbeVector returns the representation of a topic in the probe-budget
// setting: the judged values (fine-tuned accuracies) of the probe models on
// that topic, in the order of probes. It is an error for a probe to be
// unjudged on the topic.
func ProbeVector(q *eval.Qrels, topic string, probes []string) ([]float64, error) {
	t := q.Topic(topic)
	if t == nil {
		return nil, fmt.Errorf("probe vector: qrels have no topic %q", topic)
	}
	v := make([]float64, len(probes))
	for i, p := range probes {
		x, ok := t.Value[p]
		if !ok {
			return nil, fmt.Errorf("probe vector: probe model %q is not judged on topic %q", p, topic)
		}
		v[i] = x
	}
	return v, nil
}

// Neighbor is a train topic near a target topic in probe space.
type Neighbor struct {
	Topic    string
	Distance float64 // Euclidean distance of the probe vectors
	Weight   float64 // weight in the prediction (see Neighbors)
}

// Neighbors returns the k candidate topics nearest to target by the
// Euclidean distance of their probe vectors (ties by topic ID, byte order),
// with inverse-distance weights w = 1/d. When some of the k neighbours are
// at distance 0, they alone get weight 1 and the others 0, the convention
// of scikit-learn's KNeighborsRegressor(weights="distance").
func Neighbors(q *eval.Qrels, target string, candidates, probes []string, k int) ([]Neighbor, error) {
	if k < 1 || k > len(candidates) {
		return nil, fmt.Errorf("probe-knn: k = %d is outside 1..%d (the number of candidate topics)", k, len(candidates))
	}
	tv, err := ProbeVector(q, target, probes)
	if err != nil {
		return nil, err
	}
	nb := make([]Neighbor, 0, len(candidates))
	for _, c := range candidates {
		cv, err := ProbeVector(q, c, probes)
		if err != nil {
			return nil, err
		}
		nb = append(nb, Neighbor{Topic: c, Distance: euclidean(tv, cv)})
	}
	slices.SortFunc(nb, func(a, b Neighbor) int {
		if c := cmp.Compare(a.Distance, b.Distance); c != 0 {
			return c
		}
		return cmp.Compare(a.Topic, b.Topic)
	})
	nb = nb[:k]
	if nb[0].Distance == 0 {
		for i := range nb {
			if nb[i].Distance == 0 {
				nb[i].Weight = 1
			}
		}
	} else {
		for i := range nb {
			nb[i].Weight = 1 / nb[i].Distance
		}
	}
	return nb, nil
}

// euclidean is the Euclidean distance, summed in index order.
func euclidean(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		d := a[i] - b[i]
		s += float64(d * d)
	}
	return math.Sqrt(s)
}

// KNNPredict returns, per pool model, the distance-weighted mean of its
// values on the neighbour topics:
//
//	pred(m) = Σ_i w_i·acc(m, t_i) / Σ_i w_i
//
// summed in neighbour order.
func KNNPredict(q *eval.Qrels, pool []string, nb []Neighbor) ([]float64, error) {
	rows := make([][]float64, len(nb))
	for j := range rows {
		rows[j] = make([]float64, len(pool))
	}
	// Models outer, neighbours inner: the first missing judgment reported
	// is the first model's.
	for i, m := range pool {
		for j, n := range nb {
			v, ok := q.Topic(n.Topic).Value[m]
			if !ok {
				return nil, fmt.Errorf("probe-knn: qrels have no judgment of %q on topic %q", m, n.Topic)
			}
			rows[j][i] = v
		}
	}
	return knnCombine(nb, rows)
}

// knnCombine is KNNPredict's arithmetic on the neighbours' values, given
// in pool order (rows[j] for nb[j]): cross-validation has them at hand and
// need not look every model up in the qrels again.
func knnCombine(nb []Neighbor, rows [][]float64) ([]float64, error) {
	wsum := 0.0
	for _, n := range nb {
		wsum += n.Weight
	}
	if !(wsum > 0) {
		return nil, fmt.Errorf("probe-knn: neighbour weights sum to %v", wsum)
	}
	out := make([]float64, len(rows[0]))
	for i := range out {
		s := 0.0
		for j, n := range nb {
			s += float64(n.Weight * rows[j][i])
		}
		out[i] = s / wsum
	}
	return out, nil
}

// KNNOptions are the parameters of probe-knn.
type KNNOptions struct {
	// Probes are the probe models (DefaultProbes when empty); each must be
	// in the pool and judged on every train and test topic.
	Probes []string
	// K is the number of neighbour topics; 0 chooses it with ChooseK.
	K int
}

// ProbeKNNRun is the probe-budget baseline: for each test topic, the
// values of the probe models on it are known; it finds the k train topics
// nearest in probe space (Neighbors) and ranks the pool by KNNPredict. It
// returns the run and the k it used.
func ProbeKNNRun(tag string, d *zoo.Data, opt KNNOptions) (*eval.Run, int, error) {
	probes, err := checkProbes(d, opt.Probes)
	if err != nil {
		return nil, 0, err
	}
	k := opt.K
	if k == 0 {
		cv, err := ChooseK(d, probes)
		if err != nil {
			return nil, 0, err
		}
		k = cv.K
	}
	scores := make(map[string][]float64, len(d.Test))
	for _, t := range d.Test {
		nb, err := Neighbors(d.Qrels, t, d.Train, probes, k)
		if err != nil {
			return nil, 0, err
		}
		if scores[t], err = KNNPredict(d.Qrels, d.Pool, nb); err != nil {
			return nil, 0, err
		}
	}
	return PoolRun(tag, d.Pool, scores), k, nil
}

func checkProbes(d *zoo.Data, probes []string) ([]string, error) {
	if len(probes) == 0 {
		probes = DefaultProbes
	}
	inPool := make(map[string]bool, len(d.Pool))
	for _, m := range d.Pool {
		inPool[m] = true
	}
	seen := map[string]bool{}
	for _, p := range probes {
		if !inPool[p] {
			return nil, fmt.Errorf("probe-knn: probe model %q is not in the pool", p)
		}
		if seen[p] {
			return nil, fmt.Errorf("probe-knn: probe model %q is listed twice", p)
		}
		seen[p] = true
	}
	return probes, nil
}

// CVResult is the outcome of ChooseK.
type CVResult struct {
	// K is the chosen number of neighbours.
	K int
	// MeanSpearman[k-1] is the cross-validated mean Spearman correlation
	// with k neighbours.
	MeanSpearman []float64
}

// ChooseK picks the number of neighbours by leave-one-topic-out
// cross-validation inside the train topics only: each train topic in turn
// is the target, its neighbours are sought among the other train topics,
// and the prediction is scored by its Spearman rank correlation with the
// topic's true values over the pool. K maximises the mean over the train
// topics; ties go to the smaller k. The test topics play no part.
//
// Spearman's ρ (rather than the task's weighted τ or regret@1) is the
// criterion because it varies smoothly with k on 24 topics, where regret@1,
// which looks at one model per topic, jumps by several points between
// neighbouring k.
func ChooseK(d *zoo.Data, probes []string) (CVResult, error) {
	probes, err := checkProbes(d, probes)
	if err != nil {
		return CVResult{}, err
	}
	if len(d.Train) < 2 {
		return CVResult{}, fmt.Errorf("probe-knn: cross-validation needs at least 2 train topics, have %d", len(d.Train))
	}
	truth := make(map[string][]float64, len(d.Train))
	for _, t := range d.Train {
		v := make([]float64, len(d.Pool))
		for i, m := range d.Pool {
			if v[i], err = value(d, t, m); err != nil {
				return CVResult{}, fmt.Errorf("probe-knn: %w", err)
			}
		}
		truth[t] = v
	}
	maxK := len(d.Train) - 1
	res := CVResult{MeanSpearman: make([]float64, maxK)}
	others := make([]string, 0, maxK)
	for k := 1; k <= maxK; k++ {
		sum := 0.0
		for _, held := range d.Train {
			others = others[:0]
			for _, t := range d.Train {
				if t != held {
					others = append(others, t)
				}
			}
			nb, err := Neighbors(d.Qrels, held, others, probes, k)
			if err != nil {
				return CVResult{}, err
			}
			rows := make([][]float64, len(nb))
			for j, n := range nb {
				rows[j] = truth[n.Topic] // a neighbour is another train topic
			}
			pred, err := knnCombine(nb, rows)
			if err != nil {
				return CVResult{}, err
			}
			rho, err := Spearman(pred, truth[held])
			if err != nil {
				return CVResult{}, fmt.Errorf("probe-knn: cross-validation on topic %q with k = %d: %w", held, k, err)
			}
			sum += rho
		}
		res.MeanSpearman[k-1] = sum / float64(len(d.Train))
		if res.K == 0 || res.MeanSpearman[k-1] > res.MeanSpearman[res.K-1] {
			res.K = k
		}
	}
	return res, nil
}

// Spearman returns Spearman's rank correlation ρ of x and y
// (rankcorr.Spearman, as scipy.stats.spearmanr); it is an error where ρ is
// undefined: fewer than two values or a constant vector.
func Spearman(x, y []float64) (float64, error) {
	if len(x) != len(y) {
		return 0, fmt.Errorf("spearman: vectors of lengths %d and %d", len(x), len(y))
	}
	rho, ok := rankcorr.Spearman(x, y)
	if !ok {
		return 0, fmt.Errorf("spearman: undefined for %d values (fewer than two, or a constant vector)", len(x))
	}
	return rho, nil
}
