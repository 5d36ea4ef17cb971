package report_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/leaderboard"
	"github.com/ntcir-pmr/mreval/eval/measure"
	"github.com/ntcir-pmr/mreval/eval/noise"
	"github.com/ntcir-pmr/mreval/eval/report"
)

// leaderboardOf scores runs on the fixture qrels restricted to topics
// (all four when nil), with the fixture's seed and B, and, when
// withNoise, a noise ceiling drawn without noise (σ = 0).
func leaderboardOf(t *testing.T, runs []*eval.Run, topics []string, withNoise bool) *leaderboard.Leaderboard {
	t.Helper()
	q := fixtureQrels()
	if topics != nil {
		for _, topic := range q.Topics {
			if !strings.Contains(strings.Join(topics, " "), topic) {
				delete(q.ByID, topic)
			}
		}
		q.Topics = eval.SortedKeys(q.ByID)
	}
	ms, err := measure.ParseAll([]string{"ndcg@10", "tauw", "regret@1"})
	require.NoError(t, err)
	results, _ := leaderboard.Score(q, runs, measure.Config{Measures: ms}, nil)
	lb, err := leaderboard.Compute(q, results, leaderboard.Options{Seed: 7, Resamples: 2000, Permutations: 2000})
	require.NoError(t, err)
	lb.Scatter = leaderboard.NewScatter(q, runs[0], lb.Topics)
	if withNoise {
		none := map[string]noise.Perturbation{}
		for _, topic := range lb.Topics {
			none[topic] = noise.Perturbation{Model: noise.Gaussian, Sigma: 0}
		}
		c, err := noise.ComputeCeilings(noise.Input{Qrels: q, Topics: lb.Topics, Noise: none, Runs: runs},
			noise.Config{Measures: ms, Draws: 20, Seed: 3})
		require.NoError(t, err)
		require.NoError(t, leaderboard.AddNoise(lb, c, noise.Gaussian))
	}
	return lb
}

// TestLeaderboardTableAbridged: without Details the text board is the
// overview, what the letters separate, and the notes bearing on them; with
// Details the same overview is followed by every measure's intervals,
// pairwise comparisons and HSD p-values, and every note.
func TestLeaderboardTableAbridged(t *testing.T) {
	lb := fixtureLeaderboard(t)
	brief := render(t, "table", lb, report.LeaderboardOptions{})
	full := render(t, "table", lb, report.LeaderboardOptions{Details: true})

	// The overview (rank, run, mean and letters) is the same in both.
	overview := "│ 1    │ good  │ 1.0000 a │ 1.0000 a  │ 0.0000 a   │\n" +
		"│ 2    │ mid   │ 0.9836 a │ 0.6058 ab │ 7.5000 ab  │\n" +
		"│ 3    │ a_b&c │ 0.9763 a │ 0.5474 ab │ 12.0000 ab │\n" +
		"│ 4    │ bad   │ 0.8119 b │ -1.0000 b │ 30.0000 b  │\n"
	assert.Contains(t, brief, overview)
	assert.Contains(t, full, overview)

	// The letters in words: on ndcg@10 bad (b) shares no letter with the
	// three a runs; on tauw and regret@1 only good (a alone) is apart
	// from bad (b); the ab runs are separated from neither.
	findings := "- ndcg@10: bad is worse than good, mid and a_b&c; no other pair differs significantly\n" +
		"- tauw: bad is worse than good; no other pair differs significantly\n" +
		"- regret@1: bad is worse than good; no other pair differs significantly\n"
	assert.Contains(t, brief, findings)
	assert.Contains(t, full, findings)

	for _, detail := range []string{"== ndcg@10 (higher is better) ==", "Pairwise comparisons of tauw", "Tukey HSD p-values of regret@1", "t 95% CI", "randomisation tests (B = 2000"} {
		assert.NotContains(t, brief, detail)
		assert.Contains(t, full, detail)
	}
	assert.True(t, strings.HasSuffix(brief, "\nConfidence intervals, pairwise tests and Tukey HSD p-values of each measure: add --details.\n"), brief)
	assert.NotContains(t, full, "--details")
	assert.Contains(t, brief, "sorted by ndcg@10 (higher is better); randomised Tukey HSD test with B = 2000, seed 7\n")
	assert.Contains(t, brief, "Letters: runs sharing a letter are not significantly different (Tukey HSD, α = 0.05).\n")
	assert.Equal(t, 23, strings.Count(brief, "\n"), brief)

	// Notes: the brief board keeps those on means and letters (τ_w is
	// undefined on T4, the HSD leaves T4 out), wrapped to 100 columns.
	assert.Contains(t, brief, "- tauw: the Tukey HSD test, its letters and ES_HSD use the 3 topics defined for every run (left out:\n  T4)\n")
	for _, line := range strings.Split(brief, "\n") {
		if !strings.HasPrefix(line, "│") && !strings.HasPrefix(line, "┌") && !strings.HasPrefix(line, "├") && !strings.HasPrefix(line, "└") {
			assert.LessOrEqual(t, len([]rune(line)), 100, line)
		}
	}
}

