package measure_test

import (
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
	"github.com/ntcir-pmr/mreval/internal/testtree"
)

const vectors = "../../testdata/conformance/scorer"

// trec_eval's own output, byte for byte, is pinned in eval/report
// (TestTrecEvalByteIdentity, TestTrecEvalExtra).

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
			q, run := testtree.ReadCase(t, base)
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
			q, run := testtree.ReadCase(t, base)
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
