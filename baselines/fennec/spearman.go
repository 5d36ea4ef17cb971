package fennec

import (
	"fmt"
	"math"

	"github.com/ntcir-pmr/mreval/internal/numeric"
)

// rankCorrelator computes Spearman's ρ of many vectors x against one
// vector y: bit for bit the value of metadata.Spearman(x, y) (the tests
// check it), with y's ranks computed once and a radix sort
// (numeric.Argsort) in place of the comparison sort — cross-validation
// scores 64 predictions per held-out topic, and ranking dominated its
// cost.
type rankCorrelator struct {
	ry            []float64
	my, syy       float64
	idx, tmpIdx   []int32
	keys, tmpKeys []uint64
	rx            []float64
}

func newRankCorrelator(y []float64) (*rankCorrelator, error) {
	if len(y) < 2 {
		return nil, fmt.Errorf("spearman: undefined for %d values", len(y))
	}
	n := len(y)
	rc := &rankCorrelator{idx: make([]int32, n), tmpIdx: make([]int32, n),
		keys: make([]uint64, n), tmpKeys: make([]uint64, n), rx: make([]float64, n)}
	rc.ry = make([]float64, len(y))
	rc.ranks(y, rc.ry)
	for _, r := range rc.ry {
		rc.my += r
	}
	rc.my /= float64(len(y))
	for _, r := range rc.ry {
		d := r - rc.my
		rc.syy += float64(d * d)
	}
	if rc.syy == 0 {
		return nil, fmt.Errorf("spearman: undefined because a vector is constant")
	}
	return rc, nil
}

// ranks writes the 1-based ascending ranks of x to out, ties sharing the
// mean of the ranks they span.
func (rc *rankCorrelator) ranks(x, out []float64) {
	numeric.Argsort(x, rc.idx, rc.tmpIdx, rc.keys, rc.tmpKeys)
	idx := rc.idx
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && x[idx[j+1]] == x[idx[i]] {
			j++
		}
		avg := float64(i+j)/2 + 1
		for p := i; p <= j; p++ {
			out[idx[p]] = avg
		}
		i = j + 1
	}
}

// rho returns Spearman's ρ of x and y; a constant x is an error.
func (rc *rankCorrelator) rho(x []float64) (float64, error) {
	if len(x) != len(rc.ry) {
		return 0, fmt.Errorf("spearman: vectors of lengths %d and %d", len(x), len(rc.ry))
	}
	rc.ranks(x, rc.rx)
	mx := 0.0
	for _, r := range rc.rx {
		mx += r
	}
	mx /= float64(len(x))
	var sxy, sxx float64
	for i, r := range rc.rx {
		dx, dy := r-mx, rc.ry[i]-rc.my
		sxy += float64(dx * dy)
		sxx += float64(dx * dx)
	}
	if sxx == 0 {
		return 0, fmt.Errorf("spearman: undefined because a vector is constant")
	}
	return sxy / math.Sqrt(float64(sxx*rc.syy)), nil
}
