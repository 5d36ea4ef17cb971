package transfer

import (
	"fmt"
	"math"
	"slices"
)

// NCE returns the Negative Conditional Entropy −H(Y | Z) of the target
// labels y_i given the source labels z_i, both class indices, from their
// empirical joint distribution P̂(y, z) = #{i: y_i = y, z_i = z}/N:
//
//	NCE = Σ_z P̂(z)·Σ_y P̂(y | z)·log P̂(y | z),
//
// with 0·log 0 = 0; source classes that never occur do not contribute.
//
// Reference: A. T. Tran, C. V. Nguyen, T. Hassner, "Transferability and
// Hardness of Supervised Classification Tasks", ICCV 2019; computed as in
// thuml/LogME's NCE.py.
//
// Both label vectors are class indices checked as checkLabels does
// (0 ≤ label < N).
func NCE(sourceLabels, labels []int) (float64, error) {
	numSource, err := checkLabels(sourceLabels, len(sourceLabels))
	if err != nil {
		return 0, fmt.Errorf("source labels: %w", err)
	}
	return nce(sourceLabels, numSource, labels)
}

// nce computes NCE for source labels in 0..numSource−1.
func nce(sourceLabels []int, numSource int, labels []int) (float64, error) {
	numClasses, err := checkLabels(labels, len(sourceLabels))
	if err != nil {
		return 0, err
	}
	n := float64(len(labels))
	joint := NewMatrix(numSource, numClasses) // indexed [z][y]
	for i, y := range labels {
		joint.Data[sourceLabels[i]*numClasses+y] += 1 / n
	}
	score := 0.0
	for z := 0; z < numSource; z++ {
		row := joint.Row(z)
		pz := 0.0
		for _, v := range row {
			pz += v
		}
		if pz == 0 {
			continue
		}
		h := 0.0
		for _, v := range row {
			if v > 0 {
				p := v / pz
				h -= p * math.Log(p)
			}
		}
		score -= h * pz
	}
	return score, nil
}

// NCEFromProbs returns NCE with the source label of each sample taken as the
// argmax of the source head's probabilities (the first maximum on ties, as
// numpy's argmax).
func NCEFromProbs(probs Matrix, labels []int) (float64, error) {
	if err := checkProbs(probs); err != nil {
		return 0, err
	}
	// The source labels index the Cs columns of probs, not the samples, so
	// they are bounded by the probabilities' own size rather than by N.
	source := argmaxRows(probs)
	return nce(source, slices.Max(source)+1, labels)
}

func argmaxRows(m Matrix) []int {
	out := make([]int, m.Rows)
	for i := 0; i < m.Rows; i++ {
		best := 0
		row := m.Row(i)
		for j, v := range row {
			if v > row[best] {
				best = j
			}
		}
		out[i] = best
	}
	return out
}
