package constraint

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const models = "model_id\tbase_model\tparams\tlayers\n" +
	"tiny/a\tbert-base-uncased\t66e6\t6\n" +
	"big/b\tt5-base\t220000000.0\t12\n" +
	"mid/c\troberta-base\t124647170.0\t12.0\n" +
	"odd/d\troberta-base\t\t6\n"

func TestFeasible(t *testing.T) {
	tab, err := ParseTable("models.tsv", []byte(models))
	require.NoError(t, err)
	tests := []struct {
		expr string
		want map[string]bool
	}{
		{"params<=130e6", map[string]bool{"tiny/a": true, "big/b": false, "mid/c": true}},
		{"layers<=6", map[string]bool{"tiny/a": true, "big/b": false, "mid/c": false, "odd/d": true}},
		{"base_model!=t5-base", map[string]bool{"tiny/a": true, "big/b": false, "mid/c": true, "odd/d": true}},
		{"params<=130e6, layers>6", map[string]bool{"tiny/a": false, "big/b": false, "mid/c": true}},
		{"layers==12", map[string]bool{"big/b": true, "mid/c": true, "tiny/a": false}},
		{"base_model=roberta-base", map[string]bool{"mid/c": true, "tiny/a": false}},
		{"params>1e8", map[string]bool{"big/b": true, "mid/c": true, "tiny/a": false}},
	}
	for _, tc := range tests {
		t.Run(tc.expr, func(t *testing.T) {
			c, err := Parse(tc.expr, tab)
			require.NoError(t, err)
			for model, want := range tc.want {
				got, err := c.Feasible(model)
				require.NoError(t, err)
				assert.Equal(t, want, got, model)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	tab, err := ParseTable("models.tsv", []byte(models))
	require.NoError(t, err)
	for expr, want := range map[string]string{
		"size<=1":          `constraint "size<=1": unknown column "size"; models.tsv has: model_id, base_model, params, layers`,
		"params":           `constraint "params": "params" has no comparison (use <=, >=, <, >, ==, !=)`,
		"params<=":         `constraint "params<=": "params<=" needs a column and a value, e.g. params<=130e6`,
		"base_model<=bert": `constraint "base_model<=bert": "base_model<=bert" compares with <=, which needs a number`,
		"layers<=6,":       `constraint "layers<=6,": empty condition (conditions are joined by ',')`,
	} {
		_, err := Parse(expr, tab)
		assert.EqualError(t, err, want)
	}
	c, err := Parse("params<=130e6", tab)
	require.NoError(t, err)
	_, err = c.Feasible("odd/d")
	assert.EqualError(t, err, `models.tsv:5: model "odd/d" has params = "", not a number`)
	_, err = c.Feasible("nobody/x")
	assert.EqualError(t, err, `models.tsv: model "nobody/x" is not in the models table`)

	// Values of the table follow the number syntax of runs and qrels
	// (trecfmt.ParseNumber): Go's 1_000 and hexadecimal are not numbers.
	spelled, err := ParseTable("m.tsv", []byte("model_id\tparams\nu\t1_000\nh\t0x10\ni\tinf\nok\t.5e3\n"))
	require.NoError(t, err)
	c, err = Parse("params<=2000", spelled)
	require.NoError(t, err)
	for model, line := range map[string]int{"u": 2, "h": 3, "i": 4} {
		_, err = c.Feasible(model)
		assert.EqualError(t, err, fmt.Sprintf(`m.tsv:%d: model %q has params = %q, not a number`, line, model, spelled.rows[model][1]))
	}
	feasible, err := c.Feasible("ok")
	require.NoError(t, err)
	assert.True(t, feasible)

	_, err = ParseTable("m.tsv", []byte("model_id\tx\na\t1\na\t2\n"))
	assert.EqualError(t, err, `m.tsv:3: model "a" is listed twice (lines 2 and 3)`)
	_, err = ParseTable("m.tsv", []byte("model_id\tx\na\t1\t2\n"))
	assert.EqualError(t, err, "m.tsv:2: expected 2 tab-separated fields, found 3")
}
