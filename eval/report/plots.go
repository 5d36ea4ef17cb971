package report

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/brewer"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/ntcir-pmr/mreval/eval/leaderboard"
)

// The plots of the HTML report, drawn with gonum/plot as SVG. Fonts are
// not embedded (that would add hundreds of kilobytes per plot): text is
// laid out with the metrics of Liberation Sans and names that family, and
// a browser without it substitutes a similar sans-serif font.

var plotFont = font.Font{Typeface: "Liberation", Variant: "Sans"}

var (
	colourMean      = color.NRGBA{R: 0x22, G: 0x22, B: 0x22, A: 0xff}
	colourT         = color.NRGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}
	colourBootstrap = color.NRGBA{R: 0xd9, G: 0x5f, B: 0x02, A: 0xff}
	colourPoint     = color.NRGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0x70}
	colourUndefined = color.NRGBA{R: 0xdd, G: 0xdd, B: 0xdd, A: 0xff}
)

// newPlot is plot.New with the report's fonts.
func newPlot(title string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(plotFont, 11)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(plotFont, 10)
		a.Tick.Label.Font = font.From(plotFont, 9)
	}
	p.Legend.TextStyle.Font = font.From(plotFont, 9)
	return p
}

// plotEdge is the blank margin around every plot.
const plotEdge = vg.Length(3)

// renderSVG draws p on a w × h SVG canvas and returns the <svg> element,
// without the XML prologue (it is inlined into HTML). gonum/plot panics on
// some degenerate inputs; that becomes an error.
func renderSVG(p *plot.Plot, w, h vg.Length, label string) (svg string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("plot %q: %v", label, r)
		}
	}()
	c := vgsvg.NewWith(vgsvg.UseWH(w, h))
	// A margin: text laid out flush with the edge by gonum's metrics may
	// be cut by a browser whose glyphs are a hair larger.
	p.Draw(draw.Crop(draw.New(c), plotEdge, -plotEdge, plotEdge, -plotEdge))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return "", err
	}
	s := buf.String()
	i := strings.Index(s, "<svg")
	if i < 0 {
		return "", fmt.Errorf("plot %q: no <svg> element in the output", label)
	}
	return `<svg class="plot" role="img" aria-label="` + attrEscape(label) + `"` + s[i+len("<svg"):], nil
}

func attrEscape(s string) string {
	return strings.NewReplacer(`&`, `&amp;`, `<`, `&lt;`, `>`, `&gt;`, `"`, `&quot;`).Replace(s)
}

// runTicks labels the y axis with the run tags in leaderboard order, rank
// 1 on top (best by the sort measure, not necessarily by the plotted
// one): run d of k sits at y = k − 1 − d.
func runTicks(lb *leaderboard.Leaderboard) plot.ConstantTicks {
	k := len(lb.Runs)
	ticks := make(plot.ConstantTicks, k)
	for d, r := range lb.Runs {
		ticks[d] = plot.Tick{Value: float64(k - 1 - d), Label: r.Tag}
	}
	return ticks
}

// intervalBars are confidence intervals drawn as horizontal bars: X is the
// midpoint and the error is half the width on either side (the bootstrap
// interval need not be centred on the mean, so the mean is drawn apart).
type intervalBars struct {
	plotter.XYs
	plotter.XErrors
}

func newIntervalBars(lb *leaderboard.Leaderboard, m *leaderboard.Measure, offset float64, get func(leaderboard.RunStats) leaderboard.Interval) (*plotter.XErrorBars, bool, error) {
	k := len(lb.Runs)
	var bars intervalBars
	for d, rs := range m.Runs {
		iv := get(rs)
		if iv.Undefined != "" || math.IsNaN(iv.Lower) || math.IsNaN(iv.Upper) {
			continue
		}
		half := (iv.Upper - iv.Lower) / 2
		bars.XYs = append(bars.XYs, plotter.XY{X: iv.Lower + half, Y: float64(k-1-d) + offset})
		bars.XErrors = append(bars.XErrors, struct{ Low, High float64 }{half, half})
	}
	if len(bars.XYs) == 0 {
		return nil, false, nil
	}
	eb, err := plotter.NewXErrorBars(bars)
	return eb, true, err
}

