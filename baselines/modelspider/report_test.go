package modelspider

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/baselines/metadata"
	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/collection"
)

// tinyReportPlan is a plan small enough for a test: one grid row, few
// seeds, a small synthetic bundle.
func tinyReportPlan() ReportPlan {
	small := RecyclingOptions{Dim: 4, Train: TrainConfig{Steps: 10, LR: 0.02, LRMin: 0.001, DecayWeights: 1e-3, Weighting: Hyperbolic}}
	plan := ShippedReportPlan()
	plan.Grid = []NamedRecycling{{Name: "tiny", Opt: small}}
	plan.Shipped = small
	plan.EarlierCandidates = []string{"tiny"}
	plan.CVSeeds = 2
	plan.EnsembleSize, plan.EnsembleRepeats = 2, 1
	plan.Synth = SynthConfig{Topics: 6, Models: 4, Classes: 3, Samples: 30, Latent: 2, BaseFeatures: 6}
	plan.SynthSeeds = []uint64{8}
	plan.SynthTrain, plan.SynthUnjudged = 4, 1
	plan.Bundle.Train.Steps = 5
	plan.Zoo.Train.Steps = 5
	return plan
}

// TestReportSmoke runs every experiment of the report on a small
// fabricated collection and zoo with tinyReportPlan, and checks that every
// section is there and states the facts of that data.
func TestReportSmoke(t *testing.T) {
	d := fakeRecycling(t, 4)
	lp, err := constantRun(d, d.Test, d.MNLILP)
	require.NoError(t, err)
	qpath, dir := writeZoo(t, []string{"A", "B", "C"}, []string{"m1", "m2", "m3"}, RankAggEstimators,
		func(m, t int) float64 { return float64(m*10 + t) },
		func(e, m, t int) float64 { return float64((m + e + t) % 3) })
	z, err := LoadZoo(qpath, dir, RankAggEstimators)
	require.NoError(t, err)
	plan := tinyReportPlan()
	var log bytes.Buffer
	doc, err := Report(ReportInputs{Recycling: d, RecyclingRuns: map[string]*eval.Run{"mnli-lp": lp, "probe-knn": lp}, Zoo: z},
		ReportOptions{Seeds: 2, Plan: &plan, Log: &log, History: "The history.\n"})
	require.NoError(t, err)
	text := string(doc)
	for _, want := range []string{
		"# Model Spider learned ranker", "## Subtask A: the recycling collection", "| tiny **(chosen)** |",
		"### Choice of the configuration (inside the 12 train topics)", "### Test topics (4), trained on the 12 train topics",
		"`ShippedRecycling` is the chosen configuration", "modelspider seed 1", "**The bar** (shipped run, seed 0)",
		"The shipped run is absent from this tree", "| tiny | ", "## Model Spider single zoo", "| C |",
		"The zoo has 3 ImageNet models and 3 classification datasets with the published scores of four estimators",
		"trained on the other 2\n", "## Synthetic feature bundles", "| 8 | ",
		"(6 topics, 4 models, 3 classes, 30 samples, feature widths 6–10)", "on 4 topics, of which 1 have no truth",
		"mean τw on the 2 held-out", "## Performance", "## Reproducing",
		"**Seed ensembles.**", "| ensemble of the networks of seeds 0–1 |",
		historyBegin + "The history.\n" + historyEnd,
		"4-fold", "configuration trained with seeds 0–1",
	} {
		assert.Contains(t, text, want)
	}
	assert.NotContains(t, text, "NaN")
	for _, tp := range d.Train {
		assert.Equal(t, 1, strings.Count(text, "| "+tp+" |"), "one cross-validation row per train topic")
	}
	assert.Contains(t, text, "— on the 0 sentence-pair train topics")
	assert.Contains(t, log.String(), "cv tiny")
	h, err := HandWrittenHistory(doc)
	require.NoError(t, err)
	assert.Equal(t, "The history.\n", h, "the history survives a regeneration")
}

