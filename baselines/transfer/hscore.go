package transfer

import (
	"fmt"
	"math"
)

// pinvRcond is numpy.linalg.pinv's default relative cutoff: singular values
// at or below rcond·max(s) are treated as zero.
const pinvRcond = 1e-15

// pinvCutoff is the magnitude at or below which an eigenvalue counts as
// zero in a pseudo-inverse: pinvRcond times the largest |λ|, as numpy.
func pinvCutoff(values []float64) float64 {
	cutoff := 0.0
	for _, l := range values {
		cutoff = math.Max(cutoff, math.Abs(l))
	}
	return cutoff * pinvRcond
}

// HScore returns the H-score of features f (N×D) for class labels y:
//
//	H = tr(cov(f)⁺ · cov(E[f | y])),
//
// where cov is the sample covariance (divisor N−1), ⁺ the Moore–Penrose
// pseudo-inverse with numpy's cutoff 1e-15·max singular value, and
// E[f | y] replaces each sample's features by the mean features of its
// class. Since cov(E[f | y]) = Σ_c b_c·b_cᵀ with b_c = √(n_c/(N−1))·(μ_c − μ),
// H = Σ_i Σ_c (v_iᵀ·b_c)²/λ_i over the eigenpairs (λ_i, v_i) of cov(f)
// above the cutoff, so only the C projections are computed, not cov(f)⁺.
//
// Reference: Y. Bao, Y. Li, S.-L. Huang, L. Zhang, L. Zheng, A. Zamir,
// L. Guibas, "An Information-Theoretic Approach to Transferability in Task
// Transfer Learning", ICIP 2019; computed as mptms/H_Score.py of the Model
// Spider release (zhangyikaii/Model-Spider). Classes without samples are
// skipped, as there; constant features give cov(f)⁺ = 0 and H = 0.
func HScore(features Matrix, labels []int) (float64, error) {
	numClasses, err := checkFeaturesLabels(features, labels)
	if err != nil {
		return 0, err
	}
	n, d := features.Rows, features.Cols
	if n < 2 {
		return 0, fmt.Errorf("H-score undefined: the covariance needs at least 2 samples, got %d", n)
	}
	mean := columnMeans(features)
	classMean := NewMatrix(numClasses, d)
	counts := make([]int, numClasses)
	for i, y := range labels {
		counts[y]++
		cm := classMean.Row(y)
		for j, v := range features.Row(i) {
			cm[j] += v
		}
	}
	b := NewMatrix(d, numClasses)
	for c := 0; c < numClasses; c++ {
		if counts[c] == 0 {
			continue
		}
		w := math.Sqrt(float64(counts[c]) / float64(n-1))
		for j, s := range classMean.Row(c) {
			b.Data[j*numClasses+c] = w * (s/float64(counts[c]) - mean[j])
		}
	}
	cov := gramOfCols(centered(features, mean))
	for i := range cov {
		cov[i] /= float64(n - 1)
	}
	lambda, err := symEigenProjections(d, cov, numClasses, b.Data)
	if err != nil {
		return 0, fmt.Errorf("H-score: %w", err)
	}
	cutoff := pinvCutoff(lambda)
	score := 0.0
	for i, l := range lambda {
		if math.Abs(l) <= cutoff {
			continue
		}
		q := 0.0
		for _, p := range b.Data[i*numClasses : (i+1)*numClasses] {
			q += p * p
		}
		score += q / l
	}
	if math.IsNaN(score) || math.IsInf(score, 0) {
		return 0, fmt.Errorf("H-score undefined: %v", score)
	}
	return score, nil
}

// columnMeans returns the mean of each column of m.
func columnMeans(m Matrix) []float64 {
	mean := make([]float64, m.Cols)
	for i := 0; i < m.Rows; i++ {
		for j, v := range m.Row(i) {
			mean[j] += v
		}
	}
	for j := range mean {
		mean[j] /= float64(m.Rows)
	}
	return mean
}

// centered returns a copy of m with mean subtracted from every row.
func centered(m Matrix, mean []float64) Matrix {
	c := NewMatrix(m.Rows, m.Cols)
	for i := 0; i < m.Rows; i++ {
		cr := c.Row(i)
		for j, v := range m.Row(i) {
			cr[j] = v - mean[j]
		}
	}
	return c
}
