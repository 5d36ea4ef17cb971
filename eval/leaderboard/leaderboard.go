// Package leaderboard assembles the leaderboard of a set of runs: it turns
// per-run evaluation results (eval/measure) into one score matrix per
// measure, calls eval/stats for the means, confidence intervals,
// significance tests and effect sizes, and lays everything out in
// leaderboard order, ready for eval/report to format. It computes; the
// report package only formats.
//
// # Orders
//
// Statistics are computed with the runs in byte order of their tags (the
// canonical order), so that the numbers — including the seeded bootstrap
// and randomisation results — depend only on the set of runs, the topics,
// the measure and the seed, never on the order in which run files were
// given or on the sort key. They are then presented in leaderboard order:
// by the mean of the sort measure, best first (highest for a measure where
// higher is better, lowest for one where lower is better, such as regret),
// ties by tag, runs without any defined score last.
//
// Every measure uses the same seed, so a measure's statistics do not depend
// on which other measures are on the leaderboard either.
package leaderboard

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strings"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/measure"
	"github.com/ntcir-pmr/mreval/eval/stats"
	"github.com/ntcir-pmr/mreval/internal/safetext"
)

// Defaults of Options.
const (
	DefaultLevel = 0.95
	DefaultAlpha = 0.05
)

// Options configures Compute.
type Options struct {
	// SortBy is the name of the column that orders the leaderboard; ""
	// selects the first column.
	SortBy string
	// Level is the confidence level of the intervals; 0 selects
	// DefaultLevel.
	Level float64
	// Alpha is the significance level of the letter display and the
	// significance marks; 0 selects DefaultAlpha.
	Alpha float64
	// Seed seeds the bootstrap, the randomisation tests and the Tukey HSD
	// test.
	Seed uint64
	// Resamples is B of the bootstrap intervals and of the randomisation
	// tests; 0 selects stats.DefaultResamples.
	Resamples int
	// Permutations is B of the randomised Tukey HSD test; 0 selects
	// stats.DefaultResamples.
	Permutations int
	// Workers bounds the goroutines of the statistics (0 = GOMAXPROCS);
	// results do not depend on it.
	Workers int
	// Progress, if not nil, is told how far each long computation is. task
	// names it, e.g. "ndcg@10: Tukey HSD"; for a task, done only grows and
	// the last call has done == total.
	Progress func(task string, done, total int)
}

// Leaderboard is every number the reports show, in leaderboard order.
type Leaderboard struct {
	// Collection, Qrels and TopicsFrom say what the runs were scored on,
	// as reports show it: a collection name (or ""), the qrels file and
	// where the topic list came from (or "" for every judged topic).
	// Compute sets Qrels to the file name of the qrels; a caller may
	// shorten it.
	Collection string
	Qrels      string
	TopicsFrom string
	// Constraint is the model constraint every run was scored under
	// (hardware-aware selection), or "".
	Constraint string
	Topics     []string // evaluation topics, byte order: the columns of every score matrix
	// Runs are in leaderboard order (rank 1 first).
	Runs     []Run
	Measures []Measure
	SortBy   int // index in Measures of the sort measure

	Level, Alpha float64
	Seed         uint64
	Resamples    int // B of the bootstrap and the randomisation tests
	Permutations int // B of the Tukey HSD test

	// Scatter, when set (see NewScatter), pairs one run's scores with the
	// true values of the documents it ranks, per topic.
	Scatter *Scatter

	// Noise, when set (see AddNoise in noise.go), holds the noise ceiling
	// of a collection with seed runs.
	Noise *Noise
}

// Run is one row of the leaderboard.
type Run struct {
	Tag  string
	File string
	// Description is the run's system description (its <SYSDESC> line);
	// Team the team that submitted it, when known (a submission store, a
	// run name pattern). Compute copies Description from the run; the
	// caller sets Team.
	Description string
	Team        string
	// Rank is 1 + the number of runs with a strictly better mean of the
	// sort measure (equal means share a rank); runs whose sort measure is
	// undefined on every topic come last and share the rank after the
	// others.
	Rank int
	// Missing lists the evaluation topics the run does not rank. They are
	// scored on an empty ranking (trec_eval -c), so that every run is
	// averaged over the same topics.
	Missing []string
}

