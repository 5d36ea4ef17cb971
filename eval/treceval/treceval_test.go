package treceval

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseArgsSyntax(t *testing.T) {
	for _, c := range []struct {
		name  string
		args  []string
		posix bool
		check func(t *testing.T, o *Options)
	}{
		{"clustered flags and joined values", []string{"-qcn", "-l2", "-M10", "-mmap", "q", "r"}, false, func(t *testing.T, o *Options) {
			assert.True(t, o.PerTopic && o.Complete && o.NoSummary)
			assert.Equal(t, int64(2), o.RelevanceLevel)
			assert.True(t, o.LimitRetrieved)
			assert.Equal(t, int64(10), o.MaxRetrieved)
			assert.Equal(t, map[string]bool{"map": true}, o.Measures.marked)
		}},
		{"value as next word, even one starting with -", []string{"-m", "P.5", "-l", "-1", "q", "r"}, false, func(t *testing.T, o *Options) {
			assert.Equal(t, int64(-1), o.RelevanceLevel)
			assert.Equal(t, []measureArg{{"P", "5"}}, o.Measures.args)
		}},
		{"value ends a cluster", []string{"-qmP.5", "q", "r"}, false, func(t *testing.T, o *Options) {
			assert.True(t, o.PerTopic)
			assert.Equal(t, []measureArg{{"P", "5"}}, o.Measures.args)
		}},
		{"options after the operands", []string{"q", "-q", "r", "-J"}, false, func(t *testing.T, o *Options) {
			assert.True(t, o.PerTopic && o.JudgedOnly)
			assert.Equal(t, "q", o.Qrels)
			assert.Equal(t, "r", o.Run)
		}},
		{"long options, abbreviated, = or next word", []string{"--meas=map", "--level_for_rel", "3", "--Judged", "--nosum", "q", "r"}, false, func(t *testing.T, o *Options) {
			assert.Equal(t, int64(3), o.RelevanceLevel)
			assert.True(t, o.JudgedOnly && o.NoSummary)
			assert.True(t, o.Measures.marked["map"])
		}},
		{"-- ends the options", []string{"-q", "--", "-c", "r"}, false, func(t *testing.T, o *Options) {
			assert.False(t, o.Complete)
			assert.Equal(t, "-c", o.Qrels)
		}},
		{"lone - is an operand", []string{"-", "r"}, false, func(t *testing.T, o *Options) {
			assert.Equal(t, "-", o.Qrels)
		}},
		{"atol values", []string{"-l", " 2x", "-M", "abc", "-N", "99999999999999999999", "q", "r"}, false, func(t *testing.T, o *Options) {
			assert.Equal(t, int64(2), o.RelevanceLevel)
			assert.Equal(t, int64(0), o.MaxRetrieved)
			assert.Equal(t, int64(math.MaxInt64), o.NumDocsInColl)
		}},
		{"official without -m", []string{"q", "r"}, false, func(t *testing.T, o *Options) {
			assert.Len(t, o.Measures.marked, 12)
			assert.True(t, o.Measures.marked["gm_map"] && o.Measures.marked["iprec_at_recall"])
		}},
		{"-D 0.QID", []string{"-D", "0.301", "q", "r"}, false, func(t *testing.T, o *Options) {
			assert.True(t, o.HasDebugQuery)
			assert.Equal(t, "301", o.DebugQuery)
		}},
		{"-v stops at once", []string{"-v", "-x"}, false, func(t *testing.T, o *Options) {
			assert.True(t, o.Version)
		}},
		{"-h needs no operands", []string{"-h", "-m", "P"}, false, func(t *testing.T, o *Options) {
			assert.True(t, o.Help)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			o, err := ParseArgs(c.args, c.posix)
			require.NoError(t, err)
			c.check(t, o)
		})
	}
}

