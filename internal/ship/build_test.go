package ship

import (
	"bufio"
	"bytes"
	"flag"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/baselines/metadata"
	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/collection"
	"github.com/ntcir-pmr/mreval/eval/zoo"
	"github.com/ntcir-pmr/mreval/internal/testtree"
)

// root is the module root, seen from the package directory.
const root = "../.."

var (
	buildOnce sync.Once
	buildOut  *Output
	buildErr  error

	smallOnce sync.Once
	smallOut  *Output
	smallErr  error
)

// withoutRecyclingRuns stands in for the step that trains and runs the
// recycling baselines.
func withoutRecyclingRuns(*zoo.Data) ([]File, []string, error) { return nil, nil, nil }

// built returns the output of Build on the real sources, made once, less
// runs/recycling: every shipped file but those. The baselines on the real
// sources, Model Spider's training above all, are the work of `mreval
// collection check` in CI; here they run on smallSources.
func built(t *testing.T) *Output {
	t.Helper()
	buildOnce.Do(func() { buildOut, buildErr = build(root, withoutRecyclingRuns) })
	require.NoError(t, buildErr)
	return buildOut
}

// smallEvery keeps every smallEvery-th row of the recycling model table
// (plus the probes) in smallSources: 13 of the 1,266 pool models (the
// other rows kept are not evaluated on every dataset).
const smallEvery = 150

// smallSources returns a new tree holding the sources with a cut-down
// recycling model table (testtree.SmallSources).
func smallSources(t *testing.T) string {
	return testtree.SmallSources(t, root, metadata.DefaultProbes, smallEvery)
}

// smallBuilt returns the output of the complete Build, recycling runs
// included, on smallSources, made once; the sources are the same at every
// call, so is the output.
func smallBuilt(t *testing.T) *Output {
	t.Helper()
	smallOnce.Do(func() { smallOut, smallErr = Build(smallSources(t)) })
	require.NoError(t, smallErr)
	return smallOut
}

func builtFile(t *testing.T, rel string) []byte {
	t.Helper()
	f := built(t).File(rel)
	require.NotNil(t, f, rel)
	return f.Data
}

func lines(b []byte) []string {
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

func TestBuildFiles(t *testing.T) {
	var paths []string
	for _, f := range smallBuilt(t).Files {
		if !strings.Contains(f.Path, "subtask-b-sample") { // see TestSampleFiles
			paths = append(paths, f.Path)
		}
	}
	assert.Equal(t, []string{
		"qrels/recycling.qrels", "qrels/recycling.train.topics", "qrels/recycling.test.topics",
		"qrels/recycling.pool", "qrels/recycling.models.tsv", "qrels/recycling.seeds.tsv",
		"qrels/recycling.topics.tsv", "qrels/modelspider-single.qrels", "qrels/modelspider-multi.qrels",
		"runs/recycling/prior.run", "runs/recycling/mnli-lp.run", "runs/recycling/random.run",
		"runs/recycling/arch-prior.run", "runs/recycling/name-match.run", "runs/recycling/probe-knn.run",
		"runs/recycling/fennec.run", "runs/recycling/modelspider.run",
		"runs/modelspider-single/hscore.run", "runs/modelspider-single/leep.run",
		"runs/modelspider-single/logme.run", "runs/modelspider-single/nce.run",
		"runs/modelspider-single/nleep.run", "runs/modelspider-single/otce.run",
		"runs/modelspider-single/pactran.run", "runs/modelspider-single/gbc.run",
		"runs/modelspider-single/lfc.run", "qrels/SHA256SUMS", "runs/SHA256SUMS",
	}, paths)
}

func TestRecyclingCounts(t *testing.T) {
	pool := lines(builtFile(t, "qrels/recycling.pool"))
	assert.Len(t, pool, 1266)
	train := lines(builtFile(t, "qrels/recycling.train.topics"))
	test := lines(builtFile(t, "qrels/recycling.test.topics"))
	assert.Len(t, train, 24)
	assert.Equal(t, []string{"ag_news", "boolq", "cb", "financial_phrasebank", "poem_sentiment",
		"rotten_tomatoes", "rte", "sst_5bins", "trec_fine", "tweet_ev_hate", "tweet_ev_irony", "yahoo_answers"}, test)
	for _, tr := range train {
		assert.NotContains(t, test, tr)
	}

	qb := builtFile(t, "qrels/recycling.qrels")
	assert.Len(t, lines(qb), 45576)
	q := testtree.ParseQrels(t, "recycling.qrels", string(qb))
	assert.Len(t, q.Topics, 36)
	for _, topic := range q.Topics {
		assert.Equal(t, pool, q.ByID[topic].Docs, "topic %s lists the pool in pool order", topic)
	}
	assert.ElementsMatch(t, append(append([]string{}, train...), test...), q.Topics)

	assert.Len(t, lines(builtFile(t, "qrels/recycling.models.tsv")), 1+1266)
	assert.Len(t, lines(builtFile(t, "qrels/recycling.topics.tsv")), 1+36)
	// 6 base models × 36 datasets × 20 seeds, less 6 empty stsb cells.
	assert.Len(t, lines(builtFile(t, "qrels/recycling.seeds.tsv")), 1+6*36*20-6)
}

func mustFloat(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	require.NoError(t, err)
	return v
}

// grepLine returns the single line of b starting with prefix.
func grepLine(t *testing.T, b []byte, prefix string) string {
	t.Helper()
	var found []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), prefix) {
			found = append(found, sc.Text())
		}
	}
	require.Len(t, found, 1, "lines starting with %q", prefix)
	return found[0]
}

