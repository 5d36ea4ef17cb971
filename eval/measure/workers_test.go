package measure

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/internal/workers"
)

// A measure that panics in a worker goroutine used to end the process
// with a raw stack (q_-1 did, before the parameter domains). Evaluate now
// raises it in the caller's goroutine, as a *workers.PanicError the
// command's recover reports.
func TestEvaluatePanicReachesTheCaller(t *testing.T) {
	q, run := fuzzTopic()
	boom := &Measure{Names: []string{"boom"}, Family: &Family{Name: "boom", Calc: func(t *Topic, _ []float64, out []float64) {
		if t.ID == "B" {
			panic("measure bug")
		}
		out[0] = 1
	}}}
	var got any
	func() {
		defer func() { got = recover() }()
		Evaluate(q, run, Config{Measures: []*Measure{boom}, Workers: 2})
	}()
	pe, ok := got.(*workers.PanicError)
	require.True(t, ok, "%v", got)
	assert.Equal(t, 1, pe.Task, "topic B is the second topic")
	assert.Equal(t, "internal error in parallel task 1: measure bug", pe.Error())
}
