package inputs

import (
	"fmt"
	"slices"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/collection"
	"github.com/ntcir-pmr/mreval/eval/noise"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
)

// Seeds reads the seed runs of the collection named collName.
func Seeds(collName string) (*noise.Seeds, error) {
	if collName == "" {
		return nil, usagef("the fine-tuning noise needs --collection recycling (its seed runs)")
	}
	coll, err := Collection(collName)
	if err != nil {
		return nil, err
	}
	if coll.SeedsFile == "" {
		return nil, usagef("collection %s has no seed runs", collName)
	}
	data, err := coll.ReadFile(coll.SeedsFile)
	if err != nil {
		return nil, err
	}
	return noise.ParseSeeds(coll.SeedsFile, data)
}

// NoiseSpec names the input of the noise ceilings.
type NoiseSpec struct {
	Spec     // the collection (with seed runs) and the topics
	Model    noise.Model
	RunFiles []string // runs scored on the re-drawn ground truths
}

// Noise assembles the input of noise.ComputeCeilings: the collection's
// qrels, the topics (in byte order), each topic's noise under the model
// and the runs, whose tags must differ since the report names runs by tag.
func Noise(spec NoiseSpec) (noise.Input, *noise.Seeds, error) {
	seeds, err := Seeds(spec.Collection)
	if err != nil {
		return noise.Input{}, nil, err
	}
	j, err := Load(spec.Spec)
	if err != nil {
		return noise.Input{}, nil, err
	}
	topics := slices.Clone(j.Topics)
	slices.Sort(topics)
	topics = slices.Compact(topics)
	in := noise.Input{Qrels: j.Qrels, Topics: topics}
	if in.Noise, err = Perturbations(j.Collection, seeds, topics, spec.Model); err != nil {
		return noise.Input{}, nil, err
	}
	tags := map[string]string{noise.OracleTag: "the oracle"}
	for _, path := range spec.RunFiles {
		// Not restricted: the ceilings score the topics of the input only.
		run, err := trecfmt.ReadRunFile(path, j.Limits)
		if err != nil {
			return noise.Input{}, nil, err
		}
		if prev, dup := tags[run.Tag]; dup {
			return noise.Input{}, nil, fmt.Errorf("%s: run tag %q is already used by %s; the report names runs by tag", path, run.Tag, prev)
		}
		tags[run.Tag] = path
		in.Runs = append(in.Runs, run)
	}
	return in, seeds, nil
}

// Perturbations is seeds.Perturbations with errors naming the seeds file
// of the collection.
func Perturbations(coll *collection.Collection, seeds *noise.Seeds, topics []string, m noise.Model) (map[string]noise.Perturbation, error) {
	p, err := seeds.Perturbations(topics, m)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", coll.Path(coll.SeedsFile), err)
	}
	return p, nil
}

// EpsilonByTopic is each topic's fine-tuning σ from the seed runs of the
// collection named collName, for near@k's per-topic tolerance; every
// topic of q needs one.
func EpsilonByTopic(collName string, q *eval.Qrels) (map[string]float64, error) {
	seeds, err := Seeds(collName)
	if err != nil {
		return nil, err
	}
	sigmas, err := seeds.Sigmas()
	if err != nil {
		return nil, err
	}
	out := make(map[string]float64, len(q.Topics))
	for _, topic := range q.Topics {
		s, ok := sigmas[topic]
		if !ok {
			return nil, fmt.Errorf("--epsilon noise: no seed runs for topic %s", topic)
		}
		out[topic] = s
	}
	return out, nil
}
