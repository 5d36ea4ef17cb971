package stats

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// Interval is a two-sided confidence interval for a mean.
type Interval struct {
	Mean         float64 // point estimate x̄
	Lower, Upper float64
	Level        float64 // confidence level, e.g. 0.95
	N            int     // number of topics it was computed from
}

// Mean returns the arithmetic mean x̄ = (1/n) Σ xᵢ of finite values,
// computed as x₀ + Σ(xᵢ − x₀)/n so that constant data give back exactly
// their value. An empty slice has no mean (ErrUndefined).
func Mean(x []float64) (float64, error) {
	if err := checkFinite("x", x); err != nil {
		return 0, err
	}
	if len(x) == 0 {
		return 0, undefinedf("mean of no topics")
	}
	return mean(x), nil
}

// undefinedInterval is what an interval function returns with an
// ErrUndefined error: bounds NaN, so that a caller ignoring the error cannot
// mistake them for a zero-width interval.
func undefinedInterval(xbar, level float64, n int) Interval {
	return Interval{Mean: xbar, Lower: math.NaN(), Upper: math.NaN(), Level: level, N: n}
}

// TInterval returns the Student t confidence interval for the mean of x:
//
//	x̄ ± t(1 − α/2; n − 1) · s / √n,  α = 1 − level,
//
// with s the sample standard deviation and t the Student t quantile with
// n − 1 degrees of freedom (distuv.StudentsT). See e.g. Sakai (2018),
// "Laboratory Experiments in Information Retrieval", ch. 2. Constant data
// give the zero-width interval [x̄, x̄]; one topic gives no interval
// (ErrUndefined: s has no degrees of freedom).
func TInterval(x []float64, level float64) (Interval, error) {
	if err := checkFinite("x", x); err != nil {
		return Interval{}, err
	}
	if err := checkLevel(level); err != nil {
		return Interval{}, err
	}
	n := len(x)
	switch n {
	case 0:
		return undefinedInterval(math.NaN(), level, 0), undefinedf("t-interval of no topics")
	case 1:
		return undefinedInterval(x[0], level, 1), undefinedf("t-interval needs at least 2 topics, got 1 (the standard deviation has no degrees of freedom)")
	}
	xbar := mean(x)
	sd := sampleSD(x, xbar)
	if negligible(sd, maxAbs(x), n) {
		return Interval{Mean: xbar, Lower: xbar, Upper: xbar, Level: level, N: n}, nil
	}
	q := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(1 - (1-level)/2)
	half := q * sd / math.Sqrt(float64(n))
	return Interval{Mean: xbar, Lower: xbar - half, Upper: xbar + half, Level: level, N: n}, nil
}

// BootstrapOptions configures BootstrapInterval and MeanIntervals.
type BootstrapOptions struct {
	Resamples int    // B, number of bootstrap resamples; 0 selects DefaultResamples
	Seed      uint64 // seed of the resampling; equal seeds give equal intervals
	Workers   int    // MeanIntervals only: goroutines; 0 selects GOMAXPROCS
	// Progress, if not nil, is called with the number of resamples done so
	// far and the total (calls are serialised; done only grows).
	Progress func(done, total int)
}

// bootstrapProgressStep is how many resamples pass between progress calls.
const bootstrapProgressStep = 1000

// BootstrapInterval returns the percentile bootstrap confidence interval for
// the mean of x (Efron & Tibshirani 1993, "An Introduction to the Bootstrap",
// §13.3): draw B resamples of size n with replacement, compute their means
// x̄*₁ … x̄*_B, sort them, and take
//
//	[ x̄*₍⌈B·α/2⌉₎ , x̄*₍⌈B·(1 − α/2)⌉₎ ],  α = 1 − level,
//
// the empirical α/2 and 1 − α/2 quantiles (inverse of the empirical CDF, no
// interpolation; with B = 10,000 and level 0.95 the 250th and 9,750th sorted
// means). Resampling uses the seeded stream 0 of opts.Seed. Constant data
// give [x̄, x̄]; a single topic gives no interval (ErrUndefined: every
// resample equals it, which says nothing about uncertainty).
func BootstrapInterval(x []float64, level float64, opts BootstrapOptions) (Interval, error) {
	if err := checkFinite("x", x); err != nil {
		return Interval{}, err
	}
	if err := checkLevel(level); err != nil {
		return Interval{}, err
	}
	b, err := resolveResamples("bootstrap resamples", opts.Resamples)
	if err != nil {
		return Interval{}, err
	}
	prog := newProgress(opts.Progress, b)
	return bootstrapInterval(x, level, b, newStream(opts.Seed, 0), make([]float64, b), prog)
}

