package report

import (
	"io"
	"strings"

	"github.com/gocarina/gocsv"

	"github.com/ntcir-pmr/mreval/eval/leaderboard"

	"github.com/ntcir-pmr/mreval/internal/safetext"
)

// describeRuns says whether a leaderboard shows each run's team and system
// description: when asked (LeaderboardOptions.Describe) or when some run
// has either. A board of runs without them looks as it always did.
func describeRuns(lb *leaderboard.Leaderboard, opt LeaderboardOptions) bool {
	if opt.Describe {
		return true
	}
	for _, r := range lb.Runs {
		if r.Team != "" || r.Description != "" {
			return true
		}
	}
	return false
}

// maxTableDescription is the most runes of a description the text table
// shows; the other formats show it whole.
const maxTableDescription = 60

// clipDescription shortens a description for the text table.
func clipDescription(d string) string {
	r := []rune(d)
	if len(r) <= maxTableDescription {
		return d
	}
	return string(r[:maxTableDescription-1]) + "…"
}

// leaderboardCSVRowDescribed is leaderboardCSVRow with the run's team and
// description after its name.
type leaderboardCSVRowDescribed struct {
	Rank           int    `csv:"rank"`
	Run            string `csv:"run"`
	Team           string `csv:"team"`
	Description    string `csv:"description"`
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

// writeLeaderboardCSVDescribed writes rows (leaderboardCSVRows) with each
// run's team and description after its name.
func writeLeaderboardCSVDescribed(w io.Writer, lb *leaderboard.Leaderboard, rows []leaderboardCSVRow) error {
	out := make([]leaderboardCSVRowDescribed, len(rows))
	for i, r := range rows {
		run := lb.Runs[i/len(lb.Measures)]
		out[i] = leaderboardCSVRowDescribed{
			Rank: r.Rank, Run: r.Run, Team: safetext.CSVCell(run.Team), Description: safetext.CSVCell(run.Description),
			Measure: r.Measure, HigherIsBetter: r.HigherIsBetter, Mean: r.Mean,
			TLower: r.TLower, TUpper: r.TUpper, BootLower: r.BootLower, BootUpper: r.BootUpper,
			Topics: r.Topics, Undefined: r.Undefined, Letters: r.Letters, Best: r.Best, WorseThanBest: r.WorseThanBest,
		}
	}
	return gocsv.Marshal(out, w)
}

// latexText is latexEscape for free text (a description): also the
// characters that text-mode LaTeX would print as other glyphs (<, >, |
// come out as ¡, ¿, — in the default OT1 encoding).
func latexText(s string) string { return latexTextEscaper.Replace(latexEscape(s)) }

var latexTextEscaper = strings.NewReplacer("<", `\textless{}`, ">", `\textgreater{}`, "|", `\textbar{}`)
