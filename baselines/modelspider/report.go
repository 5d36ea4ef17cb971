package modelspider

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/ntcir-pmr/mreval/baselines/metadata"
	"github.com/ntcir-pmr/mreval/baselines/transfer"
	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/rankcorr"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/ntcir-pmr/mreval/eval/zoo"
)

// The report is made in two steps: runExperiments trains and scores
// everything a ReportPlan asks for and returns the numbers (reportResults);
// writeReport turns them into docs/baselines-modelspider.md. Every number
// and count in the document comes from the results, so the writer can be
// checked on a small made-up result, and a smaller plan runs the whole
// report in seconds.

// NamedRecycling is a configuration of the recycling grid.
type NamedRecycling struct {
	Name string
	Opt  RecyclingOptions
	// Diagnostic marks a row that measures what a part of the method
	// contributes rather than a way to run the method: it is
	// cross-validated like the others but is not a candidate of the
	// selection rule.
	Diagnostic bool
}

// Cross-validation protocol of the recycling grid in ShippedReportPlan:
// CVFolds folds of the train topics by the permutation of seed CVFoldSeed,
// each configuration trained with the seeds 0 … CVSeeds−1; and the seed
// ensembles: EnsembleRepeats ensembles of EnsembleSize networks of the
// chosen configuration, the first made of the networks of seeds 0 …
// EnsembleSize−1.
const (
	CVFolds         = 4
	CVFoldSeed      = 1
	CVSeeds         = 5
	EnsembleSize    = 5
	EnsembleRepeats = 2
)

// ReportPlan is what the report computes.
type ReportPlan struct {
	// GridBase are the settings of every grid row unless its name says
	// otherwise; Grid are the configurations compared by cross-validation
	// inside the train topics, in table order.
	GridBase RecyclingOptions
	Grid     []NamedRecycling
	// Shipped is the configuration of the shipped run, which the selection
	// rule must choose.
	Shipped RecyclingOptions
	// Folds, FoldSeed and CVSeeds are the cross-validation protocol;
	// EnsembleSize and EnsembleRepeats the seed-ensemble experiment.
	Folds, FoldSeed, CVSeeds      int
	EnsembleSize, EnsembleRepeats int
	// EarlierCandidates name grid configurations that were shipped before
	// the grid reached its present size; their test numbers are reported
	// for transparency and play no part in the choice.
	EarlierCandidates []string
	// PairTopics are the recycling topics that classify sentence pairs by
	// entailment or paraphrase; the report breaks the cross-validated gains
	// down by this grouping.
	PairTopics []string
	// Zoo are the settings of the leave-one-dataset-out zoo experiment.
	Zoo ZooOptions
	// The synthetic bundles: SynthSeeds bundles of size Synth, the ranker
	// trained with Bundle on the first SynthTrain topics, of which the
	// first SynthUnjudged have no truth (RankAgg orders them), and scored
	// on the rest.
	Synth                     SynthConfig
	Bundle                    BundleOptions
	SynthSeeds                []uint64
	SynthTrain, SynthUnjudged int
}

// RecyclingGridBase are the settings of the recycling grid's rows unless a
// row's name says otherwise.
func RecyclingGridBase() RecyclingOptions {
	return RecyclingOptions{Dim: 16,
		Train: TrainConfig{Steps: 300, LR: 0.01, LRMin: 0.0005, DecayTokens: 0.1, DecayWeights: 1e-3, Weighting: Hyperbolic}}
}

