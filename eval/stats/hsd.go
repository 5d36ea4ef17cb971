package stats

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// HSDOptions configures RandomisedTukeyHSD.
type HSDOptions struct {
	Permutations int    // B; 0 selects DefaultResamples
	Seed         uint64 // seed of the permutations
	Workers      int    // goroutines; 0 selects GOMAXPROCS; results do not depend on it
	// Progress, if not nil, is called with the number of permutations done so
	// far and B (calls are serialised; done only grows).
	Progress func(done, total int)
}

// HSD is the result of the randomised Tukey HSD test.
type HSD struct {
	Topics       []int       // topics used: those defined for every run
	Dropped      []int       // topics skipped because some run is undefined there
	Means        []float64   // mean of each run over Topics
	P            [][]float64 // P[i][j] = P[j][i], the p-value of runs i and j; P[i][i] = 1
	Permutations int         // B
}

// hsdChunk is the number of permutations that share one random stream.
// It is fixed, not derived from the number of workers, so that the
// permutations drawn — and hence the p-values — do not depend on it.
const hsdChunk = 256

// RandomisedTukeyHSD performs the randomised Tukey HSD test over all pairs of
// runs of scores[run][topic] (Carterette 2012, "Multiple testing in
// statistical analysis of systems-based information retrieval experiments",
// ACM TOIS 30(1); Sakai 2014, "Statistical reform in information
// retrieval?", SIGIR Forum 48(1); the algorithm of Sakai's Discpower tool).
// It uses the topics defined for every run (the others are listed in
// Dropped). Under H₀ the run labels are exchangeable within each topic, so
// for b = 1 … B it permutes the scores of each topic across the runs
// independently, recomputes the run means x̄*ᵢ and records the range
// max x̄* − min x̄*. Then
//
//	p(i, j) = #{b : max x̄* − min x̄* ≥ |x̄ᵢ − x̄ⱼ|} / B,
//
// which controls the family-wise error rate over all pairs at once (no
// further correction is applied). Means are compared as sums over the same
// n topics; ranges within 4·n·ε·Σₜ maxᵢ|xᵢₜ| of the observed difference count
// as ties (≥) so rounding cannot turn a tie into a miss.
//
// The B permutations are split into chunks of 256 with random streams
// derived from (opts.Seed, chunk index); workers take chunks and integer
// counts are summed, so the p-values are identical for any opts.Workers or
// GOMAXPROCS. The permutation loop does not allocate.
//
// Fewer than 2 runs or no topic defined for every run give ErrUndefined.
// With a single topic every p-value is 1 (each permutation has the same
// range as the data).
func RandomisedTukeyHSD(scores [][]float64, opts HSDOptions) (HSD, error) {
	runs, _, err := checkMatrix(scores)
	if err != nil {
		return HSD{}, err
	}
	b, err := resolveResamples("permutations", opts.Permutations)
	if err != nil {
		return HSD{}, err
	}
	workers, err := resolveWorkers(opts.Workers)
	if err != nil {
		return HSD{}, err
	}
	kept, dropped, err := CompleteTopics(scores)
	if err != nil {
		return HSD{}, err
	}
	if runs < 2 {
		return HSD{}, undefinedf("randomised Tukey HSD needs at least 2 runs, got %d", runs)
	}
	if len(kept) == 0 {
		return HSD{}, undefinedf("randomised Tukey HSD: no topic is defined for every run (all %d dropped)", len(dropped))
	}
	k, n := runs, len(kept)

	// Topic-major copy: the permutation loop walks one topic's row at a time.
	data := make([]float64, n*k)
	var scale float64
	for ti, t := range kept {
		var rowMax float64
		for r := range k {
			v := scores[r][t]
			data[ti*k+r] = v
			rowMax = max(rowMax, math.Abs(v))
		}
		scale += rowMax
	}
	// Observed sums, accumulated in the same order as the permuted ones.
	observed := make([]float64, k)
	for ti := range n {
		for r, v := range data[ti*k : ti*k+k] {
			observed[r] += v
		}
	}
	tol := roundingBound(scale, n)

	type pair struct {
		i, j      int
		threshold float64
	}
	pairs := make([]pair, 0, k*(k-1)/2)
	for i := range k {
		for j := i + 1; j < k; j++ {
			pairs = append(pairs, pair{i, j, math.Abs(observed[i]-observed[j]) - tol})
		}
	}
	slices.SortStableFunc(pairs, func(a, b pair) int { return cmp.Compare(a.threshold, b.threshold) })
	thresholds := make([]float64, len(pairs))
	for q, p := range pairs {
		thresholds[q] = p.threshold
	}

	chunks := (b + hsdChunk - 1) / hsdChunk
	workers = min(workers, chunks)
	type scratch struct {
		pcg  *rand.PCG
		rng  *rand.Rand
		sums []float64
		perm []int
		// hist[c] counts permutations whose range reached exactly the c
		// smallest thresholds.
		hist []int64
	}
	scr := make([]scratch, workers)
	for w := range scr {
		pcg := rand.NewPCG(0, 0)
		scr[w] = scratch{pcg: pcg, rng: rand.New(pcg), sums: make([]float64, k), perm: make([]int, k), hist: make([]int64, len(pairs)+1)}
	}
	prog := newProgress(opts.Progress, b)
	if err := parallelFor(chunks, workers, func(w, c int) {
		s := &scr[w]
		s.pcg.Seed(streamState(opts.Seed, uint64(c)))
		for i := range s.perm {
			s.perm[i] = i
		}
		todo := min(b, (c+1)*hsdChunk) - c*hsdChunk
		for range todo {
			s.hist[hsdPermutation(data, k, s.rng, s.perm, s.sums, thresholds)]++
		}
		prog.add(todo)
	}); err != nil {
		return HSD{}, err
	}

	hist := make([]int64, len(pairs)+1)
	for _, s := range scr {
		for c, v := range s.hist {
			hist[c] += v
		}
	}
	res := HSD{Topics: kept, Dropped: dropped, Means: make([]float64, k), P: make([][]float64, k), Permutations: b}
	for i := range res.P {
		res.P[i] = make([]float64, k)
		res.P[i][i] = 1
	}
	// Pair q is reached by every permutation that reached more than q thresholds.
	var reached int64
	for q := len(pairs) - 1; q >= 0; q-- {
		reached += hist[q+1]
		p := float64(reached) / float64(b)
		res.P[pairs[q].i][pairs[q].j] = p
		res.P[pairs[q].j][pairs[q].i] = p
	}
	col := make([]float64, n)
	for r := range k {
		for ti := range n {
			col[ti] = data[ti*k+r]
		}
		res.Means[r] = mean(col)
	}
	return res, nil
}

