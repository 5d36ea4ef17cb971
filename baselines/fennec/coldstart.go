package fennec

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"unicode"

	"github.com/ntcir-pmr/mreval/baselines/metadata"
	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/ntcir-pmr/mreval/eval/zoo"
)

// Features is "archi2vec-lite", the metadata encoding of the cold-start
// map: Fennec's archi2vec encodes a model's architecture graph; the
// recycling pool has six architectures, so the lite version encodes what
// the model metadata table says (zoo.Model). A model's raw features are
//
//   - log10(params) and layers (numbers);
//   - indicators base=<base_model>, type=<model_type>, params=<params>
//     (within an architecture the parameter count differs by the size of
//     the classification head, i.e. the number of source labels), and
//     tokenizer=own or tokenizer=<name> when the model ships another
//     model's tokenizer;
//   - indicators of the tokens of its name: org:<text before "/"> and
//     name:<t> for the lower-cased letter-digit runs t of the whole ID.
//
// Only indicators present in at least MinCount training models are kept
// (the vocabulary is learned from the training models alone), and every
// column is standardised with the training models' mean and population
// standard deviation; a column constant on them (layers: every pool model
// has 12) is dropped.
type Features struct {
	// Names are the columns, numbers first, then indicators in byte order.
	Names []string
	mean  []float64
	scale []float64
	index map[string]int
}

// DefaultMinCount is the indicator threshold of the shipped experiment.
const DefaultMinCount = 5

// rawFeatures returns the numeric features and the indicator names of m.
func rawFeatures(m zoo.Model) (logParams, layers float64, ind []string, err error) {
	// The number syntax of runs and qrels (ParseFloat took 1_0 and 0x10).
	p, err := trecfmt.ParseNumber([]byte(m.Params))
	if err != nil || !(p > 0) {
		return 0, 0, nil, fmt.Errorf("model %q: params %q is not a positive number", m.ID, m.Params)
	}
	layers, err = trecfmt.ParseNumber([]byte(m.Layers))
	if err != nil || !(layers > 0) {
		return 0, 0, nil, fmt.Errorf("model %q: layers %q is not a positive number", m.ID, m.Layers)
	}
	if m.BaseModel == "" || m.ModelType == "" {
		return 0, 0, nil, fmt.Errorf("model %q: base_model or model_type is empty", m.ID)
	}
	ind = []string{"base=" + m.BaseModel, "type=" + m.ModelType, "params=" + m.Params}
	if m.Tokenizer == m.ID || m.Tokenizer == "" {
		ind = append(ind, "tokenizer=own")
	} else {
		ind = append(ind, "tokenizer="+m.Tokenizer)
	}
	if org, _, ok := strings.Cut(m.ID, "/"); ok {
		ind = append(ind, "org:"+strings.ToLower(org))
	}
	for _, t := range strings.FieldsFunc(strings.ToLower(m.ID), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		ind = append(ind, "name:"+t)
	}
	slices.Sort(ind)
	return math.Log10(p), layers, slices.Compact(ind), nil
}

