package main

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval/collection"
)

// More leaderboard cases are golden files:
// testdata/golden/leaderboard_*.golden.

// TestLeaderboardStore ranks the current runs of a submission store, named
// TEAM/TAG (two teams may use the same tag), and checks the means against
// `mreval eval` on the same files.
func TestLeaderboardStore(t *testing.T) {
	dir := t.TempDir()
	store := filepath.Join(dir, "store")
	raw, err := os.ReadFile("testdata/validate/valid.run")
	require.NoError(t, err)
	// Team t2's run: the same tag, the pool in reverse order.
	var rev []string
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	for i := 0; i < len(lines); i += 5 {
		for k := 0; k < 5; k++ {
			f := strings.Fields(lines[i+4-k])
			f[3], f[4] = strconv.Itoa(k+1), strconv.FormatFloat(float64(5-k)/10, 'f', 1, 64)
			rev = append(rev, strings.Join(f, " "))
		}
	}
	other := filepath.Join(dir, "other.run")
	require.NoError(t, os.WriteFile(other, []byte(strings.Join(rev, "\n")+"\n"), 0o644))
	coll := []string{"--pool", "testdata/validate/pool.txt", "--topics", "testdata/validate/topics.txt"}
	for team, file := range map[string]string{"t1": "testdata/validate/valid.run", "t2": other} {
		code, stdout, stderr := runCLI(append(append([]string{"intake", "--store", store, "--team", team}, coll...), file)...)
		require.Equal(t, 0, code, stdout+stderr)
	}

	code, stdout, stderr := runCLI("leaderboard", "--qrels", "testdata/validate/qrels.txt", "--store", store, "--format", "csv", "--resamples", "500", "--permutations", "500")
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, stderr)
	rows, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 1+2*3)
	// Store boards carry team and description columns: find columns by name.
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	require.Contains(t, col, "run")
	require.Contains(t, col, "measure")
	require.Contains(t, col, "mean")
	means := map[string]string{}
	for _, r := range rows[1:] {
		means[r[col["run"]]+" "+r[col["measure"]]] = r[col["mean"]]
	}

	for tag, file := range map[string]string{"t1/myrun": "testdata/validate/valid.run", "t2/myrun": other} {
		code, out, stderr := runCLI("eval", "--format", "json", "-m", "ndcg@10", "-m", "tauw", "-m", "regret@1", "testdata/validate/qrels.txt", file)
		require.Equal(t, 0, code, stderr)
		var res struct {
			All map[string]*float64 `json:"all"`
		}
		require.NoError(t, json.Unmarshal([]byte(out), &res))
		for _, m := range []string{"ndcg@10", "tauw", "regret@1"} {
			require.NotNil(t, res.All[m])
			mean, err := strconv.ParseFloat(means[tag+" "+m], 64)
			require.NoError(t, err, "%s %s", tag, m)
			// eval sums in trec_eval's order, the statistics shift by the
			// first value: the two may differ in the last bit (t2's τ_w is
			// −1 by one and −0.9999999999999999 by the other).
			assert.InDelta(t, *res.All[m], mean, 1e-15, "%s %s", tag, m)
		}
	}

	// A board names each run by its place in the store, never by where
	// the store lives: the site publishes it.
	code, stdout, stderr = runCLI("leaderboard", "--qrels", "testdata/validate/qrels.txt", "--store", store, "--format", "json", "-m", "ndcg@10", "--resamples", "100", "--permutations", "100", "--no-noise")
	require.Equal(t, 0, code, stderr)
	var board struct {
		Runs []struct{ Run, File string }
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &board))
	files := map[string]string{}
	for _, r := range board.Runs {
		files[r.Run] = r.File
	}
	assert.Equal(t, map[string]string{"t1/myrun": "A/t1/myrun/v1.run", "t2/myrun": "A/t2/myrun/v1.run"}, files)
	assert.NotContains(t, stdout, dir)

	code, _, stderr = runCLI("leaderboard", "--qrels", "testdata/validate/qrels.txt", "--store", store, "--task", "B")
	assert.Equal(t, 1, code)
	assert.Equal(t, "mreval: store "+store+": no current runs of task B\n", stderr)
}

