package measure

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/ntcir-pmr/mreval/eval"
)

// Gain selects how judged values become gains for nDCG.
type Gain int

const (
	// GainLinear: g(v) = v when v > 0, else 0 (accuracies; graded levels).
	GainLinear Gain = iota
	// GainMinMax: g(v) = (v − min)/(max − min) over the topic's judged
	// values (0 when they are all equal); makes negative-MSE or any
	// shifted scale usable.
	GainMinMax
	// GainExp2: g(v) = 2^v − 1 for v > 0, else 0 (graded levels, Burges et al. 2005).
	GainExp2
)

// ParseGain parses a --gain value.
func ParseGain(s string) (Gain, bool) {
	switch s {
	case "linear", "":
		return GainLinear, true
	case "minmax":
		return GainMinMax, true
	case "exp2":
		return GainExp2, true
	}
	return 0, false
}

func (g Gain) String() string {
	return [...]string{"linear", "minmax", "exp2"}[g]
}

// Options are the evaluation settings shared by all measures of one run.
type Options struct {
	Gain Gain
	// RelevanceLevel is trec_eval's -l: the smallest judged level that
	// counts as relevant for binary measures (default 1).
	RelevanceLevel int64
	// MaxLevel is the top level of the grading scale for nERR and RBP
	// (the PMR scale 0–3: 3); 0 takes the highest level judged in the
	// qrels given to Evaluate.
	MaxLevel float64
	// Epsilon is near@k's tolerance in qrels units; EpsilonByTopic, when
	// it has the topic, overrides it (ε = the topic's noise σ_t).
	Epsilon        float64
	EpsilonByTopic map[string]float64
	// Condensed removes unjudged documents from the ranked list of every
	// measure but trec_eval's (NTCIREVAL's condensed lists; judged@k reads
	// the list before condensing).
	Condensed bool
	// Order is the run order of every measure but trec_eval's.
	Order RunOrder

	// trec_eval's list options, applied to trec_eval's list (TrecRanked)
	// in trec_eval's order: first the depth cut, then the judged filter.
	// With LimitRetrieved, only the first MaxRetrieved documents of each
	// topic are used (-M; -M 0 keeps none).
	LimitRetrieved bool
	MaxRetrieved   int
	// JudgedOnly drops the documents without a judgment ≥ 0 (-J).
	JudgedOnly bool
	// NumDocsInColl is the collection size of trec_eval's -N (utility's
	// fourth coefficient counts the documents neither retrieved nor
	// relevant); 0, as in trec_eval, when not given.
	NumDocsInColl int64
}

// RunOrder is the order in which a run's list is read.
type RunOrder int

const (
	// OrderScore: score descending, ties by docno descending
	// (eval.CompareEntries, trec_eval's rule with float64 scores).
	OrderScore RunOrder = iota
	// OrderFile: the order of the lines in the run file, as NTCIREVAL
	// reads a ranked list.
	OrderFile
)

// ParseOrder parses an --order value.
func ParseOrder(s string) (RunOrder, bool) {
	switch s {
	case "score", "":
		return OrderScore, true
	case "file":
		return OrderFile, true
	}
	return 0, false
}

// DefaultOptions are trec_eval's and the task's defaults.
func DefaultOptions() *Options { return &Options{Gain: GainLinear, RelevanceLevel: 1} }

// CheckOptions refuses a list option a measure cannot follow: trec_eval's
// measures are defined on trec_eval's list (score order, nothing removed),
// so OrderFile and Condensed do not apply to them, and combining them is
// an error rather than a silent no-op. num_q and num_rel never read the
// list and are accepted.
func CheckOptions(ms []*Measure, opts *Options) error {
	var option string
	switch {
	case opts == nil:
		return nil
	case opts.Condensed:
		option = "--condensed"
	case opts.Order == OrderFile:
		option = "--order file"
	default:
		return nil
	}
	for _, m := range ms {
		if f := m.Family; f.Trec && f.Name != "num_q" && f.Name != "num_rel" {
			return fmt.Errorf("%s does not apply to %s, which follows trec_eval (score order, unjudged documents kept); use NTCIREVAL's measures (ap, rr, prec@k, msndcg@k, q, nerr@k, …) or drop %s", option, strings.Join(m.Names, ", "), option)
		}
	}
	return nil
}

// NewTopic prepares a topic for scoring. q may be nil (no judgments) and
// ranked may be nil (topic absent from the run).
func NewTopic(id string, q *eval.TopicQrels, ranked []eval.Entry, opts *Options) *Topic {
	if q == nil {
		q = &eval.TopicQrels{Topic: id, Value: map[string]float64{}}
	}
	if opts == nil {
		opts = DefaultOptions()
	}
	t := &Topic{ID: id, Qrels: q, given: ranked, Opts: opts}
	t.arrange()
	return t
}

// arrange derives Submitted and Ranked from the list as given: put into
// file order with OrderFile (stable, so entries built in memory, all
// line 0, keep their order), then without unjudged documents when
// condensed.
func (t *Topic) arrange() {
	t.Submitted = t.given
	byLine := func(a, b eval.Entry) int { return cmp.Compare(a.Line, b.Line) }
	if t.Opts.Order == OrderFile && !slices.IsSortedFunc(t.given, byLine) {
		t.Submitted = slices.Clone(t.given)
		slices.SortStableFunc(t.Submitted, byLine)
	}
	t.Ranked = t.Submitted
	if t.Opts.Condensed {
		t.Ranked = make([]eval.Entry, 0, len(t.Submitted))
		for _, e := range t.Submitted {
			if _, judged := t.Qrels.Value[e.Doc]; judged {
				t.Ranked = append(t.Ranked, e)
			}
		}
	}
}

