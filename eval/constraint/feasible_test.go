package constraint

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/internal/testtree"
)

func TestFeasibleSet(t *testing.T) {
	tab, err := ParseTable("models.tsv", []byte(models))
	require.NoError(t, err)
	q := testtree.ParseQrels(t, "t.qrels", "t1 0 tiny/a 70\nt1 0 big/b 80\nt2 0 mid/c 60\n")
	run := testtree.ParseRun(t, "r.run", "t1 Q0 big/b 1 0.9 r\nt1 Q0 odd/d 2 0.5 r\nt2 Q0 tiny/a 1 0.3 r\n")
	tests := []struct {
		expr string
		runs []*eval.Run
		want map[string]bool
	}{
		// Judged and ranked models are resolved; others are not feasible.
		{"layers<=6", []*eval.Run{run}, map[string]bool{"tiny/a": true, "big/b": false, "mid/c": false, "odd/d": true, "unknown/x": false}},
		{"base_model!=t5-base", nil, map[string]bool{"tiny/a": true, "big/b": false, "mid/c": true, "odd/d": false}},
	}
	for _, tc := range tests {
		t.Run(tc.expr, func(t *testing.T) {
			c, err := Parse(tc.expr, tab)
			require.NoError(t, err)
			fits, err := c.FeasibleSet(q, tc.runs...)
			require.NoError(t, err)
			for model, want := range tc.want {
				assert.Equal(t, want, fits(model), model)
			}
		})
	}
}

func TestFeasibleSetErrors(t *testing.T) {
	tab, err := ParseTable("models.tsv", []byte(models))
	require.NoError(t, err)
	good := testtree.ParseQrels(t, "t.qrels", "t1 0 tiny/a 70\n")
	tests := []struct {
		name string
		expr string
		q    *eval.Qrels
		run  *eval.Run
		want string
	}{
		{"judged model not in table", "layers<=6", testtree.ParseQrels(t, "t.qrels", "t1 0 tiny/a 70\nt1 0 gone/z 1\n"), nil,
			`models.tsv: model "gone/z" is not in the models table (judged at t.qrels:2)`},
		{"ranked model not in table", "layers<=6", good, testtree.ParseRun(t, "r.run", "t1 Q0 tiny/a 1 2 r\nt1 Q0 gone/z 2 1 r\n"),
			`models.tsv: model "gone/z" is not in the models table (ranked at r.run:2)`},
		{"empty value compared", "params<=130e6", good, testtree.ParseRun(t, "r.run", "t1 Q0 odd/d 1 2 r\n"),
			`models.tsv:5: model "odd/d" has params = "", not a number (ranked at r.run:1)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse(tc.expr, tab)
			require.NoError(t, err)
			var runs []*eval.Run
			if tc.run != nil {
				runs = append(runs, tc.run)
			}
			_, err = c.FeasibleSet(tc.q, runs...)
			assert.EqualError(t, err, tc.want)
		})
	}
}
