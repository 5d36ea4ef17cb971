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

// PairTopics are the recycling topics that classify sentence pairs by
// entailment or paraphrase (GLUE/SuperGLUE/ANLI/e-SNLI definitions); the
// report breaks the cross-validated gains down by this grouping.
var PairTopics = []string{"anli", "cb", "esnli", "mnli", "mrpc", "qnli", "qqp", "rte", "wnli"}

// cvRow is one configuration's cross-validated result.
type cvRow struct {
	name      string
	per       []Metrics // seed 0, per train topic in byte order
	seeds     []Metrics // per seed, over all train topics
	tau       meanSD
	ndcg, reg meanSD
}

func grid2map(rows []cvRow) map[string]cvRow {
	m := make(map[string]cvRow, len(rows))
	for _, r := range rows {
		m[r.name] = r
	}
	return m
}

func mpOther(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	m, _ := meanStd(x)
	return m
}

// clears reports whether a run clears the Subtask A bar.
func clears(m Metrics, refs map[string]Metrics) bool {
	lp, ok1 := refs["mnli-lp"]
	knn, ok2 := refs["probe-knn"]
	return ok1 && ok2 && m.TauW > lp.TauW && m.Regret1 < lp.Regret1 &&
		m.NDCG10 > knn.NDCG10 && m.TauW > knn.TauW && m.Regret1 < knn.Regret1
}

// whyNot is the investigation paragraph printed when the shipped run
// misses the bar; every number comes from the grid.
func whyNot(g map[string]cvRow, chosen string, lpRegret, gainOther, gainPair float64, testPair, nTest int, seeds []Metrics, refs map[string]Metrics) string {
	var b strings.Builder
	b.WriteString("**Why the bar is not cleared — what the experiments show.**\n\n")
	if len(seeds) > 1 {
		var mean Metrics
		nclear := 0
		regs := make([]float64, len(seeds))
		for i, m := range seeds {
			mean.TauW += m.TauW / float64(len(seeds))
			mean.NDCG10 += m.NDCG10 / float64(len(seeds))
			mean.Regret1 += m.Regret1 / float64(len(seeds))
			regs[i] = m.Regret1
			if clears(m, refs) {
				nclear++
			}
		}
		fmt.Fprintf(&b, "- *Seed variance.* %d of the %d seeds clear every criterion, and the mean over the seeds %s; "+
			"regret@1 ranges from %.2f to %.2f across seeds (seed 0: %.2f). With 12 topics, a single model per topic "+
			"decides regret@1, and which strong model lands first changes with the seed; the shipped seed is fixed "+
			"in advance (seed 0) and was not picked.\n",
			nclear, len(seeds), map[bool]string{true: "clears them all", false: "does not clear them all"}[clears(mean, refs)],
			slices.Min(regs), slices.Max(regs), seeds[0].Regret1)
	}
	if c := g[chosen]; len(c.seeds) > 1 {
		regs := make([]float64, len(c.seeds))
		for i, m := range c.seeds {
			regs[i] = m.Regret1
		}
		fmt.Fprintf(&b, "- *The selection sees the same noise.* Inside the train topics the chosen configuration's "+
			"cross-validated regret@1 ranges from %.2f to %.2f over the %d seeds (mean %.2f, mnli-lp %.2f): whether a "+
			"configuration beats mnli-lp on regret@1 is decided by a few topics and by the seed, on the train topics as "+
			"on the test topics.\n", slices.Min(regs), slices.Max(regs), len(regs), c.reg.mean, lpRegret)
	}
	if !math.IsNaN(gainOther) && !math.IsNaN(gainPair) {
		fmt.Fprintf(&b, "- *The cross-validated gain is mostly a cluster effect.* Over mnli-lp, the chosen configuration gains "+
			"%+.3f τw on the held-out sentence-pair topics but %+.3f on the others (table above): the train topics hold a "+
			"cluster of entailment/paraphrase tasks, and a held-out member is ranked from its neighbours. Only %d of the "+
			"%d test topics are of that kind, so the cross-validated estimate overstates what to expect on them.\n",
			gainPair, gainOther, testPair, nTest)
	}
	if ab, ok := g["d16, metadata tokens, probe accuracies ablated"]; ok {
		c := g[chosen]
		fmt.Fprintf(&b, "- *The probe accuracies add little.* With the accuracy inputs of the task tokens zeroed (only the "+
			"probe identities left), cross-validated τw is %.4f against %.4f with them, and regret@1 %.2f against %.2f: "+
			"most of what the network learns is a re-weighting of mnli_lp by base architecture, not a reading of the "+
			"task. Four probe accuracies say little about which of 1,266 fine-tuned checkpoints will top a new task.\n",
			ab.tau.mean, c.tau.mean, ab.reg.mean, c.reg.mean)
	}
	free, ok1 := g["d16, metadata + free tokens (decay 0.1)"]
	free2, ok2 := g["d16, metadata + free tokens (decay 0.01)"]
	if ok1 && ok2 {
		fmt.Fprintf(&b, "- *Free model tokens overfit.* A learned token per model (1,266 of them, 24 topics) gives τw %.4f, "+
			"regret@1 %.2f, ndcg@10 %.4f with decay 0.1 and %.4f, %.2f, %.4f with decay 0.01: per-model noise of the "+
			"train topics is learned, and the top of the ranking suffers.\n",
			free.tau.mean, free.reg.mean, free.ndcg.mean, free2.tau.mean, free2.reg.mean, free2.ndcg.mean)
	}
	bp, ok1 := g["d16, metadata tokens, linear metadata and base-accuracy paths"]
	bp2, ok2 := g["d16, metadata tokens, linear metadata and base-accuracy paths, weight decay 1e-2"]
	if ok1 && ok2 {
		fmt.Fprintf(&b, "- *Building the blend into the network does not fix regret@1.* With a linear metadata path and the "+
			"accuracy of each model's own base as a pair input — the blend's structure, with its weights learned inside each "+
			"fold — cross-validated regret@1 is %.2f (weight decay 1e-3) and %.2f (1e-2), against mnli-lp's %.2f. The blend's "+
			"own figure on the train topics (table above) is in-sample: its λ was fitted on all 24 of them.\n",
			bp.reg.mean, bp2.reg.mean, lpRegret)
	}
	if u, ok := g["d16, metadata tokens, uniform loss (paper)"]; ok {
		fmt.Fprintf(&b, "- *The loss matters.* The paper's uniform listwise loss reaches τw %.4f only: with 1,266 models it "+
			"spends itself on the long tail, which τw, ndcg@10 and regret@1 barely weigh.\n", u.tau.mean)
	}
	b.WriteString("- *regret@1 is decided by a few outliers.* The per-test-topic table shows a few topics with regrets of " +
		"tens of points: the best model there is an isolated high score (small, noisy test sets), which neither the " +
		"metadata nor the probe budget can point to; mnli-lp, which always puts the same strong model first, is " +
		"hard to beat on this measure.\n\n")
	return b.String()
}

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

