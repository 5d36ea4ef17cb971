package measure

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval"
)

// Every parameter outside its family's domain is refused by the parser
// with the measure, the parameter and the allowed range; before, q_-1
// panicked in ntcir.Q and rbp_1.5 printed undef.
func TestParseRefusesParametersOutsideTheDomain(t *testing.T) {
	const cutoffRange = "cutoff k must be an integer in [1, 1000000000]"
	tests := []struct{ spec, want string }{
		{"q_-1", `measure "q_-1": parameter -1 out of range: β must be in [0, 1000]`},
		{"q_1000.5", `measure "q_1000.5": parameter 1000.5 out of range: β must be in [0, 1000]`},
		{"q_measure_-0.1", `measure "q_measure_-0.1": parameter -0.1 out of range: β must be in [0, 1000]`},
		{"rbp_-0.5", `measure "rbp_-0.5": parameter -0.5 out of range: persistence p must be in [0, 1)`},
		{"rbp_1.5", `measure "rbp_1.5": parameter 1.5 out of range: persistence p must be in [0, 1)`},
		{"rbp_1", `measure "rbp_1": parameter 1 out of range: persistence p must be in [0, 1)`},
		{"rbp_1e400", `measure "rbp_1e400": parameter 1e400 out of range: persistence p must be in [0, 1)`},
		{"rbp.0.5,0.6", `measure "rbp.0.5,0.6": rbp takes one parameter`},
		{"rbp_NaN", `measure "rbp_NaN": parameter "NaN" is not a number`},
		{"rbp_Inf", `measure "rbp_Inf": parameter "Inf" is not a number`},
		{"rbp_0x1p-1", `measure "rbp_0x1p-1": parameter "0x1p-1" is not a number`},
		{"rbp_.", `measure "rbp_.": parameter "." is not a number`},
		{"rbp_1e", `measure "rbp_1e": parameter "1e" is not a number`},
		{"P.1_000", `measure "P.1_000": parameter "1_000" is not a number`},
		{"P@0x10", `measure "P@0x10": parameter "0x10" is not a number`},
		{"P.2.5", `measure "P.2.5": parameter 2.5 out of range: ` + cutoffRange},
		{"P_-5", `measure "P_-5": parameter -5 out of range: ` + cutoffRange},
		{"P@1000000001", `measure "P@1000000001": parameter 1000000001 out of range: ` + cutoffRange},
		{"P@1e400", `measure "P@1e400": parameter 1e400 out of range: ` + cutoffRange},
		{"regret@0", `measure "regret@0": parameter 0 out of range: ` + cutoffRange},
		{"near@-1", `measure "near@-1": parameter -1 out of range: ` + cutoffRange},
		{"nerr@0", `measure "nerr@0": parameter 0 out of range: ` + cutoffRange},
		{"hit@0.5", `measure "hit@0.5": parameter 0.5 out of range: ` + cutoffRange},
		{"msndcg@-3", `measure "msndcg@-3": parameter -3 out of range: ` + cutoffRange},
		{"ndcg_orig@0", `measure "ndcg_orig@0": parameter 0 out of range: ` + cutoffRange},
		{"ndcg.0", `measure "ndcg.0": parameter 0 out of range: ` + cutoffRange},
		{"ndcg_cut_0", `measure "ndcg_cut_0": parameter 0 out of range: ` + cutoffRange},
		{"recall.0", `measure "recall.0": parameter 0 out of range: ` + cutoffRange},
		{"judged@0", `measure "judged@0": parameter 0 out of range: ` + cutoffRange},
		{"feasible@0", `measure "feasible@0": parameter 0 out of range: ` + cutoffRange},
		{"cregret@0", `measure "cregret@0": parameter 0 out of range: ` + cutoffRange},
		{"P.5,05", `measure "P.5,05": parameter 05 given twice`},
		{"P.10,5,10.0", `measure "P.10,5,10.0": parameter 10.0 given twice`},
		{"P.", `measure "P.": empty parameter in ""`},
		{"P.5,", `measure "P.5,": empty parameter in "5,"`},
		{"P.,5", `measure "P.,5": empty parameter in ",5"`},
		{"P@", `measure "P@": empty parameter in ""`},
		{"P." + strings.Repeat("1,", 100) + "1", `measure "P.` + strings.Repeat("1,", 100) + `1": 101 parameters; at most 100 per name`},
	}
	for _, tc := range tests {
		_, err := Parse(tc.spec)
		assert.EqualError(t, err, tc.want, tc.spec)
	}
}

