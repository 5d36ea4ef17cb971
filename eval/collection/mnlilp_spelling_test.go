package collection

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/internal/testtree"
)

// TestBaselineDataMNLILPSyntax pins that an mnli_lp value of a models table
// is read with the number syntax of runs and qrels: strconv.ParseFloat took
// nan as a score and 1_0 as 10, which put the model first in the mnli-lp run.
func TestBaselineDataMNLILPSyntax(t *testing.T) {
	tree := testtree.CopyCollections(t, root)
	models := filepath.Join(tree, "qrels", "recycling.models.tsv")
	orig, err := os.ReadFile(models)
	require.NoError(t, err)
	const first = "\t0.5617371847030106\n" // mnli_lp of deepset/roberta-base-squad2-covid, line 2
	require.Contains(t, string(orig), first)
	for _, value := range []string{"nan", "1_0", "0x1p-1", "inf"} {
		require.NoError(t, os.WriteFile(models, []byte(strings.Replace(string(orig), first, "\t"+value+"\n", 1)), 0o644))
		c, err := LookupIn(tree, "recycling")
		require.NoError(t, err)
		_, err = c.BaselineData()
		assert.EqualError(t, err, `models: mnli_lp "`+value+`" of deepset/roberta-base-squad2-covid is not a finite number`, value)
	}
}