// Values checked by hand against qrels/source/model-recycling/models_tested.csv.
func TestRecyclingSpotValues(t *testing.T) {
	qb := builtFile(t, "qrels/recycling.qrels")
	tests := []struct{ topic, model, want string }{
		// line 2, first full row: cola 0.8341323106423778, anli 0.501875
		{"cola", "deepset/roberta-base-squad2-covid", "83.41323106423778"},
		{"anli", "deepset/roberta-base-squad2-covid", "50.1875"},
		{"ag_news", "deepset/roberta-base-squad2-covid", "90.13333333333332"},
		// the one negative value of the table (a Spearman correlation)
		{"stsb", "nbtpj/biobert-for-collection-rank-enhance-mas", "-1.32328307689953"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.topic+" 0 "+tc.model+" "+tc.want, grepLine(t, qb, tc.topic+" 0 "+tc.model+" "))
	}

	mb := builtFile(t, "qrels/recycling.models.tsv")
	assert.Equal(t, "model_id\tbase_model\tparams\tlayers\tmodel_type\ttokenizer\tmnli_lp", lines(mb)[0])
	assert.Equal(t, "deepset/roberta-base-squad2-covid\troberta-base\t124647170.0\t12.0\troberta\tdeepset/roberta-base-squad2-covid\t0.5617371847030106",
		lines(mb)[1])
	// A name listed twice keeps its first row, whose mnli_lp is 0.0 (the
	// second row, line 2566, says 0.8486574450772986).
	assert.True(t, strings.HasSuffix(grepLine(t, mb, "johannes5117/kadoa-page-extraction\t"), "\t0.0"))

	sb := builtFile(t, "qrels/recycling.seeds.tsv")
	// models_results_roberta_base_pretrain.csv, row 0: cola 0.8322147651006712, stage 0;
	// row 3: stsb spearmanr 0.9001032591608098.
	assert.Equal(t, "cola\troberta-base\t0\t83.22147651006712", grepLine(t, sb, "cola\troberta-base\t0\t"))
	assert.Equal(t, "stsb\troberta-base\t0\t90.01032591608098", grepLine(t, sb, "stsb\troberta-base\t0\t"))
	assert.NotContains(t, string(sb), "stsb\tt5-base\t3\t", "the empty stsb cell of t5-base, stage 3 is skipped")

	tb := builtFile(t, "qrels/recycling.topics.tsv")
	assert.Equal(t, "id\tname\tdescription", lines(tb)[0])
	assert.True(t, strings.HasPrefix(lines(tb)[1], "20_newsgroup\t20 Newsgroups\t"))
}

func TestModelSpider(t *testing.T) {
	single := builtFile(t, "qrels/modelspider-single.qrels")
	multi := builtFile(t, "qrels/modelspider-multi.qrels")
	assert.Len(t, lines(single), 100)
	assert.Len(t, lines(multi), 294)
	// Values copied as written (finetune_single.csv lines 2 and 100).
	assert.Equal(t, "Aircraft 0 googlenet 82.699997", lines(single)[0])
	assert.Equal(t, "dSprites 0 mnasnet1_0 -0.035", lines(single)[99])
	assert.Equal(t, "UTKFace 0 inception_v3 -382.300995", grepLine(t, single, "UTKFace 0 inception_v3 "))
	assert.Equal(t, "AID 0 FTD_densenet201_AID 97.55", lines(multi)[0])

	// PACTran ties at -0.0434 on Aircraft are ordered by docno descending.
	pac := lines(builtFile(t, "runs/modelspider-single/pactran.run"))
	assert.Equal(t, []string{
		"Aircraft Q0 resnet50 1 -0.0434 pactran",
		"Aircraft Q0 resnet152 2 -0.0434 pactran",
		"Aircraft Q0 resnet101 3 -0.0434 pactran",
		"Aircraft Q0 densenet201 4 -0.0434 pactran",
		"Aircraft Q0 densenet121 5 -0.0435 pactran",
	}, pac[:5])
	assert.Len(t, pac, 80)
	// H-Score, SUN397: resnet152 85.7937 is the largest, densenet201 73.9228 fifth.
	hs := builtFile(t, "runs/modelspider-single/hscore.run")
	assert.Equal(t, "SUN397 Q0 resnet152 1 85.7937 hscore", grepLine(t, hs, "SUN397 Q0 resnet152 "))
	assert.Equal(t, "SUN397 Q0 densenet201 5 73.9228 hscore", grepLine(t, hs, "SUN397 Q0 densenet201 "))
	// GBC, SUN397: googlenet -581410.45 is last, mnasnet1_0 -481919.2588 ninth.
	gbc := builtFile(t, "runs/modelspider-single/gbc.run")
	assert.Equal(t, "SUN397 Q0 mnasnet1_0 9 -481919.2588 gbc", grepLine(t, gbc, "SUN397 Q0 mnasnet1_0 "))
	assert.Equal(t, "SUN397 Q0 googlenet 10 -581410.45 gbc", grepLine(t, gbc, "SUN397 Q0 googlenet "))
}

