package rankcorr

import (
	"math"
	"slices"

	"github.com/ntcir-pmr/mreval/internal/numeric"
)

// Pearson returns Pearson's product-moment correlation, scipy.stats.pearsonr(truth, score):
//
//	r = Σ (x_i − x̄)(y_i − ȳ) / √(Σ (x_i − x̄)² · Σ (y_i − ȳ)²),
//
// computed as SciPy does (deviations scaled by their largest magnitude before the norms, which
// avoids overflow; for n = 2 the exact ±1) and clamped to [−1, 1].
//
// ok is false where SciPy returns NaN: n < 2, a constant vector, a NaN in either vector, or an
// infinite value (which makes the mean infinite).
//
// Reference: K. Pearson, "Notes on regression and inheritance in the case of two parents",
// Proc. R. Soc. Lond. 58, 1895, pp. 240–242.
func Pearson(truth, score []float64) (r float64, ok bool) {
	mustSameLength(truth, score)
	if len(truth) < 2 || isConstant(truth) || isConstant(score) {
		return 0, false
	}
	r = pearson(truth, score)
	if math.IsNaN(r) {
		return 0, false
	}
	return r, true
}

// Spearman returns Spearman's rank correlation ρ, scipy.stats.spearmanr(truth, score): Pearson's
// correlation of the ranks, with tied values given the average of the ranks they span (ranks
// 1..n), computed as numpy.corrcoef does: ρ = cov(R_x, R_y) / sd(R_y) / sd(R_x), clamped to
// [−1, 1]. Ranking makes ±Inf ordinary extreme values.
//
// ok is false where SciPy returns NaN: n < 2, a constant vector, or a NaN in either vector.
//
// Reference: C. Spearman, "The proof and measurement of association between two things",
// Am. J. Psychol. 15(1), 1904, pp. 72–101.
func Spearman(truth, score []float64) (rho float64, ok bool) {
	mustSameLength(truth, score)
	n := len(truth)
	if n < 2 || isConstant(truth) || isConstant(score) ||
		slices.ContainsFunc(truth, math.IsNaN) || slices.ContainsFunc(score, math.IsNaN) {
		return 0, false
	}
	rx, ry := averageRanks(truth), averageRanks(score)
	mx, my := numeric.Mean(rx), numeric.Mean(ry)
	var sxx, syy, sxy float64
	for i := range n {
		dx, dy := rx[i]-mx, ry[i]-my
		sxx += float64(dx * dx)
		syy += float64(dy * dy)
		sxy += float64(dx * dy)
	}
	// numpy.cov scales by 1/(n−1); corrcoef then divides row-wise and column-wise by the
	// standard deviations. The scaling cancels mathematically but is kept for equal rounding.
	scale := 1 / float64(n-1)
	rho = float64(sxy*scale) / math.Sqrt(float64(syy*scale)) / math.Sqrt(float64(sxx*scale))
	if math.IsNaN(rho) {
		return 0, false
	}
	return math.Min(1, math.Max(-1, rho)), true
}

func pearson(x, y []float64) float64 {
	n := len(x)
	if n == 2 {
		// SciPy returns the exact sign for two points (neither vector is constant here).
		return sign(x[1]-x[0]) * sign(y[1]-y[0])
	}
	xm, ym := centredScaled(x), centredScaled(y)
	nx, ny := norm(xm), norm(ym)
	r := 0.0
	for i := range n {
		r += float64((xm[i] / nx) * (ym[i] / ny))
	}
	return math.Min(1, math.Max(-1, r))
}

// centredScaled returns (x − x̄) / max|x − x̄|; the scaling keeps the sum of squares in range.
func centredScaled(x []float64) []float64 {
	m := numeric.Mean(x)
	out := make([]float64, len(x))
	maxAbs := 0.0
	for i, v := range x {
		out[i] = v - m
		maxAbs = math.Max(maxAbs, math.Abs(out[i]))
	}
	for i := range out {
		out[i] /= maxAbs
	}
	return out
}

func norm(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += float64(v * v)
	}
	return math.Sqrt(s)
}

func sign(v float64) float64 {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// isConstant reports whether every element equals the first, SciPy's constant-input test
// (a vector of NaNs is not constant by this test; NaN is caught separately).
func isConstant(x []float64) bool {
	for _, v := range x[1:] {
		if v != x[0] {
			return false
		}
	}
	return true
}

// averageRanks returns scipy.stats.rankdata(x, method="average"): ranks 1..n in increasing
// order, each group of equal values receiving the mean of the ranks it spans. x must be NaN-free.
func averageRanks(x []float64) []float64 {
	n := len(x)
	order := make([]int32, n)
	numeric.Argsort(x, order, make([]int32, n), make([]uint64, n), make([]uint64, n))
	ranks := make([]float64, len(x))
	for start := 0; start < len(order); {
		end := start + 1
		for end < len(order) && x[order[end]] == x[order[start]] {
			end++
		}
		// Ranks start+1 … end share their mean, which is a multiple of 1/2 and exact.
		avg := float64(start+1+end) / 2
		for _, i := range order[start:end] {
			ranks[i] = avg
		}
		start = end
	}
	return ranks
}
