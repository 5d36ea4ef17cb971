package fennec

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"

	"github.com/ntcir-pmr/mreval/baselines/metadata"
	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/zoo"
)

func TestCholeskyHand(t *testing.T) {
	// A = L·Lᵀ with L = [[2,0,0],[1,2,0],[1,1,2]]; A·[1,−1,2] = [6,3,11].
	a := []float64{4, 2, 2, 2, 5, 3, 2, 3, 6}
	l, err := cholesky(a, 3)
	require.NoError(t, err)
	assert.Equal(t, []float64{2, 0, 0, 1, 2, 0, 1, 1, 2}, l)
	x := []float64{6, 3, 11}
	cholSolve(l, 3, x)
	assert.Equal(t, []float64{1, -1, 2}, x)

	_, err = cholesky([]float64{1, 2, 2, 1}, 2)
	assert.EqualError(t, err, "matrix is not positive definite (pivot 1 is -3)")
}

func TestSymEigenHand(t *testing.T) {
	vals, vecs, err := symEigen([]float64{2, 1, 1, 2}, 2)
	require.NoError(t, err)
	assert.InDeltaSlice(t, []float64{3, 1}, vals, 1e-15)
	h := 1 / math.Sqrt2
	// Columns are (1,1)/√2 and (1,−1)/√2 up to sign.
	assert.InDelta(t, h, math.Abs(vecs[0]), 1e-15)
	assert.InDelta(t, h, math.Abs(vecs[2]), 1e-15)
	assert.InDelta(t, 1.0, vecs[0]*vecs[2]/(h*h), 1e-15, "first eigenvector has equal components")
	assert.InDelta(t, -1.0, vecs[1]*vecs[3]/(h*h), 1e-15, "second eigenvector has opposite components")

	// A diagonal matrix: sorted descending, vectors the unit vectors.
	vals, vecs, err = symEigen([]float64{1, 0, 0, 0, 3, 0, 0, 0, 2}, 3)
	require.NoError(t, err)
	assert.Equal(t, []float64{3, 2, 1}, vals)
	assert.Equal(t, []float64{0, 0, 1, 1, 0, 0, 0, 1, 0}, vecs)
}

// TestSymEigenMatchesGonum compares with gonum's LAPACK-based EigenSym on a
// random symmetric matrix, and checks A·v = λ·v and orthonormality.
func TestSymEigenMatchesGonum(t *testing.T) {
	const n = 12
	rng := rand.New(rand.NewPCG(3, 3))
	a := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j <= i; j++ {
			v := rng.NormFloat64() * 10
			a[i*n+j], a[j*n+i] = v, v
		}
	}
	vals, vecs, err := symEigen(a, n)
	require.NoError(t, err)
	var es mat.EigenSym
	require.True(t, es.Factorize(mat.NewSymDense(n, slices.Clone(a)), false))
	want := es.Values(nil)
	slices.Reverse(want)
	assert.InDeltaSlice(t, want, vals, 1e-12*math.Abs(want[0]))
	for k := 0; k < n; k++ {
		for i := 0; i < n; i++ {
			av := 0.0
			for j := 0; j < n; j++ {
				av += a[i*n+j] * vecs[j*n+k]
			}
			require.InDelta(t, vals[k]*vecs[i*n+k], av, 1e-11*math.Abs(want[0]))
		}
		for l := 0; l < n; l++ {
			d := 0.0
			for i := 0; i < n; i++ {
				d += vecs[i*n+k] * vecs[i*n+l]
			}
			want := 0.0
			if k == l {
				want = 1
			}
			require.InDelta(t, want, d, 1e-13)
		}
	}
}

