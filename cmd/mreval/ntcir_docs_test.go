package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNTCIRPoolStats pins the pool statistics by priority with a budget:
// the output of the organizers' example, byte for byte, and its files.
func TestNTCIRPoolStats(t *testing.T) {
	out := filepath.Join(t.TempDir(), "sheets")
	status, stdout, stderr := runCLI("pool", "--depth", "1:2,2:1", "--budget", "3", "--run-name", "{team}-A-{priority}", "-o", out,
		"testdata/in/ntcir/KDE-A-1.run", "testdata/in/ntcir/KDE-A-2.run", "testdata/in/ntcir/UTK-A-1.run")
	require.Equal(t, 0, status, stderr)
	assert.Equal(t, readText(t, "testdata/golden/pool_priority_budget.txt"), stdout)
	assert.Equal(t, "mreval: wrote 4 judging sheets, judging-pool.tsv and pool-stats.txt to "+out+"\n", stderr)
	stats, err := os.ReadFile(filepath.Join(out, "pool-stats.txt"))
	require.NoError(t, err)
	assert.Equal(t, stdout, string(stats), "pool-stats.txt is the printed statistics")
}
