package transfer

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSampleBundleLogMERecoversPlantedOrder(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		dir := t.TempDir()
		info, err := SampleBundle(dir, seed, SampleConfig{Regression: true})
		require.NoError(t, err)
		require.Len(t, info.Topics, 4)
		b, err := OpenBundle(dir)
		require.NoError(t, err)
		est, err := LookupEstimator("logme")
		require.NoError(t, err)
		res, err := ScoreBundle(b, est, ScoreOptions{})
		require.NoError(t, err)
		for _, ts := range res {
			ranked := append([]ModelScore(nil), ts.Scores...)
			sort.Slice(ranked, func(i, j int) bool { return ranked[i].Score > ranked[j].Score })
			var order []string
			for _, m := range ranked {
				order = append(order, m.Model)
			}
			assert.Equal(t, info.Planted, order, "seed %d topic %s: %v", seed, ts.Topic, ranked)
		}
	}
}

// TestBadBundles corrupts one file of a good bundle per case and checks that
// opening or scoring it fails with a message naming the file and the fault.
func TestBadBundles(t *testing.T) {
	feat := filepath.Join("topic-01", "model-01", FeaturesFile)
	probs := filepath.Join("topic-02", "model-00", ProbsFile)
	labels := filepath.Join("topic-01", LabelsFile)
	write := func(t *testing.T, dir, rel string, shape []int, data any) {
		require.NoError(t, writeNpy(filepath.Join(dir, rel), shape, data))
	}
	writeFile := func(t *testing.T, dir, rel, text string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, rel), []byte(text), 0o644))
	}
	cases := []struct {
		name      string
		estimator string
		mutate    func(t *testing.T, dir string)
		wantFile  string
		wantMsg   string
	}{
		{"features int64", "logme", func(t *testing.T, dir string) {
			write(t, dir, feat, []int{200, 2}, make([]int64, 400))
		}, feat, `features must be float16, float32 or float64, got dtype "<i8"`},
		{"features row count", "logme", func(t *testing.T, dir string) {
			write(t, dir, feat, []int{199, 4}, make([]float32, 199*4))
		}, feat, "199 rows, but the topic has 200 samples"},
		{"features 1-D", "logme", func(t *testing.T, dir string) {
			write(t, dir, feat, []int{200}, make([]float32, 200))
		}, feat, "features must have 2 dimension(s), got shape [200]"},
		{"features truncated", "logme", func(t *testing.T, dir string) {
			raw, err := os.ReadFile(filepath.Join(dir, feat))
			require.NoError(t, err)
			writeFile(t, dir, feat, string(raw[:len(raw)-3]))
		}, feat, "file has"},
		{"features missing", "logme", func(t *testing.T, dir string) {
			require.NoError(t, os.Remove(filepath.Join(dir, feat)))
		}, feat, `missing (topic "synth/topic-1", model "synth-org/bravo-large")`},
		{"features not npy", "logme", func(t *testing.T, dir string) {
			writeFile(t, dir, feat, "hello")
		}, feat, `not a valid .npy file: it does not start with the magic string "\x93NUMPY" and a version`},
		{"features NaN", "logme", func(t *testing.T, dir string) {
			data := make([]float32, 200*3)
			data[2*3+1] = float32(math.NaN())
			write(t, dir, feat, []int{200, 3}, data)
		}, feat, "non-finite value NaN at row 2, column 1"},
		{"labels float", "logme", func(t *testing.T, dir string) {
			write(t, dir, labels, []int{200}, make([]float64, 200))
		}, labels, `labels must have an integer dtype (int64, or any signed or unsigned integer of 1 to 8 bytes), got dtype "<f8"`},
		{"labels negative", "logme", func(t *testing.T, dir string) {
			l := make([]int64, 200)
			l[7] = -1
			write(t, dir, labels, []int{200}, l)
		}, labels, "label -1 of sample 7 is not a class index"},
		{"labels and targets", "logme", func(t *testing.T, dir string) {
			write(t, dir, filepath.Join("topic-01", TargetsFile), []int{200}, make([]float64, 200))
		}, "topic-01", "has both labels.npy and targets.npy"},
		{"no labels", "logme", func(t *testing.T, dir string) {
			require.NoError(t, os.Remove(filepath.Join(dir, labels)))
		}, "topic-01", "has neither labels.npy nor targets.npy"},
		{"probs do not sum to one", "leep", func(t *testing.T, dir string) {
			p := make([]float64, 200*2)
			for i := range p {
				p[i] = 0.5
			}
			p[5*2] = 0.7
			write(t, dir, probs, []int{200, 2}, p)
		}, probs, "probabilities of row 5 sum to 1.2, not 1"},
		{"probs missing for leep", "leep", func(t *testing.T, dir string) {
			require.NoError(t, os.Remove(filepath.Join(dir, probs)))
		}, probs, "the estimator needs source probabilities"},
		{"model-dirs.tsv duplicate ID", "logme", func(t *testing.T, dir string) {
			writeFile(t, dir, ModelDirsFile, "a/b\tmodel-00\na/b\tmodel-01\n")
		}, ModelDirsFile + ":2", `model ID "a/b" already listed on line 1`},
		{"model-dirs.tsv directory escapes", "logme", func(t *testing.T, dir string) {
			writeFile(t, dir, ModelDirsFile, "a/b\t../model-00\n")
		}, ModelDirsFile + ":1", `directory "../model-00" must be one path element`},
		{"model-dirs.tsv one field", "logme", func(t *testing.T, dir string) {
			writeFile(t, dir, ModelDirsFile, "# header\na/b model-00\n")
		}, ModelDirsFile + ":2", "got 1 tab-separated fields"},
		{"topic-dirs.tsv white space in ID", "logme", func(t *testing.T, dir string) {
			writeFile(t, dir, TopicDirsFile, "my topic\ttopic-01\n")
		}, TopicDirsFile + ":1", `topic ID "my topic" is empty or contains white space or a control character`},
		{"topic-dirs.tsv NUL in ID", "logme", func(t *testing.T, dir string) {
			writeFile(t, dir, TopicDirsFile, "# topics\nt\x001\ttopic-01\n")
		}, TopicDirsFile + ":2", `topic ID "t\x001" is empty or contains white space or a control character`},
		{"topic-dirs.tsv escape sequence in ID", "logme", func(t *testing.T, dir string) {
			writeFile(t, dir, TopicDirsFile, "t\x1b[31m\ttopic-01\n")
		}, TopicDirsFile + ":1", `topic ID "t\x1b[31m" is empty or contains white space or a control character`},
		{"model-dirs.tsv invalid UTF-8 in ID", "logme", func(t *testing.T, dir string) {
			writeFile(t, dir, ModelDirsFile, "m\xff\tmodel-00\n")
		}, ModelDirsFile + ":1", `model ID "m\xff" is not valid UTF-8`},
		{"topic-dirs.tsv line over 64 KiB", "logme", func(t *testing.T, dir string) {
			writeFile(t, dir, TopicDirsFile, "t1\ttopic-01\n"+strings.Repeat("x", 70000)+"\ttopic-02\n")
		}, TopicDirsFile + ":2", "line longer than 65536 bytes"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			_, err := SampleBundle(dir, 7, SampleConfig{Models: 2, Topics: 2, Dim: 4})
			require.NoError(t, err)
			tc.mutate(t, dir)
			b, err := OpenBundle(dir)
			if err == nil {
				est, lerr := LookupEstimator(tc.estimator)
				require.NoError(t, lerr)
				_, err = ScoreBundle(b, est, ScoreOptions{Workers: 2})
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), filepath.Join(dir, tc.wantFile))
			assert.Contains(t, err.Error(), tc.wantMsg)
		})
	}
}