func TestParseArgsRefusals(t *testing.T) {
	for _, c := range []struct {
		name   string
		args   []string
		posix  bool
		status int
		msg    string
		usage  bool
	}{
		{"unknown option", []string{"-a", "q", "r"}, false, 1, "trec_eval: invalid option -- 'a'", true},
		{"missing value", []string{"q", "r", "-m"}, false, 1, "trec_eval: option requires an argument -- 'm'", true},
		{"ambiguous long option", []string{"--Re=x", "q", "r"}, false, 1, "trec_eval: option '--Re=x' is ambiguous; possibilities: '--Rel_info_format' '--Results_format'", true},
		{"long option with a value it does not take", []string{"--help=1", "q", "r"}, false, 1, "trec_eval: option '--help' doesn't allow an argument", true},
		{"long option missing its value", []string{"q", "r", "--measure"}, false, 1, "trec_eval: option '--measure' requires an argument", true},
		{"unknown long option", []string{"--bogus", "q", "r"}, false, 1, "trec_eval: unrecognized option '--bogus'", true},
		{"one operand", []string{"q"}, false, 1, "", true},
		{"POSIXLY_CORRECT: options end at the first operand", []string{"q", "r", "-q"}, true, 1, "", true},
		{"unknown measure, named without its parameters", []string{"-m", "foo.5", "q", "r"}, false, 1, "trec_eval: illegal measure 'foo'", false},
		{"empty parameter list", []string{"-m", "P.", "q", "r"}, false, 1, "trec_eval: improper measure in parameter 'P'\ntrec_eval: illegal measure 'P'", false},
		{"negative -M", []string{"-M", "-5", "q", "r"}, false, 1, "mreval trec_eval: -M -5: the number of documents per topic must not be negative", false},
		{"-Z", []string{"-Z", "z", "q", "r"}, false, 1, "mreval trec_eval: -Z: z-scores are not supported", false},
		{"-D with a debug level", []string{"-D", "1", "q", "r"}, false, 1, "mreval trec_eval: -D 1: debug output is not supported (only -D 0.QID, which evaluates topic QID alone)", false},
		{"a bad measure before -v", []string{"-m", "foo", "-v"}, false, 1, "trec_eval: illegal measure 'foo'", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseArgs(c.args, c.posix)
			var te *Error
			require.ErrorAs(t, err, &te)
			assert.Equal(t, c.status, te.Status)
			assert.Equal(t, c.msg, te.Msg)
			assert.Equal(t, c.usage, te.Usage)
		})
	}
}

func TestMeasuresAsTrecEvalBuildsThem(t *testing.T) {
	for _, c := range []struct {
		name   string
		marks  []string
		names  []string
		params [][]float64
	}{
		{"table order whatever the -m order", []string{"P.10,5", "map", "runid"},
			[]string{"runid", "map", "P_5", "P_10"}, [][]float64{nil, nil, {5, 10}}},
		{"first parameter list wins", []string{"ndcg_cut.10", "ndcg_cut.100"},
			[]string{"ndcg_cut_10"}, [][]float64{{10}}},
		{"bare then with parameters: the parameters", []string{"P", "P.3"},
			[]string{"P_3"}, [][]float64{{3}}},
		{"atol cutoffs, sorted", []string{"success.20x,2,5.9"},
			[]string{"success_2", "success_5", "success_20"}, [][]float64{{2, 5, 20}}},
		{"real cutoffs named with two decimals", []string{"iprec_at_recall..5,.10,0.254"},
			[]string{"iprec_at_recall_0.10", "iprec_at_recall_0.25", "iprec_at_recall_0.50"}, [][]float64{{.1, .254, .5}}},
		{"real lists named as written", []string{"utility.2,-1,0,0", "11pt_avg"},
			[]string{"utility_2,-1,0,0", "11pt_avg"}, [][]float64{{2, -1, 0, 0}, {0, .1, .2, .3, .4, .5, .6, .7, .8, .9, 1}}},
		{"gain pairs: trec_eval's ndcg", []string{"ndcg.1=3,2=9,4=4.5"},
			[]string{"ndcg_1=3,2=9,4=4.5"}, [][]float64{{1, 3, 2, 9, 4, 4.5}}},
		{"parameters of a measure without any are ignored", []string{"map.5"},
			[]string{"map"}, [][]float64{nil}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var s Selection
			for _, m := range c.marks {
				require.NoError(t, s.Mark(m))
			}
			ms, unsupported, err := s.Measures()
			require.NoError(t, err)
			assert.Empty(t, unsupported)
			var names []string
			var params [][]float64
			for _, m := range ms {
				names = append(names, m.Names...)
				params = append(params, m.Params)
			}
			assert.Equal(t, c.names, names)
			assert.Equal(t, c.params, params)
		})
	}
	var s Selection
	require.NoError(t, s.Mark("ndcg"))
	ms, _, err := s.Measures()
	require.NoError(t, err)
	assert.Equal(t, "ndcg_trec", ms[0].Family.Name, "trec_eval's ndcg, not mreval's")
}

