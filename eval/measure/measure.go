// Package measure is the registry of evaluation measures. Like trec_eval's
// m_*.c files, each measure family lives in one file as a Family record:
// name, help text with formula and citation, default parameters, and a
// function computing its values for one topic. Adding a measure touches one
// file.
//
// Names are parsed in two styles: trec_eval's `P.5,10` (values named P_5,
// P_10) and ir_measures' `P@10` (value named P@10). A bare name takes the
// family's default parameters.
package measure

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/ntcir-pmr/mreval/eval"
)

// Direction says whether larger values of a measure are better.
type Direction int

const (
	HigherIsBetter Direction = iota
	LowerIsBetter
)

// Aggregation says how per-topic values become the `all` value.
type Aggregation int

const (
	Mean  Aggregation = iota // mean over topics with a defined value
	Sum                      // sum over topics (num_ret, num_rel, ...)
	Count                    // number of topics (num_q)
	// GeoMean is trec_eval's geometric mean (gm_map, gm_bpref): the topic
	// values are already log(max(x, MinGeoMean)); the `all` value is the
	// exponential of their mean, a topic the run lacks counting as
	// log(MinGeoMean) under Config.Complete.
	GeoMean
	// RunTag has no number: the `all` line prints the run's tag (runid).
	RunTag
	// NoAggregate families print per-topic lines only (relstring).
	NoAggregate
)

// MinGeoMean is trec_eval's MIN_GEO_MEAN: the floor of a topic's value
// before its logarithm is taken for a geometric mean.
const MinGeoMean = .00001

// ParamKind says what parameters a family takes.
type ParamKind int

const (
	NoParams ParamKind = iota
	// Cutoffs are positive integers without duplicates (P.5,10).
	Cutoffs
	// Real is one real-valued parameter (rbp's persistence, Q's beta).
	Real
	// RealCutoffs are real-valued cutoffs without duplicates, one value
	// each, named with two decimals as trec_eval does
	// (iprec_at_recall_0.10, Rprec_mult_1.50).
	RealCutoffs
	// Reals are a list of reals giving one value, named after the list as
	// written (utility_1,-1,0,0); repeats are allowed.
	Reals
	// GainPairs are level=gain pairs giving one value (ndcg.1=3,2=9), held
	// in Params as level, gain, level, gain, ... and named as written.
	GainPairs
)

// Domain is the set of values a family's parameter may take. The name
// parser checks every parameter against it, so a Calc never sees a value
// its formula is not defined for (Q's β < 0 would panic, rbp's p > 1
// would be meaningless).
type Domain struct {
	// What names the parameter in messages: "cutoff k", "persistence p".
	What     string
	Min, Max float64
	// MinOpen and MaxOpen exclude the bound itself: (0, 1] has MinOpen.
	MinOpen, MaxOpen bool
	Integer          bool
}

// MaxCutoff is the largest cutoff a name may ask for. A cutoff beyond
// any run's length means "the whole list"; the bound keeps cutoffs exact
// in a float64 and within a 32-bit int.
const MaxCutoff = 1_000_000_000

// maxParams bounds the parameters of one name (P.1,2,3,…): every value
// is a column and every cutoff a pass over the ranking.
const maxParams = 100

// CutoffDomain is the domain of every cutoff family: a rank k ≥ 1.
var CutoffDomain = Domain{What: "cutoff k", Min: 1, Max: MaxCutoff, Integer: true}

// Contains tells whether v is in the domain.
func (d Domain) Contains(v float64) bool {
	switch {
	case math.IsNaN(v), v < d.Min, v > d.Max, d.MinOpen && v == d.Min, d.MaxOpen && v == d.Max:
		return false
	case d.Integer:
		return v == math.Trunc(v)
	}
	return true
}

// String describes the domain for messages and help: "an integer in
// [1, 1000000000]", "in [0, 1)".
func (d Domain) String() string {
	lo, hi := "[", "]"
	if d.MinOpen {
		lo = "("
	}
	if d.MaxOpen {
		hi = ")"
	}
	interval := lo + strconv.FormatFloat(d.Min, 'f', -1, 64) + ", " + strconv.FormatFloat(d.Max, 'f', -1, 64) + hi
	if d.Integer {
		return "an integer in " + interval
	}
	return "in " + interval
}