// RecyclingGrid returns the configurations compared by cross-validation
// inside the recycling train topics; ShippedRecycling is the one the
// selection rule picks (the highest cross-validated τw among those whose
// τw and regret@1 both beat mnli-lp's, means over CVSeeds).
func RecyclingGrid() []NamedRecycling {
	base := RecyclingGridBase()
	with := func(name string, f func(o *RecyclingOptions)) NamedRecycling {
		o := base
		f(&o)
		return NamedRecycling{Name: name, Opt: o}
	}
	diagnostic := func(n NamedRecycling) NamedRecycling {
		n.Diagnostic = true
		return n
	}
	return []NamedRecycling{
		with("d16, metadata tokens", func(o *RecyclingOptions) {}),
		with("d8, metadata tokens", func(o *RecyclingOptions) { o.Dim = 8 }),
		with("d32, metadata tokens", func(o *RecyclingOptions) { o.Dim = 32 }),
		with("d16, metadata + free tokens (decay 0.1)", func(o *RecyclingOptions) { o.FreeTokens = true }),
		with("d16, metadata + free tokens (decay 0.01)", func(o *RecyclingOptions) { o.FreeTokens = true; o.Train.DecayTokens = 0.01 }),
		with("d16, metadata tokens, FFN 16", func(o *RecyclingOptions) { o.FFN = 16 }),
		with("d16, metadata tokens, weight decay 1e-4", func(o *RecyclingOptions) { o.Train.DecayWeights = 1e-4 }),
		with("d16, metadata tokens, weight decay 1e-2", func(o *RecyclingOptions) { o.Train.DecayWeights = 1e-2 }),
		with("d16, metadata tokens, 100 steps", func(o *RecyclingOptions) { o.Train.Steps = 100 }),
		with("d16, metadata tokens, uniform loss (paper)", func(o *RecyclingOptions) { o.Train.Weighting = Uniform }),
		// Without the probe accuracies every topic gets the same task
		// tokens, hence the same ranking: not the method of the issue (task
		// tokens from the probe budget), only a measure of what the
		// accuracies add.
		diagnostic(with("d16, metadata tokens, probe accuracies ablated", func(o *RecyclingOptions) { o.IgnoreAccuracy = true })),
		with("d16, metadata tokens, linear metadata path", func(o *RecyclingOptions) { o.LinearPath = true }),
		with("d16, metadata tokens, linear metadata path, weight decay 1e-2", func(o *RecyclingOptions) {
			o.LinearPath = true
			o.Train.DecayWeights = 1e-2
		}),
		with("d16, metadata tokens, linear metadata and base-accuracy paths", func(o *RecyclingOptions) {
			o.LinearPath = true
			o.BaseAccuracyPath = true
		}),
		with("d16, metadata tokens, linear metadata and base-accuracy paths, weight decay 1e-2", func(o *RecyclingOptions) {
			o.LinearPath = true
			o.BaseAccuracyPath = true
			o.Train.DecayWeights = 1e-2
		}),
	}
}

// ShippedReportPlan returns the plan of docs/baselines-modelspider.md.
func ShippedReportPlan() ReportPlan {
	return ReportPlan{
		GridBase: RecyclingGridBase(),
		Grid:     RecyclingGrid(),
		Shipped:  ShippedRecycling(),
		Folds:    CVFolds, FoldSeed: CVFoldSeed, CVSeeds: CVSeeds,
		EnsembleSize: EnsembleSize, EnsembleRepeats: EnsembleRepeats,
		EarlierCandidates: []string{"d16, metadata tokens", "d16, metadata tokens, FFN 16"},
		PairTopics:        []string{"anli", "cb", "esnli", "mnli", "mrpc", "qnli", "qqp", "rte", "wnli"},
		Zoo:               DefaultZoo,
		Synth:             DefaultSynth,
		Bundle:            DefaultBundle,
		// Seeds 1–3 served to pick DefaultBundle.
		SynthSeeds: []uint64{4, 5, 6, 7, 8},
		SynthTrain: 24, SynthUnjudged: 2,
	}
}

// ReportInputs are the data the report is computed from.
type ReportInputs struct {
	// Recycling is the recycling collection (collection.BaselineData).
	Recycling *zoo.Data
	// RecyclingRuns are shipped reference runs by name (mnli-lp,
	// probe-knn, prior, …), ShippedRun the bytes of
	// runs/recycling/modelspider.run (nil when absent).
	RecyclingRuns map[string]*eval.Run
	ShippedRun    []byte
	// Zoo is the Model Spider single zoo with its nine estimators.
	Zoo *ZooData
}

// ReportOptions control Report.
type ReportOptions struct {
	// Seeds is the number of seeds per reported configuration (5).
	Seeds int
	// Plan is what to compute; the zero value means ShippedReportPlan.
	Plan *ReportPlan
	// History is the hand-written history of the choice, kept from the
	// earlier document (HandWrittenHistory); "" when there is none.
	History string
	// Log receives one line per finished experiment; may be nil.
	Log io.Writer
}

// Report runs every experiment of docs/baselines-modelspider.md and
// returns the document. With the shipped plan it takes about half an hour:
// the recycling grid alone trains len(Grid)·Folds·CVSeeds networks.
func Report(in ReportInputs, opt ReportOptions) ([]byte, error) {
	res, err := runExperiments(in, opt)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	writeReport(&b, res)
	return []byte(b.String()), nil
}