// hsdPermutation draws one permutation of the run labels of every topic row
// of data (n rows of k), accumulates the permuted run sums and returns how
// many of the ascending thresholds the range max − min of the sums reaches.
// perm carries over between calls (any start is fine for Fisher–Yates).
func hsdPermutation(data []float64, k int, rng *rand.Rand, perm []int, sums, thresholds []float64) int {
	clear(sums)
	for start := 0; start < len(data); start += k {
		row := data[start : start+k]
		for i := k - 1; i > 0; i-- {
			j := rng.IntN(i + 1)
			perm[i], perm[j] = perm[j], perm[i]
		}
		for i, v := range row {
			sums[perm[i]] += v
		}
	}
	lo, hi := sums[0], sums[0]
	for _, v := range sums[1:] {
		lo = min(lo, v)
		hi = max(hi, v)
	}
	rangeOfSums := hi - lo
	// Number of thresholds ≤ rangeOfSums, by binary search.
	a, z := 0, len(thresholds)
	for a < z {
		m := int(uint(a+z) >> 1)
		if thresholds[m] <= rangeOfSums {
			a = m + 1
		} else {
			z = m
		}
	}
	return a
}

// ResidualVariance returns V_E, the residual (error) mean square of the
// two-way ANOVA without replication (runs × topics) of a complete score
// matrix x[i][t], k runs by n topics (Sakai 2018, "Laboratory Experiments in
// Information Retrieval", §5.2; Montgomery, "Design and Analysis of
// Experiments", randomised complete block design):
//
//	V_E = Σᵢ Σₜ (xᵢₜ − x̄ᵢ. − x̄.ₜ + x̄)² / ((k − 1)(n − 1)),
//
// and its degrees of freedom (k − 1)(n − 1). NaN cells are an error (apply
// CompleteTopics first). Fewer than 2 runs or 2 topics, or residuals within
// rounding error of zero (scores exactly additive in run and topic), give
// ErrUndefined.
func ResidualVariance(scores [][]float64) (ve float64, df int, err error) {
	if _, _, err := checkMatrix(scores); err != nil {
		return 0, 0, err
	}
	for r, row := range scores {
		for t, v := range row {
			if math.IsNaN(v) {
				return 0, 0, fmt.Errorf("scores[%d][%d] is NaN: two-way ANOVA needs a complete matrix (see CompleteTopics)", r, t)
			}
		}
	}
	return residualVariance(scores)
}

