package expect

import (
	"fmt"
	"io"
	"math"

	"github.com/ntcir-pmr/mreval/internal/texttable"
)

// WriteDrift writes the drifts as a table: run, topic, measure, expected,
// got, delta (got − expected; – when a side is absent or null). Expected
// and got print exactly (shortest round-trip form), as the JSON holds them.
func WriteDrift(w io.Writer, drifts []Drift) error {
	t := texttable.New(w)
	t.Header([]string{"run", "topic", "measure", "expected", "got", "delta"})
	for _, d := range drifts {
		if err := t.Append([]string{d.Run, d.Topic, d.Measure, d.Expected.String(), d.Got.String(), formatDelta(d.Delta())}); err != nil {
			return err
		}
	}
	return t.Render()
}

func formatDelta(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	return fmt.Sprintf("%+.3g", v)
}
