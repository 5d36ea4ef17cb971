package transfer

import (
	"bytes"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLEEPHandComputed(t *testing.T) {
	cases := []struct {
		name   string
		probs  Matrix
		labels []int
		want   float64
	}{
		// Source class z determines y: P̂(y|z) is the identity, every EEP is 1.
		{"perfect", Matrix{Rows: 2, Cols: 2, Data: []float64{1, 0, 0, 1}}, []int{0, 1}, 0},
		// Uninformative head: P̂(y|z) = ½ everywhere.
		{"uniform", Matrix{Rows: 2, Cols: 2, Data: []float64{.5, .5, .5, .5}}, []int{0, 1}, math.Log(0.5)},
		// joint/N: y0 gets (.8,.2), y1 gets (.2+.4, .8+.6)/3 per sample…
		// P̂(y,z) = [[.8,.2],[.6,1.4]]/3; P̂(y|z=0) = (4/7, 3/7), P̂(y|z=1) = (1/8, 7/8).
		// EEP: s0 (y=0): .8·4/7 + .2·1/8; s1 (y=1): .2·3/7 + .8·7/8; s2 (y=1): .4·3/7 + .6·7/8.
		{"three samples", Matrix{Rows: 3, Cols: 2, Data: []float64{.8, .2, .2, .8, .4, .6}}, []int{0, 1, 1},
			(math.Log(.8*4/7+.2/8) + math.Log(.2*3/7+.8*7/8) + math.Log(.4*3/7+.6*7/8)) / 3},
		// Source class 2 never gets mass: it is left out instead of 0/0.
		{"dead source class", Matrix{Rows: 2, Cols: 3, Data: []float64{1, 0, 0, 0, 1, 0}}, []int{0, 1}, 0},
	}
	for _, tc := range cases {
		got, err := LEEP(tc.probs, tc.labels)
		require.NoError(t, err, tc.name)
		assert.InDelta(t, tc.want, got, 1e-15, tc.name)
	}
	_, err := LEEP(Matrix{Rows: 2, Cols: 2, Data: []float64{.5, .6, .5, .5}}, []int{0, 1})
	assert.ErrorContains(t, err, "probabilities of row 0 sum to 1.1")
	_, err = LEEP(Matrix{Rows: 2, Cols: 2, Data: []float64{1, 0, 0, 1}}, []int{0})
	assert.ErrorContains(t, err, "1 labels for 2 samples")
}

func TestNCEHandComputed(t *testing.T) {
	// z=0 → y ∈ {0, 1}: H = log 2, P(z=0) = ½; z=1 → y = 1 always: H = 0.
	got, err := NCE([]int{0, 0, 1, 1}, []int{0, 1, 1, 1})
	require.NoError(t, err)
	assert.InDelta(t, -0.5*math.Log(2), got, 1e-15)
	// Unused source class 1 and target class 2 (0·log 0 = 0).
	got, err = NCE([]int{0, 2, 2}, []int{0, 1, 1})
	require.NoError(t, err)
	assert.Equal(t, 0.0, got)
	// argmax ties go to the first maximum, as numpy's.
	got, err = NCEFromProbs(Matrix{Rows: 2, Cols: 2, Data: []float64{.5, .5, .5, .5}}, []int{0, 1})
	require.NoError(t, err)
	assert.InDelta(t, -math.Log(2), got, 1e-15)
}

// TestHScoreTwoPoints: with one feature, H = var(E[f|y])/var(f); for f =
// (0, 1, 3, 4), y = (0, 0, 1, 1): class means 0.5, 3.5, var(f) = 10/3,
// var(g) = 9/3 → H = 0.9.
func TestHScoreHandComputed(t *testing.T) {
	got, err := HScore(Matrix{Rows: 4, Cols: 1, Data: []float64{0, 1, 3, 4}}, []int{0, 0, 1, 1})
	require.NoError(t, err)
	assert.InDelta(t, 0.9, got, 1e-14)
	// Constant features: cov(f)⁺ = 0, so H = 0, as numpy's pinv gives.
	got, err = HScore(Matrix{Rows: 3, Cols: 1, Data: []float64{2, 2, 2}}, []int{0, 1, 1})
	require.NoError(t, err)
	assert.Equal(t, 0.0, got)
	_, err = HScore(Matrix{Rows: 1, Cols: 1, Data: []float64{2}}, []int{0})
	assert.ErrorContains(t, err, "H-score undefined")
}

// TestLogMEDegenerate: all-zero features give α = 0: an error, not NaN.
func TestLogMEDegenerate(t *testing.T) {
	_, err := LogME(NewMatrix(5, 3), []int{0, 1, 0, 1, 1})
	assert.ErrorContains(t, err, "evidence undefined")
	_, err = LogME(NewMatrix(5, 3), []int{0, 1, -1, 1, 1})
	assert.ErrorContains(t, err, "label -1 of sample 2 is not a class index: labels must be 0 ≤ y < N = 5, the number of samples")
	_, err = LogMERegression(NewMatrix(5, 3), NewMatrix(4, 1))
	assert.ErrorContains(t, err, "targets have 4 rows, features 5")
}

// TestLogMEGramPaths: the N ≤ D path (eigen-decomposition of F·Fᵀ) and the
// N > D path (FᵀF) must agree where both apply to the same spectrum: adding
// zero columns to F leaves its singular values and Uᵀy unchanged but moves
// it to the other path, and D enters the evidence only as D/2·log α.
func TestLogMEGramPaths(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	n, d, extra := 30, 20, 15
	f := randomMatrix(rng, n, d)
	labels := make([]int, n)
	for i := range labels {
		labels[i] = rng.IntN(3)
	}
	wide := NewMatrix(n, d+extra)
	for i := 0; i < n; i++ {
		copy(wide.Row(i), f.Row(i))
	}
	y := NewMatrix(n, 3)
	for i, l := range labels {
		y.Data[i*3+l] = 1
	}
	narrowEv, err := logmeEvidences(f, y)
	require.NoError(t, err)
	// The wide matrix (n ≤ d+extra) keeps all n singular values, n−d of them
	// zero; zero σ_i add log α each to Σ log(α + βσ_i), which the larger D
	// in D/2·log α does not cancel, so compare through the fixed point on
	// the narrow spectrum with D = d+extra and n−d zero σ appended.
	wideEv, err := logmeEvidences(wide, y)
	require.NoError(t, err)
	for c := range narrowEv {
		assert.NotEqual(t, narrowEv[c], wideEv[c])
	}
	sigma, x2, res := narrowSpectrum(t, f, y)
	for c := range narrowEv {
		ev, err := logmeFixedPoint(sigma, x2[c], res[c], n, d)
		require.NoError(t, err)
		assert.InDelta(t, narrowEv[c], ev, 1e-12)
		s := append(append([]float64(nil), sigma...), make([]float64, n-d)...)
		xx := append(append([]float64(nil), x2[c]...), make([]float64, n-d)...)
		// In the wide path the residual lives in the zero-σ directions.
		xx[len(sigma)] = res[c]
		ev, err = logmeFixedPoint(s, xx, 0, n, d+extra)
		require.NoError(t, err)
		assert.InDelta(t, wideEv[c], ev, 1e-9)
	}
}

func narrowSpectrum(t *testing.T, f, y Matrix) (sigma []float64, x2 [][]float64, res []float64) {
	n, d, k := f.Rows, f.Cols, y.Cols
	w := NewMatrix(d, k)
	for r := 0; r < n; r++ {
		for c := 0; c < k; c++ {
			for j := 0; j < d; j++ {
				w.Data[j*k+c] += f.At(r, j) * y.At(r, c)
			}
		}
	}
	lambda, err := symEigenProjections(d, gramOfCols(f), k, w.Data)
	require.NoError(t, err)
	x2 = make([][]float64, k)
	res = make([]float64, k)
	for c := 0; c < k; c++ {
		for r := 0; r < n; r++ {
			res[c] += y.At(r, c) * y.At(r, c)
		}
	}
	for i, l := range lambda {
		sigma = append(sigma, l)
		for c := 0; c < k; c++ {
			v := w.Data[i*k+c] / math.Sqrt(l)
			x2[c] = append(x2[c], v*v)
			res[c] -= v * v
		}
	}
	return sigma, x2, res
}

// TestNLEEP: on well separated classes the mixture posteriors determine the
// label (NLEEP → 0 = log 1); with labels independent of the features NLEEP
// is near log(1/C); and a seed reproduces the score exactly.
func TestNLEEP(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	n, d, c := 300, 6, 3
	f := NewMatrix(n, d)
	labels := make([]int, n)
	random := make([]int, n)
	for i := 0; i < n; i++ {
		labels[i] = i % c
		random[i] = rng.IntN(c)
		for j := 0; j < d; j++ {
			f.Data[i*d+j] = rng.NormFloat64() * 0.1
		}
		f.Data[i*d+labels[i]] += 10
	}
	sep, err := NLEEP(f, labels, 1)
	require.NoError(t, err)
	assert.InDelta(t, 0, sep, 1e-6)
	rnd, err := NLEEP(f, random, 1)
	require.NoError(t, err)
	assert.InDelta(t, math.Log(1.0/3), rnd, 0.05)
	again, err := NLEEP(f, random, 1)
	require.NoError(t, err)
	assert.Equal(t, rnd, again)
	_, err = NLEEP(NewMatrix(2, 2), []int{0, 1}, 1)
	assert.ErrorContains(t, err, "NLEEP undefined")
}

func TestComponentsFor(t *testing.T) {
	p := &pca{Variance: []float64{5, 3, 1, 1}}
	assert.Equal(t, 2, p.componentsFor(0.7))  // cumsum .5 .8 .9 1: first > .7 is .8
	assert.Equal(t, 3, p.componentsFor(0.8))  // .8 is not > .8 (searchsorted right)
	assert.Equal(t, 4, p.componentsFor(0.95)) // only the full sum exceeds .95
}

func TestGBCUndefined(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	f := randomMatrix(rng, 100, 70)
	labels := make([]int, 100)
	for i := range labels {
		labels[i] = i % 2
	}
	_, err := GBC(f, labels)
	assert.ErrorContains(t, err, "class 0 has 50 samples")
	_, err = GBC(randomMatrix(rng, 100, 10), labels)
	assert.ErrorContains(t, err, "got 100×10")
}

func TestWriteRunOrder(t *testing.T) {
	res := []TopicScores{
		{Topic: "t/2", Scores: []ModelScore{{"a/x", 1}, {"b/y", 2.5}, {"c/z", 1}}},
		{Topic: "t/1", Scores: []ModelScore{{"a/x", -0.1}, {"b/y", 1e-20}}},
	}
	var buf bytes.Buffer
	require.NoError(t, WriteRunTo(&buf, "tag1", res))
	assert.Equal(t, "t/1 Q0 b/y 1 1e-20 tag1\nt/1 Q0 a/x 2 -0.1 tag1\n"+
		"t/2 Q0 b/y 1 2.5 tag1\nt/2 Q0 c/z 2 1 tag1\nt/2 Q0 a/x 3 1 tag1\n", buf.String())
	path := filepath.Join(t.TempDir(), "run.txt")
	require.NoError(t, WriteRun(path, "tag1", res))
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, buf.String(), string(raw))
	assert.ErrorContains(t, WriteRun(path, "two words", res), "white space")
}

