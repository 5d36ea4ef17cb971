package rankcorr

import (
	"cmp"
	"math"
	"slices"
)

// WeightedTau returns the additive hyperbolic weighted Kendall τ of Vigna (2015) with the
// importance ranking taken from truth: scipy.stats.weightedtau(truth, score, rank=None). This is
// the convention of the Model Spider code release and the PMR task's official τw.
//
// Each item i gets a rank r_i ∈ {0, …, n−1} by decreasing lexicographic order of
// (truth_i, score_i) — the largest truth value has rank 0, ties in truth are broken by the larger
// score, and items tied in both by the larger index (SciPy's stable lexsort, reversed) — and the
// weight w_i = 1/(r_i + 1). A pair {i, j} weighs w_i + w_j. With
//
//	T = Σ over all pairs,     U = Σ over pairs tied in truth,   V = Σ over pairs tied in score,
//	J = Σ over pairs tied in both,   D = Σ over discordant pairs,
//
//	τw = (T − U − V + J − 2D) / √((T − U)(T − V)),
//
// clamped to [−1, 1]. D is accumulated during a merge sort on score (Knight 1966, weighted as in
// Vigna 2015), so the cost is O(n log n); the summation order is SciPy's
// (_weightedrankedtau), so results agree with SciPy to rounding.
//
// NaN counts as the smallest possible value (tied with other NaNs), as in SciPy. ok is false for
// n < 2 or when truth or score is constant (U = T or V = T).
//
// Reference: S. Vigna, "A weighted correlation index for rankings with ties", Proc. WWW 2015,
// pp. 1166–1176. W. R. Knight, "A computer method for calculating Kendall's tau with ungrouped
// data", JASA 61(314), 1966.
func WeightedTau(truth, score []float64) (tau float64, ok bool) {
	mustSameLength(truth, score)
	if len(truth) < 2 {
		return 0, false
	}
	tau = weightedRankedTau(nanLowest(truth), nanLowest(score))
	if math.IsNaN(tau) {
		return 0, false
	}
	return tau, true
}

// WeightedTauSym returns SciPy's default weighted τ, scipy.stats.weightedtau(truth, score)
// (rank=True): the mean of WeightedTau(truth, score) and WeightedTau(score, truth), i.e. of the
// values obtained with the importance ranking taken from truth and from score. It is symmetric in
// its arguments. ok is false where either term is undefined (n < 2 or a constant vector).
//
// Reference: S. Vigna, "A weighted correlation index for rankings with ties", WWW 2015.
func WeightedTauSym(truth, score []float64) (tau float64, ok bool) {
	mustSameLength(truth, score)
	if len(truth) < 2 {
		return 0, false
	}
	x, y := nanLowest(truth), nanLowest(score)
	a := weightedRankedTau(x, y)
	b := weightedRankedTau(y, x)
	if math.IsNaN(a) || math.IsNaN(b) {
		return 0, false
	}
	return (a + b) / 2, true
}

// nanLowest returns x unchanged when it holds no NaN. Otherwise it returns the dense ranks of x
// (1, 2, … in increasing order) with NaN mapped to 0, which is what SciPy's weightedtau does
// (via _toint64) so that NaN sorts below everything and equals only itself. The merge sort below
// can then use plain float comparisons.
func nanLowest(x []float64) []float64 {
	if !slices.ContainsFunc(x, math.IsNaN) {
		return x
	}
	order := make([]int, len(x))
	for i := range order {
		order[i] = i
	}
	// cmp.Compare orders NaN first and treats NaNs as equal, exactly the rule wanted here.
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(x[a], x[b]) })
	ranks := make([]float64, len(x))
	rank := 0.0
	for k, i := range order {
		switch {
		case math.IsNaN(x[i]):
			ranks[i] = 0
			continue
		case k == 0 || math.IsNaN(x[order[k-1]]) || x[order[k-1]] != x[i]:
			rank++
		}
		ranks[i] = rank
	}
	return ranks
}

// weightedTauState carries the arrays shared by the recursive merge sort of weighedMerge.
type weightedTauState struct {
	y         []float64
	weight    []float64 // weight[i] = 1/(rank_i + 1), indexed by item
	perm      []int     // items, sorted by x then y, then progressively by y
	temp      []int     // merge buffer
	exchanges float64   // D: total weight of discordant pairs
}

