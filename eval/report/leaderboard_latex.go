package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ntcir-pmr/mreval/eval/leaderboard"
)

var latexEscaper = strings.NewReplacer(
	`\`, `\textbackslash{}`, `&`, `\&`, `%`, `\%`, `$`, `\$`, `#`, `\#`, `_`, `\_`,
	`{`, `\{`, `}`, `\}`, `~`, `\textasciitilde{}`, `^`, `\textasciicircum{}`,
)

// latexEscape makes text safe in LaTeX's text mode.
func latexEscape(s string) string { return latexEscaper.Replace(s) }

// latexMean is a leaderboard cell in math mode (so that a negative value
// gets a minus sign, not a hyphen): the mean, bold when best, with the
// Tukey HSD letters and a dagger (significantly different from the best
// run) as superscripts.
func latexMean(rs leaderboard.RunStats) string {
	s := fmtMean(rs.Mean)
	if s == undefinedCell {
		return "--"
	}
	if rs.Best {
		s = `\mathbf{` + s + `}`
	}
	var sup string
	if rs.Letters != "" {
		sup = `\mathrm{` + rs.Letters + `}`
	}
	if rs.WorseThanBest {
		sup += `\dagger`
	}
	if sup != "" {
		s += `^{` + sup + `}`
	}
	return "$" + s + "$"
}

// WriteLeaderboardLaTeX writes the leaderboard as a LaTeX table with
// booktabs rules: one row per run in leaderboard order, one column per
// measure with its mean over the topics; the best mean is bold, superscript
// letters are the Tukey HSD compact letter display and a dagger marks a run
// significantly different from the best run (paired randomisation test,
// Holm-adjusted p < α). The caption explains the marks. Needs
// \usepackage{booktabs}.
func WriteLeaderboardLaTeX(w io.Writer, lb *leaderboard.Leaderboard, opt LeaderboardOptions) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%% mreval leaderboard: %s\n", summary(lb))
	fmt.Fprintf(bw, "%% %s\n", method(lb))
	if opt.Timestamp != "" {
		fmt.Fprintf(bw, "%% generated %s\n", opt.Timestamp)
	}
	bw.WriteString("% requires \\usepackage{booktabs}\n")
	bw.WriteString("\\begin{table}[t]\n\\centering\n")
	describe := describeRuns(lb, opt)
	describeCols := ""
	if describe {
		describeCols = "lp{0.3\\linewidth}"
	}
	fmt.Fprintf(bw, "\\begin{tabular}{rl%s%s}\n\\toprule\n", strings.Repeat("r", len(lb.Measures)), describeCols)
	bw.WriteString("Rank & Run")
	for _, m := range lb.Measures {
		arrow := `$\uparrow$`
		if !m.HigherIsBetter {
			arrow = `$\downarrow$`
		}
		fmt.Fprintf(bw, " & %s %s", latexEscape(m.Name), arrow)
	}
	if describe {
		bw.WriteString(" & Team & Description")
	}
	bw.WriteString(" \\\\\n\\midrule\n")
	for d, r := range lb.Runs {
		bw.WriteString(strconv.Itoa(r.Rank) + " & " + latexEscape(r.Tag))
		for _, m := range lb.Measures {
			bw.WriteString(" & " + latexMean(m.Runs[d]))
		}
		if describe {
			bw.WriteString(" & " + latexEscape(r.Team) + " & " + latexText(r.Description))
		}
		bw.WriteString(" \\\\\n")
	}
	bw.WriteString("\\bottomrule\n\\end{tabular}\n")
	constraint := ""
	if lb.Constraint != "" {
		constraint = " Only models with \\texttt{" + latexEscape(lb.Constraint) + "}."
	}
	fmt.Fprintf(bw, "\\caption{Mean over %d %s.%s Bold: best mean. Superscript letters: randomised Tukey HSD test (B = %d), runs sharing a letter are not significantly different at $\\alpha = %s$. $\\dagger$: significantly different from the best run (paired randomisation test, Holm-corrected, $p < %s$).}\n",
		len(lb.Topics), plural(len(lb.Topics), "topic", "topics"), constraint, lb.Permutations, fmtAlpha(lb.Alpha), fmtAlpha(lb.Alpha))
	bw.WriteString("\\label{tab:leaderboard}\n\\end{table}\n")
	for _, n := range notes(lb) {
		fmt.Fprintf(bw, "%% note: %s\n", n)
	}
	return bw.Flush()
}