// TestLeaderboardTableBriefNotes: on two topics Hedges' g_z (which needs
// three) is undefined for every pair; the details say so, the brief board,
// which shows no g_z, does not.
func TestLeaderboardTableBriefNotes(t *testing.T) {
	lb := leaderboardOf(t, fixtureRuns()[:2], []string{"T1", "T2"}, false)
	gz := "ndcg@10: Hedges' g_z undefined (good – mid): Hedges' g_z needs at least 3 topics, got 2"
	assert.Contains(t, render(t, "table", lb, report.LeaderboardOptions{Details: true}), gz)
	brief := render(t, "table", lb, report.LeaderboardOptions{})
	assert.NotContains(t, brief, "g_z")
	assert.NotContains(t, brief, "\nNotes:\n", "no note bears on the overview")
}

// TestLeaderboardSingleRun: one run has no letters (the Tukey HSD test
// compares at least two), no k/n row in the noise section (no other run to
// differ from) and no pairwise statistics, in every format, and the board
// says why.
func TestLeaderboardSingleRun(t *testing.T) {
	lb := leaderboardOf(t, fixtureRuns()[:1], nil, true)
	require.Len(t, lb.Runs, 1)
	for _, m := range lb.Measures {
		assert.Empty(t, m.Runs[0].Letters, m.Name)
		assert.Equal(t, "the Tukey HSD test compares at least 2 runs, got 1", m.HSD.LettersUndefined, m.Name)
	}
	const why = "a single run: nothing to compare it with, so no pairwise comparisons, Tukey HSD test, letters or"

	brief := render(t, "table", lb, report.LeaderboardOptions{})
	assert.Contains(t, brief, "│ 1    │ good │ 1.0000  │ 1.0000 │ 0.0000   │\n", "means without letters")
	assert.NotContains(t, brief, "Letters:")
	assert.NotContains(t, brief, "is worse than")
	assert.Contains(t, brief, why)
	assert.Contains(t, strings.Join(strings.Fields(brief), " "), "With a single run there is no difference to check: only the ceiling is shown.")
	assert.Regexp(t, `│      │ oracle \(noise ceiling\) │ 1\.0000 \[1\.0000, 1\.0000\] │ 1\.0000 \[1\.0000, 1\.0000\] │ 0\.0000 \[0\.0000, 0\.0000\] │\n└`, brief, "the oracle is the section's only row")
	assert.NotContains(t, brief, "–", "no undefined cell: nothing is shown that does not exist")
	assert.True(t, strings.HasSuffix(brief, "\nConfidence intervals of each measure: add --details.\n"), brief)

	full := render(t, "table", lb, report.LeaderboardOptions{Details: true})
	assert.NotContains(t, full, "Pairwise comparisons")
	assert.NotContains(t, full, "Tukey HSD p-values of")
	assert.Contains(t, full, "│ 1    │ good │ 1.0000 │ [1.0000, 1.0000] │ [1.0000, 1.0000] │ 4      │ 0         │     │\n", "no letters in the HSD column")

	md := render(t, "md", lb, report.LeaderboardOptions{})
	assert.NotContains(t, md, "<sup>")
	assert.Contains(t, md, "| 1 | good | **1.0000** | **1.0000** | **0.0000** |\n")
	assert.Contains(t, md, "| **oracle (noise ceiling)** | 1.0000 [1.0000, 1.0000] | 1.0000 [1.0000, 1.0000] | 0.0000 [0.0000, 0.0000] |\n\n")
	assert.NotContains(t, render(t, "latex", lb, report.LeaderboardOptions{}), `\mathrm{a}`)

	page := render(t, "html", lb, report.LeaderboardOptions{})
	assert.NotContains(t, page, `<sup class="letters">`)
	assert.NotContains(t, page, "HSD letters</th>")
	assert.NotContains(t, page, "†")
	assert.Contains(t, page, "A single run: nothing to compare it with, so no letters, pairwise comparisons or Tukey HSD test.")
	assert.Contains(t, page, "Tukey HSD test undefined: the Tukey HSD test compares at least 2 runs, got 1")
	assert.NotContains(t, page, "<td>–</td>", "no undefined k/n cell")

	var doc struct {
		Measures []struct {
			Runs []struct {
				Letters string `json:"hsd_letters"`
			} `json:"runs"`
			HSD struct {
				LettersUndefined string `json:"letters_undefined"`
			} `json:"hsd"`
		} `json:"measures"`
	}
	require.NoError(t, json.Unmarshal([]byte(render(t, "json", lb, report.LeaderboardOptions{})), &doc))
	require.Len(t, doc.Measures, 3)
	for _, m := range doc.Measures {
		assert.Empty(t, m.Runs[0].Letters)
		assert.Equal(t, "the Tukey HSD test compares at least 2 runs, got 1", m.HSD.LettersUndefined)
	}

	rows, err := csv.NewReader(strings.NewReader(render(t, "csv", lb, report.LeaderboardOptions{}))).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 4)
	col := -1
	for i, h := range rows[0] {
		if h == "hsd_letters" {
			col = i
		}
	}
	require.GreaterOrEqual(t, col, 0)
	for _, r := range rows[1:] {
		assert.Empty(t, r[col], r)
	}
}

