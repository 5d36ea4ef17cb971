package report

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
)

func TestPaddedRange(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name   string
		vs     []float64
		lo, hi float64
		ok     bool
	}{
		{"5 % of the span on either side", []float64{0.2, 1, 0.6}, 0.16, 1.04, true},
		{"undefined values are skipped", []float64{nan, 10, 30, inf, -inf}, 9, 31, true},
		{"one value: 5 % of itself", []float64{-4, -4}, -4.2, -3.8, true},
		{"zero alone: ±0.5", []float64{0}, -0.5, 0.5, true},
		{"nothing finite", []float64{nan, inf}, 0, 0, false},
		{"empty", nil, 0, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lo, hi, ok := paddedRange(tc.vs)
			require.Equal(t, tc.ok, ok)
			assert.InDelta(t, tc.lo, lo, 1e-12)
			assert.InDelta(t, tc.hi, hi, 1e-12)
		})
	}
}

func TestTrimmedTicks(t *testing.T) {
	ticks := trimmedTicks{plot.ConstantTicks{{Value: 25, Label: "25.00"}, {Value: 0.5, Label: "0.50"}, {Value: 1e6, Label: "1.0e+06"}, {Value: 3, Label: ""}, {Value: 10, Label: "10"}}}.Ticks(0, 1)
	var labels []string
	for _, tk := range ticks {
		labels = append(labels, tk.Label)
	}
	assert.Equal(t, []string{"25", "0.5", "1.0e+06", "", "10"}, labels)
}

// TestClearOfTicks: the handler reserves gap more along a turned label
// (its width) or below a flat one (its depth), and nothing else.
func TestClearOfTicks(t *testing.T) {
	p := plot.New()
	base := p.X.Tick.Label.Handler
	fnt := font.From(plotFont, 9)
	w, h, d := base.Box("ag_news", fnt)
	gap := vg.Points(2)
	tw, th, td := clearOfTicks{Handler: base, gap: gap, turned: true}.Box("ag_news", fnt)
	assert.Equal(t, []vg.Length{w + gap, h, d}, []vg.Length{tw, th, td})
	fw, fh, fd := clearOfTicks{Handler: base, gap: gap}.Box("ag_news", fnt)
	assert.Equal(t, []vg.Length{w, h, d + gap}, []vg.Length{fw, fh, fd})
}

func TestWrapText(t *testing.T) {
	tests := []struct {
		s     string
		width int
		want  []string
	}{
		{"a bb ccc dddd", 6, []string{"a bb", "ccc", "dddd"}},
		{"a bb ccc", 8, []string{"a bb ccc"}},
		{"τ_w α = 0.05", 7, []string{"τ_w α =", "0.05"}},                          // runes, not bytes
		{"short extraordinarily x", 5, []string{"short", "extraordinarily", "x"}}, // a long word stands alone
		{"  spaced   out  ", 20, []string{"spaced out"}},
		{"", 10, nil},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, wrapText(tc.s, tc.width), tc.s)
	}
	assert.Equal(t, "", andList(nil))
	assert.Equal(t, "a", andList([]string{"a"}))
	assert.Equal(t, "a and b", andList([]string{"a", "b"}))
	assert.Equal(t, "a, b and c", andList([]string{"a", "b", "c"}))
}
