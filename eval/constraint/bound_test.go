package constraint

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBoundSpelling pins that the bound of a comparison is read with the
// number syntax of runs and qrels: Go's spellings (1_0 = 10, 0x1p27) and
// non-finite values used to be taken as numbers.
func TestBoundSpelling(t *testing.T) {
	table, err := ParseTable("models.tsv", []byte("model_id\tparams\tbase\nm\t100\tt5-base\n"))
	require.NoError(t, err)
	refused := map[string]string{
		"params<=1_0":    `constraint "params<=1_0": "params<=1_0" compares with <=, which needs a number`,
		"params<=0x1p27": `constraint "params<=0x1p27": "params<=0x1p27" compares with <=, which needs a number`,
		"params<=1e309":  `constraint "params<=1e309": "params<=1e309" compares with <=, which needs a finite number`,
		"params<inf":     `constraint "params<inf": "params<inf" compares with <, which needs a finite number`,
		"params>=-Inf":   `constraint "params>=-Inf": "params>=-Inf" compares with >=, which needs a finite number`,
		"params>nan":     `constraint "params>nan": "params>nan" compares with >, which needs a finite number`,
	}
	for expr, want := range refused {
		_, err := Parse(expr, table)
		assert.EqualError(t, err, want, expr)
	}
	// A plain decimal is a number; == and != compare anything else as text.
	for expr, feasible := range map[string]bool{
		"params<=1e2": true, "params<.99e2": false, "params==100.0": true, "base==t5-base": true, "params!=1_0": true,
	} {
		c, err := Parse(expr, table)
		require.NoError(t, err, expr)
		got, err := c.Feasible("m")
		require.NoError(t, err, expr)
		assert.Equal(t, feasible, got, expr)
	}
}
