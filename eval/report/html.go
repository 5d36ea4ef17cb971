package report

import (
	"bufio"
	"fmt"
	"html/template"
	"image/color"
	"io"
	"math"
	"strconv"
	"sync"

	"github.com/ntcir-pmr/mreval/eval/leaderboard"
)

// WriteLeaderboardHTML writes the leaderboard as one self-contained HTML
// page (inline CSS, script and SVG; nothing is fetched): a sortable
// leaderboard (click a column header; the first click puts the best run
// first), then per measure a dot plot of the means with their t and
// bootstrap confidence intervals, a table of the intervals, the pairwise
// comparisons, the Tukey HSD p-value matrix and a runs × topics heat map of
// the per-topic scores; then, when lb.Scatter is set, small multiples of
// that run's scores against the true values, one plot per topic.
func WriteLeaderboardHTML(w io.Writer, lb *leaderboard.Leaderboard, opt LeaderboardOptions) error {
	page, err := newHTMLPage(lb, opt)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	if err := htmlTemplate().Execute(bw, page); err != nil {
		return err
	}
	return bw.Flush()
}

type htmlPage struct {
	Summary, Method, Timestamp string
	Describe                   bool // team and description columns
	Constraint                 string
	Alpha, Level               string
	Colours                    struct{ Mean, T, Bootstrap template.CSS }
	Heads                      []htmlHead
	Rows                       []htmlRow
	Sections                   []htmlSection
	Scatter                    *htmlScatter
	Notes                      []string
	Noise                      template.HTML // the noise-ceiling section (leaderboard_noise.go)
	// Letters: some run has HSD letters (not so with a single run);
	// Compared: there are pairs, so the dagger can mark one.
	Letters, Compared bool
}

type htmlHead struct {
	ID, Name, Better, Arrow string
}

type htmlRow struct {
	Rank              int
	Tag               string
	Team, Description string
	Cells             []htmlMean
}

// htmlMean is a mean as the overview shows it; V is the exact value the
// table sorts by ("" = undefined, sorted last).
type htmlMean struct {
	V, Mean, Letters, CI string
	Best, Dagger         bool
}

type htmlSection struct {
	ID, Name, Direction, Better string
	// Order says how the rows of the plots are ordered: by this measure,
	// or by the leaderboard's sort measure.
	Order            string
	Letters          bool // the HSD letters column
	CIPlot, Heatmap  template.HTML
	Runs             []htmlRunRow
	Pairs            []htmlPairRow
	TFamily, RFamily int
	HSDUndefined     string
	HSDTopicsText    string
	HSDPermutations  int
	HSDHeader        []int
	HSDRows          []htmlHSDRow
}

type htmlCell struct{ V, Text string }

type htmlRunRow struct {
	Rank               int
	Tag                string
	Mean, T, Bootstrap htmlCell
	Topics, Undefined  int
	Letters            string
	Best               bool
}

type htmlPairRow struct {
	A, B                                             string
	Diff, T, TP, THolm, RandP, RandHolm, G, HSDP, ES htmlCell
	Significant, HSDSignificant                      bool
}

type htmlHSDRow struct {
	Label string
	Cells []htmlPCell
}

type htmlPCell struct {
	Text      string
	Sig, Diag bool
}

type htmlScatter struct {
	Run    string
	Plots  []htmlFigure
	Points int
}

type htmlFigure struct {
	SVG     template.HTML
	Caption string
}

func cell(v float64, text string) htmlCell {
	if math.IsNaN(v) {
		return htmlCell{Text: text}
	}
	return htmlCell{V: strconv.FormatFloat(v, 'g', -1, 64), Text: text}
}

func betterAttr(m *leaderboard.Measure) string {
	if m.HigherIsBetter {
		return "high"
	}
	return "low"
}