func TestParseAcceptsTheDomainsBounds(t *testing.T) {
	tests := []struct {
		spec   string
		names  []string
		params []float64
	}{
		{"rbp_0", []string{"rbp_0"}, []float64{0}},
		{"rbp_-0", []string{"rbp_0"}, []float64{0}},
		{"rbp_0.999", []string{"rbp_0.999"}, []float64{0.999}},
		{"rbp_.5", []string{"rbp_0.5"}, []float64{0.5}},
		{"q_0", []string{"q_0"}, []float64{0}},
		{"q_1000", []string{"q_1000"}, []float64{1000}},
		{"q_1e1", []string{"q_10"}, []float64{10}},
		{"P@1000000000", []string{"P@1000000000"}, []float64{1e9}},
		{"P.+5, 1e1", []string{"P_5", "P_10"}, []float64{5, 10}},
		{"P_05", []string{"P_5"}, []float64{5}},
		{"regret@1", []string{"regret@1"}, []float64{1}},
	}
	for _, tc := range tests {
		m, err := Parse(tc.spec)
		require.NoError(t, err, tc.spec)
		assert.Equal(t, tc.names, m.Names, tc.spec)
		assert.Equal(t, tc.params, m.Params, tc.spec)
	}
}

func TestEveryParameterizedFamilyDeclaresADomain(t *testing.T) {
	for _, f := range Families() {
		if f.Params == NoParams {
			assert.Equal(t, Domain{}, f.Domain, f.Name)
			continue
		}
		assert.NotEmpty(t, f.Domain.What, f.Name)
		if f.Params == Cutoffs {
			assert.Equal(t, CutoffDomain, f.Domain, f.Name)
		}
	}
}

func TestDomainString(t *testing.T) {
	assert.Equal(t, "an integer in [1, 1000000000]", CutoffDomain.String())
	assert.Equal(t, "in (0, 1]", Domain{Min: 0, Max: 1, MinOpen: true}.String())
	assert.Equal(t, "in [0.5, 2)", Domain{Min: 0.5, Max: 2, MaxOpen: true}.String())
}

func TestRegisterRefusesAFamilyWithoutDomain(t *testing.T) {
	assert.PanicsWithValue(t, "measure: x_test declares no parameter domain", func() {
		Register(&Family{Name: "x_test", Params: Real})
	})
	assert.PanicsWithValue(t, "measure: default parameter 2 of y_test is outside its domain", func() {
		Register(&Family{Name: "y_test", Params: Real, Domain: Domain{What: "p", Max: 1}, Defaults: []float64{2}})
	})
	_, registered := Lookup("x_test")
	assert.False(t, registered)
}

// fuzzTopic is a small graded topic with a tie, an unjudged and a
// negative judgment, so that every measure family has something to do.
func fuzzTopic() (*eval.Qrels, *eval.Run) {
	q := &eval.Qrels{File: "q", Topics: []string{"A", "B"}, ByID: map[string]*eval.TopicQrels{
		"A": {Topic: "A", Docs: []string{"d1", "d2", "d3", "d4"}, Lines: []int{1, 2, 3, 4},
			Value: map[string]float64{"d1": 3, "d2": 0, "d3": 1, "d4": -1}},
		"B": {Topic: "B", Docs: []string{"e1"}, Lines: []int{5}, Value: map[string]float64{"e1": 0}},
	}}
	ra := &eval.Ranking{Topic: "A", Entries: []eval.Entry{
		{Doc: "d3", Score: 2}, {Doc: "x", Score: 2}, {Doc: "d1", Score: 1}, {Doc: "d4", Score: 0.5}}}
	rb := &eval.Ranking{Topic: "B", Entries: []eval.Entry{{Doc: "e1", Score: 1}}}
	return q, &eval.Run{File: "r", Topics: []string{"A", "B"}, ByID: map[string]*eval.Ranking{"A": ra, "B": rb}}
}

// FuzzParseMeasure: no name panics the parser; a name that parses has its
// parameters in the domain and evaluates, without panic, to values that
// are finite or undefined (NaN).
func FuzzParseMeasure(f *testing.F) {
	for _, fam := range Families() {
		f.Add(fam.Name)
		f.Add(fam.Name + "@10")
		f.Add(fam.Name + "_0.5")
		f.Add(fam.Name + ".1,3")
	}
	for _, s := range []string{"q_-1", "rbp_1.5", "rbp_-0.5", "P.1e400", "P@0x10", "ndcg_cut.5,5", "rbp_", "P.,", "q_measure_2"} {
		f.Add(s)
	}
	q, run := fuzzTopic()
	f.Fuzz(func(t *testing.T, spec string) {
		m, err := Parse(spec)
		if err != nil {
			return
		}
		require.NotEmpty(t, m.Names, spec)
		for i, p := range m.Params {
			if m.Family.Params == GainPairs && i%2 == 0 {
				continue // a level; the domain is the gains'
			}
			if !(m.Family.Bare && p == 0) {
				require.True(t, m.Family.Domain.Contains(p), "%s: parameter %v outside %s", spec, p, m.Family.Domain)
			}
		}
		res := Evaluate(q, run, Config{Measures: []*Measure{m}, Complete: true})
		require.Len(t, res.Columns, len(m.Names), spec)
		for i := range res.Topics {
			for c, v := range res.PerTopic[i] {
				require.False(t, math.IsInf(v, 0), "%s: %s on %s is %v", spec, res.Columns[c].Name, res.Topics[i], v)
			}
		}
	})
}
