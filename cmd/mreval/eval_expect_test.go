package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEvalExpectUpdate(t *testing.T) {
	const qrels, runFile = "testdata/in/small.qrels", "testdata/in/small.run"
	status, want, errOut := runCLI("eval", "-q", "--format", "json", "-m", "ndcg@2", "-m", "tauw", "-m", "regret@1", qrels, runFile)
	require.Equal(t, 0, status, errOut)

	dir := t.TempDir()
	file := filepath.Join(dir, "expected.json")
	drifted, err := os.ReadFile("testdata/in/expect/small_drift.json")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(file, drifted, 0o640))

	status, out, errOut := runCLI("eval", qrels, runFile, "--expect", file, "--expect-update")
	require.Equal(t, 0, status, errOut)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	assert.Len(t, lines, 3+9+1+1, out) // table head, 9 changes, table foot, summary
	assert.Contains(t, out, "│ small │ all   │ regret@1 │ 0.25     │ 0.3333333333333333 │ +0.0833   │")
	assert.Equal(t, "updated "+file+": 9 of 15 values changed", lines[len(lines)-1])
	got, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Equal(t, want, string(got), "the file is what eval --format json -q writes")
	st, err := os.Stat(file)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o640), st.Mode().Perm())
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary file left behind")

	// Up to date: not rewritten (same inode), and now the check passes.
	status, out, errOut = runCLI("eval", qrels, runFile, "--expect", file, "--expect-update")
	require.Equal(t, 0, status, errOut)
	assert.Equal(t, file+" is up to date: 12 values checked, none changed\n", out)
	after, err := os.Stat(file)
	require.NoError(t, err)
	assert.True(t, os.SameFile(st, after))
	status, out, errOut = runCLI("eval", qrels, runFile, "--expect", file, "--tolerance", "0")
	assert.Equal(t, 0, status, errOut)
	assert.Equal(t, "12 values checked against "+file+": all within tolerance (largest |delta| 0)\n", out)

	link := filepath.Join(dir, "link.json")
	require.NoError(t, os.Symlink(file, link))
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--expect", link, "--expect-update"}, "mreval: --expect-update: " + link + " is a symbolic link; give the file it points to (the update replaces the file it is given)\n"},
		{[]string{"--expect", "-", "--expect-update"}, "mreval: --expect-update needs a file, not standard input\n"},
		{[]string{"--expect", file, "--expect-update", "--tolerance", "0.1"}, "mreval: --tolerance has no effect with --expect-update (the file records the exact scores)\n"},
		{[]string{"--expect-update"}, "mreval: --expect-update needs --expect FILE\n"},
	} {
		status, out, errOut := runCLI(append([]string{"eval", qrels, runFile}, tc.args...)...)
		assert.Equal(t, 2, status, tc.args)
		assert.Empty(t, out, tc.args)
		assert.Equal(t, tc.want, errOut, tc.args)
	}
	got, err = os.ReadFile(file)
	require.NoError(t, err)
	assert.Equal(t, want, string(got), "refused updates leave the file alone")
}

// TestEvalExpectStdin reads the expected scores from standard input.
func TestEvalExpectStdin(t *testing.T) {
	r, w, err := os.Pipe()
	require.NoError(t, err)
	data, err := os.ReadFile("testdata/in/expect/small.json")
	require.NoError(t, err)
	go func() {
		w.Write(data)
		w.Close()
	}()
	saved := os.Stdin
	os.Stdin = r
	defer func() { os.Stdin = saved }()
	status, out, errOut := runCLI("eval", "testdata/in/small.qrels", "testdata/in/small.run", "--expect", "-")
	assert.Equal(t, 0, status, errOut)
	assert.Equal(t, "12 values checked against <stdin>: all within tolerance (largest |delta| 0)\n", out)

	status, _, errOut = runCLI("eval", "testdata/in/small.qrels", "-", "--expect", "-")
	assert.Equal(t, 2, status)
	assert.Equal(t, "mreval: --expect - and a run on standard input cannot both read it\n", errOut)
}

// TestActionInstallsThisModule keeps action.yml's go install line in step
// with the module path.
func TestActionInstallsThisModule(t *testing.T) {
	mod, err := os.ReadFile("../../go.mod")
	require.NoError(t, err)
	module, _, _ := strings.Cut(strings.TrimPrefix(string(mod), "module "), "\n")
	action, err := os.ReadFile("../../action.yml")
	require.NoError(t, err)
	assert.Contains(t, string(action), `go install "`+module+`/cmd/mreval@$MREVAL_REF"`)
	assert.Contains(t, string(action), "MREVAL_REF: ${{ github.action_ref }}")
	assert.Contains(t, string(action), "mreval eval --expect")
}
