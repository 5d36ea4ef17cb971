package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/internal/progress"
)

// outputCase is one command that writes one file through -o/--output.
type outputCase struct {
	name string
	// args come before the -o flag; tail after it (the command's inputs).
	args, tail []string
	// what is the closing line's description: "mreval: wrote WHAT to PATH".
	what string
	// inputs are files the command reads, which -o must refuse.
	inputs []string
}

// TestOutputConventionEveryCommand runs every command that writes one file
// through the one output rule (docs/formats.md, "Output files"): -o FILE,
// --output FILE and the hidden --out FILE write the same bytes as -o -
// prints; the closing line on standard error names the file and is the
// only thing there; an existing regular file is replaced; a directory, a
// symbolic link and one of the command's inputs are refused with exit 2
// and leave everything as it was.
func TestOutputConventionEveryCommand(t *testing.T) {
	dir := t.TempDir()
	r1 := filepath.Join(dir, "r1.run")
	r2 := filepath.Join(dir, "r2.run")
	require.NoError(t, os.WriteFile(r1, []byte("t Q0 a 1 3 r1\nt Q0 b 2 2 r1\nt Q0 c 3 1 r1\n"), 0o644))
	require.NoError(t, os.WriteFile(r2, []byte("t Q0 b 1 9 r2\nt Q0 a 2 8 r2\n"), 0o644))
	sheets, err := filepath.Glob(filepath.Join(moduleRoot, "qrels", "subtask-b-sample", "judgments", "T01.*.csv"))
	require.NoError(t, err)
	require.Len(t, sheets, 2)
	sampleQ := filepath.Join(moduleRoot, "qrels", "subtask-b-sample")
	f07 := filepath.Join(transferCase07, "features.npy")
	l07 := filepath.Join(transferCase07, "labels.npy")
	p07 := filepath.Join(transferCase07, "probs.npy")

	for _, tc := range []outputCase{
		{name: "fuse", args: []string{"fuse", "--method", "rrf", "--k", "0", "--tag", "f"}, tail: []string{r1, r2},
			what: "the fusion of 2 runs by rrf (1 topics)", inputs: []string{r1, r2}},
		{name: "qrels from-judgments", args: []string{"qrels", "from-judgments"}, tail: sheets,
			what: "the qrels (31 judged items of 1 topics)", inputs: sheets},
		{name: "baseline metadata", args: []string{"baseline", "metadata", "--root", moduleRoot, "--tag", "prior"}, tail: []string{"prior"},
			what: "the prior run"},
		{name: "baseline tag-match", args: []string{"baseline", "tag-match", "--topics", sampleQ + ".topics.tsv", "--pool", sampleQ + ".pool.tsv", "--tag", "tm"},
			what: "the tag-match run", inputs: []string{sampleQ + ".topics.tsv"}},
		{name: "baseline estimate", args: []string{"baseline", "estimate", "--estimator", "leep", "--labels", l07, "--probs", p07},
			what: "the leep score", inputs: []string{l07, p07}},
		{name: "baseline estimate features", args: []string{"baseline", "estimate", "--estimator", "hscore", "--labels", l07, "--features", f07},
			what: "the hscore score", inputs: []string{f07}},
		{name: "noise", args: []string{"noise", "--draws", "3", "--topics", "testdata/in/noise.topics", "--format", "csv"},
			what: "the noise report", inputs: []string{"testdata/in/noise.topics"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, want, stderr := runCLI(append(append(tc.args, "-o", "-"), tc.tail...)...)
			require.Equal(t, 0, status, stderr)
			require.NotEmpty(t, want)
			assert.NotContains(t, stderr, "mreval: wrote", "standard output is not named")
			if tc.name == "qrels from-judgments" {
				// With the qrels on standard output, the report moves to
				// standard error.
				assert.True(t, strings.HasPrefix(want, "T01 0 lora-"), want)
				assert.Contains(t, stderr, "judgments: 62 from 2 sheets by 2 assessors (sim-a, sim-b)")
			}

			out := filepath.Join(t.TempDir(), "out.txt")
			for i, flag := range []string{"-o", "--output", "--out"} {
				if i > 0 {
					require.NoError(t, os.WriteFile(out, []byte("old contents\n"), 0o644))
				}
				status, stdout, stderr := runCLI(append(append(tc.args, flag, out), tc.tail...)...)
				require.Equal(t, 0, status, stderr)
				assert.Equal(t, "mreval: wrote "+tc.what+" to "+out+"\n", lastLine(stderr), flag)
				if tc.name != "qrels from-judgments" && !strings.HasPrefix(tc.name, "baseline metadata") {
					assert.Equal(t, "mreval: wrote "+tc.what+" to "+out+"\n", stderr, "%s: nothing but the closing line", flag)
					assert.Empty(t, stdout, flag)
				}
				assert.Equal(t, want, readText(t, out), "%s: the file holds what -o - prints (an existing file is replaced)", flag)
			}
			assertOutputRefusals(t, tc, out)
		})
	}
}

