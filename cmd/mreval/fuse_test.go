package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFuseCLI(t *testing.T) {
	dir := t.TempDir()
	spider := filepath.Join(moduleRoot, "runs", "modelspider-single")
	in := []string{filepath.Join(spider, "hscore.run"), filepath.Join(spider, "nce.run"),
		filepath.Join(spider, "leep.run"), filepath.Join(spider, "logme.run")}
	out := filepath.Join(dir, "spider-copeland.run")
	status, stdout, errOut := runCLI(append([]string{"fuse", "--method", "copeland", "-o", out}, in...)...)
	require.Equal(t, 0, status, errOut)
	assert.Empty(t, stdout)
	assert.Equal(t, "mreval: wrote the fusion of 4 runs by copeland (8 topics) to "+out+"\n", errOut)
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	lines := strings.Split(string(b), "\n")
	assert.Len(t, lines, 81) // 8 topics × 10 models, and the final newline
	// Aircraft: inception_v3 beats all 9 others by majority (see
	// baselines/fusion's TestCopelandModelSpider); tag = file stem.
	assert.Equal(t, "Aircraft Q0 inception_v3 1 9 spider-copeland", lines[0])

	// Hand-made runs: RRF with k = 0 on two runs ranking a, b in opposite
	// orders and c only in the first: a = 1 + 1/2, b = 1/2 + 1, c = 1/3.
	r1 := filepath.Join(dir, "r1.run")
	r2 := filepath.Join(dir, "r2.run")
	require.NoError(t, os.WriteFile(r1, []byte("t Q0 a 1 3 r1\nt Q0 b 2 2 r1\nt Q0 c 3 1 r1\n"), 0o644))
	require.NoError(t, os.WriteFile(r2, []byte("t Q0 b 1 9 r2\nt Q0 a 2 8 r2\n"), 0o644))
	out = filepath.Join(dir, "f.run")
	status, _, errOut = runCLI("fuse", "--method", "rrf", "--k", "0", "--tag", "fused", "--out", out, r1, r2)
	require.Equal(t, 0, status, errOut)
	b, err = os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, "t Q0 b 1 1.5 fused\nt Q0 a 2 1.5 fused\nt Q0 c 3 0.3333333333333333 fused\n", string(b))

	// CombMNZ with rank normalisation: r1 a 1, b 2/3, c 1/3; r2 b 1, a 1/2.
	status, _, errOut = runCLI("fuse", "--method", "combmnz", "--norm", "rank", "--out", out, r1, r2)
	require.Equal(t, 0, status, errOut)
	b, err = os.ReadFile(out)
	require.NoError(t, err)
	// a = 2·(1 + 1/2) = 3, b = 2·(2/3 + 1) = 10/3, c = 1·1/3.
	assert.Equal(t, "t Q0 b 1 3.333333333333333 f\nt Q0 a 2 3 f\nt Q0 c 3 0.3333333333333333 f\n", string(b))
}

func TestFuseCLIErrors(t *testing.T) {
	dir := t.TempDir()
	r := filepath.Join(dir, "r.run")
	require.NoError(t, os.WriteFile(r, []byte("t Q0 a 1 3 r\n"), 0o644))
	bad := filepath.Join(dir, "bad.run")
	require.NoError(t, os.WriteFile(bad, []byte("t Q0 a 1 x r\n"), 0o644))
	three := filepath.Join(dir, "three.run")
	require.NoError(t, os.WriteFile(three, []byte("t Q0 a 1 3 r\nt Q0 b 2 2 r\nt Q0 c 3 1 r\n"), 0o644))
	out := filepath.Join(dir, "o.run")
	tests := []struct {
		args   []string
		status int
		errMsg string
	}{
		{[]string{"fuse", "--out", out, r, r}, 2, "--method is required"},
		{[]string{"fuse", "--method", "borda", r, r}, 2, "fuse needs -o/--output FILE (\"-\" = standard output)"},
		{[]string{"fuse", "--method", "vote", "--out", out, r, r}, 2, `unknown --method "vote"`},
		{[]string{"fuse", "--method", "borda", "--k", "3", "--out", out, r, r}, 2, "--k applies to --method rrf only"},
		{[]string{"fuse", "--method", "rrf", "--norm", "zscore", "--out", out, r, r}, 2, "--norm applies to --method combsum and combmnz only"},
		{[]string{"fuse", "--method", "combsum", "--norm", "max", "--out", out, r, r}, 2, `unknown normalisation "max"`},
		{[]string{"fuse", "--method", "borda", "--out", out, r}, 2, "fuse needs at least two runs, got 1"},
		{[]string{"fuse", "--method", "rrf", "--k", "-1", "--out", out, r, r}, 1, "rrf: k = -1 must be a finite number ≥ 0"},
		{[]string{"fuse", "--method", "borda", "--out", out, r, bad}, 1, bad + ":1:10: score \"x\" is not a number"},
		{[]string{"fuse", "--method", "copeland", "--copeland-max-docs", "2", "--out", out, three, three, three}, 1,
			"topic t: copeland over 3 runs compares every pair of documents: the topic has 3 documents, above the limit of 2 (--copeland-max-docs)"},
		{[]string{"fuse", "--method", "borda", "--copeland-max-docs", "2", "--out", out, r, r}, 2, "--copeland-max-docs applies to --method copeland only"},
		{[]string{"fuse", "--method", "copeland", "--copeland-max-docs", "-1", "--out", out, r, r}, 2, "--copeland-max-docs must be positive"},
		{[]string{"fuse", "--method", "copeland", "--copeland-max-docs", "0", "--out", out, r, r}, 2, "--copeland-max-docs must be positive"},
	}
	for _, tc := range tests {
		status, _, errOut := runCLI(tc.args...)
		assert.Equal(t, tc.status, status, "%v: %s", tc.args, errOut)
		assert.Contains(t, errOut, tc.errMsg, tc.args)
	}
	_, err := os.Stat(out)
	assert.ErrorIs(t, err, os.ErrNotExist, "no output on error")
}
