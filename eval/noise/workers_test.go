package noise

import (
	"testing"

	"github.com/ntcir-pmr/mreval/internal/testtree"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A panic inside a draw's goroutine used to end the process with a raw
// stack; ComputeCeilings now returns it as an error naming the draw.
func TestCeilingsPanicInADrawIsAnError(t *testing.T) {
	q := testtree.ParseQrels(t, "tiny.qrels", "t1 0 a 90\nt1 0 b 80\n")
	in := Input{Qrels: q, Topics: []string{"t1"}, Noise: map[string]Perturbation{"t1": {Model: Gaussian, Sigma: 1}}}
	_, err := ComputeCeilings(in, Config{Measures: parseMeasures(t, "tauw"), Draws: 30, Workers: 1, Progress: func(done, _ int) {
		if done == 5 {
			panic("callback bug")
		}
	}})
	require.Error(t, err)
	assert.Equal(t, "internal error in parallel task 4: callback bug", err.Error())
}
