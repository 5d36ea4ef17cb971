package fennec

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval/zoo"
)

// TestRawFeaturesNumberSyntax pins that params and layers are read with the
// number syntax of runs and qrels: strconv.ParseFloat took 1_0 as 10.
func TestRawFeaturesNumberSyntax(t *testing.T) {
	base := zoo.Model{ID: "m", Params: "1e8", Layers: "12", BaseModel: "b", ModelType: "t"}
	logParams, layers, _, err := rawFeatures(base)
	require.NoError(t, err)
	assert.InDelta(t, 8.0, logParams, 1e-12) // log10(1e8)
	assert.Equal(t, 12.0, layers)
	for _, tc := range []struct{ params, layers, want string }{
		{"1_0", "12", `model "m": params "1_0" is not a positive number`},
		{"0x10", "12", `model "m": params "0x10" is not a positive number`},
		{"1e8", "inf", `model "m": layers "inf" is not a positive number`},
		{"1e8", "1_2", `model "m": layers "1_2" is not a positive number`},
	} {
		m := base
		m.Params, m.Layers = tc.params, tc.layers
		_, _, _, err := rawFeatures(m)
		assert.EqualError(t, err, tc.want)
	}
}
