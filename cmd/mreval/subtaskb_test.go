package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readText(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

// The round trip of docs/subtask-b.md on the shipped synthetic sample:
// the baselines, their fusion, pooling into sheets and merging the filled
// sheets reproduce the shipped runs, sheets and qrels byte for byte.
func TestSubtaskBRoundTripCLI(t *testing.T) {
	dir := t.TempDir()
	q := filepath.Join(moduleRoot, "qrels", "subtask-b-sample")
	r := filepath.Join(moduleRoot, "runs", "subtask-b-sample")
	embed, tags, fused := filepath.Join(dir, "embed-sim.run"), filepath.Join(dir, "tag-match.run"), filepath.Join(dir, "fusion-rrf.run")

	status, out, errOut := runCLI("baseline", "embed-sim", "--topics", q+".topics.tsv", "--pool", q+".pool.tsv",
		"--topic-emb", filepath.Join(q, "topics.npy"), "--lora-emb", filepath.Join(q, "loras.npy"), "--out", embed)
	require.Equal(t, 0, status, errOut)
	assert.Empty(t, out)
	assert.Equal(t, readText(t, filepath.Join(r, "embed-sim.run")), readText(t, embed))

	status, _, errOut = runCLI("baseline", "tag-match", "--topics", q+".topics.tsv", "--pool", q+".pool.tsv", "-o", tags)
	require.Equal(t, 0, status, errOut)
	assert.Equal(t, "mreval: wrote the tag-match run to "+tags+"\n", errOut, "every sample topic matches some LoRA: no note")
	assert.Equal(t, readText(t, filepath.Join(r, "tag-match.run")), readText(t, tags))

	status, _, errOut = runCLI("fuse", "--method", "rrf", "--depth", "100", "--out", fused, embed, tags)
	require.Equal(t, 0, status, errOut)
	assert.Equal(t, readText(t, filepath.Join(r, "fusion-rrf.run")), readText(t, fused))

	sheets := filepath.Join(dir, "sheets")
	status, out, errOut = runCLI("pool", "--depth", "20", "--seed", "1", "--assessors", "sim-a,sim-b", "--out", sheets,
		filepath.Join(r, "embed-sim.run"), filepath.Join(r, "tag-match.run"))
	require.Equal(t, 0, status, errOut)
	assert.True(t, strings.HasPrefix(out, "pool: depth 20, seed 1, 2 runs, 10 topics, 293 documents to judge"), out)
	assert.Equal(t, "mreval: wrote 20 judging sheets, judging-pool.tsv and pool-stats.txt to "+sheets+"\n", errOut)
	assert.Equal(t, readText(t, filepath.Join(q, "judgments", "judging-pool.tsv")), readText(t, filepath.Join(sheets, "judging-pool.tsv")))
	filled, err := filepath.Glob(filepath.Join(q, "judgments", "*.csv"))
	require.NoError(t, err)
	require.Len(t, filled, 20)
	grade := regexp.MustCompile(`(?m),[0-3]$`)
	for _, f := range filled {
		blank := grade.ReplaceAllString(readText(t, f), ",")
		assert.Equal(t, blank, readText(t, filepath.Join(sheets, filepath.Base(f))), f)
	}
	assert.Equal(t, out, readText(t, filepath.Join(sheets, "pool-stats.txt")))

	// Pooling again into the same directory would destroy the assessors' work.
	status, _, errOut = runCLI("pool", "--out", sheets, filepath.Join(r, "embed-sim.run"))
	assert.Equal(t, 1, status)
	assert.Contains(t, errOut, "judging-pool.tsv already exists; pool never overwrites sheets")

	qrels := filepath.Join(dir, "sample.qrels")
	dis := filepath.Join(dir, "dis.csv")
	args := append([]string{"qrels", "from-judgments", "--judging-pool", filepath.Join(q, "judgments", "judging-pool.tsv"),
		"--pool", q + ".pool.tsv", "--disagreements", dis, "--out", qrels}, filled...)
	status, out, errOut = runCLI(args...)
	require.Equal(t, 0, status, errOut)
	assert.Equal(t, readText(t, q+".qrels"), readText(t, qrels))
	assert.Contains(t, out, "judgments: 586 from 20 sheets by 2 assessors (sim-a, sim-b); 10 topics, 293 items\n")
	assert.Contains(t, out, "\ndisagreements: 92 items\n")
	assert.Equal(t, "mreval: wrote 92 disagreements to "+dis+"\nmreval: wrote the qrels (293 judged items of 10 topics) to "+qrels+"\n", errOut)
	// The README shows the same report, up to the disagreement list.
	readme := readText(t, filepath.Join(q, "README.md"))
	summary := out[:strings.Index(out, "\ndisagreements:")]
	assert.Contains(t, readme, summary)
	assert.Equal(t, 93, len(strings.Split(strings.TrimSpace(readText(t, dis)), "\n")), "header and 92 rows")
}

func TestPoolCLIBlankSheets(t *testing.T) {
	dir := t.TempDir()
	run := filepath.Join(dir, "r.run")
	require.NoError(t, os.WriteFile(run, []byte("t1 Q0 a 1 3 r\nt1 Q0 b 2 2 r\nt1 Q0 c 3 1 r\n"), 0o644))
	out := filepath.Join(dir, "new", "sheets")
	status, stdout, errOut := runCLI("pool", "--depth", "2", "--out", out, run)
	require.Equal(t, 0, status, errOut)
	assert.Contains(t, stdout, "pool: depth 2, seed 1, 1 runs, 1 topics, 2 documents to judge")
	sheet := readText(t, filepath.Join(out, "t1.csv"))
	// a and b (the top 2), in shuffled order, the assessor column empty.
	assert.Contains(t, []string{"topic,lora_id,assessor,grade\nt1,a,,\nt1,b,,\n", "topic,lora_id,assessor,grade\nt1,b,,\nt1,a,,\n"}, sheet)

	// Filled in by one assessor who forgets a grade: reported with its line.
	filled := filepath.Join(dir, "t1.ann.csv")
	require.NoError(t, os.WriteFile(filled, []byte("topic,lora_id,assessor,grade\nt1,a,ann,2\nt1,b,ann,\n"), 0o644))
	status, _, errOut = runCLI("qrels", "from-judgments", "--judging-pool", filepath.Join(out, "judging-pool.tsv"), "--out", filepath.Join(dir, "q"), filled)
	assert.Equal(t, 1, status)
	assert.Equal(t, "mreval: 1 problems in the judging sheets; nothing written:\n"+filled+":3: the grade of b for topic t1 is missing\n", errOut)
	_, err := os.Stat(filepath.Join(dir, "q"))
	assert.ErrorIs(t, err, os.ErrNotExist)

	// A single assessor: qrels, and the report says there is no agreement data.
	require.NoError(t, os.WriteFile(filled, []byte("topic,lora_id,assessor,grade\nt1,a,ann,2\nt1,b,ann,0\n"), 0o644))
	status, stdout, errOut = runCLI("qrels", "from-judgments", "--judging-pool", filepath.Join(out, "judging-pool.tsv"), "--out", filepath.Join(dir, "q"), filled)
	require.Equal(t, 0, status, errOut)
	assert.Contains(t, stdout, "no item was graded by two assessors")
	assert.Equal(t, "t1 0 a 2\nt1 0 b 0\n", readText(t, filepath.Join(dir, "q")))
}

func TestFuseDepth(t *testing.T) {
	dir := t.TempDir()
	r1, r2 := filepath.Join(dir, "r1.run"), filepath.Join(dir, "r2.run")
	require.NoError(t, os.WriteFile(r1, []byte("t Q0 a 1 3 r1\nt Q0 b 2 2 r1\nt Q0 c 3 1 r1\n"), 0o644))
	require.NoError(t, os.WriteFile(r2, []byte("t Q0 b 1 9 r2\nt Q0 a 2 8 r2\n"), 0o644))
	out := filepath.Join(dir, "f.run")
	// As in TestFuseCLI, RRF with k = 0: b and a tie at 1.5 (docno
	// descending puts b first), c has 1/3; --depth 2 drops c.
	status, _, errOut := runCLI("fuse", "--method", "rrf", "--k", "0", "--depth", "2", "--tag", "fused", "--out", out, r1, r2)
	require.Equal(t, 0, status, errOut)
	assert.Equal(t, "t Q0 b 1 1.5 fused\nt Q0 a 2 1.5 fused\n", readText(t, out))
	status, _, errOut = runCLI("fuse", "--method", "rrf", "--depth", "-1", "--out", out, r1, r2)
	assert.Equal(t, 2, status)
	assert.Contains(t, errOut, "--depth must not be negative")
}
