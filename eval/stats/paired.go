package stats

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mathext"
)

// differences returns dₜ = xₜ − yₜ after checking the pair of samples.
func differences(x, y []float64) ([]float64, error) {
	if len(x) != len(y) {
		return nil, fmt.Errorf("paired samples differ in length: %d and %d topics", len(x), len(y))
	}
	if err := checkFinite("x", x); err != nil {
		return nil, err
	}
	if err := checkFinite("y", y); err != nil {
		return nil, err
	}
	d := make([]float64, len(x))
	for t := range x {
		d[t] = x[t] - y[t]
	}
	return d, nil
}

// TTest is the outcome of a paired t-test.
type TTest struct {
	N        int     // topics (pairs)
	MeanDiff float64 // d̄, mean of dₜ = xₜ − yₜ
	SD       float64 // s_d, sample standard deviation of the differences
	DF       int     // degrees of freedom, n − 1
	T        float64 // t statistic
	P        float64 // two-sided p-value
}

// PairedTTest performs Student's paired t-test of H₀: E[x − y] = 0 on the
// differences dₜ = xₜ − yₜ (Student 1908; e.g. Sakai 2018, ch. 2):
//
//	t = d̄ / (s_d / √n),  df = n − 1,
//	p = P(|T_df| ≥ |t|) = I_{df/(df + t²)}(df/2, 1/2),
//
// where I is the regularised incomplete beta function (mathext.RegIncBeta),
// which gives the two-sided tail without the cancellation of 1 − CDF.
//
// Fewer than 2 topics, or differences that are all zero (identical runs:
// t = 0/0), give ErrUndefined with T and P NaN. Differences that are all
// equal and non-zero give t = ±Inf and p = 0, the limit as s_d → 0 (as in
// scipy.stats.ttest_rel). A standard deviation within rounding error of zero
// counts as zero.
func PairedTTest(x, y []float64) (TTest, error) {
	d, err := differences(x, y)
	if err != nil {
		return TTest{}, err
	}
	return pairedTTest(d)
}

func pairedTTest(d []float64) (TTest, error) {
	n := len(d)
	r := TTest{N: n, MeanDiff: math.NaN(), SD: math.NaN(), DF: n - 1, T: math.NaN(), P: math.NaN()}
	if n == 0 {
		r.DF = 0
		return r, undefinedf("paired t-test of no topics")
	}
	r.MeanDiff = mean(d)
	if n == 1 {
		return r, undefinedf("paired t-test needs at least 2 topics, got 1 (no degrees of freedom)")
	}
	r.SD = sampleSD(d, r.MeanDiff)
	scale := maxAbs(d)
	if negligible(r.SD, scale, n) {
		r.SD = 0
		if negligible(r.MeanDiff, scale, n) {
			return r, undefinedf("paired t-test of runs that are identical on all %d topics (t = 0/0)", n)
		}
		r.T = math.Copysign(math.Inf(1), r.MeanDiff)
		r.P = 0
		return r, nil
	}
	r.T = r.MeanDiff / (r.SD / math.Sqrt(float64(n)))
	df := float64(r.DF)
	r.P = mathext.RegIncBeta(df/2, 0.5, df/(df+r.T*r.T))
	return r, nil
}

// Randomisation is the outcome of a paired randomisation test.
type Randomisation struct {
	N           int     // topics (pairs)
	MeanDiff    float64 // d̄, the observed mean difference
	P           float64 // two-sided p-value
	Exact       bool    // all 2ⁿ sign assignments were enumerated
	Assignments int     // sign assignments evaluated: 2ⁿ if Exact, else B
}

// RandomisationOptions configures PairedRandomisationTest.
type RandomisationOptions struct {
	// Resamples is B: the test enumerates all 2ⁿ sign assignments when
	// 2ⁿ ≤ B and otherwise draws B random ones. 0 selects DefaultResamples.
	Resamples int
	Seed      uint64 // seed of the Monte Carlo sign flips
	// Progress, if not nil, is called with the number of sign assignments
	// evaluated so far and the total (calls are serialised; done only grows).
	Progress func(done, total int)
}

// randomisationProgressStep is how many sign assignments pass between
// progress calls.
const randomisationProgressStep = 4096