// Measure holds the statistics of one leaderboard column. Run indices are
// positions in Leaderboard.Runs.
type Measure struct {
	Name           string
	HigherIsBetter bool
	// Scores[run][topic] is the per-topic score; NaN = undefined.
	Scores [][]float64
	Runs   []RunStats
	// Pairs holds every pair of runs A < B in leaderboard order: (0,1),
	// (0,2), …, (1,2), … Pair(a, b) finds one.
	Pairs []Pair
	// TTestFamily and RandomisationFamily are the numbers of pairs each
	// Holm correction was applied over (pairs whose test is defined).
	TTestFamily, RandomisationFamily int
	HSD                              HSD
}

// RunStats summarises one run on one measure.
type RunStats struct {
	// Mean over the topics where the score is defined; NaN with
	// MeanUndefined giving the reason when it is defined on none.
	Mean          float64
	MeanUndefined string
	Topics        int // topics with a defined score
	Undefined     int // topics where the score is undefined
	T             Interval
	Bootstrap     Interval
	// Best marks the best mean of the measure (all runs that tie for it).
	Best bool
	// Letters is the compact letter display of the Tukey HSD test: runs
	// sharing a letter are not significantly different at level Alpha. ""
	// when HSD.LettersUndefined is set.
	Letters string
	// WorseThanBest: the run differs significantly from the best run
	// (the first run in leaderboard order whose Best is set) by the paired
	// randomisation test, Holm-adjusted p < Alpha. Never set on a Best run.
	WorseThanBest bool
}

// Interval is a confidence interval; its bounds are NaN and Undefined says
// why when it does not exist.
type Interval struct {
	Lower, Upper float64
	Undefined    string
}

// Pair holds the paired statistics of runs A and B (A above B in
// leaderboard order), oriented as A − B. p-values are two-sided.
type Pair struct {
	A, B     int
	Topics   int     // topics defined for both runs, the ones the tests use
	Dropped  int     // topics undefined for either run
	MeanDiff float64 // mean of A − B over those topics; NaN if there are none

	T             float64 // paired t statistic
	TP            float64 // its p-value
	THolm         float64 // Holm-adjusted over the TTestFamily
	TUndefined    string  // reason the t-test is undefined (T, TP, THolm NaN)
	RandP         float64 // paired randomisation test p-value
	RandHolm      float64 // Holm-adjusted over the RandomisationFamily
	RandExact     bool    // all 2ⁿ sign assignments were enumerated
	RandSamples   int     // sign assignments evaluated
	RandUndefined string  // reason the randomisation test is undefined

	HedgesG          float64 // Hedges' g_z of A − B
	HedgesGUndefined string

	HSDP  float64 // randomised Tukey HSD p-value; NaN when HSD.Undefined
	ESHSD float64 // Sakai's ES_HSD of A − B; NaN when HSD.ESUndefined

	// Significant: Holm-adjusted randomisation p < Alpha.
	Significant bool
	// HSDSignificant: Tukey HSD p < Alpha.
	HSDSignificant bool
}

// HSD is the randomised Tukey HSD test of one measure and the statistics
// that go with it.
type HSD struct {
	Undefined    string   // reason the test is undefined; P is nil then
	Topics       int      // topics defined for every run, the ones used
	Dropped      []string // topics left out because some run is undefined there
	Permutations int
	// Means[run] is the run's mean over the HSD topics (equal to
	// RunStats.Mean unless topics were dropped).
	Means []float64
	// P[a][b] = P[b][a] is the p-value of runs a and b; P[a][a] = 1.
	P [][]float64

	LettersUndefined string

	ESUndefined      string
	ResidualVariance float64 // V_E of the two-way ANOVA
	DF               int     // its degrees of freedom
	// ES[a][b] = −ES[b][a] is ES_HSD of a − b.
	ES [][]float64
}

// Pair returns the statistics of runs a and b, which are stored once as
// (min, max) and oriented min − max; aFirst reports whether a is the
// stored A, i.e. whether the pair reads as a − b. It returns nil for a == b
// or an index out of range.
func (m *Measure) Pair(a, b int) (p *Pair, aFirst bool) {
	if a == b || a < 0 || b < 0 || a >= len(m.Runs) || b >= len(m.Runs) {
		return nil, false
	}
	lo, hi := min(a, b), max(a, b)
	k := len(m.Runs)
	// Index of (lo, hi) in the order (0,1), (0,2), …, (1,2), …
	idx := lo*k - lo*(lo+1)/2 + (hi - lo - 1)
	return &m.Pairs[idx], a < b
}

// Better reports whether mean x beats mean y on the measure (strictly).
func (m *Measure) Better(x, y float64) bool {
	if m.HigherIsBetter {
		return x > y
	}
	return x < y
}