// Family is one measure definition.
type Family struct {
	Name    string   // canonical name, as trec_eval spells it where it has one
	Aliases []string // further accepted names (matched case-insensitively)
	// Summary is one line for listings; Help the full definition with
	// formula, tie rules, undefined cases and citation.
	Summary string
	Help    string
	Params  ParamKind
	// Domain is where each parameter must lie; every family with
	// parameters declares one (Register refuses a family without).
	Domain Domain
	// Defaults are the parameters of a bare name (e.g. P → 5,10,...,1000).
	Defaults []float64
	// Bare lets a cutoff family be named without parameters to mean "no
	// cutoff" (ndcg = nDCG over the whole list); it then gets parameter 0.
	Bare bool
	// ParamCount, when set, is the number of parameters a Reals family
	// needs (utility: 4).
	ParamCount int
	// TrecName is trec_eval's name of the family when it differs from
	// Name (ndcg_trec is trec_eval's ndcg; mreval's ndcg takes cutoffs).
	TrecName string
	// Text, when set, gives the family's per-topic value as text
	// (relstring); Calc is then not called.
	Text func(t *Topic, params []float64) string
	// AllComplete, when set, gives the `all` value under Config.Complete
	// when trec_eval does not aggregate the topic values then (num_rel
	// counts level > 0 over every judged topic, whatever -l says).
	AllComplete func(q *eval.Qrels) float64
	// Trec marks the families whose output trec_eval defines; their `all`
	// lines follow trec_eval's formatting and averaging exactly.
	Trec bool
	// NTCIR marks the families that follow NTCIREVAL (eval/ntcir): run
	// order per Options.Order, condensed lists with Options.Condensed,
	// relevant = level > 0, undefined without relevant documents.
	NTCIR bool
	// Integer values are printed without decimals (num_q, num_ret, ...).
	Integer bool
	// NoPerTopic is true for num_q, which trec_eval prints only as `all`.
	NoPerTopic  bool
	Direction   Direction
	Aggregation Aggregation
	// Calc computes one value per parameter (or one value without
	// parameters) into out. NaN marks an undefined value.
	Calc func(t *Topic, params []float64, out []float64)
}

var (
	families []*Family
	byName   = map[string]*Family{}
)

// Register adds a family; it is called from the init function of the
// family's file.
func Register(f *Family) {
	// A family's own declaration is wrong here, not a user's input: the
	// panic fires at init in every test and build of the kit.
	switch {
	case f.Params == NoParams && f.Domain != (Domain{}):
		panic("measure: " + f.Name + " takes no parameters but declares a domain")
	case f.Params != NoParams && (f.Domain.What == "" || !(f.Domain.Min <= f.Domain.Max)):
		panic("measure: " + f.Name + " declares no parameter domain")
	}
	for _, d := range f.Defaults {
		if !f.Domain.Contains(d) {
			panic(fmt.Sprintf("measure: default parameter %v of %s is outside its domain", d, f.Name))
		}
	}
	for _, n := range append([]string{f.Name}, f.Aliases...) {
		key := strings.ToLower(n)
		if _, dup := byName[key]; dup {
			panic("measure: duplicate name " + n)
		}
		byName[key] = f
	}
	families = append(families, f)
}