type meanSD struct{ mean, sd float64 }

func summarize(x []float64) meanSD {
	m, _ := meanStd(x)
	var ss float64
	for _, v := range x {
		ss += (v - m) * (v - m)
	}
	sd := 0.0
	if len(x) > 1 {
		sd = math.Sqrt(ss / float64(len(x)-1))
	}
	return meanSD{m, sd}
}

func (s meanSD) f(prec int) string {
	return fmt.Sprintf("%.*f ± %.*f", prec, s.mean, prec, s.sd)
}

// cvRow is one configuration's cross-validated result.
type cvRow struct {
	name      string
	per       []Metrics // seed 0, per train topic in byte order
	seeds     []Metrics // per seed, over all train topics
	tau       meanSD
	ndcg, reg meanSD
}

// shippedRunState says how the regenerated seed-0 run compares with the
// shipped file.
type shippedRunState int

const (
	shippedAbsent shippedRunState = iota
	shippedIdentical
	shippedDiffers
)

type synthRow struct {
	seed                              uint64
	prior, stage1, rerank3, rerankAll float64
	rankAgg                           int
}

type namedMetrics struct {
	name string
	m    Metrics
}

// reportResults are the numbers of the report and the facts of the data
// it states; writeReport reads nothing else.
type reportResults struct {
	plan  ReportPlan
	seeds int
	// History is the hand-written history (ReportOptions.History).
	history string

	// The recycling collection: its split, pool size and probe models.
	train, test []string
	pool        int
	probes      []string

	perf perfResult

	grid                      []cvRow
	best, withDiag            int
	qualified, shippedMatches bool
	lpCV                      Metrics   // mnli-lp on the train topics
	lpPer                     []Metrics // per train topic, in the order of train
	lambda                    float64
	blendTrain, blendTest     Metrics
	ensembles                 []Metrics

	testRuns []Metrics // per seed, on the test topics
	seed0Per []Metrics // seed 0 per test topic
	shipped  shippedRunState
	refs     map[string]Metrics
	refNames []string  // sorted
	lpTest   []Metrics // mnli-lp per test topic; nil without the mnli-lp run
	earlier  []namedMetrics

	zooTopics, zooModels, zooEstimators []string
	zooTaus                             []float64   // per seed
	zooPer                              [][]float64 // per topic, per seed
	zooLogME, zooCopeland               []float64   // per topic
	zooBase                             map[string]Metrics
	zooPrior                            float64

	synth []synthRow
}