// ScoreMatrix returns scores[run][topic] of column col of results, which
// must all have been scored on the same topics with the same measures.
func ScoreMatrix(results []*measure.Result, col int) ([][]float64, error) {
	if len(results) == 0 {
		return nil, errors.New("no runs")
	}
	if err := checkAligned(results); err != nil {
		return nil, err
	}
	if col < 0 || col >= len(results[0].Columns) {
		return nil, fmt.Errorf("column %d out of range (%d columns)", col, len(results[0].Columns))
	}
	out := make([][]float64, len(results))
	for r, res := range results {
		out[r] = make([]float64, len(res.Topics))
		for t := range res.Topics {
			out[r][t] = res.PerTopic[t][col]
		}
	}
	return out, nil
}

func checkAligned(results []*measure.Result) error {
	first := results[0]
	for _, r := range results[1:] {
		if !slices.Equal(r.Topics, first.Topics) {
			return fmt.Errorf("runs %s and %s were scored on different topics (%d and %d); score them with measure.Config.Complete", first.Run.Tag, r.Run.Tag, len(first.Topics), len(r.Topics))
		}
		if len(r.Columns) != len(first.Columns) {
			return fmt.Errorf("runs %s and %s were scored with different measures", first.Run.Tag, r.Run.Tag)
		}
		for c := range r.Columns {
			if r.Columns[c].Name != first.Columns[c].Name {
				return fmt.Errorf("runs %s and %s were scored with different measures (%s, %s)", first.Run.Tag, r.Run.Tag, first.Columns[c].Name, r.Columns[c].Name)
			}
		}
	}
	return nil
}

// CheckTags rejects runs that share a tag: the leaderboard names runs by
// their tags.
func CheckTags(runs []*eval.Run) error {
	seen := make(map[string]*eval.Run, len(runs))
	for _, r := range runs {
		if prev, dup := seen[r.Tag]; dup {
			return fmt.Errorf("runs %s and %s have the same tag %q; a leaderboard needs distinct tags", safetext.Name(prev.File), safetext.Name(r.File), r.Tag)
		}
		seen[r.Tag] = r
	}
	return nil
}

// CheckColumns rejects columns a leaderboard cannot average: values not
// aggregated as a mean over topics (num_q, num_ret, ...).
func CheckColumns(cols []measure.Column) error {
	for _, c := range cols {
		if c.Family.NoPerTopic || c.Family.Aggregation != measure.Mean {
			return fmt.Errorf("measure %s is a count or a sum over topics, not a per-topic score; the leaderboard ranks runs by per-topic means (e.g. ndcg@10, tauw, regret@1)", c.Name)
		}
	}
	return nil
}

