package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/baselines/metadata"
	"github.com/ntcir-pmr/mreval/internal/progress"
	"github.com/ntcir-pmr/mreval/internal/testtree"
)

// moduleRoot is the root of the working tree, seen from this package.
const moduleRoot = "../.."

// TestCollectionBuildCheckCLI runs `collection build` and `check` on a tree
// whose recycling model table is cut down to a few dozen models
// (testtree.SmallSources): every step of the shipped build, Model Spider's
// training included, in about a second. The shipped tree itself is checked
// once, by `collection check` in .ci/run.
func TestCollectionBuildCheckCLI(t *testing.T) {
	tree := testtree.SmallSources(t, moduleRoot, metadata.DefaultProbes, 150)
	// build reports its progress (drawn here by a fake; off a terminal
	// nothing is drawn).
	var drawn bytes.Buffer
	defer func(restore func(io.Writer) *progress.Bars) { newBars = restore }(newBars)
	newBars = func(io.Writer) *progress.Bars { return progress.Drawn(&drawn) }
	status, out, errOut := runCLI("collection", "build", "--root", tree)
	require.Equal(t, 0, status, errOut)
	assert.Empty(t, errOut)
	assert.Contains(t, drawn.String(), "building the collections")
	assert.Contains(t, drawn.String(), "(0/9)", "one step per recycling baseline and one for the rest")
	assert.Contains(t, out, "note: probe-knn: k = ")
	assert.Contains(t, out, "wrote runs/recycling/modelspider.run\n")
	assert.Regexp(t, "\n([0-9]+) files written, 0 unchanged\n$", out)
	// Each build here trains Model Spider, so the test makes two: check on
	// a clean tree is internal/ship's TestCheckCleanTree, and a build that
	// rewrites only what changed is its TestWriteFilesSkipsUnchanged.

	p := filepath.Join(tree, "runs", "recycling", "mnli-lp.run")
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	first, _, _ := strings.Cut(string(b), "\n")
	require.True(t, strings.HasSuffix(first, " mnli-lp"), first)
	require.NoError(t, os.WriteFile(p, bytes.Replace(b, []byte(" mnli-lp\n"), []byte(" mnli_lp\n"), 1), 0o644))

	status, out, errOut = runCLI("collection", "check", "--root", tree)
	assert.Equal(t, 1, status)
	// The message quotes the first differing line, cut after 80 bytes.
	cut := func(s string) string {
		if len(s) > 80 {
			return s[:80] + "…"
		}
		return s
	}
	assert.Equal(t, []string{
		fmt.Sprintf("runs/recycling/mnli-lp.run: differs from a fresh build at line 1: has %q, build makes %q",
			cut(strings.TrimSuffix(first, "mnli-lp")+"mnli_lp"), cut(first)),
	}, strings.Split(out, "\n")[:1])
	assert.Contains(t, out, "runs/recycling/mnli-lp.run: SHA-256 ")
	assert.Equal(t, "mreval: collection check: 2 problem(s); run `mreval collection build` if the sources changed on purpose\n", errOut)
}

func TestCollectionCLIUsage(t *testing.T) {
	tests := []struct {
		args   []string
		status int
		errMsg string
	}{
		{[]string{"collection", "check", "--root", "/nonexistent"}, 2, "--root /nonexistent: no qrels/source directory there"},
		{[]string{"collection", "build", "--root", moduleRoot, "extra"}, 2, `collection build takes no arguments, got ["extra"]`},
		{[]string{"baseline", "metadata", "--out", "x.run"}, 2, "baseline metadata takes one baseline name"},
		{[]string{"baseline", "metadata", "--out", "x.run", "oracle"}, 2, `unknown baseline "oracle"`},
		{[]string{"baseline", "metadata", "prior"}, 2, "baseline metadata needs -o/--output FILE"},
		{[]string{"baseline", "metadata", "--out", "x.run", "--k", "-1", "probe-knn"}, 2, "--k must be positive"},
	}
	for _, tc := range tests {
		status, _, errOut := runCLI(tc.args...)
		assert.Equal(t, tc.status, status, "%v: %s", tc.args, errOut)
		assert.Contains(t, errOut, tc.errMsg, tc.args)
	}
	// Outside a working tree, build and check need --root.
	t.Chdir(t.TempDir())
	status, _, errOut := runCLI("collection", "check")
	assert.Equal(t, 2, status)
	assert.Contains(t, errOut, "is not the root of an mreval working tree (no qrels/source); use --root DIR")
}

func TestCollectionList(t *testing.T) {
	t.Chdir(t.TempDir())
	status, out, errOut := runCLI("collection", "list")
	assert.Equal(t, 0, status, errOut)
	assert.Equal(t, "recycling\tembedded\tqrels/recycling.qrels\n"+
		"modelspider-single\tembedded\tqrels/modelspider-single.qrels\n"+
		"modelspider-multi\tembedded\tqrels/modelspider-multi.qrels\n"+
		"subtask-b-sample\tembedded\tqrels/subtask-b-sample.qrels\n", out)
}

func TestBaselineMetadataCLI(t *testing.T) {
	dir := t.TempDir()
	// With the shipped parameters and tag, the shipped run comes back.
	// (probe-knn chooses k by cross-validation, half a second: its
	// shipped run is left to `collection check` in .ci/run, and its
	// command line is tested below with a given k.)
	for _, name := range []string{"prior", "random", "name-match"} {
		out := filepath.Join(dir, name+".run")
		status, _, errOut := runCLI("baseline", "metadata", "--root", moduleRoot, "--out", out, name)
		require.Equal(t, 0, status, errOut)
		got, err := os.ReadFile(out)
		require.NoError(t, err)
		want, err := os.ReadFile(filepath.Join(moduleRoot, "runs", "recycling", name+".run"))
		require.NoError(t, err)
		assert.True(t, bytes.Equal(want, got), name)
	}

	out := filepath.Join(dir, "knn4.run")
	status, _, errOut := runCLI("baseline", "metadata", "--root", moduleRoot, "--out", out, "--k", "4", "--tag", "k4", "probe-knn")
	require.Equal(t, 0, status, errOut)
	assert.Equal(t, "note: probe-knn: k = 4 (given), probes roberta-base, bert-base-uncased, bert-base-cased, microsoft/deberta-v3-base\n"+
		"mreval: wrote the probe-knn run to "+out+"\n", errOut)
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(b), "ag_news Q0 "))
	assert.Contains(t, strings.SplitN(string(b), "\n", 2)[0], " k4")

	status, _, errOut = runCLI("baseline", "metadata", "--root", moduleRoot, "--out", out, "--probes", "roberta-base,bogus/model", "probe-knn")
	assert.Equal(t, 1, status)
	assert.Equal(t, "mreval: probe-knn: probe model \"bogus/model\" is not in the pool\n", errOut)
}
