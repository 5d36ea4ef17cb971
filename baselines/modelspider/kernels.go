package modelspider

import (
	"math"

	"github.com/ntcir-pmr/mreval/internal/numeric"
)

// The numeric kernels of the ranker. They are written out by hand rather
// than taken from gonum's BLAS because the shipped run must be reproduced
// byte for byte: every sum runs left to right in a fixed order, and every
// product is wrapped in float64(...), which the Go specification defines as
// an explicit rounding, so the compiler cannot fuse it with the following
// addition into an FMA on architectures that have one. gonum is used in
// the tests as an independent check of these kernels.

// dot returns Σ a[i]·b[i], summed in index order (numeric.Dot).
func dot(a, b []float64) float64 { return numeric.Dot(a, b) }

// axpy sets y += alpha·x.
func axpy(alpha float64, x, y []float64) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += float64(alpha * v)
	}
}

// addTo sets y += x.
func addTo(y, x []float64) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += v
	}
}

// matVec sets out = W·x for W stored row-major with len(out) rows and
// len(x) columns.
func matVec(w []float64, x, out []float64) {
	n := len(x)
	for r := range out {
		out[r] = dot(w[r*n:(r+1)*n], x)
	}
}

// matVecAdd sets out += W·x + b (b may be nil).
func matVecAdd(w, b, x, out []float64) {
	n := len(x)
	for r := range out {
		s := dot(w[r*n:(r+1)*n], x)
		if b != nil {
			s += b[r]
		}
		out[r] += s
	}
}

// matTVecAdd sets out += Wᵀ·g for W stored row-major with len(g) rows and
// len(out) columns.
func matTVecAdd(w, g, out []float64) {
	n := len(out)
	for r, gr := range g {
		if gr == 0 {
			continue
		}
		axpy(gr, w[r*n:(r+1)*n], out)
	}
}

// outerAdd sets dW += g·xᵀ for dW stored row-major with len(g) rows and
// len(x) columns.
func outerAdd(dw, g, x []float64) {
	n := len(x)
	for r, gr := range g {
		if gr == 0 {
			continue
		}
		axpy(gr, x, dw[r*n:(r+1)*n])
	}
}

// allFinite reports whether no element of x is NaN or infinite.
func allFinite(x []float64) bool {
	for _, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}