// RecyclingGrid are the configurations compared by cross-validation inside
// the recycling train topics; ShippedRecycling is the one the selection
// rule of Report picks (the highest cross-validated τw among those whose
// τw and regret@1 both beat mnli-lp's, means over CVSeeds).
var RecyclingGrid = func() []NamedRecycling {
	base := RecyclingOptions{Dim: 16,
		Train: TrainConfig{Steps: 300, LR: 0.01, LRMin: 0.0005, DecayTokens: 0.1, DecayWeights: 1e-3, Weighting: Hyperbolic}}
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
}()

// SynthSeeds are the seeds of the synthetic bundles of the report (seeds
// 1–3 served to pick DefaultBundle).
var SynthSeeds = []uint64{4, 5, 6, 7, 8}

// EarlierCandidates name the grid configurations that were shipped
// before the grid reached its present size (each the choice of the
// selection rule on a smaller grid). Their test numbers are reported for
// transparency; they play no part in the choice.
var EarlierCandidates = []string{"d16, metadata tokens", "d16, metadata tokens, FFN 16"}

// Cross-validation protocol of the recycling grid: CVFolds folds of the
// train topics by the permutation of seed CVFoldSeed, each configuration
// trained with the seeds 0 … CVSeeds−1.
const (
	CVFolds    = 4
	CVFoldSeed = 1
	CVSeeds    = 5
)

// The report's seed-ensemble experiment: EnsembleRepeats ensembles of
// EnsembleSize networks of the chosen configuration, the first made of the
// networks of seeds 0 … EnsembleSize−1.
const (
	EnsembleSize    = 5
	EnsembleRepeats = 2
)

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
	// Log receives one line per finished experiment; may be nil.
	Log io.Writer
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