// Families returns every registered family: trec_eval's in its table
// order, then the others by name.
func Families() []*Family {
	out := slices.Clone(families)
	slices.SortFunc(out, func(a, b *Family) int {
		if d := trecIndex(a) - trecIndex(b); d != 0 {
			return d
		}
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	return out
}

// Convention names the reference whose definition a family follows:
// "trec_eval" (byte-identical to trec_eval 9.0.8), "NTCIREVAL" (as
// pyNTCIREVAL computes it) or "mreval" (the kit's own definition; its help
// cites the source).
func (f *Family) Convention() string {
	switch {
	case f.Trec:
		return "trec_eval"
	case f.NTCIR:
		return "NTCIREVAL"
	}
	return "mreval"
}

// Lookup finds a family by name or alias, case-insensitively.
func Lookup(name string) (*Family, bool) {
	f, ok := byName[strings.ToLower(name)]
	return f, ok
}

// Measure is one parsed measure request: a family with its parameters and
// the names of the values it produces.
type Measure struct {
	Family *Family
	Params []float64
	Names  []string
	// Spec is the text it was parsed from.
	Spec string
}

// Parse parses a measure name such as `ndcg_cut.5,10`, `ndcg@10`, `tauw`,
// `rbp_0.95` or `P`.
func Parse(spec string) (*Measure, error) {
	s := strings.TrimSpace(spec)
	if s == "" {
		return nil, fmt.Errorf("empty measure name")
	}
	// Exact names first, so names containing '.' or '_' (rbp_0.95) work.
	if f, ok := Lookup(s); ok {
		return newMeasure(f, s, f.Defaults, "bare", "")
	}
	if i := strings.IndexByte(s, '@'); i > 0 {
		if f, ok := Lookup(s[:i]); ok && f.Params == Real {
			return nil, fmt.Errorf("measure %q: write %s_<value>, e.g. %s_0.95", spec, f.Name, f.Name)
		}
		if f, ok := Lookup(s[:i]); ok && (f.Params == Reals || f.Params == GainPairs) {
			return nil, fmt.Errorf("measure %q: write %s.<parameters>, as trec_eval does", spec, f.Name)
		}
		f, ok := Lookup(s[:i])
		if !ok {
			return nil, unknown(s[:i])
		}
		params, err := parseParams(f, s[i+1:])
		if err != nil {
			return nil, fmt.Errorf("measure %q: %v", spec, err)
		}
		return newMeasure(f, s[:i], params, "ir", s[i+1:])
	}
	if i := strings.IndexByte(s, '.'); i > 0 {
		if f, ok := Lookup(s[:i]); ok {
			params, err := parseParams(f, s[i+1:])
			if err != nil {
				return nil, fmt.Errorf("measure %q: %v", spec, err)
			}
			return newMeasure(f, s[:i], params, "trec", s[i+1:])
		}
	}
	if i := strings.LastIndexByte(s, '_'); i > 0 {
		// rbp_0.95, P_10: the underscore form trec_eval prints.
		if f, ok := Lookup(s[:i]); ok && f.Params != NoParams {
			params, err := parseParams(f, s[i+1:])
			if err != nil {
				return nil, fmt.Errorf("measure %q: %v", spec, err)
			}
			return newMeasure(f, s[:i], params, "trec", s[i+1:])
		}
	}
	return nil, unknown(s)
}

func unknown(name string) error {
	return fmt.Errorf("unknown measure %q (`mreval measures` lists them all)", name)
}

// parseParams reads a comma-separated parameter list. A parameter is a
// plain decimal (sign, digits, point, exponent); Go's other spellings
// (0x1p-2, 1_000, Inf, NaN) are refused, since a measure name is echoed in
// every output line and must mean the same to every reader.
func parseParams(f *Family, text string) ([]float64, error) {
	if f.Params == NoParams {
		return nil, fmt.Errorf("%s takes no parameters", f.Name)
	}
	fields := strings.Split(text, ",")
	if len(fields) > maxParams {
		return nil, fmt.Errorf("%d parameters; at most %d per name", len(fields), maxParams)
	}
	if f.Params == Real && len(fields) > 1 {
		return nil, fmt.Errorf("%s takes one parameter", f.Name)
	}
	if f.ParamCount > 0 && len(fields) != f.ParamCount {
		return nil, fmt.Errorf("%s takes %d parameters, not %d", f.Name, f.ParamCount, len(fields))
	}
	if f.Params == GainPairs {
		return parseGainPairs(f, fields)
	}
	params := make([]float64, 0, len(fields))
	for _, field := range fields {
		p := strings.TrimSpace(field)
		if p == "" {
			return nil, fmt.Errorf("empty parameter in %q", text)
		}
		if !isPlainDecimal(p) {
			return nil, fmt.Errorf("parameter %q is not a number", p)
		}
		// A syntactically plain decimal fails only by overflow (1e400):
		// ±Inf, which the domain check below refuses by its range.
		v, _ := strconv.ParseFloat(p, 64)
		v += 0 // -0 → 0, so that rbp_-0 is named rbp_0
		if !f.Domain.Contains(v) {
			return nil, fmt.Errorf("parameter %s out of range: %s must be %s", p, f.Domain.What, f.Domain)
		}
		if f.Params != Reals && slices.Contains(params, v) {
			return nil, fmt.Errorf("parameter %s given twice", p)
		}
		params = append(params, v)
	}
	if f.Params == Cutoffs || f.Params == RealCutoffs {
		// trec_eval requires and prints cutoffs in increasing order.
		slices.Sort(params)
	}
	if f.Params == RealCutoffs {
		// Two cutoffs printed alike (0.1 and 0.104 are both _0.10) would
		// make two columns of one name.
		for i := 1; i < len(params); i++ {
			if realCutoffName(params[i-1]) == realCutoffName(params[i]) {
				return nil, fmt.Errorf("parameters %v and %v are both named %s_%s (trec_eval prints 2 decimals)", params[i-1], params[i], f.Name, realCutoffName(params[i]))
			}
		}
	}
	return params, nil
}

// parseGainPairs reads level=gain pairs (ndcg_trec.1=3,2=9): an integer
// relevance level and a gain in the family's domain, each level once.
func parseGainPairs(f *Family, fields []string) ([]float64, error) {
	params := make([]float64, 0, 2*len(fields))
	for _, field := range fields {
		levelText, gainText, ok := strings.Cut(strings.TrimSpace(field), "=")
		level, err := strconv.ParseInt(strings.TrimSpace(levelText), 10, 32)
		if !ok || err != nil {
			return nil, fmt.Errorf("parameter %q is not level=gain (e.g. 1=3.5)", field)
		}
		gainText = strings.TrimSpace(gainText)
		if !isPlainDecimal(gainText) {
			return nil, fmt.Errorf("gain %q is not a number", gainText)
		}
		gain, _ := strconv.ParseFloat(gainText, 64)
		if !f.Domain.Contains(gain) {
			return nil, fmt.Errorf("gain %s out of range: %s must be %s", gainText, f.Domain.What, f.Domain)
		}
		for i := 0; i < len(params); i += 2 {
			if params[i] == float64(level) {
				return nil, fmt.Errorf("level %d given twice", level)
			}
		}
		params = append(params, float64(level), gain+0)
	}
	return params, nil
}

// realCutoffName is trec_eval's name suffix of a real cutoff: %3.2f.
func realCutoffName(p float64) string { return fmt.Sprintf("%3.2f", p) }

// isPlainDecimal reports whether s is [+-]digits[.digits][(e|E)[+-]digits]
// with at least one digit in the mantissa.
func isPlainDecimal(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := func() int {
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - start
	}
	n := digits()
	if i < len(s) && s[i] == '.' {
		i++
		n += digits()
	}
	if n == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

// newMeasure names the values of a parsed measure. trec_eval's families
// keep trec_eval's spelling (P_5 whatever was typed; a list of reals or
// gains as written, utility_1,-1,0,0); the others echo the name as the
// user typed it (nDCG@10, rr), as ir_measures does. style is "bare" (no
// parameters written), "trec" (name.p1,p2 or name_p) or "ir" (name@k);
// text is the parameter list as written.
func newMeasure(f *Family, typed string, params []float64, style, text string) (*Measure, error) {
	m := &Measure{Family: f, Params: params, Spec: typed}
	name := typed
	if f.Trec && style != "ir" && strings.EqualFold(typed, f.Name) {
		name = f.Name
	}
	switch {
	case f.Params == NoParams:
		m.Names = []string{name}
		return m, nil
	case len(params) == 0 && f.Bare:
		m.Names, m.Params = []string{name}, []float64{0}
		return m, nil
	case style == "bare" && (f.Params == Real || f.Params == Reals || f.Params == GainPairs):
		m.Names = []string{name}
		return m, nil
	case f.Params == Reals || f.Params == GainPairs || f.Trec && f.Params == Real:
		m.Names = []string{name + "_" + strings.TrimSpace(text)}
		return m, nil
	case len(params) == 0:
		return nil, fmt.Errorf("measure %q needs a parameter, e.g. %s@10", typed, f.Name)
	}
	for _, p := range params {
		ps := strconv.FormatFloat(p, 'f', -1, 64)
		switch {
		case style == "ir" || (!f.Trec && f.Params == Cutoffs):
			m.Names = append(m.Names, name+"@"+ps)
		case f.Params == RealCutoffs:
			m.Names = append(m.Names, name+"_"+realCutoffName(p))
		default:
			m.Names = append(m.Names, name+"_"+ps)
		}
	}
	return m, nil
}

// ParseAll parses a list of measure names (each may itself hold several,
// as in -m ndcg_cut.5,10), merging repeats of the same value name.
func ParseAll(specs []string) ([]*Measure, error) {
	var out []*Measure
	seen := map[string]bool{}
	for _, s := range specs {
		m, err := Parse(s)
		if err != nil {
			return nil, err
		}
		if len(m.Names) == 1 {
			// One value, whatever its parameters (utility.1,-1,0,0).
			if !seen[m.Names[0]] {
				seen[m.Names[0]] = true
				out = append(out, m)
			}
			continue
		}
		keep := m.Names[:0:0]
		var params []float64
		for i, n := range m.Names {
			if !seen[n] {
				seen[n] = true
				keep = append(keep, n)
				if m.Params != nil {
					params = append(params, m.Params[i])
				}
			}
		}
		if len(keep) == 0 {
			continue
		}
		m.Names, m.Params = keep, params
		out = append(out, m)
	}
	// Output order: trec_eval's table order for its families (as trec_eval
	// prints them whatever the order of -m), then the others as given.
	slices.SortStableFunc(out, func(a, b *Measure) int {
		return trecIndex(a.Family) - trecIndex(b.Family)
	})
	return out, nil
}

// TrecTable is the order of trec_eval 9.0.8's measure table (measures.c),
// in which it prints measures whatever the order of -m. The prefs_* and
// *_avgjg measures, which need other qrels formats, are not implemented
// (docs/measures.md says why).
var TrecTable = []string{"runid", "num_q", "num_ret", "num_rel", "num_rel_ret", "map", "gm_map",
	"Rprec", "bpref", "recip_rank", "iprec_at_recall", "P", "relstring", "recall", "infAP",
	"gm_bpref", "Rprec_mult", "utility", "11pt_avg", "binG", "G", "ndcg", "ndcg_rel", "Rndcg",
	"ndcg_cut", "map_cut", "relative_P", "success", "set_P", "set_relative_P", "set_recall",
	"set_map", "set_F", "num_nonrel_judged_ret", "prefs_num_prefs_poss", "prefs_num_prefs_ful",
	"prefs_num_prefs_ful_ret", "prefs_simp", "prefs_pair", "prefs_avgjg", "prefs_avgjg_Rnonrel",
	"prefs_simp_ret", "prefs_pair_ret", "prefs_avgjg_ret", "prefs_avgjg_Rnonrel_ret",
	"prefs_simp_imp", "prefs_pair_imp", "prefs_avgjg_imp", "map_avgjg", "P_avgjg",
	"Rprec_mult_avgjg", "yaap"}

// TrecEvalName is trec_eval's name of a family (TrecName, or Name).
func (f *Family) TrecEvalName() string {
	if f.TrecName != "" {
		return f.TrecName
	}
	return f.Name
}

func trecIndex(f *Family) int {
	if !f.Trec {
		return len(TrecTable)
	}
	if i := slices.Index(TrecTable, f.TrecEvalName()); i >= 0 {
		return i
	}
	return len(TrecTable)
}

// Topic is everything a measure may look at for one topic.
type Topic struct {
	ID string
	// Qrels holds the topic's judgments; never nil (empty when the topic
	// has none).
	Qrels *eval.TopicQrels
	// Ranked is the run's list in run order — evaluation order, or file
	// order with Options.Order = OrderFile — without unjudged documents
	// when Options.Condensed (empty when the run lacks the topic).
	// Submitted is the same before condensing (judged@k). trec_eval's
	// measures read neither: TrecRanked is always trec_eval's list.
	Ranked    []eval.Entry
	Submitted []eval.Entry
	Opts      *Options

	// Under a constraint (Config.Feasible), Ranked and Qrels hold the
	// feasible models only; Unfiltered and UnfilteredQrels the whole run
	// and judgments. Without one, Feasible is nil.
	Feasible        func(doc string) bool
	Unfiltered      []eval.Entry
	UnfilteredQrels *eval.TopicQrels

	given          []eval.Entry // the list as given, in evaluation order
	trecRels       []int64      // trec_eval's relevance list, see TrecRels
	trecRanked     []eval.Entry
	trecDone       bool
	trecRankedDone bool
	trec           *trecCounts // see TrecCounts

	rangeDone bool // lo, hi cache the judged value range (minmax gain)
	lo, hi    float64

	corrPairs [2]correlationPairs // see Topic.correlationPairs
}

// correlationPairs are the judged values and run scores a topic's
// correlation measures read.
type correlationPairs struct {
	truth, score []float64
	done         bool
}

// Value returns the judged value of doc and whether it is judged.
func (t *Topic) Value(doc string) (float64, bool) {
	v, ok := t.Qrels.Value[doc]
	return v, ok
}
