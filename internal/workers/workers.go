// Package workers runs a numbered set of tasks on a few goroutines. It is
// the one place where the kit starts worker goroutines, so that a failing
// task — an error, or a panic that is a bug — reaches the user as an
// error from the calling goroutine: a panic left in a worker goroutine
// would end the process with a raw stack trace, past every recover of the
// command.
package workers

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// PanicError is a panic recovered in a task: a bug in the kit, not in the
// input, reported with the task it happened in.
type PanicError struct {
	Task  int
	Value any
	// Stack is the stack of the panicking goroutine, for a bug report.
	Stack []byte
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("internal error in parallel task %d: %v", e.Task, e.Value)
}

// Count is the number of goroutines for n requested (≤ 0: GOMAXPROCS)
// and tasks tasks: never more than there are tasks, at least 1.
func Count(n, tasks int) int {
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	return max(1, min(n, tasks))
}

// Run calls fn(worker, task) for every task in [0, tasks) on Count(workers,
// tasks) goroutines, which take the tasks in increasing order; worker
// (0 ≤ worker < Count) lets a caller keep scratch space per goroutine.
// Callers keep results per task, so the outcome does not depend on which
// goroutine ran which task.
//
// Once a task fails — returns an error or panics — no further task is
// started; Run waits for the running ones and returns the error of the
// lowest-numbered failed task (a panic as a *PanicError). That error does
// not depend on scheduling: tasks start in order, so every task below one
// that started has started too, and the lowest failing task always runs.
func Run(tasks, workers int, fn func(worker, task int) error) error {
	n := Count(workers, tasks)
	if n == 1 {
		for t := range tasks {
			if err := call(fn, 0, t); err != nil {
				return err
			}
		}
		return nil
	}
	var (
		next    atomic.Int64
		stop    atomic.Bool
		mu      sync.Mutex
		first   = -1
		firstEr error
		wg      sync.WaitGroup
	)
	fail := func(task int, err error) {
		stop.Store(true)
		mu.Lock()
		defer mu.Unlock()
		if first < 0 || task < first {
			first, firstEr = task, err
		}
	}
	for w := range n {
		wg.Go(func() {
			for !stop.Load() {
				t := int(next.Add(1) - 1)
				if t >= tasks {
					return
				}
				if err := call(fn, w, t); err != nil {
					fail(t, err)
				}
			}
		})
	}
	wg.Wait()
	return firstEr
}

// Do is Run for tasks that cannot fail but by a bug: a panic in a task is
// raised again, as a *PanicError, in the goroutine that called Do, where
// the command's recover reports it as an internal error.
func Do(tasks, workers int, fn func(worker, task int)) {
	err := Run(tasks, workers, func(w, t int) error {
		fn(w, t)
		return nil
	})
	if err != nil {
		panic(err)
	}
}

// call runs one task, turning a panic into a *PanicError.
func call(fn func(worker, task int) error, w, t int) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Task: t, Value: r, Stack: debug.Stack()}
		}
	}()
	return fn(w, t)
}
