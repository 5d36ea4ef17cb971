package main

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConventionUnknownCommand(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"leaderbord"}, `mreval: unknown command "leaderbord" for 'mreval'; did you mean "leaderboard"? (see 'mreval --help')` + "\n"},
		{[]string{"frobnicate", "x"}, `mreval: unknown command "frobnicate" for 'mreval' (see 'mreval --help')` + "\n"},
		{[]string{"help", "evl"}, `mreval: unknown command "evl" for 'mreval'; did you mean "eval"? (see 'mreval --help')` + "\n"},
		{[]string{"baseline", "estimat", "--estimator", "leep"}, `mreval: unknown command "estimat" for 'mreval baseline'; did you mean "estimate"? (see 'mreval baseline --help')` + "\n"},
		{[]string{"baseline", "modelspider", "trian"}, `mreval: unknown command "trian" for 'mreval baseline modelspider'; did you mean "train"? (see 'mreval baseline modelspider --help')` + "\n"},
	} {
		status, stdout, stderr := runCLI(tc.args...)
		assert.Equal(t, 2, status, "%v", tc.args)
		assert.Empty(t, stdout)
		assert.Equal(t, tc.want, stderr)
	}
}

func TestConventionFlagEchoedAsTyped(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"leaderboard", "--qrelsx", "q"}, "mreval: flag provided but not defined: --qrelsx; did you mean --qrels? (see 'mreval help leaderboard')\n"},
		{[]string{"leaderboard", "-qrelsx", "q"}, "mreval: flag provided but not defined: -qrelsx; did you mean --qrels? (see 'mreval help leaderboard')\n"},
		{[]string{"leaderboard", "--qrelsx=q"}, "mreval: flag provided but not defined: --qrelsx; did you mean --qrels? (see 'mreval help leaderboard')\n"},
		{[]string{"leaderboard", "-q"}, "mreval: flag provided but not defined: -q (see 'mreval help leaderboard')\n"},
		{[]string{"eval", "--zzz"}, "mreval: flag provided but not defined: --zzz (see 'mreval help eval')\n"},
	} {
		status, stdout, stderr := runCLI(tc.args...)
		assert.Equal(t, 2, status, "%v", tc.args)
		assert.Empty(t, stdout)
		assert.Equal(t, tc.want, stderr, "%v", tc.args)
	}
}