// PairedRandomisationTest performs Fisher's paired randomisation (sign-flip)
// test of H₀: the labels x and y are exchangeable within each topic (Fisher
// 1935, "The Design of Experiments", §21; Smucker, Allan & Carterette 2007,
// "A comparison of statistical significance tests for information retrieval
// evaluation", CIKM). Under H₀ each dₜ = xₜ − yₜ is equally likely to have
// either sign, so with S(σ) = Σ σₜ·dₜ for signs σ ∈ {−1, +1}ⁿ
//
//	p = #{σ : |S(σ)| ≥ |S(1)|} / (number of σ considered),
//
// two-sided. When 2ⁿ ≤ B all 2ⁿ assignments are enumerated (exact p, a
// multiple of 2⁻ⁿ, at least 2⁻ⁿ⁺¹ because σ = ±1 always count); otherwise B
// assignments are drawn uniformly with a seeded generator and p is the
// fraction of them at least as extreme (resolution 1/B; may be 0). Sums
// within 4·n·ε·Σ|dₜ| of |S(1)| count as ties (≥), so floating-point
// reordering cannot turn a tie into a miss. No topics gives ErrUndefined;
// one topic gives p = 1.
func PairedRandomisationTest(x, y []float64, opts RandomisationOptions) (Randomisation, error) {
	d, err := differences(x, y)
	if err != nil {
		return Randomisation{}, err
	}
	b, err := resolveResamples("randomisation resamples", opts.Resamples)
	if err != nil {
		return Randomisation{}, err
	}
	total, _ := assignments(len(d), b)
	prog := newProgress(opts.Progress, total)
	return randomisation(d, b, opts.Seed, 0, prog)
}

// assignments returns how many sign assignments the test evaluates for n
// topics and B resamples: 2ⁿ when that is at most B, else B.
func assignments(n, b int) (count int, exact bool) {
	if n < 62 && 1<<n <= b {
		return 1 << n, true
	}
	return b, false
}

// flipSign returns v with its sign flipped when bit is 1; branch-free
// because the bit is random and a branch would be mispredicted half the time.
func flipSign(v float64, bit uint64) float64 {
	return math.Float64frombits(math.Float64bits(v) ^ bit<<63)
}

func randomisation(d []float64, b int, seed, stream uint64, prog *progress) (Randomisation, error) {
	n := len(d)
	r := Randomisation{N: n, MeanDiff: math.NaN(), P: math.NaN()}
	r.Assignments, r.Exact = assignments(n, b)
	if n == 0 {
		prog.add(r.Assignments)
		return r, undefinedf("randomisation test of no topics")
	}
	r.MeanDiff = mean(d)
	var absSum float64
	for _, v := range d {
		absSum += math.Abs(v)
	}
	var observed float64
	for _, v := range d {
		observed += v
	}
	threshold := math.Abs(observed) - roundingBound(absSum, n)

	count := 0
	if r.Exact {
		for mask := range uint64(r.Assignments) {
			w := mask
			var s float64
			for _, v := range d {
				s += flipSign(v, w&1)
				w >>= 1
			}
			if math.Abs(s) >= threshold {
				count++
			}
			if (mask+1)%randomisationProgressStep == 0 {
				prog.add(randomisationProgressStep)
			}
		}
	} else {
		rng := newStream(seed, stream)
		for i := range b {
			var w uint64
			var s float64
			for t, v := range d {
				if t%64 == 0 {
					w = rng.Uint64()
				}
				s += flipSign(v, w&1)
				w >>= 1
			}
			if math.Abs(s) >= threshold {
				count++
			}
			if (i+1)%randomisationProgressStep == 0 {
				prog.add(randomisationProgressStep)
			}
		}
	}
	prog.add(r.Assignments % randomisationProgressStep)
	r.P = float64(count) / float64(r.Assignments)
	return r, nil
}

