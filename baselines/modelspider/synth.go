package modelspider

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ntcir-pmr/mreval/baselines/transfer"
	"github.com/ntcir-pmr/mreval/eval/fsutil"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/sbinet/npyio"
	"gonum.org/v1/gonum/mat"
)

// SynthConfig sizes a synthetic Model Spider bundle (SyntheticBundle).
type SynthConfig struct {
	Topics, Models, Classes, Samples int
	// Latent is the dimension k of the task and model latents.
	Latent int
	// BaseFeatures is the feature width of model 0; model m has
	// BaseFeatures + 2·(m mod 3) columns, so widths differ between models.
	BaseFeatures int
}

// DefaultSynth is the size used by the tests and the report.
var DefaultSynth = SynthConfig{Topics: 32, Models: 10, Classes: 3, Samples: 60, Latent: 3, BaseFeatures: 8}

// SynthInfo describes a generated bundle: the truth of every (topic, model)
// pair and the parts it is made of.
type SynthInfo struct {
	Topics []string
	Models []string
	// Truth[t][m] is the "fine-tuned accuracy" of model m on topic t.
	Truth [][]float64
	// Generic[t][m] is the part of the truth that the ψ-prototypes and the
	// model identity determine; Truth − Generic is visible only in model m's
	// own features (the PTM-specific part).
	Generic [][]float64
}

// SyntheticBundle writes a seeded synthetic feature bundle to dir (which
// must not exist or be empty) whose ground truth Model Spider can and must
// learn. Topic t has a latent z_t ~ N(0, I_k), model m a latent a_m ~
// N(0, I_k) and a quality g_m ~ N(0, 1), the pair an independent e_{mt} ~
// N(0, 1); the truth is
//
//	acc(m, t) = 70 + 1.5·g_m + 4·a_m·z_t/√k + 2·e_{mt}.
//
// Under model m, sample i of class y has features
//
//	x_i = W_m z_t + e_{mt}·r_m + V_m c_{t,y} + ε_i,   ε_i ~ N(0, I),
//
// with fixed random maps W_m (D_m×k), unit directions r_m, maps V_m and
// class centres c_{t,y} ~ N(0, I_4) of the topic. The class prototypes
// under ψ = model 0 therefore reveal z_t (and so the interaction a_m·z_t,
// which a model-only prior cannot know), while e_{mt} shows only in model
// m's own features: stage one can reach the generic part, re-ranking with
// PTM-specific tokens the rest. It returns the truth; WriteSynthQrels
// writes it as qrels.
func SyntheticBundle(dir string, seed uint64, cfg SynthConfig) (*SynthInfo, error) {
	if cfg.Topics < 2 || cfg.Models < 2 || cfg.Classes < 2 || cfg.Samples < cfg.Classes || cfg.Latent < 1 || cfg.BaseFeatures < 1 {
		return nil, fmt.Errorf("synthetic bundle: sizes %+v too small", cfg)
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return nil, fmt.Errorf("synthetic bundle: %s is not empty", dir)
	}
	rng := rand.New(rand.NewPCG(seed, 0x73796e7468))
	k := cfg.Latent
	const classDim = 4
	norm := func(n int) []float64 {
		x := make([]float64, n)
		for i := range x {
			x[i] = rng.NormFloat64()
		}
		return x
	}
	info := &SynthInfo{}
	type modelGen struct {
		d    int
		w, v []float64 // d×k, d×classDim
		r    []float64
		a    []float64
		g    float64
	}
	gens := make([]modelGen, cfg.Models)
	for m := range gens {
		d := cfg.BaseFeatures + 2*(m%3)
		r := norm(d)
		rn := math.Sqrt(dot(r, r))
		for i := range r {
			r[i] /= rn
		}
		gens[m] = modelGen{d: d, w: norm(d * k), v: norm(d * classDim), r: r, a: norm(k), g: rng.NormFloat64()}
		info.Models = append(info.Models, fmt.Sprintf("synth/model-%02d", m))
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var topicsTSV, modelsTSV strings.Builder
	for m, id := range info.Models {
		fmt.Fprintf(&modelsTSV, "%s\tm%02d\n", id, m)
	}
	for t := 0; t < cfg.Topics; t++ {
		id := fmt.Sprintf("task-%02d", t)
		tdir := fmt.Sprintf("t%02d", t)
		info.Topics = append(info.Topics, id)
		fmt.Fprintf(&topicsTSV, "%s\t%s\n", id, tdir)
		z := norm(k)
		centres := make([][]float64, cfg.Classes)
		for c := range centres {
			centres[c] = norm(classDim)
			for j := range centres[c] {
				centres[c][j] *= 0.5
			}
		}
		labels := make([]int64, cfg.Samples)
		for i := range labels {
			labels[i] = int64(i % cfg.Classes)
		}
		if err := writeNpyFile(filepath.Join(dir, tdir, transfer.LabelsFile), labels); err != nil {
			return nil, err
		}
		truth := make([]float64, cfg.Models)
		generic := make([]float64, cfg.Models)
		for m, g := range gens {
			e := rng.NormFloat64()
			generic[m] = 70 + g.g + 4*dot(g.a, z)/math.Sqrt(float64(k))
			truth[m] = generic[m] + 1.5*e
			base := make([]float64, g.d)
			matVec(g.w, z, base)
			axpy(e, g.r, base)
			feats := mat.NewDense(cfg.Samples, g.d, nil)
			row := make([]float64, g.d)
			for i := range labels {
				copy(row, base)
				matVecAdd(g.v, nil, centres[labels[i]], row)
				for j := range row {
					row[j] += rng.NormFloat64()
				}
				feats.SetRow(i, row)
			}
			if err := writeNpyFile(filepath.Join(dir, tdir, fmt.Sprintf("m%02d", m), transfer.FeaturesFile), feats); err != nil {
				return nil, err
			}
		}
		info.Truth = append(info.Truth, truth)
		info.Generic = append(info.Generic, generic)
	}
	if err := fsutil.WriteBytes(filepath.Join(dir, transfer.TopicDirsFile), []byte(topicsTSV.String()), 0o644); err != nil {
		return nil, err
	}
	if err := fsutil.WriteBytes(filepath.Join(dir, transfer.ModelDirsFile), []byte(modelsTSV.String()), 0o644); err != nil {
		return nil, err
	}
	return info, nil
}

func writeNpyFile(path string, val any) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return fsutil.WriteFile(path, 0o644, func(w io.Writer) error { return npyio.Write(w, val) })
}

// WriteSynthQrels writes the truth of the listed topics (all when nil) as
// a qrels file.
func (s *SynthInfo) WriteSynthQrels(path string, topics []string) error {
	if s == nil || len(s.Truth) != len(s.Topics) {
		return errors.New("synthetic qrels: no truth")
	}
	var recs []trecfmt.QrelsRecord
	for t, id := range s.Topics {
		if topics != nil && !slices.Contains(topics, id) {
			continue
		}
		for m, mid := range s.Models {
			recs = append(recs, trecfmt.QrelsRecord{Topic: id, Doc: mid, Value: trecfmt.FormatScore(s.Truth[t][m])})
		}
	}
	return fsutil.WriteFile(path, 0o644, func(w io.Writer) error { return trecfmt.WriteQrels(w, recs) })
}
