package numeric

import (
	"math"
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
