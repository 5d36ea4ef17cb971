package modelspider

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval"
)

// TestReportSmoke runs the whole report on a small fabricated collection
// and zoo with a one-entry grid, and checks that every section is there.
func TestReportSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("trains several networks")
	}
	d := fakeRecycling(t, 4)
	oldGrid, oldShipped, oldEarlier, oldSeeds := RecyclingGrid, ShippedRecycling, EarlierCandidates, SynthSeeds
	defer func() {
		RecyclingGrid, ShippedRecycling, EarlierCandidates, SynthSeeds = oldGrid, oldShipped, oldEarlier, oldSeeds
	}()
	EarlierCandidates = []string{"tiny"}
	SynthSeeds = []uint64{8}
	small := RecyclingOptions{Dim: 4, Train: TrainConfig{Steps: 10, LR: 0.02, LRMin: 0.001, DecayWeights: 1e-3, Weighting: Hyperbolic}}
	RecyclingGrid = []NamedRecycling{{Name: "tiny", Opt: small}}
	ShippedRecycling = small

	lp, err := constantRun(d, d.Test, d.MNLILP)
	require.NoError(t, err)
	qpath, dir := writeZoo(t, []string{"A", "B", "C"}, []string{"m1", "m2", "m3"}, RankAggEstimators,
		func(m, t int) float64 { return float64(m*10 + t) },
		func(e, m, t int) float64 { return float64((m + e + t) % 3) })
	z, err := LoadZoo(qpath, dir, RankAggEstimators)
	require.NoError(t, err)
	var log bytes.Buffer
	doc, err := Report(ReportInputs{Recycling: d, RecyclingRuns: map[string]*eval.Run{"mnli-lp": lp, "probe-knn": lp}, Zoo: z},
		ReportOptions{Seeds: 2, Log: &log})
	require.NoError(t, err)
	text := string(doc)
	for _, want := range []string{
		"# Model Spider learned ranker", "## Subtask A: the recycling collection", "| tiny **(chosen)** |",
		"`ShippedRecycling` is the chosen configuration", "modelspider seed 1", "**The bar** (shipped run, seed 0)",
		"The shipped run is absent from this tree", "| tiny | ", "## Model Spider single zoo", "| C |",
		"## Synthetic feature bundles", "| 8 | ", "## Performance", "## Reproducing",
		"**Seed ensembles.**", "| ensemble of the networks of seeds 5–9 |",
	} {
		assert.Contains(t, text, want)
	}
	assert.NotContains(t, text, "NaN")
	for _, tp := range d.Train {
		assert.Equal(t, 1, strings.Count(text, "| "+tp+" |"), "one cross-validation row per train topic")
	}
	assert.Contains(t, text, "— on the 0 sentence-pair train topics")
	assert.Contains(t, log.String(), "cv tiny")
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
