package noise

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"sync"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/measure"
	"github.com/ntcir-pmr/mreval/internal/workers"
)

// OracleTag names the oracle system: the ranking of the shipped qrels
// order, each model scored by its judged value.
const OracleTag = "oracle"

// DefaultDraws is the default number B of re-drawn ground truths.
const DefaultDraws = 1000

// CeilingMeasures are the measures of `mreval noise`: the task's official
// ones.
var CeilingMeasures = []string{"ndcg@10", "tauw", "regret@1"}

// Input is what the ceilings are computed from.
type Input struct {
	// Qrels holds the shipped judged values; every topic of Topics must be
	// judged there.
	Qrels *eval.Qrels
	// Topics are the topics to re-draw, in output order.
	Topics []string
	// Noise is each topic's noise (NewPerturbation).
	Noise map[string]Perturbation
	// Runs are scored on the same draws as the oracle. A topic a run does
	// not rank is scored on an empty ranking (as trec_eval -c and the
	// leaderboard do); System.Missing lists it. Systems are told apart by
	// position, so tags need not be distinct.
	Runs []*eval.Run
}

// Config says what to compute.
type Config struct {
	Measures []*measure.Measure
	// Options are the evaluation options (nil = measure.DefaultOptions()).
	Options *measure.Options
	Draws   int    // B, at least 2; 0 selects DefaultDraws
	Seed    uint64 // seed of the draws
	// Workers bounds the goroutines (0 = GOMAXPROCS). Results do not
	// depend on it.
	Workers int
	// Progress, if not nil, is called with the number of draws done and
	// the total (calls are serialised; done only grows, the last call has
	// done == total).
	Progress func(done, total int)

	generic bool // tests: score every measure through measure.Evaluate
}

// System is a ranking scored on the draws: the oracle or a run.
type System struct {
	Tag, File string
	Missing   []string // topics the run does not rank
}

// Ceilings holds every system's score on every draw.
type Ceilings struct {
	Topics  []string
	Columns []measure.Column
	Draws   int
	Seed    uint64
	// Systems[0] is the oracle, then the runs in input order.
	Systems []System
	// values[s*len(Columns)+c][t*Draws+b]: system s, column c, topic t,
	// draw b; NaN = undefined.
	values [][]float64
	// shipped[s*len(Columns)+c][t]: the score on the shipped qrels.
	shipped [][]float64
}

// Shipped returns system s's score on column col and topic t on the
// shipped qrels (no noise): what measure.Evaluate gives it.
func (c *Ceilings) Shipped(s, col, t int) float64 { return c.shipped[s*len(c.Columns)+col][t] }

// ShippedMean is system s's mean of column col over the topics on the
// shipped qrels (over the topics where it is defined; NaN when none).
func (c *Ceilings) ShippedMean(s, col int) float64 {
	return meanDefined(c.shipped[s*len(c.Columns)+col])
}