func residualVariance(x [][]float64) (float64, int, error) {
	k, n := len(x), len(x[0])
	if k < 2 || n < 2 {
		return math.NaN(), 0, undefinedf("two-way ANOVA residual variance needs at least 2 runs and 2 topics, got %d × %d", k, n)
	}
	runMean := make([]float64, k)
	var scale float64
	for i, row := range x {
		runMean[i] = mean(row)
		scale = max(scale, maxAbs(row))
	}
	topicMean := make([]float64, n)
	col := make([]float64, k)
	for t := range n {
		for i := range k {
			col[i] = x[i][t]
		}
		topicMean[t] = mean(col)
	}
	grand := mean(runMean)
	var ss float64
	for i, row := range x {
		for t, v := range row {
			e := v - runMean[i] - topicMean[t] + grand
			ss += float64(e * e)
		}
	}
	df := (k - 1) * (n - 1)
	if negligible(math.Sqrt(ss/float64(k*n)), scale, k+n) {
		return math.NaN(), df, undefinedf("two-way ANOVA residual variance is zero: scores are additive in run and topic (%d × %d)", k, n)
	}
	return ss / float64(df), df, nil
}

// HSDEffectSizes is the result of EffectSizesHSD.
type HSDEffectSizes struct {
	Topics           []int     // topics used: those defined for every run
	Dropped          []int     // topics skipped because some run is undefined there
	Means            []float64 // mean of each run over Topics
	ResidualVariance float64   // V_E
	DF               int       // (k − 1)(n − 1)
	ES               [][]float64
}

// EffectSizesHSD returns Sakai's effect size for the Tukey HSD comparison of
// every pair of runs (Sakai 2014, "Statistical reform in information
// retrieval?", SIGIR Forum 48(1); Sakai 2018, "Laboratory Experiments in
// Information Retrieval", ch. 5):
//
//	ES_HSD(i, j) = (x̄ᵢ − x̄ⱼ) / √V_E,
//
// with V_E the residual variance of the two-way ANOVA without replication
// (see ResidualVariance), over the topics defined for every run (the same
// topics RandomisedTukeyHSD uses). ES[i][j] = −ES[j][i]. ErrUndefined when
// V_E is undefined or zero.
func EffectSizesHSD(scores [][]float64) (HSDEffectSizes, error) {
	kept, dropped, err := CompleteTopics(scores)
	if err != nil {
		return HSDEffectSizes{}, err
	}
	if len(kept) == 0 {
		return HSDEffectSizes{}, undefinedf("ES_HSD: no topic is defined for every run (all %d dropped)", len(dropped))
	}
	k := len(scores)
	x := make([][]float64, k)
	for r := range k {
		x[r] = make([]float64, len(kept))
		for ti, t := range kept {
			x[r][ti] = scores[r][t]
		}
	}
	res := HSDEffectSizes{Topics: kept, Dropped: dropped, Means: make([]float64, k)}
	for r := range k {
		res.Means[r] = mean(x[r])
	}
	res.ResidualVariance, res.DF, err = residualVariance(x)
	if err != nil {
		return res, fmt.Errorf("ES_HSD: %w", err)
	}
	sd := math.Sqrt(res.ResidualVariance)
	res.ES = make([][]float64, k)
	for i := range k {
		res.ES[i] = make([]float64, k)
		for j := range k {
			res.ES[i][j] = (res.Means[i] - res.Means[j]) / sd
		}
	}
	return res, nil
}
