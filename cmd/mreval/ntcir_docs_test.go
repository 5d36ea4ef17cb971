package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNTCIRPoolStats pins the pool statistics by priority with a budget:
// the output of the organizers' example, byte for byte, and its files.
func TestNTCIRPoolStats(t *testing.T) {
	out := filepath.Join(t.TempDir(), "sheets")
	status, stdout, stderr := runCLI("pool", "--depth", "1:2,2:1", "--budget", "3", "--run-name", "{team}-A-{priority}", "--out", out,
		"testdata/in/ntcir/KDE-A-1.run", "testdata/in/ntcir/KDE-A-2.run", "testdata/in/ntcir/UTK-A-1.run")
	require.Equal(t, 0, status, stderr)
	want := readText(t, "testdata/golden/pool_priority_budget.txt")
	assert.Equal(t, want, strings.Replace(stdout, out, "OUT", 1))
	stats, err := os.ReadFile(filepath.Join(out, "pool-stats.txt"))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(want, string(stats)), "pool-stats.txt is the printed statistics")
}