// meanDefined is the mean of the non-NaN values, summed in order (as
// measure.Evaluate averages), or NaN when there are none.
func meanDefined(values []float64) float64 {
	sum, n := 0.0, 0
	for _, v := range values {
		if !math.IsNaN(v) {
			sum += v
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

// Values returns the Draws values of system s on column c and topic t
// (indices into Systems, Columns and Topics); NaN marks an undefined
// value. The slice is shared: do not modify it.
func (c *Ceilings) Values(s, col, t int) []float64 {
	v := c.values[s*len(c.Columns)+col]
	return v[t*c.Draws : (t+1)*c.Draws]
}

// MeanValues returns, per draw, the mean of system s's column col over the
// topics where it is defined (summed in topic order, as measure.Evaluate
// averages), NaN when it is defined on none.
func (c *Ceilings) MeanValues(s, col int) []float64 {
	out := make([]float64, c.Draws)
	perTopic := make([]float64, len(c.Topics))
	for b := range out {
		for t := range c.Topics {
			perTopic[t] = c.values[s*len(c.Columns)+col][t*c.Draws+b]
		}
		out[b] = meanDefined(perTopic)
	}
	return out
}

// Summary is the distribution of a score over the draws.
type Summary struct {
	// Mean is the mean over the draws where the score is defined; Lo and
	// Hi bound the central interval at the requested level. All three are
	// NaN when Defined is 0.
	Mean, Lo, Hi float64
	Defined      int // draws with a defined value
}

// Summarise returns the mean and the central interval at level (e.g. 0.95)
// of the defined (non-NaN) values: the empirical α/2 and 1 − α/2
// quantiles, α = 1 − level, as the order statistics ⌈m·α/2⌉ and
// ⌈m·(1 − α/2)⌉ of the m sorted values (no interpolation; with m = 1,000
// the 25th and 975th), the convention of stats.BootstrapInterval.
func Summarise(values []float64, level float64) Summary {
	def := make([]float64, 0, len(values))
	for _, v := range values {
		if !math.IsNaN(v) {
			def = append(def, v)
		}
	}
	m := len(def)
	if m == 0 {
		return Summary{Mean: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
	}
	sum := 0.0
	for _, v := range def {
		sum += v
	}
	slices.Sort(def)
	alpha := 1 - level
	return Summary{
		Mean:    sum / float64(m),
		Lo:      def[orderStatistic(m, alpha/2)],
		Hi:      def[orderStatistic(m, 1-alpha/2)],
		Defined: m,
	}
}

// orderStatistic is the 0-based index ⌈m·p⌉ − 1 of the empirical
// p-quantile of m sorted values, clamped to [0, m − 1]; m·p is lowered by
// 1e-6 first so that a product meant to be an integer (1,000 × 0.025) is
// not rounded up by representation error (as in eval/stats).
func orderStatistic(m int, p float64) int {
	k := int(math.Ceil(float64(m)*p-1e-6)) - 1
	return min(max(k, 0), m-1)
}

// Topic summarises system s on column col and topic t at level.
func (c *Ceilings) Topic(s, col, t int, level float64) Summary {
	return Summarise(c.Values(s, col, t), level)
}

// All summarises system s's mean over the topics (MeanValues) at level.
func (c *Ceilings) All(s, col int, level float64) Summary {
	return Summarise(c.MeanValues(s, col), level)
}

// DiffValues returns, per draw, the mean difference between systems a and
// b on column col over the topics where both are defined (the paired
// difference a leaderboard shows, re-measured on each draw); NaN on a draw
// where no topic has both.
func (c *Ceilings) DiffValues(a, b, col int) []float64 {
	va := c.values[a*len(c.Columns)+col]
	vb := c.values[b*len(c.Columns)+col]
	out := make([]float64, c.Draws)
	diffs := make([]float64, len(c.Topics))
	for d := range out {
		for t := range c.Topics {
			diffs[t] = va[t*c.Draws+d] - vb[t*c.Draws+d] // NaN when either is
		}
		out[d] = meanDefined(diffs)
	}
	return out
}

// OracleRun is the oracle of q on topics: each judged model scored by its
// judged value, in evaluation order (ties by docno, as eval.CompareEntries).
func OracleRun(q *eval.Qrels, topics []string) *eval.Run {
	run := &eval.Run{File: q.File, Tag: OracleTag, ByID: map[string]*eval.Ranking{}}
	for _, topic := range topics {
		tq := q.Topic(topic)
		if tq == nil {
			continue
		}
		r := &eval.Ranking{Topic: topic, Entries: make([]eval.Entry, len(tq.Docs))}
		for i, d := range tq.Docs {
			r.Entries[i] = eval.Entry{Doc: d, Score: tq.Value[d]}
		}
		eval.SortEntries(r.Entries)
		run.ByID[topic] = r
		run.Topics = append(run.Topics, topic)
	}
	slices.Sort(run.Topics)
	return run
}

// kernel says how a measure is computed: by a kernel (kernels.go) or
// through measure.Evaluate.
type kernel int

const (
	generic kernel = iota
	kernelNDCG
	kernelTauw
	kernelRegret
	kernelNear
)

// kernelFor picks the kernel of m under opts: nDCG at cutoffs with linear
// gains, τw, regret@k and near@k; anything else is generic.
func kernelFor(m *measure.Measure, opts *measure.Options) kernel {
	switch m.Family.Name {
	case "ndcg":
		if opts.Gain != measure.GainLinear || slices.Contains(m.Params, 0) {
			return generic
		}
		return kernelNDCG
	case "tauw":
		return kernelTauw
	case "regret":
		return kernelRegret
	case "near":
		return kernelNear
	}
	return generic
}

// ComputeCeilings re-draws the ground truth of every topic cfg.Draws times
// and scores the oracle and the runs on each draw.
//
// Draw b of topic t uses its own random stream, derived from (cfg.Seed,
// the topic's name, b): the results do not depend on cfg.Workers, and a
// topic's draws do not depend on which other topics are computed.
func ComputeCeilings(in Input, cfg Config) (*Ceilings, error) {
	if cfg.Draws == 0 {
		cfg.Draws = DefaultDraws
	}
	if cfg.Draws < 2 {
		return nil, fmt.Errorf("ceilings need at least 2 draws, got %d", cfg.Draws)
	}
	if len(in.Topics) == 0 {
		return nil, errors.New("ceilings: no topics")
	}
	if len(cfg.Measures) == 0 {
		return nil, errors.New("ceilings: no measures")
	}
	opts := cfg.Options
	if opts == nil {
		opts = measure.DefaultOptions()
	}
	cols := measure.Columns(cfg.Measures)
	for _, c := range cols {
		if c.Family.NoPerTopic || c.Family.Aggregation != measure.Mean {
			return nil, fmt.Errorf("measure %s is a count or a sum over topics, not a per-topic score", c.Name)
		}
	}
	if in.Qrels == nil {
		return nil, errors.New("ceilings: no qrels")
	}
	frames := make([]*topicFrame, len(in.Topics))
	seen := map[string]bool{}
	for t, topic := range in.Topics {
		if seen[topic] {
			return nil, fmt.Errorf("ceilings: topic %s is listed twice", topic)
		}
		seen[topic] = true
		tq := in.Qrels.Topic(topic)
		if tq == nil || len(tq.Docs) == 0 {
			return nil, fmt.Errorf("%s: topic %s has no judgments", in.Qrels.File, topic)
		}
		p, ok := in.Noise[topic]
		if !ok {
			return nil, fmt.Errorf("topic %s has no noise model (no seed runs)", topic)
		}
		if err := p.check(); err != nil {
			return nil, fmt.Errorf("topic %s: %v", topic, err)
		}
		frames[t] = newTopicFrame(tq)
	}
	systems := []System{{Tag: OracleTag, File: in.Qrels.File}}
	runs := []*eval.Run{OracleRun(in.Qrels, in.Topics)}
	for _, r := range in.Runs {
		sys := System{Tag: r.Tag, File: r.File}
		for _, topic := range in.Topics {
			if r.Ranking(topic) == nil {
				sys.Missing = append(sys.Missing, topic)
			}
		}
		systems = append(systems, sys)
		runs = append(runs, r)
	}

	// Which measures go through a kernel, and the largest cutoffs the
	// kernels need.
	kernels := make([]kernel, len(cfg.Measures))
	var genericMeasures []*measure.Measure
	trecCut, regretCut := 0, 0
	for i, m := range cfg.Measures {
		if !cfg.generic {
			kernels[i] = kernelFor(m, opts)
		}
		switch kernels[i] {
		case generic:
			genericMeasures = append(genericMeasures, m)
		case kernelNDCG:
			trecCut = max(trecCut, int(slices.Max(m.Params)))
		case kernelRegret, kernelNear:
			regretCut = max(regretCut, int(slices.Max(m.Params)))
		}
	}
	prepared := make([][]*systemTopic, len(runs)) // [system][topic]
	for s, run := range runs {
		prepared[s] = make([]*systemTopic, len(in.Topics))
		for t, topic := range in.Topics {
			var ranked []eval.Entry
			if r := run.Ranking(topic); r != nil {
				ranked = r.Entries
			}
			prepared[s][t] = prepareSystem(frames[t], in.Qrels.Topic(topic), ranked, opts, trecCut, regretCut)
		}
	}

	c := &Ceilings{Topics: slices.Clone(in.Topics), Columns: cols, Draws: cfg.Draws, Seed: cfg.Seed, Systems: systems}
	c.values = make([][]float64, len(systems)*len(cols))
	c.shipped = make([][]float64, len(systems)*len(cols))
	for i := range c.values {
		c.values[i] = make([]float64, len(in.Topics)*cfg.Draws)
		c.shipped[i] = make([]float64, len(in.Topics))
	}
	// Generic measures are scored per draw through measure.Evaluate on
	// qrels holding the drawn values; genericCols are their columns.
	j := &job{c: c, in: in, frames: frames, prepared: prepared, measures: cfg.Measures, kernels: kernels,
		opts: opts, runs: runs, genericMeasures: genericMeasures, trecCut: trecCut}
	j.tauw = slices.Contains(kernels, kernelTauw)
	for ci, col := range cols {
		if kernels[col.Index()] == generic {
			j.genericCols = append(j.genericCols, ci)
		}
	}
	j.topicSeeds = make([]uint64, len(in.Topics))
	for t, topic := range in.Topics {
		h := fnv.New64a()
		h.Write([]byte(topic))
		j.topicSeeds[t] = splitmix64(splitmix64(cfg.Seed) ^ h.Sum64())
	}

	// Each goroutine keeps its own scratch worker; a panic in a draw (a
	// bug) comes back as an error instead of ending the process.
	scratch := make([]*worker, workers.Count(cfg.Workers, cfg.Draws))
	var mu sync.Mutex
	done := 0
	if cfg.Progress != nil {
		cfg.Progress(0, cfg.Draws)
	}
	err := workers.Run(cfg.Draws, cfg.Workers, func(wi, b int) error {
		if scratch[wi] == nil {
			scratch[wi] = newWorker(frames, trecCut)
		}
		scratch[wi].draw(j, b)
		if cfg.Progress != nil {
			mu.Lock()
			done++
			cfg.Progress(done, cfg.Draws)
			mu.Unlock()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	newWorker(frames, trecCut).shipped(j)
	return c, nil
}

// job is the read-only state the workers share.
type job struct {
	c               *Ceilings
	in              Input
	frames          []*topicFrame
	prepared        [][]*systemTopic // [system][topic]
	measures        []*measure.Measure
	kernels         []kernel // per measure
	opts            *measure.Options
	runs            []*eval.Run // per system (the oracle first)
	genericMeasures []*measure.Measure
	genericCols     []int
	topicSeeds      []uint64
	trecCut         int
	tauw            bool // some measure is τw: sort each draw for it
}

// check rejects a perturbation that cannot be drawn from.
func (p Perturbation) check() error {
	switch p.Model {
	case Empirical:
		if len(p.Residuals) == 0 {
			return errors.New("the empirical noise model has no residuals")
		}
		for _, r := range p.Residuals {
			if math.IsNaN(r) || math.IsInf(r, 0) {
				return fmt.Errorf("residual %v is not finite", r)
			}
		}
	case Gaussian, GaussianMAD:
		if !(p.Sigma >= 0) || math.IsInf(p.Sigma, 0) {
			return fmt.Errorf("σ = %v is not a finite non-negative number", p.Sigma)
		}
	default:
		return fmt.Errorf("unknown noise model %v", p.Model)
	}
	return nil
}

// worker holds one goroutine's buffers.
type worker struct {
	pcg   *rand.PCG
	rng   *rand.Rand
	x     [][]float64 // drawn values per topic
	stats drawStats
	top   []float64
	tau   tauwScratch
	out   []float64
}

func newWorker(frames []*topicFrame, trecCut int) *worker {
	w := &worker{pcg: rand.NewPCG(0, 0), top: make([]float64, 0, trecCut)}
	w.rng = rand.New(w.pcg)
	w.x = make([][]float64, len(frames))
	for t, f := range frames {
		w.x[t] = make([]float64, len(f.docs))
	}
	return w
}

// draw computes draw b of every topic for every system.
func (w *worker) draw(j *job, b int) {
	c := j.c
	ncols := len(c.Columns)
	for t, f := range j.frames {
		w.pcg.Seed(j.topicSeeds[t], splitmix64(c.Seed+uint64(b+1)*0x9e3779b97f4a7c15))
		j.in.Noise[f.id].Draw(w.rng, f.values, w.x[t])
		w.scoreTopic(j, t, w.x[t], func(s, col int, v float64) { c.values[s*ncols+col][t*c.Draws+b] = v })
	}
	w.scoreGeneric(j, w.x, func(s, col, t int, v float64) { c.values[s*ncols+col][t*c.Draws+b] = v })
}

// shipped scores every system on the shipped values.
func (w *worker) shipped(j *job) {
	c := j.c
	ncols := len(c.Columns)
	xs := make([][]float64, len(j.frames))
	for t, f := range j.frames {
		xs[t] = f.values
		w.scoreTopic(j, t, f.values, func(s, col int, v float64) { c.shipped[s*ncols+col][t] = v })
	}
	w.scoreGeneric(j, xs, func(s, col, t int, v float64) { c.shipped[s*ncols+col][t] = v })
}

// scoreTopic scores every system on topic t, judged values x, with the
// kernels, and hands each value to put.
func (w *worker) scoreTopic(j *job, t int, x []float64, put func(s, col int, v float64)) {
	computeDrawStats(x, j.trecCut, &w.stats, w.top)
	if j.tauw {
		w.tau.sortDraw(x)
	}
	id := j.frames[t].id
	for s, perSystem := range j.prepared {
		st := perSystem[t]
		col := 0
		for i, m := range j.measures {
			for k := range m.Names {
				switch j.kernels[i] {
				case kernelNDCG:
					put(s, col, ndcgAt(x, st, &w.stats, int(m.Params[k])))
				case kernelTauw:
					put(s, col, w.tau.tauw(x, st))
				case kernelRegret:
					put(s, col, regretAt(x, st, &w.stats, int(m.Params[k])))
				case kernelNear:
					put(s, col, nearValue(regretAt(x, st, &w.stats, int(m.Params[k])), j.opts, id))
				}
				col++
			}
		}
	}
}

// scoreGeneric scores every system on the judged values xs (per topic)
// with the measures that have no kernel, through measure.Evaluate, and
// hands each value to put.
func (w *worker) scoreGeneric(j *job, xs [][]float64, put func(s, col, t int, v float64)) {
	if len(j.genericMeasures) == 0 {
		return
	}
	c := j.c
	q := &eval.Qrels{File: j.in.Qrels.File, Topics: slices.Sorted(slices.Values(c.Topics)), ByID: map[string]*eval.TopicQrels{}}
	for t, f := range j.frames {
		tq := j.in.Qrels.Topic(f.id)
		drawn := &eval.TopicQrels{Topic: f.id, Docs: tq.Docs, Lines: tq.Lines, Value: make(map[string]float64, len(f.docs))}
		for i, d := range f.docs {
			drawn.Value[d] = xs[t][i]
		}
		q.ByID[f.id] = drawn
	}
	for s, run := range j.runs {
		res := measure.Evaluate(q, run, measure.Config{Measures: j.genericMeasures, Options: j.opts, Complete: true, Workers: 1})
		for t, topic := range c.Topics {
			i, _ := slices.BinarySearch(res.Topics, topic)
			for k, col := range j.genericCols {
				put(s, col, t, res.PerTopic[i][k])
			}
		}
	}
}

// nearValue is near@k from regret@k: 1 when the regret is within the
// topic's ε (measure's near family).
func nearValue(regret float64, opts *measure.Options, topic string) float64 {
	eps := opts.Epsilon
	if e, ok := opts.EpsilonByTopic[topic]; ok {
		eps = e
	}
	switch {
	case regret != regret:
		return math.NaN()
	case regret <= eps:
		return 1
	}
	return 0
}

// splitmix64 is Steele, Lea & Flood's (2014) 64-bit finaliser, which
// spreads (seed, topic, draw) over the PCG state (as in eval/stats).
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