// NewFeatures learns the encoding from the training models.
func NewFeatures(train []zoo.Model, minCount int) (*Features, error) {
	if len(train) < 2 {
		return nil, fmt.Errorf("features: need at least 2 training models, have %d", len(train))
	}
	if minCount < 1 {
		return nil, fmt.Errorf("features: minimum count %d is below 1", minCount)
	}
	count := map[string]int{}
	nums := make([][2]float64, len(train))
	inds := make([][]string, len(train))
	for i, m := range train {
		lp, l, ind, err := rawFeatures(m)
		if err != nil {
			return nil, fmt.Errorf("features: %w", err)
		}
		nums[i] = [2]float64{lp, l}
		inds[i] = ind
		for _, s := range ind {
			count[s]++
		}
	}
	var vocab []string
	for s, c := range count {
		if c >= minCount {
			vocab = append(vocab, s)
		}
	}
	slices.Sort(vocab)
	cand := append([]string{"log10(params)", "layers"}, vocab...)
	raw := make([][]float64, len(train)) // raw[i][column of cand]
	pos := make(map[string]int, len(cand))
	for j, s := range cand {
		pos[s] = j
	}
	for i := range train {
		r := make([]float64, len(cand))
		r[0], r[1] = nums[i][0], nums[i][1]
		for _, s := range inds[i] {
			if j, ok := pos[s]; ok {
				r[j] = 1
			}
		}
		raw[i] = r
	}
	f := &Features{index: map[string]int{}}
	n := float64(len(train))
	for j, s := range cand {
		mean := 0.0
		for i := range raw {
			mean += raw[i][j]
		}
		mean /= n
		v := 0.0
		for i := range raw {
			d := raw[i][j] - mean
			v += float64(d * d)
		}
		sd := math.Sqrt(v / n)
		if !(sd > 1e-12*max(1, math.Abs(mean))) {
			continue
		}
		f.index[s] = len(f.Names)
		f.Names = append(f.Names, s)
		f.mean = append(f.mean, mean)
		f.scale = append(f.scale, sd)
	}
	if len(f.Names) == 0 {
		return nil, fmt.Errorf("features: every feature is constant on the %d training models", len(train))
	}
	return f, nil
}

// Encode returns the standardised feature vector of m; indicators outside
// the vocabulary are ignored.
func (f *Features) Encode(m zoo.Model) ([]float64, error) {
	lp, l, ind, err := rawFeatures(m)
	if err != nil {
		return nil, fmt.Errorf("features: %w", err)
	}
	raw := make([]float64, len(f.Names))
	if j, ok := f.index["log10(params)"]; ok {
		raw[j] = lp
	}
	if j, ok := f.index["layers"]; ok {
		raw[j] = l
	}
	for _, s := range ind {
		if j, ok := f.index[s]; ok {
			raw[j] = 1
		}
	}
	for j := range raw {
		raw[j] = (raw[j] - f.mean[j]) / f.scale[j]
	}
	return raw, nil
}

// RidgeMap is a linear map from features x to targets y,
// y ≈ Intercept + Wᵀ·(x − XMean), fitted by ridge regression (Hoerl &
// Kennard, Technometrics 12(1), 1970) with an unpenalised intercept:
//
//	W = (Xcᵀ·Xc + μ·I)⁻¹ · Xcᵀ·Yc,
//
// Xc and Yc the features and targets centred on their means.
type RidgeMap struct {
	Mu        float64
	XMean     []float64
	Intercept []float64
	W         []float64 // p×k row-major
	p, k      int
}

// FitRidge fits a RidgeMap to the rows of x (n×p, row-major) and y (n×k)
// listed in rows (nil = all).
func FitRidge(x []float64, y []float64, n, p, k int, rows []int, mu float64) (*RidgeMap, error) {
	g, rhs, xm, ym, err := ridgeNormal(x, y, n, p, k, rows)
	if err != nil {
		return nil, err
	}
	return solveRidge(g, rhs, xm, ym, p, k, mu)
}

