package fusion

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/ntcir-pmr/mreval/internal/testtree"
)

// copelandOracle is the original O(R·n²) Copeland, kept as the reference
// the fast computation must reproduce exactly.
func copelandOracle(runs []*eval.Run, tag string) (*eval.Run, error) {
	return fuse(runs, tag, func(in topicInputs) (map[string]float64, error) {
		n := len(in.docs)
		rank := make([][]float64, 0, len(in.lists))
		for _, l := range in.lists {
			if l == nil {
				continue
			}
			rk := make([]float64, n)
			for i, d := range in.docs {
				if v, ok := l.rank[d]; ok {
					rk[i] = v
				} else {
					rk[i] = float64(n + 1)
				}
			}
			rank = append(rank, rk)
		}
		score := make([]int, n)
		for a := 0; a < n; a++ {
			for b := a + 1; b < n; b++ {
				pref := 0
				for _, rk := range rank {
					switch {
					case rk[a] < rk[b]:
						pref++
					case rk[b] < rk[a]:
						pref--
					}
				}
				switch {
				case pref > 0:
					score[a]++
					score[b]--
				case pref < 0:
					score[a]--
					score[b]++
				}
			}
		}
		out := make(map[string]float64, n)
		for i, d := range in.docs {
			out[d] = float64(score[i])
		}
		return out, nil
	})
}

// randomRuns makes nRuns runs over topics drawn from a few, each
// retrieving a random subset of a small doc pool with scores from a few
// values (many ties), so that missing topics, unretrieved docs and tied
// ranks all occur.
func randomRuns(rng *rand.Rand, nRuns int) []*eval.Run {
	runs := make([]*eval.Run, nRuns)
	for r := range runs {
		scores := map[string]map[string]float64{}
		for t := 0; t < 3; t++ {
			if rng.IntN(4) == 0 {
				continue // the run lacks this topic
			}
			s := map[string]float64{}
			pool, levels := 1+rng.IntN(30), 1+rng.IntN(8)
			for d := 0; d < pool; d++ {
				if rng.IntN(3) > 0 {
					s[fmt.Sprintf("d%02d", d)] = float64(rng.IntN(levels))
				}
			}
			if len(s) > 0 {
				scores[fmt.Sprint("t", t)] = s
			}
		}
		if len(scores) == 0 {
			scores["t0"] = map[string]float64{"d00": 1}
		}
		runs[r] = trecfmt.NewRun(fmt.Sprint("r", r), scores)
	}
	return runs
}

// The sorted computation (one or two runs) and the pairwise one (three or
// more) write byte for byte the run the original implementation wrote.
func TestCopelandMatchesThePairwiseOracle(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 4))
	for trial := 0; trial < 600; trial++ {
		runs := randomRuns(rng, 1+trial%5)
		want, err := copelandOracle(runs, "c")
		require.NoError(t, err)
		got, err := Copeland(runs, "c")
		require.NoError(t, err)
		require.Equal(t, string(testtree.RunBytes(t, want)), string(testtree.RunBytes(t, got)), "trial %d, %d runs", trial, len(runs))
	}
}

// Two runs that disagree everywhere except on d1: d1 beats everyone, the
// others tie pairwise (one vote each way), so d1 scores 3 and each other
// doc −1.
func TestCopelandTwoRunsByHand(t *testing.T) {
	runs := []*eval.Run{
		trecfmt.NewRun("x", map[string]map[string]float64{"t": {"d1": 9, "a": 3, "b": 2, "c": 1}}),
		trecfmt.NewRun("y", map[string]map[string]float64{"t": {"d1": 9, "c": 3, "b": 2, "a": 1}}),
	}
	r, err := Copeland(runs, "c")
	require.NoError(t, err)
	assert.Equal(t, map[string]float64{"d1": 3, "a": -1, "b": -1, "c": -1}, scoresOf(t, r, "t"))
}

// Three or more runs need every pair: a topic above the document limit is
// refused by name, with the limit; one or two runs are never limited.
func TestCopelandDocumentLimit(t *testing.T) {
	big := map[string]float64{}
	for d := 0; d < 6; d++ {
		big[fmt.Sprint("d", d)] = float64(d)
	}
	mk := func(tag string) *eval.Run {
		return trecfmt.NewRun(tag, map[string]map[string]float64{"small": {"a": 1}, "big": big})
	}
	_, err := CopelandMaxDocs([]*eval.Run{mk("x"), mk("y"), mk("z")}, "c", 5)
	assert.EqualError(t, err, "topic big: copeland over 3 runs compares every pair of documents: the topic has 6 documents, above the limit of 5 (--copeland-max-docs)")
	r, err := CopelandMaxDocs([]*eval.Run{mk("x"), mk("y")}, "c", 5)
	require.NoError(t, err)
	assert.Equal(t, 5.0, scoresOf(t, r, "big")["d5"])
	r, err = CopelandMaxDocs([]*eval.Run{mk("x"), mk("y"), mk("z")}, "c", 0) // 0: the default limit
	require.NoError(t, err)
	assert.Equal(t, -5.0, scoresOf(t, r, "big")["d0"])
}

// oneTopicRuns makes nRuns random runs of one topic of nDocs docs.
func oneTopicRuns(nRuns, nDocs int) []*eval.Run {
	rng := rand.New(rand.NewPCG(3, 4))
	runs := make([]*eval.Run, nRuns)
	for r := range runs {
		s := make(map[string]float64, nDocs)
		for d := 0; d < nDocs; d++ {
			s[fmt.Sprintf("model-%06d", d)] = rng.Float64()
		}
		runs[r] = trecfmt.NewRun(fmt.Sprint("r", r), map[string]map[string]float64{"t": s})
	}
	return runs
}

// BenchmarkCopeland: the 150,000-doc topic of issue 14 (two runs, sorted
// path), the largest topic the pairwise path accepts, and the original
// implementation on 20,000 docs for comparison.
func BenchmarkCopeland(b *testing.B) {
	cases := []struct {
		name  string
		runs  []*eval.Run
		fused func([]*eval.Run, string) (*eval.Run, error)
	}{
		{"2runs-150000docs", oneTopicRuns(2, 150_000), Copeland},
		{"2runs-20000docs", oneTopicRuns(2, 20_000), Copeland},
		{"2runs-20000docs-oracle", oneTopicRuns(2, 20_000), copelandOracle},
		{"4runs-20000docs", oneTopicRuns(4, 20_000), Copeland},
		{"4runs-20000docs-oracle", oneTopicRuns(4, 20_000), copelandOracle},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := c.fused(c.runs, "f"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
