package measure

import (
	"fmt"
	"github.com/ntcir-pmr/mreval/internal/safetext"
	"math"
	"strconv"
	"strings"
)

// emptyRunWarning says what an empty run really scores, per measure: every
// topic is scored on an empty ranking, which is 0 for gain measures but the
// worst value for regret and undefined for rank correlations — "every topic
// scores 0" would mislead.
func emptyRunWarning(r *Result) string {
	var parts []string
	for c, col := range r.Columns {
		if col.Family.Aggregation == Count {
			continue // num_q counts topics; it says nothing about the run
		}
		lo, hi, undefined := math.Inf(1), math.Inf(-1), 0
		for i := range r.Topics {
			v := r.PerTopic[i][c]
			if math.IsNaN(v) {
				undefined++
				continue
			}
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		var p string
		switch {
		case len(r.Topics) == 0:
			continue
		case undefined == len(r.Topics):
			p = col.Name + " undefined"
		case lo == hi:
			p = col.Name + " " + formatValue(lo)
		default:
			p = fmt.Sprintf("%s %s to %s by topic", col.Name, formatValue(lo), formatValue(hi))
		}
		if undefined > 0 && undefined < len(r.Topics) {
			p += fmt.Sprintf(" (undefined on %d topics)", undefined)
		}
		parts = append(parts, p)
	}
	msg := fmt.Sprintf("%s: the run is empty; each of the %d topics is scored on an empty ranking", safetext.Name(r.Run.File), len(r.Topics))
	if len(parts) > 0 {
		msg += ": " + strings.Join(parts, ", ")
	}
	return msg
}

func formatValue(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) }
