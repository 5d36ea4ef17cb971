package modelspider

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/internal/workers"
)

// A panic in a parallel job used to end the process from its goroutine;
// parallel raises it in the caller's goroutine, where the command's
// recover reports it as an internal error.
func TestParallelPanicReachesTheCaller(t *testing.T) {
	var got any
	func() {
		defer func() { got = recover() }()
		parallel(16, func(j int) {
			if j == 9 {
				panic("engine bug")
			}
		})
	}()
	pe, ok := got.(*workers.PanicError)
	require.True(t, ok, "%v", got)
	assert.Equal(t, "internal error in parallel task 9: engine bug", pe.Error())
	// Without a panic every index is covered exactly once.
	covered := make([]int, 100)
	parallelRanges(100, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			covered[i]++
		}
	})
	for i, c := range covered {
		require.Equal(t, 1, c, "index %d", i)
	}
}
