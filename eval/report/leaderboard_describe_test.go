package report_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/ntcir-pmr/mreval/eval/report"
)

// Team and description columns: absent from every format when no run has
// either (the goldens of cmd/mreval pin those bytes), present when one run
// has a description or when asked for, escaped for each format.
func TestLeaderboardDescribe(t *testing.T) {
	plain := fixtureLeaderboard(t)
	described := fixtureLeaderboard(t)
	described.Runs[0].Team, described.Runs[0].Description = "KDE", `BM25 | <RM3> & "more" `+strings.Repeat("é", 70)
	tests := []struct {
		format string
		shown  []string
		header string
	}{
		{"table", []string{"│ KDE  │ BM25 | <RM3> & \"more\" " + strings.Repeat("é", 37) + "… │"}, "│ team │"},
		{"csv", []string{",KDE,\"BM25 | <RM3> & \"\"more\"\" "}, "rank,run,team,description,measure,"},
		{"md", []string{"| KDE | BM25 \\| &lt;RM3&gt; & \"more\" "}, "| team | description |"},
		{"latex", []string{" & KDE & BM25 \\textbar{} \\textless{}RM3\\textgreater{} \\& \"more\" "}, " & Team & Description \\\\"},
		{"json", []string{`"team": "KDE",`, `"description": "BM25 | <RM3> & \"more\" `}, `"team"`},
		{"html", []string{` title="BM25 | &lt;RM3&gt; &amp; &#34;more&#34; `, `<td class="l" data-v="KDE">KDE</td>`}, `<th class="l" data-sort="text">team</th>`},
	}
	for _, tc := range tests {
		t.Run(tc.format, func(t *testing.T) {
			out := render(t, tc.format, described, report.LeaderboardOptions{})
			for _, s := range tc.shown {
				assert.Contains(t, out, s)
			}
			assert.Contains(t, out, tc.header)
			before := render(t, tc.format, plain, report.LeaderboardOptions{})
			assert.NotContains(t, before, tc.header, "no column without a team or description")
			if tc.format != "json" { // JSON leaves empty fields out
				assert.Contains(t, render(t, tc.format, plain, report.LeaderboardOptions{Describe: true}), tc.header)
			}
		})
	}
}

// The described CSV neutralises formulas in the run tag, team and
// description as the plain CSV does in the run tag.
func TestLeaderboardDescribedCSVNeutralisesFormulas(t *testing.T) {
	lb := fixtureLeaderboard(t)
	lb.Runs[0].Tag, lb.Runs[0].Team, lb.Runs[0].Description = "=run", "+team", `=HYPERLINK("x")`
	out := render(t, "csv", lb, report.LeaderboardOptions{})
	assert.Contains(t, out, `,'=run,'+team,"'=HYPERLINK(""x"")",`)
	assert.NotContains(t, out, ",=run,")
	assert.Equal(t, 1+len(lb.Runs)*len(lb.Measures), strings.Count(out, "\n"), "a header and one row per run and measure")
}