// planted returns an n×m matrix b_m + c_t + U_m·V_t with U, V of the given
// rank, all entries drawn from seeded normals, plus N(0, noise²) noise; it
// also returns the noise-free matrix.
func planted(n, m, rank int, noise float64, seed uint64) (noisy, clean []float64) {
	rng := rand.New(rand.NewPCG(seed, 99))
	b, c := make([]float64, n), make([]float64, m)
	u, v := make([]float64, n*rank), make([]float64, m*rank)
	for i := range b {
		b[i] = 5 * rng.NormFloat64()
	}
	for i := range c {
		c[i] = 70 + 5*rng.NormFloat64()
	}
	for i := range u {
		u[i] = 2 * rng.NormFloat64()
	}
	for i := range v {
		v[i] = 2 * rng.NormFloat64()
	}
	clean, noisy = make([]float64, n*m), make([]float64, n*m)
	for i := 0; i < n; i++ {
		for j := 0; j < m; j++ {
			x := b[i] + c[j]
			for k := 0; k < rank; k++ {
				x += u[i*rank+k] * v[j*rank+k]
			}
			clean[i*m+j] = x
			noisy[i*m+j] = x + noise*rng.NormFloat64()
		}
	}
	return noisy, clean
}

func rmse(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += (a[i] - b[i]) * (a[i] - b[i])
	}
	return math.Sqrt(s / float64(len(a)))
}

func predictions(f *Factors) []float64 {
	out := make([]float64, 0, f.Models*f.Topics)
	for i := 0; i < f.Models; i++ {
		for j := 0; j < f.Topics; j++ {
			out = append(out, f.Predict(i, j))
		}
	}
	return out
}

func TestFactorizeRecoversPlanted(t *testing.T) {
	for _, tc := range []struct {
		name string
		n, m int
	}{{"more models than topics", 60, 15}, {"more topics than models", 12, 30}} {
		t.Run(tc.name, func(t *testing.T) {
			// Noise-free rank 3: recovered exactly, further dimensions
			// have zero singular value and stay inactive.
			_, clean := planted(tc.n, tc.m, 3, 0, 1)
			f, err := Factorize(clean, tc.n, tc.m, 5, 1e-9)
			require.NoError(t, err)
			assert.Equal(t, 3, f.Active)
			assert.Less(t, f.Singular[3], 1e-9*f.Singular[0])
			assert.Less(t, rmse(predictions(f), clean), 1e-8)
			sum := 0.0
			for _, b := range f.ModelBias {
				sum += b
			}
			assert.InDelta(t, 0, sum, 1e-9, "model biases are centred")

			// With N(0, 0.5²) noise the rank-3 fit is closer to the
			// planted matrix than the data are: about (n+m)·4 of the n·m
			// degrees of freedom are fitted, so the error is near
			// 0.5·√(4(n+m)/(nm)) ≈ 0.29 (60×15) or 0.32 (12×30).
			noisy, clean := planted(tc.n, tc.m, 3, 0.5, 2)
			f, err = Factorize(noisy, tc.n, tc.m, 3, 1)
			require.NoError(t, err)
			got := rmse(predictions(f), clean)
			assert.Less(t, got, 0.4, "rmse to the planted matrix")
			assert.Greater(t, rmse(noisy, clean), 0.45, "the noise itself")
		})
	}
}

// TestFactorizeStationary checks the optimality conditions of J at the
// closed-form solution: every partial derivative is zero.
func TestFactorizeStationary(t *testing.T) {
	const n, m, r = 30, 8, 3
	a, _ := planted(n, m, 4, 1, 5)
	f, err := Factorize(a, n, m, r, 7)
	require.NoError(t, err)
	require.Equal(t, r, f.Active)
	resid := func(i, j int) float64 { return a[i*m+j] - f.Predict(i, j) }
	for i := 0; i < n; i++ {
		gb := 0.0
		gu := make([]float64, r)
		for j := 0; j < m; j++ {
			e := resid(i, j)
			gb += e
			for k := 0; k < r; k++ {
				gu[k] += e * f.TopicVec(j)[k]
			}
		}
		require.InDelta(t, 0, gb, 1e-9, "∂J/∂b_%d", i)
		for k := 0; k < r; k++ {
			require.InDelta(t, gu[k], f.Lambda*f.ModelVec(i)[k], 1e-9, "∂J/∂u_%d,%d", i, k)
		}
	}
	for j := 0; j < m; j++ {
		gc := 0.0
		gv := make([]float64, r)
		for i := 0; i < n; i++ {
			e := resid(i, j)
			gc += e
			for k := 0; k < r; k++ {
				gv[k] += e * f.ModelVec(i)[k]
			}
		}
		require.InDelta(t, 0, gc, 1e-9, "∂J/∂c_%d", j)
		for k := 0; k < r; k++ {
			require.InDelta(t, gv[k], f.Lambda*f.TopicVec(j)[k], 1e-9, "∂J/∂v_%d,%d", j, k)
		}
	}
}

