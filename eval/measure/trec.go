package measure

import (
	"cmp"
	"math"
	"slices"
)

// trecCounts is trec_eval's RES_RELS for one topic (form_res_rels.c): the
// counts most of its measures start from. It is computed once per topic.
type trecCounts struct {
	// rels is TrecRels: the level of each retrieved document in trec_eval's
	// order (−1 not in the qrels, −2 judged with a negative level).
	rels []int64
	// numRet, numRel and numRelRet as trec_eval counts them: numRel over
	// the levels ≥ 0 and ≥ -l; numRelRet over retrieved documents judged
	// ≥ 0 with a level ≥ -l (so -l 0 or below never counts unjudged ones).
	numRet, numRel, numRelRet int64
	// numNonpool and numUnjudged count retrieved documents not in the
	// qrels and judged with a negative level; both 0 under -J, where
	// trec_eval does not count them.
	numNonpool, numUnjudged int64
	// levels holds the judged levels ≥ 0 of the topic with their counts,
	// in increasing order of level (trec_eval's rel_levels without the
	// empty levels; trecGains lists those).
	levels []levelCount
	// numRelLevels is the highest judged level ≥ 0 plus one (0 when the
	// topic judges nothing ≥ 0).
	numRelLevels int64
}

type levelCount struct {
	level, count int64
}

// trecCounts returns the topic's trec_eval counts.
func (t *Topic) trecCounts() *trecCounts {
	if t.trec != nil {
		return t.trec
	}
	c := &trecCounts{rels: t.TrecRels()}
	byLevel := map[int64]int64{}
	for _, v := range t.Qrels.Value {
		if l := TrecLevel(v); l >= 0 {
			byLevel[l]++
		}
	}
	for l, n := range byLevel {
		c.levels = append(c.levels, levelCount{l, n})
		if l >= t.Opts.RelevanceLevel {
			c.numRel += n
		}
		c.numRelLevels = max(c.numRelLevels, l+1)
	}
	slices.SortFunc(c.levels, func(a, b levelCount) int { return cmp.Compare(a.level, b.level) })
	c.numRet = int64(len(c.rels))
	for _, r := range c.rels {
		switch {
		case r == relNonPool:
			c.numNonpool++
		case r == relUnjudged:
			c.numUnjudged++
		case r >= t.Opts.RelevanceLevel:
			c.numRelRet++
		}
	}
	t.trec = c
	return c
}

// countAt is the number of judged documents at level l (0 when none).
func (c *trecCounts) countAt(l int64) int64 {
	i, ok := slices.BinarySearchFunc(c.levels, l, func(lc levelCount, l int64) int {
		switch {
		case lc.level < l:
			return -1
		case lc.level > l:
			return 1
		}
		return 0
	})
	if !ok {
		return 0
	}
	return c.levels[i].count
}

// indefinite is the NaN an x86 processor returns for 0/0, with its sign
// bit set: trec_eval 9.0.8, built for x86-64, prints it as "-nan". The
// trec_eval families return it where trec_eval divides zero by zero, so
// the output matches the reference on every platform.
var indefinite = math.Float64frombits(0xFFF8000000000000)

// cdiv is a/b with C's result on x86 for 0/0 (see indefinite).
func cdiv(a, b float64) float64 {
	if b == 0 && a == 0 {
		return indefinite
	}
	return a / b
}

// cmax is C's MAX(a, b) macro, ((a) > (b) ? (a) : (b)): unlike Go's max,
// a NaN a gives b.
func cmax(a, b float64) float64 {
	if a > b {
		return a
	}
	return b
}

// geoLog is the value gm_map and gm_bpref keep per topic:
// log(MAX(x, MIN_GEO_MEAN)).
func geoLog(x float64) float64 { return math.Log(cmax(x, MinGeoMean)) }

// relevant tells whether a level of TrecRels counts as relevant under -l,
// as trec_eval's measures compare it (so -l 0 or below counts the
// markers of unjudged documents too, as trec_eval does).
func (t *Topic) relevant(r int64) bool { return r >= t.Opts.RelevanceLevel }

// relGain is one entry of trec_eval's gain table (REL_GAIN of m_ndcg.c).
type relGain struct {
	level, numAtLevel int64
	gain              float64
}

// trecGains is setup_gains of trec_eval's m_ndcg.c, m_ndcg_rel.c,
// m_Rndcg.c and m_G.c: the level=gain pairs given (params: level, gain,
// ...), then every judged level not among them with gain = level, sorted
// by increasing gain with trec_eval's comparator, which truncates the
// difference of two gains to an int (so gains less than 1 apart compare
// equal) under glibc's merge sort.
func (t *Topic) trecGains(params []float64) []relGain {
	c := t.trecCounts()
	gains := make([]relGain, 0, len(params)/2+len(c.levels))
	for i := 0; i+1 < len(params); i += 2 {
		gains = append(gains, relGain{level: int64(params[i]), gain: params[i+1]})
	}
	given := len(gains)
	add := func(level, count int64) {
		j := slices.IndexFunc(gains[:given], func(g relGain) bool { return g.level == level })
		if j >= 0 {
			gains[j].numAtLevel = count
		} else {
			gains = append(gains, relGain{level: level, gain: float64(level), numAtLevel: count})
		}
	}
	if c.numRelLevels <= maxDenseLevels {
		// Every level from 0 to the highest judged, as trec_eval lists
		// them: an empty level still takes part in the sort, and can end
		// up last, where the ideal ranking starts.
		for l := int64(0); l < c.numRelLevels; l++ {
			add(l, c.countAt(l))
		}
	} else {
		for _, lc := range c.levels {
			add(lc.level, lc.count)
		}
	}
	glibcMergeSort(gains, func(a, b relGain) int { return cInt(a.gain - b.gain) })
	return gains
}

// maxDenseLevels bounds the levels trecGains lists one by one. trec_eval
// allocates a counter per level up to the highest judged, so judgments
// beyond it need gigabytes there; mreval then lists the judged levels only,
// which differs from trec_eval only with level=gain pairs whose sort puts
// an empty level last.
const maxDenseLevels = 1 << 16

// gainOf is get_gain: the gain of the first entry for level r, 0 when
// none (unjudged documents, −1 and −2, unless a pair names them).
func gainOf(gains []relGain, r int64) float64 {
	for _, g := range gains {
		if g.level == r {
			return g.gain
		}
	}
	return 0
}

// glibcMergeSort sorts s as glibc's qsort does for small arrays
// (msort.c: top-down merge sort, stable, left run first on ties). trec_eval
// sorts its gain table with a comparator that is not a strict order, so
// only the same algorithm gives the same table.
func glibcMergeSort[T any](s []T, compare func(a, b T) int) {
	if len(s) < 2 {
		return
	}
	n1 := len(s) / 2
	glibcMergeSort(s[:n1], compare)
	glibcMergeSort(s[n1:], compare)
	merged := make([]T, 0, len(s))
	i, j := 0, n1
	for i < n1 && j < len(s) {
		if compare(s[i], s[j]) <= 0 {
			merged = append(merged, s[i])
			i++
		} else {
			merged = append(merged, s[j])
			j++
		}
	}
	merged = append(merged, s[i:n1]...)
	copy(s, merged)
}

// cInt is C's conversion of a double to int on x86-64: truncation, and
// INT_MIN for NaN or a value out of range.
func cInt(x float64) int {
	if math.IsNaN(x) || x >= 1<<31 || x <= -(1<<31)-1 {
		return math.MinInt32
	}
	return int(x)
}