// runExperiments computes every number of the report.
func runExperiments(in ReportInputs, opt ReportOptions) (*reportResults, error) {
	if in.Recycling == nil || in.Zoo == nil {
		return nil, errors.New("report: missing recycling or zoo data")
	}
	if opt.Seeds < 1 {
		opt.Seeds = 5
	}
	plan := ShippedReportPlan()
	if opt.Plan != nil {
		plan = *opt.Plan
	}
	logf := func(format string, args ...any) {
		if opt.Log != nil {
			fmt.Fprintf(opt.Log, format+"\n", args...)
		}
	}
	d := in.Recycling
	res := &reportResults{plan: plan, seeds: opt.Seeds, history: opt.History,
		train: slices.Clone(d.Train), test: slices.Clone(d.Test), pool: len(d.Pool), probes: probesOf(plan.Shipped)}

	// Performance first, so that the memory figure is that of one
	// training and ranking rather than of the whole report.
	var err error
	if res.perf, err = measurePerformance(d, plan.Shipped); err != nil {
		return nil, err
	}

	// Recycling: cross-validation inside the train topics.
	folds := Folds(d.Train, plan.Folds, uint64(plan.FoldSeed))
	// Reference scores on the train topics (no training involved).
	lpTrain, err := constantRun(d, d.Train, d.MNLILP)
	if err != nil {
		return nil, err
	}
	if res.lpCV, res.lpPer, err = Evaluate(d.Qrels, lpTrain, d.Train); err != nil {
		return nil, err
	}
	if res.lambda, res.blendTrain, err = chooseBlend(d); err != nil {
		return nil, err
	}
	for _, g := range plan.Grid {
		row := cvRow{name: g.Name}
		var taus, ndcgs, regs []float64
		for s := 0; s < plan.CVSeeds; s++ {
			m, per, err := CrossValidateRecycling(d, g.Opt.WithSeed(uint64(s)), folds)
			if err != nil {
				return nil, fmt.Errorf("report: cross-validation of %q: %w", g.Name, err)
			}
			if s == 0 {
				row.per = per
			}
			row.seeds = append(row.seeds, m)
			taus, ndcgs, regs = append(taus, m.TauW), append(ndcgs, m.NDCG10), append(regs, m.Regret1)
		}
		row.tau, row.ndcg, row.reg = summarize(taus), summarize(ndcgs), summarize(regs)
		logf("cv %-45s τw %.4f ndcg@10 %.4f regret@1 %.3f", g.Name, row.tau.mean, row.ndcg.mean, row.reg.mean)
		res.grid = append(res.grid, row)
	}
	// The selection mirrors the bar: among the configurations whose
	// cross-validated τw and regret@1 both beat mnli-lp's on the train
	// topics, the highest τw; if none does, the highest τw.
	res.best, res.qualified = selectConfiguration(res.grid, res.lpCV, func(i int) bool { return !plan.Grid[i].Diagnostic })
	res.withDiag, _ = selectConfiguration(res.grid, res.lpCV, func(int) bool { return true })
	chosen := plan.Grid[res.best]
	res.shippedMatches = chosen.Opt.WithSeed(0).sameAs(plan.Shipped.WithSeed(0))

	// Seed ensembles of the chosen configuration, the standard remedy for
	// seed variance, cross-validated the same way.
	for e := 0; e < plan.EnsembleRepeats; e++ {
		seeds := make([]uint64, plan.EnsembleSize)
		for i := range seeds {
			seeds[i] = uint64(e*plan.EnsembleSize + i)
		}
		m, _, err := CrossValidateEnsemble(d, chosen.Opt, folds, seeds)
		if err != nil {
			return nil, fmt.Errorf("report: ensemble cross-validation: %w", err)
		}
		logf("cv ensemble of seeds %d–%d: τw %.4f ndcg@10 %.4f regret@1 %.3f", seeds[0], seeds[len(seeds)-1], m.TauW, m.NDCG10, m.Regret1)
		res.ensembles = append(res.ensembles, m)
	}

	// Recycling: test topics.
	for s := 0; s < opt.Seeds; s++ {
		m, per, runBytes, err := testTopicRun(d, plan.Shipped.WithSeed(uint64(s)))
		if err != nil {
			return nil, err
		}
		logf("test seed %d: τw %.4f ndcg@10 %.4f regret@1 %.3f", s, m.TauW, m.NDCG10, m.Regret1)
		res.testRuns = append(res.testRuns, m)
		if s == 0 {
			res.seed0Per = per
			switch {
			case in.ShippedRun == nil:
				res.shipped = shippedAbsent
			case bytes.Equal(in.ShippedRun, runBytes):
				res.shipped = shippedIdentical
			default:
				res.shipped = shippedDiffers
			}
		}
	}
	res.refs = map[string]Metrics{}
	for name, run := range in.RecyclingRuns {
		m, _, err := Evaluate(d.Qrels, run, d.Test)
		if err != nil {
			return nil, fmt.Errorf("report: run %s: %w", name, err)
		}
		res.refs[name] = m
		res.refNames = append(res.refNames, name)
	}
	slices.Sort(res.refNames)
	if lpRun := in.RecyclingRuns["mnli-lp"]; lpRun != nil {
		if _, res.lpTest, err = Evaluate(d.Qrels, lpRun, d.Test); err != nil {
			return nil, err
		}
	}
	blendRun, err := blendScores(d, d.Test, res.lambda)
	if err != nil {
		return nil, err
	}
	if res.blendTest, _, err = Evaluate(d.Qrels, blendRun, d.Test); err != nil {
		return nil, err
	}
	for _, name := range plan.EarlierCandidates {
		i := slices.IndexFunc(plan.Grid, func(g NamedRecycling) bool { return g.Name == name })
		if i < 0 {
			return nil, fmt.Errorf("report: earlier candidate %q is not in the grid", name)
		}
		m, _, _, err := testTopicRun(d, plan.Grid[i].Opt.WithSeed(0))
		if err != nil {
			return nil, err
		}
		res.earlier = append(res.earlier, namedMetrics{name, m})
	}

	// The zoo.
	z := in.Zoo
	res.zooTopics, res.zooModels, res.zooEstimators = z.Topics, z.Models, z.Estimators
	res.zooPer = make([][]float64, len(z.Topics))
	for s := 0; s < opt.Seeds; s++ {
		_, m, per, err := ZooLeaveOneOut(z, plan.Zoo.WithSeed(uint64(s)))
		if err != nil {
			return nil, err
		}
		logf("zoo seed %d: τw %.4f", s, m.TauW)
		res.zooTaus = append(res.zooTaus, m.TauW)
		for i, p := range per {
			res.zooPer[i] = append(res.zooPer[i], p.TauW)
		}
	}
	for i := range z.Topics {
		res.zooLogME = append(res.zooLogME, zooTopic(z, "logme", i))
		res.zooCopeland = append(res.zooCopeland, zooCopelandTopic(z, i))
	}
	if res.zooBase, err = ZooBaselines(z); err != nil {
		return nil, err
	}
	if res.zooPrior, err = zooLeaveOneOutPrior(z); err != nil {
		return nil, err
	}

	// Synthetic bundles.
	for _, seed := range plan.SynthSeeds {
		row, err := synthExperiment(plan, seed)
		if err != nil {
			return nil, err
		}
		logf("synthetic seed %d: prior %.3f stage one %.3f re-ranked %.3f", seed, row.prior, row.stage1, row.rerankAll)
		res.synth = append(res.synth, row)
	}
	return res, nil
}

