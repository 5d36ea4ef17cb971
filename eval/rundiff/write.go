package rundiff

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/ntcir-pmr/mreval/internal/safetext"
	"github.com/ntcir-pmr/mreval/internal/texttable"
)

// WriteTable writes one row per topic and a closing `all` row: identical
// topics out of all, summed counts, the mean τ over the topics where it is
// defined, the largest score delta and the deltas of the aggregates.
func WriteTable(w io.Writer, d *Diff) error {
	header := []string{"topic", "same", "docs_a", "docs_b", "only_a", "only_b", "moved", "tau", "max_dscore"}
	for _, col := range d.Columns {
		header = append(header, "Δ"+col.Name)
	}
	t := texttable.New(w)
	t.Header(header)
	for _, tp := range d.Topics {
		row := []string{safetext.CSVCell(tp.Topic), yesNo(tp.Identical), itoa(tp.DocsA), itoa(tp.DocsB), itoa(tp.OnlyA), itoa(tp.OnlyB),
			itoa(tp.Moved), fixed(tp.Tau, "%.4f"), fixed(tp.ScoreDelta, "%.3g")}
		for _, v := range tp.Delta {
			row = append(row, fixed(v, "%+.4f"))
		}
		if err := t.Append(row); err != nil {
			return err
		}
	}
	s := d.Summarize()
	row := []string{"all", fmt.Sprintf("%d/%d", s.Identical, s.Topics), itoa(s.DocsA), itoa(s.DocsB), itoa(s.OnlyA), itoa(s.OnlyB),
		itoa(s.Moved), fixed(s.MeanTau, "%.4f"), fixed(s.MaxScoreDelta, "%.3g")}
	for _, v := range d.AllDelta {
		row = append(row, fixed(v, "%+.4f"))
	}
	if err := t.Append(row); err != nil {
		return err
	}
	return t.Render()
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func itoa(n int) string { return strconv.Itoa(n) }

func fixed(v float64, format string) string {
	if math.IsNaN(v) {
		return "–"
	}
	return fmt.Sprintf(format, v)
}

// exact prints a value in shortest round-trip form, or "" for NaN.
func exact(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// number is a JSON number that is null when NaN.
type number float64

func (n number) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(n)) {
		return []byte("null"), nil
	}
	return []byte(exact(float64(n))), nil
}

// deltas is a JSON object of measure → number in column order.
type deltas struct {
	names []string
	vals  []float64
}

func (d deltas) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, n := range d.names {
		if i > 0 {
			b.WriteString(", ")
		}
		key, _ := json.Marshal(n)
		b.Write(key)
		b.WriteString(": ")
		v, _ := number(d.vals[i]).MarshalJSON()
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

type jsonRun struct {
	Run  string `json:"run"`
	File string `json:"file"`
}

type jsonTopic struct {
	Topic         string  `json:"topic"`
	Identical     bool    `json:"identical"`
	DocsA         int     `json:"docs_a"`
	DocsB         int     `json:"docs_b"`
	OnlyA         int     `json:"only_a"`
	OnlyB         int     `json:"only_b"`
	Moved         int     `json:"moved"`
	Tau           number  `json:"tau"`
	MaxScoreDelta number  `json:"max_score_delta"`
	Delta         *deltas `json:"delta,omitempty"`
}

type jsonAll struct {
	Topics        int     `json:"topics"`
	Identical     int     `json:"identical"`
	DocsA         int     `json:"docs_a"`
	DocsB         int     `json:"docs_b"`
	OnlyA         int     `json:"only_a"`
	OnlyB         int     `json:"only_b"`
	Moved         int     `json:"moved"`
	MeanTau       number  `json:"mean_tau"`
	MaxScoreDelta number  `json:"max_score_delta"`
	Delta         *deltas `json:"delta,omitempty"`
}

type jsonDiff struct {
	RunA      jsonRun     `json:"run_a"`
	RunB      jsonRun     `json:"run_b"`
	Identical bool        `json:"identical"`
	Topics    []jsonTopic `json:"topics"`
	All       jsonAll     `json:"all"`
}

// WriteJSON writes the comparison as one object: run_a, run_b, identical,
// topics (one object per topic) and all (the totals); tau and deltas are
// null where undefined, and "delta" appears only with scores.
func WriteJSON(w io.Writer, d *Diff) error {
	names := make([]string, len(d.Columns))
	for c, col := range d.Columns {
		names[c] = col.Name
	}
	withDelta := func(vals []float64) *deltas {
		if d.Columns == nil {
			return nil
		}
		return &deltas{names, vals}
	}
	out := jsonDiff{
		RunA:      jsonRun{d.A.Tag, d.A.File},
		RunB:      jsonRun{d.B.Tag, d.B.File},
		Identical: d.Identical(),
		Topics:    []jsonTopic{},
	}
	for _, t := range d.Topics {
		out.Topics = append(out.Topics, jsonTopic{t.Topic, t.Identical, t.DocsA, t.DocsB, t.OnlyA, t.OnlyB, t.Moved,
			number(t.Tau), number(t.ScoreDelta), withDelta(t.Delta)})
	}
	s := d.Summarize()
	out.All = jsonAll{s.Topics, s.Identical, s.DocsA, s.DocsB, s.OnlyA, s.OnlyB, s.Moved,
		number(s.MeanTau), number(s.MaxScoreDelta), withDelta(d.AllDelta)}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteCSV writes one row per topic and a closing `all` row (identical =
// every topic identical; tau = the mean τ); undefined values are empty and
// measure deltas are the columns delta_<measure>.
func WriteCSV(w io.Writer, d *Diff) error {
	cw := csv.NewWriter(w)
	header := []string{"topic", "identical", "docs_a", "docs_b", "only_a", "only_b", "moved", "tau", "max_score_delta"}
	for _, col := range d.Columns {
		header = append(header, "delta_"+col.Name)
	}
	cw.Write(header)
	for _, t := range d.Topics {
		row := []string{t.Topic, strconv.FormatBool(t.Identical), itoa(t.DocsA), itoa(t.DocsB), itoa(t.OnlyA), itoa(t.OnlyB),
			itoa(t.Moved), exact(t.Tau), exact(t.ScoreDelta)}
		for _, v := range t.Delta {
			row = append(row, exact(v))
		}
		cw.Write(row)
	}
	s := d.Summarize()
	row := []string{"all", strconv.FormatBool(d.Identical()), itoa(s.DocsA), itoa(s.DocsB), itoa(s.OnlyA), itoa(s.OnlyB),
		itoa(s.Moved), exact(s.MeanTau), exact(s.MaxScoreDelta)}
	for _, v := range d.AllDelta {
		row = append(row, exact(v))
	}
	cw.Write(row)
	cw.Flush()
	return cw.Error()
}