func TestConventionVersionLine(t *testing.T) {
	full := &debug.BuildInfo{
		GoVersion: "go1.26.0",
		Main:      debug.Module{Path: "github.com/ntcir-pmr/mreval", Version: "v1.2.0"},
		Settings: []debug.BuildSetting{
			{Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
			{Key: "vcs.time", Value: "2025-06-01T12:00:00Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	assert.Equal(t, "mreval v1.2.0 (revision 0123456789ab, 2025-06-01T12:00:00Z, modified; go1.26.0)", versionLine(full, true))
	clean := &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "v1.2.0"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc"}, {Key: "vcs.modified", Value: "false"}}}
	assert.Equal(t, "mreval v1.2.0 (revision abc; go1.26.0)", versionLine(clean, true))
	assert.Equal(t, "mreval (devel) (revision unknown; go1.26.0)", versionLine(&debug.BuildInfo{GoVersion: "go1.26.0"}, true))
	assert.Equal(t, "mreval (unknown version: built without module information)", versionLine(nil, false))

	// Both spellings print the running binary's line on stdout, exit 0.
	info, ok := debug.ReadBuildInfo()
	for _, args := range [][]string{{"--version"}, {"version"}} {
		status, stdout, stderr := runCLI(args...)
		assert.Equal(t, 0, status)
		assert.Equal(t, versionLine(info, ok)+"\n", stdout)
		assert.Empty(t, stderr)
	}
	status, _, stderr := runCLI("version", "extra")
	assert.Equal(t, 2, status)
	assert.Equal(t, "mreval: version takes no arguments\n", stderr)
}

// oneTopicRun writes fennec's ranking of the test topic ag_news alone.
func oneTopicRun(t *testing.T) string {
	data, err := os.ReadFile("../../runs/recycling/fennec.run")
	require.NoError(t, err)
	var b strings.Builder
	for _, line := range strings.SplitAfter(string(data), "\n") {
		if strings.HasPrefix(line, "ag_news ") {
			b.WriteString(line)
		}
	}
	path := filepath.Join(t.TempDir(), "one.run")
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
	return path
}

func TestConventionSplitCountsMissingTopics(t *testing.T) {
	run := oneTopicRun(t)
	// ag_news alone: ndcg@10 0.8582 (trec_eval's average over the run's topics).
	status, stdout, stderr := runCLI("eval", "--collection", "recycling", "-m", "ndcg@10", run)
	require.Equal(t, 0, status, stderr)
	assert.Equal(t, "ndcg@10               \tall\t0.8582\n", stdout)
	assert.Empty(t, stderr)
	// With the test split: averaged over its 12 topics, the 11 missing
	// scoring 0 on an empty ranking: 0.8582/12 = 0.0715, said on stderr.
	status, stdout, stderr = runCLI("eval", "--collection", "recycling", "--split", "test", "-m", "num_q", "-m", "ndcg@10", run)
	require.Equal(t, 0, status, stderr)
	assert.Equal(t, "num_q                 \tall\t12\nndcg@10               \tall\t0.0715\n", stdout)
	assert.Equal(t, "mreval: note: "+run+" covers 1 of the 12 topics of recycling test split; the 11 it lacks are scored on an empty ranking and counted in every mean (as on the leaderboard)\n", stderr)
}

func TestConventionOutputFlag(t *testing.T) {
	run := oneTopicRun(t)
	dir := filepath.Dir(run)
	want := "ndcg@10               \tall\t0.8582\n"
	out := filepath.Join(dir, "scores.txt")
	for _, flag := range []string{"-o", "--output", "--out"} {
		require.NoError(t, os.WriteFile(out, []byte("old"), 0o644))
		status, stdout, stderr := runCLI("eval", "--collection", "recycling", "-m", "ndcg@10", flag, out, run)
		require.Equal(t, 0, status, stderr)
		assert.Empty(t, stdout)
		assert.Equal(t, "mreval: wrote the scores to "+out+"\n", stderr)
		got, err := os.ReadFile(out)
		require.NoError(t, err)
		assert.Equal(t, want, string(got), flag) // an existing regular file is replaced
	}
	// "-" is standard output, and no file named "-" appears.
	status, stdout, _ := runCLI("eval", "--collection", "recycling", "-m", "ndcg@10", "-o", "-", run)
	require.Equal(t, 0, status)
	assert.Equal(t, want, stdout)
	assert.NoFileExists(t, "-")

	link := filepath.Join(dir, "link.txt")
	require.NoError(t, os.Symlink(out, link))
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-o", run, run}, "mreval: output " + run + " is also an input of this command: writing it would destroy the input\n"},
		{[]string{"-o", dir, run}, "mreval: output " + dir + " is a directory: name a file\n"},
		{[]string{"-o", link, run}, "mreval: output " + link + " is a symbolic link: name the file itself (mreval does not write through links)\n"},
		{[]string{"-o", out, "--out", "x", run}, "mreval: --out is the old name of -o/--output: give one of them, not both\n"},
	} {
		status, stdout, stderr := runCLI(append([]string{"eval", "--collection", "recycling", "-m", "ndcg@10"}, tc.args...)...)
		assert.Equal(t, 2, status, "%v", tc.args)
		assert.Empty(t, stdout)
		assert.Equal(t, tc.want, stderr, "%v", tc.args)
	}
	got, err := os.ReadFile(run)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(got), "ag_news "), "the input is untouched")
}

func TestConventionLeaderboardPositionalQrels(t *testing.T) {
	// leaderboard QRELS RUN... is leaderboard --qrels QRELS RUN...
	args := []string{"--resamples", "100", "--permutations", "100", "--no-noise", "-m", "ndcg@10", "--format", "csv"}
	status1, flagged, stderr1 := runCLI(append(append([]string{"leaderboard"}, args...), "--qrels", "testdata/in/lb.qrels", "testdata/in/lb_partial.run", "testdata/in/best.run")...)
	require.Equal(t, 0, status1, stderr1)
	status2, positional, stderr2 := runCLI(append(append([]string{"leaderboard"}, args...), "testdata/in/lb.qrels", "testdata/in/lb_partial.run", "testdata/in/best.run")...)
	require.Equal(t, 0, status2, stderr2)
	assert.Equal(t, flagged, positional)
	assert.Equal(t, stderr1, stderr2)
	assert.Contains(t, positional, "ndcg@10")
}
