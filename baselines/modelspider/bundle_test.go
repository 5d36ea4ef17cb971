package modelspider

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/baselines/transfer"
	"github.com/ntcir-pmr/mreval/eval/fsutil"
	"github.com/ntcir-pmr/mreval/eval/rankcorr"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/ntcir-pmr/mreval/internal/thorough"
)

func TestClassPrototypes(t *testing.T) {
	// Entries 1..6: RMS = √(91/6); class 0 = rows 0, 2; class 1 = row 1.
	f := transfer.Matrix{Rows: 3, Cols: 2, Data: []float64{1, 2, 3, 4, 5, 6}}
	got, err := classPrototypes(f, []int{0, 1, 0})
	require.NoError(t, err)
	s := 3.8944404818493075 // √(91/6)
	require.Len(t, got, 2)
	assert.InDeltaSlice(t, []float64{3 / s, 4 / s}, got[0], 1e-15)
	assert.InDeltaSlice(t, []float64{3 / s, 4 / s}, got[1], 1e-15)

	// An absent class gives no token.
	got, err = classPrototypes(f, []int{2, 2, 0})
	require.NoError(t, err)
	assert.Len(t, got, 2)

	_, err = classPrototypes(transfer.Matrix{Rows: 2, Cols: 1, Data: []float64{0, 0}}, []int{0, 1})
	assert.ErrorContains(t, err, "all zero")
	_, err = classPrototypes(f, []int{0, 1})
	assert.ErrorContains(t, err, "3×2 features for 2 labels")
}

// synthSetup writes a synthetic bundle and a qrels file holding the truth
// of the train topics except the unjudged ones.
func synthSetup(t *testing.T, seed uint64, cfg SynthConfig, ntrain int, unjudged []string) (*SynthInfo, *transfer.Bundle, string, []string, []string) {
	t.Helper()
	dir := t.TempDir()
	info, err := SyntheticBundle(filepath.Join(dir, "bundle"), seed, cfg)
	require.NoError(t, err)
	train, test := info.Topics[:ntrain], info.Topics[ntrain:]
	var judged []string
	for _, tp := range train {
		if !slices.Contains(unjudged, tp) {
			judged = append(judged, tp)
		}
	}
	qpath := filepath.Join(dir, "train.qrels")
	require.NoError(t, info.WriteSynthQrels(qpath, judged))
	b, err := transfer.OpenBundle(filepath.Join(dir, "bundle"))
	require.NoError(t, err)
	return info, b, qpath, train, test
}

// smallSynth is a bundle for tests that do not learn from it.
var smallSynth = SynthConfig{Topics: 5, Models: 4, Classes: 3, Samples: 30, Latent: 2, BaseFeatures: 6}

func meanTauW(t *testing.T, truth [][]float64, scores [][]float64) float64 {
	t.Helper()
	var sum float64
	for i := range truth {
		tw, ok := rankcorr.WeightedTau(truth[i], scores[i])
		require.True(t, ok)
		sum += tw
	}
	return sum / float64(len(truth))
}

