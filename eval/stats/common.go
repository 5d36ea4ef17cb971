package stats

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"

	"github.com/ntcir-pmr/mreval/internal/workers"
)

// ErrUndefined is wrapped by every error reporting that a statistic does not
// exist for the given data (as opposed to malformed input). Test with
// errors.Is(err, ErrUndefined); the error text gives the reason.
var ErrUndefined = errors.New("undefined")

// DefaultResamples is the number of bootstrap resamples, random sign flips or
// random permutations used when an options struct leaves the count at zero.
const DefaultResamples = 10000

func undefinedf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrUndefined, fmt.Sprintf(format, args...))
}

// checkFinite rejects NaN and ±Inf in a slice given to a slice function.
func checkFinite(name string, x []float64) error {
	for i, v := range x {
		if math.IsNaN(v) {
			return fmt.Errorf("%s[%d] is NaN: remove undefined topics first (see CompletePairs, CompleteTopics)", name, i)
		}
		if math.IsInf(v, 0) {
			return fmt.Errorf("%s[%d] is %v: scores must be finite", name, i, v)
		}
	}
	return nil
}

// checkMatrix validates scores[run][topic]: at least one run, at least one
// topic, rectangular, finite or NaN.
func checkMatrix(scores [][]float64) (runs, topics int, err error) {
	if len(scores) == 0 {
		return 0, 0, errors.New("score matrix has no runs")
	}
	topics = len(scores[0])
	if topics == 0 {
		return 0, 0, errors.New("score matrix has no topics")
	}
	for r, row := range scores {
		if len(row) != topics {
			return 0, 0, fmt.Errorf("score matrix is ragged: run %d has %d topics, run 0 has %d", r, len(row), topics)
		}
		for t, v := range row {
			if math.IsInf(v, 0) {
				return 0, 0, fmt.Errorf("scores[%d][%d] is %v: only NaN may mark an undefined cell", r, t, v)
			}
		}
	}
	return len(scores), topics, nil
}

func checkLevel(level float64) error {
	if !(level > 0 && level < 1) {
		return fmt.Errorf("confidence level %v is not in (0, 1)", level)
	}
	return nil
}

func resolveResamples(what string, b int) (int, error) {
	switch {
	case b == 0:
		return DefaultResamples, nil
	case b < 0:
		return 0, fmt.Errorf("number of %s is %d; it must be positive (0 selects %d)", what, b, DefaultResamples)
	}
	return b, nil
}

func resolveWorkers(w int) (int, error) {
	switch {
	case w == 0:
		return runtime.GOMAXPROCS(0), nil
	case w < 0:
		return 0, fmt.Errorf("number of workers is %d; it must be positive (0 selects GOMAXPROCS)", w)
	}
	return w, nil
}

// mean returns x̄ computed as x₀ + Σ(xᵢ − x₀)/n. Shifting by a data value
// makes constant data give back exactly their value (0.1 ten times gives 0.1,
// not 0.09999999999999999), so intervals on constant data collapse exactly.
func mean(x []float64) float64 {
	x0 := x[0]
	var s float64
	for _, v := range x {
		s += v - x0
	}
	return x0 + s/float64(len(x))
}

// sampleSD returns the sample standard deviation s = √(Σ(xᵢ − x̄)²/(n − 1))
// by the corrected two-pass algorithm (Chan, Golub & LeVeque 1983, eq. 1.7),
// which subtracts the rounding error of x̄ from the sum of squares. n ≥ 2.
func sampleSD(x []float64, xbar float64) float64 {
	var ss, comp float64
	for _, v := range x {
		d := v - xbar
		ss += float64(d * d)
		comp += d
	}
	n := float64(len(x))
	ss -= float64(comp*comp) / n
	if ss < 0 {
		ss = 0
	}
	return math.Sqrt(ss / (n - 1))
}

