package ship

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// smallTree writes the output of smallBuilt into a copy of smallSources:
// a tree that is exactly what `mreval collection build` makes from its
// sources.
func smallTree(t *testing.T) string {
	tree := smallSources(t)
	changed, err := WriteFiles(tree, smallBuilt(t).Files)
	require.NoError(t, err)
	require.Len(t, changed, len(smallBuilt(t).Files))
	return tree
}

// TestCheckCleanTree compares a tree with the build it was written from
// (TestCheckFindsDrift runs Check itself, rebuild included).
func TestCheckCleanTree(t *testing.T) {
	probs, err := compare(smallTree(t), smallBuilt(t))
	require.NoError(t, err)
	assert.Empty(t, probs)
}

func TestCheckFindsDrift(t *testing.T) {
	tree := smallTree(t)
	edit := func(rel, old, new string) {
		p := filepath.Join(tree, filepath.FromSlash(rel))
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		require.Contains(t, string(b), old)
		require.NoError(t, os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o644))
	}
	// A hand-edited run score.
	prior := lines(smallBuilt(t).File("runs/recycling/prior.run").Data)[0]
	f := strings.Fields(prior)
	f[4] += "1"
	altered := strings.Join(f, " ")
	edit("runs/recycling/prior.run", prior, altered)
	// A deleted file.
	require.NoError(t, os.Remove(filepath.Join(tree, "qrels", "recycling.pool")))
	// A run nobody built.
	require.NoError(t, os.WriteFile(filepath.Join(tree, "runs", "recycling", "mine.run"), []byte("ag_news Q0 x 1 1 mine\n"), 0o644))
	// A changed source table.
	edit("qrels/source/model-spider/finetune_multi.csv", "STL10,FTD_densenet201_AID,92.38,accuracy", "STL10,FTD_densenet201_AID,92.39,accuracy")

	probs, err := Check(tree)
	require.NoError(t, err)
	got := map[string][]string{}
	for _, p := range probs {
		got[p.Path] = append(got[p.Path], p.Msg)
	}
	assert.Len(t, got, 6, "problems: %v", probs)
	require.Contains(t, got, "runs/recycling/prior.run")
	assert.Equal(t, []string{
		fmt.Sprintf("differs from a fresh build at line 1: has %q, build makes %q", altered, prior),
	}, got["runs/recycling/prior.run"][:1])
	assert.Contains(t, got["runs/recycling/prior.run"][1], "does not match runs/SHA256SUMS")
	assert.Contains(t, got["qrels/recycling.pool"][0], "missing")
	assert.Contains(t, got["qrels/recycling.pool"][1], "listed in qrels/SHA256SUMS but unreadable: no such file or directory")
	assert.Contains(t, got["runs/recycling/mine.run"][0], "not made by `mreval collection build`")
	assert.Contains(t, got["qrels/source/model-spider/finetune_multi.csv"][0], "does not match qrels/SHA256SUMS")
	assert.Contains(t, got["qrels/modelspider-multi.qrels"][0], `has "STL10 0 FTD_densenet201_AID 92.38", build makes "STL10 0 FTD_densenet201_AID 92.39"`)
	assert.Contains(t, got["qrels/SHA256SUMS"][0], "differs from a fresh build")
}

func TestWriteFilesSkipsUnchanged(t *testing.T) {
	dir := t.TempDir()
	files := []File{{Path: "a/x.txt", Data: []byte("x\n")}, {Path: "y.txt", Data: []byte("y\n")}}
	changed, err := WriteFiles(dir, files)
	require.NoError(t, err)
	assert.Equal(t, []string{"a/x.txt", "y.txt"}, changed)
	files[1].Data = []byte("why\n")
	changed, err = WriteFiles(dir, files)
	require.NoError(t, err)
	assert.Equal(t, []string{"y.txt"}, changed)
	b, err := os.ReadFile(filepath.Join(dir, "y.txt"))
	require.NoError(t, err)
	assert.Equal(t, "why\n", string(b))
}