func TestFactorizeErrors(t *testing.T) {
	a := []float64{1, 2, 3, 4, 5, 6}
	for _, tc := range []struct {
		name   string
		a      []float64
		n, m   int
		rank   int
		lambda float64
		want   string
	}{
		{"length", a, 2, 2, 1, 1, "factorize: 6 values for 2 models × 2 topics"},
		{"empty", nil, 0, 3, 1, 1, "factorize: empty matrix (0 models × 3 topics)"},
		{"NaN", []float64{1, 2, 3, 4, math.NaN(), 6}, 3, 2, 1, 1, "factorize: value NaN of model 2 on topic 0 is not finite"},
		{"rank", a, 3, 2, 3, 1, "factorize: rank 3 is outside 0..2 (the smaller side of 3 models × 2 topics)"},
		{"lambda", a, 3, 2, 1, 0, "factorize: λ = 0 must be positive and finite"},
	} {
		_, err := Factorize(tc.a, tc.n, tc.m, tc.rank, tc.lambda)
		assert.EqualError(t, err, tc.want, tc.name)
	}
}

func TestFoldInHand(t *testing.T) {
	// Rank 1; probes with b = [1, 0, −1], u = [1, −1, 2], values [3, 1, 5],
	// λ = 1. Targets y − b = [2, 1, 6]; normal equations
	// [[3, 2], [2, 6+1]]·[c, v] = [9, 2−1+12] give c = 37/17, v = 21/17.
	f := &Factors{Models: 4, Topics: 1, Rank: 1, Lambda: 1,
		ModelBias: []float64{1, 0, -1, 9}, ModelVecs: []float64{1, -1, 2, 9}}
	c, v, err := FoldIn(f, []int{0, 1, 2}, []float64{3, 1, 5}, 1)
	require.NoError(t, err)
	assert.InDelta(t, 37.0/17, c, 1e-15)
	assert.InDeltaSlice(t, []float64{21.0 / 17}, v, 1e-15)
	// Model 3 (not a probe): 9 + 37/17 + 9·21/17.
	assert.InDelta(t, 9+37.0/17+9*21.0/17, f.Score(3, c, v), 1e-13)

	for _, tc := range []struct {
		probes []int
		acc    []float64
		lambda float64
		want   string
	}{
		{[]int{0, 1}, []float64{1}, 1, "fold-in: 2 probes but 1 values"},
		{nil, nil, 1, "fold-in: no probe values"},
		{[]int{0}, []float64{1}, 0, "fold-in: λ = 0 must be positive and finite"},
		{[]int{4}, []float64{1}, 1, "fold-in: probe index 4 is outside 0..3"},
		{[]int{0}, []float64{math.Inf(1)}, 1, "fold-in: value +Inf of probe 0 is not finite"},
	} {
		_, _, err := FoldIn(f, tc.probes, tc.acc, tc.lambda)
		assert.EqualError(t, err, tc.want)
	}
}