// weightedRankedTau is a port of SciPy's _weightedrankedtau(x, y, rank=None, weigher=None,
// additive=True) (scipy/stats/_stats.pyx), keeping its order of operations. It returns NaN where
// SciPy does (x or y constant). x and y must be NaN-free and len(x) ≥ 1.
func weightedRankedTau(x, y []float64) float64 {
	n := len(x)
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	// np.lexsort((y, x)) is stable: sort on x, then y, then original position.
	slices.SortFunc(perm, func(a, b int) int {
		if c := cmp.Compare(x[a], x[b]); c != 0 {
			return c
		}
		if c := cmp.Compare(y[a], y[b]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})

	// rank=None: the decreasing lexicographic rank, i.e. the inverse of the reversed perm.
	weight := make([]float64, n)
	for r := range n {
		weight[perm[n-1-r]] = 1.0 / float64(1+r)
	}

	// Weight of pairs tied in both x and y (t) and of pairs tied in x (u), grouped along perm.
	t, _ := tiedWeight(perm, weight, x, y)
	u, xConstant := tiedWeight(perm, weight, x)
	if xConstant {
		return math.NaN()
	}

	st := &weightedTauState{y: y, weight: weight, perm: perm, temp: make([]int, n)}
	st.weighedMerge(0, n)

	// perm is now sorted by y: weight of pairs tied in y.
	v, yConstant := tiedWeight(perm, weight, y)
	if yConstant {
		return math.NaN()
	}

	// Weight of all pairs: each item is in n−1 pairs.
	s := 0.0
	for i := range n {
		s += weight[perm[i]]
	}
	tot := s * float64(n-1)

	tau := ((tot - (v + u - t)) - 2*st.exchanges) / math.Sqrt(tot-u) / math.Sqrt(tot-v)
	return math.Min(1, math.Max(-1, tau))
}

// tiedWeight returns the weight of the pairs tied in every one of keys, for perm sorted so that
// tied items are adjacent: a run of k tied items of total weight s holds pairs of weight s·(k−1).
// allTied reports that perm is a single run. The float64(...) conversions keep Go from fusing
// s·(k−1) + sum into an FMA: SciPy's wheels round the product first, and so must we for identical
// results on every architecture.
func tiedWeight(perm []int, weight []float64, keys ...[]float64) (sum float64, allTied bool) {
	n := len(perm)
	first := 0
	s := weight[perm[0]]
	for i := 1; i < n; i++ {
		for _, k := range keys {
			if k[perm[first]] != k[perm[i]] {
				sum += float64(s * float64(i-first-1))
				first = i
				s = 0
				break
			}
		}
		s += weight[perm[i]]
	}
	sum += float64(s * float64(n-first-1))
	return sum, first == 0
}

// weighedMerge sorts perm[offset:offset+length] by y (stable) and adds to st.exchanges the
// weight of every pair it exchanges: when an item of the right half overtakes the j-th item of
// the left half, each of the length0−j left items still waiting forms a discordant pair with it,
// of total weight w·(length0−j) + (sum of their weights). It returns the total weight of the
// section.
func (st *weightedTauState) weighedMerge(offset, length int) float64 {
	perm, y, weight := st.perm, st.y, st.weight
	if length == 1 {
		return weight[perm[offset]]
	}
	length0 := length / 2
	length1 := length - length0
	middle := offset + length0
	residual := st.weighedMerge(offset, length0)
	total := st.weighedMerge(middle, length1) + residual
	if y[perm[middle-1]] < y[perm[middle]] {
		return total // already in order: no exchanges
	}

	i, j, k := 0, 0, 0
	for j < length0 && k < length1 {
		if y[perm[offset+j]] <= y[perm[middle+k]] {
			st.temp[i] = perm[offset+j]
			residual -= weight[st.temp[i]]
			j++
		} else {
			st.temp[i] = perm[middle+k]
			st.exchanges += float64(weight[st.temp[i]]*float64(length0-j)) + residual
			k++
		}
		i++
	}
	copy(perm[offset+i:offset+i+length0-j], perm[offset+j:offset+length0])
	copy(perm[offset:offset+i], st.temp[:i])
	return total
}
