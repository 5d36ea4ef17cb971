package noise

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/internal/numeric"
)

func TestResidualsByHand(t *testing.T) {
	s, err := ParseSeeds("seeds.tsv", []byte(table))
	require.NoError(t, err)
	// A: median 82 → −2, 0, 2; B: median 70 → 0, 0, −30 (the collapsed
	// run stays a collapse); C has one run and is skipped.
	res, ok := s.ByID["cb"].Residuals()
	require.True(t, ok)
	assert.Equal(t, []float64{-2, 0, 2, 0, 0, -30}, res)
	_, ok = s.ByID["rte"].Residuals()
	assert.False(t, ok, "one run has no residual")
	_, err = NewPerturbation(s.ByID["rte"], Empirical)
	assert.EqualError(t, err, "topic rte: no base model has two seed runs, so its fine-tuning noise is unknown")
}

func TestNewPerturbation(t *testing.T) {
	s, err := ParseSeeds("seeds.tsv", []byte(table))
	require.NoError(t, err)
	cb := s.ByID["cb"]
	p, err := NewPerturbation(cb, Empirical)
	require.NoError(t, err)
	assert.Equal(t, Perturbation{Model: Empirical, Residuals: []float64{-2, 0, 2, 0, 0, -30}}, p)
	p, err = NewPerturbation(cb, Gaussian)
	require.NoError(t, err)
	assert.InDelta(t, math.Sqrt(608.0/4), p.Sigma, 1e-12)
	p, err = NewPerturbation(cb, GaussianMAD)
	require.NoError(t, err)
	assert.InDelta(t, 1.4826, p.Sigma, 1e-12)
}

func TestParseModel(t *testing.T) {
	for name, want := range map[string]Model{"empirical": Empirical, "gaussian": Gaussian, "gaussian-mad": GaussianMAD} {
		m, err := ParseModel(name)
		require.NoError(t, err)
		assert.Equal(t, want, m)
		assert.Equal(t, name, m.String())
	}
	_, err := ParseModel("normal")
	assert.EqualError(t, err, `unknown noise model "normal" (known: empirical, gaussian, gaussian-mad)`)
}

// The empirical draw adds one residual of the pool to each value, picked
// uniformly: each value's shift is a pool member, the picks follow the
// generator (IntN over the pool), and over many draws every residual,
// the collapse included, comes up at its rate 1/6.
func TestEmpiricalDrawByHand(t *testing.T) {
	p := Perturbation{Model: Empirical, Residuals: []float64{-2, 0, 2, 0, 0, -30}}
	values := []float64{90, 80, 70}
	out := make([]float64, 3)
	p.Draw(rand.New(rand.NewPCG(1, 2)), values, out)
	pick := rand.New(rand.NewPCG(1, 2))
	for i, v := range values {
		assert.Equal(t, v+p.Residuals[pick.IntN(6)], out[i])
	}

	rng := rand.New(rand.NewPCG(3, 4))
	const n = 60000
	big := make([]float64, n)
	p.Draw(rng, make([]float64, n), big)
	count := map[float64]int{}
	for _, v := range big {
		count[v]++
	}
	require.Len(t, count, 4, "shifts are pool members only")
	// Expected counts n/6 per pool entry (0 is in the pool three times);
	// 5 binomial standard deviations, sqrt(n·(1/6)·(5/6)) ≈ 91, apart.
	assert.InDelta(t, n/6, count[-30], 5*91)
	assert.InDelta(t, n/6, count[-2], 5*91)
	assert.InDelta(t, n/6, count[2], 5*91)
	assert.InDelta(t, n/2, count[0], 5*122)

	// Drawing in place works: values and out may be the same slice.
	in := []float64{90, 80, 70}
	p.Draw(rand.New(rand.NewPCG(1, 2)), in, in)
	assert.Equal(t, out, in)
}

func TestGaussianDraw(t *testing.T) {
	values := []float64{90, 80, 70}
	out := make([]float64, 3)
	Perturbation{Model: Gaussian, Sigma: 0}.Draw(rand.New(rand.NewPCG(1, 2)), values, out)
	assert.Equal(t, values, out, "σ = 0 leaves the values as they are")

	Perturbation{Model: GaussianMAD, Sigma: 2}.Draw(rand.New(rand.NewPCG(1, 2)), values, out)
	z := rand.New(rand.NewPCG(1, 2))
	for i, v := range values {
		assert.Equal(t, v+float64(2*z.NormFloat64()), out[i])
	}

	const n = 50000
	big := make([]float64, n)
	Perturbation{Model: Gaussian, Sigma: 3}.Draw(rand.New(rand.NewPCG(5, 6)), make([]float64, n), big)
	m := numeric.Mean(big)
	ss := 0.0
	for _, v := range big {
		ss += (v - m) * (v - m)
	}
	// Standard errors: 3/√n ≈ 0.013 for the mean, 3/√(2n) ≈ 0.0095 for
	// the standard deviation.
	assert.InDelta(t, 0, m, 5*0.013)
	assert.InDelta(t, 3, math.Sqrt(ss/(n-1)), 5*0.0095)
}