// negligible reports whether a spread (a standard deviation, a difference of
// sums) is within the rounding error that computing it from n values of
// magnitude at most scale can produce: 4·n·ε·scale, ε = 2⁻⁵² (Higham 2002,
// §4.2: recursive summation of n terms errs by at most (n − 1)·u·Σ|xᵢ|).
// Such a spread is treated as exactly zero.
func negligible(spread, scale float64, n int) bool {
	return math.Abs(spread) <= roundingBound(scale, n)
}

func roundingBound(scale float64, n int) float64 {
	return 4 * float64(n) * 0x1p-52 * scale
}

func maxAbs(x []float64) float64 {
	var m float64
	for _, v := range x {
		m = max(m, math.Abs(v))
	}
	return m
}

// splitmix64 is Steele, Lea & Flood's (2014) 64-bit finaliser; it is a
// bijection, used to spread (seed, stream) over the PCG state.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// streamState returns the PCG seed of stream number stream under seed.
// Distinct (seed, stream) pairs give distinct states: the high word fixes
// seed and, given seed, the low word fixes stream (0x9e37…15 is odd).
func streamState(seed, stream uint64) (hi, lo uint64) {
	return splitmix64(seed), splitmix64(seed + (stream+1)*0x9e3779b97f4a7c15)
}

func newStream(seed, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(streamState(seed, stream)))
}

// progress serialises calls of a user callback made from several workers;
// done only grows and the last call has done == total.
type progress struct {
	mu    sync.Mutex
	fn    func(done, total int)
	done  int
	total int
}

func newProgress(fn func(done, total int), total int) *progress {
	p := &progress{fn: fn, total: total}
	if fn != nil {
		fn(0, total)
	}
	return p
}

func (p *progress) add(n int) {
	if p == nil || p.fn == nil || n == 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += n
	p.fn(p.done, p.total)
}

// parallelFor calls fn(worker, task) for every task in [0, tasks) on up to
// nWorkers goroutines, which take the tasks in order (workers.Run). Callers
// keep results and random streams per task (never per worker), so the
// outcome does not depend on which worker ran which task. A panic in a
// task — a bug — comes back as an error instead of ending the process.
func parallelFor(tasks, nWorkers int, fn func(worker, task int)) error {
	return workers.Run(tasks, nWorkers, func(w, t int) error {
		fn(w, t)
		return nil
	})
}

// CompletePairs returns the values of x and y on the topics where both are
// defined (not NaN), in topic order, and the number of topics dropped. This is
// the undefined-cell policy of the pairwise tests. x and y must have the same
// length and contain no ±Inf.
func CompletePairs(x, y []float64) (xs, ys []float64, dropped int, err error) {
	if len(x) != len(y) {
		return nil, nil, 0, fmt.Errorf("paired samples differ in length: %d and %d topics", len(x), len(y))
	}
	xs = make([]float64, 0, len(x))
	ys = make([]float64, 0, len(y))
	for t := range x {
		if math.IsInf(x[t], 0) || math.IsInf(y[t], 0) {
			return nil, nil, 0, fmt.Errorf("topic %d has an infinite score (%v, %v): only NaN may mark an undefined cell", t, x[t], y[t])
		}
		if math.IsNaN(x[t]) || math.IsNaN(y[t]) {
			dropped++
			continue
		}
		xs = append(xs, x[t])
		ys = append(ys, y[t])
	}
	return xs, ys, dropped, nil
}

// CompleteTopics returns the indices of the topics defined (not NaN) for
// every run and of those dropped because some run is undefined there. This
// is the undefined-cell policy of the randomised Tukey HSD test and ES_HSD.
func CompleteTopics(scores [][]float64) (kept, dropped []int, err error) {
	_, topics, err := checkMatrix(scores)
	if err != nil {
		return nil, nil, err
	}
	for t := range topics {
		complete := true
		for _, row := range scores {
			if math.IsNaN(row[t]) {
				complete = false
				break
			}
		}
		if complete {
			kept = append(kept, t)
		} else {
			dropped = append(dropped, t)
		}
	}
	return kept, dropped, nil
}