func TestOpenBundleReportsAllProblems(t *testing.T) {
	dir := t.TempDir()
	_, err := SampleBundle(dir, 7, SampleConfig{Models: 2, Topics: 2, Dim: 4})
	require.NoError(t, err)
	for _, rel := range []string{"topic-01/model-00/features.npy", "topic-02/model-01/features.npy"} {
		require.NoError(t, os.Remove(filepath.Join(dir, rel)))
	}
	_, err = OpenBundle(dir)
	require.Error(t, err)
	assert.Equal(t, 2, strings.Count(err.Error(), "features.npy: missing"), err.Error())
}

// TestScoreBundleIndependentOfWorkers checks that results are identical,
// bit for bit, whatever the number of workers.
func TestScoreBundleIndependentOfWorkers(t *testing.T) {
	dir := t.TempDir()
	_, err := SampleBundle(dir, 11, SampleConfig{})
	require.NoError(t, err)
	b, err := OpenBundle(dir)
	require.NoError(t, err)
	for _, name := range EstimatorNames() {
		if name == "gbc" {
			continue // needs more than 64 samples per class and 64 dimensions
		}
		est, _ := LookupEstimator(name)
		var calls []int
		one, err := ScoreBundle(b, est, ScoreOptions{Workers: 1, Progress: func(done, total int) {
			calls = append(calls, done)
			require.Equal(t, 12, total)
		}})
		require.NoError(t, err, name)
		assert.Equal(t, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, calls)
		four, err := ScoreBundle(b, est, ScoreOptions{Workers: 4})
		require.NoError(t, err, name)
		assert.Equal(t, fmt.Sprint(one), fmt.Sprint(four), name)
	}
}

// TestOpenBundleRefusesFIFO: a FIFO in place of topic-dirs.tsv or a .npy file is
// refused before it is opened, so opening the bundle cannot block.
func TestOpenBundleRefusesFIFO(t *testing.T) {
	for _, rel := range []string{TopicDirsFile, filepath.Join("topic-01", "model-00", FeaturesFile)} {
		dir := t.TempDir()
		_, err := SampleBundle(dir, 7, SampleConfig{Models: 1, Topics: 1, Dim: 4})
		require.NoError(t, err)
		path := filepath.Join(dir, rel)
		require.NoError(t, os.Remove(path))
		if err := syscall.Mkfifo(path, 0o600); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
		_, err = OpenBundle(dir)
		assert.ErrorContains(t, err, path+": not a regular file")
	}
}

