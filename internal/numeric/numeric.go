// Package numeric holds the few numeric kernels that more than one package
// needs bit for bit. Every sum runs left to right in index order, and every
// product is wrapped in float64(...), which the Go specification defines as
// an explicit rounding, so the compiler cannot fuse it with the following
// addition into an FMA on architectures that have one: results, and the
// shipped runs computed from them, are then the same on every machine.
package numeric

import "math"

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

// SortableBits maps a float64 that is not NaN to a uint64 with the same
// order: flipping the sign bit of a positive value and every bit of a
// negative one turns the IEEE 754 order into the unsigned one. −0 and +0
// map alike, as cmp.Compare has them equal.
func SortableBits(f float64) uint64 {
	if f == 0 {
		f = 0
	}
	b := math.Float64bits(f)
	if b>>63 != 0 {
		return ^b
	}
	return b | 1<<63
}

// Argsort sets idx to the indices of x in cmp.Compare's ascending order
// (NaNs first), ties in index order: the order of a stable sort of
// 0…len(x)−1 by x. It is an LSD radix sort on SortableBits (NaN as 0), so
// it costs 8 passes over x instead of a comparison sort's log₂ n.
// idx, keys and tmpIdx, tmpKeys are scratch of len(x); on return idx (and
// keys, in the same order) hold the result.
func Argsort(x []float64, idx, tmpIdx []int32, keys, tmpKeys []uint64) {
	n := len(x)
	var counts [8][256]int32
	for i, v := range x {
		key := uint64(0)
		if v == v {
			key = SortableBits(v)
		}
		idx[i], keys[i] = int32(i), key
		for d := range 8 {
			counts[d][byte(key>>(8*d))]++
		}
	}
	if n == 0 {
		return
	}
	src, srcK, dst, dstK := idx, keys, tmpIdx, tmpKeys
	for d := range 8 {
		c := &counts[d]
		if c[byte(srcK[0]>>(8*d))] == int32(n) {
			continue // every key has this digit
		}
		pos := int32(0)
		for b := range c {
			c[b], pos = pos, pos+c[b]
		}
		for i, key := range srcK {
			b := byte(key >> (8 * d))
			dst[c[b]], dstK[c[b]] = src[i], key
			c[b]++
		}
		src, srcK, dst, dstK = dst, dstK, src, srcK
	}
	if &src[0] != &idx[0] {
		copy(idx, src)
		copy(keys, srcK)
	}
}
