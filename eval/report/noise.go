package report

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/gocarina/gocsv"

	"github.com/ntcir-pmr/mreval/eval/noise"

	"github.com/ntcir-pmr/mreval/internal/safetext"
	"github.com/ntcir-pmr/mreval/internal/texttable"
)

// NoiseFormats are the formats of `mreval noise`.
var NoiseFormats = []string{"table", "csv", "json"}

// NoiseWriterFor returns the writer of a noise report format.
func NoiseWriterFor(format string) (func(io.Writer, *noise.Report) error, bool) {
	switch format {
	case "table":
		return WriteNoiseTable, true
	case "csv":
		return WriteNoiseCSV, true
	case "json":
		return WriteNoiseJSON, true
	}
	return nil, false
}

// noiseLevel prints a level as a percentage (0.95 → 95%).
func noiseLevel(level float64) string {
	return strconv.FormatFloat(100*level, 'g', 10, 64) + "%"
}

func noiseCell(s noise.Summary) string {
	if s.Defined == 0 {
		return "–"
	}
	return fmt.Sprintf("%s [%s, %s]", tableNumber(s.Mean, false), tableNumber(s.Lo, false), tableNumber(s.Hi, false))
}

// WriteNoiseTable writes the noise report as text: a line saying what was
// drawn, the per-topic table (fine-tuning noise, then the oracle's
// ceiling per measure as `mean [lo, hi]` over the draws, and an `all` row
// of means over the topics) and, with runs, a table of each run's score on
// the shipped qrels next to its distribution over the same draws.
func WriteNoiseTable(w io.Writer, r *noise.Report) error {
	bw := bufio.NewWriter(w)
	topics := fmt.Sprintf("%d topics", len(r.Topics))
	if len(r.Topics) == 1 {
		topics = "1 topic"
	}
	fmt.Fprintf(bw, "Noise ceilings of %s on %s: %s noise model, %d draws, seed %d.\n",
		topics, r.Collection, r.Model, r.Draws, r.Seed)
	fmt.Fprintf(bw, "sigma, sigma_mad: spread of fine-tuning over seeds (points). Measures: the oracle (the qrels order) scored on each re-drawn ground truth, mean [%s interval].\n", noiseLevel(r.Level))
	if err := bw.Flush(); err != nil {
		return err
	}
	header := append([]string{"topic", "seed_runs", "sigma", "sigma_mad"}, r.Measures...)
	tab := texttable.New(w)
	tab.Header(header)
	for _, tr := range append(append([]noise.TopicReport(nil), r.Topics...), r.All) {
		row := []string{tr.ID, strconv.Itoa(tr.SeedRuns), tableNumber(tr.Sigma, false), tableNumber(tr.SigmaMAD, false)}
		for _, s := range tr.Ceiling {
			row = append(row, noiseCell(s))
		}
		if err := tab.Append(row); err != nil {
			return err
		}
	}
	if err := tab.Render(); err != nil {
		return err
	}
	if len(r.Runs) == 0 {
		return nil
	}
	fmt.Fprintf(bw, "\nRuns: score on the shipped qrels, and mean [%s interval] on the same draws.\n", noiseLevel(r.Level))
	if err := bw.Flush(); err != nil {
		return err
	}
	header = []string{"run", "topic"}
	for _, m := range r.Measures {
		header = append(header, m, m+" under noise")
	}
	tab = texttable.New(w)
	tab.Header(header)
	for _, run := range r.Runs {
		for t, tr := range r.Topics {
			row := []string{run.Tag, tr.ID}
			for m := range r.Measures {
				row = append(row, tableNumber(run.Score[t][m], false), noiseCell(run.Noise[t][m]))
			}
			if err := tab.Append(row); err != nil {
				return err
			}
		}
		row := []string{run.Tag, "all"}
		for m := range r.Measures {
			row = append(row, tableNumber(run.AllScore[m], false), noiseCell(run.AllNoise[m]))
		}
		if err := tab.Append(row); err != nil {
			return err
		}
	}
	return tab.Render()
}

// noiseCSVRow is one line of the long CSV format of the noise report.
type noiseCSVRow struct {
	System   string `csv:"system"`
	Topic    string `csv:"topic"`
	SeedRuns int    `csv:"seed_runs"`
	Sigma    string `csv:"sigma"`
	SigmaMAD string `csv:"sigma_mad"`
	Measure  string `csv:"measure"`
	Score    string `csv:"score"`
	Mean     string `csv:"mean"`
	Lo       string `csv:"lo"`
	Hi       string `csv:"hi"`
}