// TestOpenBundleOldFileNames: a bundle written before topics.tsv and
// models.tsv were renamed topic-dirs.tsv and model-dirs.tsv is refused with
// both names of every file still under its old name; the old file is only
// looked at, never opened (a FIFO cannot block) nor followed (a dangling
// symlink still counts).
func TestOpenBundleOldFileNames(t *testing.T) {
	renamed := func(dir, name string) string {
		return filepath.Join(dir, name) + " is missing but " + filepath.Join(dir, renamedIDMaps[name]) +
			" is there: the bundle file " + renamedIDMaps[name] + " was renamed " + name + " (same format); rename it"
	}
	cases := []struct {
		name   string
		mutate func(t *testing.T, dir string)
		want   func(dir string) string
	}{
		{"both old", func(t *testing.T, dir string) {
			require.NoError(t, os.Rename(filepath.Join(dir, "topic-dirs.tsv"), filepath.Join(dir, "topics.tsv")))
			require.NoError(t, os.Rename(filepath.Join(dir, "model-dirs.tsv"), filepath.Join(dir, "models.tsv")))
		}, func(dir string) string {
			return "bundle " + dir + " has the old file names:\n" + renamed(dir, "topic-dirs.tsv") + "\n" + renamed(dir, "model-dirs.tsv")
		}},
		{"models old", func(t *testing.T, dir string) {
			require.NoError(t, os.Rename(filepath.Join(dir, "model-dirs.tsv"), filepath.Join(dir, "models.tsv")))
		}, func(dir string) string {
			return "bundle " + dir + " has the old file names:\n" + renamed(dir, "model-dirs.tsv")
		}},
		{"old topics a FIFO", func(t *testing.T, dir string) {
			require.NoError(t, os.Remove(filepath.Join(dir, "topic-dirs.tsv")))
			if err := syscall.Mkfifo(filepath.Join(dir, "topics.tsv"), 0o600); err != nil {
				t.Skipf("mkfifo: %v", err)
			}
		}, func(dir string) string {
			return "bundle " + dir + " has the old file names:\n" + renamed(dir, "topic-dirs.tsv")
		}},
		{"old models a dangling symlink", func(t *testing.T, dir string) {
			require.NoError(t, os.Remove(filepath.Join(dir, "model-dirs.tsv")))
			require.NoError(t, os.Symlink(filepath.Join(dir, "nowhere"), filepath.Join(dir, "models.tsv")))
		}, func(dir string) string {
			return "bundle " + dir + " has the old file names:\n" + renamed(dir, "model-dirs.tsv")
		}},
		{"neither name", func(t *testing.T, dir string) {
			require.NoError(t, os.Remove(filepath.Join(dir, "topic-dirs.tsv")))
		}, func(dir string) string {
			return "stat " + filepath.Join(dir, "topic-dirs.tsv") + ": no such file or directory"
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			_, err := SampleBundle(dir, 7, SampleConfig{Models: 2, Topics: 2, Dim: 4})
			require.NoError(t, err)
			tc.mutate(t, dir)
			_, err = OpenBundle(dir)
			assert.EqualError(t, err, tc.want(dir))
		})
	}

	// A stray file under an old name beside the new one changes nothing.
	dir := t.TempDir()
	_, err := SampleBundle(dir, 7, SampleConfig{Models: 2, Topics: 3, Dim: 4})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "models.tsv"), []byte("model_id\tparams\n"), 0o644))
	b, err := OpenBundle(dir)
	require.NoError(t, err)
	assert.Len(t, b.Topics, 3)
	assert.Len(t, b.Models, 2)
}

// TestSampleBundleIDMaps pins the names and the commented header line of
// the two ID maps SampleBundle writes.
func TestSampleBundleIDMaps(t *testing.T) {
	dir := t.TempDir()
	_, err := SampleBundle(dir, 7, SampleConfig{Models: 2, Topics: 2, Dim: 4})
	require.NoError(t, err)
	topics, err := os.ReadFile(filepath.Join(dir, "topic-dirs.tsv"))
	require.NoError(t, err)
	models, err := os.ReadFile(filepath.Join(dir, "model-dirs.tsv"))
	require.NoError(t, err)
	assert.Equal(t, "# topic ID\tdirectory\n", strings.SplitAfter(string(topics), "\n")[0])
	assert.Equal(t, "# model ID\tdirectory\n", strings.SplitAfter(string(models), "\n")[0])
	assert.Equal(t, 3, strings.Count(string(topics), "\n"))
	assert.Equal(t, 3, strings.Count(string(models), "\n"))
	for _, old := range []string{"topics.tsv", "models.tsv"} {
		assert.NoFileExists(t, filepath.Join(dir, old))
	}
}
