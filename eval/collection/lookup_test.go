package collection

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval/zoo"
)

// root is the module root, seen from the package directory.
const root = "../.."

func TestLookupIn(t *testing.T) {
	c, err := LookupIn(root, "recycling")
	require.NoError(t, err)
	abs, _ := filepath.Abs(root)
	assert.Equal(t, abs, c.Root)
	assert.Equal(t, filepath.Join(abs, "qrels", "recycling.qrels"), c.Path(c.QrelsFile))

	q, err := c.Qrels()
	require.NoError(t, err)
	assert.Len(t, q.Topics, 36)
	train, err := c.TrainTopics()
	require.NoError(t, err)
	assert.Len(t, train, 24)
	test, err := c.TestTopics()
	require.NoError(t, err)
	assert.Len(t, test, 12)
	pool, err := c.Pool()
	require.NoError(t, err)
	assert.Len(t, pool, 1266)
	models, err := c.Models()
	require.NoError(t, err)
	require.Len(t, models, 1266)
	assert.Equal(t, zoo.Model{ID: "deepset/roberta-base-squad2-covid", BaseModel: "roberta-base", Params: "124647170.0",
		Layers: "12.0", ModelType: "roberta", Tokenizer: "deepset/roberta-base-squad2-covid", MNLILP: "0.5617371847030106"}, models[0])
	topics, err := c.Topics()
	require.NoError(t, err)
	assert.Len(t, topics, 36)
	runs, err := c.RunFiles()
	require.NoError(t, err)
	assert.Equal(t, []string{"runs/recycling/arch-prior.run", "runs/recycling/fennec.run", "runs/recycling/mnli-lp.run", "runs/recycling/modelspider.run",
		"runs/recycling/name-match.run", "runs/recycling/prior.run", "runs/recycling/probe-knn.run", "runs/recycling/random.run"}, runs)
	run, err := c.ReadRun(runs[0])
	require.NoError(t, err)
	assert.Equal(t, "arch-prior", run.Tag)

	d, err := c.BaselineData()
	require.NoError(t, err)
	assert.Equal(t, "roberta-base", d.Base["deepset/roberta-base-squad2-covid"])
	assert.Equal(t, 0.5617371847030106, d.MNLILP["deepset/roberta-base-squad2-covid"])
	assert.Len(t, d.Descriptions, 36)
}

func TestLookupModelSpider(t *testing.T) {
	c, err := LookupIn(root, "modelspider-single")
	require.NoError(t, err)
	train, err := c.TrainTopics()
	require.NoError(t, err)
	assert.Nil(t, train, "no split")
	test, err := c.TestTopics()
	require.NoError(t, err)
	assert.Equal(t, []string{"Aircraft", "CIFAR10", "CIFAR100", "Caltech101", "Cars", "DTD", "Pet", "SUN397", "UTKFace", "dSprites"}, test)
	pool, err := c.Pool()
	require.NoError(t, err)
	assert.Equal(t, []string{"googlenet", "inception_v3", "resnet50", "resnet101", "resnet152", "densenet121",
		"densenet169", "densenet201", "mobilenet_v2", "mnasnet1_0"}, pool)
	runs, err := c.RunFiles()
	require.NoError(t, err)
	assert.Len(t, runs, 9)
	_, err = c.BaselineData()
	assert.ErrorContains(t, err, "no train/test split")

	m, err := LookupIn(root, "modelspider-multi")
	require.NoError(t, err)
	pool, err = m.Pool()
	require.NoError(t, err)
	assert.Len(t, pool, 42)
	runs, err = m.RunFiles()
	require.NoError(t, err)
	assert.Empty(t, runs)
}

func TestEmbeddedMatchesTree(t *testing.T) {
	for _, name := range Names() {
		e, err := Embedded(name)
		require.NoError(t, err, name)
		assert.Equal(t, "", e.Root)
		assert.Equal(t, "embedded:"+e.QrelsFile, e.Path(e.QrelsFile))
		c, err := LookupIn(root, name)
		require.NoError(t, err)
		eb, err := e.ReadFile(e.QrelsFile)
		require.NoError(t, err)
		cb, err := c.ReadFile(c.QrelsFile)
		require.NoError(t, err)
		assert.Equal(t, cb, eb, "embedded %s qrels equal the tree's (rebuild the test binary after `collection build`)", name)
	}
}

func TestLookupResolution(t *testing.T) {
	abs, err := filepath.Abs(root)
	require.NoError(t, err)
	// Outside a working tree, Lookup falls back to the embedded copy.
	t.Chdir(t.TempDir())
	c, err := Lookup("recycling")
	require.NoError(t, err)
	assert.Equal(t, "", c.Root)
	pool, err := c.Pool()
	require.NoError(t, err)
	assert.Len(t, pool, 1266)

	// In a working tree, Lookup reads its files.
	t.Chdir(abs)
	c, err = Lookup("recycling")
	require.NoError(t, err)
	assert.Equal(t, abs, c.Root)

	_, err = Lookup("nope")
	assert.ErrorContains(t, err, `unknown collection "nope" (known: recycling, modelspider-single, modelspider-multi, subtask-b-sample)`)
	_, err = LookupIn(t.TempDir(), "recycling")
	assert.ErrorContains(t, err, "recycling.qrels")
	_, err = c.ReadFile("qrels/none.txt")
	assert.ErrorIs(t, err, os.ErrNotExist)
}
