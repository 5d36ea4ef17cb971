// Package report writes scores and leaderboards in the formats people paste
// into papers, web pages and scripts. It formats; it never computes a
// statistic or a measure.
package report

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/gocarina/gocsv"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/measure"

	"github.com/ntcir-pmr/mreval/internal/safetext"
	"github.com/ntcir-pmr/mreval/internal/texttable"
)

// EvalOptions select what an eval report shows.
type EvalOptions struct {
	PerTopic  bool // trec_eval -q
	NoSummary bool // trec_eval -n: no `all` lines (trec text only)
}

// WriteTrec writes results as trec_eval 9.0.8 does: `%-22s\t%s\t%6.4f`
// lines (integers with %d), per-topic lines for topics the run ranks,
// then the `all` lines. Several runs are written one after another, each
// block opened by trec_eval's runid line (unless runid is a measure, which
// prints it in its place). Undefined values of mreval's own measures print
// as `undef`, a value trec_eval never produces; trec_eval's measures print
// a NaN or an infinity as C's printf does (`  -nan`). runid prints the tag
// of the run's last line, relstring its text per topic only.
func WriteTrec(w io.Writer, results []*measure.Result, opt EvalOptions) error {
	bw := bufio.NewWriter(w)
	for _, r := range results {
		if len(results) > 1 && !hasRunID(r.Columns) && !opt.NoSummary {
			fmt.Fprintf(bw, "%-22s\t%s\t%s\n", "runid", "all", r.Run.Tag)
		}
		if opt.PerTopic {
			for i, topic := range r.Topics {
				if !r.InRun[i] {
					continue
				}
				for c, col := range r.Columns {
					switch {
					case col.Family.NoPerTopic:
					case col.Family.Text != nil:
						fmt.Fprintf(bw, "%-22s\t%s\t'%s'\n", col.Name, topic, r.PerTopicText[i][c])
					default:
						writeTrecLine(bw, col, topic, r.PerTopic[i][c])
					}
				}
			}
		}
		if opt.NoSummary {
			continue
		}
		for c, col := range r.Columns {
			switch col.Family.Aggregation {
			case measure.NoAggregate:
			case measure.RunTag:
				fmt.Fprintf(bw, "%-22s\t%s\t%s\n", col.Name, "all", runTag(r.Run))
			default:
				writeTrecLine(bw, col, "all", r.All[c])
			}
		}
	}
	return bw.Flush()
}

// hasRunID tells whether runid is among the columns.
func hasRunID(cols []measure.Column) bool {
	for _, c := range cols {
		if c.Family.Aggregation == measure.RunTag {
			return true
		}
	}
	return false
}

// runTag is the tag trec_eval prints as runid: the last line's.
func runTag(r *eval.Run) string {
	if r.LastTag != "" {
		return r.LastTag
	}
	return r.Tag
}

// cFloat formats v as C's printf("%6.4f") does, NaN and infinities
// included ("  -nan", "   inf"), which trec_eval prints for 0/0.
func cFloat(v float64) string {
	var s string
	switch {
	case math.IsNaN(v):
		s = "nan"
	case math.IsInf(v, 0):
		s = "inf"
	default:
		return fmt.Sprintf("%6.4f", v)
	}
	if math.Signbit(v) {
		s = "-" + s
	}
	return fmt.Sprintf("%6s", s)
}

func writeTrecLine(w io.Writer, col measure.Column, topic string, v float64) {
	switch {
	case col.Family.Trec && !col.Family.Integer:
		fmt.Fprintf(w, "%-22s\t%s\t%s\n", col.Name, topic, cFloat(v))
	case math.IsNaN(v):
		fmt.Fprintf(w, "%-22s\t%s\t%s\n", col.Name, topic, "undef")
	case col.Family.Integer:
		fmt.Fprintf(w, "%-22s\t%s\t%d\n", col.Name, topic, int64(v))
	default:
		fmt.Fprintf(w, "%-22s\t%s\t%6.4f\n", col.Name, topic, v)
	}
}