// ridgeNormal returns the centred cross products Xcᵀ·Xc (p×p) and
// Xcᵀ·Yc (p×k) of the selected rows and the means.
func ridgeNormal(x, y []float64, n, p, k int, rows []int) (g, rhs, xm, ym []float64, err error) {
	if len(x) != n*p || len(y) != n*k {
		return nil, nil, nil, nil, fmt.Errorf("ridge: %d features and %d targets for %d rows of %d and %d", len(x), len(y), n, p, k)
	}
	if rows == nil {
		rows = make([]int, n)
		for i := range rows {
			rows[i] = i
		}
	}
	if len(rows) < 2 {
		return nil, nil, nil, nil, fmt.Errorf("ridge: need at least 2 rows, have %d", len(rows))
	}
	xm, ym = make([]float64, p), make([]float64, k)
	for _, i := range rows {
		for j := 0; j < p; j++ {
			xm[j] += x[i*p+j]
		}
		for j := 0; j < k; j++ {
			ym[j] += y[i*k+j]
		}
	}
	for j := range xm {
		xm[j] /= float64(len(rows))
	}
	for j := range ym {
		ym[j] /= float64(len(rows))
	}
	g, rhs = make([]float64, p*p), make([]float64, p*k)
	xc, yc := make([]float64, p), make([]float64, k)
	for _, i := range rows {
		for j := 0; j < p; j++ {
			xc[j] = x[i*p+j] - xm[j]
		}
		for j := 0; j < k; j++ {
			yc[j] = y[i*k+j] - ym[j]
		}
		for a := 0; a < p; a++ {
			xa := xc[a]
			if xa == 0 {
				continue
			}
			ga := g[a*p : a*p+a+1]
			for b, xb := range xc[:a+1] {
				ga[b] += float64(xa * xb)
			}
			ra := rhs[a*k : (a+1)*k]
			for b, yb := range yc {
				ra[b] += float64(xa * yb)
			}
		}
	}
	return g, rhs, xm, ym, nil
}

func solveRidge(g, rhs, xm, ym []float64, p, k int, mu float64) (*RidgeMap, error) {
	if !(mu > 0) || math.IsInf(mu, 0) {
		return nil, fmt.Errorf("ridge: μ = %g must be positive and finite", mu)
	}
	a := slices.Clone(g)
	for j := 0; j < p; j++ {
		a[j*p+j] += mu
	}
	l, err := cholesky(a, p)
	if err != nil {
		return nil, fmt.Errorf("ridge: %w", err)
	}
	w := make([]float64, p*k)
	col := make([]float64, p)
	for c := 0; c < k; c++ {
		for j := 0; j < p; j++ {
			col[j] = rhs[j*k+c]
		}
		cholSolve(l, p, col)
		for j := 0; j < p; j++ {
			w[j*k+c] = col[j]
		}
	}
	return &RidgeMap{Mu: mu, XMean: xm, Intercept: ym, W: w, p: p, k: k}, nil
}

// Apply returns the targets predicted for features x.
func (r *RidgeMap) Apply(x []float64) []float64 {
	out := slices.Clone(r.Intercept)
	for j := 0; j < r.p; j++ {
		d := x[j] - r.XMean[j]
		if d == 0 {
			continue
		}
		for c := 0; c < r.k; c++ {
			out[c] += float64(d * r.W[j*r.k+c])
		}
	}
	return out
}

// ColdStartOptions are the parameters of ColdStart.
type ColdStartOptions struct {
	// Fraction of the pool held out (DefaultHoldOut when 0).
	Fraction float64
	// Seed seeds the choice of held-out models and the folds of the ridge
	// cross-validation.
	Seed uint64
	// MinCount is the indicator threshold of Features (DefaultMinCount
	// when 0).
	MinCount int
	// Mus are the ridge weights tried (DefaultMus when empty).
	Mus []float64
	// Folds is the number of cross-validation folds of μ (5 when 0).
	Folds int
}

// DefaultHoldOut is the fraction of the pool held out by ColdStart.
const DefaultHoldOut = 0.1

// DefaultMus are the ridge weights ColdStart tries for the map.
var DefaultMus = []float64{0.1, 1, 10, 100, 1000, 10000}

// PCG streams of ColdStart ("hold", "fold").
const (
	holdOutStream = 0x686f6c64
	foldStream    = 0x666f6c64
)

