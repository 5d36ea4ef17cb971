package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNTCIRDocExamples runs the shell examples of docs/submitting.md and
// docs/organizers.md from the repository root against the shipped
// collections and the example runs of docs/examples/ntcir. The directories
// the examples write (--store, --out) are made fresh for the test: a name
// stands for the same directory in every example of a file, so a store
// set up by one example is used by the next.
func TestNTCIRDocExamples(t *testing.T) {
	tmp := t.TempDir()
	t.Chdir("../..")
	for _, doc := range []struct {
		path     string
		examples int
	}{{"docs/submitting.md", 2}, {"docs/organizers.md", 8}} {
		examples := shellExamples(t, doc.path)
		require.Len(t, examples, doc.examples, doc.path)
		dirs := map[string]string{}
		for _, ex := range examples {
			args := append([]string(nil), ex.args...)
			for i := 1; i < len(args); i++ {
				if args[i-1] == "--store" || args[i-1] == "--out" {
					if dirs[args[i]] == "" {
						dirs[args[i]] = filepath.Join(tmp, strings.ReplaceAll(doc.path, "/", "_")+"-"+args[i])
					}
					args[i] = dirs[args[i]]
				}
			}
			require.GreaterOrEqual(t, ex.status, 0, "%s:%d: no '# exit N' line", doc.path, ex.line)
			status, _, stderr := runCLI(args...)
			assert.Equal(t, ex.status, status, "%s:%d: %s", doc.path, ex.line, stderr)
			if ex.stderr != "" {
				assert.Equal(t, ex.stderr+"\n", stderr, "%s:%d", doc.path, ex.line)
			}
		}
	}
}

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
