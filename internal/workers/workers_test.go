package workers

import (
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunCallsEveryTaskOnce(t *testing.T) {
	for _, n := range []int{0, 1, 3, 100} {
		for _, tasks := range []int{0, 1, 7, 1000} {
			calls := make([]atomic.Int32, tasks)
			var maxWorker atomic.Int64
			err := Run(tasks, n, func(w, task int) error {
				calls[task].Add(1)
				if int64(w) > maxWorker.Load() {
					maxWorker.Store(int64(w))
				}
				return nil
			})
			require.NoError(t, err)
			for i := range calls {
				require.Equal(t, int32(1), calls[i].Load(), "task %d of %d on %d workers", i, tasks, n)
			}
			assert.Less(t, int(maxWorker.Load()), Count(n, tasks))
		}
	}
}

func TestCount(t *testing.T) {
	assert.Equal(t, 1, Count(4, 0))
	assert.Equal(t, 3, Count(4, 3))
	assert.Equal(t, 4, Count(4, 10))
	assert.Equal(t, min(runtime.GOMAXPROCS(0), 10), Count(0, 10))
	assert.Equal(t, min(runtime.GOMAXPROCS(0), 10), Count(-2, 10))
}

// Tasks 30 and 70 fail; whatever the scheduling, Run returns task 30's
// error, and stops starting tasks soon after a failure.
func TestRunReturnsTheLowestFailingTask(t *testing.T) {
	for trial := 0; trial < 50; trial++ {
		var started atomic.Int32
		err := Run(10_000, 4, func(_, task int) error {
			started.Add(1)
			if task == 30 || task == 70 {
				return fmt.Errorf("task %d failed", task)
			}
			return nil
		})
		require.EqualError(t, err, "task 30 failed")
		assert.Less(t, int(started.Load()), 10_000, "no task is started after a failure is seen")
	}
}

func TestRunRecoversPanics(t *testing.T) {
	err := Run(10, 3, func(_, task int) error {
		if task == 4 {
			var m map[string]int
			m["x"] = 1 // a nil-map write: a runtime panic
		}
		return nil
	})
	var pe *PanicError
	require.True(t, errors.As(err, &pe), "%v", err)
	assert.Equal(t, 4, pe.Task)
	assert.Equal(t, "internal error in parallel task 4: assignment to entry in nil map", err.Error())
	assert.Contains(t, string(pe.Stack), "workers_test.go")
}

// Do raises a task's panic again in the caller's goroutine, where a
// recover (the CLI's) can catch it.
func TestDoPanicsInTheCallersGoroutine(t *testing.T) {
	var got any
	func() {
		defer func() { got = recover() }()
		Do(8, 2, func(_, task int) {
			if task == 5 {
				panic("boom")
			}
		})
	}()
	pe, ok := got.(*PanicError)
	require.True(t, ok, "%v", got)
	assert.Equal(t, 5, pe.Task)
	assert.Equal(t, "boom", pe.Value)
	sum := atomic.Int64{}
	Do(100, 0, func(_, task int) { sum.Add(int64(task)) })
	assert.Equal(t, int64(4950), sum.Load())
}