// TrecLevel is trec_eval's reading of a judged value: atol() of the text,
// i.e. the value truncated toward zero. Negative levels mean "in the pool
// but unjudged" to trec_eval.
func TrecLevel(v float64) int64 { return int64(math.Trunc(v)) }

// Relevance markers of TrecRels for documents trec_eval sees as unjudged.
const (
	relNonPool   = -1 // retrieved, not in the qrels
	relUnjudged  = -2 // in the qrels with a negative level
	notRetrieved = 0
)

// TrecRels returns the relevance level of each retrieved document in
// trec_eval's order, which differs from mreval's evaluation order in one
// respect: trec_eval keeps scores as 32-bit floats, so scores that differ
// only beyond float32 precision tie, and the tie is broken by docno.
func (t *Topic) TrecRels() []int64 {
	if t.trecDone {
		return t.trecRels
	}
	t.trecDone = true
	ranked := t.TrecRanked()
	rels := make([]int64, len(ranked))
	for i, e := range ranked {
		v, ok := t.Qrels.Value[e.Doc]
		switch {
		case !ok:
			rels[i] = relNonPool
		case TrecLevel(v) < 0:
			rels[i] = relUnjudged
		default:
			rels[i] = TrecLevel(v)
		}
	}
	t.trecRels = rels
	return rels
}

// TrecRanked returns the ranked list in trec_eval's order (see TrecRels),
// whatever Options.Order and Options.Condensed say, cut and filtered by
// trec_eval's -M and -J (Options.MaxRetrieved, Options.JudgedOnly).
func (t *Topic) TrecRanked() []eval.Entry {
	if t.trecRankedDone {
		return t.trecRanked
	}
	t.trecRankedDone = true
	ranked := t.given
	if needsFloat32Order(t.given) {
		ranked = slices.Clone(t.given)
		slices.SortFunc(ranked, func(a, b eval.Entry) int {
			return eval.CompareEntries(
				eval.Entry{Doc: a.Doc, Score: float64(float32(a.Score))},
				eval.Entry{Doc: b.Doc, Score: float64(float32(b.Score))})
		})
	}
	if t.Opts.LimitRetrieved && len(ranked) > max(t.Opts.MaxRetrieved, 0) {
		ranked = ranked[:max(t.Opts.MaxRetrieved, 0)]
	}
	if t.Opts.JudgedOnly {
		judged := make([]eval.Entry, 0, len(ranked))
		for _, e := range ranked {
			if v, ok := t.Qrels.Value[e.Doc]; ok && TrecLevel(v) >= 0 {
				judged = append(judged, e)
			}
		}
		ranked = judged
	}
	t.trecRanked = ranked
	return ranked
}

func needsFloat32Order(r []eval.Entry) bool {
	for i := 1; i < len(r); i++ {
		if r[i-1].Score != r[i].Score && float32(r[i-1].Score) == float32(r[i].Score) {
			return true
		}
	}
	return false
}

// NumRel is the number of judged documents with level ≥ the relevance
// level; negative levels (in the pool, unjudged) never count, even with
// -l 0 or below, as in trec_eval.
func (t *Topic) NumRel() int {
	n := 0
	for _, v := range t.Qrels.Value {
		if l := TrecLevel(v); l >= 0 && l >= t.Opts.RelevanceLevel {
			n++
		}
	}
	return n
}

// gains returns the gain of each judged document under the topic's gain
// mode, keyed like Qrels.Value.
func (t *Topic) gain(v float64) float64 {
	switch t.Opts.Gain {
	case GainMinMax:
		lo, hi := t.valueRange()
		if hi == lo {
			return 0
		}
		return (v - lo) / (hi - lo)
	case GainExp2:
		if v <= 0 {
			return 0
		}
		return math.Exp2(v) - 1
	default:
		if v <= 0 {
			return 0
		}
		return v
	}
}

func (t *Topic) valueRange() (lo, hi float64) {
	if t.rangeDone {
		return t.lo, t.hi
	}
	defer func() { t.rangeDone, t.lo, t.hi = true, lo, hi }()
	first := true
	for _, v := range t.Qrels.Value {
		if first || v < lo {
			lo = v
		}
		if first || v > hi {
			hi = v
		}
		first = false
	}
	return lo, hi
}

// restrict limits the topic to feasible documents, keeping the unfiltered
// run (in run order, condensed like Ranked) and judgments for the
// constraint-aware measures.
func (t *Topic) restrict(feasible func(string) bool) {
	t.Feasible = feasible
	t.Unfiltered, t.UnfilteredQrels = t.Ranked, t.Qrels
	kept := &eval.TopicQrels{Topic: t.Qrels.Topic, Value: map[string]float64{}}
	for i, d := range t.Qrels.Docs {
		if feasible(d) {
			kept.Docs = append(kept.Docs, d)
			kept.Lines = append(kept.Lines, t.Qrels.Lines[i])
			kept.Value[d] = t.Qrels.Value[d]
		}
	}
	t.Qrels = kept
	var given []eval.Entry
	for _, e := range t.given {
		if feasible(e.Doc) {
			given = append(given, e)
		}
	}
	t.given = given
	t.arrange()
}
