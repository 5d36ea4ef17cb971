package trecfmt

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval"
)

func readRunString(t *testing.T, text string, lim Limits) (*eval.Run, error) {
	t.Helper()
	src, err := NewSource("run.txt", io.NopCloser(strings.NewReader(text)), lim)
	require.NoError(t, err)
	return ReadRun(src, lim)
}

func TestReadRunOrderAndFormats(t *testing.T) {
	text := "\ufeffT2\tQ0\tb\t1\t0.5\ttag\r\n" +
		"T1 Q0 a 1 1.0 tag\n" +
		"\n" +
		"T1 Q0 c 2 2.5 tag\n" +
		"T1 Q0 b 3 1.0 tag\n" +
		"T2 Q0 a 9 1e-3 tag" // no final newline
	run, err := readRunString(t, text, DefaultLimits)
	require.NoError(t, err)
	assert.Equal(t, "tag", run.Tag)
	assert.Equal(t, []string{"T1", "T2"}, run.Topics)
	docs := func(topic string) []string {
		var out []string
		for _, e := range run.ByID[topic].Entries {
			out = append(out, e.Doc)
		}
		return out
	}
	// Score descending; the tie at 1.0 goes to the larger docno ("b").
	assert.Equal(t, []string{"c", "b", "a"}, docs("T1"))
	assert.Equal(t, []string{"b", "a"}, docs("T2"))
	assert.Equal(t, int32(6), run.ByID["T2"].Entries[1].Line)
	assert.Equal(t, 0.001, run.ByID["T2"].Entries[1].Score)
}

func TestReadRunErrors(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"fields", "T1 Q0 a 1 1.0\n", "run.txt:1: expected 6 fields (topic Q0 docno rank score tag), found 5"},
		{"score", "T1 Q0 a 1 high tag\n", `run.txt:1:11: score "high" is not a number`},
		{"nan", "T1 Q0 a 1 nan tag\n", `run.txt:1:11: score "nan" is not a finite number`},
		{"inf", "T1 Q0 a 1 -Inf tag\n", `run.txt:1:11: score "-Inf" is not a finite number`},
		{"rank", "T1 Q0 a first 1 tag\n", `run.txt:1:9: rank "first" is not an integer`},
		{"duplicate", "T1 Q0 a 1 1 t\nT2 Q0 a 1 1 t\nT1 Q0 a 2 0.5 t\n", `run.txt:3: document "a" appears twice for topic "T1" (lines 1 and 3)`},
		{"nul", "T1 Q0 a\x00 1 1 t\n", "run.txt:1:8: NUL byte in line (binary file?)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readRunString(t, tc.text, DefaultLimits)
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

func TestLineAndSizeLimits(t *testing.T) {
	long := "T1 Q0 " + strings.Repeat("x", 200) + " 1 1 t\n"
	_, err := readRunString(t, long, Limits{MaxLine: 100})
	require.Error(t, err)
	assert.Equal(t, "run.txt:1: line longer than 100 bytes (raise --max-line if this is intended)", err.Error())

	_, err = readRunString(t, "T1 Q0 a 1 1 t\nT1 Q0 b 2 0 t\n", Limits{MaxBytes: 20})
	require.ErrorIs(t, err, ErrTooLarge)
}

func gzipped(t *testing.T, text string) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, err := zw.Write([]byte(text))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return b.Bytes()
}

func TestGzipTransparentAndBomb(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "run.anything")
	require.NoError(t, os.WriteFile(path, gzipped(t, "T1 Q0 a 1 1 g\n"), 0o644))
	run, err := ReadRunFile(path, DefaultLimits)
	require.NoError(t, err)
	assert.Equal(t, "g", run.Tag)
	assert.Len(t, run.ByID["T1"].Entries, 1)

	// 8 MiB of one repeated line compresses about 1000:1.
	bomb := gzipped(t, strings.Repeat("T1 Q0 a 1 1 g\n", 600_000))
	src, err := NewSource("bomb.gz", io.NopCloser(bytes.NewReader(bomb)), Limits{MaxRatio: 50})
	require.NoError(t, err)
	_, err = ReadRun(src, Limits{MaxRatio: 50})
	require.ErrorIs(t, err, ErrTooLarge)
	assert.Contains(t, err.Error(), "bomb.gz")
}

func TestReadQrels(t *testing.T) {
	src, err := NewSource("q", io.NopCloser(strings.NewReader("B 0 m1 87.25\nA 0 m2 3\r\nA 0 m1 -1\n")), DefaultLimits)
	require.NoError(t, err)
	q, err := ReadQrels(src, DefaultLimits)
	require.NoError(t, err)
	assert.Equal(t, []string{"A", "B"}, q.Topics)
	assert.Equal(t, map[string]float64{"m2": 3, "m1": -1}, q.ByID["A"].Value)
	assert.Equal(t, []string{"m2", "m1"}, q.ByID["A"].Docs)
	assert.Equal(t, 87.25, q.ByID["B"].Value["m1"])

	for text, want := range map[string]string{
		"A 0 m1 1\nA 0 m1 2\n": `q:2: document "m1" is judged twice for topic "A" (lines 1 and 2)`,
		"A 0 m1\n":             "q:1: expected 4 fields (topic iter docno value), found 3",
		"A 0 m1 x\n":           `q:1:8: judgment "x" is not a number`,
	} {
		src, err := NewSource("q", io.NopCloser(strings.NewReader(text)), DefaultLimits)
		require.NoError(t, err)
		_, err = ReadQrels(src, DefaultLimits)
		require.Error(t, err)
		assert.Equal(t, want, err.Error())
	}
}

func TestReadIDList(t *testing.T) {
	src, err := NewSource("topics", io.NopCloser(strings.NewReader("a\n\n b \r\n")), DefaultLimits)
	require.NoError(t, err)
	ids, err := ReadIDList(src, DefaultLimits)
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b"}, ids)

	src, err = NewSource("topics", io.NopCloser(strings.NewReader("a\nb\na\n")), DefaultLimits)
	require.NoError(t, err)
	_, err = ReadIDList(src, DefaultLimits)
	assert.EqualError(t, err, `topics:3: "a" is listed twice (lines 1 and 3)`)
}

func TestWriteRunRoundTrip(t *testing.T) {
	run := NewRun("rt", map[string]map[string]float64{
		"T1": {"org/a": 0.1, "org/b": 1.0 / 3, "org/c": 0.1},
	})
	var b bytes.Buffer
	require.NoError(t, WriteRun(&b, run))
	assert.Equal(t, "T1 Q0 org/b 1 0.3333333333333333 rt\nT1 Q0 org/c 2 0.1 rt\nT1 Q0 org/a 3 0.1 rt\n", b.String())
	back, err := readRunString(t, b.String(), DefaultLimits)
	require.NoError(t, err)
	for i, e := range back.ByID["T1"].Entries {
		assert.Equal(t, run.ByID["T1"].Entries[i].Score, e.Score, "scores round-trip exactly")
	}
}

func TestOpenMissingFile(t *testing.T) {
	_, err := Open(filepath.Join(t.TempDir(), "nope.run"), DefaultLimits)
	require.Error(t, err)
	assert.True(t, errors.Is(err, os.ErrNotExist))
	assert.Contains(t, err.Error(), "nope.run: cannot open")
}
