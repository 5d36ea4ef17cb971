package fennec

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Held-out topics 1 and 3 are constant over the models, so their folds
// fail (Spearman's ρ is undefined); whatever the number of workers, the
// error is fold 1's.
func TestCrossValidateReportsTheLowestFailingFold(t *testing.T) {
	// Three models (rows) × four topics (columns).
	a := []float64{
		1, 5, 3, 5,
		2, 5, 1, 5,
		3, 5, 2, 5,
	}
	for _, w := range []int{1, 2, 4} {
		_, err := CrossValidate(a, 3, 4, []int{0}, Grid{Ranks: []int{1}, Lambdas: []float64{1}}, w)
		assert.EqualError(t, err, "cross-validation on held-out topic 1: spearman: undefined because a vector is constant", "%d workers", w)
	}
}
