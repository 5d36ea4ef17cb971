package treceval

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ntcir-pmr/mreval/eval/measure"
)

// nicknames are trec_eval 9.0.8's measure nicknames (measures.c).
var nicknames = map[string][]string{
	"official": {"runid", "num_q", "num_ret", "num_rel", "num_rel_ret", "map", "gm_map",
		"Rprec", "bpref", "recip_rank", "iprec_at_recall", "P"},
	"all_trec": {"runid", "num_q", "num_ret", "num_rel", "num_rel_ret", "map", "gm_map",
		"Rprec", "bpref", "recip_rank", "iprec_at_recall", "P", "relstring",
		"recall", "infAP", "gm_bpref",
		"utility", "11pt_avg", "ndcg", "relative_P", "Rprec_mult", "success",
		"map_cut", "ndcg_cut", "ndcg_rel", "Rndcg", "binG", "G",
		"set_P", "set_recall", "set_relative_P", "set_map", "set_F",
		"num_nonrel_judged_ret"},
	"set": {"runid", "num_q", "num_ret", "num_rel", "num_rel_ret", "utility", "set_P",
		"set_recall", "set_relative_P", "set_map", "set_F"},
	"all_prefs": {"runid", "num_q", "prefs_num_prefs_poss", "prefs_num_prefs_ful",
		"prefs_num_prefs_ful_ret", "prefs_simp", "prefs_pair", "prefs_avgjg", "prefs_avgjg_Rnonrel",
		"prefs_simp_ret", "prefs_pair_ret", "prefs_avgjg_ret", "prefs_avgjg_Rnonrel_ret",
		"prefs_simp_imp", "prefs_pair_imp", "prefs_avgjg_imp"},
	"prefs": {"runid", "num_q", "prefs_num_prefs_poss", "prefs_num_prefs_ful", "prefs_num_prefs_ful_ret",
		"prefs_simp", "prefs_pair", "prefs_avgjg"},
	"qrels_jg": {"runid", "num_q", "map_avgjg", "P_avgjg", "Rprec_mult_avgjg"},
}

// Selection is the measures marked on a command line and the parameters
// given to them, in the order given.
type Selection struct {
	marked map[string]bool
	args   []measureArg
}

type measureArg struct{ name, params string }

// Mark marks the measures of one -m argument as trec_eval does: NAME or
// NAME.PARAMS, where NAME is a measure or a nickname of several. The
// parameters are kept for later; only the first list given for a name is
// ever used (trec_eval 9.0.8 keeps the first: -m ndcg_cut.10 -m
// ndcg_cut.100 is ndcg_cut_10 alone).
func (s *Selection) Mark(arg string) error {
	name, params, hasParams := strings.Cut(arg, ".")
	if hasParams {
		if params == "" {
			return &Error{Status: StatusUsage, Msg: fmt.Sprintf("trec_eval: improper measure in parameter '%s'\ntrec_eval: illegal measure '%s'", name, name)}
		}
		s.args = append(s.args, measureArg{name, params})
	}
	if s.marked == nil {
		s.marked = map[string]bool{}
	}
	if list, ok := nicknames[name]; ok {
		for _, n := range list {
			s.marked[n] = true
		}
		return nil
	}
	if !slices.Contains(measure.TrecTable, name) {
		// trec_eval names the measure without its parameters here.
		return &Error{Status: StatusUsage, Msg: fmt.Sprintf("trec_eval: illegal measure '%s'", name)}
	}
	s.marked[name] = true
	return nil
}

// params returns the first parameter list given for name.
func (s *Selection) params(name string) (string, bool) {
	for _, a := range s.args {
		if a.name == name {
			return a.params, true
		}
	}
	return "", false
}

// families maps trec_eval's measure names to mreval's families; a family
// with a TrecName (ndcg_trec) takes precedence over one merely named alike
// (mreval's ndcg).
func families() map[string]*measure.Family {
	byName := map[string]*measure.Family{}
	for _, f := range measure.Families() {
		if !f.Trec {
			continue
		}
		if _, taken := byName[f.TrecEvalName()]; !taken || f.TrecName != "" {
			byName[f.TrecEvalName()] = f
		}
	}
	return byName
}

