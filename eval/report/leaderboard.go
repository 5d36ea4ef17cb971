package report

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/gocarina/gocsv"

	"github.com/ntcir-pmr/mreval/eval/leaderboard"

	"github.com/ntcir-pmr/mreval/internal/safetext"
)

// LeaderboardOptions select what a leaderboard report shows beyond the
// leaderboard itself.
type LeaderboardOptions struct {
	// Timestamp, when not empty, is printed as the time the report was
	// made. Reports carry no time otherwise, so that the same inputs and
	// seed give byte-identical output.
	Timestamp string
	// Describe shows each run's team and system description even when no
	// run has one (they are shown anyway when some run has; see
	// describeRuns).
	Describe bool
}

// LeaderboardWriter writes a leaderboard in one format.
type LeaderboardWriter func(io.Writer, *leaderboard.Leaderboard, LeaderboardOptions) error

// LeaderboardFormats lists the formats of LeaderboardWriterFor.
var LeaderboardFormats = []string{"table", "csv", "md", "latex", "json", "html"}

// LeaderboardWriterFor returns the writer of a format named in
// LeaderboardFormats.
func LeaderboardWriterFor(format string) (LeaderboardWriter, bool) {
	switch format {
	case "table":
		return WriteLeaderboardTable, true
	case "csv":
		return WriteLeaderboardCSV, true
	case "md":
		return WriteLeaderboardMarkdown, true
	case "latex":
		return WriteLeaderboardLaTeX, true
	case "json":
		return WriteLeaderboardJSON, true
	case "html":
		return WriteLeaderboardHTML, true
	}
	return nil, false
}

// Number formats shared by the human-readable leaderboard formats.

const undefinedCell = "–"

func fmtMean(v float64) string {
	if math.IsNaN(v) {
		return undefinedCell
	}
	return strconv.FormatFloat(v, 'f', 4, 64)
}

// fmtStat prints a test statistic or an effect size.
func fmtStat(v float64) string {
	switch {
	case math.IsNaN(v):
		return undefinedCell
	case math.IsInf(v, 1):
		return "∞"
	case math.IsInf(v, -1):
		return "−∞"
	}
	return strconv.FormatFloat(v, 'f', 3, 64)
}

// fmtP prints a p-value with four decimals; values below 10⁻⁴ (including
// a Monte Carlo p of 0, which means p < 1/B) print as <0.0001.
func fmtP(p float64) string {
	switch {
	case math.IsNaN(p):
		return undefinedCell
	case p < 0.0001:
		return "<0.0001"
	}
	return strconv.FormatFloat(p, 'f', 4, 64)
}

func fmtInterval(iv leaderboard.Interval) string {
	if iv.Undefined != "" || math.IsNaN(iv.Lower) {
		return undefinedCell
	}
	return "[" + fmtMean(iv.Lower) + ", " + fmtMean(iv.Upper) + "]"
}

func fmtLevel(level float64) string {
	return strconv.FormatFloat(100*level, 'g', 10, 64) + "%"
}

func fmtAlpha(alpha float64) string { return strconv.FormatFloat(alpha, 'f', -1, 64) }

func direction(m *leaderboard.Measure) string {
	if m.HigherIsBetter {
		return "higher is better"
	}
	return "lower is better"
}