// TestFoldInRecoversPlantedTopic holds a topic out of a noise-free rank-2
// matrix and places it from R + 1 = 3 probe models: every model's value on
// it is predicted exactly.
func TestFoldInRecoversPlantedTopic(t *testing.T) {
	const n, m = 50, 11
	a, _ := planted(n, m, 2, 0, 4)
	train := make([]float64, 0, n*(m-1))
	held := make([]float64, n)
	for i := 0; i < n; i++ {
		train = append(train, a[i*m:i*m+m-1]...)
		held[i] = a[i*m+m-1]
	}
	f, err := Factorize(train, n, m-1, 2, 1e-9)
	require.NoError(t, err)
	probes := []int{3, 17, 40}
	acc := []float64{held[3], held[17], held[40]}
	c, v, err := FoldIn(f, probes, acc, 1e-9)
	require.NoError(t, err)
	for i := 0; i < n; i++ {
		require.InDelta(t, held[i], f.Score(i, c, v), 1e-6, "model %d", i)
	}
}

func TestRankCorrelatorMatchesSpearman(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 11))
	for trial := 0; trial < 20; trial++ {
		n := 2 + rng.IntN(200)
		x, y := make([]float64, n), make([]float64, n)
		for i := range x {
			// Rounded values give many ties.
			x[i] = math.Round(rng.NormFloat64() * 3)
			y[i] = math.Round(rng.NormFloat64() * 3)
		}
		y[0], y[1] = 0, 1 // y is never constant
		x[0], x[1] = 0, 1
		want, err := metadata.Spearman(x, y)
		require.NoError(t, err)
		rc, err := newRankCorrelator(y)
		require.NoError(t, err)
		got, err := rc.rho(x)
		require.NoError(t, err)
		// metadata.Spearman is rankcorr.Spearman (scipy's order of
		// operations); the cached correlator sums in another order.
		require.InDelta(t, want, got, 1e-14, "trial %d", trial)
	}
	_, err := newRankCorrelator([]float64{2, 2, 2})
	assert.EqualError(t, err, "spearman: undefined because a vector is constant")
	rc, err := newRankCorrelator([]float64{1, 2, 3})
	require.NoError(t, err)
	_, err = rc.rho([]float64{5, 5, 5})
	assert.EqualError(t, err, "spearman: undefined because a vector is constant")
}

// plantedData wraps a planted matrix as a collection: models m00…, topics
// t00… (the first nTrain train, the rest test), probes the first four
// models.
func plantedData(a []float64, n, m, nTrain int) *Data {
	d := &zoo.Data{Qrels: &eval.Qrels{ByID: map[string]*eval.TopicQrels{}}}
	for i := 0; i < n; i++ {
		d.Pool = append(d.Pool, "m"+pad(i))
	}
	for j := 0; j < m; j++ {
		id := "t" + pad(j)
		tq := &eval.TopicQrels{Topic: id, Value: map[string]float64{}}
		for i, doc := range d.Pool {
			tq.Value[doc] = a[i*m+j]
			tq.Docs = append(tq.Docs, doc)
			tq.Lines = append(tq.Lines, j*n+i+1)
		}
		d.Qrels.ByID[id] = tq
		d.Qrels.Topics = append(d.Qrels.Topics, id)
		if j < nTrain {
			d.Train = append(d.Train, id)
		} else {
			d.Test = append(d.Test, id)
		}
	}
	return &Data{Data: d, probes: d.Pool[:4]}
}

// Data bundles a planted collection with its probes for the tests.
type Data struct {
	*zoo.Data
	probes []string
}

func pad(i int) string {
	s := strconv.Itoa(i)
	if len(s) < 2 {
		s = "0" + s
	}
	return s
}

