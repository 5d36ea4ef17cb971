package inputs

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/collection"
	"github.com/ntcir-pmr/mreval/eval/noise"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
)

// A small collection on disk: three judged topics on a 0–3 scale.
const smallQrels = "T1 0 a 3\nT1 0 b 0\nT2 0 a 1\nT2 0 c 2\nT3 0 b 1\n"

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	return p
}

func recycling(t *testing.T) *collection.Collection {
	t.Helper()
	coll, err := collection.Lookup("recycling")
	require.NoError(t, err)
	return coll
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	qrels := writeFile(t, dir, "small.qrels", smallQrels)
	topics := writeFile(t, dir, "two.topics", "T3\nT1\n")
	coll := recycling(t)
	test, err := coll.TestTopics()
	require.NoError(t, err)
	train, err := coll.TrainTopics()
	require.NoError(t, err)

	tests := []struct {
		name       string
		spec       Spec
		qrelsName  string
		collection string
		topics     []string
		topicsFrom string
		judged     []string // the qrels topics left
		scale      float64
	}{
		{"qrels file, every topic", Spec{QrelsFile: qrels}, qrels, "", nil, "", []string{"T1", "T2", "T3"}, 3},
		{"qrels file, a topic list", Spec{QrelsFile: qrels, TopicsFile: topics}, qrels, "",
			[]string{"T3", "T1"}, topics, []string{"T1", "T3"}, 3},
		{"test topics by default", Spec{QrelsFile: qrels, TestTopics: true}, qrels, "", nil, "", []string{"T1", "T2", "T3"}, 3},
		{"collection, every topic", Spec{Collection: "recycling"}, coll.QrelsFile, "recycling", nil, "", nil, 98.6},
		{"collection, test split", Spec{Collection: "recycling", Split: "test"}, coll.QrelsFile, "recycling",
			test, "recycling test split", test, 98.6},
		{"collection, train split", Spec{Collection: "recycling", Split: "train"}, coll.QrelsFile, "recycling",
			train, "recycling train split", train, 98.6},
		{"collection, its test topics", Spec{Collection: "recycling", TestTopics: true}, coll.QrelsFile, "recycling",
			test, coll.TestTopicsFile, test, 98.6},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			j, err := Load(tc.spec)
			require.NoError(t, err)
			assert.Equal(t, tc.qrelsName, j.QrelsName)
			assert.Equal(t, tc.collection, j.CollectionName())
			assert.Equal(t, tc.topics, j.Topics)
			assert.Equal(t, tc.topicsFrom, j.TopicsFrom)
			if tc.judged != nil {
				assert.ElementsMatch(t, tc.judged, j.Qrels.Topics)
			}
			assert.Equal(t, tc.scale, j.GradingScale, "the highest judged value of every topic, before the restriction (recycling: 98.6 points)")
		})
	}
	assert.Len(t, test, 12, "the shipped split")
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	qrels := writeFile(t, dir, "small.qrels", smallQrels)
	missing := writeFile(t, dir, "missing.topics", "T1\nT9\nT0\n")
	empty := writeFile(t, dir, "empty.topics", "")
	tests := []struct {
		name  string
		spec  Spec
		usage bool
		want  string
	}{
		{"no qrels", Spec{}, true, "give the qrels: a file or --collection NAME"},
		{"both", Spec{QrelsFile: qrels, Collection: "recycling"}, true, "give either --collection or --qrels, not both"},
		{"split without a collection", Spec{QrelsFile: qrels, Split: "test"}, true, "--split needs --collection"},
		{"unknown split", Spec{Collection: "recycling", Split: "dev"}, true, `--split must be train or test, not "dev"`},
		{"no split to take", Spec{Collection: "modelspider-single", Split: "train"}, true, "collection modelspider-single has no train/test split"},
		{"unknown collection", Spec{Collection: "nope"}, true, ""},
		{"topics nobody judged", Spec{QrelsFile: qrels, TopicsFile: missing}, false,
			missing + ": 2 listed topics have no judgments in " + qrels + ": T9, T0"},
		{"empty topic list", Spec{QrelsFile: qrels, TopicsFile: empty}, false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(tc.spec)
			require.Error(t, err)
			assert.Equal(t, tc.usage, IsUsage(err), err.Error())
			if tc.want != "" {
				assert.EqualError(t, err, tc.want)
			}
		})
	}
	// Whether the reader or ReadTopics refuses it, an empty list is named.
	_, err := Load(Spec{QrelsFile: qrels, TopicsFile: empty})
	assert.ErrorContains(t, err, empty)
}