// assertOutputRefusals checks that a directory, a symbolic link and an
// input of the command are refused as -o, each leaving its target alone.
func assertOutputRefusals(t *testing.T, tc outputCase, out string) {
	t.Helper()
	dir := filepath.Dir(out)
	link := filepath.Join(dir, "link.txt")
	require.NoError(t, os.Symlink(out, link))
	before := readText(t, out)
	refusals := map[string]string{
		dir:  "mreval: output " + dir + " is a directory: name a file\n",
		link: "mreval: output " + link + " is a symbolic link: name the file itself (mreval does not write through links)\n",
	}
	for _, in := range tc.inputs {
		refusals[in] = "mreval: output " + in + " is also an input of this command: writing it would destroy the input\n"
	}
	for target, msg := range refusals {
		var inBefore []byte
		if st, err := os.Stat(target); err == nil && st.Mode().IsRegular() {
			inBefore, err = os.ReadFile(target)
			require.NoError(t, err)
		}
		status, stdout, stderr := runCLI(append(append(tc.args, "-o", target), tc.tail...)...)
		assert.Equal(t, 2, status, target)
		if tc.name != "qrels from-judgments" { // its report comes before the write
			assert.Empty(t, stdout, target)
		}
		assert.Equal(t, msg, lastLine(stderr), target)
		if inBefore != nil {
			after, err := os.ReadFile(target)
			require.NoError(t, err)
			assert.Equal(t, inBefore, after, "%s is untouched", target)
		}
	}
	assert.Equal(t, before, readText(t, out), "the link's target is untouched")
}

// lastLine is the last line of s, with its newline.
func lastLine(s string) string {
	lines := strings.SplitAfter(strings.TrimSuffix(s, "\n"), "\n")
	return lines[len(lines)-1] + "\n"
}

func TestOutputConventionRunTagOnStdout(t *testing.T) {
	dir := t.TempDir()
	r1 := filepath.Join(dir, "r1.run")
	require.NoError(t, os.WriteFile(r1, []byte("t Q0 a 1 3 r1\n"), 0o644))
	// The default tag is the output file's stem; standard output has none.
	status, stdout, stderr := runCLI("fuse", "--method", "borda", "-o", "-", r1, r1)
	assert.Equal(t, 2, status)
	assert.Empty(t, stdout)
	assert.Equal(t, "mreval: with -o - (standard output) give the run tag with --tag: by default it is the output file's name without its extension\n", stderr)
	status, stdout, stderr = runCLI("fuse", "--method", "borda", "-o", "-", "--tag", "b", r1, r1)
	require.Equal(t, 0, status, stderr)
	assert.Equal(t, "t Q0 a 1 2 b\n", stdout)
	assert.Empty(t, stderr)
}

func TestOutputConventionDisagreements(t *testing.T) {
	sheets, err := filepath.Glob(filepath.Join(moduleRoot, "qrels", "subtask-b-sample", "judgments", "T01.*.csv"))
	require.NoError(t, err)
	dir := t.TempDir()
	qrels, dis := filepath.Join(dir, "q.qrels"), filepath.Join(dir, "dis.csv")
	link := filepath.Join(dir, "link.csv")
	require.NoError(t, os.WriteFile(dis, []byte("old\n"), 0o644))
	require.NoError(t, os.Symlink(dis, link))
	run := func(extra ...string) (int, string, string) {
		return runCLI(append(append([]string{"qrels", "from-judgments"}, extra...), sheets...)...)
	}

	// An existing regular file is replaced (T01 has 11 disagreements).
	status, _, stderr := run("--disagreements", dis, "-o", qrels)
	require.Equal(t, 0, status, stderr)
	assert.Equal(t, "mreval: wrote 11 disagreements to "+dis+"\nmreval: wrote the qrels (31 judged items of 1 topics) to "+qrels+"\n", stderr)
	assert.Len(t, strings.Split(strings.TrimSpace(readText(t, dis)), "\n"), 12, "header and 11 rows")

	for _, tc := range []struct {
		args []string
		want string
	}{
		// It used to write through the link, replacing the file it points to.
		{[]string{"--disagreements", link, "-o", qrels}, "mreval: --disagreements: output " + link + " is a symbolic link: name the file itself (mreval does not write through links)\n"},
		{[]string{"--disagreements", dir, "-o", qrels}, "mreval: --disagreements: output " + dir + " is a directory: name a file\n"},
		{[]string{"--disagreements", sheets[0], "-o", qrels}, "mreval: --disagreements: output " + sheets[0] + " is also an input of this command: writing it would destroy the input\n"},
		{[]string{"--disagreements", qrels, "-o", qrels}, "mreval: outputs " + qrels + " and " + qrels + " are the same file\n"},
		{[]string{"--disagreements", "-", "-o", "-"}, "mreval: only one output can be standard output (-)\n"},
	} {
		before := readText(t, dis)
		status, _, stderr := run(tc.args...)
		assert.Equal(t, 2, status, "%v", tc.args)
		assert.Equal(t, tc.want, lastLine(stderr), "%v", tc.args)
		assert.Equal(t, before, readText(t, dis))
	}
	fi, err := os.Lstat(link)
	require.NoError(t, err)
	assert.True(t, fi.Mode()&os.ModeSymlink != 0, "the link is left as it was")

	// Disagreements on standard output: the sheet there, the report on
	// standard error.
	status, stdout, stderr := run("--disagreements", "-", "-o", qrels)
	require.Equal(t, 0, status, stderr)
	assert.True(t, strings.HasPrefix(stdout, "topic,lora_id,assessor,grade\n"), stdout)
	assert.Contains(t, stderr, "disagreements: 11 items")
}