func TestMeasuresRefusals(t *testing.T) {
	for _, c := range []struct{ mark, msg string }{
		{"P.0,5", "trec_eval: Negative cutoff detected\ntrec_eval: Cannot initialize measure 'P'"},
		{"P.5,05", "trec_eval: duplicate cutoffs detected\ntrec_eval: Cannot initialize measure 'P'"},
		{"Rprec_mult.0.5,.50", "trec_eval: duplicate cutoffs detected\ntrec_eval: Cannot initialize measure 'Rprec_mult'"},
		{"G.1=2,3", "trec_eval: malformed pair parameters in '1=2,3'\ntrec_eval: Cannot initialize measure 'G'"},
		{"G.1=2=3", "trec_eval: malformed pair parameters in '1=2=3'\ntrec_eval: Cannot initialize measure 'G'"},
		{"G.1=2,,3=4", "trec_eval: malformed pair parameters in '1=2,,3=4'\ntrec_eval: Cannot initialize measure 'G'"},
	} {
		var s Selection
		require.NoError(t, s.Mark(c.mark))
		_, _, err := s.Measures()
		var te *Error
		require.ErrorAs(t, err, &te, c.mark)
		assert.Equal(t, StatusInput, te.Status, c.mark)
		assert.Equal(t, c.msg, te.Msg, c.mark)
	}
	var s Selection
	require.NoError(t, s.Mark("all_prefs"))
	_, unsupported, err := s.Measures()
	require.NoError(t, err)
	assert.Equal(t, "prefs_num_prefs_poss prefs_num_prefs_ful prefs_num_prefs_ful_ret prefs_simp prefs_pair prefs_avgjg prefs_avgjg_Rnonrel prefs_simp_ret prefs_pair_ret prefs_avgjg_ret prefs_avgjg_Rnonrel_ret prefs_simp_imp prefs_pair_imp prefs_avgjg_imp", strings.Join(unsupported, " "))
}

func TestCNumbers(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
	}{
		{"12", 12}, {"  -7x", -7}, {"+3", 3}, {"", 0}, {"abc", 0}, {"1.9", 1},
		{"9223372036854775808", math.MaxInt64}, {"-9223372036854775809", math.MinInt64}, {"-9223372036854775808", math.MinInt64},
	} {
		assert.Equal(t, c.want, atol(c.in), "atol(%q)", c.in)
	}
	for _, c := range []struct {
		in   string
		want float64
	}{
		{".25", .25}, {"1e2x", 100}, {"1e", 1}, {"-0.5,", -.5}, {" 3", 3}, {"abc", 0}, {"", 0},
		{"0x1p-2", .25}, {"0x", 0}, {"1e400", math.Inf(1)}, {"-inf", math.Inf(-1)}, {"Infinity", math.Inf(1)}, {"5.", 5},
	} {
		assert.Equal(t, c.want, atof(c.in), "atof(%q)", c.in)
	}
	assert.True(t, math.IsNaN(atof("nan")))
	assert.True(t, math.Signbit(atof("-nan")))
}
