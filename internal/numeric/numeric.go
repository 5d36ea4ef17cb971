// Package numeric holds the few numeric kernels that more than one package
// needs bit for bit. Every sum runs left to right in index order, and every
// product is wrapped in float64(...), which the Go specification defines as
// an explicit rounding, so the compiler cannot fuse it with the following
// addition into an FMA on architectures that have one: results, and the
// shipped runs computed from them, are then the same on every machine.
package numeric

// Dot returns Σ a[i]·b[i] over the indices of a, summed in index order,
// each product rounded before it is added. b must be at least as long as
// a.
func Dot(a, b []float64) float64 {
	b = b[:len(a)]
	var s float64
	for i, x := range a {
		s += float64(x * b[i])
	}
	return s
}

// Mean returns (Σ x[i]) / len(x), summed in index order; NaN for an empty
// x.
func Mean(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}
