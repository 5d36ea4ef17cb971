package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 14: topics t and t.x with --assessors x.y,y both mapped to
// t.x.y.csv and pool said "wrote 4 sheets" with 3 on disk. Now x.y is
// refused before anything is written; with valid names every sheet is
// written and the count printed is the count on disk.
func TestPoolCLISheetNames(t *testing.T) {
	run, out := poolRefused(t, "t Q0 a 1 1 r\nt.x Q0 b 1 1 r\n", []string{"--depth", "1", "--assessors", "x.y,y"},
		"mreval: assessor name \"x.y\": use 1 to 64 characters from A-Z a-z 0-9 _ - (it follows the topic and a '.' in the sheet's file name)\n")

	status, stdout, errOut := runCLI("pool", "--depth", "1", "--assessors", "x-y,y", "-o", out, run)
	require.Equal(t, 0, status, errOut)
	assert.Equal(t, readText(t, filepath.Join(out, "pool-stats.txt")), stdout)
	assert.Equal(t, "mreval: wrote 4 judging sheets, judging-pool.tsv and pool-stats.txt to "+out+"\n", errOut)
	entries, err := os.ReadDir(out)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.Equal(t, []string{"judging-pool.tsv", "pool-stats.txt", "t.x-y.csv", "t.x.x-y.csv", "t.x.y.csv", "t.y.csv"}, names)
	assert.Equal(t, "topic,lora_id,assessor,grade\nt.x,b,y,\n", readText(t, filepath.Join(out, "t.x.y.csv")))
	assert.Equal(t, "topic,lora_id,assessor,grade\nt,a,y,\n", readText(t, filepath.Join(out, "t.y.csv")))
}

func TestPoolCLIMaxSheets(t *testing.T) {
	run, out := poolRefused(t, "t1 Q0 a 1 1 r\nt2 Q0 a 1 1 r\nt3 Q0 a 1 1 r\n", []string{"--max-sheets", "5", "--assessors", "ann,bob"},
		"mreval: the pool makes 6 judging sheets (3 topics × 2 assessors), above the limit of 5\n")
	for _, bad := range []string{"-1", "0"} {
		status, _, errOut := runCLI("pool", "--max-sheets", bad, "--out", out, run)
		assert.Equal(t, 2, status)
		assert.Equal(t, "mreval: --max-sheets must be positive\n", errOut)
	}
	status, _, errOut := runCLI("pool", "--max-sheets", "3", "--output", out, run)
	require.Equal(t, 0, status, errOut)
	assert.Equal(t, "mreval: wrote 3 judging sheets, judging-pool.tsv and pool-stats.txt to "+out+"\n", errOut)
}

// poolRefused writes runText to a run file, runs pool with flags, and
// checks that it is refused as a usage error with errWant and that the
// output directory was not created. It returns the run and output paths.
func poolRefused(t *testing.T, runText string, flags []string, errWant string) (run, out string) {
	t.Helper()
	dir := t.TempDir()
	run = filepath.Join(dir, "r.run")
	require.NoError(t, os.WriteFile(run, []byte(runText), 0o644))
	out = filepath.Join(dir, "sheets")
	status, _, errOut := runCLI(append(append([]string{"pool"}, flags...), "--out", out, run)...)
	assert.Equal(t, 2, status)
	assert.Equal(t, errWant, errOut)
	_, err := os.Stat(out)
	assert.ErrorIs(t, err, os.ErrNotExist, "nothing written")
	return run, out
}
