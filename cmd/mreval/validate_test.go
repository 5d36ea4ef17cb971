package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval/collection"
)

// More validate cases are golden files: testdata/golden/validate_*.golden.

// TestValidateCollection validates the shipped reference runs against the
// recycling collection, resolved by name.
func TestValidateCollection(t *testing.T) {
	coll, err := collection.Lookup("recycling")
	require.NoError(t, err)
	pool, err := coll.Pool()
	require.NoError(t, err)
	test, err := coll.TestTopics()
	require.NoError(t, err)
	train, err := coll.TrainTopics()
	require.NoError(t, err)
	runFile := filepath.Join("..", "..", "runs", "recycling", "random.run")
	if _, err := os.Stat(runFile); err != nil {
		t.Skip("no reference runs in this tree")
	}
	code, stdout, stderr := runCLI("validate", "--collection", "recycling", runFile)
	assert.Equal(t, 0, code, stderr)
	assert.Equal(t, fmt.Sprintf("%s: valid (Subtask A; run tag \"random\"; %d of %d topics; %s run lines)\n",
		runFile, len(test), len(test), commas(len(test)*len(pool))), stdout)

	// Against the training topics the same run names none of them.
	code, stdout, _ = runCLI("validate", "--collection", "recycling", "--split", "train", "--format", "json", runFile)
	assert.Equal(t, 1, code)
	var rep struct {
		Valid bool `json:"valid"`
		Files []struct {
			Errors         int            `json:"errors"`
			Topics         int            `json:"topics"`
			TopicsExpected int            `json:"topics_expected"`
			Omitted        map[string]int `json:"omitted"`
			Problems       []struct {
				Code string `json:"code"`
			} `json:"problems"`
		} `json:"files"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep))
	require.Len(t, rep.Files, 1)
	f := rep.Files[0]
	assert.False(t, rep.Valid)
	assert.Equal(t, 0, f.Topics)
	assert.Equal(t, len(train), f.TopicsExpected)
	codes := map[string]int{}
	for _, p := range f.Problems {
		codes[p.Code]++
	}
	// One unknown-topic problem per test topic, one missing-topics problem.
	assert.Equal(t, map[string]int{"unknown-topic": min(len(test), 20), "missing-topics": 1}, codes)
	assert.Equal(t, len(test)+1, f.Errors)

	code, _, stderr = runCLI("validate", "--collection", "nosuch", runFile)
	assert.Equal(t, 2, code)
	assert.True(t, strings.HasPrefix(stderr, `mreval: --collection: unknown collection "nosuch"`), stderr)
}

func commas(n int) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"1000": 1000, "1GiB": 1 << 30, "500MiB": 500 << 20, "2G": 2 << 30, "10KB": 10000, "3 MB": 3e6, "7B": 7} {
		got, err := parseSize(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"", "0", "-1", "1.5GiB", "GiB", "9999999999999TiB"} {
		_, err := parseSize(bad)
		assert.Error(t, err, bad)
	}
}