func newHTMLPage(lb *leaderboard.Leaderboard, opt LeaderboardOptions) (*htmlPage, error) {
	page := &htmlPage{
		Summary: summary(lb), Method: method(lb), Timestamp: opt.Timestamp, Constraint: lb.Constraint,
		Alpha: fmtAlpha(lb.Alpha), Level: fmtLevel(lb.Level), Notes: notes(lb), Describe: describeRuns(lb, opt),
		Letters: hasLetters(lb), Compared: len(lb.Runs) > 1,
	}
	page.Colours.Mean, page.Colours.T, page.Colours.Bootstrap = cssColour(colourMean), cssColour(colourT), cssColour(colourBootstrap)
	noiseSection, err := noiseHTML(lb)
	if err != nil {
		return nil, err
	}
	page.Noise = noiseSection
	for mi := range lb.Measures {
		m := &lb.Measures[mi]
		arrow := "↑"
		if !m.HigherIsBetter {
			arrow = "↓"
		}
		page.Heads = append(page.Heads, htmlHead{ID: "m" + strconv.Itoa(mi+1), Name: m.Name, Better: betterAttr(m), Arrow: arrow})
	}
	for d, r := range lb.Runs {
		row := htmlRow{Rank: r.Rank, Tag: r.Tag, Team: r.Team, Description: r.Description}
		for mi := range lb.Measures {
			rs := lb.Measures[mi].Runs[d]
			c := cell(rs.Mean, fmtMean(rs.Mean))
			row.Cells = append(row.Cells, htmlMean{V: c.V, Mean: c.Text, Letters: rs.Letters, CI: fmtInterval(rs.T), Best: rs.Best, Dagger: rs.WorseThanBest})
		}
		page.Rows = append(page.Rows, row)
	}
	for mi := range lb.Measures {
		m := &lb.Measures[mi]
		s := htmlSection{
			ID: page.Heads[mi].ID, Name: m.Name, Direction: direction(m), Better: betterAttr(m),
			TFamily: m.TTestFamily, RFamily: m.RandomisationFamily,
			HSDUndefined: m.HSD.Undefined, HSDTopicsText: fmt.Sprintf("%d %s", m.HSD.Topics, plural(m.HSD.Topics, "topic", "topics")), HSDPermutations: m.HSD.Permutations,
			Order: rowOrder(lb, mi),
		}
		for _, rs := range m.Runs {
			s.Letters = s.Letters || rs.Letters != ""
		}
		var err error
		if s.CIPlot, err = trustedSVG(ciPlotSVG(lb, m)); err != nil {
			return nil, err
		}
		if s.Heatmap, err = trustedSVG(heatmapSVG(lb, m)); err != nil {
			return nil, err
		}
		for d, r := range lb.Runs {
			rs := m.Runs[d]
			s.Runs = append(s.Runs, htmlRunRow{
				Rank: r.Rank, Tag: r.Tag, Mean: cell(rs.Mean, fmtMean(rs.Mean)),
				T: cell(rs.T.Lower, fmtInterval(rs.T)), Bootstrap: cell(rs.Bootstrap.Lower, fmtInterval(rs.Bootstrap)),
				Topics: rs.Topics, Undefined: rs.Undefined, Letters: rs.Letters, Best: rs.Best,
			})
		}
		for _, p := range m.Pairs {
			s.Pairs = append(s.Pairs, htmlPairRow{
				A: lb.Runs[p.A].Tag, B: lb.Runs[p.B].Tag,
				Diff: cell(p.MeanDiff, fmtMean(p.MeanDiff)), T: cell(p.T, fmtStat(p.T)),
				TP: cell(p.TP, fmtP(p.TP)), THolm: cell(p.THolm, fmtP(p.THolm)),
				RandP: cell(p.RandP, fmtP(p.RandP)), RandHolm: cell(p.RandHolm, fmtP(p.RandHolm)),
				G: cell(p.HedgesG, fmtStat(p.HedgesG)), HSDP: cell(p.HSDP, fmtP(p.HSDP)), ES: cell(p.ESHSD, fmtStat(p.ESHSD)),
				Significant: p.Significant, HSDSignificant: p.HSDSignificant,
			})
		}
		if m.HSD.P != nil && len(lb.Runs) > 1 {
			for d := range lb.Runs {
				s.HSDHeader = append(s.HSDHeader, d+1)
			}
			for d, r := range lb.Runs {
				row := htmlHSDRow{Label: strconv.Itoa(d+1) + " " + r.Tag}
				for e := range lb.Runs {
					if d == e {
						row.Cells = append(row.Cells, htmlPCell{Diag: true})
						continue
					}
					pair, _ := m.Pair(d, e)
					row.Cells = append(row.Cells, htmlPCell{Text: fmtP(m.HSD.P[d][e]), Sig: pair.HSDSignificant})
				}
				s.HSDRows = append(s.HSDRows, row)
			}
		}
		page.Sections = append(page.Sections, s)
	}
	if sc := lb.Scatter; sc != nil {
		hs := &htmlScatter{Run: sc.Run}
		for _, st := range sc.Topics {
			svg, err := trustedSVG(scatterSVG(sc.Run, st))
			if err != nil {
				return nil, err
			}
			hs.Points += len(st.Points)
			caption := fmt.Sprintf("%s: %d judged documents ranked", st.Topic, len(st.Points))
			if st.Unjudged > 0 {
				caption += fmt.Sprintf("; %d ranked but not judged", st.Unjudged)
			}
			if st.Unranked > 0 {
				caption += fmt.Sprintf("; %d judged but not ranked", st.Unranked)
			}
			hs.Plots = append(hs.Plots, htmlFigure{SVG: svg, Caption: caption})
		}
		page.Scatter = hs
	}
	return page, nil
}