// Report runs every experiment of docs/baselines-modelspider.md and
// returns the document. It takes several minutes: the recycling grid alone
// trains len(RecyclingGrid)·CVFolds·CVSeeds networks.
func Report(in ReportInputs, opt ReportOptions) ([]byte, error) {
	if in.Recycling == nil || in.Zoo == nil {
		return nil, errors.New("report: missing recycling or zoo data")
	}
	if opt.Seeds < 1 {
		opt.Seeds = 5
	}
	logf := func(format string, args ...any) {
		if opt.Log != nil {
			fmt.Fprintf(opt.Log, format+"\n", args...)
		}
	}
	var b bytes.Buffer
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	d := in.Recycling

	// --- performance, first, so that the memory figure is that of one
	// training and ranking rather than of the whole report ---
	perf, err := measurePerformance(d)
	if err != nil {
		return nil, err
	}

	// --- recycling: cross-validation inside the train topics ---
	folds := Folds(d.Train, CVFolds, CVFoldSeed)
	// Reference scores on the train topics (no training involved).
	lpTrain, err := constantRun(d, d.Train, d.MNLILP)
	if err != nil {
		return nil, err
	}
	lpCV, lpPer, err := Evaluate(d.Qrels, lpTrain, d.Train)
	if err != nil {
		return nil, err
	}
	lambda, blendTrain, err := chooseBlend(d)
	if err != nil {
		return nil, err
	}
	var grid []cvRow
	for _, g := range RecyclingGrid {
		row := cvRow{name: g.Name}
		var taus, ndcgs, regs []float64
		for s := 0; s < CVSeeds; s++ {
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
		grid = append(grid, row)
	}
	// The selection mirrors the bar: among the configurations whose
	// cross-validated τw and regret@1 both beat mnli-lp's on the train
	// topics, the highest τw; if none does, the highest τw.
	best, qualified := selectConfiguration(grid, lpCV, func(i int) bool { return !RecyclingGrid[i].Diagnostic })
	withDiag, _ := selectConfiguration(grid, lpCV, func(int) bool { return true })
	chosen := RecyclingGrid[best]
	shippedMatches := chosen.Opt.WithSeed(0).sameAs(ShippedRecycling.WithSeed(0))

	// --- recycling: seed ensembles of the chosen configuration, the
	// standard remedy for seed variance, cross-validated the same way ---
	var ensembles []Metrics
	for e := 0; e < EnsembleRepeats; e++ {
		seeds := make([]uint64, EnsembleSize)
		for i := range seeds {
			seeds[i] = uint64(e*EnsembleSize + i)
		}
		m, _, err := CrossValidateEnsemble(d, chosen.Opt, folds, seeds)
		if err != nil {
			return nil, fmt.Errorf("report: ensemble cross-validation: %w", err)
		}
		logf("cv ensemble of seeds %d–%d: τw %.4f ndcg@10 %.4f regret@1 %.3f", seeds[0], seeds[len(seeds)-1], m.TauW, m.NDCG10, m.Regret1)
		ensembles = append(ensembles, m)
	}

	// --- recycling: test topics ---
	var testRuns []Metrics
	var seed0 []byte
	var seed0Per []Metrics
	for s := 0; s < opt.Seeds; s++ {
		r, _, err := TrainRecycling(d, ShippedRecycling.WithSeed(uint64(s)), nil)
		if err != nil {
			return nil, err
		}
		run, err := r.RankRecycling(d, d.Test, RecyclingRunTag)
		if err != nil {
			return nil, err
		}
		m, per, err := Evaluate(d.Qrels, run, d.Test)
		if err != nil {
			return nil, err
		}
		if s == 0 {
			seed0Per = per
		}
		logf("test seed %d: τw %.4f ndcg@10 %.4f regret@1 %.3f", s, m.TauW, m.NDCG10, m.Regret1)
		testRuns = append(testRuns, m)
		if s == 0 {
			var buf bytes.Buffer
			if err := trecfmt.WriteRun(&buf, run); err != nil {
				return nil, err
			}
			seed0 = buf.Bytes()
		}
	}
	refs := map[string]Metrics{}
	var refNames []string
	for name, run := range in.RecyclingRuns {
		m, _, err := Evaluate(d.Qrels, run, d.Test)
		if err != nil {
			return nil, fmt.Errorf("report: run %s: %w", name, err)
		}
		refs[name] = m
		refNames = append(refNames, name)
	}
	slices.Sort(refNames)
	blendRun, err := blendScores(d, d.Test, lambda)
	if err != nil {
		return nil, err
	}
	blendTest, _, err := Evaluate(d.Qrels, blendRun, d.Test)
	if err != nil {
		return nil, err
	}

	// --- zoo ---
	var zooTaus []float64
	zooPer := make([][]float64, len(in.Zoo.Topics))
	for s := 0; s < opt.Seeds; s++ {
		_, m, per, err := ZooLeaveOneOut(in.Zoo, DefaultZoo.WithSeed(uint64(s)))
		if err != nil {
			return nil, err
		}
		logf("zoo seed %d: τw %.4f", s, m.TauW)
		zooTaus = append(zooTaus, m.TauW)
		for i, p := range per {
			zooPer[i] = append(zooPer[i], p.TauW)
		}
	}
	zooBase, err := ZooBaselines(in.Zoo)
	if err != nil {
		return nil, err
	}
	zooPrior, err := zooLeaveOneOutPrior(in.Zoo)
	if err != nil {
		return nil, err
	}

	// --- synthetic bundles ---
	type synthRow struct {
		seed                              uint64
		prior, stage1, rerank3, rerankAll float64
		rankAgg                           int
	}
	var synth []synthRow
	for _, seed := range SynthSeeds {
		row, err := synthExperiment(seed)
		if err != nil {
			return nil, err
		}
		logf("synthetic seed %d: prior %.3f stage one %.3f re-ranked %.3f", seed, row.prior, row.stage1, row.rerankAll)
		synth = append(synth, synthRow{seed, row.prior, row.stage1, row.rerank3, row.rerankAll, row.rankAgg})
	}

	// ===== document =====
	w("%s", reportIntro)
	w("## Subtask A: the recycling collection\n\n")
	w("%s", reportRecyclingMethod)
	w("### Choice of the configuration (inside the 24 train topics)\n\n")
	w("%d-fold cross-validation over the train topics (folds from a seeded permutation, seed %d), each "+
		"configuration trained with seeds 0–%d; mean ± standard deviation over the seeds of the measures of the "+
		"held-out rankings (every train topic held out once). Unless the name says otherwise: d = 16, no "+
		"feed-forward block, 300 Adam steps, learning rate 0.01 with cosine decay to 0.0005, weight decay 1e-3, "+
		"hyperbolic loss weights, metadata model tokens (free tokens, where used, with decay 0.1).\n\n", CVFolds, CVFoldSeed, CVSeeds-1)
	w("| configuration | τw | ndcg@10 | regret@1 |\n| --- | --- | --- | --- |\n")
	for i, r := range grid {
		mark := ""
		switch {
		case i == best:
			mark = " **(chosen)**"
		case RecyclingGrid[i].Diagnostic:
			mark = " *(diagnostic, not a candidate)*"
		}
		w("| %s%s | %s | %s | %s |\n", r.name, mark, r.tau.f(4), r.ndcg.f(4), r.reg.f(2))
	}
	w("| *mnli-lp (no training)* | %.4f | %.4f | %.2f |\n", lpCV.TauW, lpCV.NDCG10, lpCV.Regret1)
	w("| *blend z(mnli_lp) + λ·a_base, λ = %g fitted on all train topics* | %.4f | %.4f | %.2f |\n\n",
		lambda, blendTrain.TauW, blendTrain.NDCG10, blendTrain.Regret1)
	w("Selection rule, which mirrors the bar: among the candidate configurations whose cross-validated τw *and* regret@1 "+
		"both beat mnli-lp's on the train topics, the one with the highest τw (τw is the least noisy of the three "+
		"measures on 24 topics; regret@1 looks at one model per topic); if none qualified, the highest τw. %s "+
		"`ShippedRecycling` %s the chosen configuration.",
		map[bool]string{true: "One or more qualified.", false: "**None qualified.**"}[qualified],
		map[bool]string{true: "is", false: "is **not** (the code must be updated)"}[shippedMatches])
	if withDiag != best {
		w(" Diagnostic rows are not candidates: counted as one, %q would have been chosen (τw %.4f).",
			grid[withDiag].name, grid[withDiag].tau.mean)
	}
	w("\n\n")

	w("%s", ensembleSection(ensembles, grid[best], lpCV))
	w("%s", reportCVByTopic)
	trainSorted := slices.Sorted(slices.Values(d.Train))
	w("| train topic | pair task | τw modelspider | τw mnli-lp | Δτw | regret@1 modelspider | regret@1 mnli-lp |\n| --- | --- | --- | --- | --- | --- | --- |\n")
	var dPair, dOther []float64
	for i, t := range trainSorted {
		p, l := grid[best].per[i], lpPer[slices.Index(d.Train, t)]
		pair := slices.Contains(PairTopics, t)
		if pair {
			dPair = append(dPair, p.TauW-l.TauW)
		} else {
			dOther = append(dOther, p.TauW-l.TauW)
		}
		w("| %s | %s | %.3f | %.3f | %+.3f | %.2f | %.2f |\n", t, map[bool]string{true: "yes", false: ""}[pair], p.TauW, l.TauW, p.TauW-l.TauW, p.Regret1, l.Regret1)
	}
	var testPair int
	for _, t := range d.Test {
		if slices.Contains(PairTopics, t) {
			testPair++
		}
	}
	w("\nMean Δτw (cross-validated, seed 0): %s on the %d sentence-pair train topics, %s on the other %d. "+
		"The test topics hold %d sentence-pair topics out of %d.\n\n", meanOrNone(dPair), len(dPair), meanOrNone(dOther), len(dOther), testPair, len(d.Test))

	w("### Test topics (12), trained on the 24 train topics\n\n")
	w("%d seeds of the chosen configuration; the shipped run `runs/recycling/modelspider.run` is seed 0.\n\n", opt.Seeds)
	w("| run | ndcg@10 | τw | regret@1 |\n| --- | --- | --- | --- |\n")
	var tn, tt, tr []float64
	for _, m := range testRuns {
		tn, tt, tr = append(tn, m.NDCG10), append(tt, m.TauW), append(tr, m.Regret1)
	}
	w("| **modelspider**, mean ± sd over %d seeds | %s | %s | %s |\n", opt.Seeds, summarize(tn).f(4), summarize(tt).f(4), summarize(tr).f(2))
	for s, m := range testRuns {
		label := fmt.Sprintf("modelspider seed %d", s)
		if s == 0 {
			label += " (shipped)"
		}
		w("| %s | %.4f | %.4f | %.2f |\n", label, m.NDCG10, m.TauW, m.Regret1)
	}
	w("| blend z(mnli_lp) + %g·a_base (λ from the train topics) | %.4f | %.4f | %.2f |\n", lambda, blendTest.NDCG10, blendTest.TauW, blendTest.Regret1)
	for _, name := range refNames {
		m := refs[name]
		w("| %s | %.4f | %.4f | %.2f |\n", name, m.NDCG10, m.TauW, m.Regret1)
	}
	w("\n")
	w("%s", verdict(testRuns[0], summarize(tt).mean, summarize(tr).mean, summarize(tn).mean, refs, blendTest))
	if lpRun := in.RecyclingRuns["mnli-lp"]; lpRun != nil {
		_, lpTest, err := Evaluate(d.Qrels, lpRun, d.Test)
		if err != nil {
			return nil, err
		}
		w("Per test topic, the shipped run (seed 0) against mnli-lp:\n\n")
		w("| test topic | pair task | τw modelspider | τw mnli-lp | regret@1 modelspider | regret@1 mnli-lp | ndcg@10 modelspider | ndcg@10 mnli-lp |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n")
		for i, t := range d.Test {
			p, l := seed0Per[i], lpTest[i]
			w("| %s | %s | %.3f | %.3f | %.2f | %.2f | %.3f | %.3f |\n", t, map[bool]string{true: "yes", false: ""}[slices.Contains(PairTopics, t)],
				p.TauW, l.TauW, p.Regret1, l.Regret1, p.NDCG10, l.NDCG10)
		}
		w("\n")
	}
	if !clears(testRuns[0], refs) {
		w("%s", whyNot(grid2map(grid), grid[best].name, lpCV.Regret1, mpOther(dOther), mpOther(dPair), testPair, len(d.Test), testRuns, refs))
	}
	w("%s", reportHistory)
	if i := slices.IndexFunc(grid, func(r cvRow) bool { return r.name == "d16, metadata tokens, weight decay 1e-2" }); i >= 0 && len(grid[i].seeds) >= 2 {
		first2 := (grid[i].seeds[0].Regret1 + grid[i].seeds[1].Regret1) / 2
		outcome := fmt.Sprintf("Under the new protocol the rule chooses %q.", grid[best].name)
		if best == i {
			outcome = "Under the new protocol " + map[bool]string{true: "it still qualifies and is chosen again",
				false: "no candidate qualifies, and the rule's fallback (the highest τw) chooses the same configuration again"}[qualified] +
				", so the shipped run is unchanged."
		}
		w(reportHistoryFourth, first2, len(grid[i].seeds)-1, grid[i].reg.mean, lpCV.Regret1, CVSeeds, outcome)
	} else {
		w("\nThe earlier candidates on the test topics:\n\n")
	}
	w("| earlier candidate (seed 0) | ndcg@10 | τw | regret@1 |\n| --- | --- | --- | --- |\n")
	for _, name := range EarlierCandidates {
		i := slices.IndexFunc(RecyclingGrid, func(g NamedRecycling) bool { return g.Name == name })
		if i < 0 {
			return nil, fmt.Errorf("report: earlier candidate %q is not in the grid", name)
		}
		r, _, err := TrainRecycling(d, RecyclingGrid[i].Opt.WithSeed(0), nil)
		if err != nil {
			return nil, err
		}
		run, err := r.RankRecycling(d, d.Test, RecyclingRunTag)
		if err != nil {
			return nil, err
		}
		m, _, err := Evaluate(d.Qrels, run, d.Test)
		if err != nil {
			return nil, err
		}
		w("| %s | %.4f | %.4f | %.2f |\n", name, m.NDCG10, m.TauW, m.Regret1)
	}
	w("\n")
	switch {
	case in.ShippedRun == nil:
		w("The shipped run is absent from this tree; `BuildRecyclingRun` regenerates it.\n\n")
	case bytes.Equal(in.ShippedRun, seed0):
		w("Regenerating seed 0 here gives a run byte-identical to the shipped `runs/recycling/modelspider.run`.\n\n")
	default:
		w("**Regenerating seed 0 here does not give the shipped `runs/recycling/modelspider.run` byte for byte.**\n\n")
	}

	w("## Model Spider single zoo (leave one dataset out)\n\n")
	w("%s", reportZooMethod)
	w("| dataset | modelspider (mean ± sd, %d seeds) | LogME | Copeland(H-Score, NCE, LEEP, LogME) |\n| --- | --- | --- | --- |\n", opt.Seeds)
	for i, t := range in.Zoo.Topics {
		w("| %s | %s | %.3f | %.3f |\n", t, summarize(zooPer[i]).f(3), zooTopic(in.Zoo, "logme", i), zooCopelandTopic(in.Zoo, i))
	}
	w("\nMean τw over the %d datasets:\n\n| ranking | τw |\n| --- | --- |\n", len(in.Zoo.Topics))
	w("| **modelspider** (mean ± sd over %d seeds) | %s |\n", opt.Seeds, summarize(zooTaus).f(4))
	for s, v := range zooTaus {
		w("| modelspider seed %d | %.4f |\n", s, v)
	}
	w("| leave-one-out prior: mean standardised accuracy on the other datasets | %.4f |\n", zooPrior)
	w("| Copeland(H-Score, NCE, LEEP, LogME) | %.4f |\n", zooBase["copeland"].TauW)
	for _, name := range in.Zoo.Estimators {
		w("| %s | %.4f |\n", name, zooBase[name].TauW)
	}
	bestEst := ""
	for _, name := range in.Zoo.Estimators {
		if bestEst == "" || zooBase[name].TauW > zooBase[bestEst].TauW {
			bestEst = name
		}
	}
	zm := summarize(zooTaus)
	w("\nThe best single estimator is %s (%.4f). Model Spider's mean τw %.4f is %s it and %s the Copeland fusion (%.4f)",
		bestEst, zooBase[bestEst].TauW, zm.mean, aboveBelow(zm.mean, zooBase[bestEst].TauW), aboveBelow(zm.mean, zooBase["copeland"].TauW), zooBase["copeland"].TauW)
	minSeed := slices.Min(zooTaus)
	w("; its worst seed (%.4f) is %s both.\n\n", minSeed, map[bool]string{true: "still above", false: "not above"}[minSeed > zooBase[bestEst].TauW && minSeed > zooBase["copeland"].TauW])

	w("## Synthetic feature bundles (end to end)\n\n")
	w("%s", reportSynthMethod)
	w("| bundle seed | prior | stage one (generic tokens) | re-rank top 3 | re-rank all | topics by RankAgg |\n| --- | --- | --- | --- | --- | --- |\n")
	for _, r := range synth {
		w("| %d | %.3f | %.3f | %.3f | %.3f | %d |\n", r.seed, r.prior, r.stage1, r.rerank3, r.rerankAll, r.rankAgg)
	}
	w("\n")

	w("## Performance\n\n")
	w("Measured by this report on the machine that ran it (%s); `go test -bench . ./baselines/modelspider/` measures the "+
		"same quantities as benchmarks. Machine-dependent and sensitive to other load.\n\n", perf.machine)
	w("| what | measured | bar |\n| --- | --- | --- |\n")
	w("| train the shipped configuration on the 24 train topics, GOMAXPROCS=1 | %.2f s | < 60 s |\n", perf.trainSeconds)
	w("| rank 2,703 models for one topic (d = %d, model side prepared) | %.2f ms | < 50 ms |\n", ShippedRecycling.Dim, perf.rankMillis)
	w("| memory obtained from the OS after one training and the ranking (Go runtime `Sys`, measured before the other experiments) | %.0f MB | < 500 MB |\n\n", perf.sysMB)
	w(reportFooter, len(RecyclingGrid)*CVFolds*CVSeeds+EnsembleRepeats*EnsembleSize*CVFolds)
	return b.Bytes(), nil
}

// meanOrNone formats the mean of x with its sign, or "—" for no values.
func meanOrNone(x []float64) string {
	if len(x) == 0 {
		return "—"
	}
	m, _ := meanStd(x)
	return fmt.Sprintf("%+.3f", m)
}

func aboveBelow(a, b float64) string {
	if a > b {
		return "above"
	}
	return "not above"
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

// ensembleSection reports the seed ensembles next to the chosen
// configuration's single networks and says where the selection rule would
// put them.
func ensembleSection(ens []Metrics, chosen cvRow, lp Metrics) string {
	if len(ens) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "**Seed ensembles.** Averaging networks trained from different seeds is the standard remedy for "+
		"seed variance. An ensemble of %d networks of the chosen configuration scores a pool model by the mean of its "+
		"per-topic standardised scores (`CrossValidateEnsemble`); cross-validated on the same folds:\n\n", EnsembleSize)
	b.WriteString("| ranking | τw | ndcg@10 | regret@1 |\n| --- | --- | --- | --- |\n")
	fmt.Fprintf(&b, "| chosen configuration, single networks (mean ± sd over %d seeds) | %s | %s | %s |\n",
		len(chosen.seeds), chosen.tau.f(4), chosen.ndcg.f(4), chosen.reg.f(2))
	var taus, regs []float64
	for e, m := range ens {
		fmt.Fprintf(&b, "| ensemble of the networks of seeds %d–%d | %.4f | %.4f | %.2f |\n",
			e*EnsembleSize, (e+1)*EnsembleSize-1, m.TauW, m.NDCG10, m.Regret1)
		taus, regs = append(taus, m.TauW), append(regs, m.Regret1)
	}
	tau, reg := mpOther(taus), mpOther(regs)
	qualifies := tau > lp.TauW && reg < lp.Regret1
	fmt.Fprintf(&b, "\nThe ensembles average τw %.4f and regret@1 %.2f (mnli-lp: %.4f, %.2f): %s. "+
		"An ensemble costs %d trainings, so it is not a row of the grid.\n\n",
		tau, reg, lp.TauW, lp.Regret1,
		map[bool]string{
			true:  "they would pass the selection rule's test against mnli-lp",
			false: "averaging removes the seed-to-seed spread but not the shortfall in regret@1, so they would not pass the selection rule's test against mnli-lp",
		}[qualifies], EnsembleSize)
	return b.String()
}

// verdict states, measure by measure, whether the shipped run clears the
// bar.
func verdict(shipped Metrics, meanTau, meanReg, meanNDCG float64, refs map[string]Metrics, blend Metrics) string {
	var b strings.Builder
	lp, okLP := refs["mnli-lp"]
	knn, okKNN := refs["probe-knn"]
	if !okLP || !okKNN {
		return "The reference runs mnli-lp and probe-knn are missing; the bar cannot be checked.\n\n"
	}
	check := func(name string, ok bool) string {
		if ok {
			return name + " ✓"
		}
		return name + " ✗"
	}
	b.WriteString("**The bar** (shipped run, seed 0): ")
	items := []string{
		check(fmt.Sprintf("τw > mnli-lp (%.4f vs %.4f)", shipped.TauW, lp.TauW), shipped.TauW > lp.TauW),
		check(fmt.Sprintf("regret@1 < mnli-lp (%.2f vs %.2f)", shipped.Regret1, lp.Regret1), shipped.Regret1 < lp.Regret1),
		check(fmt.Sprintf("ndcg@10 > probe-knn (%.4f vs %.4f)", shipped.NDCG10, knn.NDCG10), shipped.NDCG10 > knn.NDCG10),
		check(fmt.Sprintf("τw > probe-knn (%.4f vs %.4f)", shipped.TauW, knn.TauW), shipped.TauW > knn.TauW),
		check(fmt.Sprintf("regret@1 < probe-knn (%.2f vs %.2f)", shipped.Regret1, knn.Regret1), shipped.Regret1 < knn.Regret1),
	}
	b.WriteString(strings.Join(items, "; "))
	fmt.Fprintf(&b, ". Over the seeds: mean τw %.4f (mnli-lp %.4f), mean regret@1 %.2f (mnli-lp %.2f), mean ndcg@10 %.4f (probe-knn %.4f). ",
		meanTau, lp.TauW, meanReg, lp.Regret1, meanNDCG, knn.NDCG10)
	fmt.Fprintf(&b, "Against the blend of mnli_lp with the probes: τw %+.4f, regret@1 %+.2f, ndcg@10 %+.4f (seed 0 minus blend).\n\n",
		shipped.TauW-blend.TauW, shipped.Regret1-blend.Regret1, shipped.NDCG10-blend.NDCG10)
	return b.String()
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

type synthResult struct {
	prior, stage1, rerank3, rerankAll float64
	rankAgg                           int
}

// synthExperiment trains DefaultBundle on the first 24 topics of a
// DefaultSynth bundle (two of them without truth, ordered by RankAgg) and
// measures mean τw on the 8 held-out topics.
func synthExperiment(seed uint64) (synthResult, error) {
	dir, err := os.MkdirTemp("", "modelspider-synth-")
	if err != nil {
		return synthResult{}, err
	}
	defer os.RemoveAll(dir)
	info, err := SyntheticBundle(filepath.Join(dir, "bundle"), seed, DefaultSynth)
	if err != nil {
		return synthResult{}, err
	}
	train, test := info.Topics[:24], info.Topics[24:]
	qpath := filepath.Join(dir, "train.qrels")
	if err := info.WriteSynthQrels(qpath, train[2:]); err != nil {
		return synthResult{}, err
	}
	b, err := transfer.OpenBundle(filepath.Join(dir, "bundle"))
	if err != nil {
		return synthResult{}, err
	}
	q, err := trecfmt.ReadQrelsFile(qpath, trecfmt.DefaultLimits)
	if err != nil {
		return synthResult{}, err
	}
	r, rankAgg, err := TrainBundle(b, q, train, DefaultBundle.WithSeed(seed), nil)
	if err != nil {
		return synthResult{}, err
	}
	prior := make([]float64, len(info.Models))
	for ti := 2; ti < 24; ti++ {
		addTo(prior, info.Truth[ti])
	}
	res := synthResult{rankAgg: len(rankAgg)}
	mean := func(scores map[string][]float64) (float64, error) {
		var sum float64
		for i, t := range test {
			s := prior
			if scores != nil {
				s = scores[t]
			}
			tw, ok := rankcorr.WeightedTau(info.Truth[24+i], s)
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
	trainSeconds, rankMillis, sysMB float64
}

// measurePerformance times training on one core and ranking 2,703 models.
func measurePerformance(d *zoo.Data) (perfResult, error) {
	res := perfResult{machine: fmt.Sprintf("%s/%s, %d CPUs", runtime.GOOS, runtime.GOARCH, runtime.NumCPU())}
	old := runtime.GOMAXPROCS(1)
	start := time.Now()
	r, _, err := TrainRecycling(d, ShippedRecycling, nil)
	res.trainSeconds = time.Since(start).Seconds()
	runtime.GOMAXPROCS(old)
	if err != nil {
		return res, err
	}
	// 2,703 models: the pool's 1,266 with their free tokens (if any) and
	// 1,437 more that reuse pool metadata but have none.
	refs, err := poolRefs(d, r.Repr.Probes, r.Models)
	if err != nil {
		return res, err
	}
	models := slices.Clone(refs)
	for i := 0; len(models) < 2703; i++ {
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
