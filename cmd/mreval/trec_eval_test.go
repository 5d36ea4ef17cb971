package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// treceval holds the conformance cases of `mreval trec_eval`: trec_eval
// 9.0.8's stdout and exit status on each command line of cases.json, made
// by scripts/make_treceval_cases.py.
const trecevalCases = "../../testdata/treceval"

type trecevalCase struct {
	Name   string   `json:"name"`
	Args   []string `json:"args"`
	Status int      `json:"status"`
	Stdout string   `json:"stdout"`
}

func loadTrecevalCases(t *testing.T) []trecevalCase {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(trecevalCases, "cases.json"))
	require.NoError(t, err)
	var cases []trecevalCase
	require.NoError(t, json.Unmarshal(data, &cases))
	return cases
}

// casePath turns the operands of a case (relative to testdata/treceval)
// into paths from this directory.
func casePath(a string) string {
	if strings.HasPrefix(a, "cases/") {
		return filepath.Join(trecevalCases, a)
	}
	return a
}

// TestTrecEvalConformance replays every command line trec_eval 9.0.8 was
// run with (its quicktest command lines over the generated big_* files,
// generated cases over every measure of all_trec and every option, the
// refusals) through `mreval trec_eval`
// in-process: the same stdout, byte for byte, and the same exit status.
func TestTrecEvalConformance(t *testing.T) {
	cases := loadTrecevalCases(t)
	require.GreaterOrEqual(t, len(cases), 130)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join(trecevalCases, c.Stdout))
			require.NoError(t, err)
			args := []string{"mreval", "trec_eval"}
			for _, a := range c.Args {
				args = append(args, casePath(a))
			}
			var out, errOut bytes.Buffer
			status := run(args, &out, &errOut)
			assert.Equal(t, c.Status, status, "exit status; stderr: %s", errOut.String())
			if !bytes.Equal(want, out.Bytes()) {
				t.Errorf("stdout differs from trec_eval's\n%s", firstDifference(string(want), out.String()))
			}
		})
	}
}

// firstDifference shows the first line where got and want differ.
func firstDifference(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + strconv.Itoa(i+1) + ":\n  want " + strings.ReplaceAll(wl, "\t", "\\t") + "\n  got  " + strings.ReplaceAll(gl, "\t", "\\t")
		}
	}
	return ""
}

// The summary lines trec_eval 9.0.8 printed for the quicktest-shaped
// cases/big.* files (expected/big_out.test.out and big_out.test.aqc.out),
// pinned here so that a regenerated expected file that went wrong cannot
// pass unnoticed: the full run, and the truncated run with -c, where the
// judged topics missing from the run (404, 405) count as zeros.
func TestTrecEvalBigTestValues(t *testing.T) {
	qrels := casePath("cases/big.qrels")
	for _, c := range []struct {
		args  []string
		lines []string
	}{
		{[]string{"-m", "official", qrels, casePath("cases/big.run")}, []string{
			"runid                 \tall\tSTANDARD\n",
			"num_q                 \tall\t4\n",
			"num_ret               \tall\t4000\n",
			"num_rel_ret           \tall\t366\n",
			"map                   \tall\t0.2337\n",
			"gm_map                \tall\t0.2334\n",
			"bpref                 \tall\t0.5379\n",
			"iprec_at_recall_0.00  \tall\t1.0000\n",
		}},
		{[]string{"-c", "-m", "official", qrels, casePath("cases/big.trunc.run")}, []string{
			"runid                 \tall\tSTANDARD\n",
			"num_q                 \tall\t5\n",
			"num_ret               \tall\t360\n",
			"num_rel_ret           \tall\t101\n",
			"map                   \tall\t0.0821\n",
			"gm_map                \tall\t0.0030\n",
			"bpref                 \tall\t0.1626\n",
			"iprec_at_recall_0.00  \tall\t0.6000\n",
		}},
	} {
		status, out, errOut := runCLI(append([]string{"trec_eval"}, c.args...)...)
		require.Equal(t, 0, status, errOut)
		for _, line := range c.lines {
			assert.Contains(t, out, line, strings.Join(c.args, " "))
		}
	}
}