// bootstrapInterval does the work of BootstrapInterval with a given random
// stream and a scratch slice of length b for the resampled means.
func bootstrapInterval(x []float64, level float64, b int, rng *rand.Rand, means []float64, prog *progress) (Interval, error) {
	n := len(x)
	switch n {
	case 0:
		prog.add(b)
		return undefinedInterval(math.NaN(), level, 0), undefinedf("bootstrap interval of no topics")
	case 1:
		prog.add(b)
		return undefinedInterval(x[0], level, 1), undefinedf("bootstrap interval needs at least 2 topics, got 1 (every resample equals the single score)")
	}
	xbar := mean(x)
	if negligible(sampleSD(x, xbar), maxAbs(x), n) {
		prog.add(b)
		return Interval{Mean: xbar, Lower: xbar, Upper: xbar, Level: level, N: n}, nil
	}
	x0 := x[0]
	for i := range b {
		var s float64
		for range n {
			s += x[rng.IntN(n)] - x0
		}
		means[i] = x0 + s/float64(n)
		if (i+1)%bootstrapProgressStep == 0 {
			prog.add(bootstrapProgressStep)
		}
	}
	prog.add(b % bootstrapProgressStep)
	slices.Sort(means)
	alpha := 1 - level
	return Interval{
		Mean:  xbar,
		Lower: means[orderStatistic(b, alpha/2)],
		Upper: means[orderStatistic(b, 1-alpha/2)],
		Level: level,
		N:     n,
	}, nil
}

// orderStatistic returns the 0-based index ⌈B·p⌉ − 1 of the empirical
// p-quantile of B sorted values, clamped to [0, B − 1]. B·p is lowered by
// 1e-6 before rounding up so that a product meant to be an integer (10,000 ×
// 0.025, where 0.025 arrives as 1 − 0.95 halved, i.e. 0.025000000000000022)
// is not pushed to the next order statistic by representation error.
func orderStatistic(b int, p float64) int {
	k := int(math.Ceil(float64(b)*p-1e-6)) - 1
	return min(max(k, 0), b-1)
}

// RunInterval summarises one run of a score matrix: its mean over the topics
// where it is defined, with both confidence intervals.
type RunInterval struct {
	Topics  int // topics used (score defined)
	Dropped int // topics skipped because the score is undefined (NaN)
	Mean    float64
	// Err is non-nil (wrapping ErrUndefined) when the run has no defined
	// topic; Mean is then NaN and T, Bootstrap carry errors too.
	Err          error
	T            Interval
	TErr         error // reason the t-interval is undefined, if it is
	Bootstrap    Interval
	BootstrapErr error // reason the bootstrap interval is undefined, if it is
}

// MeanIntervals computes, for every run of scores[run][topic], the mean and
// the t and percentile-bootstrap intervals at the given level over the topics
// where that run is defined (NaN cells dropped and counted). Run r is
// bootstrapped with random stream r of opts.Seed, so its interval does not
// depend on the other runs or on opts.Workers. Progress counts resamples over
// all runs.
func MeanIntervals(scores [][]float64, level float64, opts BootstrapOptions) ([]RunInterval, error) {
	runs, _, err := checkMatrix(scores)
	if err != nil {
		return nil, err
	}
	if err := checkLevel(level); err != nil {
		return nil, err
	}
	b, err := resolveResamples("bootstrap resamples", opts.Resamples)
	if err != nil {
		return nil, err
	}
	workers, err := resolveWorkers(opts.Workers)
	if err != nil {
		return nil, err
	}
	workers = min(workers, runs)
	out := make([]RunInterval, runs)
	scratch := make([][]float64, workers)
	for w := range scratch {
		scratch[w] = make([]float64, b)
	}
	prog := newProgress(opts.Progress, runs*b)
	if err := parallelFor(runs, workers, func(worker, r int) {
		x := make([]float64, 0, len(scores[r]))
		for _, v := range scores[r] {
			if !math.IsNaN(v) {
				x = append(x, v)
			}
		}
		ri := RunInterval{Topics: len(x), Dropped: len(scores[r]) - len(x)}
		if len(x) == 0 {
			ri.Mean = math.NaN()
			ri.Err = undefinedf("run %d has no topic with a defined score", r)
			ri.TErr, ri.BootstrapErr = ri.Err, ri.Err
			ri.T = undefinedInterval(math.NaN(), level, 0)
			ri.Bootstrap = ri.T
			prog.add(b)
			out[r] = ri
			return
		}
		ri.Mean = mean(x)
		ri.T, ri.TErr = TInterval(x, level)
		ri.Bootstrap, ri.BootstrapErr = bootstrapInterval(x, level, b, newStream(opts.Seed, uint64(r)), scratch[worker], prog)
		if ri.TErr != nil {
			ri.TErr = fmt.Errorf("run %d: %w", r, ri.TErr)
		}
		if ri.BootstrapErr != nil {
			ri.BootstrapErr = fmt.Errorf("run %d: %w", r, ri.BootstrapErr)
		}
		out[r] = ri
	}); err != nil {
		return nil, err
	}
	return out, nil
}