// HedgesGPaired returns Hedges' g for paired samples in its d_z form: the
// mean difference standardised by the standard deviation of the differences,
// times Hedges' small-sample bias correction (Hedges 1981, "Distribution
// theory for Glass's estimator of effect size and related estimators",
// J. Educ. Stat. 6(2), eq. 6e; Lakens 2013, "Calculating and reporting effect
// sizes to facilitate cumulative science", Front. Psychol. 4:863, eq. 6):
//
//	d_z = d̄ / s_d,   g_z = J(n − 1) · d_z,
//	J(m) = Γ(m/2) / (√(m/2) · Γ((m − 1)/2))  (≈ 1 − 3/(4m − 1)).
//
// d_z is chosen over the pooled-SD d_av because topics are the unit of a
// paired IR experiment: d_z = t/√n matches the paired t-test the leaderboard
// reports, whereas d_av ignores the topic pairing. d_z is not comparable
// with between-groups effect sizes (Lakens 2013).
//
// Undefined (ErrUndefined) with fewer than 3 topics (J(1) = 0) or when the
// differences have zero standard deviation (the standardised effect is
// infinite, or 0/0 for identical runs).
func HedgesGPaired(x, y []float64) (float64, error) {
	d, err := differences(x, y)
	if err != nil {
		return 0, err
	}
	return hedgesGPaired(d)
}

func hedgesGPaired(d []float64) (float64, error) {
	n := len(d)
	if n < 3 {
		return math.NaN(), undefinedf("Hedges' g_z needs at least 3 topics, got %d (the correction J(n−1) is 0 for n = 2)", n)
	}
	dbar := mean(d)
	sd := sampleSD(d, dbar)
	if negligible(sd, maxAbs(d), n) {
		return math.NaN(), undefinedf("Hedges' g_z of differences that are equal on all %d topics (zero standard deviation)", n)
	}
	return hedgesJ(float64(n-1)) * dbar / sd, nil
}

// hedgesJ is Hedges' (1981) exact bias-correction factor for m degrees of
// freedom, through log-gamma so that it stays finite for large m.
func hedgesJ(m float64) float64 {
	a, _ := math.Lgamma(m / 2)
	b, _ := math.Lgamma((m - 1) / 2)
	return math.Exp(a - b - 0.5*math.Log(m/2))
}

// HolmBonferroni returns Holm's (1979) step-down adjusted p-values ("A simple
// sequentially rejective multiple test procedure", Scand. J. Statist. 6(2)):
// with the m p-values sorted ascending, p₍₁₎ ≤ … ≤ p₍ₘ₎,
//
//	p̃₍ᵢ₎ = min(1, max_{j ≤ i} (m − j + 1) · p₍ⱼ₎),
//
// returned in the input order (as R's p.adjust(method = "holm")). Rejecting
// when p̃ < α (the convention of CompactLetterDisplay; Holm's ≤ works too)
// controls the family-wise error rate at α.
func HolmBonferroni(p []float64) ([]float64, error) {
	for i, v := range p {
		if !(v >= 0 && v <= 1) {
			return nil, fmt.Errorf("p-value p[%d] = %v is not in [0, 1]", i, v)
		}
	}
	m := len(p)
	order := make([]int, m)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(p[a], p[b]) })
	adj := make([]float64, m)
	running := 0.0
	for rank, i := range order {
		running = max(running, min(1, float64(m-rank)*p[i]))
		adj[i] = running
	}
	return adj, nil
}

// PairwiseOptions configures PairwiseComparisons.
type PairwiseOptions struct {
	Resamples int    // B of the randomisation test; 0 selects DefaultResamples
	Seed      uint64 // seed of the randomisation tests
	Workers   int    // goroutines; 0 selects GOMAXPROCS
	// Progress, if not nil, is called with the number of sign assignments
	// evaluated so far over all pairs and the total.
	Progress func(done, total int)
}

// PairComparison holds the paired statistics of runs A < B. Float fields of
// an undefined statistic are NaN and its Err field gives the reason.
type PairComparison struct {
	A, B     int
	Topics   int     // topics defined for both runs, the ones used
	Dropped  int     // topics undefined (NaN) for either run
	MeanDiff float64 // mean of scores[A][t] − scores[B][t] over the topics used

	TTest     TTest
	TTestErr  error
	TTestHolm float64 // Holm-adjusted two-sided p of the t-test

	Randomisation     Randomisation
	RandomisationErr  error
	RandomisationHolm float64 // Holm-adjusted p of the randomisation test

	HedgesG    float64 // Hedges' g_z of A − B
	HedgesGErr error
}