// HoldOut returns round(fraction·|pool|) models chosen uniformly at random
// (rand.NewPCG(seed, holdOutStream)) among the pool models that are not
// probes — a probe's values must be known to place a topic — in pool
// order.
func HoldOut(pool, probes []string, fraction float64, seed uint64) ([]string, error) {
	if !(fraction > 0 && fraction < 1) {
		return nil, fmt.Errorf("cold start: hold-out fraction %g is outside (0, 1)", fraction)
	}
	isProbe := map[string]bool{}
	for _, p := range probes {
		isProbe[p] = true
	}
	var cand []int
	for i, m := range pool {
		if !isProbe[m] {
			cand = append(cand, i)
		}
	}
	n := int(math.Round(fraction * float64(len(pool))))
	if n < 1 || n > len(cand) {
		return nil, fmt.Errorf("cold start: holding out %d of %d models leaves none to hold out or too few to train", n, len(pool))
	}
	rng := rand.New(rand.NewPCG(seed, holdOutStream))
	perm := rng.Perm(len(cand))
	chosen := make([]int, n)
	for i := range chosen {
		chosen[i] = cand[perm[i]]
	}
	slices.Sort(chosen)
	out := make([]string, n)
	for i, j := range chosen {
		out[i] = pool[j]
	}
	return out, nil
}

// ColdStartResult is the outcome of ColdStart.
type ColdStartResult struct {
	// Held are the held-out models, in pool order.
	Held []string
	// Run ranks the whole pool on the test topics: the trained models by
	// the factorisation of the others, the held-out models by their
	// metadata.
	Run *eval.Run
	// Trained is the factorisation of the trained models (Result.Run
	// ranks those models alone).
	Trained *Result
	// Features is the metadata encoding and Map the ridge map from it to
	// [b_m, u_m].
	Features *Features
	Map      *RidgeMap
	// MapCV[i] is the cross-validated error of μ = Mus[i] (see ColdStart).
	Mus, MapCV []float64
}