// testTopicRun trains opt on the train topics of d and scores its run on
// the test topics: the means, the values per test topic and the run file.
func testTopicRun(d *zoo.Data, opt RecyclingOptions) (Metrics, []Metrics, []byte, error) {
	r, _, err := TrainRecycling(d, opt, nil)
	if err != nil {
		return Metrics{}, nil, nil, err
	}
	run, err := r.RankRecycling(d, d.Test, RecyclingRunTag)
	if err != nil {
		return Metrics{}, nil, nil, err
	}
	m, per, err := Evaluate(d.Qrels, run, d.Test)
	if err != nil {
		return Metrics{}, nil, nil, err
	}
	var buf bytes.Buffer
	if err := trecfmt.WriteRun(&buf, run); err != nil {
		return Metrics{}, nil, nil, err
	}
	return m, per, buf.Bytes(), nil
}

// probesOf returns the probe models a configuration uses.
func probesOf(o RecyclingOptions) []string {
	if len(o.Probes) == 0 {
		return slices.Clone(metadata.DefaultProbes)
	}
	return slices.Clone(o.Probes)
}

// selectConfiguration applies the selection rule to the rows of the grid
// that candidate admits: among those whose cross-validated τw and regret@1
// both beat mnli-lp's, the highest τw; if none does, the highest τw.
func selectConfiguration(grid []cvRow, lp Metrics, candidate func(i int) bool) (best int, qualified bool) {
	best = -1
	for i, r := range grid {
		if !candidate(i) {
			continue
		}
		q := r.tau.mean > lp.TauW && r.reg.mean < lp.Regret1
		if best < 0 || (q && !qualified) || (q == qualified && r.tau.mean > grid[best].tau.mean) {
			best, qualified = i, q
		}
	}
	return best, qualified
}

// constantRun ranks the pool by one score per model for every topic.
func constantRun(d *zoo.Data, topics []string, score map[string]float64) (*eval.Run, error) {
	s := map[string][]float64{}
	for _, t := range topics {
		v := make([]float64, len(d.Pool))
		for i, m := range d.Pool {
			x, ok := score[m]
			if !ok {
				return nil, fmt.Errorf("report: no score for pool model %q", m)
			}
			v[i] = x
		}
		s[t] = v
	}
	return metadata.PoolRun("constant", d.Pool, s), nil
}

// blendLambdas are the weights tried by chooseBlend.
var blendLambdas = []float64{0, 0.05, 0.1, 0.2, 0.3, 0.5, 1}

