package testtree

import (
	"bytes"
	"encoding/csv"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// recyclingTable is the model table of the recycling sources.
const recyclingTable = "qrels/source/model-recycling/models_tested.csv"

// SmallSources writes, into a new temporary directory, a copy of
// qrels/source of the module root at root in which the recycling model
// table keeps only the rows of the named models and every every-th other
// row (the first data row is row 0), and returns the directory. The build
// of such a tree runs every step of the shipped build — the metadata
// baselines, fennec and the training of Model Spider with the shipped
// settings — on a few dozen models, in well under a second, so that tests
// can exercise the whole build without the cost of the shipped one.
func SmallSources(t testing.TB, root string, models []string, every int) string {
	t.Helper()
	require.Positive(t, every)
	dst := t.TempDir()
	err := copyDir(root, filepath.Join("qrels", "source"), dst, func(rel string, data []byte) []byte {
		if rel == recyclingTable {
			return keepRows(t, data, models, every)
		}
		return data
	})
	require.NoError(t, err)
	return dst
}

// keepRows filters a CSV table as SmallSources says; the first column is
// the model name.
func keepRows(t testing.TB, data []byte, models []string, every int) []byte {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	require.NoError(t, err)
	require.NotEmpty(t, rows)
	kept := [][]string{rows[0]}
	for i, r := range rows[1:] {
		if i%every == 0 || slices.Contains(models, r[0]) {
			kept = append(kept, r)
		}
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	require.NoError(t, w.WriteAll(kept))
	return b.Bytes()
}