// rowOrder says how the rows of a measure's plots are ordered: in
// leaderboard order, which is best first only for the sort measure.
func rowOrder(lb *leaderboard.Leaderboard, measure int) string {
	switch {
	case len(lb.Runs) == 1:
		return "one run"
	case measure == lb.SortBy:
		return "rows in leaderboard order, best run on top"
	}
	return fmt.Sprintf("rows in leaderboard order (by %s), not ranked by %s", lb.Measures[lb.SortBy].Name, lb.Measures[measure].Name)
}

func cssColour(c color.NRGBA) template.CSS {
	return template.CSS(fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B))
}

// trustedSVG marks the output of the plot functions as safe HTML: the SVG
// is generated here, and gonum's SVG backend escapes every text it draws.
func trustedSVG(svg string, err error) (template.HTML, error) {
	return template.HTML(svg), err //nolint:gosec // generated, text escaped by vgsvg
}

// htmlTemplate is parsed on first use, not at start-up: every mreval
// command links this package.
var htmlTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("leaderboard").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>mreval leaderboard</title>
<style>
body { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; margin: 1.5rem auto; max-width: 72rem; padding: 0 1rem; color: #222; line-height: 1.4; }
h1 { font-size: 1.6rem; margin-bottom: .3rem; }
h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; }
h3 { font-size: 1rem; margin-top: 1.4rem; }
p.meta { color: #555; margin: .2rem 0; font-size: .9rem; }
nav { margin: .8rem 0 1rem; font-size: .9rem; }
nav a { margin-right: .9rem; }
table { border-collapse: collapse; font-size: .85rem; margin: .5rem 0; }
th, td { padding: .25rem .55rem; border-bottom: 1px solid #e3e3e3; text-align: right; white-space: nowrap; vertical-align: top; }
th { background: #f3f3f3; border-bottom: 2px solid #bbb; }
th.l, td.l { text-align: left; }
table.sortable th[data-sort] { cursor: pointer; user-select: none; }
table.sortable th[data-sort]::after { content: " ⇅"; color: #aaa; font-size: .8em; }
table.sortable th[aria-sort="ascending"]::after { content: " ▲"; color: #333; }
table.sortable th[aria-sort="descending"]::after { content: " ▼"; color: #333; }
td.best, span.best { font-weight: bold; }
small { color: #666; }
sup.letters { color: #1f5fa0; font-weight: normal; margin-left: .15em; }
.dagger { color: #b03030; margin-left: .1em; }
td.sig { background: #fde0c5; }
td.diag { background: #eee; }
tr:hover td { background-color: #f7fbff; }
.scroll { overflow-x: auto; }
svg.plot { max-width: 100%; height: auto; display: block; margin: .5rem 0; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: .8rem; }
.grid figure { margin: 0; }
.grid figcaption { font-size: .75rem; color: #555; }
.legend { font-size: .85rem; color: #444; }
ul.notes { font-size: .85rem; color: #444; }
</style>
</head>
<body>
<h1>Leaderboard{{if .Constraint}}: models with {{.Constraint}}{{end}}</h1>
<p class="meta">{{.Summary}}</p>
<p class="meta">{{.Method}}</p>
{{- if .Timestamp}}
<p class="meta">Generated {{.Timestamp}}</p>
{{- end}}
<nav><a href="#leaderboard">Leaderboard</a>{{if .Noise}}<a href="#noise">Noise ceiling</a>{{end}}{{range .Sections}}<a href="#{{.ID}}">{{.Name}}</a>{{end}}{{if .Scatter}}<a href="#scatter">Scores vs. truth</a>{{end}}{{if .Notes}}<a href="#notes">Notes</a>{{end}}</nav>

<h2 id="leaderboard">Leaderboard</h2>
<div class="scroll">
<table class="sortable" id="leaderboard-table">
<thead><tr><th data-sort="num" data-better="low">rank</th><th class="l" data-sort="text">run</th>{{range .Heads}}<th data-sort="num" data-better="{{.Better}}">{{.Name}} {{.Arrow}}</th>{{end}}{{if .Describe}}<th class="l" data-sort="text">team</th><th class="l" data-sort="text">description</th>{{end}}</tr></thead>
<tbody>
{{- range .Rows}}
<tr><td data-v="{{.Rank}}">{{.Rank}}</td><td class="l" data-v="{{.Tag}}"{{if .Description}} title="{{.Description}}"{{end}}>{{.Tag}}</td>{{range .Cells}}<td data-v="{{.V}}">{{if .Best}}<span class="best">{{.Mean}}</span>{{else}}{{.Mean}}{{end}}{{if .Letters}}<sup class="letters">{{.Letters}}</sup>{{end}}{{if .Dagger}}<span class="dagger" title="significantly different from the best run">†</span>{{end}}<br><small>{{.CI}}</small></td>{{end}}{{if $.Describe}}<td class="l" data-v="{{.Team}}">{{.Team}}</td><td class="l" data-v="{{.Description}}">{{.Description}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table>
</div>
<p class="legend">Mean over topics with its t confidence interval ({{.Level}}) below. Bold: best mean.{{if .Letters}} Letters: randomised Tukey HSD compact letter display, runs sharing a letter are not significantly different at α = {{.Alpha}}.{{end}}{{if .Compared}} †: significantly different from the best run (paired randomisation test, Holm-adjusted p &lt; {{.Alpha}}).{{else}} A single run: nothing to compare it with, so no letters, pairwise comparisons or Tukey HSD test.{{end}} Click a column header to sort.</p>
{{- .Noise}}
{{range $s := .Sections}}
<h2 id="{{.ID}}">{{.Name}} <small>({{.Direction}})</small></h2>
{{.CIPlot}}
<p class="legend"><span style="color:{{$.Colours.Mean}}">●</span> mean, <span style="color:{{$.Colours.T}}">━</span> t interval, <span style="color:{{$.Colours.Bootstrap}}">━</span> percentile bootstrap interval ({{$.Level}}); {{.Order}}.</p>
<div class="scroll">
<table class="sortable">
<thead><tr><th data-sort="num" data-better="low">rank</th><th class="l" data-sort="text">run</th><th data-sort="num" data-better="{{.Better}}">mean</th><th data-sort="num" data-better="{{.Better}}">t {{$.Level}} CI</th><th data-sort="num" data-better="{{.Better}}">bootstrap {{$.Level}} CI</th><th data-sort="num" data-better="high">topics</th><th data-sort="num" data-better="low">undefined</th>{{if .Letters}}<th class="l">HSD letters</th>{{end}}</tr></thead>
<tbody>
{{- range .Runs}}
<tr><td data-v="{{.Rank}}">{{.Rank}}</td><td class="l" data-v="{{.Tag}}">{{.Tag}}</td><td data-v="{{.Mean.V}}"{{if .Best}} class="best"{{end}}>{{.Mean.Text}}</td><td data-v="{{.T.V}}">{{.T.Text}}</td><td data-v="{{.Bootstrap.V}}">{{.Bootstrap.Text}}</td><td data-v="{{.Topics}}">{{.Topics}}</td><td data-v="{{.Undefined}}">{{.Undefined}}</td>{{if $s.Letters}}<td class="l">{{.Letters}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table>
</div>
{{- if .Pairs}}
<h3>Pairwise comparisons</h3>
<p class="legend">A − B, A above B on the leaderboard. Two-sided p-values; Holm correction over {{.TFamily}} t-tests and {{.RFamily}} randomisation tests. g_z: Hedges' paired effect size; ES_HSD: Sakai's effect size of the Tukey HSD test. Shaded: Holm-adjusted randomisation p &lt; {{$.Alpha}}.</p>
<div class="scroll">
<table class="sortable">
<thead><tr><th class="l" data-sort="text">A</th><th class="l" data-sort="text">B</th><th data-sort="num" data-better="high">A−B</th><th data-sort="num" data-better="high">t</th><th data-sort="num" data-better="low">p t</th><th data-sort="num" data-better="low">Holm t</th><th data-sort="num" data-better="low">p rand</th><th data-sort="num" data-better="low">Holm rand</th><th data-sort="num" data-better="high">g_z</th><th data-sort="num" data-better="low">p HSD</th><th data-sort="num" data-better="high">ES_HSD</th></tr></thead>
<tbody>
{{- range .Pairs}}
<tr><td class="l" data-v="{{.A}}">{{.A}}</td><td class="l" data-v="{{.B}}">{{.B}}</td><td data-v="{{.Diff.V}}">{{.Diff.Text}}</td><td data-v="{{.T.V}}">{{.T.Text}}</td><td data-v="{{.TP.V}}">{{.TP.Text}}</td><td data-v="{{.THolm.V}}">{{.THolm.Text}}</td><td data-v="{{.RandP.V}}">{{.RandP.Text}}</td><td data-v="{{.RandHolm.V}}"{{if .Significant}} class="sig"{{end}}>{{.RandHolm.Text}}</td><td data-v="{{.G.V}}">{{.G.Text}}</td><td data-v="{{.HSDP.V}}"{{if .HSDSignificant}} class="sig"{{end}}>{{.HSDP.Text}}</td><td data-v="{{.ES.V}}">{{.ES.Text}}</td></tr>
{{- end}}
</tbody>
</table>
</div>
{{- end}}
{{- if .HSDRows}}
<h3>Tukey HSD p-values</h3>
<p class="legend">Randomised Tukey HSD test over {{.HSDTopicsText}}, B = {{.HSDPermutations}} permutations. Columns are leaderboard positions; shaded: p &lt; {{$.Alpha}}.</p>
<div class="scroll">
<table class="matrix">
<thead><tr><th class="l">run</th>{{range .HSDHeader}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>
{{- range .HSDRows}}
<tr><td class="l">{{.Label}}</td>{{range .Cells}}<td{{if .Diag}} class="diag"{{else if .Sig}} class="sig"{{end}}>{{.Text}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table>
</div>
{{- else if .HSDUndefined}}
<p class="legend">Tukey HSD test undefined: {{.HSDUndefined}}</p>
{{- end}}
<h3>Per-topic scores</h3>
<p class="legend">Runs × topics, {{.Order}}; darker cells are better scores ({{.Direction}}); grey cells are undefined.</p>
<div class="scroll">
{{.Heatmap}}
</div>
{{end}}
{{- with .Scatter}}
<h2 id="scatter">Scores of {{.Run}} against the true values</h2>
<p class="legend">One plot per topic: each point is a judged document the run ranks, its score in the run (x) against its true value in the qrels (y); {{.Points}} points in all.</p>
<div class="grid">
{{- range .Plots}}
<figure>{{.SVG}}<figcaption>{{.Caption}}</figcaption></figure>
{{- end}}
</div>
{{- end}}
{{- if .Notes}}
<h2 id="notes">Notes</h2>
<ul class="notes">
{{- range .Notes}}
<li>{{.}}</li>
{{- end}}
</ul>
{{- end}}
<script>
(function () {
  "use strict";
  function value(row, col, kind) {
    var v = row.cells[col].getAttribute("data-v");
    if (v === null || v === "") { return null; }
    return kind === "num" ? parseFloat(v) : v;
  }
  function sortTable(table, th, col) {
    var kind = th.getAttribute("data-sort");
    var current = th.getAttribute("aria-sort");
    var dir;
    if (current === "ascending") { dir = "descending"; }
    else if (current === "descending") { dir = "ascending"; }
    else { dir = th.getAttribute("data-better") === "high" ? "descending" : "ascending"; }
    var heads = table.tHead.rows[0].cells;
    for (var i = 0; i < heads.length; i++) { heads[i].removeAttribute("aria-sort"); }
    th.setAttribute("aria-sort", dir);
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (r, i) { if (!r.hasAttribute("data-i")) { r.setAttribute("data-i", String(i)); } });
    rows.sort(function (a, b) {
      var x = value(a, col, kind), y = value(b, col, kind);
      var c = 0;
      if (x === null && y === null) { c = 0; }
      else if (x === null) { return 1; }
      else if (y === null) { return -1; }
      else if (kind === "num") { c = x - y; }
      else { c = x < y ? -1 : (x > y ? 1 : 0); }
      if (dir === "descending") { c = -c; }
      return c !== 0 ? c : parseInt(a.getAttribute("data-i"), 10) - parseInt(b.getAttribute("data-i"), 10);
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  var tables = document.querySelectorAll("table.sortable");
  Array.prototype.forEach.call(tables, function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, col) {
      if (!th.hasAttribute("data-sort")) { return; }
      th.tabIndex = 0;
      th.addEventListener("click", function () { sortTable(table, th, col); });
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortTable(table, th, col); }
      });
    });
  });
}());
</script>
</body>
</html>
`))
})