func TestReadRunRestricts(t *testing.T) {
	dir := t.TempDir()
	qrels := writeFile(t, dir, "small.qrels", smallQrels)
	topics := writeFile(t, dir, "t.topics", "T2\n")
	run := writeFile(t, dir, "r.run", "T1 Q0 a 1 2 r\nT2 Q0 c 1 2 r\nT2 Q0 a 2 1 r\nT3 Q0 b 1 1 r\n")
	j, err := Load(Spec{QrelsFile: qrels, TopicsFile: topics})
	require.NoError(t, err)
	r, err := j.ReadRun(run)
	require.NoError(t, err)
	assert.Equal(t, []string{"T2"}, r.Topics)
	assert.Len(t, r.ByID["T2"].Entries, 2)

	all, err := Load(Spec{QrelsFile: qrels})
	require.NoError(t, err)
	r, err = all.ReadRun(run)
	require.NoError(t, err)
	assert.Equal(t, []string{"T1", "T2", "T3"}, r.Topics)
}

func TestRestrict(t *testing.T) {
	dir := t.TempDir()
	qrels := writeFile(t, dir, "small.qrels", smallQrels)
	q, err := trecfmt.ReadQrelsFile(qrels, trecfmt.DefaultLimits)
	require.NoError(t, err)
	require.NoError(t, Restrict(q, []string{"T2", "T3"}, "list"))
	assert.Equal(t, []string{"T2", "T3"}, q.Topics)
	assert.Nil(t, q.ByID["T1"])
	assert.EqualError(t, Restrict(q, []string{"T2", "T1"}, "list"), "list: 1 listed topics have no judgments in "+qrels+": T1")
}

func TestLoadSet(t *testing.T) {
	dir := t.TempDir()
	qrels := writeFile(t, dir, "small.qrels", smallQrels)
	runs := filepath.Join(dir, "runs")
	require.NoError(t, os.Mkdir(runs, 0o755))
	writeFile(t, runs, "b.run", "T1 Q0 a 1 2 b\nT3 Q0 b 1 1 b\n")
	writeFile(t, runs, "a.run", "T1 Q0 b 1 2 a\n")
	writeFile(t, runs, "notes.txt", "not a run")
	require.NoError(t, os.Symlink("a.run", filepath.Join(runs, "c.run")))
	topics := writeFile(t, dir, "t.topics", "T1\n")

	set, err := LoadSet(Spec{QrelsFile: qrels, TopicsFile: topics}, Runs{Dir: runs}, nil)
	require.NoError(t, err)
	var files, tags []string
	for _, r := range set.Runs {
		files = append(files, filepath.Base(r.File))
		tags = append(tags, r.Tag)
		assert.Equal(t, []string{"T1"}, r.Topics, "restricted to the topics")
	}
	assert.Equal(t, []string{"a.run", "b.run", "c.run"}, files, "directory order, the symlink read as its target")
	assert.Equal(t, []string{"a", "b", "a"}, tags)

	var seen [][2]int
	set, err = LoadSet(Spec{QrelsFile: qrels}, Runs{Files: []string{filepath.Join(runs, "b.run")}},
		func(done, total int) { seen = append(seen, [2]int{done, total}) })
	require.NoError(t, err)
	require.Len(t, set.Runs, 1)
	assert.Equal(t, []string{"T1", "T3"}, set.Runs[0].Topics)
	assert.Equal(t, [][2]int{{0, 1}, {1, 1}}, seen)

	set, err = LoadSet(Spec{Collection: "recycling", TestTopics: true}, Runs{}, nil)
	require.NoError(t, err)
	files = files[:0]
	for _, r := range set.Runs {
		files = append(files, r.File)
		assert.Len(t, r.Topics, 12)
	}
	assert.Contains(t, files, "runs/recycling/prior.run", "named by their path in the collection")
	assert.Len(t, files, 8)
}