// formatNumber prints a value exactly (shortest round-trip form), or null.
func formatNumber(v float64, integer bool) string {
	switch {
	case math.IsNaN(v):
		return "null"
	case integer:
		return strconv.FormatInt(int64(v), 10)
	default:
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
}

// WriteJSON writes one object per run (an array for several runs):
// {"run": TAG, "file": PATH, "per_topic": {TOPIC: {MEASURE: number|null}},
// "all": {MEASURE: number|null}}. Keys keep the measure order; per_topic is
// filled only with PerTopic and lists every scored topic.
func WriteJSON(w io.Writer, results []*measure.Result, opt EvalOptions) error {
	bw := bufio.NewWriter(w)
	if len(results) != 1 {
		bw.WriteString("[\n")
	}
	for k, r := range results {
		fmt.Fprintf(bw, "{\n  \"run\": %s,\n  \"file\": %s,\n  \"per_topic\": {", jsonString(r.Run.Tag), jsonString(r.Run.File))
		if opt.PerTopic {
			for i, topic := range r.Topics {
				if i > 0 {
					bw.WriteString(",")
				}
				fmt.Fprintf(bw, "\n    %s: {", jsonString(topic))
				first := true
				for c, col := range r.Columns {
					if col.Family.NoPerTopic {
						continue
					}
					if !first {
						bw.WriteString(", ")
					}
					first = false
					fmt.Fprintf(bw, "%s: %s", jsonString(col.Name), formatNumber(r.PerTopic[i][c], col.Family.Integer))
				}
				bw.WriteString("}")
			}
			if len(r.Topics) > 0 {
				bw.WriteString("\n  ")
			}
		}
		bw.WriteString("},\n  \"all\": {")
		for c, col := range r.Columns {
			if c > 0 {
				bw.WriteString(", ")
			}
			fmt.Fprintf(bw, "%s: %s", jsonString(col.Name), formatNumber(r.All[c], col.Family.Integer))
		}
		bw.WriteString("}\n}")
		if k < len(results)-1 {
			bw.WriteString(",")
		}
		bw.WriteString("\n")
	}
	if len(results) != 1 {
		bw.WriteString("]\n")
	}
	return bw.Flush()
}

func jsonString(s string) string { return strconv.Quote(s) }

// csvRow is one line of the long CSV format.
type csvRow struct {
	Run     string `csv:"run"`
	Topic   string `csv:"topic"`
	Measure string `csv:"measure"`
	Value   string `csv:"value"`
}

// WriteCSV writes the long format run,topic,measure,value (topic `all` for
// aggregates; empty value = undefined).
func WriteCSV(w io.Writer, results []*measure.Result, opt EvalOptions) error {
	var rows []csvRow
	for _, r := range results {
		if opt.PerTopic {
			for i, topic := range r.Topics {
				for c, col := range r.Columns {
					if !col.Family.NoPerTopic {
						rows = append(rows, csvRow{safetext.CSVCell(r.Run.Tag), safetext.CSVCell(topic), col.Name, csvNumber(r.PerTopic[i][c], col.Family.Integer)})
					}
				}
			}
		}
		for c, col := range r.Columns {
			rows = append(rows, csvRow{safetext.CSVCell(r.Run.Tag), "all", col.Name, csvNumber(r.All[c], col.Family.Integer)})
		}
	}
	return gocsv.Marshal(rows, w)
}

func csvNumber(v float64, integer bool) string {
	if math.IsNaN(v) {
		return ""
	}
	return formatNumber(v, integer)
}

// WriteTable writes a text table: one row per run, or with PerTopic one
// row per (run, topic) followed by the run's `all` row.
func WriteTable(w io.Writer, results []*measure.Result, opt EvalOptions) error {
	if len(results) == 0 {
		return nil
	}
	header := []string{"run", "topic"}
	for _, col := range results[0].Columns {
		header = append(header, col.Name)
	}
	tw := texttable.New(w)
	tw.Header(header)
	for _, r := range results {
		if opt.PerTopic {
			for i, topic := range r.Topics {
				row := []string{r.Run.Tag, topic}
				for c, col := range r.Columns {
					if col.Family.NoPerTopic {
						row = append(row, "")
						continue
					}
					row = append(row, tableNumber(r.PerTopic[i][c], col.Family.Integer))
				}
				if err := tw.Append(row); err != nil {
					return err
				}
			}
		}
		row := []string{r.Run.Tag, "all"}
		for c, col := range r.Columns {
			row = append(row, tableNumber(r.All[c], col.Family.Integer))
		}
		if err := tw.Append(row); err != nil {
			return err
		}
	}
	return tw.Render()
}

func tableNumber(v float64, integer bool) string {
	switch {
	case math.IsNaN(v):
		return "–"
	case integer:
		return strconv.FormatInt(int64(v), 10)
	default:
		return strconv.FormatFloat(v, 'f', 4, 64)
	}
}
