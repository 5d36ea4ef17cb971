package transfer

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// GBC constants of the Model Spider release (mptms/GBC.py).
const (
	gbcComponents = 64   // PCA dimension
	gbcStabiliser = 1e-5 // added inside the log-determinant ratio
)

// GBC returns the Gaussian Bhattacharyya Coefficient score of features f for
// class labels y. The features are reduced by PCA to 64 components; each
// class c is modelled as a Gaussian N(μ_c, Σ_c) with full sample covariance
// (divisor n_c − 1), and
//
//	GBC = −Σ_{c ≠ c'} exp(−D_B(c, c')),
//	D_B = ⅛·(μ_c − μ_c')ᵀ·Σ⁺·(μ_c − μ_c') + ½·log(ε + |det Σ| / (ε + √(ε + det Σ_c·det Σ_c'))),
//
// with Σ = (Σ_c + Σ_c')/2, Σ⁺ its pseudo-inverse (numpy cutoff) and
// ε = 1e-5, summed over ordered pairs of distinct classes present in y.
//
// Reference: M. Pándy, A. Agostinelli, J. Uijlings, V. Ferrari, T. Mensink,
// "Transferability Estimation using Bhattacharyya Class Separability",
// CVPR 2022; computed as mptms/GBC.py of the Model Spider release
// (zhangyikaii/Model-Spider), whose ε stabilisers differ from the paper's
// exact Bhattacharyya distance.
//
// The score is undefined, and an error, unless N ≥ 64 and D ≥ 64 (the PCA
// dimension) and every class has more than 64 samples: with n_c ≤ 64 the
// 64×64 class covariance has rank ≤ n_c − 1 < 64, its determinant is zero
// and whatever the reference prints there is round-off.
func GBC(features Matrix, labels []int) (float64, error) {
	numClasses, err := checkFeaturesLabels(features, labels)
	if err != nil {
		return 0, err
	}
	n, d := features.Rows, features.Cols
	if n < gbcComponents || d < gbcComponents {
		return 0, fmt.Errorf("GBC undefined: PCA to %d components needs at least %d samples and %d features, got %d×%d", gbcComponents, gbcComponents, gbcComponents, n, d)
	}
	counts := make([]int, numClasses)
	for _, y := range labels {
		counts[y]++
	}
	var present []int
	for c, k := range counts {
		if k == 0 {
			continue
		}
		if k <= gbcComponents {
			return 0, fmt.Errorf("GBC undefined: class %d has %d samples, so its %d×%d covariance is singular (needs more than %d)", c, k, gbcComponents, gbcComponents, gbcComponents)
		}
		present = append(present, c)
	}
	p, err := fitPCA(features)
	if err != nil {
		return 0, fmt.Errorf("GBC: %w", err)
	}
	x := p.scores(gbcComponents)

	const k = gbcComponents
	means := make([][]float64, numClasses)
	covs := make([]*mat.SymDense, numClasses)
	dets := make([]float64, numClasses)
	for _, c := range present {
		mu := make([]float64, k)
		for i, y := range labels {
			if y == c {
				for j, v := range x.Row(i) {
					mu[j] += v
				}
			}
		}
		for j := range mu {
			mu[j] /= float64(counts[c])
		}
		cov := mat.NewSymDense(k, nil)
		for i, y := range labels {
			if y != c {
				continue
			}
			row := x.Row(i)
			for a := 0; a < k; a++ {
				da := row[a] - mu[a]
				for b := a; b < k; b++ {
					cov.SetSym(a, b, cov.At(a, b)+da*(row[b]-mu[b]))
				}
			}
		}
		cov.ScaleSym(1/float64(counts[c]-1), cov)
		means[c], covs[c], dets[c] = mu, cov, mat.Det(cov)
	}

	score := 0.0
	diff := make([]float64, k)
	for _, ci := range present {
		for _, cj := range present {
			if ci == cj {
				continue
			}
			var avg mat.SymDense
			avg.AddSym(covs[ci], covs[cj])
			avg.ScaleSym(0.5, &avg)
			for j := range diff {
				diff[j] = means[ci][j] - means[cj][j]
			}
			maha, err := pinvQuadratic(&avg, diff)
			if err != nil {
				return 0, fmt.Errorf("GBC, classes %d and %d: %w", ci, cj, err)
			}
			ratio := math.Abs(mat.Det(&avg)) / (gbcStabiliser + math.Sqrt(gbcStabiliser+dets[ci]*dets[cj]))
			score -= math.Exp(-maha/8 - 0.5*math.Log(gbcStabiliser+ratio))
		}
	}
	if math.IsNaN(score) || math.IsInf(score, 0) {
		return 0, fmt.Errorf("GBC undefined (%v): class covariance determinants out of range", score)
	}
	return score, nil
}

// pinvQuadratic returns xᵀ·A⁺·x for symmetric A, with numpy.linalg.pinv's
// cutoff: eigenvalues at or below 1e-15·max|λ| are treated as zero.
func pinvQuadratic(a *mat.SymDense, x []float64) (float64, error) {
	var es mat.EigenSym
	if !es.Factorize(a, true) {
		return 0, errNoConvergence
	}
	values := es.Values(nil)
	var vecs mat.Dense
	es.VectorsTo(&vecs)
	cutoff := pinvCutoff(values)
	sum := 0.0
	for i, l := range values {
		if math.Abs(l) <= cutoff {
			continue
		}
		p := 0.0
		for j, v := range x {
			p += vecs.At(j, i) * v
		}
		sum += p * p / l
	}
	return sum, nil
}
