package fennec_test

import (
	"flag"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/baselines/fennec"
	"github.com/ntcir-pmr/mreval/baselines/metadata"
	"github.com/ntcir-pmr/mreval/eval/collection"
	"github.com/ntcir-pmr/mreval/eval/zoo"
	"github.com/ntcir-pmr/mreval/internal/testtree"
	"github.com/ntcir-pmr/mreval/internal/thorough"
)

// These tests use the recycling collection of the working tree.

var update = flag.Bool("update", false, "rewrite the generated section of docs/baselines-fennec.md")

const (
	docPath  = "../../docs/baselines-fennec.md"
	docBegin = "<!-- BEGIN GENERATED: fennec.Report (go test ./baselines/fennec -run TestDocCurrent -update) -->\n"
	docEnd   = "<!-- END GENERATED -->\n"
	// coldSeed is the seed of the documented cold-start experiment.
	coldSeed = 1
)

type recycling struct {
	col    *collection.Collection
	data   *zoo.Data
	models []zoo.Model
	res    *fennec.Result
	cold   *fennec.ColdStartResult
}

var (
	recOnce sync.Once
	rec     recycling
	recErr  error
)

// load computes the shipped run and the documented cold-start experiment
// once, with the default GOMAXPROCS.
func load(t testing.TB) *recycling {
	t.Helper()
	recOnce.Do(func() {
		if rec.col, recErr = collection.LookupIn("../..", "recycling"); recErr != nil {
			return
		}
		if rec.data, recErr = rec.col.BaselineData(); recErr != nil {
			return
		}
		if rec.models, recErr = rec.col.Models(); recErr != nil {
			return
		}
		if rec.res, recErr = fennec.Run("fennec", rec.data, fennec.Options{}); recErr != nil {
			return
		}
		rec.cold, recErr = fennec.ColdStart("fennec-cold", rec.data, rec.models, fennec.Options{}, fennec.ColdStartOptions{Seed: coldSeed})
	})
	require.NoError(t, recErr)
	return &rec
}

// TestShippedRun checks the shipped run against a fresh computation and
// its shape: 12 test topics × 1266 models, tag fennec.
func TestShippedRun(t *testing.T) {
	r := load(t)
	shipped, err := os.ReadFile("../../runs/recycling/fennec.run")
	require.NoError(t, err)
	assert.Equal(t, string(shipped), string(testtree.RunBytes(t, r.res.Run)))
	assert.Equal(t, r.data.Test, r.res.Run.Topics)
	for _, topic := range r.res.Run.Topics {
		assert.Len(t, r.res.Run.ByID[topic].Entries, 1266)
	}
	assert.Equal(t, 2, r.res.Rank)
	assert.Equal(t, 5.0, r.res.Lambda)
}

// TestDeterministicAcrossCores recomputes with GOMAXPROCS 1 and 2: the
// cross-validation's goroutines must not change a bit of the run, nor of
// the cold-start experiment. (load computed them with the default
// GOMAXPROCS, which is not computed again.)
func TestDeterministicAcrossCores(t *testing.T) {
	thorough.Skip(t, "fennec again with other GOMAXPROCS")
	r := load(t)
	want := testtree.RunBytes(t, r.res.Run)
	wantCold := testtree.RunBytes(t, r.cold.Run)
	loaded := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(loaded)
	for _, procs := range []int{1, 2} {
		if procs == loaded {
			continue
		}
		runtime.GOMAXPROCS(procs)
		res, err := fennec.Run("fennec", r.data, fennec.Options{})
		require.NoError(t, err)
		assert.Equal(t, want, testtree.RunBytes(t, res.Run), "GOMAXPROCS %d", procs)
		assert.Equal(t, r.res.CV.MeanSpearman, res.CV.MeanSpearman, "GOMAXPROCS %d", procs)
	}
	runtime.GOMAXPROCS(1)
	cold, err := fennec.ColdStart("fennec-cold", r.data, r.models, fennec.Options{}, fennec.ColdStartOptions{Seed: coldSeed})
	require.NoError(t, err)
	assert.Equal(t, wantCold, testtree.RunBytes(t, cold.Run), "cold start, GOMAXPROCS 1")
	assert.Equal(t, r.cold.Held, cold.Held)
}

func TestColdStartRecycling(t *testing.T) {
	r := load(t)
	c := r.cold
	assert.Len(t, c.Held, 127, "round(10% of 1266)")
	for _, p := range metadata.DefaultProbes {
		assert.NotContains(t, c.Held, p)
	}
	for _, topic := range c.Run.Topics {
		assert.Len(t, c.Run.ByID[topic].Entries, 1266)
	}
	// The trained part never saw the held-out models.
	assert.Equal(t, 1266-127, c.Trained.Factors.Models)
}

// TestDocCurrent keeps the generated section of docs/baselines-fennec.md
// equal to fennec.Report on the working tree; -update rewrites it.
func TestDocCurrent(t *testing.T) {
	r := load(t)
	in := fennec.ReportInput{Qrels: r.data.Qrels, Test: r.data.Test, Pool: r.data.Pool,
		Fennec: r.res, Cold: r.cold, ColdSeed: coldSeed}
	for _, name := range fennec.ReportBaselines {
		p := "runs/recycling/" + name + ".run"
		if _, err := os.Stat("../../" + p); os.IsNotExist(err) {
			continue
		}
		run, err := r.col.ReadRun(p)
		require.NoError(t, err)
		in.Baselines = append(in.Baselines, fennec.NamedRun{Name: name, Run: run})
	}
	section, err := fennec.Report(in)
	require.NoError(t, err)

	raw, err := os.ReadFile(docPath)
	require.NoError(t, err)
	doc := string(raw)
	head, rest, ok := strings.Cut(doc, docBegin)
	require.True(t, ok, "docs/baselines-fennec.md lacks the generated-section marker")
	_, tail, ok := strings.Cut(rest, docEnd)
	require.True(t, ok, "docs/baselines-fennec.md lacks the end marker")
	want := head + docBegin + section + docEnd + tail
	if *update {
		require.NoError(t, os.WriteFile(docPath, []byte(want), 0o644))
		return
	}
	assert.Equal(t, want, doc, "docs/baselines-fennec.md is stale: go test ./baselines/fennec -run TestDocCurrent -update")
}