func TestOutputConventionDirectories(t *testing.T) {
	dir := t.TempDir()
	run := filepath.Join(dir, "r.run")
	require.NoError(t, os.WriteFile(run, []byte("t Q0 a 1 3 r\n"), 0o644))
	file := filepath.Join(dir, "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	target := filepath.Join(dir, "elsewhere")
	require.NoError(t, os.Mkdir(target, 0o755))
	link := filepath.Join(dir, "link")
	require.NoError(t, os.Symlink(target, link))
	for _, cmd := range []struct {
		name string
		args func(out string) []string
	}{
		{"pool", func(out string) []string { return []string{"pool", "-o", out, run} }},
		{"baseline sample-bundle", func(out string) []string { return []string{"baseline", "sample-bundle", "-o", out} }},
	} {
		for out, want := range map[string]string{
			"-":  "mreval: " + cmd.name + " writes a directory: -o/--output cannot be \"-\" (standard output)\n",
			file: "mreval: output " + file + " exists and is not a directory\n",
			link: "mreval: output " + link + " is a symbolic link: name the directory itself (mreval does not write through links)\n",
			"":   "mreval: " + cmd.name + " needs -o/--output DIR\n",
		} {
			args := cmd.args(out)
			if out == "" {
				args = slices.DeleteFunc(args, func(a string) bool { return a == "-o" || a == "" })
			}
			status, stdout, stderr := runCLI(args...)
			assert.Equal(t, 2, status, "%v", args)
			assert.Empty(t, stdout, "%v", args)
			assert.Equal(t, want, stderr, "%v", args)
		}
		entries, err := os.ReadDir(target)
		require.NoError(t, err)
		assert.Empty(t, entries, "nothing written through the link")
	}
}

// TestProgressConvention: the long commands report progress through the
// one helper (drawn here into a buffer by a fake), and off a terminal
// their standard error holds nothing but the closing line.
func TestProgressConvention(t *testing.T) {
	dir := t.TempDir()
	r1 := filepath.Join(dir, "r1.run")
	require.NoError(t, os.WriteFile(r1, []byte("t Q0 a 1 3 r1\nt Q0 b 2 2 r1\n"), 0o644))
	out := filepath.Join(dir, "out")
	bundle := filepath.Join(dir, "bundle")
	status, _, stderr := runCLI("baseline", "sample-bundle", "-o", bundle)
	require.Equal(t, 0, status, stderr)
	assert.Equal(t, "mreval: wrote a sample feature bundle to "+bundle+"\n", stderr)
	for _, tc := range []struct {
		name string
		args []string
		task string // the bar's task, drawn by the fake
		last string // the closing line, alone on standard error off a terminal
	}{
		{"noise", []string{"noise", "--draws", "5", "--topics", "testdata/in/noise.topics", "-o", out},
			"noise ceilings", "mreval: wrote the noise report to " + out + "\n"},
		{"fuse", []string{"fuse", "--method", "borda", "-o", out, r1, r1},
			"reading runs", "mreval: wrote the fusion of 2 runs by borda (1 topics) to " + out + "\n"},
		{"baseline score", []string{"baseline", "score", "--estimator", "leep", "--bundle", bundle, "-o", out},
			"scoring with leep", "mreval: wrote the leep run (3 topics) to " + out + "\n"},
		{"leaderboard", []string{"leaderboard", "--resamples", "10", "--permutations", "10", "-o", out,
			"--qrels", "testdata/in/lb.qrels", "--runs", "testdata/in/lb"},
			"scoring runs", "mreval: wrote the leaderboard to " + out + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, stdout, stderr := runCLI(tc.args...)
			require.Equal(t, 0, status, stderr)
			assert.Empty(t, stdout)
			assert.Equal(t, tc.last, stderr, "off a terminal: the closing line alone")

			var drawn bytes.Buffer
			fake := func(io.Writer) *progress.Bars { return progress.Drawn(&drawn) }
			restore := newBars
			newBars = fake
			defer func() { newBars = restore }()
			status, _, stderr = runCLI(tc.args...)
			require.Equal(t, 0, status, stderr)
			assert.Contains(t, drawn.String(), tc.task)
			assert.Equal(t, tc.last, stderr, "the bars go to their own writer")
		})
	}
}
