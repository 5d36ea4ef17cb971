package treceval

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/measure"
)

// FuzzParseArgs: no command line panics the parser, the measure builder or
// the measures it builds (atol and atof let any number through, as in
// trec_eval); a refusal carries one of trec_eval's exit statuses; every
// measure built has a name per value.
func FuzzParseArgs(f *testing.F) {
	for _, s := range []string{
		"-q\x00-m\x00all_trec\x00q\x00r", "-qc\x00-M10\x00-mP.5,10\x00q\x00r", "--meas=ndcg.1=3,2=9\x00q\x00r",
		"-m\x00iprec_at_recall.nan,inf,-1e308\x00q\x00r", "-m\x00relstring.1e30\x00-m\x00set_F.-1\x00q\x00r",
		"-m\x00G.=,=\x00q\x00r", "-m\x00Rprec_mult.0x1p9,1e-300\x00q\x00r", "-m\x00P.9223372036854775807,1\x00q\x00r",
		"-l\x00-9223372036854775808\x00-J\x00-M\x000\x00q\x00r", "-m\x00utility.1,1,1,1\x00-N\x009223372036854775807\x00q\x00r",
	} {
		f.Add(s)
	}
	q := &eval.Qrels{File: "q", Topics: []string{"A", "B"}, ByID: map[string]*eval.TopicQrels{
		"A": {Topic: "A", Docs: []string{"a", "b", "c", "d"}, Value: map[string]float64{"a": 3, "b": 0, "c": 1, "d": -1}},
		"B": {Topic: "B", Docs: []string{"e"}, Value: map[string]float64{"e": 12}},
	}}
	run := &eval.Run{File: "r", Topics: []string{"A"}, ByID: map[string]*eval.Ranking{"A": {Topic: "A", Entries: []eval.Entry{
		{Doc: "x", Score: 3}, {Doc: "c", Score: 2}, {Doc: "d", Score: 2}, {Doc: "a", Score: 1}, {Doc: "b", Score: 0.5}}}}}
	f.Fuzz(func(t *testing.T, line string) {
		if len(line) > 1000 {
			return
		}
		o, err := ParseArgs(strings.Split(line, "\x00"), false)
		if err != nil {
			var te *Error
			require.ErrorAs(t, err, &te)
			require.Contains(t, []int{StatusUsage, StatusInput, StatusCalc, StatusNoQuery}, te.Status)
			return
		}
		if o.Help || o.Version {
			return
		}
		ms, _, err := o.Measures.Measures()
		if err != nil {
			return
		}
		opts := measure.DefaultOptions()
		opts.RelevanceLevel = o.RelevanceLevel
		opts.LimitRetrieved, opts.MaxRetrieved = o.LimitRetrieved, int(min(max(o.MaxRetrieved, 0), math.MaxInt32))
		opts.JudgedOnly, opts.NumDocsInColl = o.JudgedOnly, o.NumDocsInColl
		for _, m := range ms {
			require.NotEmpty(t, m.Names)
			if m.Family.ParamCount > 0 && len(m.Params) != m.Family.ParamCount {
				continue // refused before scoring (status 4)
			}
			res := measure.Evaluate(q, run, measure.Config{Measures: []*measure.Measure{m}, Options: opts, Complete: o.Complete})
			require.Len(t, res.All, len(m.Names))
		}
	})
}