// Compute builds the leaderboard of results, one per run, all scored on the
// same topics with the same measures (see Score).
func Compute(q *eval.Qrels, results []*measure.Result, opt Options) (*Leaderboard, error) {
	if len(results) == 0 {
		return nil, errors.New("no runs to rank")
	}
	if err := checkAligned(results); err != nil {
		return nil, err
	}
	if len(results[0].Topics) == 0 {
		return nil, errors.New("no topics to rank the runs on")
	}
	cols := results[0].Columns
	if len(cols) == 0 {
		return nil, errors.New("no measures")
	}
	if err := CheckColumns(cols); err != nil {
		return nil, err
	}
	opt, err := resolve(opt)
	if err != nil {
		return nil, err
	}
	sortBy := 0
	if opt.SortBy != "" {
		sortBy = slices.IndexFunc(cols, func(c measure.Column) bool { return c.Name == opt.SortBy })
		if sortBy < 0 {
			names := make([]string, len(cols))
			for i, c := range cols {
				names[i] = c.Name
			}
			return nil, fmt.Errorf("sort measure %s is not on the leaderboard (measures: %s)", opt.SortBy, strings.Join(names, ", "))
		}
	}

	runs := make([]*eval.Run, len(results))
	for i, r := range results {
		runs[i] = r.Run
	}
	if err := CheckTags(runs); err != nil {
		return nil, err
	}
	// Canonical order: by tag.
	canon := slices.Clone(results)
	slices.SortFunc(canon, func(a, b *measure.Result) int { return cmp.Compare(a.Run.Tag, b.Run.Tag) })

	computed := make([]canonStats, len(cols))
	for c, col := range cols {
		scores, _ := ScoreMatrix(canon, c)
		cs, err := computeMeasure(col, scores, opt)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", col.Name, err)
		}
		computed[c] = cs
	}

	// Leaderboard order by the sort measure.
	sortCol := cols[sortBy]
	key := computed[sortBy].runs
	order := make([]int, len(canon)) // order[display] = canonical index
	for i := range order {
		order[i] = i
	}
	higher := sortCol.Family.Direction == measure.HigherIsBetter
	better := func(x, y float64) int { // <0 when x ranks above y
		xn, yn := math.IsNaN(x), math.IsNaN(y)
		switch {
		case xn && yn:
			return 0
		case xn:
			return 1
		case yn:
			return -1
		case higher:
			return cmp.Compare(y, x)
		default:
			return cmp.Compare(x, y)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return better(key[a].Mean, key[b].Mean) })

	lb := &Leaderboard{
		Qrels:        qrelsFile(q),
		Topics:       slices.Clone(results[0].Topics),
		SortBy:       sortBy,
		Level:        opt.Level,
		Alpha:        opt.Alpha,
		Seed:         opt.Seed,
		Resamples:    opt.Resamples,
		Permutations: opt.Permutations,
	}
	for d, ci := range order {
		res := canon[ci]
		run := Run{Tag: res.Run.Tag, File: res.Run.File, Description: res.Run.Description, Rank: 1}
		for e := range d {
			if better(key[order[e]].Mean, key[ci].Mean) < 0 {
				run.Rank++
			}
		}
		for t, in := range res.InRun {
			if !in {
				run.Missing = append(run.Missing, res.Topics[t])
			}
		}
		lb.Runs = append(lb.Runs, run)
	}
	for c, col := range cols {
		lb.Measures = append(lb.Measures, present(col, computed[c], order, lb.Topics, opt.Alpha))
	}
	return lb, nil
}

func qrelsFile(q *eval.Qrels) string {
	if q == nil {
		return ""
	}
	return q.File
}

func resolve(opt Options) (Options, error) {
	if opt.Level == 0 {
		opt.Level = DefaultLevel
	}
	if opt.Alpha == 0 {
		opt.Alpha = DefaultAlpha
	}
	if !(opt.Level > 0 && opt.Level < 1) {
		return opt, fmt.Errorf("confidence level %v is not in (0, 1)", opt.Level)
	}
	if !(opt.Alpha > 0 && opt.Alpha < 1) {
		return opt, fmt.Errorf("significance level %v is not in (0, 1)", opt.Alpha)
	}
	if opt.Resamples == 0 {
		opt.Resamples = stats.DefaultResamples
	}
	if opt.Permutations == 0 {
		opt.Permutations = stats.DefaultResamples
	}
	if opt.Resamples < 0 || opt.Permutations < 0 {
		return opt, fmt.Errorf("the numbers of resamples (%d) and permutations (%d) must be positive", opt.Resamples, opt.Permutations)
	}
	if opt.Workers < 0 {
		return opt, fmt.Errorf("number of workers %d is negative", opt.Workers)
	}
	return opt, nil
}

// canonStats is what eval/stats returned for one measure, runs in
// canonical order.
type canonStats struct {
	scores   [][]float64
	runs     []stats.RunInterval
	pairwise stats.Pairwise
	hsd      stats.HSD
	hsdErr   error
	es       stats.HSDEffectSizes
	esErr    error
	letters  stats.LetterDisplay
	ldErr    error
}

