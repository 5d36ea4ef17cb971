package transfer

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/ntcir-pmr/mreval/eval/fsutil"
)

// SampleConfig sizes a synthetic bundle; zero fields take the defaults in
// brackets.
type SampleConfig struct {
	Topics        int  // classification topics [3]
	Models        int  // candidate models [4], at most len(sampleModelNames)
	Samples       int  // target samples per topic [200]
	Dim           int  // feature dimension [32]
	Classes       int  // classes of the first topic; topic t has Classes+t [3]
	SourceClasses int  // classes of each model's source head (probs.npy) [8]
	Regression    bool // add one regression topic (targets.npy, 2 columns)
}

func (c SampleConfig) withDefaults() SampleConfig {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&c.Topics, 3)
	def(&c.Models, 4)
	def(&c.Samples, 200)
	def(&c.Dim, 32)
	def(&c.Classes, 3)
	def(&c.SourceClasses, 8)
	return c
}

// SampleInfo describes a generated bundle.
type SampleInfo struct {
	Topics []string // topic IDs, bundle order
	Models []string // model IDs, bundle order
	// Planted lists the model IDs from best to worst: the order of their
	// feature signal strength, the same on every topic.
	Planted []string
}

var sampleModelNames = []string{
	"synth-org/alpha-base", "synth-org/bravo-large", "other-lab/charlie-small", "other-lab/delta-v2",
	"synth-org/echo-mini", "third/foxtrot-xl", "third/golf", "synth-org/hotel-tiny",
}

// sampleSignal is the class-signal strength of the model ranked r (0 =
// best): features are signal·μ_class + N(0, I) noise, so the ranking of the
// models is unambiguous at the default sizes.
func sampleSignal(r int) float64 { return 1.2 * math.Pow(0.5, float64(r)) }

