package measure_test

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/measure"
	"github.com/ntcir-pmr/mreval/eval/report"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
)

const vectors = "../../testdata/conformance/scorer"

// The command line that made the trec/ vectors (see their README).
var trecVectorMeasures = []string{"ndcg", "ndcg_cut.1,3,5,10", "P.1,5", "recip_rank", "num_q", "num_ret", "num_rel"}

func TestTrecEvalByteIdentity(t *testing.T) {
	cases, err := filepath.Glob(filepath.Join(vectors, "trec", "*.qrels"))
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
				q, run := loadCase(t, base)
				assertTrecOutput(t, want, q, run, measure.Config{Measures: ms, Complete: complete})
			})
		}
	}
}

// loadCase reads BASE.qrels and BASE.run of a conformance case.
func loadCase(t *testing.T, base string) (*eval.Qrels, *eval.Run) {
	t.Helper()
	q, err := trecfmt.ReadQrelsFile(base+".qrels", trecfmt.DefaultLimits)
	require.NoError(t, err)
	run, err := trecfmt.ReadRunFile(base+".run", trecfmt.DefaultLimits)
	require.NoError(t, err)
	return q, run
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

type floatCase struct {
	TopicsInRun []string                       `json:"topics_in_run"`
	PerTopic    map[string]map[string]*float64 `json:"per_topic"`
}

func TestFloatVectors(t *testing.T) {
	cases, err := filepath.Glob(filepath.Join(vectors, "float", "*.expected.json"))
	require.NoError(t, err)
	require.Len(t, cases, 30)
	for _, path := range cases {
		base := strings.TrimSuffix(path, ".expected.json")
		t.Run(filepath.Base(base), func(t *testing.T) {
			var want floatCase
			raw, err := os.ReadFile(path)
			require.NoError(t, err)
			require.NoError(t, json.Unmarshal(raw, &want))
			q, run := loadCase(t, base)
			assert.Equal(t, want.TopicsInRun, run.Topics)
			checkPerTopic(t, q, run, want.PerTopic, nil)
		})
	}
}

// checkPerTopic scores every measure named in want with -c and compares
// each topic's value within 1e-9 (null = undefined), with no list of
// accepted differences.
func checkPerTopic(t *testing.T, q *eval.Qrels, run *eval.Run, want map[string]map[string]*float64, opts *measure.Options) {
	t.Helper()
	var names []string
	for _, vals := range want {
		for name := range vals {
			names = append(names, name)
		}
		break
	}
	ms, err := measure.ParseAll(names)
	require.NoError(t, err)
	res := measure.Evaluate(q, run, measure.Config{Measures: ms, Complete: true, Options: opts})
	require.Len(t, res.Topics, len(want))
	for i, topic := range res.Topics {
		for c, col := range res.Columns {
			exp, ok := want[topic][col.Name]
			require.True(t, ok, "measure %s missing from vector", col.Name)
			got := res.PerTopic[i][c]
			if exp == nil {
				assert.True(t, math.IsNaN(got), "%s %s: want null, got %v", topic, col.Name, got)
				continue
			}
			assert.InDelta(t, *exp, got, 1e-9, "%s %s", topic, col.Name)
		}
	}
}

func TestNTCIRVectors(t *testing.T) {
	cases, err := filepath.Glob(filepath.Join(vectors, "ntcir", "*.expected.json"))
	require.NoError(t, err)
	require.Len(t, cases, 25)
	for _, path := range cases {
		base := strings.TrimSuffix(path, ".expected.json")
		t.Run(filepath.Base(base), func(t *testing.T) {
			var want floatCase
			raw, err := os.ReadFile(path)
			require.NoError(t, err)
			require.NoError(t, json.Unmarshal(raw, &want))
			q, run := loadCase(t, base)
			// pyNTCIREVAL was run with the PMR scale -g 1:2:3 (maxGain 3),
			// also on cases whose judgments stop at level 2.
			opts := measure.DefaultOptions()
			opts.MaxLevel = 3
			checkPerTopic(t, q, run, want.PerTopic, opts)
			// The vectors' p@k is NTCIREVAL's precision, which mreval
			// names prec@k (p@k is trec_eval's P); both must match.
			for _, vals := range want.PerTopic {
				for name, v := range vals {
					if k, ok := strings.CutPrefix(name, "p@"); ok {
						vals["prec@"+k] = v
					}
				}
			}
			checkPerTopic(t, q, run, want.PerTopic, opts)
		})
	}
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
				q, run := loadCase(t, base)
				opts := measure.DefaultOptions()
				opts.RelevanceLevel = v.level
				assertTrecOutput(t, base+"."+v.suffix, q, run, measure.Config{Measures: ms, Complete: v.complete, Options: opts})
			})
		}
	}
}
