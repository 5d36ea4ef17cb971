package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/urfave/cli/v2"

	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/ntcir-pmr/mreval/eval/validate"
)

func TestLimitFlags(t *testing.T) {
	// Every command that reads runs or qrels takes the one set of flags.
	for _, cmd := range []string{"eval", "leaderboard", "fuse", "pool", "noise", "validate", "intake"} {
		c := commandNamed(t, cmd)
		for _, name := range []string{"max-bytes", "max-size", "max-line", "max-gzip-ratio", "max-topics",
			"max-docs-per-topic", "max-entries", "read-timeout"} {
			assert.True(t, hasFlag(c.Flags, name), "%s lacks --%s", cmd, name)
		}
	}
	fromJudgments := commandNamed(t, "qrels").Command("from-judgments")
	require.NotNil(t, fromJudgments)
	assert.True(t, hasFlag(fromJudgments.Flags, "max-topics"))

	// The flags' defaults are the library's: the general set, and the
	// stricter one of a submission.
	assert.Equal(t, "2GiB", flagDefault(t, commandNamed(t, "eval").Flags, "max-bytes"))
	assert.Equal(t, "1GiB", flagDefault(t, commandNamed(t, "validate").Flags, "max-bytes"))
	assert.Equal(t, "4096", flagDefault(t, commandNamed(t, "intake").Flags, "max-line"))
	assert.Equal(t, "65536", flagDefault(t, commandNamed(t, "fuse").Flags, "max-line"))
	assert.Equal(t, "10m0s", flagDefault(t, commandNamed(t, "pool").Flags, "read-timeout"))
	assert.Equal(t, 4096, validate.DefaultLimits.MaxLine)
	assert.Equal(t, trecfmt.DefaultLimits.MaxTopics, validate.DefaultLimits.MaxTopics)

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--max-bytes", "0"}, `mreval: --max-bytes: "0" is not a positive size (e.g. 1GiB, 500MiB, 1000000)`},
		{[]string{"--max-line", "-1"}, "mreval: --max-line must be positive"},
		{[]string{"--max-gzip-ratio", "0.5"}, "mreval: --max-gzip-ratio must be a finite number of at least 1"},
		{[]string{"--max-topics", "0"}, "mreval: --max-topics must be positive"},
		{[]string{"--max-docs-per-topic", "0"}, "mreval: --max-docs-per-topic must be positive"},
		{[]string{"--read-timeout", "0s"}, "mreval: --read-timeout must be positive"},
	} {
		status, _, stderr := runCLI(append(append([]string{"eval"}, tc.args...), "testdata/in/small.qrels", "testdata/in/small.run")...)
		assert.Equal(t, 2, status, tc.args)
		assert.Equal(t, tc.want+"\n", stderr, tc.args)
	}
}

func TestLimitsReachTheReaders(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"eval", "--max-topics", "1", "testdata/in/small.qrels", "testdata/in/small.run"},
			"mreval: testdata/in/small.qrels:4: more than 1 topics (raise --max-topics if this is intended)\n"},
		{[]string{"eval", "--max-bytes", "10", "testdata/in/small.qrels", "testdata/in/small.run"},
			"mreval: testdata/in/small.qrels:2: input too large: more than 10 bytes (raise --max-bytes if this is intended)\n"},
		{[]string{"eval", "--max-size", "10", "testdata/in/small.qrels", "testdata/in/small.run"},
			"mreval: testdata/in/small.qrels:2: input too large: more than 10 bytes (raise --max-bytes if this is intended)\n"},
		{[]string{"fuse", "--method", "borda", "--out", "x.run", "--max-line", "5", "testdata/in/small.run", "testdata/in/small.run"},
			"mreval: testdata/in/small.run:1: line longer than 5 bytes (raise --max-line if this is intended)\n"},
		{[]string{"pool", "--out", "pooldir", "--max-docs-per-topic", "1", "testdata/in/small.run"},
			"mreval: testdata/in/small.run:2: topic \"T1\" has more than 1 documents (raise --max-docs-per-topic if this is intended)\n"},
		{[]string{"eval", "--topics", "testdata/in/small.run", "--max-line", "12", "testdata/in/small.qrels", "testdata/in/small.run"},
			"mreval: testdata/in/small.run:1: line longer than 12 bytes (raise --max-line if this is intended)\n"},
		{[]string{"qrels", "from-judgments", "--out", "testdata/never-written.qrels", "--max-bytes", "20", "testdata/in/subtaskb/sheet_bob.csv"},
			"mreval: 1 problems in the judging sheets; nothing written:\n" +
				"testdata/in/subtaskb/sheet_bob.csv: input too large: more than 20 bytes (raise --max-bytes if this is intended)\n"},
		{[]string{"eval", "--models", "testdata/in/acc.models.tsv", "--constraint", "params<=130e6", "--max-bytes", "100",
			"testdata/in/acc.qrels", "testdata/in/acc.run"},
			"mreval: testdata/in/acc.models.tsv: input too large: more than 100 bytes (raise --max-bytes if this is intended)\n"},
	} {
		status, _, stderr := runCLI(tc.args...)
		assert.Equal(t, 1, status, "%v: %s", tc.args, stderr)
		assert.Equal(t, tc.want, stderr, tc.args)
	}
}

func commandNamed(t *testing.T, name string) *cli.Command {
	for _, c := range commands {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no command %q", name)
	return nil
}

func hasFlag(flags []cli.Flag, name string) bool {
	for _, f := range flags {
		if slices.Contains(f.Names(), name) {
			return true
		}
	}
	return false
}

// flagDefault is the default of a flag as its help shows it.
func flagDefault(t *testing.T, flags []cli.Flag, name string) string {
	for _, f := range flags {
		if slices.Contains(f.Names(), name) {
			return strings.Trim(f.(cli.DocGenerationFlag).GetDefaultText(), `"`)
		}
	}
	t.Fatalf("no flag --%s", name)
	return ""
}