// exactNumber prints a value exactly (shortest round-trip form); NaN is
// the empty string.
func exactNumber(v float64) string {
	switch {
	case math.IsNaN(v):
		return ""
	case math.IsInf(v, 1):
		return "Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// summary is the one-line description every human-readable format opens with.
func summary(lb *leaderboard.Leaderboard) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d %s × %d %s", len(lb.Runs), plural(len(lb.Runs), "run", "runs"), len(lb.Topics), plural(len(lb.Topics), "topic", "topics"))
	if lb.Collection != "" {
		fmt.Fprintf(&b, ", collection %s", lb.Collection)
	}
	if lb.Qrels != "" {
		fmt.Fprintf(&b, ", qrels %s", lb.Qrels)
	}
	if lb.TopicsFrom != "" {
		fmt.Fprintf(&b, ", topics %s", lb.TopicsFrom)
	}
	if lb.Constraint != "" {
		fmt.Fprintf(&b, ", only models with %s", lb.Constraint)
	}
	return b.String()
}

// method describes the statistics in one sentence.
func method(lb *leaderboard.Leaderboard) string {
	sort := &lb.Measures[lb.SortBy]
	return fmt.Sprintf("sorted by %s (%s); %s confidence intervals (t and percentile bootstrap, B = %d); paired t and randomisation tests (B = %d, exact when 2ⁿ ≤ B) with Holm correction; randomised Tukey HSD (B = %d); α = %s; seed %d",
		sort.Name, direction(sort), fmtLevel(lb.Level), lb.Resamples, lb.Resamples, lb.Permutations, fmtAlpha(lb.Alpha), lb.Seed)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// notes lists why statistics are undefined, grouping the subjects that
// share a reason, and which runs miss topics.
func notes(lb *leaderboard.Leaderboard) []string {
	var out []string
	for _, r := range lb.Runs {
		if len(r.Missing) > 0 {
			out = append(out, fmt.Sprintf("run %s does not rank %d of the %d topics (%s); %s scored on an empty ranking",
				r.Tag, len(r.Missing), len(lb.Topics), strings.Join(r.Missing, ", "), plural(len(r.Missing), "it is", "they are")))
		}
	}
	single := len(lb.Runs) == 1
	if single {
		out = append(out, "a single run: no pairwise comparisons, Tukey HSD test or ES_HSD")
	}
	for mi := range lb.Measures {
		m := &lb.Measures[mi]
		type group struct {
			what, reason string
			subjects     []string
		}
		var groups []*group
		add := func(what, reason, subject string) {
			if reason == "" {
				return
			}
			for _, g := range groups {
				if g.what == what && g.reason == reason {
					g.subjects = append(g.subjects, subject)
					return
				}
			}
			groups = append(groups, &group{what, reason, []string{subject}})
		}
		// Runs undefined on the same topics share a line.
		var undefTopics []string
		undefRuns := map[string][]string{}
		for d, rs := range m.Runs {
			if rs.Undefined == 0 || rs.MeanUndefined != "" {
				continue
			}
			var ts []string
			for t, v := range m.Scores[d] {
				if math.IsNaN(v) {
					ts = append(ts, lb.Topics[t])
				}
			}
			key := strings.Join(ts, ", ")
			if undefRuns[key] == nil {
				undefTopics = append(undefTopics, key)
			}
			undefRuns[key] = append(undefRuns[key], lb.Runs[d].Tag)
		}
		for _, key := range undefTopics {
			rs := undefRuns[key]
			out = append(out, fmt.Sprintf("%s: undefined on %s %s for %s %s; means and intervals use the other topics",
				m.Name, plural(strings.Count(key, ",")+1, "topic", "topics"), key, plural(len(rs), "run", "runs"), strings.Join(rs, ", ")))
		}
		for d, rs := range m.Runs {
			tag := lb.Runs[d].Tag
			if rs.MeanUndefined != "" {
				add("mean", rs.MeanUndefined, tag)
				continue
			}
			add("t interval", rs.T.Undefined, tag)
			add("bootstrap interval", rs.Bootstrap.Undefined, tag)
		}
		for _, p := range m.Pairs {
			pair := lb.Runs[p.A].Tag + " – " + lb.Runs[p.B].Tag
			add("t-test", p.TUndefined, pair)
			add("randomisation test", p.RandUndefined, pair)
			add("Hedges' g_z", p.HedgesGUndefined, pair)
		}
		for _, g := range groups {
			subj := strings.Join(g.subjects, ", ")
			if len(g.subjects) > 3 {
				subj = fmt.Sprintf("%d %s", len(g.subjects), plural(len(g.subjects), "case", "cases"))
			}
			out = append(out, fmt.Sprintf("%s: %s undefined (%s): %s", m.Name, g.what, subj, g.reason))
		}
		if single {
			continue
		}
		if m.HSD.Undefined != "" {
			out = append(out, fmt.Sprintf("%s: Tukey HSD test undefined: %s", m.Name, m.HSD.Undefined))
		} else if len(m.HSD.Dropped) > 0 {
			out = append(out, fmt.Sprintf("%s: the Tukey HSD test, its letters and ES_HSD use the %d topics defined for every run (left out: %s)", m.Name, m.HSD.Topics, strings.Join(m.HSD.Dropped, ", ")))
		}
		if m.HSD.LettersUndefined != "" && m.HSD.LettersUndefined != m.HSD.Undefined {
			out = append(out, fmt.Sprintf("%s: letter display undefined: %s", m.Name, m.HSD.LettersUndefined))
		}
		if m.HSD.ESUndefined != "" {
			out = append(out, fmt.Sprintf("%s: ES_HSD undefined: %s", m.Name, m.HSD.ESUndefined))
		}
	}
	return out
}

// cellMean is a mean with its letters, for the overview table.
func cellMean(rs leaderboard.RunStats) string {
	s := fmtMean(rs.Mean)
	if rs.Letters != "" {
		s += " " + rs.Letters
	}
	return s
}

// WriteLeaderboardTable writes the leaderboard as text tables: the
// overview (mean and Tukey HSD letters per measure), then per measure the
// means with confidence intervals, the pairwise comparisons and the HSD
// p-value matrix, then notes on undefined statistics.
func WriteLeaderboardTable(w io.Writer, lb *leaderboard.Leaderboard, opt LeaderboardOptions) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "Leaderboard: %s\n", summary(lb))
	fmt.Fprintf(bw, "%s\n", method(lb))
	if opt.Timestamp != "" {
		fmt.Fprintf(bw, "generated %s\n", opt.Timestamp)
	}
	bw.WriteString("\n")

	describe := describeRuns(lb, opt)
	header := []string{"rank", "run"}
	for _, m := range lb.Measures {
		header = append(header, m.Name)
	}
	if describe {
		header = append(header, "team", "description")
	}
	t := NewTable(bw)
	t.Header(header)
	for d, r := range lb.Runs {
		row := []string{strconv.Itoa(r.Rank), r.Tag}
		for _, m := range lb.Measures {
			row = append(row, cellMean(m.Runs[d]))
		}
		if describe {
			row = append(row, r.Team, clipDescription(r.Description))
		}
		if err := t.Append(row); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	fmt.Fprintf(bw, "Letters: Tukey HSD compact letter display; runs sharing a letter are not significantly different at α = %s.\n", fmtAlpha(lb.Alpha))
	if err := writeNoiseTable(bw, lb); err != nil {
		return err
	}

	for mi := range lb.Measures {
		m := &lb.Measures[mi]
		fmt.Fprintf(bw, "\n== %s (%s) ==\n", m.Name, direction(m))
		t := NewTable(bw)
		lvl := fmtLevel(lb.Level)
		t.Header([]string{"rank", "run", "mean", "t " + lvl + " CI", "bootstrap " + lvl + " CI", "topics", "undefined", "HSD"})
		for d, r := range lb.Runs {
			rs := m.Runs[d]
			if err := t.Append([]string{strconv.Itoa(r.Rank), r.Tag, fmtMean(rs.Mean), fmtInterval(rs.T), fmtInterval(rs.Bootstrap),
				strconv.Itoa(rs.Topics), strconv.Itoa(rs.Undefined), rs.Letters}); err != nil {
				return err
			}
		}
		if err := t.Render(); err != nil {
			return err
		}
		if len(m.Pairs) == 0 {
			continue
		}
		fmt.Fprintf(bw, "\nPairwise comparisons of %s (A − B; two-sided p; Holm over %d t-tests and %d randomisation tests):\n", m.Name, m.TTestFamily, m.RandomisationFamily)
		t = NewTable(bw)
		t.Header([]string{"A", "B", "A−B", "t", "p t", "Holm t", "p rand", "Holm rand", "g_z", "p HSD", "ES_HSD"})
		for _, p := range m.Pairs {
			if err := t.Append([]string{lb.Runs[p.A].Tag, lb.Runs[p.B].Tag, fmtMean(p.MeanDiff), fmtStat(p.T), fmtP(p.TP), fmtP(p.THolm),
				fmtP(p.RandP), fmtP(p.RandHolm), fmtStat(p.HedgesG), fmtP(p.HSDP), fmtStat(p.ESHSD)}); err != nil {
				return err
			}
		}
		if err := t.Render(); err != nil {
			return err
		}
		if m.HSD.P != nil {
			fmt.Fprintf(bw, "\nTukey HSD p-values of %s (%d topics, B = %d; columns are leaderboard positions):\n", m.Name, m.HSD.Topics, m.HSD.Permutations)
			t = NewTable(bw)
			h := []string{"run"}
			for d := range lb.Runs {
				h = append(h, strconv.Itoa(d+1))
			}
			t.Header(h)
			for d, r := range lb.Runs {
				row := []string{strconv.Itoa(d+1) + " " + r.Tag}
				for e := range lb.Runs {
					if d == e {
						row = append(row, "")
					} else {
						row = append(row, fmtP(m.HSD.P[d][e]))
					}
				}
				if err := t.Append(row); err != nil {
					return err
				}
			}
			if err := t.Render(); err != nil {
				return err
			}
		}
	}
	if ns := notes(lb); len(ns) > 0 {
		bw.WriteString("\nNotes:\n")
		for _, n := range ns {
			fmt.Fprintf(bw, "- %s\n", n)
		}
	}
	return bw.Flush()
}

// leaderboardCSVRow is one (run, measure) row of the CSV leaderboard.
type leaderboardCSVRow struct {
	Rank           int    `csv:"rank"`
	Run            string `csv:"run"`
	Measure        string `csv:"measure"`
	HigherIsBetter bool   `csv:"higher_is_better"`
	Mean           string `csv:"mean"`
	TLower         string `csv:"t_lower"`
	TUpper         string `csv:"t_upper"`
	BootLower      string `csv:"bootstrap_lower"`
	BootUpper      string `csv:"bootstrap_upper"`
	Topics         int    `csv:"topics"`
	Undefined      int    `csv:"undefined"`
	Letters        string `csv:"hsd_letters"`
	Best           bool   `csv:"best"`
	WorseThanBest  bool   `csv:"worse_than_best"`
}

// WriteLeaderboardCSV writes one row per run and measure, runs in
// leaderboard order: rank, run, measure, direction, mean, both interval
// bounds, topics used and undefined, the Tukey HSD letters, whether the
// mean is the best and whether the run differs significantly from the best
// run (randomisation test, Holm, p < α). Numbers are exact; an empty
// field is undefined. Pairwise statistics are in the json format.
func WriteLeaderboardCSV(w io.Writer, lb *leaderboard.Leaderboard, opt LeaderboardOptions) error {
	if describeRuns(lb, opt) {
		return writeLeaderboardCSVDescribed(w, lb)
	}
	var rows []leaderboardCSVRow
	for d, r := range lb.Runs {
		for _, m := range lb.Measures {
			rs := m.Runs[d]
			rows = append(rows, leaderboardCSVRow{
				Rank: r.Rank, Run: safetext.CSVCell(r.Tag), Measure: m.Name, HigherIsBetter: m.HigherIsBetter,
				Mean:   exactNumber(rs.Mean),
				TLower: exactNumber(rs.T.Lower), TUpper: exactNumber(rs.T.Upper),
				BootLower: exactNumber(rs.Bootstrap.Lower), BootUpper: exactNumber(rs.Bootstrap.Upper),
				Topics: rs.Topics, Undefined: rs.Undefined, Letters: rs.Letters,
				Best: rs.Best, WorseThanBest: rs.WorseThanBest,
			})
		}
	}
	return gocsv.Marshal(rows, w)
}

// mdEscape escapes text for a Markdown table cell.
func mdEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `|`, `\|`, `*`, `\*`, `_`, `\_`, "`", "\\`", `<`, `&lt;`, `>`, `&gt;`, `[`, `\[`, `]`, `\]`)
	return r.Replace(s)
}

