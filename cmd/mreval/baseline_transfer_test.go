package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/baselines/transfer"
)

const transferCase07 = "../../testdata/conformance/transfer/case07"

func TestBaselineEstimateConformance(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(transferCase07, "expected.json"))
	require.NoError(t, err)
	var want map[string]float64
	require.NoError(t, json.Unmarshal(raw, &want))
	f := filepath.Join(transferCase07, "features.npy")
	l := filepath.Join(transferCase07, "labels.npy")
	p := filepath.Join(transferCase07, "probs.npy")
	tg := filepath.Join(transferCase07, "targets.npy")
	for _, tc := range []struct {
		key  string
		args []string
	}{
		{"logme", []string{"--estimator", "logme", "--features", f, "--labels", l}},
		{"logme_regression", []string{"--estimator", "logme", "--features", f, "--targets", tg}},
		{"leep", []string{"--estimator", "leep", "--labels", l, "--probs", p}},
		{"nce", []string{"--estimator", "nce", "--labels", l, "--probs", p}},
		{"hscore", []string{"--estimator", "hscore", "--features", f, "--labels", l}},
		{"gbc", []string{"--estimator", "gbc", "--features", f, "--labels", l}},
	} {
		status, stdout, stderr := runCLI(append([]string{"baseline", "estimate"}, tc.args...)...)
		require.Equal(t, 0, status, "%s: %s", tc.key, stderr)
		require.True(t, strings.HasSuffix(stdout, "\n") && strings.Count(stdout, "\n") == 1, "%q", stdout)
		got, err := strconv.ParseFloat(strings.TrimSpace(stdout), 64)
		require.NoError(t, err, tc.key)
		assert.InDelta(t, want[tc.key], got, 1e-6*math.Abs(want[tc.key]), tc.key)
		assert.Equal(t, strconv.FormatFloat(got, 'g', -1, 64)+"\n", stdout, "shortest round-trip form")
	}
}

func TestBaselineEstimateErrors(t *testing.T) {
	f := filepath.Join(transferCase07, "features.npy")
	l := filepath.Join(transferCase07, "labels.npy")
	tg := filepath.Join(transferCase07, "targets.npy")
	p := filepath.Join(transferCase07, "probs.npy")
	for _, tc := range []struct {
		name   string
		args   []string
		status int
		msg    string
	}{
		{"unknown estimator", []string{"--estimator", "magic", "--features", f, "--labels", l}, 2, `unknown estimator "magic"`},
		{"no estimator", []string{"--features", f, "--labels", l}, 2, "mreval: baseline estimate needs --estimator\n"},
		{"no features", []string{"--estimator", "logme", "--labels", l}, 2, "mreval: logme needs --features\n"},
		{"labels and targets", []string{"--estimator", "logme", "--features", f, "--labels", l, "--targets", tg}, 2,
			"mreval: give exactly one of --labels and --targets, not both\n"},
		{"neither labels nor targets", []string{"--estimator", "logme", "--features", f}, 2,
			"mreval: logme needs --labels (classification) or --targets (regression)\n"},
		{"nce without labels", []string{"--estimator", "nce", "--probs", p}, 2, "mreval: nce needs --labels\n"},
		// LEEP and NCE read the source head's probabilities, not features:
		// features are neither required nor accepted.
		{"leep without probs", []string{"--estimator", "leep", "--labels", l}, 2, "mreval: leep needs --probs\n"},
		{"leep given features", []string{"--estimator", "leep", "--features", f, "--labels", l, "--probs", p}, 2,
			"mreval: leep does not use --features (it reads --probs): leave it out\n"},
		{"nce given features only", []string{"--estimator", "nce", "--features", f, "--labels", l}, 2,
			"mreval: nce does not use --features (it reads --probs): leave it out\n"},
		{"logme given probs", []string{"--estimator", "logme", "--features", f, "--labels", l, "--probs", p}, 2,
			"mreval: logme does not use --probs (it reads --features): leave it out\n"},
		{"hscore on regression", []string{"--estimator", "hscore", "--features", f, "--targets", tg}, 2,
			"mreval: hscore does not use --targets: it scores classification topics only (give --labels)\n"},
		{"probs and labels disagree", []string{"--estimator", "leep", "--probs", p, "--labels", "../../testdata/conformance/transfer/case00/labels.npy"}, 1,
			"has 300 rows"},
		{"labels as features", []string{"--estimator", "logme", "--features", l, "--labels", l}, 1, `features must be float16, float32 or float64, got dtype "<i8"`},
		{"gbc undefined", []string{"--estimator", "gbc", "--features", "../../testdata/conformance/transfer/case00/features.npy",
			"--labels", "../../testdata/conformance/transfer/case00/labels.npy"}, 1, "GBC undefined: class 0 has 54 samples"},
	} {
		status, stdout, stderr := runCLI(append([]string{"baseline", "estimate"}, tc.args...)...)
		assert.Equal(t, tc.status, status, tc.name)
		assert.Empty(t, stdout, tc.name)
		assert.Contains(t, stderr, "mreval: ", tc.name)
		assert.Contains(t, stderr, tc.msg, tc.name)
	}
}