// Pairwise is the result of PairwiseComparisons.
type Pairwise struct {
	// Pairs lists every pair A < B in order (0,1), (0,2), …, (1,2), …; pair
	// number p is randomisation-tested with random stream p of the seed.
	Pairs []PairComparison
	// TTestFamily and RandomisationFamily are the numbers m of defined
	// p-values each Holm correction was applied over (pairs whose test is
	// undefined are left out of the family).
	TTestFamily, RandomisationFamily int
}

// PairwiseComparisons runs the paired t-test, the paired randomisation test
// and Hedges' g_z on every pair of runs of scores[run][topic], each pair over
// the topics defined for both runs, then applies the Holm–Bonferroni
// correction over all pairs, separately for each test. Pair p uses random
// stream p of opts.Seed, so its result does not depend on opts.Workers.
func PairwiseComparisons(scores [][]float64, opts PairwiseOptions) (Pairwise, error) {
	runs, _, err := checkMatrix(scores)
	if err != nil {
		return Pairwise{}, err
	}
	b, err := resolveResamples("randomisation resamples", opts.Resamples)
	if err != nil {
		return Pairwise{}, err
	}
	workers, err := resolveWorkers(opts.Workers)
	if err != nil {
		return Pairwise{}, err
	}
	var res Pairwise
	var diffs [][]float64
	total := 0
	for a := range runs {
		for c := a + 1; c < runs; c++ {
			xs, ys, dropped, err := CompletePairs(scores[a], scores[c])
			if err != nil {
				return Pairwise{}, fmt.Errorf("runs %d and %d: %w", a, c, err)
			}
			d := make([]float64, len(xs))
			for t := range xs {
				d[t] = xs[t] - ys[t]
			}
			diffs = append(diffs, d)
			res.Pairs = append(res.Pairs, PairComparison{A: a, B: c, Topics: len(d), Dropped: dropped})
			count, _ := assignments(len(d), b)
			total += count
		}
	}
	prog := newProgress(opts.Progress, total)
	if err := parallelFor(len(res.Pairs), workers, func(_, p int) {
		pc := &res.Pairs[p]
		d := diffs[p]
		wrap := func(err error) error {
			if err == nil {
				return nil
			}
			return fmt.Errorf("runs %d and %d: %w", pc.A, pc.B, err)
		}
		pc.MeanDiff = math.NaN()
		if len(d) > 0 {
			pc.MeanDiff = mean(d)
		}
		pc.TTest, pc.TTestErr = pairedTTest(d)
		pc.TTestErr = wrap(pc.TTestErr)
		pc.Randomisation, pc.RandomisationErr = randomisation(d, b, opts.Seed, uint64(p), prog)
		pc.RandomisationErr = wrap(pc.RandomisationErr)
		pc.HedgesG, pc.HedgesGErr = hedgesGPaired(d)
		pc.HedgesGErr = wrap(pc.HedgesGErr)
	}); err != nil {
		return Pairwise{}, err
	}

	res.TTestFamily, err = holmOver(res.Pairs,
		func(pc *PairComparison) (float64, bool) { return pc.TTest.P, pc.TTestErr == nil },
		func(pc *PairComparison, v float64) { pc.TTestHolm = v })
	if err != nil {
		return Pairwise{}, fmt.Errorf("t-test: %w", err)
	}
	res.RandomisationFamily, err = holmOver(res.Pairs,
		func(pc *PairComparison) (float64, bool) { return pc.Randomisation.P, pc.RandomisationErr == nil },
		func(pc *PairComparison, v float64) { pc.RandomisationHolm = v })
	if err != nil {
		return Pairwise{}, fmt.Errorf("randomisation test: %w", err)
	}
	return res, nil
}

// holmOver Holm-adjusts the defined p-values of pairs and stores them with
// set; pairs whose p is undefined get NaN. It returns the family size.
func holmOver(pairs []PairComparison, get func(*PairComparison) (float64, bool), set func(*PairComparison, float64)) (int, error) {
	var ps []float64
	var idx []int
	for i := range pairs {
		if p, ok := get(&pairs[i]); ok {
			ps = append(ps, p)
			idx = append(idx, i)
		} else {
			set(&pairs[i], math.NaN())
		}
	}
	adj, err := HolmBonferroni(ps)
	if err != nil {
		return 0, err
	}
	for k, i := range idx {
		set(&pairs[i], adj[k])
	}
	return len(ps), nil
}
