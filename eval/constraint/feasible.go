package constraint

import (
	"fmt"

	"github.com/ntcir-pmr/mreval/eval"
)

// FeasibleSet resolves the constraint for every model the qrels judge and
// the runs rank, up front, and returns membership of the feasible set
// (measure.Config.Feasible). A model missing from the table is an error
// naming the qrels or run line where it occurs, not a silent guess.
func (c *Constraint) FeasibleSet(q *eval.Qrels, runs ...*eval.Run) (func(model string) bool, error) {
	fits := map[string]bool{}
	check := func(model, where string, line int) error {
		if _, done := fits[model]; done {
			return nil
		}
		ok, err := c.Feasible(model)
		if err != nil {
			return fmt.Errorf("%s (%s:%d)", err, where, line)
		}
		fits[model] = ok
		return nil
	}
	for _, topic := range q.Topics {
		t := q.ByID[topic]
		for i, d := range t.Docs {
			if err := check(d, "judged at "+q.File, t.Lines[i]); err != nil {
				return nil, err
			}
		}
	}
	for _, run := range runs {
		for _, topic := range run.Topics {
			for _, e := range run.ByID[topic].Entries {
				if err := check(e.Doc, "ranked at "+run.File, int(e.Line)); err != nil {
					return nil, err
				}
			}
		}
	}
	return func(model string) bool { return fits[model] }, nil
}