// TestBaselineSampleAndScore generates a bundle, scores it with logme and
// checks the run: one line per (topic, model), ranks 1..4 in the planted
// order, scores in shortest form, sorted by score within each topic.
func TestBaselineSampleAndScore(t *testing.T) {
	dir := t.TempDir()
	bundle := filepath.Join(dir, "bundle")
	status, stdout, stderr := runCLI("baseline", "sample-bundle", "--out", bundle, "--seed", "3")
	require.Equal(t, 0, status, stderr)
	require.Contains(t, stdout, "3 topics, 4 models; planted order: ")
	planted := strings.Split(strings.TrimSpace(stdout[strings.Index(stdout, "planted order: ")+len("planted order: "):]), " > ")
	require.Len(t, planted, 4)

	runPath := filepath.Join(dir, "logme.run")
	status, stdout, stderr = runCLI("baseline", "score", "--estimator", "logme", "--bundle", bundle, "-o", runPath, "--tag", "LogME-test")
	require.Equal(t, 0, status, stderr)
	assert.Empty(t, stdout)
	assert.Equal(t, "mreval: wrote the logme run (3 topics) to "+runPath+"\n", stderr, "no progress bar when stderr is not a terminal")
	raw, err := os.ReadFile(runPath)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n")
	require.Len(t, lines, 12)
	for i, line := range lines {
		f := strings.Fields(line)
		require.Len(t, f, 6, line)
		topic := []string{"synth/topic-1", "synth/topic-2", "synth/topic-3"}[i/4]
		assert.Equal(t, topic, f[0])
		assert.Equal(t, "Q0", f[1])
		assert.Equal(t, planted[i%4], f[2], line)
		assert.Equal(t, strconv.Itoa(i%4+1), f[3])
		v, err := strconv.ParseFloat(f[4], 64)
		require.NoError(t, err)
		assert.Equal(t, strconv.FormatFloat(v, 'g', -1, 64), f[4])
		assert.Equal(t, "LogME-test", f[5])
	}

	// The same pair through estimate gives the score printed in the run.
	first := strings.Fields(lines[0])
	status, stdout, _ = runCLI("baseline", "estimate", "--estimator", "logme",
		"--features", filepath.Join(bundle, "topic-01", bundleModelDir(t, bundle, first[2]), "features.npy"),
		"--labels", filepath.Join(bundle, "topic-01", "labels.npy"))
	require.Equal(t, 0, status)
	assert.Equal(t, first[4]+"\n", stdout)

	// leep on the same bundle works (probs present); a bad bundle fails
	// with the file named and the run file left unwritten.
	status, _, stderr = runCLI("baseline", "score", "--estimator", "leep", "--bundle", bundle, "--out", filepath.Join(dir, "leep.run"))
	require.Equal(t, 0, status, stderr)
	require.NoError(t, os.Remove(filepath.Join(bundle, "topic-02", "model-01", "features.npy")))
	bad := filepath.Join(dir, "bad.run")
	status, _, stderr = runCLI("baseline", "score", "--estimator", "logme", "--bundle", bundle, "--out", bad)
	assert.Equal(t, 1, status)
	assert.Contains(t, stderr, filepath.Join(bundle, "topic-02", "model-01", "features.npy")+": missing")
	assert.NoFileExists(t, bad)

	status, _, stderr = runCLI("baseline", "score", "--estimator", "logme", "--bundle", bundle)
	assert.Equal(t, 2, status)
	assert.Equal(t, "mreval: baseline score needs -o/--output FILE (\"-\" = standard output)\n", stderr)
}

