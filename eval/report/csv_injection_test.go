package report

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval/measure"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
)

// A run tag or topic that a spreadsheet would take for a formula is written
// as text: the CSV cell starts with an apostrophe.
func TestWriteCSVNeutralisesFormulas(t *testing.T) {
	src := func(name, text string) *trecfmt.Source {
		s, err := trecfmt.NewSource(name, io.NopCloser(strings.NewReader(text)), trecfmt.DefaultLimits)
		require.NoError(t, err)
		return s
	}
	q, err := trecfmt.ReadQrels(src("q", "@t1 0 d1 1\n"), trecfmt.DefaultLimits)
	require.NoError(t, err)
	run, err := trecfmt.ReadRun(src("r", "@t1 Q0 d1 1 0.5 =HYPERLINK(\"x\")\n"), trecfmt.DefaultLimits)
	require.NoError(t, err)
	ms, err := measure.ParseAll([]string{"P.1"})
	require.NoError(t, err)
	res := measure.Evaluate(q, run, measure.Config{Measures: ms})
	var b bytes.Buffer
	require.NoError(t, WriteCSV(&b, []*measure.Result{res}, EvalOptions{PerTopic: true}))
	assert.Equal(t, "run,topic,measure,value\n"+
		`"'=HYPERLINK(""x"")",'@t1,P_1,1`+"\n"+
		`"'=HYPERLINK(""x"")",all,P_1,1`+"\n", b.String())
}