// A measure named twice: trec_eval mode keeps the first parameter list
// (trec_eval 9.0.8's rule), eval keeps every value of both.
func TestMeasureNamedTwice(t *testing.T) {
	qrels, run := casePath("cases/big.qrels"), casePath("cases/big.run")
	status, out, errOut := runCLI("trec_eval", "-m", "ndcg_cut.10", "-m", "ndcg_cut.5,100", qrels, run)
	require.Equal(t, 0, status, errOut)
	assert.Equal(t, "ndcg_cut_10           \tall\t0.4662\n", out)
	status, out, errOut = runCLI("eval", "-m", "ndcg_cut.10", "-m", "ndcg_cut.5,100", qrels, run)
	require.Equal(t, 0, status, errOut)
	assert.Equal(t, "ndcg_cut_10           \tall\t0.4662\n"+
		"ndcg_cut_5            \tall\t0.4719\n"+
		"ndcg_cut_100          \tall\t0.4010\n", out)
}

// TestMain lets the test binary stand in for mreval when it is run through
// a symlink named trec_eval (TestTrecEvalSymlink) or mreval (TestDocsRun):
// main is os.Exit(run(os.Args, ...)), so the dispatch on argv[0] is the
// same code, without building mreval again.
func TestMain(m *testing.M) {
	if name := filepath.Base(os.Args[0]); name == "trec_eval" || name == "mreval" {
		os.Exit(run(os.Args, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// Installed under the name trec_eval (a symlink to mreval), the binary is
// trec_eval: it takes trec_eval's arguments directly. The binary is this
// test binary (see TestMain), or a built mreval named by
// MREVAL_HOSTILE_BIN.
func TestTrecEvalSymlink(t *testing.T) {
	bin := os.Getenv("MREVAL_HOSTILE_BIN")
	if bin == "" {
		var err error
		bin, err = os.Executable()
		require.NoError(t, err)
	}
	link := filepath.Join(t.TempDir(), "trec_eval")
	require.NoError(t, os.Symlink(bin, link))
	cases := loadTrecevalCases(t)
	for _, name := range []string{"big_out.test.meas_params", "err_unknown_measure"} {
		var c trecevalCase
		for _, x := range cases {
			if x.Name == name {
				c = x
			}
		}
		require.Equal(t, name, c.Name)
		abs, err := filepath.Abs(trecevalCases)
		require.NoError(t, err)
		cmd := exec.Command(link, c.Args...)
		cmd.Dir = abs
		var out bytes.Buffer
		cmd.Stdout = &out
		err = cmd.Run()
		status := 0
		if ee, ok := err.(*exec.ExitError); ok {
			status = ee.ExitCode()
		} else {
			require.NoError(t, err)
		}
		want, err := os.ReadFile(filepath.Join(trecevalCases, c.Stdout))
		require.NoError(t, err)
		assert.Equal(t, c.Status, status, name)
		assert.Equal(t, string(want), out.String(), name)
	}
}

// The commands of docs/measures.md's trec_eval section, with trec_eval
// 9.0.8's output on them.
func TestTrecEvalDocExamples(t *testing.T) {
	qrels, run := "../../qrels/recycling.qrels", "../../runs/recycling/arch-prior.run"
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-c", "-M", "10", "-m", "recip_rank"}, "recip_rank            \tall\t0.3333\n"},
		{[]string{"-m", "ndcg_cut.10", "-m", "ndcg_cut.100", "-m", "map"}, "map                   \tall\t1.0000\nndcg_cut_10           \tall\t0.8555\n"},
	} {
		status, out, errOut := runCLI(append(append([]string{"trec_eval"}, c.args...), qrels, run)...)
		require.Equal(t, 0, status, errOut)
		assert.Equal(t, c.want, out, strings.Join(c.args, " "))
	}
}
