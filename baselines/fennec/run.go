package fennec

import (
	"fmt"

	"github.com/ntcir-pmr/mreval/baselines/metadata"
	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/ntcir-pmr/mreval/eval/zoo"
)

// Options are the parameters of the fennec baseline.
type Options struct {
	// Rank is the dimension of the transfer space; 0 chooses it by
	// CrossValidate on the train topics.
	Rank int
	// Lambda is the ridge weight of factorisation and fold-in; 0 chooses
	// it by CrossValidate.
	Lambda float64
	// Probes are the probe models whose values on a test topic are known
	// (metadata.DefaultProbes when empty), as in probe-knn.
	Probes []string
	// Grid is what CrossValidate tries (DefaultGrid when empty); a given
	// Rank or Lambda replaces its side of the grid.
	Grid Grid
	// Workers bounds the goroutines of cross-validation (0 = GOMAXPROCS);
	// the result does not depend on it.
	Workers int
}

// Result is the outcome of Run.
type Result struct {
	Run *eval.Run
	// Rank and Lambda are the parameters used.
	Rank   int
	Lambda float64
	// CV is the cross-validation that chose them, nil when both were given.
	CV *CVResult
	// Factors is the factorisation of the train topics × pool matrix
	// (rows in pool order, columns in train-topic order).
	Factors *Factors
	Probes  []string
}

// Note describes the parameters for a build log.
func (r *Result) Note() string {
	how := "given"
	if r.CV != nil {
		how = "chosen by leave-one-topic-out cross-validation on the train topics"
	}
	return fmt.Sprintf("fennec: rank %d, λ = %g (%s), %d of %d dimensions active", r.Rank, r.Lambda, how, r.Factors.Active, r.Rank)
}

// Run is the Fennec-style transfer-space baseline. The train topics × pool
// matrix of judged values is factorised (Factorize) with (R, λ) given or
// chosen by CrossValidate; each test topic is placed in the space by FoldIn
// from the values of the probe models on it — the probe budget of
// probe-knn, read with metadata.ProbeVector — and every pool model is
// scored b_m + c_t + u_m·v_t. Every pool model must be judged on every
// train topic, and the probes on every test topic.
func Run(tag string, d *zoo.Data, opt Options) (*Result, error) {
	return runOn(tag, d, d.Pool, opt)
}

// runOn is Run with the factorisation trained on the given models (a subset
// of the pool that contains the probes); the run ranks those models only.
func runOn(tag string, d *zoo.Data, models []string, opt Options) (*Result, error) {
	if err := checkOptions(opt); err != nil {
		return nil, err
	}
	probes := opt.Probes
	if len(probes) == 0 {
		probes = metadata.DefaultProbes
	}
	probeIdx, err := probeIndices(models, probes)
	if err != nil {
		return nil, err
	}
	a, err := valueMatrix(d.Qrels, models, d.Train)
	if err != nil {
		return nil, err
	}
	res := &Result{Rank: opt.Rank, Lambda: opt.Lambda, Probes: probes}
	if opt.Rank == 0 || opt.Lambda == 0 {
		grid := opt.Grid
		if len(grid.Ranks) == 0 || len(grid.Lambdas) == 0 {
			grid = DefaultGrid
		}
		cv, err := CrossValidate(a, len(models), len(d.Train), probeIdx, grid.restrict(opt.Rank, opt.Lambda), opt.Workers)
		if err != nil {
			return nil, fmt.Errorf("fennec: %w", err)
		}
		res.CV, res.Rank, res.Lambda = cv, cv.Rank, cv.Lambda
	}
	if res.Factors, err = Factorize(a, len(models), len(d.Train), res.Rank, res.Lambda); err != nil {
		return nil, fmt.Errorf("fennec: %w", err)
	}
	scores := make(map[string]map[string]float64, len(d.Test))
	for _, t := range d.Test {
		c, v, err := placeTopic(res.Factors, d.Qrels, t, probes, probeIdx)
		if err != nil {
			return nil, err
		}
		s := make(map[string]float64, len(models))
		for i, m := range models {
			s[m] = res.Factors.Score(i, c, v)
		}
		scores[t] = s
	}
	res.Run = trecfmt.NewRun(tag, scores)
	return res, nil
}

func checkOptions(opt Options) error {
	if opt.Rank < 0 {
		return fmt.Errorf("fennec: rank %d is negative", opt.Rank)
	}
	if opt.Lambda < 0 {
		return fmt.Errorf("fennec: λ = %g is negative", opt.Lambda)
	}
	return nil
}

// placeTopic folds test topic t into f from the probe models' values on it.
func placeTopic(f *Factors, q *eval.Qrels, t string, probes []string, probeIdx []int) (float64, []float64, error) {
	acc, err := metadata.ProbeVector(q, t, probes)
	if err != nil {
		return 0, nil, fmt.Errorf("fennec: %w", err)
	}
	c, v, err := FoldIn(f, probeIdx, acc, f.Lambda)
	if err != nil {
		return 0, nil, fmt.Errorf("fennec: topic %q: %w", t, err)
	}
	return c, v, nil
}

// probeIndices returns the positions of the probes among models.
func probeIndices(models, probes []string) ([]int, error) {
	pos := make(map[string]int, len(models))
	for i, m := range models {
		pos[m] = i
	}
	seen := map[string]bool{}
	out := make([]int, len(probes))
	for i, p := range probes {
		j, ok := pos[p]
		if !ok {
			return nil, fmt.Errorf("fennec: probe model %q is not in the pool", p)
		}
		if seen[p] {
			return nil, fmt.Errorf("fennec: probe model %q is listed twice", p)
		}
		seen[p] = true
		out[i] = j
	}
	return out, nil
}

// valueMatrix returns the models × topics matrix of judged values
// (row-major); a missing judgment is an error.
func valueMatrix(q *eval.Qrels, models, topics []string) ([]float64, error) {
	if len(topics) == 0 {
		return nil, fmt.Errorf("fennec: no train topics")
	}
	if len(models) == 0 {
		return nil, fmt.Errorf("fennec: no models")
	}
	a := make([]float64, len(models)*len(topics))
	for j, t := range topics {
		tq := q.Topic(t)
		if tq == nil {
			return nil, fmt.Errorf("fennec: qrels have no topic %q", t)
		}
		for i, m := range models {
			v, ok := tq.Value[m]
			if !ok {
				return nil, fmt.Errorf("fennec: qrels have no judgment of %q on topic %q (the factorisation needs every pool model judged on every train topic)", m, t)
			}
			a[i*len(topics)+j] = v
		}
	}
	return a, nil
}