// blendScores is the obvious baseline the learned ranker must beat:
// score(m, t) = (mnli_lp(m) − mean)/sd + λ·a_{base(m)}(t), a_b(t) the
// probe accuracy of m's base model on t (the mean probe accuracy for a base
// without a probe).
func blendScores(d *zoo.Data, topics []string, lambda float64) (*eval.Run, error) {
	spec, err := newProbeSpec(d, nil)
	if err != nil {
		return nil, err
	}
	s := map[string][]float64{}
	for _, t := range topics {
		acc, err := metadata.ProbeVector(d.Qrels, t, spec.Probes)
		if err != nil {
			return nil, err
		}
		mean, _ := meanStd(acc)
		v := make([]float64, len(d.Pool))
		for i, m := range d.Pool {
			a := mean
			if j := slices.Index(spec.Probes, d.Base[m]); j >= 0 {
				a = acc[j]
			}
			v[i] = (d.MNLILP[m]-spec.MNLIMean)/spec.MNLIStd + lambda*a
		}
		s[t] = v
	}
	return metadata.PoolRun("blend", d.Pool, s), nil
}

// chooseBlend picks λ by τw on the train topics.
func chooseBlend(d *zoo.Data) (float64, Metrics, error) {
	bestL, best := 0.0, Metrics{TauW: math.Inf(-1)}
	for _, l := range blendLambdas {
		run, err := blendScores(d, d.Train, l)
		if err != nil {
			return 0, Metrics{}, err
		}
		m, _, err := Evaluate(d.Qrels, run, d.Train)
		if err != nil {
			return 0, Metrics{}, err
		}
		if m.TauW > best.TauW {
			bestL, best = l, m
		}
	}
	return bestL, best, nil
}

func (o RecyclingOptions) sameAs(p RecyclingOptions) bool {
	return o.Dim == p.Dim && o.FFN == p.FFN && o.FreeTokens == p.FreeTokens && o.NetSeed == p.NetSeed &&
		o.Train == p.Train && slices.Equal(o.Probes, p.Probes) && o.IgnoreAccuracy == p.IgnoreAccuracy &&
		o.LinearPath == p.LinearPath && o.BaseAccuracyPath == p.BaseAccuracyPath && o.Collection == p.Collection
}

func zooTopic(z *ZooData, est string, ti int) float64 {
	e := slices.Index(z.Estimators, est)
	if e < 0 {
		return math.NaN()
	}
	tq := z.Qrels.Topic(z.Topics[ti])
	truth := make([]float64, len(z.Models))
	for m, id := range z.Models {
		truth[m] = tq.Value[id]
	}
	tw, _ := rankcorr.WeightedTau(truth, z.Scores[e][ti])
	return tw
}

func zooCopelandTopic(z *ZooData, ti int) float64 {
	var rankings [][]float64
	for _, name := range RankAggEstimators {
		e := slices.Index(z.Estimators, name)
		if e < 0 {
			return math.NaN()
		}
		rankings = append(rankings, z.Scores[e][ti])
	}
	c, err := Copeland(rankings)
	if err != nil {
		return math.NaN()
	}
	tq := z.Qrels.Topic(z.Topics[ti])
	truth := make([]float64, len(z.Models))
	for m, id := range z.Models {
		truth[m] = tq.Value[id]
	}
	tw, _ := rankcorr.WeightedTau(truth, c)
	return tw
}

// zooLeaveOneOutPrior is the model-only reference: a held-out dataset's
// models ranked by their mean standardised accuracy on the other datasets.
func zooLeaveOneOutPrior(z *ZooData) (float64, error) {
	scores := map[string][]float64{}
	for _, held := range z.Topics {
		s := make([]float64, len(z.Models))
		for _, t := range z.Topics {
			if t == held {
				continue
			}
			tq := z.Qrels.Topic(t)
			acc := make([]float64, len(z.Models))
			for m, id := range z.Models {
				acc[m] = tq.Value[id]
			}
			addTo(s, standardize(acc))
		}
		scores[held] = s
	}
	m, _, err := Evaluate(z.Qrels, metadata.PoolRun("prior", z.Models, scores), z.Topics)
	return m.TauW, err
}