// WriteNoiseCSV writes the long format
// system,topic,seed_runs,sigma,sigma_mad,measure,score,mean,lo,hi: one row
// per system (`oracle`, then the runs), topic (then `all`, the mean over
// the topics) and measure. score is the run's score on the shipped qrels
// (empty for the oracle); mean, lo and hi describe the draws; the topic's
// noise columns repeat on each of its rows. Empty = undefined.
func WriteNoiseCSV(w io.Writer, r *noise.Report) error {
	topics := append(append([]noise.TopicReport(nil), r.Topics...), r.All)
	var rows []noiseCSVRow
	row := func(system string, tr noise.TopicReport, m int, score float64, s noise.Summary) noiseCSVRow {
		return noiseCSVRow{safetext.CSVCell(system), safetext.CSVCell(tr.ID), tr.SeedRuns, csvNumber(tr.Sigma, false), csvNumber(tr.SigmaMAD, false),
			r.Measures[m], csvNumber(score, false), summaryCSV(s.Mean, s), summaryCSV(s.Lo, s), summaryCSV(s.Hi, s)}
	}
	for _, tr := range topics {
		for m, s := range tr.Ceiling {
			rows = append(rows, row(noise.OracleTag, tr, m, math.NaN(), s))
		}
	}
	for _, run := range r.Runs {
		for t, tr := range topics {
			for m := range r.Measures {
				if t < len(r.Topics) {
					rows = append(rows, row(run.Tag, tr, m, run.Score[t][m], run.Noise[t][m]))
				} else {
					rows = append(rows, row(run.Tag, tr, m, run.AllScore[m], run.AllNoise[m]))
				}
			}
		}
	}
	return gocsv.Marshal(rows, w)
}

func summaryCSV(v float64, s noise.Summary) string {
	if s.Defined == 0 {
		return ""
	}
	return csvNumber(v, false)
}

// WriteNoiseJSON writes
//
//	{"collection": NAME, "noise_model": MODEL, "draws": B, "seed": N, "level": 0.95,
//	 "topics": {TOPIC: {"sigma": σ_t, "sigma_mad": m, "seed_runs": n,
//	                    "ceiling": {MEASURE: {"mean": m, "lo": l, "hi": h}}}},
//	 "all": {same, means over the topics (seed_runs: the total)},
//	 "runs": {RUNTAG: {TOPIC or "all": {MEASURE: {"score": s, "mean": m, "lo": l, "hi": h}}}}}
//
// with "runs" only when runs were given; keys keep the report's order;
// numbers are exact (shortest round-trip form), null when undefined.
func WriteNoiseJSON(w io.Writer, r *noise.Report) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "{\n  \"collection\": %s,\n  \"noise_model\": %s,\n  \"draws\": %d,\n  \"seed\": %d,\n  \"level\": %s,\n  \"topics\": {",
		jsonString(r.Collection), jsonString(r.Model.String()), r.Draws, r.Seed, formatNumber(r.Level, false))
	topicJSON := func(tr noise.TopicReport) {
		fmt.Fprintf(bw, "{\"sigma\": %s, \"sigma_mad\": %s, \"seed_runs\": %d, \"ceiling\": {",
			formatNumber(tr.Sigma, false), formatNumber(tr.SigmaMAD, false), tr.SeedRuns)
		for m, s := range tr.Ceiling {
			if m > 0 {
				bw.WriteString(", ")
			}
			fmt.Fprintf(bw, "%s: %s", jsonString(r.Measures[m]), summaryJSON("", s))
		}
		bw.WriteString("}}")
	}
	for i, tr := range r.Topics {
		if i > 0 {
			bw.WriteString(",")
		}
		fmt.Fprintf(bw, "\n    %s: ", jsonString(tr.ID))
		topicJSON(tr)
	}
	bw.WriteString("\n  },\n  \"all\": ")
	topicJSON(r.All)
	if len(r.Runs) > 0 {
		bw.WriteString(",\n  \"runs\": {")
		for k, run := range r.Runs {
			if k > 0 {
				bw.WriteString(",")
			}
			fmt.Fprintf(bw, "\n    %s: {", jsonString(run.Tag))
			measures := func(scores []float64, noise []noise.Summary) {
				for m := range r.Measures {
					if m > 0 {
						bw.WriteString(", ")
					}
					fmt.Fprintf(bw, "%s: %s", jsonString(r.Measures[m]), summaryJSON(formatNumber(scores[m], false), noise[m]))
				}
			}
			for t, tr := range r.Topics {
				fmt.Fprintf(bw, "\n      %s: {", jsonString(tr.ID))
				measures(run.Score[t], run.Noise[t])
				bw.WriteString("},")
			}
			bw.WriteString("\n      \"all\": {")
			measures(run.AllScore, run.AllNoise)
			bw.WriteString("}\n    }")
		}
		bw.WriteString("\n  }")
	}
	bw.WriteString("\n}\n")
	return bw.Flush()
}

// summaryJSON writes {"score": score (when given), "mean", "lo", "hi"}.
func summaryJSON(score string, s noise.Summary) string {
	num := func(v float64) string {
		if s.Defined == 0 {
			return "null"
		}
		return formatNumber(v, false)
	}
	out := "{"
	if score != "" {
		out += "\"score\": " + score + ", "
	}
	return out + fmt.Sprintf("\"mean\": %s, \"lo\": %s, \"hi\": %s}", num(s.Mean), num(s.Lo), num(s.Hi))
}
