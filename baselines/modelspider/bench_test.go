package modelspider_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/ntcir-pmr/mreval/baselines/modelspider"
	"github.com/ntcir-pmr/mreval/eval/collection"
	"github.com/ntcir-pmr/mreval/eval/zoo"
)

// recyclingData loads the recycling collection of this working tree, or
// skips.
func recyclingData(tb testing.TB) *zoo.Data {
	tb.Helper()
	root, _ := filepath.Abs("../..")
	if _, err := os.Stat(filepath.Join(root, "qrels", "recycling.qrels")); err != nil {
		tb.Skip("no recycling collection in this tree")
	}
	c, err := collection.LookupIn(root, "recycling")
	if err != nil {
		tb.Fatal(err)
	}
	d, err := c.BaselineData()
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// BenchmarkTrainRecycling trains the shipped configuration on the 24
// train topics (run with -cpu 1 for the one-core figure). It reports the
// memory obtained from the system.
func BenchmarkTrainRecycling(b *testing.B) {
	d := recyclingData(b)
	for i := 0; i < b.N; i++ {
		if _, _, err := modelspider.TrainRecycling(d, modelspider.ShippedRecycling(), nil); err != nil {
			b.Fatal(err)
		}
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.Sys)/(1<<20), "MB-sys")
}

// BenchmarkRank2703 scores 2,703 models (all of model-recycling's tested
// models; 1,266 with a learned free token, the rest from metadata only) for
// one topic with a network of the shipped shape. The model side is
// prepared once per ranker (BenchmarkPrepare2703).
func BenchmarkRank2703(b *testing.B) {
	for _, dim := range []int{modelspider.ShippedRecycling().Dim, 256, 1024} {
		b.Run(fmt.Sprint("d=", dim), func(b *testing.B) {
			sc, tokens := scorer2703(b, dim)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := sc.Scores(tokens); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPrepare2703 is the one-off model-side cost of a Scorer.
func BenchmarkPrepare2703(b *testing.B) {
	for _, dim := range []int{modelspider.ShippedRecycling().Dim, 256} {
		b.Run(fmt.Sprint("d=", dim), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				scorer2703(b, dim)
			}
		})
	}
}

func scorer2703(b *testing.B, dim int) (*modelspider.Scorer, [][]float64) {
	b.Helper()
	const nmodels, free, nfeat, ntask = 2703, 1266, 13, 12
	net, err := modelspider.NewNetwork(modelspider.Config{Dim: dim, NumModels: free, ModelFeatures: nfeat, TaskFeatures: ntask}, 1)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	models := make([]modelspider.ModelRef, nmodels)
	for i := range models {
		f := make([]float64, nfeat)
		f[i%6] = 1
		f[6] = rng.NormFloat64()
		models[i] = modelspider.ModelRef{Free: -1, Features: f}
		if i < free {
			models[i].Free = i
		}
	}
	tokens := make([][]float64, 4)
	for j := range tokens {
		tokens[j] = make([]float64, ntask)
		tokens[j][j] = 1
		tokens[j][4+j] = rng.NormFloat64()
	}
	sc, err := net.NewScorer(models)
	if err != nil {
		b.Fatal(err)
	}
	return sc, tokens
}
