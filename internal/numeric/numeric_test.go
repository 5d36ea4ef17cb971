package numeric

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDot(t *testing.T) {
	tests := []struct {
		name string
		a, b []float64
		want float64
	}{
		{"empty", nil, nil, 0},
		{"hand computed", []float64{1, 2, 3}, []float64{4, -5, 6}, 4 - 10 + 18},
		{"b longer: only len(a) terms", []float64{2}, []float64{3, 100}, 6},
		// 0.1·0.1 rounds to 0.010000000000000002; added to −0.01 it leaves
		// 1.7347234759768072e-18; a fused multiply-add would keep the exact
		// product and give another value.
		{"products are rounded before the sum", []float64{0.1, -0.01}, []float64{0.1, 1}, 1.7347234759768072e-18},
		// Index order: (1e16 + 1) − 1e16 = 0 in float64, not 1.
		{"summed in index order", []float64{1e16, 1, -1e16}, []float64{1, 1, 1}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Dot(tc.a, tc.b))
		})
	}
	assert.Panics(t, func() { Dot([]float64{1, 2}, []float64{1}) })
}

func TestMean(t *testing.T) {
	assert.Equal(t, 2.0, Mean([]float64{1, 2, 3}))
	assert.Equal(t, -0.5, Mean([]float64{-1, 0}))
	// Index order: (1e16 + 1 + 1) / 3 sums 1e16 + 1 = 1e16 first.
	assert.Equal(t, 1e16/3, Mean([]float64{1e16, 1, 1}))
	assert.True(t, math.IsNaN(Mean(nil)))
}

func TestArgsort(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name string
		x    []float64
		want []int32
	}{
		{"empty", nil, []int32{}},
		{"one", []float64{3}, []int32{0}},
		{"ascending, ties in index order", []float64{2, 1, 2, 1, 0}, []int32{4, 1, 3, 0, 2}},
		{"negatives below positives", []float64{1.5, -1.5, 0.25, -0.25}, []int32{1, 3, 2, 0}},
		{"−0 and +0 tie", []float64{0, math.Copysign(0, -1), -1e-300}, []int32{2, 0, 1}},
		{"NaNs first, as cmp.Compare has them", []float64{1, nan, -inf, nan, inf}, []int32{1, 3, 2, 0, 4}},
		{"every byte of the keys counts", []float64{1 + 1e-15, 1, 1 + 2e-16, 1e300, 1e-300}, []int32{4, 1, 2, 0, 3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := len(tc.x)
			idx := make([]int32, n)
			Argsort(tc.x, idx, make([]int32, n), make([]uint64, n), make([]uint64, n))
			assert.Equal(t, tc.want, idx)
		})
	}
}

// TestArgsortAgreesWithStableSort compares with slices.SortStableFunc by
// cmp.Compare on values with many ties and every sign.
func TestArgsortAgreesWithStableSort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{2, 7, 100, 1266} {
		x := make([]float64, n)
		for i := range x {
			x[i] = float64(r.IntN(21)-10) / 4 // 21 values: ties everywhere
			if r.IntN(5) == 0 {
				x[i] = r.NormFloat64() * math.Pow(10, float64(r.IntN(40)-20))
			}
		}
		want := make([]int32, n)
		for i := range want {
			want[i] = int32(i)
		}
		slices.SortStableFunc(want, func(a, b int32) int { return cmp.Compare(x[a], x[b]) })
		idx, keys := make([]int32, n), make([]uint64, n)
		Argsort(x, idx, make([]int32, n), keys, make([]uint64, n))
		assert.Equal(t, want, idx, "n = %d", n)
		for i := 1; i < n; i++ {
			assert.LessOrEqual(t, keys[i-1], keys[i], "keys come back in the order of idx")
		}
	}
}