func TestCrossValidatePicksPlantedRank(t *testing.T) {
	const n, m = 80, 16
	a, _ := planted(n, m, 2, 0.3, 8)
	grid := Grid{Ranks: []int{1, 2, 3, 4}, Lambdas: []float64{0.1, 1, 10}}
	cv, err := CrossValidate(a, n, m, []int{0, 1, 2, 3}, grid, 0)
	require.NoError(t, err)
	assert.Equal(t, 2, cv.Rank)
	// Rank 1 misses a planted dimension: clearly worse.
	best := cv.MeanSpearman[1][slices.Index(grid.Lambdas, cv.Lambda)]
	for j := range grid.Lambdas {
		assert.Less(t, cv.MeanSpearman[0][j], best-0.05)
	}
	assert.Greater(t, best, 0.95)

	_, err = CrossValidate(a, n, m, []int{0}, Grid{Ranks: []int{16}, Lambdas: []float64{1}}, 0)
	assert.EqualError(t, err, "cross-validation: rank 16 is outside 0..15 (a fold has 15 topics)")
	_, err = CrossValidate(a, n, m, []int{0}, Grid{}, 0)
	assert.EqualError(t, err, "cross-validation: empty grid (0 ranks, 0 λ values)")
}

func TestRunPlanted(t *testing.T) {
	const n, m = 40, 10
	a, _ := planted(n, m, 2, 0, 9)
	d := plantedData(a, n, m, 7)
	res, err := Run("fennec", d.Data, Options{Rank: 2, Lambda: 1e-9, Probes: d.probes})
	require.NoError(t, err)
	assert.Nil(t, res.CV, "no cross-validation when both parameters are given")
	assert.Equal(t, "fennec", res.Run.Tag)
	assert.Equal(t, []string{"t07", "t08", "t09"}, res.Run.Topics)
	// Noise-free rank 2 and 4 probes: the test topics are predicted
	// exactly, so the run's scores are the true values.
	for j, topic := range res.Run.Topics {
		r := res.Run.ByID[topic]
		require.Len(t, r.Entries, n)
		for _, e := range r.Entries {
			i, _ := strconv.Atoi(e.Doc[1:])
			require.InDelta(t, a[i*m+7+j], e.Score, 1e-6, "%s %s", topic, e.Doc)
		}
	}

	res, err = Run("fennec", d.Data, Options{Lambda: 1e-9, Probes: d.probes, Grid: Grid{Ranks: []int{1, 2, 3}, Lambdas: []float64{5}}})
	require.NoError(t, err)
	require.NotNil(t, res.CV)
	assert.Equal(t, []float64{1e-9}, res.CV.Grid.Lambdas, "a given λ replaces the grid's")
	assert.Equal(t, 2, res.Rank)
	assert.Equal(t, "fennec: rank 2, λ = 1e-09 (chosen by leave-one-topic-out cross-validation on the train topics), 2 of 2 dimensions active", res.Note())
}

func TestRunErrors(t *testing.T) {
	a, _ := planted(10, 5, 1, 0, 1)
	d := plantedData(a, 10, 5, 3)
	delete(d.Qrels.ByID["t01"].Value, "m07")
	for _, tc := range []struct {
		opt  Options
		want string
	}{
		{Options{Rank: 1, Lambda: 1, Probes: d.probes}, `fennec: qrels have no judgment of "m07" on topic "t01" (the factorisation needs every pool model judged on every train topic)`},
		{Options{Rank: 1, Lambda: 1, Probes: []string{"m00", "zz"}}, `fennec: probe model "zz" is not in the pool`},
		{Options{Rank: 1, Lambda: 1, Probes: []string{"m00", "m00"}}, `fennec: probe model "m00" is listed twice`},
		{Options{Rank: -1, Probes: d.probes}, "fennec: rank -1 is negative"},
		{Options{Lambda: -2, Probes: d.probes}, "fennec: λ = -2 is negative"},
	} {
		_, err := Run("x", d.Data, tc.opt)
		assert.EqualError(t, err, tc.want)
	}
	d.Qrels.ByID["t01"].Value["m07"] = 1
	delete(d.Qrels.ByID["t04"].Value, "m02")
	_, err := Run("x", d.Data, Options{Rank: 1, Lambda: 1, Probes: d.probes})
	assert.EqualError(t, err, `fennec: probe vector: probe model "m02" is not judged on topic "t04"`)
}