func mdRow(b *bufio.Writer, cells ...string) {
	b.WriteString("|")
	for _, c := range cells {
		b.WriteString(" " + c + " |")
	}
	b.WriteString("\n")
}

func mdAlign(b *bufio.Writer, aligns string) {
	b.WriteString("|")
	for _, a := range aligns {
		if a == 'l' {
			b.WriteString("---|")
		} else {
			b.WriteString("---:|")
		}
	}
	b.WriteString("\n")
}

// mdMean is a mean for the Markdown overview: bold when best, letters,
// and † when significantly different from the best run.
func mdMean(rs leaderboard.RunStats) string {
	s := fmtMean(rs.Mean)
	if rs.Best {
		s = "**" + s + "**"
	}
	if rs.Letters != "" {
		s += " <sup>" + rs.Letters + "</sup>"
	}
	if rs.WorseThanBest {
		s += " †"
	}
	return s
}

// WriteLeaderboardMarkdown writes the leaderboard as GitHub-flavoured
// Markdown: the overview, then per measure the intervals, the pairwise
// comparisons and the HSD p-value matrix, then notes.
func WriteLeaderboardMarkdown(w io.Writer, lb *leaderboard.Leaderboard, opt LeaderboardOptions) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# Leaderboard\n\n%s.\n\n%s.\n", mdEscape(summary(lb)), mdEscape(method(lb)))
	if opt.Timestamp != "" {
		fmt.Fprintf(bw, "\nGenerated %s.\n", opt.Timestamp)
	}
	bw.WriteString("\n")
	describe := describeRuns(lb, opt)
	cells := []string{"rank", "run"}
	aligns := "rl"
	for _, m := range lb.Measures {
		arrow := " ↑"
		if !m.HigherIsBetter {
			arrow = " ↓"
		}
		cells = append(cells, mdEscape(m.Name)+arrow)
		aligns += "r"
	}
	if describe {
		cells = append(cells, "team", "description")
		aligns += "ll"
	}
	mdRow(bw, cells...)
	mdAlign(bw, aligns)
	for d, r := range lb.Runs {
		cells := []string{strconv.Itoa(r.Rank), mdEscape(r.Tag)}
		for _, m := range lb.Measures {
			cells = append(cells, mdMean(m.Runs[d]))
		}
		if describe {
			cells = append(cells, mdEscape(r.Team), mdEscape(r.Description))
		}
		mdRow(bw, cells...)
	}
	fmt.Fprintf(bw, "\nBold: best mean. Letters: Tukey HSD compact letter display (runs sharing a letter are not significantly different at α = %s). †: significantly different from the best run (paired randomisation test, Holm-adjusted p < %s).\n",
		fmtAlpha(lb.Alpha), fmtAlpha(lb.Alpha))
	writeNoiseMarkdown(bw, lb)

	lvl := fmtLevel(lb.Level)
	for mi := range lb.Measures {
		m := &lb.Measures[mi]
		fmt.Fprintf(bw, "\n## %s (%s)\n\n", mdEscape(m.Name), direction(m))
		mdRow(bw, "rank", "run", "mean", "t "+lvl+" CI", "bootstrap "+lvl+" CI", "topics", "undefined", "HSD")
		mdAlign(bw, "rlrllrrl")
		for d, r := range lb.Runs {
			rs := m.Runs[d]
			mdRow(bw, strconv.Itoa(r.Rank), mdEscape(r.Tag), fmtMean(rs.Mean), fmtInterval(rs.T), fmtInterval(rs.Bootstrap),
				strconv.Itoa(rs.Topics), strconv.Itoa(rs.Undefined), rs.Letters)
		}
		if len(m.Pairs) == 0 {
			continue
		}
		fmt.Fprintf(bw, "\nPairwise comparisons (A − B; two-sided p; Holm over %d t-tests and %d randomisation tests):\n\n", m.TTestFamily, m.RandomisationFamily)
		mdRow(bw, "A", "B", "A−B", "t", "p t", "Holm t", "p rand", "Holm rand", "g_z", "p HSD", "ES_HSD")
		mdAlign(bw, "llrrrrrrrrr")
		for _, p := range m.Pairs {
			mdRow(bw, mdEscape(lb.Runs[p.A].Tag), mdEscape(lb.Runs[p.B].Tag), fmtMean(p.MeanDiff), fmtStat(p.T), fmtP(p.TP), fmtP(p.THolm),
				fmtP(p.RandP), fmtP(p.RandHolm), fmtStat(p.HedgesG), fmtP(p.HSDP), fmtStat(p.ESHSD))
		}
		if m.HSD.P != nil {
			fmt.Fprintf(bw, "\nTukey HSD p-values (%d topics, B = %d; columns are leaderboard positions):\n\n", m.HSD.Topics, m.HSD.Permutations)
			cells := []string{"run"}
			aligns := "l"
			for d := range lb.Runs {
				cells = append(cells, strconv.Itoa(d+1))
				aligns += "r"
			}
			mdRow(bw, cells...)
			mdAlign(bw, aligns)
			for d, r := range lb.Runs {
				cells := []string{strconv.Itoa(d+1) + " " + mdEscape(r.Tag)}
				for e := range lb.Runs {
					if d == e {
						cells = append(cells, "")
					} else {
						cells = append(cells, fmtP(m.HSD.P[d][e]))
					}
				}
				mdRow(bw, cells...)
			}
		}
	}
	if ns := notes(lb); len(ns) > 0 {
		bw.WriteString("\n## Notes\n\n")
		for _, n := range ns {
			fmt.Fprintf(bw, "- %s\n", mdEscape(n))
		}
	}
	return bw.Flush()
}