// TestNpyRoundTripAndVariants covers the decoder on what numpy writes:
// float32/float64/int32/int64, big-endian, Fortran order.
func TestNpyRoundTripAndVariants(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.npy")
	require.NoError(t, writeNpy(p, []int{2, 3}, []float32{1, 2, 3, 4, 5, 6.5}))
	m, err := ReadFeatures(p)
	require.NoError(t, err)
	assert.Equal(t, Matrix{Rows: 2, Cols: 3, Data: []float64{1, 2, 3, 4, 5, 6.5}}, m)

	raw := func(descr string, fortran bool, shape string, payload []byte) string {
		order := "False"
		if fortran {
			order = "True"
		}
		h := "{'descr': '" + descr + "', 'fortran_order': " + order + ", 'shape': " + shape + ", }"
		for (10+len(h)+1)%64 != 0 {
			h += " "
		}
		h += "\n"
		path := filepath.Join(dir, descr[1:]+order+".npy")
		b := append([]byte("\x93NUMPY\x01\x00"), byte(len(h)), byte(len(h)>>8))
		b = append(append(b, h...), payload...)
		require.NoError(t, os.WriteFile(path, b, 0o644))
		return path
	}
	// Big-endian float64 [1.5, -2] as a 2×1 matrix.
	be := raw(">f8", false, "(2, 1)", []byte{0x3f, 0xf8, 0, 0, 0, 0, 0, 0, 0xc0, 0, 0, 0, 0, 0, 0, 0})
	m, err = ReadFeatures(be)
	require.NoError(t, err)
	assert.Equal(t, []float64{1.5, -2}, m.Data)
	// Fortran-ordered 2×2 float32 (column-major 1, 3, 2, 4).
	le32 := func(vs ...float32) []byte {
		var b []byte
		for _, v := range vs {
			u := math.Float32bits(v)
			b = append(b, byte(u), byte(u>>8), byte(u>>16), byte(u>>24))
		}
		return b
	}
	fo := raw("<f4", true, "(2, 2)", le32(1, 3, 2, 4))
	m, err = ReadFeatures(fo)
	require.NoError(t, err)
	assert.Equal(t, []float64{1, 2, 3, 4}, m.Data)
	// int32 labels.
	i32 := raw("<i4", false, "(3,)", []byte{2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0})
	l, err := ReadLabels(i32)
	require.NoError(t, err)
	assert.Equal(t, []int{2, 0, 1}, l)
	// Unsupported dtype and trailing bytes (more in npy_test.go).
	_, err = ReadFeatures(raw("<c8", false, "(1, 1)", make([]byte, 8)))
	assert.ErrorContains(t, err, `dtype "<c8" is not supported`)
	_, err = ReadLabels(raw("<i8", false, "(1,)", make([]byte, 9)))
	assert.ErrorContains(t, err, "file has 137 bytes, its header (dtype \"<i8\", shape [1]) needs 136")
}