func TestSelectConfiguration(t *testing.T) {
	row := func(tau, reg float64) cvRow { return cvRow{tau: meanSD{tau, 0}, reg: meanSD{reg, 0}} }
	lp := Metrics{TauW: 0.40, Regret1: 13}
	all := func(int) bool { return true }
	tests := []struct {
		name      string
		grid      []cvRow
		candidate func(int) bool
		best      int
		qualified bool
	}{
		{"highest τw among the qualified", []cvRow{row(0.45, 12), row(0.50, 14), row(0.47, 11)}, all, 2, true},
		{"none qualified: highest τw", []cvRow{row(0.45, 15), row(0.50, 14), row(0.39, 10)}, all, 1, false},
		{"a diagnostic row is passed over", []cvRow{row(0.45, 15), row(0.50, 14), row(0.52, 13.5)}, func(i int) bool { return i != 2 }, 1, false},
		{"a diagnostic row cannot qualify", []cvRow{row(0.45, 12), row(0.50, 11)}, func(i int) bool { return i != 1 }, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			best, q := selectConfiguration(tc.grid, lp, tc.candidate)
			assert.Equal(t, tc.best, best)
			assert.Equal(t, tc.qualified, q)
		})
	}
}

// TestReportDocumentFacts writes the document from a made-up result and
// checks that the counts and settings it states are those of the result.
func TestReportDocumentFacts(t *testing.T) {
	plan := ShippedReportPlan()
	plan.Grid = plan.Grid[:1]
	m := Metrics{NDCG10: 0.8, TauW: 0.4, Regret1: 10}
	row := cvRow{name: plan.Grid[0].Name, per: []Metrics{m, m, m}, seeds: []Metrics{m}, tau: meanSD{0.4, 0}, ndcg: meanSD{0.8, 0}, reg: meanSD{10, 0}}
	res := &reportResults{
		plan: plan, seeds: 1, history: "\nEarlier.\n\n",
		train: []string{"t1", "mnli", "t3"}, test: []string{"x1", "rte"}, pool: 1234, probes: []string{"p1", "p2", "p3"},
		perf: perfResult{machine: "test", models: 2345, dim: 7},
		grid: []cvRow{row}, lpCV: Metrics{NDCG10: 0.9, TauW: 0.5, Regret1: 5}, lpPer: []Metrics{m, m, m},
		testRuns: []Metrics{m, m}, seed0Per: []Metrics{m, m}, lpTest: []Metrics{m, m},
		refs:      map[string]Metrics{"mnli-lp": {NDCG10: 0.9, TauW: 0.5, Regret1: 5}, "probe-knn": m},
		refNames:  []string{"mnli-lp", "probe-knn"},
		zooTopics: []string{"A", "B"}, zooModels: []string{"m1", "m2", "m3", "m4", "m5"}, zooEstimators: []string{"e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9", "e10", "e11", "e12", "e13"},
		zooTaus: []float64{0.5}, zooPer: [][]float64{{0.5}, {0.5}}, zooLogME: []float64{0.1, 0.2}, zooCopeland: []float64{0.3, 0.4},
		zooBase: map[string]Metrics{"copeland": m},
		synth:   []synthRow{{seed: 4, prior: 0.1, stage1: 0.2, rerank3: 0.3, rerankAll: 0.4, rankAgg: 2}},
	}
	var b strings.Builder
	writeReport(&b, res)
	doc := b.String()
	for _, want := range []string{
		"(`metadata.DefaultProbes`:\np1, p2, p3)", "reads only its three probe judgments",
		"### Choice of the configuration (inside the 3 train topics)", "measures on 3 topics;",
		"### Test topics (2), trained on the 3 train topics",
		"The test topics hold 1 sentence-pair topics out of 2.", "on the 1 sentence-pair train topics",
		"With 2 topics, a single model per topic",
		"The zoo has 5 ImageNet models and 2 classification datasets with the published scores of 13 estimators",
		"z_e(m_5)", "[z_1(m) … z_13(m)]", "trained on the other 1\n",
		"(32 topics, 10 models, 3 classes, 60 samples, feature widths 8–12)",
		"on 24 topics, of which 2 have no truth", "mean τw on the 8 held-out",
		"| train the shipped configuration on the 3 train topics, GOMAXPROCS=1 |",
		"| rank 2,345 models for one topic (d = 7, model side prepared) |",
		historyBegin + "Earlier.\n" + historyEnd + "\nUnder the present protocol (5 seeds) the rule chooses",
	} {
		assert.Contains(t, doc, want)
	}
	h, err := HandWrittenHistory([]byte(doc))
	require.NoError(t, err)
	assert.Equal(t, "Earlier.\n", h)
	_, err = HandWrittenHistory([]byte("x\n" + historyBegin + "no end\n"))
	assert.ErrorContains(t, err, "no end marker")
	h, err = HandWrittenHistory([]byte("no history\n"))
	require.NoError(t, err)
	assert.Empty(t, h)
}

