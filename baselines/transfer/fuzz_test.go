package transfer

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzNpy runs the .npy parser on arbitrary bytes: it must never panic,
// must return either an error naming the file or an array consistent with
// its header, and must not allocate more than a small multiple of the input
// (an int64 per byte of a uint8 array, twice over for Fortran order).
func FuzzNpy(f *testing.F) {
	for _, name := range []string{"features", "labels", "probs", "targets"} {
		raw, err := os.ReadFile(filepath.Join(conformanceDir, "case02", name+".npy"))
		require.NoError(f, err)
		f.Add(raw)
	}
	f.Add(npyFile(1, npyDict("<f4", "True", "(2, 3)"), le32s(1, 4, 2, 5, 3, 6)))
	f.Add(npyFile(2, "{'shape': (3,), 'fortran_order': False, 'descr': '|u1'}\n", []byte{1, 2, 3}))
	f.Add(npyFile(3, npyDict(">f2", "False", "(1, 1)"), []byte{0x3c, 0}))
	f.Add(npyFile(1, npyDict("<f4", "False", "(200, 576460752303423488)"), le32s(1)))
	f.Add(npyFile(1, npyDict("<f8", "False", "(100000000, 100)"), nil))
	f.Add([]byte("\x93NUMPY\x02\x00\xff\xff\xff\xff{'descr'"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		a, err := decodeNpy("f.npy", raw)
		runtime.ReadMemStats(&after)
		if grown := after.TotalAlloc - before.TotalAlloc; grown > uint64(20*len(raw)+256<<10) {
			t.Fatalf("allocated %d bytes for %d input bytes", grown, len(raw))
		}
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.npy: ") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		count := 1
		for _, d := range a.Shape {
			count *= d
		}
		if len(a.Floats)+len(a.Ints) != count || (a.Floats == nil) == (a.Ints == nil) {
			t.Fatalf("shape %v but %d floats, %d ints", a.Shape, len(a.Floats), len(a.Ints))
		}
		if count > len(raw) {
			t.Fatalf("%d elements from %d bytes", count, len(raw))
		}
	})
}

// fuzzBundleFiles are the files of the small bundle FuzzBundle mutates.
var fuzzBundleFiles = []string{
	TopicDirsFile,
	ModelDirsFile,
	filepath.Join("topic-01", LabelsFile),
	filepath.Join("topic-01", "model-00", FeaturesFile),
	filepath.Join("topic-01", "model-00", ProbsFile),
	filepath.Join("topic-01", "model-01", FeaturesFile),
	filepath.Join("topic-01", "model-01", ProbsFile),
}

// FuzzBundle replaces up to two files of a small valid bundle (one topic of
// 12 samples, two models) with fuzzed bytes, opens it and scores it with
// every estimator: every outcome must be a result or an error, never a
// panic, and never the worker's "internal error" (which would be a panic
// caught in a worker).
func FuzzBundle(f *testing.F) {
	base := f.TempDir()
	_, err := SampleBundle(base, 5, SampleConfig{Models: 2, Topics: 1, Samples: 12, Dim: 3, SourceClasses: 4})
	require.NoError(f, err)
	files := make([][]byte, len(fuzzBundleFiles))
	for i, rel := range fuzzBundleFiles {
		files[i], err = os.ReadFile(filepath.Join(base, rel))
		require.NoError(f, err)
	}
	for i, content := range files {
		f.Add(uint8(i), content, uint8(i), content)
	}
	f.Add(uint8(2), npyFile(1, npyDict("<i8", "False", "(12,)"), append(make([]byte, 88), 0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0)), uint8(0), files[0])
	f.Add(uint8(3), npyFile(1, npyDict("<f4", "False", "(12, 576460752303423488)"), le32s(1)), uint8(4), []byte("junk"))
	f.Fuzz(func(t *testing.T, which1 uint8, content1 []byte, which2 uint8, content2 []byte) {
		dir := t.TempDir()
		for _, sub := range []string{"model-00", "model-01"} {
			require.NoError(t, os.MkdirAll(filepath.Join(dir, "topic-01", sub), 0o755))
		}
		for i, rel := range fuzzBundleFiles {
			content := files[i]
			switch i {
			case int(which1) % len(files):
				content = content1
			case int(which2) % len(files):
				content = content2
			}
			require.NoError(t, os.WriteFile(filepath.Join(dir, rel), content, 0o644))
		}
		b, err := OpenBundle(dir)
		if err != nil {
			if !strings.Contains(err.Error(), dir) {
				t.Fatalf("error does not name the bundle: %v", err)
			}
			return
		}
		for _, est := range Estimators() {
			if _, err := ScoreBundle(b, est, ScoreOptions{Workers: 2}); err != nil && strings.Contains(err.Error(), "internal error") {
				t.Fatal(err)
			}
		}
	})
}
