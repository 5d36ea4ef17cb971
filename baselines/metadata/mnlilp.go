package metadata

import (
	"fmt"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/zoo"
)

// MNLILPRun ranks the pool by the models' linear-probe accuracy on MNLI
// (the mnli_lp column of the model-recycling table: a logistic-regression
// probe trained on frozen features), the same ranking for every test
// topic. Choshen et al. (2022), "Where to start? Analyzing the potential
// value of intermediate models", found it a cheap, task-agnostic predictor
// of a model's value as a starting point.
func MNLILPRun(tag string, d *zoo.Data) (*eval.Run, error) {
	score := make([]float64, len(d.Pool))
	for i, m := range d.Pool {
		v, ok := d.MNLILP[m]
		if !ok {
			return nil, fmt.Errorf("mnli-lp: model %q has no mnli_lp value", m)
		}
		score[i] = v
	}
	return sameForEveryTopic(tag, d.Pool, d.Test, score), nil
}