func computeMeasure(col measure.Column, scores [][]float64, opt Options) (canonStats, error) {
	cs := canonStats{scores: scores}
	progress := func(task string) func(done, total int) {
		if opt.Progress == nil {
			return nil
		}
		name := col.Name + ": " + task
		return func(done, total int) { opt.Progress(name, done, total) }
	}
	var err error
	cs.runs, err = stats.MeanIntervals(scores, opt.Level, stats.BootstrapOptions{
		Resamples: opt.Resamples, Seed: opt.Seed, Workers: opt.Workers, Progress: progress("bootstrap intervals"),
	})
	if err != nil {
		return cs, err
	}
	cs.pairwise, err = stats.PairwiseComparisons(scores, stats.PairwiseOptions{
		Resamples: opt.Resamples, Seed: opt.Seed, Workers: opt.Workers, Progress: progress("randomisation tests"),
	})
	if err != nil {
		return cs, err
	}
	for _, pc := range cs.pairwise.Pairs {
		for _, e := range []error{pc.TTestErr, pc.RandomisationErr, pc.HedgesGErr} {
			if e != nil && !errors.Is(e, stats.ErrUndefined) {
				return cs, e
			}
		}
	}

	if len(scores) < 2 {
		cs.hsdErr = fmt.Errorf("%w: the Tukey HSD test compares at least 2 runs, got 1", stats.ErrUndefined)
		cs.esErr = fmt.Errorf("%w: ES_HSD compares at least 2 runs, got 1", stats.ErrUndefined)
	} else {
		cs.hsd, cs.hsdErr = stats.RandomisedTukeyHSD(scores, stats.HSDOptions{
			Permutations: opt.Permutations, Seed: opt.Seed, Workers: opt.Workers, Progress: progress("Tukey HSD"),
		})
		cs.es, cs.esErr = stats.EffectSizesHSD(scores)
	}
	for _, e := range []error{cs.hsdErr, cs.esErr} {
		if e != nil && !errors.Is(e, stats.ErrUndefined) {
			return cs, e
		}
	}
	// The means that are shown, ranked and lettered are exact means: equal
	// multisets of per-topic scores give the same bits whatever the topic
	// order, so runs with equal scores share a rank (stats' shifted sum
	// depends on the first topic).
	for r := range cs.runs {
		if cs.runs[r].Err == nil {
			cs.runs[r].Mean = exactMean(scores[r], nil)
		}
	}
	if cs.hsdErr == nil {
		for r := range cs.hsd.Means {
			cs.hsd.Means[r] = exactMean(scores[r], cs.hsd.Topics)
		}
	}

	// Letters: the CLD puts the highest mean first and names its letter
	// "a"; for a lower-is-better measure the means are negated so that "a"
	// goes to the best run either way.
	sign := 1.0
	if col.Family.Direction == measure.LowerIsBetter {
		sign = -1
	}
	// A single run has no letters: the HSD test is undefined, and a
	// lone "a" would read as a test passed.
	switch {
	case cs.hsdErr != nil:
		cs.ldErr = cs.hsdErr
	default:
		means := make([]float64, len(cs.hsd.Means))
		for r, m := range cs.hsd.Means {
			means[r] = sign * m
		}
		cs.letters, cs.ldErr = stats.CompactLetterDisplay(means, cs.hsd.P, opt.Alpha)
	}
	return cs, nil
}

// reason turns an ErrUndefined error into the reason a statistic is
// undefined, without the run indices of the canonical order.
func reason(err error) string {
	if err == nil {
		return ""
	}
	msg := err.Error()
	if _, after, ok := strings.Cut(msg, stats.ErrUndefined.Error()+": "); ok {
		return after
	}
	return msg
}

