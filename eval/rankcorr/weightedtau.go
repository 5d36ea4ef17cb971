package rankcorr

import (
	"cmp"
	"math"
	"slices"

	"github.com/ntcir-pmr/mreval/internal/workers"
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
	// The two orders are independent: for a large zoo (where they take a
	// good part of a second each) they run on two cores.
	var halves [2]float64
	workers.Do(2, workersFor(len(x)), func(_, i int) {
		if i == 0 {
			halves[0] = weightedRankedTau(x, y)
		} else {
			halves[1] = weightedRankedTau(y, x)
		}
	})
	a, b := halves[0], halves[1]
	if math.IsNaN(a) || math.IsNaN(b) {
		return 0, false
	}
	return (a + b) / 2, true
}

// parallelFrom is the size from which the two weighted τ of
// WeightedTauSym run in parallel; below it, starting a goroutine costs
// more than it saves, and evaluations already run topics in parallel.
const parallelFrom = 1 << 15

func workersFor(n int) int {
	if n < parallelFrom {
		return 1
	}
	return 2
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

// weightedItem is an item's pair of values and its position, for the sort
// of weightedRankedTau: sorting the values themselves rather than indices
// into x and y keeps every later pass sequential in memory, which decides
// the time for a million items.
type weightedItem struct {
	x, y float64
	i    int
}

// yWeight is an item's y value and its weight, in the order of the merge
// sort on y.
type yWeight struct {
	y, w float64
}

// weightedRankedTau is a port of SciPy's _weightedrankedtau(x, y, rank=None, weigher=None,
// additive=True) (scipy/stats/_stats.pyx), keeping its order of operations. It returns NaN where
// SciPy does (x or y constant). x and y must be NaN-free and len(x) ≥ 1.
func weightedRankedTau(x, y []float64) float64 {
	n := len(x)
	items := make([]weightedItem, n)
	for i := range items {
		items[i] = weightedItem{x[i], y[i], i}
	}
	// np.lexsort((y, x)) is stable: sort on x, then y, then original position.
	// Plain comparisons: x and y hold no NaN, and −0 ties with +0 as in
	// NumPy.
	slices.SortFunc(items, func(a, b weightedItem) int {
		switch {
		case a.x < b.x:
			return -1
		case a.x > b.x:
			return 1
		case a.y < b.y:
			return -1
		case a.y > b.y:
			return 1
		}
		return a.i - b.i
	})

	// rank=None: the decreasing lexicographic rank; the item at position p
	// of the sort has rank n−1−p.
	xs := make([]float64, n)
	sorted := make([]yWeight, n)
	for p, it := range items {
		xs[p] = it.x
		sorted[p] = yWeight{y: it.y, w: 1.0 / float64(1+(n-1-p))}
	}
	items = nil

	// Weight of pairs tied in both x and y (t) and of pairs tied in x (u), grouped along the sort.
	t, _ := tiedWeight(sorted, xs, true)
	u, xConstant := tiedWeight(sorted, xs, false)
	if xConstant {
		return math.NaN()
	}
	xs = nil

	st := &weightedTauState{items: sorted, temp: make([]yWeight, n)}
	st.weighedMerge(0, n)

	// sorted is now sorted by y: weight of pairs tied in y.
	v, yConstant := tiedWeight(sorted, nil, true)
	if yConstant {
		return math.NaN()
	}

	// Weight of all pairs: each item is in n−1 pairs.
	s := 0.0
	for _, it := range sorted {
		s += it.w
	}
	tot := s * float64(n-1)

	tau := ((tot - (v + u - t)) - 2*st.exchanges) / math.Sqrt(tot-u) / math.Sqrt(tot-v)
	return math.Min(1, math.Max(-1, tau))
}

// weightedTauState carries the arrays shared by the recursive merge sort of weighedMerge.
type weightedTauState struct {
	items     []yWeight // sorted by x then y, then progressively by y
	temp      []yWeight // merge buffer
	exchanges float64   // D: total weight of discordant pairs
}

// tiedWeight returns the weight of the pairs tied in x (where x is not
// nil; x[p] belongs to items[p]) and, with byY, in y too, for items sorted
// so that tied items are adjacent: a run of k tied items of total weight s
// holds pairs of weight s·(k−1). allTied reports that the items are a
// single run. The float64(...) conversions keep Go from fusing s·(k−1) +
// sum into an FMA: SciPy's wheels round the product first, and so must we
// for identical results on every architecture.
func tiedWeight(items []yWeight, x []float64, byY bool) (sum float64, allTied bool) {
	n := len(items)
	first := 0
	s := items[0].w
	for i := 1; i < n; i++ {
		if x != nil && x[first] != x[i] || byY && items[first].y != items[i].y {
			sum += float64(s * float64(i-first-1))
			first = i
			s = 0
		}
		s += items[i].w
	}
	sum += float64(s * float64(n-first-1))
	return sum, first == 0
}

// weighedMerge sorts items[offset:offset+length] by y (stable) and adds to st.exchanges the
// weight of every pair it exchanges: when an item of the right half overtakes the j-th item of
// the left half, each of the length0−j left items still waiting forms a discordant pair with it,
// of total weight w·(length0−j) + (sum of their weights). It returns the total weight of the
// section.
func (st *weightedTauState) weighedMerge(offset, length int) float64 {
	if length == 1 {
		return st.items[offset].w
	}
	length0 := length / 2
	middle := offset + length0
	residual := st.weighedMerge(offset, length0)
	total := st.weighedMerge(middle, length-length0) + residual
	left, right := st.items[offset:middle], st.items[middle:offset+length]
	if left[len(left)-1].y < right[0].y {
		return total // already in order: no exchanges
	}

	// One running sum in SciPy's order of additions, kept in a register.
	exchanges := st.exchanges
	temp := st.temp[:length]
	i, j, k := 0, 0, 0
	for j < len(left) && k < len(right) {
		if l := left[j]; l.y <= right[k].y {
			temp[i] = l
			residual -= l.w
			j++
		} else {
			r := right[k]
			temp[i] = r
			exchanges += float64(r.w*float64(len(left)-j)) + residual
			k++
		}
		i++
	}
	st.exchanges = exchanges
	copy(st.items[offset+i:], left[j:])
	copy(st.items[offset:offset+i], temp[:i])
	return total
}
