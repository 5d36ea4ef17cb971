package report

import (
	"bufio"
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/ntcir-pmr/mreval/eval/leaderboard"
	"github.com/ntcir-pmr/mreval/eval/noise"
	"github.com/ntcir-pmr/mreval/internal/texttable"
)

// The noise-ceiling section of the leaderboard reports (lb.Noise set: a
// collection with seed runs). Each format calls one function of this file.

// OracleRowLabel names the oracle's row.
const OracleRowLabel = "oracle (noise ceiling)"

// noiseMeaning says in plain words what the section shows.
func noiseMeaning(lb *leaderboard.Leaderboard) string {
	n := lb.Noise
	lvl := fmtLevel(n.Level)
	return fmt.Sprintf("Fine-tuning a model again with another random seed changes its accuracy, so the ground truth itself is noisy. "+
		"The oracle ranks the models exactly in the order of the qrels. Scored against %d ground truths re-drawn from the collection's seed runs "+
		"(%s noise model, seed %d), it gets the scores of the first row, mean [%s interval]: the most a perfect system can hope for, "+
		"the ceiling of each measure; a run close to it is as good as this ground truth can tell. "+
		"k/n: of the run's n differences from the other runs, k keep their sign when every run is re-scored on the same re-drawn ground truths "+
		"(the %s interval of the difference excludes 0): the noise alone does not produce them. "+
		"The other differences could be noise. This is a check against the noise of the ground truth, not a significance test over topics.",
		n.Draws, n.Model, n.Seed, lvl, lvl) + singleRunNoise(lb)
}

// noiseBrief is noiseMeaning in three sentences, for the abridged text
// table.
func noiseBrief(lb *leaderboard.Leaderboard) string {
	n := lb.Noise
	lvl := fmtLevel(n.Level)
	return fmt.Sprintf("The ground truth is noisy: fine-tuning a model again with another seed changes its accuracy. "+
		"The oracle (the models in the qrels' order), scored against %d ground truths re-drawn from the seed runs (%s noise model, seed %d), "+
		"gets mean [%s interval]: the ceiling a perfect system can reach. "+
		"k/n: of a run's n differences from the other runs, k keep their sign on the re-drawn truths (the %s interval of the difference excludes 0); the others could be noise.",
		n.Draws, n.Model, n.Seed, lvl, lvl) + singleRunNoise(lb)
}

// singleRunNoise explains the rows a board of one run lacks.
func singleRunNoise(lb *leaderboard.Leaderboard) string {
	if len(lb.Runs) != 1 {
		return ""
	}
	return " With a single run there is no difference to check: only the ceiling is shown."
}

func noiseCeilingCell(s noise.Summary) string {
	if s.Defined == 0 {
		return undefinedCell
	}
	return fmtMean(s.Mean) + " [" + fmtMean(s.Lo) + ", " + fmtMean(s.Hi) + "]"
}

func noiseCountCell(nm leaderboard.NoiseMeasure, run int) string {
	if nm.Compared[run] == 0 {
		return undefinedCell
	}
	return strconv.Itoa(nm.BeyondNoise[run]) + "/" + strconv.Itoa(nm.Compared[run])
}

// noiseRows are the section's rows: the oracle (no rank), then each run
// with its counts, in leaderboard order.
func noiseRows(lb *leaderboard.Leaderboard) (rank []string, label []string, cells [][]string) {
	add := func(r, l string, f func(leaderboard.NoiseMeasure) string) {
		rank, label = append(rank, r), append(label, l)
		var row []string
		for _, nm := range lb.Noise.Measures {
			row = append(row, f(nm))
		}
		cells = append(cells, row)
	}
	add("", OracleRowLabel, func(nm leaderboard.NoiseMeasure) string { return noiseCeilingCell(nm.Ceiling) })
	if len(lb.Runs) == 1 {
		return rank, label, cells // no other run: no k/n (singleRunNoise)
	}
	for d, r := range lb.Runs {
		add(strconv.Itoa(r.Rank), r.Tag, func(nm leaderboard.NoiseMeasure) string { return noiseCountCell(nm, d) })
	}
	return rank, label, cells
}

// writeNoiseTable writes the section as text (nothing without lb.Noise),
// its meaning in full with details, else in brief.
func writeNoiseTable(bw *bufio.Writer, lb *leaderboard.Leaderboard, details bool) error {
	if lb.Noise == nil {
		return nil
	}
	bw.WriteString("\n== Noise ceiling ==\n")
	if details {
		writeWrapped(bw, "", noiseMeaning(lb))
	} else {
		writeWrapped(bw, "", noiseBrief(lb))
	}
	header := []string{"rank", "run"}
	for _, m := range lb.Measures {
		header = append(header, m.Name)
	}
	t := texttable.New(bw)
	t.Header(header)
	ranks, labels, cells := noiseRows(lb)
	for i := range ranks {
		if err := t.Append(append([]string{ranks[i], labels[i]}, cells[i]...)); err != nil {
			return err
		}
	}
	return t.Render()
}

