package transfer

import (
	"fmt"
	"math"
)

// LogME convergence controls, as in thuml/LogME (LogME.py, _fit_fixed_point):
// at most 11 fixed-point steps, stopping once the ratio t = α/β moves by at
// most 0.1% relative; 1e-5 keeps the α and β updates finite; singular values
// at or below 1e-10 count as zero when the features have more rows than
// columns (truncated_svd).
const (
	logmeMaxIter     = 11
	logmeRelTol      = 1e-3
	logmeEpsilon     = 1e-5
	logmeRankCutoff  = 1e-10
	logmeInitAlpha   = 1.0
	logmeInitBeta    = 1.0
	halfLogTwoPi     = 0.91893853320467274178 // log(2π)/2
	logmeMinRowsCols = 1
)

// LogME returns the LogME score of features (N×D) for a classification
// target with labels in 0..C−1, C = max label + 1: the mean over classes c
// of the per-sample log maximum evidence of a Bayesian linear regression of
// the one-hot indicator y_c = [label == c] on the features,
//
//	L(α, β) = D/2·log α + N/2·log β − ½·Σ_i log(α + β·σ_i)
//	          − β/2·‖y − F·m‖² − α/2·‖m‖² − N/2·log 2π,   score = L/N,
//
// where σ_i are the squared singular values of F, m = β·(α + β·FᵀF)⁻¹·Fᵀy is
// the posterior mean, and α, β maximise L by MacKay's fixed-point updates
// γ = Σ σ_i/(σ_i + α/β), α = γ/‖m‖², β = (N − γ)/‖y − F·m‖² carried out in
// the singular basis of F (x = Uᵀy), so each step costs O(min(N, D)).
//
// Reference: K. You, Y. Liu, J. Wang, M. Long, "LogME: Practical Assessment
// of Pre-trained Models for Transfer Learning", ICML 2021; the fixed-point
// form of K. You et al., "Ranking and Tuning Pre-trained Models: A New
// Paradigm for Exploiting Model Hubs", JMLR 2022. This is a port of
// thuml/LogME's LogME.py (_fit_fixed_point, the default _fit): same
// iteration cap (11), tolerance (|Δt|/t ≤ 1e-3), stabiliser 1e-5, rank
// cutoff 1e-10 on singular values when N > D and no truncation when N ≤ D.
// Classes without samples take part in the mean, as in the reference.
//
// The spectrum comes from the smaller Gram matrix (FᵀF when N > D, F·Fᵀ
// otherwise) by tridiagonal reduction; only the projections of the C target
// vectors on the eigenvectors are formed (see symEigenProjections). An
// undefined evidence (for instance all-zero features, which give α = 0) is an
// error, never NaN.
func LogME(features Matrix, labels []int) (float64, error) {
	numClasses, err := checkFeaturesLabels(features, labels)
	if err != nil {
		return 0, err
	}
	y := NewMatrix(features.Rows, numClasses)
	for i, l := range labels {
		y.Data[i*numClasses+l] = 1
	}
	return logmeMean(features, y)
}

// LogMERegression returns the LogME score of features (N×D) for the N×R
// real-valued targets: the mean over target columns of the per-sample log
// maximum evidence defined at LogME (thuml/LogME with regression=True).
func LogMERegression(features Matrix, targets Matrix) (float64, error) {
	if err := features.check("features"); err != nil {
		return 0, err
	}
	if err := targets.check("targets"); err != nil {
		return 0, err
	}
	if targets.Rows != features.Rows {
		return 0, fmt.Errorf("targets have %d rows, features %d", targets.Rows, features.Rows)
	}
	if targets.Cols == 0 {
		return 0, fmt.Errorf("targets have no columns")
	}
	return logmeMean(features, targets)
}

// logmeMean returns the mean evidence over the columns of y.
func logmeMean(f Matrix, y Matrix) (float64, error) {
	ev, err := logmeEvidences(f, y)
	if err != nil {
		return 0, err
	}
	sum := 0.0
	for _, v := range ev {
		sum += v
	}
	return sum / float64(len(ev)), nil
}