// SampleBundle writes a seeded synthetic feature bundle to dir (created if
// needed; existing bundle files are overwritten) and returns what it
// planted. On every topic, model m's features of sample i are
// s_m·μ_{y_i} + ε_i with class means μ_c ~ N(0, I_D) shared by the models
// and ε_i ~ N(0, I_D), where the signal s_m halves from one model to the
// next in the planted order (a seeded permutation of the bundle order). The
// source head is a random linear map to SourceClasses logits followed by a
// softmax. In the regression topic the targets are two random linear
// functions of a latent z_i ~ N(0, I_D) plus noise, and the features are
// s_m·z_i + ε_i.
func SampleBundle(dir string, seed uint64, cfg SampleConfig) (SampleInfo, error) {
	cfg = cfg.withDefaults()
	if cfg.Models > len(sampleModelNames) {
		return SampleInfo{}, fmt.Errorf("sample bundle: at most %d models, asked for %d", len(sampleModelNames), cfg.Models)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return SampleInfo{}, err
	}
	// A new or empty directory only: nothing planted in it (a symbolic link
	// named like a topic directory) can lead the writes out of it, and no
	// earlier bundle is mixed with this one.
	if entries, err := os.ReadDir(dir); err != nil {
		return SampleInfo{}, err
	} else if len(entries) > 0 {
		return SampleInfo{}, fmt.Errorf("sample bundle: %s is not empty (%s, ...); give a new directory", dir, entries[0].Name())
	}
	rng := rand.New(rand.NewPCG(seed, 0x53414d50))
	info := SampleInfo{Models: sampleModelNames[:cfg.Models]}
	rankOf := rng.Perm(cfg.Models) // rankOf[m] = planted rank of model m
	info.Planted = make([]string, cfg.Models)
	for m, r := range rankOf {
		info.Planted[r] = info.Models[m]
	}

	numTopics := cfg.Topics
	if cfg.Regression {
		numTopics++
	}
	var topicsTSV, modelsTSV []byte
	topicsTSV = append(topicsTSV, "# topic ID\tdirectory\n"...)
	modelsTSV = append(modelsTSV, "# model ID\tdirectory\n"...)
	for m, id := range info.Models {
		modelsTSV = append(modelsTSV, fmt.Sprintf("%s\tmodel-%02d\n", id, m)...)
	}
	n, d := cfg.Samples, cfg.Dim
	for t := 0; t < numTopics; t++ {
		regression := cfg.Regression && t == numTopics-1
		id := fmt.Sprintf("synth/topic-%d", t+1)
		if regression {
			id = "synth/regression"
		}
		tdir := fmt.Sprintf("topic-%02d", t+1)
		info.Topics = append(info.Topics, id)
		topicsTSV = append(topicsTSV, fmt.Sprintf("%s\t%s\n", id, tdir)...)
		if err := os.Mkdir(filepath.Join(dir, tdir), 0o755); err != nil {
			return SampleInfo{}, err
		}
		trng := rand.New(rand.NewPCG(seed, uint64(1000+t)))
		// latent holds per sample the vector the features carry: the class
		// mean (classification) or z_i (regression).
		latent := NewMatrix(n, d)
		var labels []int64
		if regression {
			for i := range latent.Data {
				latent.Data[i] = trng.NormFloat64()
			}
			const r = 2
			coef := randomMatrix(trng, r, d)
			targets := make([]float64, n*r)
			for i := 0; i < n; i++ {
				for c := 0; c < r; c++ {
					s := 0.0
					for j, v := range latent.Row(i) {
						s += coef.At(c, j) * v
					}
					targets[i*r+c] = s/math.Sqrt(float64(d)) + 0.3*trng.NormFloat64()
				}
			}
			if err := writeNpy(filepath.Join(dir, tdir, TargetsFile), []int{n, r}, targets); err != nil {
				return SampleInfo{}, err
			}
		} else {
			classes := cfg.Classes + t
			means := randomMatrix(trng, classes, d)
			labels = make([]int64, n)
			for i, p := range trng.Perm(n) {
				labels[p] = int64(i % classes)
			}
			for i, y := range labels {
				copy(latent.Row(i), means.Row(int(y)))
			}
			if err := writeNpy(filepath.Join(dir, tdir, LabelsFile), []int{n}, labels); err != nil {
				return SampleInfo{}, err
			}
		}
		for m := range info.Models {
			mrng := rand.New(rand.NewPCG(seed, uint64(100000+1000*t+m)))
			signal := sampleSignal(rankOf[m])
			feats := make([]float32, n*d)
			for i := 0; i < n; i++ {
				for j, v := range latent.Row(i) {
					feats[i*d+j] = float32(signal*v + mrng.NormFloat64())
				}
			}
			mdir := filepath.Join(dir, tdir, fmt.Sprintf("model-%02d", m))
			if err := os.Mkdir(mdir, 0o755); err != nil {
				return SampleInfo{}, err
			}
			if err := writeNpy(filepath.Join(mdir, FeaturesFile), []int{n, d}, feats); err != nil {
				return SampleInfo{}, err
			}
			if regression {
				continue
			}
			cs := cfg.SourceClasses
			head := randomMatrix(mrng, cs, d)
			probs := make([]float64, n*cs)
			logits := make([]float64, cs)
			for i := 0; i < n; i++ {
				best := math.Inf(-1)
				for c := 0; c < cs; c++ {
					s := 0.0
					for j := 0; j < d; j++ {
						s += head.At(c, j) * float64(feats[i*d+j])
					}
					logits[c] = s / math.Sqrt(float64(d))
					best = math.Max(best, logits[c])
				}
				sum := 0.0
				for c := range logits {
					logits[c] = math.Exp(logits[c] - best)
					sum += logits[c]
				}
				for c := range logits {
					probs[i*cs+c] = logits[c] / sum
				}
			}
			if err := writeNpy(filepath.Join(mdir, ProbsFile), []int{n, cs}, probs); err != nil {
				return SampleInfo{}, err
			}
		}
	}
	if err := writeText(filepath.Join(dir, TopicDirsFile), topicsTSV); err != nil {
		return SampleInfo{}, err
	}
	if err := writeText(filepath.Join(dir, ModelDirsFile), modelsTSV); err != nil {
		return SampleInfo{}, err
	}
	return info, nil
}

func writeText(path string, data []byte) error {
	return fsutil.WriteFile(path, 0o644, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

func randomMatrix(rng *rand.Rand, rows, cols int) Matrix {
	m := NewMatrix(rows, cols)
	for i := range m.Data {
		m.Data[i] = rng.NormFloat64()
	}
	return m
}