// TestLeaderboardBaseNames: --base-names shows the files of this disk by
// their base names only, and nothing else of the board changes.
func TestLeaderboardBaseNames(t *testing.T) {
	abs := func(p string) string {
		a, err := filepath.Abs(p)
		require.NoError(t, err)
		return a
	}
	args := []string{"leaderboard", "--qrels", abs("testdata/validate/qrels.txt"), "--topics", abs("testdata/validate/topics.txt"),
		"--format", "json", "-m", "ndcg@10", "--resamples", "100", "--permutations", "100", abs("testdata/validate/valid.run")}
	code, full, stderr := runCLI(args...)
	require.Equal(t, 0, code, stderr)
	code, based, stderr := runCLI(append(args, "--base-names")...)
	require.Equal(t, 0, code, stderr)
	var board struct {
		Qrels      string
		TopicsFrom string `json:"topics_from"`
		Runs       []struct{ File string }
	}
	require.NoError(t, json.Unmarshal([]byte(based), &board))
	assert.Equal(t, "qrels.txt", board.Qrels)
	assert.Equal(t, "topics.txt", board.TopicsFrom)
	require.Len(t, board.Runs, 1)
	assert.Equal(t, "valid.run", board.Runs[0].File)
	dir := abs("testdata/validate") + string(filepath.Separator)
	assert.Contains(t, full, dir)
	assert.NotContains(t, based, dir)
	assert.Equal(t, strings.ReplaceAll(full, dir, ""), based)
}

// TestLeaderboardOutputFile: -o writes the same bytes as standard output,
// and --timestamp adds the time.
func TestLeaderboardOutputFile(t *testing.T) {
	args := []string{"leaderboard", "--qrels", "testdata/in/lb.qrels", "--runs", "testdata/in/lb", "--format", "md", "--resamples", "300", "--permutations", "300"}
	code, stdout, stderr := runCLI(args...)
	require.Equal(t, 0, code, stderr)
	out := filepath.Join(t.TempDir(), "lb.md")
	code, written, stderr := runCLI(append(args, "-o", out)...)
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, written)
	got, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, stdout, string(got))

	code, stamped, _ := runCLI(append(args, "--timestamp")...)
	require.Equal(t, 0, code)
	assert.Regexp(t, `\nGenerated \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\.\n`, stamped)
	assert.NotContains(t, stdout, "Generated")

	code, _, stderr = runCLI(append(args, "-o", filepath.Join(t.TempDir(), "no", "such", "dir", "lb.md"))...)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "no such file or directory")
}

// BenchmarkDefaultLeaderboard is `mreval leaderboard` without flags, end to
// end: the shipped recycling runs on the 12 test topics, every statistic
// with B = 10⁴, the text report (target: under 1 s on 2 cores).
func BenchmarkDefaultLeaderboard(b *testing.B) {
	for b.Loop() {
		if code := run([]string{"mreval", "leaderboard"}, io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit status %d", code)
		}
	}
}

// TestLeaderboardDefault: without flags, the shipped reference runs of the
// recycling collection on its test topics (the README's first command).
// Not a golden file: the set of reference runs grows.
func TestLeaderboardDefault(t *testing.T) {
	coll, err := collection.Lookup("recycling")
	require.NoError(t, err)
	files, err := coll.RunFiles()
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(files), 3)
	code, stdout, stderr := runCLI("leaderboard", "--format", "csv")
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, stderr)
	rows, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 1+3*len(files), "one row per run and measure")
	var ndcg []float64
	for _, r := range rows[1:] {
		assert.Equal(t, "12", r[9], "topics used: the 12 test topics")
		if r[2] == "ndcg@10" {
			v, err := strconv.ParseFloat(r[4], 64)
			require.NoError(t, err)
			ndcg = append(ndcg, v)
		}
	}
	assert.Equal(t, []string{"ndcg@10", "tauw", "regret@1"}, []string{rows[1][2], rows[2][2], rows[3][2]})
	assert.IsNonIncreasing(t, ndcg, "sorted by ndcg@10, best first")
	// The table of the same call is docs/leaderboard.md's first example,
	// which TestDocsRun runs.
}
