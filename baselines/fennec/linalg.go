package fennec

import (
	"fmt"
	"math"

	"github.com/ntcir-pmr/mreval/internal/numeric"
)

// The linear algebra of the package is small and hand-written so that every
// sum runs in a fixed order and every product is rounded before it is added
// (explicit float64 conversions stop the compiler from fusing x*y+z into an
// FMA): the shipped run is then byte-identical on every machine.

// dot returns Σ_i a_i·b_i, summed in index order (numeric.Dot).
func dot(a, b []float64) float64 { return numeric.Dot(a, b) }

// cholesky factors the symmetric positive definite n×n matrix a (row-major;
// only the lower triangle is read) as L·Lᵀ and returns L (row-major, upper
// triangle zero). It fails when a is not numerically positive definite.
func cholesky(a []float64, n int) ([]float64, error) {
	l := make([]float64, n*n)
	for j := 0; j < n; j++ {
		d := a[j*n+j]
		for k := 0; k < j; k++ {
			d -= float64(l[j*n+k] * l[j*n+k])
		}
		if !(d > 0) || math.IsInf(d, 0) {
			return nil, fmt.Errorf("matrix is not positive definite (pivot %d is %g)", j, d)
		}
		ljj := math.Sqrt(d)
		l[j*n+j] = ljj
		for i := j + 1; i < n; i++ {
			s := a[i*n+j]
			for k := 0; k < j; k++ {
				s -= float64(l[i*n+k] * l[j*n+k])
			}
			l[i*n+j] = s / ljj
		}
	}
	return l, nil
}

// cholSolve overwrites b with the solution x of L·Lᵀ·x = b.
func cholSolve(l []float64, n int, b []float64) {
	for i := 0; i < n; i++ {
		s := b[i]
		for k := 0; k < i; k++ {
			s -= float64(l[i*n+k] * b[k])
		}
		b[i] = s / l[i*n+i]
	}
	for i := n - 1; i >= 0; i-- {
		s := b[i]
		for k := i + 1; k < n; k++ {
			s -= float64(l[k*n+i] * b[k])
		}
		b[i] = s / l[i*n+i]
	}
}