// ciPlotSVG is the dot plot of one measure: each run's mean (black dot)
// with its t (blue, above) and bootstrap (orange, below) confidence
// intervals, in leaderboard order. The legend is left to the page: gonum's
// legend sits inside the plot area, over the data.
func ciPlotSVG(lb *leaderboard.Leaderboard, m *leaderboard.Measure) (string, error) {
	k := len(lb.Runs)
	lvl := fmtLevel(lb.Level)
	p := newPlot(fmt.Sprintf("%s: mean and %s confidence intervals", m.Name, lvl))
	p.X.Label.Text = m.Name + " (" + direction(m) + ")"
	clearTickLabels(p, false)
	p.Y.Tick.Marker = runTicks(lb)
	p.Y.Min, p.Y.Max = -0.6, float64(k)-0.4
	p.Add(plotter.NewGrid())

	tBars, ok, err := newIntervalBars(lb, m, 0.15, func(rs leaderboard.RunStats) leaderboard.Interval { return rs.T })
	if err != nil {
		return "", err
	}
	if ok {
		tBars.Color, tBars.Width = colourT, vg.Points(1.5)
		p.Add(tBars)
	}
	bBars, ok, err := newIntervalBars(lb, m, -0.15, func(rs leaderboard.RunStats) leaderboard.Interval { return rs.Bootstrap })
	if err != nil {
		return "", err
	}
	if ok {
		bBars.Color, bBars.Width = colourBootstrap, vg.Points(1.5)
		p.Add(bBars)
	}
	var means plotter.XYs
	var xs []float64
	for d, rs := range m.Runs {
		if !math.IsNaN(rs.Mean) {
			means = append(means, plotter.XY{X: rs.Mean, Y: float64(k - 1 - d)})
		}
		xs = append(xs, rs.Mean, rs.T.Lower, rs.T.Upper, rs.Bootstrap.Lower, rs.Bootstrap.Upper)
	}
	if lo, hi, ok := paddedRange(xs); ok {
		p.X.Min, p.X.Max = lo, hi
	}
	if len(means) > 0 {
		dots, err := plotter.NewScatter(means)
		if err != nil {
			return "", err
		}
		dots.GlyphStyle = draw.GlyphStyle{Color: colourMean, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
		p.Add(dots)
	}
	h := vg.Length(2.6)*vg.Centimeter + vg.Length(k)*0.8*vg.Centimeter
	return renderSVG(p, 16*vg.Centimeter, h, p.Title.Text)
}

// reversed is a palette with its colours in reverse order.
func reversed(p palette.Palette) palette.Palette {
	cs := slices.Clone(p.Colors())
	slices.Reverse(cs)
	return colours(cs)
}

type colours []color.Color

func (c colours) Colors() []color.Color { return c }

// heatGrid is a score matrix as a gonum grid: column c is topic c, row r
// is the run at leaderboard position k − 1 − r (rank 1 on top).
type heatGrid struct {
	scores [][]float64
}

func (g heatGrid) Dims() (c, r int)   { return len(g.scores[0]), len(g.scores) }
func (g heatGrid) Z(c, r int) float64 { return g.scores[len(g.scores)-1-r][c] }
func (g heatGrid) X(c int) float64    { return float64(c) }
func (g heatGrid) Y(r int) float64    { return float64(r) }

// heatmapSVG is the runs × topics heat map of one measure's per-topic
// scores, darker = better (the palette is reversed for a measure where
// lower is better); undefined cells are grey and show "–". Each cell shows
// its value.
func heatmapSVG(lb *leaderboard.Leaderboard, m *leaderboard.Measure) (string, error) {
	k, n := len(lb.Runs), len(lb.Topics)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, row := range m.Scores {
		for _, v := range row {
			if !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if math.IsInf(lo, 1) { // every cell undefined
		lo, hi = 0, 1
	}
	if lo == hi {
		lo, hi = lo-0.5, hi+0.5
	}
	pal, err := brewer.GetPalette(brewer.TypeSequential, "YlGnBu", 9)
	if err != nil {
		return "", err
	}
	if !m.HigherIsBetter {
		pal = reversed(pal)
	}
	hm := plotter.NewHeatMap(heatGrid{m.Scores}, pal)
	hm.Min, hm.Max = lo, hi
	hm.NaN = colourUndefined

	p := newPlot(fmt.Sprintf("%s per topic (darker is better)", m.Name))
	p.Add(hm)
	p.Y.Tick.Marker = runTicks(lb)
	xt := make(plot.ConstantTicks, n)
	for t, topic := range lb.Topics {
		xt[t] = plot.Tick{Value: float64(t), Label: topic}
	}
	p.X.Tick.Marker = xt
	p.X.Tick.Label.Rotation = math.Pi / 2
	p.X.Tick.Label.XAlign = draw.XRight
	p.X.Tick.Label.YAlign = draw.YCenter
	clearTickLabels(p, true)
	p.X.Padding, p.Y.Padding = 0, 0

	decimals := 2
	if math.Max(math.Abs(lo), math.Abs(hi)) >= 10 {
		decimals = 1
	}
	colours := pal.Colors()
	scale := float64(len(colours)-1) / (hi - lo)
	var labels plotter.XYLabels
	var styles []color.Color
	for r := range k {
		d := k - 1 - r
		for t := range n {
			v := m.Scores[d][t]
			text := "–"
			ink := color.Color(color.Black)
			if !math.IsNaN(v) {
				text = strconv.FormatFloat(v, 'f', decimals, 64)
				// The palette index HeatMap uses; white text on the dark half.
				if idx := int((v-lo)*scale + 0.5); luminance(colours[idx]) < 0.45 {
					ink = color.White
				}
			}
			labels.XYs = append(labels.XYs, plotter.XY{X: float64(t), Y: float64(r)})
			labels.Labels = append(labels.Labels, text)
			styles = append(styles, ink)
		}
	}
	lab, err := plotter.NewLabels(labels)
	if err != nil {
		return "", err
	}
	for i := range lab.TextStyle {
		lab.TextStyle[i].Font = font.From(plotFont, 7)
		lab.TextStyle[i].Color = styles[i]
		lab.TextStyle[i].XAlign = draw.XCenter
		lab.TextStyle[i].YAlign = draw.YCenter
	}
	p.Add(lab)
	w := max(12*vg.Centimeter, 4*vg.Centimeter+vg.Length(n)*1.15*vg.Centimeter)
	h := 5*vg.Centimeter + vg.Length(k)*0.6*vg.Centimeter
	return renderSVG(p, w, h, p.Title.Text)
}

// clearOfTicks is the text handler of the x axis' tick labels. gonum/plot
// lays a label out flush against its tick mark: a browser's text box, a
// hair taller than gonum's metrics, reaches into the mark, and a label
// turned a quarter turn (the heat map's topics, right-aligned to read
// upwards) ends a font descent inside it, its last glyph crossed by the
// mark. The handler makes each label gap longer (turned: along the text)
// or deeper (not turned), so that the axis reserves the room, and draws it
// that much further from the axis.
type clearOfTicks struct {
	text.Handler
	gap    vg.Length
	turned bool
}

func (h clearOfTicks) Box(txt string, fnt font.Font) (width, height, depth vg.Length) {
	width, height, depth = h.Handler.Box(txt, fnt)
	if h.turned {
		return width + h.gap, height, depth
	}
	// A deeper box moves a top-aligned label down: Draw aligns on it.
	return width, height, depth + h.gap
}

func (h clearOfTicks) Draw(c vg.Canvas, txt string, sty text.Style, pt vg.Point) {
	if h.turned {
		// Back along the text's direction: down, for a quarter turn.
		sin, cos := math.Sincos(sty.Rotation)
		pt = vg.Point{X: pt.X - h.gap*vg.Length(cos), Y: pt.Y - h.gap*vg.Length(sin)}
	}
	h.Handler.Draw(c, txt, sty, pt)
}

// clearTickLabels gives the x axis' tick labels of a plot a clearOfTicks
// handler.
func clearTickLabels(p *plot.Plot, turned bool) {
	gap := vg.Points(2)
	if turned {
		gap += p.X.Tick.Label.FontExtents().Descent
	}
	p.X.Tick.Label.Handler = clearOfTicks{Handler: p.X.Tick.Label.Handler, gap: gap, turned: turned}
}

// trimmedTicks drops the trailing zeros of a ticker's decimal labels:
// 25 and 0.5, not 25.00 and 0.50.
type trimmedTicks struct{ plot.Ticker }

func (t trimmedTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := t.Ticker.Ticks(lo, hi)
	for i, tk := range ticks {
		if strings.Contains(tk.Label, ".") && !strings.ContainsAny(tk.Label, "eE") {
			ticks[i].Label = strings.TrimSuffix(strings.TrimRight(tk.Label, "0"), ".")
		}
	}
	return ticks
}

// plotMargin is the share of the data's span left free on either side of
// an axis, so that no point or interval end sits on the plot's edge.
const plotMargin = 0.05

// paddedRange is the range of the finite values of vs widened by
// plotMargin of its span on either side (a single value gets ±5 % of
// itself, or ±0.5 when it is 0); ok is false when no value is finite.
func paddedRange(vs []float64) (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range vs {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if lo > hi {
		return 0, 0, false
	}
	pad := (hi - lo) * plotMargin
	if pad == 0 {
		pad = math.Abs(lo) * plotMargin
		if pad == 0 {
			pad = 0.5
		}
	}
	return lo - pad, hi + pad, true
}

// luminance is the relative luminance of c (ITU-R BT.709 weights on the
// gamma-encoded channels, enough to pick black or white text).
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	return (0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b)) / 0xffff
}

// scatterSVG plots a run's scores (x) against the true values (y) of the
// documents it ranks on one topic.
func scatterSVG(run string, st leaderboard.ScatterTopic) (string, error) {
	p := newPlot(st.Topic)
	p.X.Label.Text = "score of " + run
	p.Y.Label.Text = "true value"
	clearTickLabels(p, false)
	p.Add(plotter.NewGrid())
	if len(st.Points) > 0 {
		xys := make(plotter.XYs, len(st.Points))
		xs, ys := make([]float64, len(st.Points)), make([]float64, len(st.Points))
		for i, pt := range st.Points {
			xys[i] = plotter.XY{X: pt.Score, Y: pt.Truth}
			xs[i], ys[i] = pt.Score, pt.Truth
		}
		if lo, hi, ok := paddedRange(xs); ok {
			p.X.Min, p.X.Max = lo, hi
		}
		if lo, hi, ok := paddedRange(ys); ok {
			p.Y.Min, p.Y.Max = lo, hi
		}
		// The padded range can make the default ticker print 25.00.
		p.X.Tick.Marker, p.Y.Tick.Marker = trimmedTicks{p.X.Tick.Marker}, trimmedTicks{p.Y.Tick.Marker}
		s, err := plotter.NewScatter(xys)
		if err != nil {
			return "", err
		}
		s.GlyphStyle = draw.GlyphStyle{Color: colourPoint, Radius: vg.Points(1.3), Shape: draw.CircleGlyph{}}
		p.Add(s)
	}
	return renderSVG(p, 7.5*vg.Centimeter, 6.5*vg.Centimeter, "scatter of "+run+" on "+st.Topic)
}