// The settings the document states are those of the plan, in the words the
// document has always used for the shipped plan.
func TestReportSettingsText(t *testing.T) {
	plan := ShippedReportPlan()
	assert.Equal(t, "d = 16, no feed-forward block, 300 Adam steps, learning rate 0.01 with cosine decay to 0.0005, weight decay 1e-3, "+
		"hyperbolic loss weights, metadata model tokens (free tokens, where used, with decay 0.1)", describeOptions(plan.GridBase))
	assert.Equal(t, "d = 16, 300 steps, learning rate 0.01, decays 1e-3, hyperbolic loss", describeZoo(plan.Zoo))
	assert.Equal(t, "8–12", featureWidths(plan.Synth))
	assert.Equal(t, "1,266", thousands(1266))
	assert.Equal(t, "2,703", thousands(2703))
	assert.Equal(t, "999", thousands(999))
	assert.Equal(t, "1,000,000", thousands(1000000))
	assert.Equal(t, "nine", numberWord(9))
	assert.Equal(t, "13", numberWord(13))
	assert.Equal(t, "0.0005", decimal(0.0005))
	assert.Equal(t, "1e-3", decimal(1e-3))
	assert.Equal(t, "0.01", decimal(0.01))
	assert.True(t, plan.Shipped.sameAs(ShippedRecycling()))
	i := slices.IndexFunc(plan.Grid, func(g NamedRecycling) bool { return g.Opt.WithSeed(0).sameAs(plan.Shipped.WithSeed(0)) })
	assert.Equal(t, "d16, metadata tokens, weight decay 1e-2", plan.Grid[i].Name, "the shipped configuration is a row of the grid")
}

// TestDocStatesTheCollection checks that the counts the shipped document
// states are those of the recycling collection of the tree (the report
// itself takes half an hour, so this is how its facts are kept honest
// between regenerations).
func TestDocStatesTheCollection(t *testing.T) {
	c, err := collection.LookupIn("../..", "recycling")
	require.NoError(t, err)
	d, err := c.BaselineData()
	require.NoError(t, err)
	raw, err := os.ReadFile("../../docs/baselines-modelspider.md")
	require.NoError(t, err)
	doc := string(raw)
	for _, want := range []string{
		fmt.Sprintf("### Choice of the configuration (inside the %d train topics)", len(d.Train)),
		fmt.Sprintf("### Test topics (%d), trained on the %d train topics", len(d.Test), len(d.Train)),
		fmt.Sprintf("A learned token per model (%s of them, %d topics)", thousands(len(d.Pool)), len(d.Train)),
		fmt.Sprintf("(`metadata.DefaultProbes`:\n%s)", strings.Join(metadata.DefaultProbes, ", ")),
		fmt.Sprintf("Unless the name says otherwise: %s.", describeOptions(RecyclingGridBase())),
		fmt.Sprintf("(`DefaultZoo`: %s)", describeZoo(DefaultZoo)),
		historyEnd,
	} {
		assert.Contains(t, doc, want)
	}
}
