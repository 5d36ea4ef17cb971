package metadata

import (
	"fmt"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/zoo"
)

// ArchPriorRun ranks the pool by the mean train-topic accuracy of each
// model's base architecture (ArchMeans), ties — the models of one
// architecture — broken by the model's own Prior. The order is
// lexicographic (arch desc, prior desc, model ID desc) and the scores are
// positions (see lexicographicScores), the same ranking for every test
// topic.
func ArchPriorRun(tag string, d *zoo.Data) (*eval.Run, error) {
	prior, err := Prior(d)
	if err != nil {
		return nil, err
	}
	means, err := archMeans(d, prior)
	if err != nil {
		return nil, err
	}
	arch := make([]float64, len(d.Pool))
	for i, m := range d.Pool {
		arch[i] = means[d.Base[m]]
	}
	return sameForEveryTopic(tag, d.Pool, d.Test, lexicographicScores(d.Pool, arch, prior)), nil
}

// ArchMeans returns the mean train-topic accuracy of each base
// architecture b:
//
//	arch(b) = (1/|M_b|) Σ_{m∈M_b} prior(m),   M_b = pool models with base b
//
// summed in pool order.
func ArchMeans(d *zoo.Data) (map[string]float64, error) {
	prior, err := Prior(d)
	if err != nil {
		return nil, err
	}
	return archMeans(d, prior)
}

func archMeans(d *zoo.Data, prior []float64) (map[string]float64, error) {
	sum := map[string]float64{}
	count := map[string]int{}
	for i, m := range d.Pool {
		b := d.Base[m]
		if b == "" {
			return nil, fmt.Errorf("arch-prior: model %q has no base model", m)
		}
		sum[b] += prior[i]
		count[b]++
	}
	out := make(map[string]float64, len(sum))
	for b := range sum {
		out[b] = sum[b] / float64(count[b])
	}
	return out, nil
}
