package main

import (
	"encoding/json"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runArgs(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	code, stdout, stderr := runCLI(args...)
	require.Equal(t, 0, code, stderr)
	return stdout, stderr
}

// The JSON report has the shape of the issue, and its noise figures are
// those of the seed runs (σ_t and σ_MAD computed independently, with
// Python's statistics module, from qrels/recycling.seeds.tsv).
func TestNoiseJSON(t *testing.T) {
	stdout, stderr := runArgs(t, "noise", "--format", "json", "--draws", "40", "--topics", "testdata/in/noise.topics", "../../runs/recycling/mnli-lp.run")
	assert.Empty(t, stderr)
	type interval struct {
		Mean, Lo, Hi *float64
		Score        *float64
	}
	type topic struct {
		Sigma    float64
		SigmaMAD float64 `json:"sigma_mad"`
		SeedRuns int     `json:"seed_runs"`
		Ceiling  map[string]interval
	}
	var got struct {
		Collection string
		NoiseModel string `json:"noise_model"`
		Draws      int
		Seed       uint64
		Level      float64
		Topics     map[string]topic
		All        topic
		Runs       map[string]map[string]map[string]interval
	}
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&got))
	assert.Equal(t, "recycling", got.Collection)
	assert.Equal(t, "empirical", got.NoiseModel)
	assert.Equal(t, 40, got.Draws)
	assert.Equal(t, uint64(1), got.Seed)
	assert.Equal(t, 0.95, got.Level)
	want := map[string][2]float64{
		"cb":                   {15.968411128109128, 5.294999999999996},
		"financial_phrasebank": {13.961567705921048, 2.3721599999999965},
		"rte":                  {4.444324307848875, 2.1409386281588407},
	}
	require.Len(t, got.Topics, 3)
	for topic, w := range want {
		tr := got.Topics[topic]
		assert.InDelta(t, w[0], tr.Sigma, 1e-12, topic)
		assert.InDelta(t, w[1], tr.SigmaMAD, 1e-12, topic)
		assert.Equal(t, 120, tr.SeedRuns)
		require.Len(t, tr.Ceiling, 3)
		for _, m := range []string{"ndcg@10", "tauw", "regret@1"} {
			c := tr.Ceiling[m]
			require.NotNil(t, c.Mean, m)
			assert.LessOrEqual(t, *c.Lo, *c.Mean)
			assert.LessOrEqual(t, *c.Mean, *c.Hi)
			assert.Nil(t, c.Score, "the oracle has no score of its own")
		}
	}
	assert.Len(t, got.All.Ceiling, 3)
	assert.Equal(t, 360, got.All.SeedRuns)
	assert.InDelta(t, (15.968411128109128+13.961567705921048+4.444324307848875)/3, got.All.Sigma, 1e-12)
	run := got.Runs["mnli-lp"]
	require.Len(t, run, 4, "three topics and all")
	// mnli-lp's regret@1 on rte on the shipped qrels (see eval_near_noise.golden).
	assert.InDelta(t, 0.2250, *run["rte"]["regret@1"].Score, 5e-5)
}

// Same seed, same bytes, whatever the number of cores.
func TestNoiseIndependentOfCores(t *testing.T) {
	args := []string{"noise", "--format", "json", "--draws", "60", "--seed", "7", "--topics", "testdata/in/noise.topics", "../../runs/recycling/random.run"}
	prev := runtime.GOMAXPROCS(1)
	one, _ := runArgs(t, args...)
	runtime.GOMAXPROCS(4)
	four, _ := runArgs(t, args...)
	runtime.GOMAXPROCS(prev)
	assert.Equal(t, one, four)
}

// --no-noise removes the noise section and changes nothing else.
func TestLeaderboardNoNoise(t *testing.T) {
	args := []string{"leaderboard", "--topics", "testdata/in/noise_one.topics", "--resamples", "100", "--permutations", "100", "--format", "md",
		"../../runs/recycling/mnli-lp.run", "../../runs/recycling/random.run"}
	with, _ := runArgs(t, args...)
	without, _ := runArgs(t, append(args, "--no-noise")...)
	start := strings.Index(with, "\n## Noise ceiling\n")
	require.Positive(t, start)
	end := strings.Index(with[start+1:], "\n## ") + start + 1
	assert.Equal(t, without, with[:start]+with[end:])
	assert.NotContains(t, without, "Noise ceiling")
	// csv has no noise section, so it does not compute one.
	csvOut, _ := runArgs(t, append(args[:len(args)-4], "--format", "csv", args[len(args)-2], args[len(args)-1])...)
	assert.NotContains(t, csvOut, "oracle")
}