// Measures builds the marked measures in trec_eval's table order, with
// their parameters read as trec_eval reads them. Unsupported lists the
// marked measures mreval does not implement (prefs_*, *_avgjg), which
// trec_eval cannot compute on qrels either. A bad parameter list is an
// *Error with trec_eval's status for it.
func (s *Selection) Measures() (ms []*measure.Measure, unsupported []string, err error) {
	fams := families()
	for _, name := range measure.TrecTable {
		if !s.marked[name] {
			continue
		}
		f, ok := fams[name]
		if !ok {
			unsupported = append(unsupported, name)
			continue
		}
		text, given := s.params(name)
		m, err := build(f, name, text, given)
		if err != nil {
			return nil, nil, &Error{Status: StatusInput, Msg: fmt.Sprintf("trec_eval: %v\ntrec_eval: Cannot initialize measure '%s'", err, name)}
		}
		ms = append(ms, m)
	}
	return ms, unsupported, nil
}

// build makes one measure as trec_eval's init_meas procedures do
// (meas_init.c).
func build(f *measure.Family, name, text string, given bool) (*measure.Measure, error) {
	m := &measure.Measure{Family: f, Spec: name, Names: []string{name}}
	switch f.Params {
	case measure.NoParams:
		// trec_eval ignores parameters given to such a measure.
		return m, nil
	case measure.Cutoffs:
		m.Params, m.Names = f.Defaults, nil
		if given {
			cutoffs := make([]int64, 0, strings.Count(text, ",")+1)
			for _, field := range strings.Split(text, ",") {
				cutoffs = append(cutoffs, atol(field))
			}
			slices.Sort(cutoffs)
			if cutoffs[0] <= 0 {
				return nil, fmt.Errorf("Negative cutoff detected")
			}
			m.Params = make([]float64, len(cutoffs))
			for i, c := range cutoffs {
				if i > 0 && cutoffs[i-1] == c {
					return nil, fmt.Errorf("duplicate cutoffs detected")
				}
				m.Params[i] = float64(c)
				m.Names = append(m.Names, fmt.Sprintf("%s_%d", name, c))
			}
			return m, nil
		}
		for _, c := range m.Params {
			m.Names = append(m.Names, fmt.Sprintf("%s_%d", name, int64(c)))
		}
	case measure.RealCutoffs:
		m.Params, m.Names = f.Defaults, nil
		if given {
			m.Params = reals(text)
			slices.Sort(m.Params)
			for i := 1; i < len(m.Params); i++ {
				if m.Params[i-1] == m.Params[i] {
					return nil, fmt.Errorf("duplicate cutoffs detected")
				}
			}
		}
		for _, c := range m.Params {
			m.Names = append(m.Names, fmt.Sprintf("%s_%3.2f", name, c))
		}
	case measure.Real, measure.Reals:
		m.Params = f.Defaults
		if given {
			m.Params, m.Names = reals(text), []string{name + "_" + text}
		}
	case measure.GainPairs:
		if given {
			pairs, err := gainPairs(text)
			if err != nil {
				return nil, err
			}
			m.Params, m.Names = pairs, []string{name + "_" + text}
		}
	default:
		return nil, fmt.Errorf("measure %s: parameter kind %d unknown to trec_eval mode", name, f.Params)
	}
	return m, nil
}

// reals reads a comma-separated list with atof, as get_float_params and
// get_float_cutoffs do.
func reals(text string) []float64 {
	fields := strings.Split(text, ",")
	out := make([]float64, len(fields))
	for i, f := range fields {
		out[i] = atof(f)
	}
	return out
}

// gainPairs reads level=gain pairs as get_param_pairs does: every comma
// must follow a pair and every pair hold one '='; the level is read with
// atol (later, by setup_gains), the gain with atof. The result is level,
// gain, level, gain, ...
func gainPairs(text string) ([]float64, error) {
	last := byte(',')
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c != ',' && c != '=' {
			continue
		}
		if c == last {
			// ",," or "==" (or a leading comma): malformed
			last = 0
			break
		}
		last = c
	}
	if last != '=' {
		return nil, fmt.Errorf("malformed pair parameters in '%s'", text)
	}
	var out []float64
	for _, pair := range strings.Split(text, ",") {
		level, gain, _ := strings.Cut(pair, "=")
		out = append(out, float64(atol(level)), atof(gain))
	}
	return out, nil
}
