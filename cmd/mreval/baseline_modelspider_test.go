package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/baselines/modelspider"
	"github.com/ntcir-pmr/mreval/baselines/transfer"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
)

func runModelspider(args ...string) (int, string, string) {
	return runCLI(append([]string{"baseline", "modelspider"}, args...)...)
}

// TestModelspiderBundleCLI trains on a small synthetic bundle and ranks its
// held-out topics through the command line.
func TestModelspiderBundleCLI(t *testing.T) {
	dir := t.TempDir()
	bundle := filepath.Join(dir, "bundle")
	cfg := modelspider.SynthConfig{Topics: 6, Models: 4, Classes: 3, Samples: 30, Latent: 2, BaseFeatures: 6}
	info, err := modelspider.SyntheticBundle(bundle, 1, cfg)
	require.NoError(t, err)
	qrels := filepath.Join(dir, "truth.qrels")
	require.NoError(t, info.WriteSynthQrels(qrels, info.Topics[:4]))
	trainTopics := filepath.Join(dir, "train.topics")
	testTopics := filepath.Join(dir, "test.topics")
	require.NoError(t, os.WriteFile(trainTopics, []byte(strings.Join(info.Topics[:4], "\n")+"\n"), 0o644))
	require.NoError(t, os.WriteFile(testTopics, []byte(strings.Join(info.Topics[4:], "\n")+"\n"), 0o644))
	model := filepath.Join(dir, "m.msp")

	status, _, stderr := runModelspider("train", "--repr", "bundle", "--bundle", bundle, "--qrels", qrels,
		"--topics", trainTopics, "--steps", "5", "--seed", "3", "-o", model)
	require.Equal(t, 0, status, stderr)
	assert.Equal(t, "mreval: wrote the trained ranker to "+model+"\n", stderr, "no progress bar when stderr is not a terminal")
	r, err := modelspider.Load(model)
	require.NoError(t, err)
	assert.Equal(t, uint64(3), r.Train.Seed)
	assert.Equal(t, 5, r.Train.Steps)
	assert.Equal(t, info.Models, r.Models)

	runPath := filepath.Join(dir, "out.run")
	status, _, stderr = runModelspider("rank", "--model", model, "--bundle", bundle, "--topics", testTopics, "--rerank", "2", "--out", runPath, "--tag", "ms")
	require.Equal(t, 0, status, stderr)
	run, err := trecfmt.ReadRunFile(runPath, trecfmt.DefaultLimits)
	require.NoError(t, err)
	assert.Equal(t, info.Topics[4:], run.Topics)
	assert.Equal(t, "ms", run.Tag)
	for _, tp := range run.Topics {
		assert.Len(t, run.ByID[tp].Entries, 4)
	}
	want, err := r.RankBundle(mustOpenBundle(t, bundle), info.Topics[4:], 2, "ms")
	require.NoError(t, err)
	for _, tp := range run.Topics {
		assert.Equal(t, want.ByID[tp].Entries[0].Doc, run.ByID[tp].Entries[0].Doc)
	}
}

func TestModelspiderCLIErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name   string
		args   []string
		status int
		want   string
	}{
		{"train without out", []string{"train"}, 2, "mreval: baseline modelspider train needs -o/--output FILE"},
		{"unknown repr", []string{"train", "--repr", "pixels", "--out", filepath.Join(dir, "x")}, 2, `--repr "pixels"`},
		{"bundle without bundle", []string{"train", "--repr", "bundle", "--out", filepath.Join(dir, "x")}, 2, "needs --bundle"},
		{"rank without model", []string{"rank", "--topics", "t", "--out", "o"}, 2, "needs --model"},
		{"rank missing file", []string{"rank", "--model", filepath.Join(dir, "none.msp"), "--topics", "t", "--out", "o"}, 1, "none.msp"},
		{"report bad seeds", []string{"report", "--seeds", "0"}, 2, "--seeds 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, _, stderr := runModelspider(tc.args...)
			assert.Equal(t, tc.status, status, stderr)
			assert.Contains(t, stderr, tc.want)
		})
	}
	notRanker := filepath.Join(dir, "junk.msp")
	require.NoError(t, os.WriteFile(notRanker, []byte("hello"), 0o644))
	status, _, stderr := runModelspider("rank", "--model", notRanker, "--topics", "t", "--out", "o")
	assert.Equal(t, 1, status)
	assert.Contains(t, stderr, "not a modelspider ranker file")
}

func mustOpenBundle(t *testing.T, dir string) *transfer.Bundle {
	t.Helper()
	b, err := transfer.OpenBundle(dir)
	require.NoError(t, err)
	return b
}

// TestModelspiderRecyclingFlags trains a few steps on the shipped
// recycling collection with the architecture flags and checks that the
// saved ranker carries them.
func TestModelspiderRecyclingFlags(t *testing.T) {
	model := filepath.Join(t.TempDir(), "m.msp")
	status, _, stderr := runModelspider("train", "--collection", "recycling", "--steps", "2", "--dim", "4",
		"--linear-path", "--base-accuracy-path", "--seed", "9", "--out", model)
	require.Equal(t, 0, status, stderr)
	r, err := modelspider.Load(model)
	require.NoError(t, err)
	cfg := r.Net.Config()
	assert.True(t, cfg.LinearPath)
	assert.Equal(t, 1, cfg.PairFeatures)
	assert.True(t, r.Repr.Probes.BaseAccuracy)
	assert.Equal(t, 4, cfg.Dim)
	assert.Equal(t, 2, r.Train.Steps)
	assert.Equal(t, modelspider.ReprProbes, r.Repr.Kind)
	assert.False(t, modelspider.ShippedRecycling().LinearPath, "the flag overrides the shipped setting")

	runPath := filepath.Join(t.TempDir(), "out.run")
	status, _, stderr = runModelspider("rank", "--model", model, "--topics", "../../qrels/recycling.test.topics", "--out", runPath)
	require.Equal(t, 0, status, stderr)
	run, err := trecfmt.ReadRunFile(runPath, trecfmt.DefaultLimits)
	require.NoError(t, err)
	assert.Len(t, run.Topics, 12)
}

// TestModelspiderReportKeepsHistory checks, before any training, that the
// report refuses an earlier document whose hand-written history has lost
// its end marker rather than dropping the history.
func TestModelspiderReportKeepsHistory(t *testing.T) {
	out := filepath.Join(t.TempDir(), "doc.md")
	require.NoError(t, os.WriteFile(out, []byte("# old\n<!-- BEGIN HAND-WRITTEN: the history of the choice; `mreval baseline modelspider report` keeps it -->\nhistory\n"), 0o644))
	status, _, stderr := runModelspider("report", "--root", "../..", "--out", out)
	assert.Equal(t, 1, status)
	assert.Equal(t, "mreval: "+out+": the history of the choice has no end marker \"<!-- END HAND-WRITTEN -->\"\n", stderr)
}
