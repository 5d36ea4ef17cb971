package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/baselines/fennec"
	"github.com/ntcir-pmr/mreval/eval/collection"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/ntcir-pmr/mreval/internal/thorough"
)

func fennecCLI(args ...string) (int, string, string) {
	return runCLI(append([]string{"baseline", "fennec"}, args...)...)
}

// TestBaselineFennecShipped: the command reproduces the shipped run, with
// the parameters chosen by cross-validation or given, and `mreval eval`
// scores it as fennec.Score (the numbers of docs/baselines-fennec.md).
func TestBaselineFennecShipped(t *testing.T) {
	shipped, err := os.ReadFile("../../runs/recycling/fennec.run")
	require.NoError(t, err)
	dir := t.TempDir()
	out := filepath.Join(dir, "fennec.run")
	status, stdout, stderr := fennecCLI("-o", out)
	require.Equal(t, 0, status, stderr)
	assert.Empty(t, stdout)
	assert.Equal(t, "note: fennec: rank 2, λ = 5 (chosen by leave-one-topic-out cross-validation on the train topics), 2 of 2 dimensions active\n"+
		"mreval: wrote the fennec run to "+out+"\n", stderr)
	got, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, string(shipped), string(got))

	given := filepath.Join(dir, "given.run")
	status, _, stderr = fennecCLI("--collection", "recycling", "--rank", "2", "--lambda", "5", "--tag", "fennec", "--out", given)
	require.Equal(t, 0, status, stderr)
	assert.Equal(t, "note: fennec: rank 2, λ = 5 (given), 2 of 2 dimensions active\nmreval: wrote the fennec run to "+given+"\n", stderr)
	got, err = os.ReadFile(given)
	require.NoError(t, err)
	assert.Equal(t, string(shipped), string(got))

	var evalOut, evalErr bytes.Buffer
	status = run([]string{"mreval", "eval", "--collection", "recycling", "--split", "test",
		"-m", "ndcg@10", "-m", "tauw", "-m", "regret@1", out}, &evalOut, &evalErr)
	require.Equal(t, 0, status, evalErr.String())
	col, err := collection.Lookup("recycling")
	require.NoError(t, err)
	q, err := col.Qrels()
	require.NoError(t, err)
	test, err := col.TestTopics()
	require.NoError(t, err)
	r, err := trecfmt.ReadRunFile(out, trecfmt.DefaultLimits)
	require.NoError(t, err)
	v, err := fennec.Score(q, r, test)
	require.NoError(t, err)
	assert.Equal(t, "ndcg@10               \tall\t"+fmt4(v[0])+"\n"+
		"tauw                  \tall\t"+fmt4(v[1])+"\n"+
		"regret@1              \tall\t"+fmt4(v[2])+"\n", evalOut.String())
	assert.Equal(t, []string{"0.8256", "0.3408", "22.2426"}, []string{fmt4(v[0]), fmt4(v[1]), fmt4(v[2])})
}

func fmt4(x float64) string { return strconv.FormatFloat(x, 'f', 4, 64) }

// TestBaselineFennecColdStart checks the run docs/baselines-fennec.md's
// cold-start command makes (TestDocsRun runs that command every time).
func TestBaselineFennecColdStart(t *testing.T) {
	thorough.Skip(t, "the cold-start run's checks")
	out := filepath.Join(t.TempDir(), "cold.run")
	status, _, stderr := fennecCLI("--cold-start", "--seed", "1", "--out", out)
	require.Equal(t, 0, status, stderr)
	assert.Equal(t, "note: fennec: rank 2, λ = 5 (chosen by leave-one-topic-out cross-validation on the train topics), 2 of 2 dimensions active; "+
		"cold start: 127 of 1266 models held out (seed 1) and scored from 262 metadata features (ridge μ = 1000)\n"+
		"mreval: wrote the fennec run to "+out+"\n", stderr)
	r, err := trecfmt.ReadRunFile(out, trecfmt.DefaultLimits)
	require.NoError(t, err)
	assert.Equal(t, "cold", r.Tag)
	assert.Len(t, r.Topics, 12)
	for _, topic := range r.Topics {
		assert.Len(t, r.ByID[topic].Entries, 1266)
	}
}

func TestBaselineFennecErrors(t *testing.T) {
	out := filepath.Join(t.TempDir(), "x.run")
	for _, tc := range []struct {
		args   []string
		status int
		stderr string
	}{
		{nil, 2, "mreval: baseline fennec needs -o/--output FILE (\"-\" = standard output)\n"},
		{[]string{"--rank", "-1", "--out", out}, 2, "mreval: --rank must be positive, or 0 to choose it by cross-validation\n"},
		{[]string{"--lambda", "-0.5", "--out", out}, 2, "mreval: --lambda must be positive, or 0 to choose it by cross-validation\n"},
		{[]string{"--seed", "3", "--out", out}, 2, "mreval: --seed only applies with --cold-start (the factorisation has no randomness)\n"},
		{[]string{"--collection", "nosuch", "--out", out}, 2, `mreval: unknown collection "nosuch" (known: ` + strings.Join(collection.Names(), ", ") + ")\n"},
		{[]string{"--collection", "modelspider-single", "--out", out}, 1,
			"mreval: collection modelspider-single has no train/test split, model metadata or topic descriptions for the Subtask A baselines\n"},
		{[]string{"--rank", "30", "--lambda", "1", "--out", out}, 1, "mreval: fennec: factorize: rank 30 is outside 0..24 (the smaller side of 1266 models × 24 topics)\n"},
		{[]string{"--tag", "a b", "--out", out}, 2, "mreval: run tag \"a b\" must be a non-empty word\n"},
		{[]string{"extra", "--out", out}, 2, "mreval: unexpected argument \"extra\"\n"},
	} {
		status, _, stderr := fennecCLI(tc.args...)
		assert.Equal(t, tc.status, status, "%v: %s", tc.args, stderr)
		assert.Equal(t, tc.stderr, stderr, "%v", tc.args)
	}
	_, err := os.Stat(out)
	assert.True(t, os.IsNotExist(err), "no run is written on error")
}
