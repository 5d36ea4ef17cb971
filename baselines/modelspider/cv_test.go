package modelspider

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAddStandardised(t *testing.T) {
	tests := []struct {
		name string
		acc  []float64
		x    []float64
		w    float64
		want []float64
	}{
		// mean 2, population sd √(2/3)
		{"one member", []float64{0, 0, 0}, []float64{1, 2, 3}, 1, []float64{-1.224744871391589, 0, 1.224744871391589}},
		// scale and shift do not matter: 10x+5 standardises like x
		{"scale-free", []float64{1, 1, 1}, []float64{15, 25, 35}, 0.5, []float64{1 - 0.6123724356957945, 1, 1 + 0.6123724356957945}},
		{"constant member adds nothing", []float64{1, 2}, []float64{4, 4}, 0.5, []float64{1, 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			addStandardised(tc.acc, tc.x, tc.w)
			assert.InDeltaSlice(t, tc.want, tc.acc, 1e-12)
		})
	}
}

// TestCrossValidateEnsemble checks the ensemble against its members: an
// ensemble of one network repeated ranks exactly as that network, and an
// ensemble of two different networks differs from both on some topic.
func TestCrossValidateEnsemble(t *testing.T) {
	d := fakeRecycling(t, 5)
	opt := RecyclingOptions{Dim: 4, Train: TrainConfig{Steps: 20, LR: 0.02, LRMin: 0.001, DecayWeights: 1e-3, Weighting: Hyperbolic}}
	folds := Folds(d.Train, 3, 1)
	single, singlePer, err := CrossValidateRecycling(d, opt.WithSeed(3), folds)
	require.NoError(t, err)
	twice, twicePer, err := CrossValidateEnsemble(d, opt, folds, []uint64{3, 3})
	require.NoError(t, err)
	assert.InDelta(t, single.TauW, twice.TauW, 1e-12)
	assert.InDelta(t, single.Regret1, twice.Regret1, 1e-12)
	assert.InDelta(t, single.NDCG10, twice.NDCG10, 1e-12)
	require.Len(t, twicePer, len(d.Train))
	assert.Equal(t, singlePer, twicePer)

	_, other, err := CrossValidateRecycling(d, opt.WithSeed(4), folds)
	require.NoError(t, err)
	_, mixed, err := CrossValidateEnsemble(d, opt, folds, []uint64{3, 4})
	require.NoError(t, err)
	assert.NotEqual(t, singlePer, mixed)
	assert.NotEqual(t, other, mixed)

	_, _, err = CrossValidateEnsemble(d, opt, folds, nil)
	assert.ErrorContains(t, err, "no seeds")
}
