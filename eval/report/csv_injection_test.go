package report

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval/measure"
	"github.com/ntcir-pmr/mreval/internal/testtree"
)

// A run tag or topic that a spreadsheet would take for a formula is written
// as text: the CSV cell starts with an apostrophe.
func TestWriteCSVNeutralisesFormulas(t *testing.T) {
	q := testtree.ParseQrels(t, "q", "@t1 0 d1 1\n")
	run := testtree.ParseRun(t, "r", "@t1 Q0 d1 1 0.5 =HYPERLINK(\"x\")\n")
	ms, err := measure.ParseAll([]string{"P.1"})
	require.NoError(t, err)
	res := measure.Evaluate(q, run, measure.Config{Measures: ms})
	var b bytes.Buffer
	require.NoError(t, WriteCSV(&b, []*measure.Result{res}, EvalOptions{PerTopic: true}))
	assert.Equal(t, "run,topic,measure,value\n"+
		`"'=HYPERLINK(""x"")",'@t1,P_1,1`+"\n"+
		`"'=HYPERLINK(""x"")",all,P_1,1`+"\n", b.String())
}