// ColdStart simulates models without training results. A seeded fraction
// of the pool (HoldOut) is removed from training entirely: Run (with opt,
// the cross-validation included) factorises the train topics × the other
// models. A ridge map (FitRidge) from a model's Features to its [b_m, u_m]
// is fitted on the trained models, μ chosen by k-fold cross-validation
// over them (folds from rand.NewPCG(seed, foldStream)) minimising the
// squared error of the train-topic values the map implies,
//
//	Σ_m Σ_t (ŷ_m·z_t − y_m·z_t)²,  z_t = [1, v_t], y_m = [b_m, u_m],
//
// ties to the larger μ. A held-out model is then scored b̂_m + c_t + û_m·v_t
// on each test topic, the topic placed by FoldIn as in Run.
func ColdStart(tag string, d *zoo.Data, models []zoo.Model, opt Options, cs ColdStartOptions) (*ColdStartResult, error) {
	if cs.Fraction == 0 {
		cs.Fraction = DefaultHoldOut
	}
	if cs.MinCount == 0 {
		cs.MinCount = DefaultMinCount
	}
	if len(cs.Mus) == 0 {
		cs.Mus = DefaultMus
	}
	if cs.Folds == 0 {
		cs.Folds = 5
	}
	if cs.Folds < 2 {
		return nil, fmt.Errorf("cold start: %d folds; need at least 2", cs.Folds)
	}
	info := make(map[string]zoo.Model, len(models))
	for _, m := range models {
		info[m.ID] = m
	}
	for _, m := range d.Pool {
		if _, ok := info[m]; !ok {
			return nil, fmt.Errorf("cold start: pool model %q has no metadata", m)
		}
	}
	probes := opt.Probes
	if len(probes) == 0 {
		probes = metadata.DefaultProbes
	}
	held, err := HoldOut(d.Pool, probes, cs.Fraction, cs.Seed)
	if err != nil {
		return nil, err
	}
	isHeld := make(map[string]bool, len(held))
	for _, m := range held {
		isHeld[m] = true
	}
	var kept []string
	for _, m := range d.Pool {
		if !isHeld[m] {
			kept = append(kept, m)
		}
	}
	trained, err := runOn(tag, d, kept, opt)
	if err != nil {
		return nil, err
	}
	f := trained.Factors
	k := f.Rank + 1

	keptInfo := make([]zoo.Model, len(kept))
	for i, m := range kept {
		keptInfo[i] = info[m]
	}
	feat, err := NewFeatures(keptInfo, cs.MinCount)
	if err != nil {
		return nil, fmt.Errorf("cold start: %w", err)
	}
	p := len(feat.Names)
	x := make([]float64, 0, len(kept)*p)
	y := make([]float64, 0, len(kept)*k)
	for i, m := range keptInfo {
		row, err := feat.Encode(m)
		if err != nil {
			return nil, fmt.Errorf("cold start: %w", err)
		}
		x = append(x, row...)
		y = append(y, f.ModelBias[i])
		y = append(y, f.ModelVec(i)...)
	}
	// z_t·z_tᵀ summed over the train topics: the metric of the map's error.
	metric := make([]float64, k*k)
	z := make([]float64, k)
	for t := 0; t < f.Topics; t++ {
		z[0] = 1
		copy(z[1:], f.TopicVec(t))
		for a := 0; a < k; a++ {
			for b := 0; b < k; b++ {
				metric[a*k+b] += float64(z[a] * z[b])
			}
		}
	}
	res := &ColdStartResult{Held: held, Trained: trained, Features: feat, Mus: cs.Mus, MapCV: make([]float64, len(cs.Mus))}
	fold := make([]int, len(kept))
	perm := rand.New(rand.NewPCG(cs.Seed, foldStream)).Perm(len(kept))
	for i, j := range perm {
		fold[j] = i % cs.Folds
	}
	for v := 0; v < cs.Folds; v++ {
		var trainRows, testRows []int
		for i := range kept {
			if fold[i] == v {
				testRows = append(testRows, i)
			} else {
				trainRows = append(trainRows, i)
			}
		}
		g, rhs, xm, ym, err := ridgeNormal(x, y, len(kept), p, k, trainRows)
		if err != nil {
			return nil, fmt.Errorf("cold start: %w", err)
		}
		for mi, mu := range cs.Mus {
			rm, err := solveRidge(g, rhs, xm, ym, p, k, mu)
			if err != nil {
				return nil, fmt.Errorf("cold start: %w", err)
			}
			for _, i := range testRows {
				e := rm.Apply(x[i*p : (i+1)*p])
				for c := range e {
					e[c] -= y[i*k+c]
				}
				for a := 0; a < k; a++ {
					for b := 0; b < k; b++ {
						res.MapCV[mi] += float64(float64(e[a]*metric[a*k+b]) * e[b])
					}
				}
			}
		}
	}
	best := 0
	for mi := range cs.Mus {
		if res.MapCV[mi] < res.MapCV[best] || res.MapCV[mi] == res.MapCV[best] && cs.Mus[mi] > cs.Mus[best] {
			best = mi
		}
	}
	for mi := range res.MapCV {
		res.MapCV[mi] /= float64(len(kept) * f.Topics)
	}
	if res.Map, err = FitRidge(x, y, len(kept), p, k, nil, cs.Mus[best]); err != nil {
		return nil, fmt.Errorf("cold start: %w", err)
	}
	res.Features = feat

	// Score: trained models as in trained.Run, held-out ones by the map.
	probeIdx, err := probeIndices(kept, probes)
	if err != nil {
		return nil, err
	}
	vecs := make(map[string][]float64, len(held))
	for _, m := range held {
		row, err := feat.Encode(info[m])
		if err != nil {
			return nil, fmt.Errorf("cold start: %w", err)
		}
		vecs[m] = res.Map.Apply(row)
	}
	scores := make(map[string]map[string]float64, len(d.Test))
	for _, t := range d.Test {
		c, v, err := placeTopic(f, d.Qrels, t, probes, probeIdx)
		if err != nil {
			return nil, err
		}
		s := make(map[string]float64, len(d.Pool))
		for i, m := range kept {
			s[m] = f.Score(i, c, v)
		}
		for _, m := range held {
			y := vecs[m]
			s[m] = y[0] + c + dot(y[1:], v)
		}
		scores[t] = s
	}
	res.Run = trecfmt.NewRun(tag, scores)
	return res, nil
}