// writeNoiseMarkdown writes the section as Markdown (nothing without
// lb.Noise).
func writeNoiseMarkdown(bw *bufio.Writer, lb *leaderboard.Leaderboard) {
	if lb.Noise == nil {
		return
	}
	fmt.Fprintf(bw, "\n## Noise ceiling\n\n%s\n\n", mdEscape(noiseMeaning(lb)))
	head := []string{"rank", "run"}
	aligns := "rl"
	for _, m := range lb.Measures {
		head = append(head, mdEscape(m.Name))
		aligns += "r"
	}
	mdRow(bw, head...)
	mdAlign(bw, aligns)
	ranks, labels, cells := noiseRows(lb)
	for i := range ranks {
		label := mdEscape(labels[i])
		if i == 0 {
			label = "**" + label + "**"
		}
		mdRow(bw, append([]string{ranks[i], label}, cells[i]...)...)
	}
}

// noiseHTML renders the section for the HTML page ("" without lb.Noise).
func noiseHTML(lb *leaderboard.Leaderboard) (template.HTML, error) {
	if lb.Noise == nil {
		return "", nil
	}
	type row struct {
		Rank, Label string
		Oracle      bool
		Cells       []string
	}
	data := struct {
		Meaning string
		Heads   []string
		Rows    []row
	}{Meaning: noiseMeaning(lb)}
	for _, m := range lb.Measures {
		data.Heads = append(data.Heads, m.Name)
	}
	ranks, labels, cells := noiseRows(lb)
	for i := range ranks {
		data.Rows = append(data.Rows, row{Rank: ranks[i], Label: labels[i], Oracle: i == 0, Cells: cells[i]})
	}
	var b strings.Builder
	if err := noiseHTMLTemplate().Execute(&b, data); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil //nolint:gosec // rendered by html/template, which escaped every value
}

// noiseHTMLTemplate is parsed on first use, as htmlTemplate is.
var noiseHTMLTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("noise").Parse(`
<h2 id="noise">Noise ceiling</h2>
<p class="legend">{{.Meaning}}</p>
<div class="scroll">
<table>
<thead><tr><th>rank</th><th class="l">run</th>{{range .Heads}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>
{{- range .Rows}}
<tr><td>{{.Rank}}</td><td class="l">{{if .Oracle}}<b>{{.Label}}</b>{{else}}{{.Label}}{{end}}</td>{{range .Cells}}<td>{{.}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table>
</div>
`))
})

type jsonNoise struct {
	Model    string             `json:"model"`
	Draws    int                `json:"draws"`
	Seed     uint64             `json:"seed"`
	Level    jsonNumber         `json:"level"`
	Meaning  string             `json:"meaning"`
	Measures []jsonNoiseMeasure `json:"measures"`
}

type jsonNoiseMeasure struct {
	Name    string          `json:"name"`
	Ceiling jsonCeiling     `json:"oracle_ceiling"`
	Runs    []jsonNoiseRun  `json:"runs"`
	Pairs   []jsonNoisePair `json:"pairs"`
}

type jsonCeiling struct {
	Mean  jsonNumber `json:"mean"`
	Lower jsonNumber `json:"lower"`
	Upper jsonNumber `json:"upper"`
}

func ceilingJSON(s noise.Summary) jsonCeiling {
	if s.Defined == 0 {
		nan := jsonNumber(math.NaN())
		return jsonCeiling{nan, nan, nan}
	}
	return jsonCeiling{jsonNumber(s.Mean), jsonNumber(s.Lo), jsonNumber(s.Hi)}
}

type jsonNoiseRun struct {
	Run         string `json:"run"`
	BeyondNoise int    `json:"beyond_noise"`
	Compared    int    `json:"compared"`
}

type jsonNoisePair struct {
	A           string      `json:"a"`
	B           string      `json:"b"`
	Diff        jsonCeiling `json:"redrawn_diff"`
	BeyondNoise bool        `json:"beyond_noise"`
}

// noiseJSON is the section for the JSON report (nil without lb.Noise):
// per measure the oracle's ceiling, per run the counts, and per pair (as
// in measures[].pairs) the distribution of A − B over the draws and
// whether the difference is beyond the noise.
func noiseJSON(lb *leaderboard.Leaderboard) *jsonNoise {
	n := lb.Noise
	if n == nil {
		return nil
	}
	out := &jsonNoise{Model: n.Model, Draws: n.Draws, Seed: n.Seed, Level: jsonNumber(n.Level), Meaning: noiseMeaning(lb)}
	for mi, nm := range n.Measures {
		m := &lb.Measures[mi]
		jm := jsonNoiseMeasure{Name: m.Name, Ceiling: ceilingJSON(nm.Ceiling), Runs: []jsonNoiseRun{}, Pairs: []jsonNoisePair{}}
		for d, r := range lb.Runs {
			jm.Runs = append(jm.Runs, jsonNoiseRun{Run: r.Tag, BeyondNoise: nm.BeyondNoise[d], Compared: nm.Compared[d]})
		}
		for k, p := range m.Pairs {
			jm.Pairs = append(jm.Pairs, jsonNoisePair{A: lb.Runs[p.A].Tag, B: lb.Runs[p.B].Tag, Diff: ceilingJSON(nm.Pairs[k].Diff), BeyondNoise: nm.Pairs[k].Beyond})
		}
		out.Measures = append(out.Measures, jm)
	}
	return out
}
