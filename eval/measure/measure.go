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
)

// ParamKind says what parameters a family takes.
type ParamKind int

const (
	NoParams ParamKind = iota
	// Cutoffs are positive integers without duplicates (P.5,10).
	Cutoffs
	// Real is one real-valued parameter (rbp's persistence, Q's beta).
	Real
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
		return newMeasure(f, s, f.Defaults, "bare")
	}
	if i := strings.IndexByte(s, '@'); i > 0 {
		if f, ok := Lookup(s[:i]); ok && f.Params == Real {
			return nil, fmt.Errorf("measure %q: write %s_<value>, e.g. %s_0.95", spec, f.Name, f.Name)
		}
		f, ok := Lookup(s[:i])
		if !ok {
			return nil, unknown(s[:i])
		}
		params, err := parseParams(f, s[i+1:])
		if err != nil {
			return nil, fmt.Errorf("measure %q: %v", spec, err)
		}
		return newMeasure(f, s[:i], params, "ir")
	}
	if i := strings.IndexByte(s, '.'); i > 0 {
		if f, ok := Lookup(s[:i]); ok {
			params, err := parseParams(f, s[i+1:])
			if err != nil {
				return nil, fmt.Errorf("measure %q: %v", spec, err)
			}
			return newMeasure(f, s[:i], params, "trec")
		}
	}
	if i := strings.LastIndexByte(s, '_'); i > 0 {
		// rbp_0.95, P_10: the underscore form trec_eval prints.
		if f, ok := Lookup(s[:i]); ok && f.Params != NoParams {
			params, err := parseParams(f, s[i+1:])
			if err != nil {
				return nil, fmt.Errorf("measure %q: %v", spec, err)
			}
			return newMeasure(f, s[:i], params, "trec")
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
		if slices.Contains(params, v) {
			return nil, fmt.Errorf("parameter %s given twice", p)
		}
		params = append(params, v)
	}
	if f.Params == Cutoffs {
		// trec_eval requires and prints cutoffs in increasing order.
		slices.Sort(params)
	}
	return params, nil
}

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
// keep trec_eval's spelling (P_5 whatever was typed); the others echo the
// name as the user typed it (nDCG@10, rr), as ir_measures does. style is
// "bare" (no parameters written), "trec" (name.p1,p2 or name_p) or "ir"
// (name@k).
func newMeasure(f *Family, typed string, params []float64, style string) (*Measure, error) {
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
	case style == "bare" && f.Params == Real:
		m.Names = []string{name}
		return m, nil
	case len(params) == 0:
		return nil, fmt.Errorf("measure %q needs a parameter, e.g. %s@10", typed, f.Name)
	}
	for _, p := range params {
		ps := strconv.FormatFloat(p, 'f', -1, 64)
		if style == "ir" || (!f.Trec && f.Params == Cutoffs) {
			m.Names = append(m.Names, name+"@"+ps)
		} else {
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

// trecTable is the order of trec_eval 9.0.8's measure table (measures.c),
// restricted to the families mreval implements.
var trecTable = []string{"runid", "num_q", "num_ret", "num_rel", "num_rel_ret", "map", "Rprec",
	"recip_rank", "P", "recall", "ndcg", "ndcg_cut"}

func trecIndex(f *Family) int {
	if !f.Trec {
		return len(trecTable)
	}
	if i := slices.Index(trecTable, f.Name); i >= 0 {
		return i
	}
	return len(trecTable)
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

	given      []eval.Entry // the list as given, in evaluation order
	trecRels   []int64      // trec_eval's relevance list, see TrecRels
	trecRanked []eval.Entry
	trecDone   bool

	rangeDone bool // lo, hi cache the judged value range (minmax gain)
	lo, hi    float64
}

// Value returns the judged value of doc and whether it is judged.
func (t *Topic) Value(doc string) (float64, bool) {
	v, ok := t.Qrels.Value[doc]
	return v, ok
}
