package stats

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A panic in a parallel task used to end the process from its worker
// goroutine; parallelFor returns it as an error naming the task, and the
// statistics pass it on.
func TestParallelForPanicIsAnError(t *testing.T) {
	err := parallelFor(6, 3, func(_, task int) {
		if task == 2 {
			panic("stats bug")
		}
	})
	require.Error(t, err)
	assert.Equal(t, "internal error in parallel task 2: stats bug", err.Error())

	_, err = MeanIntervals([][]float64{{1, 2, 3}, {2, 3, 4}}, 0.95, BootstrapOptions{Resamples: 10, Workers: 2,
		Progress: func(done, total int) {
			if done > 0 {
				panic("progress callback bug")
			}
		}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "progress callback bug")
}