func TestLoadSetErrors(t *testing.T) {
	dir := t.TempDir()
	qrels := writeFile(t, dir, "small.qrels", smallQrels)
	empty := filepath.Join(dir, "empty")
	require.NoError(t, os.Mkdir(empty, 0o755))
	writeFile(t, empty, "readme", "no runs here")
	dangling := filepath.Join(dir, "dangling")
	require.NoError(t, os.Mkdir(dangling, 0o755))
	require.NoError(t, os.Symlink("gone.run", filepath.Join(dangling, "x.run")))
	fifo := filepath.Join(dir, "fifo")
	require.NoError(t, os.Mkdir(fifo, 0o755))
	require.NoError(t, syscall.Mkfifo(filepath.Join(fifo, "f.run"), 0o644))
	noTopics := writeFile(t, dir, "none.qrels", "")

	tests := []struct {
		name  string
		spec  Spec
		runs  Runs
		usage bool
		want  string
	}{
		{"two sources", Spec{QrelsFile: qrels}, Runs{Dir: dir, Files: []string{"x.run"}}, true,
			"give runs one way: --runs DIR, --store DIR or RUN files"},
		{"qrels without runs", Spec{QrelsFile: qrels}, Runs{}, true,
			"with --qrels, give the runs: --runs DIR, --store DIR or RUN files"},
		{"both qrels", Spec{QrelsFile: qrels, Collection: "recycling"}, Runs{Dir: dir}, true,
			"give either --collection or --qrels, not both"},
		{"no run files", Spec{QrelsFile: qrels}, Runs{Dir: empty}, false, empty + ": no run files (*.run, *.run.gz)"},
		{"dangling link", Spec{QrelsFile: qrels}, Runs{Dir: dangling}, false, ""},
		{"a FIFO named like a run", Spec{QrelsFile: qrels}, Runs{Dir: fifo}, false, filepath.Join(fifo, "f.run") + ": not a regular file"},
		{"no topics", Spec{QrelsFile: noTopics}, Runs{Dir: dir}, false, noTopics + ": no topics to evaluate on"},
		{"empty store", Spec{QrelsFile: qrels}, Runs{Store: empty, Task: "a"}, false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadSet(tc.spec, tc.runs, nil)
			require.Error(t, err)
			assert.Equal(t, tc.usage, IsUsage(err), err.Error())
			if tc.want != "" {
				assert.EqualError(t, err, tc.want)
			}
		})
	}
	_, err := LoadSet(Spec{QrelsFile: qrels}, Runs{Dir: dangling}, nil)
	assert.ErrorContains(t, err, filepath.Join(dangling, "x.run"))
}

