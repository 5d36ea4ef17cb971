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
	"github.com/ntcir-pmr/mreval/internal/texttable"
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
	// Details makes the text table show everything the other formats
	// show: per measure the confidence intervals, the pairwise comparisons
	// and the HSD p-value matrix. Without it the text table is the answer
	// first: the ranking, what the letters separate, the noise ceiling and
	// the notes that bear on them, and a last line saying how to see the
	// rest (mreval leaderboard --details). The other formats ignore it and
	// always hold everything.
	Details bool
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

// briefMethod is method for the abridged text table, which shows only
// the means and the Tukey HSD letters.
func briefMethod(lb *leaderboard.Leaderboard) string {
	sort := &lb.Measures[lb.SortBy]
	return fmt.Sprintf("sorted by %s (%s); randomised Tukey HSD test with B = %d, seed %d",
		sort.Name, direction(sort), lb.Permutations, lb.Seed)
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
	for _, n := range boardNotes(lb) {
		out = append(out, n.text)
	}
	return out
}

// briefNotes are the notes that bear on what the abridged text table
// shows (means, ranks, letters): not those on intervals, pairwise tests
// or effect sizes, which only the details show.
func briefNotes(lb *leaderboard.Leaderboard) []string {
	var out []string
	for _, n := range boardNotes(lb) {
		if !n.detail {
			out = append(out, n.text)
		}
	}
	return out
}

type boardNote struct {
	text string
	// detail: the note is about a statistic only the details show.
	detail bool
}

func boardNotes(lb *leaderboard.Leaderboard) []boardNote {
	var out []boardNote
	for _, r := range lb.Runs {
		if len(r.Missing) > 0 {
			out = append(out, boardNote{text: fmt.Sprintf("run %s does not rank %d of the %d topics (%s); %s scored on an empty ranking",
				r.Tag, len(r.Missing), len(lb.Topics), strings.Join(r.Missing, ", "), plural(len(r.Missing), "it is", "they are"))})
		}
	}
	single := len(lb.Runs) == 1
	if single {
		out = append(out, boardNote{text: "a single run: nothing to compare it with, so no pairwise comparisons, Tukey HSD test, letters or ES_HSD"})
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
		note := func(format string, args ...any) {
			out = append(out, boardNote{text: fmt.Sprintf(format, args...)})
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
			note("%s: undefined on %s %s for %s %s; means and intervals use the other topics",
				m.Name, plural(strings.Count(key, ",")+1, "topic", "topics"), key, plural(len(rs), "run", "runs"), strings.Join(rs, ", "))
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
			// A mean undefined on every topic is on the overview; the
			// others are about intervals and tests.
			out = append(out, boardNote{text: fmt.Sprintf("%s: %s undefined (%s): %s", m.Name, g.what, subj, g.reason), detail: g.what != "mean"})
		}
		if single {
			continue
		}
		if m.HSD.Undefined != "" {
			note("%s: Tukey HSD test undefined, so no letters: %s", m.Name, m.HSD.Undefined)
		} else if len(m.HSD.Dropped) > 0 {
			note("%s: the Tukey HSD test, its letters and ES_HSD use the %d topics defined for every run (left out: %s)", m.Name, m.HSD.Topics, strings.Join(m.HSD.Dropped, ", "))
		}
		if m.HSD.LettersUndefined != "" && m.HSD.LettersUndefined != m.HSD.Undefined {
			note("%s: letter display undefined: %s", m.Name, m.HSD.LettersUndefined)
		}
		if m.HSD.ESUndefined != "" {
			out = append(out, boardNote{text: fmt.Sprintf("%s: ES_HSD undefined: %s", m.Name, m.HSD.ESUndefined), detail: true})
		}
	}
	return out
}

// hasLetters reports whether any run of the board carries HSD letters.
func hasLetters(lb *leaderboard.Leaderboard) bool {
	for _, m := range lb.Measures {
		for _, rs := range m.Runs {
			if rs.Letters != "" {
				return true
			}
		}
	}
	return false
}

// maxFindingGroups is how many runs' significant pairs a measure's line
// of hsdFindings names before it only counts the rest, and
// maxFindingNames how many runs it names in one group (the last name
// then counts the others).
const (
	maxFindingGroups = 3
	maxFindingNames  = 6
)