// TestBundleEndToEnd trains on synthetic bundles whose truth depends on
// the task (through ψ's class prototypes) and on each model's own features,
// and demands that the ranker learn both: stage one well above the best
// model-only prior on held-out topics, re-ranking above stage one. Two
// seeds show it is not luck. It trains with the shipped settings, two
// seconds of CPU: the everyday suite leaves it to MREVAL_THOROUGH=1 and
// checks the bundle path on small bundles (TestBundleRankAggTargets,
// TestBundleErrors, and the CLI's TestModelspiderBundleCLI).
func TestBundleEndToEnd(t *testing.T) {
	thorough.Skip(t, "training on synthetic bundles with the shipped settings")
	if testing.Short() {
		t.Skip("trains two networks")
	}
	// The synthetic bundle is scratch data: no fsync per .npy file.
	fsutil.NoSyncInTest(t)
	for _, seed := range []uint64{4, 5} {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			unjudged := []string{"task-03", "task-11"}
			info, b, qpath, train, test := synthSetup(t, seed, DefaultSynth, 24, unjudged)
			q, err := trecfmt.ReadQrelsFile(qpath, trecfmt.DefaultLimits)
			require.NoError(t, err)
			r, rankAgg, err := TrainBundle(b, q, train, DefaultBundle.WithSeed(seed), nil)
			require.NoError(t, err)
			assert.Equal(t, unjudged, rankAgg)

			truth := info.Truth[24:]
			prior := make([]float64, len(info.Models))
			for ti := 0; ti < 24; ti++ {
				for m := range prior {
					prior[m] += info.Truth[ti][m]
				}
			}
			priors := make([][]float64, len(test))
			for i := range priors {
				priors[i] = prior
			}
			stage1, err := r.ScoreBundle(b, test, 0)
			require.NoError(t, err)
			reranked, err := r.ScoreBundle(b, test, len(info.Models))
			require.NoError(t, err)
			collect := func(m map[string][]float64) [][]float64 {
				var out [][]float64
				for _, tp := range test {
					out = append(out, m[tp])
				}
				return out
			}
			twPrior := meanTauW(t, truth, priors)
			tw1 := meanTauW(t, truth, collect(stage1))
			tw2 := meanTauW(t, truth, collect(reranked))
			t.Logf("held-out τw: prior %.3f, stage one %.3f, re-ranked %.3f", twPrior, tw1, tw2)
			assert.Greater(t, tw1, twPrior+0.25, "stage one must use the task")
			assert.Greater(t, tw2, tw1+0.03, "re-ranking must use the models' own features")
		})
	}
}

// TestBundleRankAggTargets checks that a topic without complete truth is
// ordered by the Copeland aggregate of H-Score and LogME (the synthetic
// bundle has no source probabilities, so LEEP and NCE are out).
func TestBundleRankAggTargets(t *testing.T) {
	_, b, qpath, _, _ := synthSetup(t, 6, smallSynth, 4, []string{"task-00"})
	q, err := trecfmt.ReadQrelsFile(qpath, trecfmt.DefaultLimits)
	require.NoError(t, err)
	data, err := loadBundleTopics(b, []string{"task-00", "task-01"}, func(id string) bool { return !judgedAll(b, q, id) })
	require.NoError(t, err)
	require.Nil(t, data[1].estimators, "a judged topic needs no estimators")

	targets, truth, err := bundleTargets(b, q, data[0])
	require.NoError(t, err)
	assert.False(t, truth)
	var hs, lm []float64
	for mi := range b.Models {
		f, _, err := b.LoadPair(0, mi, false)
		require.NoError(t, err)
		labels, _, err := b.LoadTopic(0)
		require.NoError(t, err)
		h, err := transfer.HScore(f, labels)
		require.NoError(t, err)
		l, err := transfer.LogME(f, labels)
		require.NoError(t, err)
		hs, lm = append(hs, h), append(lm, l)
	}
	want, err := Copeland([][]float64{hs, lm})
	require.NoError(t, err)
	assert.Equal(t, want, targets)

	targets, truth, err = bundleTargets(b, q, data[1])
	require.NoError(t, err)
	assert.True(t, truth)
	assert.Equal(t, q.Topic("task-01").Value[b.Models[3].ID], targets[3])
}

func TestBundleErrors(t *testing.T) {
	_, b, qpath, train, _ := synthSetup(t, 7, smallSynth, 4, nil)
	q, err := trecfmt.ReadQrelsFile(qpath, trecfmt.DefaultLimits)
	require.NoError(t, err)
	opt := DefaultBundle
	opt.Train.Steps = 1
	_, _, err = TrainBundle(b, q, []string{"task-99"}, opt, nil)
	assert.ErrorContains(t, err, `has no topic "task-99"`)
	opt.Psi = "synth/none"
	_, _, err = TrainBundle(b, q, train, opt, nil)
	assert.ErrorContains(t, err, `no model "synth/none" to serve as ψ`)
	opt.Psi = "synth/model-02"
	r, _, err := TrainBundle(b, q, train[:3], opt, nil)
	require.NoError(t, err)
	assert.Equal(t, "synth/model-02", r.Repr.Bundle.Psi)
	assert.Equal(t, smallSynth.BaseFeatures+4, r.Repr.Bundle.PsiFeatures, "model 2 has 4 more columns than model 0")
	_, err = r.ScoreRecycling(nil, nil)
	assert.ErrorContains(t, err, `trained on the "bundle" representation, not "probes"`)
}
