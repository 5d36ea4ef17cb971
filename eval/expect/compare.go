package expect

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

// DefaultTolerance absorbs the last-bit differences that fused
// multiply-add (arm64, ppc64, s390x) or another summation order can make,
// and nothing a reader of four-decimal scores could see.
const DefaultTolerance = 1e-9

// Tolerance is the largest accepted |got − expected|, per measure name
// with a default for the others.
type Tolerance struct {
	Default   float64
	ByMeasure map[string]float64
}

// ParseTolerance reads --tolerance values: each is a comma-separated list
// of a bare number (the default) and measure=number entries, e.g.
// "1e-6,regret@1=0.01". Without any bare number the default is
// DefaultTolerance. A measure or the default given twice is an error.
func ParseTolerance(specs []string) (Tolerance, error) {
	t := Tolerance{Default: DefaultTolerance, ByMeasure: map[string]float64{}}
	defaultSet := false
	for _, spec := range specs {
		for _, item := range strings.Split(spec, ",") {
			item = strings.TrimSpace(item)
			name, text, named := strings.Cut(item, "=")
			name, text = strings.TrimSpace(name), strings.TrimSpace(text)
			if !named {
				text = name
			}
			v, err := strconv.ParseFloat(text, 64)
			if err != nil || v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
				return t, fmt.Errorf("--tolerance %q: %q is not a non-negative number", spec, text)
			}
			switch {
			case !named && defaultSet:
				return t, fmt.Errorf("--tolerance %q: the default tolerance is given twice", spec)
			case !named:
				t.Default, defaultSet = v, true
			case name == "":
				return t, fmt.Errorf("--tolerance %q: empty measure name before '='", spec)
			default:
				if _, dup := t.ByMeasure[name]; dup {
					return t, fmt.Errorf("--tolerance %q: measure %s is given twice", spec, name)
				}
				t.ByMeasure[name] = v
			}
		}
	}
	return t, nil
}

// For returns the tolerance of a measure.
func (t Tolerance) For(measure string) float64 {
	if v, ok := t.ByMeasure[measure]; ok {
		return v
	}
	return t.Default
}

// CheckNames refuses a per-measure tolerance for a measure that is not
// compared: a typo would otherwise silently leave the default in force.
func (t Tolerance) CheckNames(measures []string) error {
	for _, name := range slices.Sorted(maps.Keys(t.ByMeasure)) {
		if !slices.Contains(measures, name) {
			return fmt.Errorf("--tolerance names %s, which is not among the compared measures (%s)", name, strings.Join(measures, " "))
		}
	}
	return nil
}

// Value is one side of a comparison: absent, null (NaN), or a number.
type Value struct {
	X       float64
	Present bool
}

func (v Value) String() string {
	switch {
	case !v.Present:
		return "absent"
	case math.IsNaN(v.X):
		return "null"
	}
	return strconv.FormatFloat(v.X, 'g', -1, 64)
}

// Drift is one value that differs beyond its tolerance.
type Drift struct {
	Run           string
	Topic         string // "all" for the aggregate
	IsAll         bool   // the aggregate (a topic may itself be called "all")
	Measure       string
	Expected, Got Value
}

// Comparable tells whether both sides are numbers, so that Delta means
// something.
func (d Drift) Comparable() bool {
	return d.Expected.Present && d.Got.Present && !math.IsNaN(d.Expected.X) && !math.IsNaN(d.Got.X)
}

// Delta is got − expected; NaN when not Comparable.
func (d Drift) Delta() float64 {
	if !d.Comparable() {
		return math.NaN()
	}
	return d.Got.X - d.Expected.X
}

// size orders drifts: an absent or null value on one side counts as an
// infinite difference, since no tolerance covers it.
func (d Drift) size() float64 {
	if !d.Comparable() {
		return math.Inf(1)
	}
	return math.Abs(d.Delta())
}

// Report is the outcome of a comparison.
type Report struct {
	// Checked counts the (run, topic, measure) values on either side.
	Checked int
	// Drifts are the values beyond tolerance, largest |delta| first; ties
	// in byte order of run, then per-topic values before `all`, topic,
	// measure.
	Drifts []Drift
	// MaxDelta is the largest |delta| among the values within tolerance.
	MaxDelta float64
	// OnlyExpected and OnlyGot are the run tags found on one side only
	// (their values are drifts too; a report names the runs once).
	OnlyExpected, OnlyGot []string
}

// Compare compares got with expected, run by run (matched by tag). A run,
// topic or measure on one side only is a drift for each of its values;
// null equals only null. got must not repeat a tag.
func Compare(expected, got []*Scores, tol Tolerance) (*Report, error) {
	gotByTag := map[string]*Scores{}
	for _, g := range got {
		if prev, dup := gotByTag[g.Run]; dup {
			return nil, fmt.Errorf("%s and %s both have run tag %q; --expect matches runs by tag", prev.File, g.File, g.Run)
		}
		gotByTag[g.Run] = g
	}
	rep := &Report{}
	compareValues := func(run, topic string, isAll bool, exp, got map[string]float64) {
		for _, m := range unionKeys(exp, got) {
			e, inE := exp[m]
			g, inG := got[m]
			rep.Checked++
			d := Drift{Run: run, Topic: topic, IsAll: isAll, Measure: m, Expected: Value{e, inE}, Got: Value{g, inG}}
			switch {
			case inE && inG && math.IsNaN(e) && math.IsNaN(g):
				continue
			case d.Comparable() && d.size() <= tol.For(m):
				rep.MaxDelta = max(rep.MaxDelta, d.size())
				continue
			}
			rep.Drifts = append(rep.Drifts, d)
		}
	}
	compareRun := func(tag string, e, g *Scores) {
		if e == nil {
			e = newScores()
		}
		if g == nil {
			g = newScores()
		}
		for _, topic := range unionKeys(e.PerTopic, g.PerTopic) {
			compareValues(tag, topic, false, e.PerTopic[topic], g.PerTopic[topic])
		}
		compareValues(tag, "all", true, e.All, g.All)
	}
	seen := map[string]bool{}
	for _, e := range expected {
		seen[e.Run] = true
		if gotByTag[e.Run] == nil {
			rep.OnlyExpected = append(rep.OnlyExpected, e.Run)
		}
		compareRun(e.Run, e, gotByTag[e.Run])
	}
	for _, g := range got {
		if !seen[g.Run] {
			rep.OnlyGot = append(rep.OnlyGot, g.Run)
			compareRun(g.Run, nil, g)
		}
	}
	slices.SortFunc(rep.Drifts, func(a, b Drift) int {
		if c := cmp.Compare(b.size(), a.size()); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Run, b.Run); c != 0 {
			return c
		}
		if a.IsAll != b.IsAll {
			if a.IsAll {
				return 1
			}
			return -1
		}
		if c := cmp.Compare(a.Topic, b.Topic); c != 0 {
			return c
		}
		return cmp.Compare(a.Measure, b.Measure)
	})
	return rep, nil
}

// unionKeys returns the keys of a and b in byte order.
func unionKeys[V any](a, b map[string]V) []string {
	out := make([]string, 0, len(a)+len(b))
	for k := range a {
		out = append(out, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}