// bundleModelDir finds a model's directory in model-dirs.tsv.
func bundleModelDir(t *testing.T, bundle, id string) string {
	raw, err := os.ReadFile(filepath.Join(bundle, transfer.ModelDirsFile))
	require.NoError(t, err)
	for _, line := range strings.Split(string(raw), "\n") {
		if f := strings.Split(line, "\t"); len(f) == 2 && f[0] == id {
			return f[1]
		}
	}
	t.Fatalf("model %s not in model-dirs.tsv", id)
	return ""
}

// TestBaselineTransferHostileInputs: malformed .npy files and labels of
// issue 14 end in exit 1 with the file named; the limit flags are usage
// errors when malformed and are restored after the command.
func TestBaselineTransferHostileInputs(t *testing.T) {
	size, err := parseSize(defaultMaxNpySize)
	require.NoError(t, err)
	require.Equal(t, transfer.DefaultLimits.MaxNpyBytes, size)

	dir := t.TempDir()
	npy := func(name, header string, payload []byte) string {
		b := append([]byte("\x93NUMPY\x01\x00"), byte(len(header)), byte(len(header)>>8))
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, append(append(b, header...), payload...), 0o644))
		return p
	}
	f := filepath.Join(transferCase07, "features.npy")
	l := filepath.Join(transferCase07, "labels.npy")
	headerOnly := npy("header-only.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (100000000, 100), }\n", nil)
	noBrace := npy("no-brace.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (1,)\n", make([]byte, 4))
	v2 := filepath.Join(dir, "v2.npy")
	require.NoError(t, os.WriteFile(v2, []byte("\x93NUMPY\x02\x00\xff\xff\xff\xff{"), 0o644))
	hugeLabel := npy("labels.npy", "{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }\n",
		[]byte{0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0})
	small := npy("small.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 1), }\n", make([]byte, 12))
	for _, tc := range []struct {
		name   string
		args   []string
		status int
		msg    string
	}{
		{"header only", []string{"--features", headerOnly, "--labels", l}, 1,
			headerOnly + `: file has 80 bytes, its header (dtype "<f4", shape [100000000 100]) needs 40000000080`},
		{"no closing brace", []string{"--features", noBrace, "--labels", l}, 1,
			noBrace + ": not a valid .npy file: header ends where ',' or '}' was expected (is the closing '}' missing?)"},
		{"v2 header length ffffffff", []string{"--features", v2, "--labels", l}, 1,
			v2 + ": not a valid .npy file: header length 4294967295 exceeds the 65536-byte limit"},
		{"label 2147483647", []string{"--features", small, "--labels", hugeLabel}, 1,
			hugeLabel + ": label 2147483647 of sample 2 is not a class index: labels must be 0 ≤ y < N = 3, the number of samples"},
		{"max-npy-size", []string{"--features", f, "--labels", l, "--max-npy-size", "1KiB"}, 1, "more than the 1024-byte limit for .npy files (--max-npy-size)"},
		{"max-class-cells", []string{"--features", f, "--labels", l, "--max-class-cells", "899"}, 1,
			l + ": 300 samples × 3 classes (largest label 2 + 1) exceeds the limit of 899 class cells (--max-class-cells)"},
		{"bad max-npy-size", []string{"--features", f, "--labels", l, "--max-npy-size", "lots"}, 2, `--max-npy-size: "lots" is not a positive size`},
		{"bad max-class-cells", []string{"--features", f, "--labels", l, "--max-class-cells", "0"}, 2, "--max-class-cells must be positive, got 0"},
	} {
		status, stdout, stderr := runCLI(append([]string{"baseline", "estimate", "--estimator", "logme"}, tc.args...)...)
		assert.Equal(t, tc.status, status, tc.name)
		assert.Empty(t, stdout, tc.name)
		assert.Contains(t, stderr, tc.msg, tc.name)
		assert.NotContains(t, stderr, "goroutine", tc.name)
		assert.Equal(t, transfer.DefaultLimits, transfer.CurrentLimits(), "%s: limits restored", tc.name)
	}
	// 300 × 3 = 900 cells is exactly within a limit of 900.
	status, _, stderr := runCLI("baseline", "estimate", "--estimator", "logme", "--features", f, "--labels", l, "--max-class-cells", "900")
	assert.Equal(t, 0, status, stderr)
}