func TestReferenceRuns(t *testing.T) {
	out := smallBuilt(t)
	pool := lines(out.File("qrels/recycling.pool").Data)
	require.Len(t, pool, 13)
	for _, name := range BaselineNames() {
		f := out.File("runs/recycling/" + name + ".run")
		require.NotNil(t, f, name)
		run := testtree.ParseRun(t, name, string(f.Data))
		assert.Equal(t, name, run.Tag)
		assert.Len(t, run.Topics, 12, name)
		for _, topic := range run.Topics {
			assert.Len(t, run.ByID[topic].Entries, len(pool), "%s %s", name, topic)
		}
	}
	notes := strings.Join(out.Notes, "\n")
	assert.Contains(t, notes, "probe-knn: k = ")
	assert.Contains(t, notes, "fennec: ")
	assert.Contains(t, notes, "modelspider: trained on the train topics with the shipped configuration, seed 0")

	// On the real sources: prior of deepset/roberta-base-squad2-covid, the
	// mean of its 24 train-topic accuracies, checked against an independent
	// computation in Python.
	d := builtData(t)
	run, note, err := BaselineRun(d, "prior", "prior", ShippedParams())
	require.NoError(t, err)
	assert.Empty(t, note)
	e := run.ByID["ag_news"].Entries
	i := slices.IndexFunc(e, func(e eval.Entry) bool { return e.Doc == "deepset/roberta-base-squad2-covid" })
	require.GreaterOrEqual(t, i, 0)
	assert.InDelta(t, 76.43553123457671, e[i].Score, 1e-12)

	notes = strings.Join(built(t).Notes, "\n")
	assert.Contains(t, notes, "skipped 6 empty metric cell(s)")
	assert.Contains(t, notes, "7 repeated model names kept at their first row")
}

// builtData reads the recycling collection of built(t) as the baselines
// see it.
func builtData(t *testing.T) *zoo.Data {
	t.Helper()
	mem := fstest.MapFS{}
	for _, f := range built(t).Files {
		mem[f.Path] = &fstest.MapFile{Data: f.Data}
	}
	c, err := collection.InFS("recycling", root, mem)
	require.NoError(t, err)
	d, err := c.BaselineData()
	require.NoError(t, err)
	return d
}

func TestBaselineRunErrors(t *testing.T) {
	_, _, err := BaselineRun(builtData(t), "oracle", "x", ShippedParams())
	assert.EqualError(t, err, `unknown baseline "oracle" (known: prior, mnli-lp, random, arch-prior, name-match, probe-knn, fennec, modelspider)`)
	p := ShippedParams()
	p.Probes[0] = "changed"
	assert.Equal(t, metadata.DefaultProbes, ShippedParams().Probes, "ShippedParams returns a copy")
	names := BaselineNames()
	names[0] = "changed"
	assert.Equal(t, "prior", BaselineNames()[0], "BaselineNames returns a copy")
}

func TestSHA256SUMS(t *testing.T) {
	q := string(builtFile(t, "qrels/SHA256SUMS"))
	assert.Contains(t, q, "  recycling.qrels\n")
	assert.Contains(t, q, "  source/model-recycling/models_tested.csv\n")
	assert.NotContains(t, q, "source/README")
	r := string(smallBuilt(t).File("runs/SHA256SUMS").Data)
	var runSums []string // the sample's runs are counted in TestSampleFiles
	for _, l := range lines([]byte(r)) {
		if !strings.Contains(l, "subtask-b-sample/") {
			runSums = append(runSums, l)
		}
	}
	assert.Len(t, runSums, 17)
	assert.Contains(t, r, "  recycling/prior.run\n")
}

var update = flag.Bool("update", false, "rewrite testdata/small.SHA256SUMS")

// TestSmallBuildPinned pins every file the build makes from smallSources
// by its SHA-256: a change of any baseline's output, even in the last
// digit of one score, shows here at unit-test cost, before `collection
// check` finds it on the shipped files. Regenerate (after a deliberate
// change) with -update.
func TestSmallBuildPinned(t *testing.T) {
	var sums []File
	for _, f := range smallBuilt(t).Files {
		if !strings.HasSuffix(f.Path, "SHA256SUMS") {
			sums = append(sums, f)
		}
	}
	got := sha256sums(sums)
	const golden = "testdata/small.SHA256SUMS"
	if *update {
		require.NoError(t, os.WriteFile(golden, got, 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got), "the build of the small sources changed; if on purpose: go test ./internal/ship -run TestSmallBuildPinned -update")
}