func TestConstraint(t *testing.T) {
	dir := t.TempDir()
	models := writeFile(t, dir, "models.tsv", "model_id\tparams\na\t10\nb\t20\n")
	tests := []struct {
		name             string
		expr, file, coll string
		usage            bool
		want             string
		fits             map[string]bool
	}{
		{"none", "", "", "recycling", false, "", nil},
		{"models without a constraint", "", models, "", true, "--models is only used with --constraint", nil},
		{"no table", "params<=15", "", "", true, "--constraint needs --models FILE (or --collection NAME with a models table)", nil},
		{"collection without a table", "params<=15", "", "modelspider-single", true,
			"collection modelspider-single has no models table; give --models FILE", nil},
		{"bad expression", "size<=1", models, "", true, `constraint "size<=1": unknown column "size"; ` + models + " has: model_id, params", nil},
		{"models file", "params<=15", models, "recycling", false, "", map[string]bool{"a": true, "b": false}},
		{"collection's table", "params<=130e6", "", "recycling", false, "",
			map[string]bool{"deepset/roberta-base-squad2-covid": true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Constraint(tc.expr, tc.file, tc.coll, trecfmt.DefaultLimits)
			if tc.want != "" || tc.usage {
				require.Error(t, err)
				assert.Equal(t, tc.usage, IsUsage(err))
				assert.EqualError(t, err, tc.want)
				return
			}
			require.NoError(t, err)
			if tc.fits == nil {
				assert.Nil(t, c)
				return
			}
			for model, want := range tc.fits {
				got, err := c.Feasible(model)
				require.NoError(t, err)
				assert.Equal(t, want, got, model)
			}
		})
	}
}

func TestSeedsAndNoise(t *testing.T) {
	_, err := Seeds("")
	assert.True(t, IsUsage(err))
	assert.EqualError(t, err, "the fine-tuning noise needs --collection recycling (its seed runs)")
	_, err = Seeds("modelspider-single")
	assert.True(t, IsUsage(err))
	assert.EqualError(t, err, "collection modelspider-single has no seed runs")

	seeds, err := Seeds("recycling")
	require.NoError(t, err)
	dir := t.TempDir()
	topics := writeFile(t, dir, "t.topics", "cb\nboolq\n")
	run := writeFile(t, dir, "r.run", "cb Q0 x 1 1 mine\n")
	twin := writeFile(t, dir, "twin.run", "boolq Q0 x 1 1 mine\n")

	in, got, err := Noise(NoiseSpec{Spec: Spec{Collection: "recycling", TopicsFile: topics}, Model: noise.Gaussian, RunFiles: []string{run}})
	require.NoError(t, err)
	assert.Equal(t, []string{"boolq", "cb"}, in.Topics, "byte order")
	assert.Equal(t, seeds.Topics, got.Topics)
	for _, topic := range in.Topics {
		sigma, ok := seeds.ByID[topic].Sigma()
		require.True(t, ok)
		assert.Equal(t, noise.Perturbation{Model: noise.Gaussian, Sigma: sigma}, in.Noise[topic])
	}
	require.Len(t, in.Runs, 1)
	assert.Equal(t, "mine", in.Runs[0].Tag)

	_, _, err = Noise(NoiseSpec{Spec: Spec{Collection: "recycling", TopicsFile: topics}, RunFiles: []string{run, twin}})
	assert.EqualError(t, err, twin+`: run tag "mine" is already used by `+run+"; the report names runs by tag")

	// Every topic of the qrels needs a σ for --epsilon noise.
	q, err := recycling(t).Qrels()
	require.NoError(t, err)
	require.NoError(t, Restrict(q, []string{"cb", "boolq"}, "list"))
	eps, err := EpsilonByTopic("recycling", q)
	require.NoError(t, err)
	sigmas, err := seeds.Sigmas()
	require.NoError(t, err)
	assert.Equal(t, map[string]float64{"cb": sigmas["cb"], "boolq": sigmas["boolq"]}, eps)
}

// A restriction that misses many topics names the first ten, quoted where
// they hold control characters, and counts the rest.
func TestRestrictClipsAndQuotesMissingTopics(t *testing.T) {
	q := &eval.Qrels{File: "q.qrels", ByID: map[string]*eval.TopicQrels{}}
	topics := []string{"\x1b[31mred"}
	for i := range 14 {
		topics = append(topics, fmt.Sprintf("t%02d", i))
	}
	assert.EqualError(t, Restrict(q, topics, "list"),
		`list: 15 listed topics have no judgments in q.qrels: "\x1b[31mred", t00, t01, t02, t03, t04, t05, t06, t07, t08 … and 5 more`)
}
