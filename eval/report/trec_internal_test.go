package report

import (
	"bytes"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/measure"
)

// cFloat prints as glibc's printf("%6.4f"): trec_eval's -nan for 0/0.
func TestCFloat(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{
		{0.5, "0.5000"}, {-287, "-287.0000"}, {0.00005, "0.0001"}, {0.000049, "0.0000"},
		{math.Float64frombits(0xFFF8000000000000), "  -nan"}, {math.NaN(), "   nan"},
		{math.Inf(1), "   inf"}, {math.Inf(-1), "  -inf"},
	} {
		assert.Equal(t, c.want, cFloat(c.v), "%v", c.v)
	}
}

// runid prints the last line's tag in the summary only, relstring its
// text per topic only; -n drops every `all` line.
func TestWriteTrecTextMeasures(t *testing.T) {
	q := &eval.Qrels{File: "q", Topics: []string{"1"}, ByID: map[string]*eval.TopicQrels{
		"1": {Topic: "1", Docs: []string{"a"}, Value: map[string]float64{"a": 1}}}}
	run := &eval.Run{File: "r", Tag: "first", LastTag: "last", Topics: []string{"1"}, ByID: map[string]*eval.Ranking{
		"1": {Topic: "1", Entries: []eval.Entry{{Doc: "x", Score: 2}, {Doc: "a", Score: 1}}}}}
	ms, err := measure.ParseAll([]string{"relstring", "runid", "map"})
	require.NoError(t, err)
	res := measure.Evaluate(q, run, measure.Config{Measures: ms})
	var b bytes.Buffer
	require.NoError(t, WriteTrec(&b, []*measure.Result{res}, EvalOptions{PerTopic: true}))
	assert.Equal(t, "map                   \t1\t0.5000\n"+
		"relstring             \t1\t'-1'\n"+
		"runid                 \tall\tlast\n"+
		"map                   \tall\t0.5000\n", b.String())
	b.Reset()
	require.NoError(t, WriteTrec(&b, []*measure.Result{res}, EvalOptions{PerTopic: true, NoSummary: true}))
	assert.Equal(t, "map                   \t1\t0.5000\n"+
		"relstring             \t1\t'-1'\n", b.String())
}