// logmeEvidences returns the per-sample maximum log evidence of each column
// of y (N×T) given the features f (N×D).
func logmeEvidences(f Matrix, y Matrix) ([]float64, error) {
	n, d, t := f.Rows, f.Cols, y.Cols
	if n < logmeMinRowsCols || d < logmeMinRowsCols {
		return nil, fmt.Errorf("LogME needs at least one sample and one feature, got %d×%d", n, d)
	}
	var sigma []float64 // squared singular values σ_i of F
	var x Matrix        // x = Uᵀ·y restricted to the kept singular directions, k×T
	if n <= d {
		// Left singular vectors are the eigenvectors of F·Fᵀ, so Uᵀy is a
		// direct projection; like numpy's thin SVD, all N values are kept.
		p := append([]float64(nil), y.Data...)
		lambda, err := symEigenProjections(n, gramOfRows(f), t, p)
		if err != nil {
			return nil, fmt.Errorf("LogME: %w", err)
		}
		sigma = make([]float64, n)
		for i, l := range lambda {
			sigma[i] = math.Max(l, 0) // round-off can leave −1e-13 where σ = 0
		}
		x = Matrix{Rows: n, Cols: t, Data: p}
	} else {
		// Eigenvectors v_i of FᵀF give u_i = F·v_i/s_i, so
		// u_iᵀy = v_iᵀ(Fᵀy)/s_i; as in the reference's truncated_svd, s_i is
		// the square root of |λ_i| and directions with s_i ≤ 1e-10 are dropped.
		w := NewMatrix(d, t)
		for r := 0; r < n; r++ {
			fr := f.Row(r)
			yr := y.Row(r)
			for c, yv := range yr {
				if yv == 0 {
					continue
				}
				for j, fv := range fr {
					w.Data[j*t+c] += fv * yv
				}
			}
		}
		lambda, err := symEigenProjections(d, gramOfCols(f), t, w.Data)
		if err != nil {
			return nil, fmt.Errorf("LogME: %w", err)
		}
		x = NewMatrix(0, t)
		for i, l := range lambda {
			s := math.Sqrt(math.Abs(l))
			if s <= logmeRankCutoff {
				continue
			}
			sigma = append(sigma, s*s)
			for c := 0; c < t; c++ {
				x.Data = append(x.Data, w.Data[i*t+c]/s)
			}
			x.Rows++
		}
	}

	evidences := make([]float64, t)
	x2 := make([]float64, len(sigma))
	for c := 0; c < t; c++ {
		sumY2 := 0.0
		for r := 0; r < n; r++ {
			v := y.Data[r*t+c]
			sumY2 += v * v
		}
		sumX2 := 0.0
		for i := range sigma {
			v := x.Data[i*t+c]
			x2[i] = v * v
			sumX2 += x2[i]
		}
		ev, err := logmeFixedPoint(sigma, x2, sumY2-sumX2, n, d)
		if err != nil {
			return nil, fmt.Errorf("LogME, target column %d: %w", c, err)
		}
		evidences[c] = ev
	}
	return evidences, nil
}

// logmeFixedPoint runs the evidence maximisation for one target vector given
// the squared singular values sigma, the squared projections x2 of the
// target on the left singular vectors and resX2 = ‖y‖² − Σ x2 (the part of y
// outside the column space of F), and returns the evidence per sample.
func logmeFixedPoint(sigma, x2 []float64, resX2 float64, n, d int) (float64, error) {
	alpha, beta := logmeInitAlpha, logmeInitBeta
	var m2, res2 float64
	for iter := 0; iter < logmeMaxIter; iter++ {
		t := alpha / beta
		gamma, sumM2, sumRes := 0.0, 0.0, 0.0
		for i, s := range sigma {
			gamma += s / (s + t)
			ts := t + s
			sumM2 += s * x2[i] / (ts * ts)
			q := 1 + s/t
			sumRes += x2[i] / (q * q)
		}
		m2 = sumM2
		res2 = sumRes + resX2
		alpha = gamma / (m2 + logmeEpsilon)
		beta = (float64(n) - gamma) / (res2 + logmeEpsilon)
		if !(alpha > 0) || !(beta > 0) || math.IsInf(alpha, 0) || math.IsInf(beta, 0) {
			return 0, fmt.Errorf("evidence undefined: precision parameters α = %g, β = %g (degenerate features)", alpha, beta)
		}
		if math.Abs(alpha/beta-t)/t <= logmeRelTol {
			break
		}
	}
	sumLog := 0.0
	for _, s := range sigma {
		sumLog += math.Log(alpha + beta*s)
	}
	nf, df := float64(n), float64(d)
	evidence := df/2*math.Log(alpha) + nf/2*math.Log(beta) - 0.5*sumLog -
		beta/2*res2 - alpha/2*m2 - nf*halfLogTwoPi
	evidence /= nf
	if math.IsNaN(evidence) || math.IsInf(evidence, 0) {
		return 0, fmt.Errorf("evidence undefined (%v) with α = %g, β = %g", evidence, alpha, beta)
	}
	return evidence, nil
}

// checkFeaturesLabels checks the N×D features and their N class labels
// (checkLabels) of a label-based estimator and returns the number of
// classes.
func checkFeaturesLabels(features Matrix, labels []int) (int, error) {
	if err := features.check("features"); err != nil {
		return 0, err
	}
	return checkLabels(labels, features.Rows)
}

// checkLabels validates class labels for n samples and returns the number
// of classes C = max label + 1, the reference implementations' class count
// (thuml/LogME and the Model Spider release index arrays by label; classes
// without samples take part in LogME's mean). Labels index classes, so they
// are checked before anything sized by them is allocated: every label must
// satisfy 0 ≤ y < N (so C ≤ N), and N × C must be within
// Limits.MaxClassCells (LogME's one-hot targets are N × C).
func checkLabels(labels []int, n int) (int, error) {
	if len(labels) != n {
		return 0, fmt.Errorf("%d labels for %d samples", len(labels), n)
	}
	if n == 0 {
		return 0, fmt.Errorf("no samples")
	}
	maxLabel := 0
	for i, l := range labels {
		if l < 0 || l >= n {
			return 0, labelRangeError(int64(l), i, n)
		}
		maxLabel = max(maxLabel, l)
	}
	numClasses := maxLabel + 1
	if limit := CurrentLimits().MaxClassCells; int64(n) > limit/int64(numClasses) {
		return 0, fmt.Errorf("%d samples × %d classes (largest label %d + 1) exceeds the limit of %d class cells (--max-class-cells)",
			n, numClasses, maxLabel, limit)
	}
	return numClasses, nil
}

// labelRangeError reports a label outside 0 ≤ y < n.
func labelRangeError(label int64, sample, n int) error {
	return fmt.Errorf("label %d of sample %d is not a class index: labels must be 0 ≤ y < N = %d, the number of samples", label, sample, n)
}