// hsdFindings says in words what the Tukey HSD test separates, one line
// per measure where it is defined: which runs are significantly worse
// than which (the letters say the same, tersely). A measure whose test is
// undefined has no line; the notes say why.
func hsdFindings(lb *leaderboard.Leaderboard) []string {
	var out []string
	for mi := range lb.Measures {
		m := &lb.Measures[mi]
		if m.HSD.Undefined != "" || len(m.HSD.Means) != len(lb.Runs) {
			continue
		}
		// worseThan[d]: the runs significantly better than run d, in
		// leaderboard order; the orientation is by the means the test
		// compared.
		worseThan := make([][]string, len(lb.Runs))
		pairs := 0
		for _, p := range m.Pairs {
			if !p.HSDSignificant {
				continue
			}
			pairs++
			better, worse := p.A, p.B
			if m.Better(m.HSD.Means[p.B], m.HSD.Means[p.A]) {
				better, worse = p.B, p.A
			}
			worseThan[worse] = append(worseThan[worse], lb.Runs[better].Tag)
		}
		if pairs == 0 {
			out = append(out, fmt.Sprintf("%s: no two runs differ significantly", m.Name))
			continue
		}
		var groups []string
		named := 0
		for d, better := range worseThan {
			if len(better) == 0 || len(groups) == maxFindingGroups {
				continue
			}
			if len(better) > maxFindingNames {
				better = append(better[:maxFindingNames-1:maxFindingNames-1], fmt.Sprintf("%d other runs", len(better)-maxFindingNames+1))
			}
			groups = append(groups, lb.Runs[d].Tag+" is worse than "+andList(better))
			named += len(worseThan[d])
		}
		line := m.Name + ": " + strings.Join(groups, "; ")
		if named < pairs {
			line += fmt.Sprintf("; %d more significant %s", pairs-named, plural(pairs-named, "pair", "pairs"))
		}
		if pairs < len(m.Pairs) {
			line += "; no other pair differs significantly"
		}
		out = append(out, line)
	}
	return out
}

// andList joins words as a sentence does: "a", "a and b", "a, b and c".
func andList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// textWidth is the width the text table wraps its prose to.
const textWidth = 100

// wrapText breaks s into lines of at most width runes at spaces (a word
// longer than width stands alone on its line).
func wrapText(s string, width int) []string {
	var lines []string
	var line strings.Builder
	n := 0
	for _, word := range strings.Fields(s) {
		w := len([]rune(word))
		if n > 0 && n+1+w > width {
			lines = append(lines, line.String())
			line.Reset()
			n = 0
		}
		if n > 0 {
			line.WriteByte(' ')
			n++
		}
		line.WriteString(word)
		n += w
	}
	if n > 0 {
		lines = append(lines, line.String())
	}
	return lines
}

// writeWrapped writes s wrapped to textWidth, the first line after
// prefix, the others indented as far.
func writeWrapped(bw *bufio.Writer, prefix, s string) {
	indent := strings.Repeat(" ", len([]rune(prefix)))
	for i, l := range wrapText(s, textWidth-len(indent)) {
		if i == 0 {
			bw.WriteString(prefix + l + "\n")
		} else {
			bw.WriteString(indent + l + "\n")
		}
	}
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
// overview (mean and Tukey HSD letters per measure), what the letters
// separate in words, and the noise ceiling; with opt.Details then per
// measure the means with confidence intervals, the pairwise comparisons
// and the HSD p-value matrix; then notes on undefined statistics (without
// opt.Details only those bearing on what is shown, and a line saying how
// to see the rest).
func WriteLeaderboardTable(w io.Writer, lb *leaderboard.Leaderboard, opt LeaderboardOptions) error {
	bw := bufio.NewWriter(w)
	// The summary line is not wrapped: it names files, and scripts read it.
	fmt.Fprintf(bw, "Leaderboard: %s\n", summary(lb))
	if opt.Details {
		fmt.Fprintf(bw, "%s\n", method(lb))
	} else {
		writeWrapped(bw, "", briefMethod(lb))
	}
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
	t := texttable.New(bw)
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
	if hasLetters(lb) {
		fmt.Fprintf(bw, "Letters: runs sharing a letter are not significantly different (Tukey HSD, α = %s).\n", fmtAlpha(lb.Alpha))
	}
	if fs := hsdFindings(lb); len(fs) > 0 {
		for _, f := range fs {
			writeWrapped(bw, "- ", f)
		}
	}
	if err := writeNoiseTable(bw, lb, opt.Details); err != nil {
		return err
	}
	if !opt.Details {
		if ns := briefNotes(lb); len(ns) > 0 {
			bw.WriteString("\nNotes:\n")
			for _, n := range ns {
				writeWrapped(bw, "- ", n)
			}
		}
		if len(lb.Runs) == 1 {
			fmt.Fprintf(bw, "\nConfidence intervals of each measure: add --details.\n")
		} else {
			fmt.Fprintf(bw, "\nConfidence intervals, pairwise tests and Tukey HSD p-values of each measure: add --details.\n")
		}
		return bw.Flush()
	}

	for mi := range lb.Measures {
		m := &lb.Measures[mi]
		fmt.Fprintf(bw, "\n== %s (%s) ==\n", m.Name, direction(m))
		t := texttable.New(bw)
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
		t = texttable.New(bw)
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
			t = texttable.New(bw)
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
	rows := leaderboardCSVRows(lb)
	if describeRuns(lb, opt) {
		return writeLeaderboardCSVDescribed(w, lb, rows)
	}
	return gocsv.Marshal(rows, w)
}

// leaderboardCSVRows makes the (run, measure) rows, runs in leaderboard
// order and measures within each run.
func leaderboardCSVRows(lb *leaderboard.Leaderboard) []leaderboardCSVRow {
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
	return rows
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