// present lays out the canonical-order statistics of one measure in
// leaderboard order; order[display] is the canonical index.
func present(col measure.Column, cs canonStats, order []int, topics []string, alpha float64) Measure {
	k := len(order)
	m := Measure{
		Name:                col.Name,
		HigherIsBetter:      col.Family.Direction == measure.HigherIsBetter,
		Scores:              make([][]float64, k),
		Runs:                make([]RunStats, k),
		TTestFamily:         cs.pairwise.TTestFamily,
		RandomisationFamily: cs.pairwise.RandomisationFamily,
	}
	display := make([]int, k) // display[canonical] = leaderboard position
	for d, c := range order {
		display[c] = d
	}
	for d, c := range order {
		m.Scores[d] = cs.scores[c]
		ri := cs.runs[c]
		rs := RunStats{
			Mean:      ri.Mean,
			Topics:    ri.Topics,
			Undefined: ri.Dropped,
			T:         Interval{Lower: ri.T.Lower, Upper: ri.T.Upper, Undefined: reason(ri.TErr)},
			Bootstrap: Interval{Lower: ri.Bootstrap.Lower, Upper: ri.Bootstrap.Upper, Undefined: reason(ri.BootstrapErr)},
		}
		if ri.Err != nil {
			rs.MeanUndefined = fmt.Sprintf("the score is undefined on all %d topics", ri.Dropped)
			rs.T.Undefined, rs.Bootstrap.Undefined = rs.MeanUndefined, rs.MeanUndefined
		}
		m.Runs[d] = rs
	}

	// Best means.
	best := math.NaN()
	for _, rs := range m.Runs {
		if !math.IsNaN(rs.Mean) && (math.IsNaN(best) || m.Better(rs.Mean, best)) {
			best = rs.Mean
		}
	}
	bestRun := -1
	for d := range m.Runs {
		if m.Runs[d].Mean == best {
			m.Runs[d].Best = true
			if bestRun < 0 {
				bestRun = d
			}
		}
	}

	// HSD.
	h := &m.HSD
	h.Permutations = cs.hsd.Permutations
	if cs.hsdErr != nil {
		h.Undefined = reason(cs.hsdErr)
	} else {
		h.Topics = len(cs.hsd.Topics)
		for _, t := range cs.hsd.Dropped {
			h.Dropped = append(h.Dropped, topics[t])
		}
		h.Means = make([]float64, k)
		h.P = make([][]float64, k)
		for d, c := range order {
			h.Means[d] = cs.hsd.Means[c]
			h.P[d] = make([]float64, k)
			for e, c2 := range order {
				h.P[d][e] = cs.hsd.P[c][c2]
			}
		}
	}
	if cs.esErr != nil {
		h.ESUndefined = reason(cs.esErr)
	} else {
		h.ResidualVariance, h.DF = cs.es.ResidualVariance, cs.es.DF
		h.ES = make([][]float64, k)
		for d, c := range order {
			h.ES[d] = make([]float64, k)
			for e, c2 := range order {
				h.ES[d][e] = cs.es.ES[c][c2]
			}
		}
	}
	if cs.ldErr != nil {
		h.LettersUndefined = reason(cs.ldErr)
	} else {
		for c, l := range cs.letters.Letters {
			m.Runs[display[c]].Letters = l
		}
	}

	// Pairs in leaderboard order.
	m.Pairs = make([]Pair, 0, k*(k-1)/2)
	for a := range k {
		for b := a + 1; b < k; b++ {
			m.Pairs = append(m.Pairs, Pair{A: a, B: b})
		}
	}
	for _, pc := range cs.pairwise.Pairs {
		da, db := display[pc.A], display[pc.B]
		p, aFirst := m.Pair(da, db)
		sign := 1.0
		if !aFirst {
			sign = -1
		}
		p.Topics, p.Dropped = pc.Topics, pc.Dropped
		p.MeanDiff = sign * pc.MeanDiff
		p.T, p.TP, p.THolm, p.TUndefined = sign*pc.TTest.T, pc.TTest.P, pc.TTestHolm, reason(pc.TTestErr)
		p.RandP, p.RandHolm, p.RandUndefined = pc.Randomisation.P, pc.RandomisationHolm, reason(pc.RandomisationErr)
		p.RandExact, p.RandSamples = pc.Randomisation.Exact, pc.Randomisation.Assignments
		p.HedgesG, p.HedgesGUndefined = sign*pc.HedgesG, reason(pc.HedgesGErr)
		if pc.HedgesGErr != nil {
			p.HedgesG = math.NaN()
		}
		p.HSDP, p.ESHSD = math.NaN(), math.NaN()
		if h.P != nil {
			p.HSDP = h.P[p.A][p.B]
			p.HSDSignificant = p.HSDP < alpha
		}
		if h.ES != nil {
			p.ESHSD = h.ES[p.A][p.B]
		}
		p.Significant = pc.RandomisationErr == nil && p.RandHolm < alpha
	}
	if bestRun >= 0 {
		for d := range m.Runs {
			if m.Runs[d].Best {
				continue
			}
			if p, _ := m.Pair(bestRun, d); p != nil && p.Significant {
				m.Runs[d].WorseThanBest = true
			}
		}
	}
	return m
}

// exactMean returns the mean of the defined (non-NaN) values of x, or of
// x[t] for t in topics when topics is not nil: the exact sum, divided by
// their number and rounded once to the nearest float64. It depends on the
// multiset of values only, never on their order, and a constant gives back
// exactly itself. The values are finite (stats has checked them).
func exactMean(x []float64, topics []int) float64 {
	// 2200 bits hold the exact sum of up to 2^100 float64 values: their
	// binary exponents span 2^-1074 to 2^1023.
	sum := new(big.Float).SetPrec(2200)
	var term big.Float
	n := 0
	add := func(v float64) {
		if !math.IsNaN(v) {
			sum.Add(sum, term.SetFloat64(v))
			n++
		}
	}
	if topics == nil {
		for _, v := range x {
			add(v)
		}
	} else {
		for _, t := range topics {
			add(x[t])
		}
	}
	if n == 0 {
		return math.NaN()
	}
	mean, _ := new(big.Float).SetPrec(53).Quo(sum, new(big.Float).SetInt64(int64(n))).Float64()
	return mean
}