// synthExperiment trains plan.Bundle on the first plan.SynthTrain topics
// of a plan.Synth bundle (the first plan.SynthUnjudged of them without
// truth, ordered by RankAgg) and measures mean τw on the held-out topics.
func synthExperiment(plan ReportPlan, seed uint64) (synthRow, error) {
	nt, nu := plan.SynthTrain, plan.SynthUnjudged
	if nu < 0 || nu > nt || nt >= plan.Synth.Topics {
		return synthRow{}, fmt.Errorf("report: %d train topics (%d unjudged) of a bundle of %d", nt, nu, plan.Synth.Topics)
	}
	dir, err := os.MkdirTemp("", "modelspider-synth-")
	if err != nil {
		return synthRow{}, err
	}
	defer os.RemoveAll(dir)
	info, err := SyntheticBundle(filepath.Join(dir, "bundle"), seed, plan.Synth)
	if err != nil {
		return synthRow{}, err
	}
	train, test := info.Topics[:nt], info.Topics[nt:]
	qpath := filepath.Join(dir, "train.qrels")
	if err := info.WriteSynthQrels(qpath, train[nu:]); err != nil {
		return synthRow{}, err
	}
	b, err := transfer.OpenBundle(filepath.Join(dir, "bundle"))
	if err != nil {
		return synthRow{}, err
	}
	q, err := trecfmt.ReadQrelsFile(qpath, trecfmt.DefaultLimits)
	if err != nil {
		return synthRow{}, err
	}
	r, rankAgg, err := TrainBundle(b, q, train, plan.Bundle.WithSeed(seed), nil)
	if err != nil {
		return synthRow{}, err
	}
	prior := make([]float64, len(info.Models))
	for ti := nu; ti < nt; ti++ {
		addTo(prior, info.Truth[ti])
	}
	res := synthRow{seed: seed, rankAgg: len(rankAgg)}
	mean := func(scores map[string][]float64) (float64, error) {
		var sum float64
		for i, t := range test {
			s := prior
			if scores != nil {
				s = scores[t]
			}
			tw, ok := rankcorr.WeightedTau(info.Truth[nt+i], s)
			if !ok {
				return 0, fmt.Errorf("synthetic topic %s: τw undefined", t)
			}
			sum += tw
		}
		return sum / float64(len(test)), nil
	}
	if res.prior, err = mean(nil); err != nil {
		return res, err
	}
	for _, k := range []int{0, 3, len(info.Models)} {
		s, err := r.ScoreBundle(b, test, k)
		if err != nil {
			return res, err
		}
		v, err := mean(s)
		if err != nil {
			return res, err
		}
		switch k {
		case 0:
			res.stage1 = v
		case 3:
			res.rerank3 = v
		default:
			res.rerankAll = v
		}
	}
	return res, nil
}

type perfResult struct {
	machine                         string
	models, dim                     int // ranked per topic; network width
	trainSeconds, rankMillis, sysMB float64
}

// perfModels is how many models the performance figure ranks: all of
// model-recycling's tested models (models_tested.csv), of which the
// recycling pool is the part evaluated on every dataset.
const perfModels = 2703

// measurePerformance times training shipped on one core and ranking
// perfModels models.
func measurePerformance(d *zoo.Data, shipped RecyclingOptions) (perfResult, error) {
	res := perfResult{machine: fmt.Sprintf("%s/%s, %d CPUs", runtime.GOOS, runtime.GOARCH, runtime.NumCPU()),
		models: perfModels, dim: shipped.Dim}
	old := runtime.GOMAXPROCS(1)
	start := time.Now()
	r, _, err := TrainRecycling(d, shipped, nil)
	res.trainSeconds = time.Since(start).Seconds()
	runtime.GOMAXPROCS(old)
	if err != nil {
		return res, err
	}
	// The pool's models with their free tokens (if any), and as many more
	// as make perfModels, which reuse pool metadata but have none.
	refs, err := poolRefs(d, r.Repr.Probes, r.Models)
	if err != nil {
		return res, err
	}
	models := slices.Clone(refs)
	for i := 0; len(models) < perfModels; i++ {
		m := refs[i%len(refs)]
		m.Free = -1
		models = append(models, m)
	}
	sc, err := r.Net.NewScorer(models)
	if err != nil {
		return res, err
	}
	acc, err := metadata.ProbeVector(d.Qrels, d.Test[0], r.Repr.Probes.Probes)
	if err != nil {
		return res, err
	}
	tokens := r.Repr.Probes.tokens(acc)
	const reps = 20
	start = time.Now()
	for i := 0; i < reps; i++ {
		if _, err := sc.Scores(tokens); err != nil {
			return res, err
		}
	}
	res.rankMillis = float64(time.Since(start).Microseconds()) / 1000 / reps
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	res.sysMB = float64(ms.Sys) / (1 << 20)
	return res, nil
}