// TestLeaderboardFindingsLimit: when many pairs differ, the line names
// the first three runs' and counts the rest; a lower-is-better measure
// orients every pair by its own means, not by the leaderboard order.
func TestLeaderboardFindingsLimit(t *testing.T) {
	const k = 5
	lb := &leaderboard.Leaderboard{SortBy: 0, Alpha: 0.05, Level: 0.95, Permutations: 100, Seed: 1}
	for d := range k {
		lb.Runs = append(lb.Runs, leaderboard.Run{Tag: string(rune('p' + d)), Rank: d + 1})
	}
	all := leaderboard.Measure{Name: "ndcg@10", HigherIsBetter: true, HSD: leaderboard.HSD{Means: []float64{5, 4, 3, 2, 1}}}
	// regret@1, lower is better: the leaderboard's last run is its best.
	reversed := leaderboard.Measure{Name: "regret@1", HSD: leaderboard.HSD{Means: []float64{5, 4, 3, 2, 1}}}
	for a := range k {
		all.Runs = append(all.Runs, leaderboard.RunStats{Mean: all.HSD.Means[a]})
		reversed.Runs = append(reversed.Runs, leaderboard.RunStats{Mean: reversed.HSD.Means[a]})
		for b := a + 1; b < k; b++ {
			all.Pairs = append(all.Pairs, leaderboard.Pair{A: a, B: b, HSDSignificant: true})
			reversed.Pairs = append(reversed.Pairs, leaderboard.Pair{A: a, B: b, HSDSignificant: a == 0 && b == 4})
		}
	}
	lb.Measures = []leaderboard.Measure{all, reversed}
	var buf bytes.Buffer
	require.NoError(t, report.WriteLeaderboardTable(&buf, lb, report.LeaderboardOptions{}))
	out := buf.String()
	// q is worse than p (1 pair), r than p, q (2), s than p, q, r (3):
	// 6 named, 4 of the 10 left (t is worse than all four).
	assert.Contains(t, out, "- ndcg@10: q is worse than p; r is worse than p and q; s is worse than p, q and r; 4 more\n  significant pairs\n")
	assert.Contains(t, out, "- regret@1: p is worse than t; no other pair differs significantly\n")

	// Eight runs, the last worse than the seven others: five are named.
	const n = 8
	lb = &leaderboard.Leaderboard{Alpha: 0.05, Level: 0.95, Permutations: 100, Seed: 1}
	m := leaderboard.Measure{Name: "ndcg@10", HigherIsBetter: true}
	for d := range n {
		lb.Runs = append(lb.Runs, leaderboard.Run{Tag: string(rune('a' + d)), Rank: d + 1})
		m.HSD.Means = append(m.HSD.Means, float64(n-d))
		m.Runs = append(m.Runs, leaderboard.RunStats{Mean: float64(n - d)})
		for e := range d {
			m.Pairs = append(m.Pairs, leaderboard.Pair{A: e, B: d, HSDSignificant: d == n-1})
		}
	}
	lb.Measures = []leaderboard.Measure{m}
	buf.Reset()
	require.NoError(t, report.WriteLeaderboardTable(&buf, lb, report.LeaderboardOptions{}))
	assert.Contains(t, buf.String(), "- ndcg@10: h is worse than a, b, c, d, e and 2 other runs; no other pair differs significantly\n")
}
