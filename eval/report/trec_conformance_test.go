package report_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/measure"
	"github.com/ntcir-pmr/mreval/eval/report"
	"github.com/ntcir-pmr/mreval/internal/testtree"
)

// These tests pin `mreval eval` in trec_eval's output format, byte for byte,
// on the conformance vectors made with trec_eval 9.0.8: the measures of
// eval/measure printed by report.WriteTrec. (They live here rather than in
// eval/measure so that the measure tests do not link the report package.)

const trecVectors = "../../testdata/conformance/scorer"

// The command line that made the trec/ vectors (see their README).
var trecVectorMeasures = []string{"ndcg", "ndcg_cut.1,3,5,10", "P.1,5", "recip_rank", "num_q", "num_ret", "num_rel"}

func TestTrecEvalByteIdentity(t *testing.T) {
	cases, err := filepath.Glob(filepath.Join(trecVectors, "trec", "*.qrels"))
	require.NoError(t, err)
	require.Len(t, cases, 40)
	ms, err := measure.ParseAll(trecVectorMeasures)
	require.NoError(t, err)
	for _, qrelsPath := range cases {
		base := strings.TrimSuffix(qrelsPath, ".qrels")
		for _, complete := range []bool{false, true} {
			want := base + ".expected"
			if complete {
				want += "_c"
			}
			t.Run(filepath.Base(want), func(t *testing.T) {
				q, run := testtree.ReadCase(t, base)
				assertTrecOutput(t, want, q, run, measure.Config{Measures: ms, Complete: complete})
			})
		}
	}
}

// assertTrecOutput scores run as `trec_eval -q` would print it and compares
// the bytes with the file expectedPath.
func assertTrecOutput(t *testing.T, expectedPath string, q *eval.Qrels, run *eval.Run, cfg measure.Config) {
	t.Helper()
	res := measure.Evaluate(q, run, cfg)
	var got bytes.Buffer
	require.NoError(t, report.WriteTrec(&got, []*measure.Result{res}, report.EvalOptions{PerTopic: true}))
	expected, err := os.ReadFile(expectedPath)
	require.NoError(t, err)
	assert.Equal(t, string(expected), got.String())
}

// TestTrecEvalExtra checks cases made by scripts/make_trec_extra.py with
// trec_eval 9.0.8 itself: the measures the shipped vectors lack (map,
// Rprec, recall, num_rel_ret), float32-only score ties, docno-prefix ties,
// negative judgments, -c and -l 2.
func TestTrecEvalExtra(t *testing.T) {
	cases, err := filepath.Glob("../../testdata/trec_extra/*.qrels")
	require.NoError(t, err)
	require.Len(t, cases, 30)
	ms, err := measure.ParseAll([]string{"num_q", "num_ret", "num_rel", "num_rel_ret", "map", "Rprec",
		"recip_rank", "P.1,2,5,10,30", "recall.5,10,100", "ndcg", "ndcg_cut.3,10,20"})
	require.NoError(t, err)
	variants := []struct {
		suffix   string
		complete bool
		level    int64
	}{{"expected", false, 1}, {"expected_c", true, 1}, {"expected_l2", false, 2}}
	for _, qrelsPath := range cases {
		base := strings.TrimSuffix(qrelsPath, ".qrels")
		for _, v := range variants {
			t.Run(filepath.Base(base)+"."+v.suffix, func(t *testing.T) {
				q, run := testtree.ReadCase(t, base)
				opts := measure.DefaultOptions()
				opts.RelevanceLevel = v.level
				assertTrecOutput(t, base+"."+v.suffix, q, run, measure.Config{Measures: ms, Complete: v.complete, Options: opts})
			})
		}
	}
}
