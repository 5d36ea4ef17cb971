package noise

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPerturbations(t *testing.T) {
	s, err := ParseSeeds("seeds.tsv", []byte(table))
	require.NoError(t, err)
	tests := []struct {
		name    string
		topics  []string
		model   Model
		want    map[string]Perturbation
		wantErr string
	}{
		{"empirical", []string{"cb"}, Empirical,
			map[string]Perturbation{"cb": {Model: Empirical, Residuals: []float64{-2, 0, 2, 0, 0, -30}}}, ""},
		{"gaussian", []string{"cb"}, Gaussian,
			map[string]Perturbation{"cb": {Model: Gaussian, Sigma: math.Sqrt(608.0 / 4)}}, ""},
		{"no topics", nil, Gaussian, map[string]Perturbation{}, ""},
		{"unseeded topics named together", []string{"wsc", "cb", "boolq"}, GaussianMAD, nil,
			"no seed runs for 2 of the topics: wsc, boolq"},
		{"a topic without two runs of one base", []string{"cb", "rte"}, Empirical, nil,
			"topic rte: no base model has two seed runs, so its fine-tuning noise is unknown"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Perturbations(tc.topics, tc.model)
			if tc.wantErr != "" {
				assert.EqualError(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestSigmas(t *testing.T) {
	s, err := ParseSeeds("seeds.tsv", []byte(table))
	require.NoError(t, err)
	_, err = s.Sigmas()
	assert.EqualError(t, err, "topic rte has fewer than two seed runs per base model")

	s, err = ParseSeeds("seeds.tsv", []byte("topic\tbase_model\tseed\tvalue\n"+
		"cb\tA\t0\t80\n"+"cb\tA\t1\t82\n"+"cb\tA\t2\t84\n"+
		"rte\tA\t0\t50\n"+"rte\tA\t1\t54\n"))
	require.NoError(t, err)
	got, err := s.Sigmas()
	require.NoError(t, err)
	// cb: SS 8 over 2 df → 2; rte: SS 8 over 1 df → √8.
	assert.InDeltaMapValues(t, map[string]float64{"cb": 2, "rte": math.Sqrt(8)}, got, 1e-12)
}
