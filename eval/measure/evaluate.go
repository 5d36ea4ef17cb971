package measure

import (
	"fmt"
	"math"
	"strings"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/internal/workers"
)

// Column is one output value: a measure value name and its family.
type Column struct {
	Name   string
	Family *Family
	Param  float64
	// index of the measure and of the value within it.
	measure, value int
}

// Result holds the scores of one run.
type Result struct {
	Run     *eval.Run
	Columns []Column
	// Topics are the scored topics in byte order: the topics both judged and
	// in the run, or with Complete every judged topic.
	Topics []string
	// InRun tells, per topic, whether the run ranks it (trec_eval prints
	// per-topic lines only for those).
	InRun []bool
	// PerTopic[i][c] is the value of column c on Topics[i]; NaN = undefined.
	PerTopic [][]float64
	// PerTopicText[i][c] is the text value of a column whose family gives
	// text (Family.Text: relstring); nil when no column does.
	PerTopicText [][]string
	// All[c] is the aggregate of column c (see Family.Aggregation); NaN
	// when no topic defines it.
	All []float64
	// Undefined[c] counts the topics where column c is undefined.
	Undefined []int
	// Warnings are notes about the data that do not stop scoring.
	Warnings []string
}

// Config says what to score and how.
type Config struct {
	Measures []*Measure
	Options  *Options
	// Complete averages over every judged topic, scoring a topic absent
	// from the run on an empty ranking (trec_eval -c).
	Complete bool
	// Workers bounds the parallelism (0 = GOMAXPROCS). Results do not
	// depend on it.
	Workers int
	// Feasible, when set, restricts the evaluation to the models that
	// satisfy a constraint: qrels and run are filtered alike, and the
	// constraint-aware measures (feasible@k, cregret@k) see the unfiltered
	// run.
	Feasible func(doc string) bool
}

// Columns lists the output values of a list of measures in order.
func Columns(ms []*Measure) []Column {
	var cols []Column
	for i, m := range ms {
		for j, n := range m.Names {
			c := Column{Name: n, Family: m.Family, measure: i, value: j}
			if m.Params != nil {
				c.Param = m.Params[j]
			}
			cols = append(cols, c)
		}
	}
	return cols
}

// Evaluate scores run against q. Topics of the run that q does not judge
// are ignored, as in trec_eval.
func Evaluate(q *eval.Qrels, run *eval.Run, cfg Config) *Result {
	opts := cfg.Options
	if opts == nil {
		opts = DefaultOptions()
	}
	var scaleWarning string
	if hi := GradingScale(q); opts.MaxLevel <= 0 || hi > opts.MaxLevel {
		if opts.MaxLevel > 0 && UsesMaxLevel(cfg.Measures) {
			scaleWarning = fmt.Sprintf("%s: judged values reach %g, above the grading scale's top level %g; nERR and RBP use %g (set --max-level)", q.File, hi, opts.MaxLevel, hi)
		}
		o := *opts
		o.MaxLevel = hi
		opts = &o
	}
	res := &Result{Run: run, Columns: Columns(cfg.Measures)}
	// An empty run is scored on an empty ranking for every topic (trec_eval
	// refuses it), so it is averaged over all judged topics, not over none.
	complete := cfg.Complete || len(run.Topics) == 0
	for _, topic := range q.Topics {
		inRun := run.Ranking(topic) != nil
		if inRun || complete {
			res.Topics = append(res.Topics, topic)
			res.InRun = append(res.InRun, inRun)
		}
	}
	res.PerTopic = make([][]float64, len(res.Topics))
	// A measure cannot fail on valid input (the parser keeps parameters in
	// their domains); a panic would be a bug, and workers.Do raises it here,
	// where the command reports it, instead of in a worker goroutine.
	if hasText(cfg.Measures) {
		res.PerTopicText = make([][]string, len(res.Topics))
	}
	workers.Do(len(res.Topics), cfg.Workers, func(_, i int) {
		res.PerTopic[i] = scoreTopic(q, run, res.Topics[i], cfg, len(res.Columns), opts)
		if res.PerTopicText != nil {
			res.PerTopicText[i] = textTopic(q, run, res.Topics[i], cfg, opts)
		}
	})
	res.aggregate(q, complete)
	res.Warnings = warnings(q, res, cfg, opts)
	if scaleWarning != "" {
		res.Warnings = append(res.Warnings, scaleWarning)
	}
	return res
}

func scoreTopic(q *eval.Qrels, run *eval.Run, topic string, cfg Config, ncols int, opts *Options) []float64 {
	var ranked []eval.Entry
	if r := run.Ranking(topic); r != nil {
		ranked = r.Entries
	}
	t := NewTopic(topic, q.Topic(topic), ranked, opts)
	if cfg.Feasible != nil {
		t.restrict(cfg.Feasible)
	}
	vals := make([]float64, 0, ncols)
	for _, m := range cfg.Measures {
		out := make([]float64, len(m.Names))
		m.Family.Calc(t, m.Params, out)
		vals = append(vals, out...)
	}
	return vals
}

// aggregate computes the `all` values in topic order, as trec_eval sums
// them, so that the 4-decimal output matches it exactly.
func (r *Result) aggregate(q *eval.Qrels, complete bool) {
	nc := len(r.Columns)
	r.All = make([]float64, nc)
	r.Undefined = make([]int, nc)
	for c, col := range r.Columns {
		if col.Family.Trec {
			r.All[c] = r.trecAggregate(c, q, complete)
			for i := range r.Topics {
				if math.IsNaN(r.PerTopic[i][c]) {
					r.Undefined[c]++
				}
			}
			continue
		}
		sum, n := 0.0, 0
		for i := range r.Topics {
			v := r.PerTopic[i][c]
			if math.IsNaN(v) {
				r.Undefined[c]++
				continue
			}
			sum += v
			n++
		}
		switch col.Family.Aggregation {
		case Count:
			r.All[c] = float64(len(r.Topics))
		case Sum:
			r.All[c] = sum
		default:
			if n == 0 {
				r.All[c] = math.NaN()
			} else {
				r.All[c] = sum / float64(n)
			}
		}
	}
}

// trecAggregate is trec_eval's `all` value of column c: the sum over the
// topics the run ranks (trec_eval never evaluates the others; under -c they
// count as 0, or as log(MinGeoMean) for a geometric mean), divided by the
// number of topics for a mean. A NaN value is summed like any other, as
// trec_eval does.
func (r *Result) trecAggregate(c int, q *eval.Qrels, complete bool) float64 {
	f := r.Columns[c].Family
	if complete && f.AllComplete != nil {
		return f.AllComplete(q)
	}
	sum, missing := 0.0, 0
	for i := range r.Topics {
		if !r.InRun[i] {
			missing++
			continue
		}
		sum += r.PerTopic[i][c]
	}
	n := float64(len(r.Topics))
	switch f.Aggregation {
	case Count:
		return n
	case Sum:
		return sum
	case RunTag, NoAggregate:
		return math.NaN()
	case GeoMean:
		if n == 0 {
			return sum
		}
		sum += float64(missing) * math.Log(MinGeoMean)
		return math.Exp(sum / n)
	}
	if n == 0 {
		return sum
	}
	return sum / n
}

// TextMeasure names the first measure of ms whose values are text (runid,
// relstring), which only trec_eval's text format prints; "" when none is.
func TextMeasure(ms []*Measure) string {
	for _, m := range ms {
		if m.Family.Text != nil || m.Family.Aggregation == RunTag {
			return m.Names[0]
		}
	}
	return ""
}

// hasText tells whether a measure of ms gives text values.
func hasText(ms []*Measure) bool {
	for _, m := range ms {
		if m.Family.Text != nil {
			return true
		}
	}
	return false
}

// textTopic computes the text values of one topic: "" for columns whose
// family gives numbers.
func textTopic(q *eval.Qrels, run *eval.Run, topic string, cfg Config, opts *Options) []string {
	var ranked []eval.Entry
	if r := run.Ranking(topic); r != nil {
		ranked = r.Entries
	}
	t := NewTopic(topic, q.Topic(topic), ranked, opts)
	if cfg.Feasible != nil {
		t.restrict(cfg.Feasible)
	}
	var out []string
	for _, m := range cfg.Measures {
		for range m.Names {
			text := ""
			if m.Family.Text != nil {
				text = m.Family.Text(t, m.Params)
			}
			out = append(out, text)
		}
	}
	return out
}

// warnings reports data conditions that make a value less meaningful than
// it looks, so that nothing is silently guessed.
func warnings(q *eval.Qrels, r *Result, cfg Config, opts *Options) []string {
	var out []string
	ms := cfg.Measures
	if len(r.Run.Topics) == 0 {
		out = append(out, emptyRunWarning(r))
	}
	if note := allRelevantNote(q, ms, opts.RelevanceLevel); note != "" {
		out = append(out, note)
	}
	if note := integerGainNote(q, ms); note != "" {
		out = append(out, note)
	}
	if cfg.Feasible != nil {
		var none []string
		for _, topic := range r.Topics {
			fits := false
			if tq := q.Topic(topic); tq != nil {
				for _, d := range tq.Docs {
					if cfg.Feasible(d) {
						fits = true
						break
					}
				}
			}
			if !fits {
				none = append(none, topic)
			}
		}
		if len(none) > 0 {
			out = append(out, fmt.Sprintf("no judged model satisfies the constraint on %d topic(s) (%s): their measures are 0 or undefined", len(none), strings.Join(none, ", ")))
		}
	}
	if w := noRelevantWarning(q, r, cfg); w != "" {
		out = append(out, w)
	}
	usesNDCG := false
	for _, m := range ms {
		if m.Family.Name == "ndcg" || m.Family.Name == "ndcg_cut" {
			usesNDCG = true
		}
	}
	if usesNDCG && cfg.Feasible == nil {
		for _, topic := range r.Topics {
			t := NewTopic(topic, q.Topic(topic), nil, opts)
			positive := false
			for _, v := range t.Qrels.Value {
				if t.gain(v) > 0 {
					positive = true
					break
				}
			}
			if !positive {
				out = append(out, fmt.Sprintf("%s: topic %s has no judged value with positive gain; its nDCG is 0 (try --gain minmax)", q.File, topic))
			}
		}
	}
	return out
}

// Index is the position of the column's measure in the measure list.
func (c Column) Index() int { return c.measure }

// ValueIndex is the position of the column's value within its measure.
func (c Column) ValueIndex() int { return c.value }

// noRelevantWarning names, once per evaluation, the topics where the
// NTCIREVAL measures have no value because nothing relevant is judged
// (under a constraint: among the feasible models).
func noRelevantWarning(q *eval.Qrels, r *Result, cfg Config) string {
	var names []string
	for _, m := range cfg.Measures {
		if m.Family.NTCIR {
			names = append(names, m.Names...)
		}
	}
	if len(names) == 0 {
		return ""
	}
	var topics []string
	for _, topic := range r.Topics {
		relevant := false
		if tq := q.Topic(topic); tq != nil {
			for d, v := range tq.Value {
				if v > 0 && (cfg.Feasible == nil || cfg.Feasible(d)) {
					relevant = true
					break
				}
			}
		}
		if !relevant {
			topics = append(topics, topic)
		}
	}
	if len(topics) == 0 {
		return ""
	}
	return fmt.Sprintf("%s: %d topic(s) judge no document relevant (level > 0): %s; NTCIREVAL's measures (%s) are undefined there and left out of the mean",
		q.File, len(topics), strings.Join(topics, ", "), strings.Join(names, ", "))
}

// GradingScale is the largest judged value of the qrels (at least 1): the
// top of the grading scale when none is given.
func GradingScale(q *eval.Qrels) float64 {
	hi := 0.0
	for _, t := range q.ByID {
		for _, v := range t.Value {
			hi = max(hi, v)
		}
	}
	return max(hi, 1)
}

// UsesMaxLevel tells whether a measure of ms depends on the top of the
// grading scale (nERR, RBP).
func UsesMaxLevel(ms []*Measure) bool {
	for _, m := range ms {
		if m.Family.Name == "nerr" || m.Family.Name == "rbp" {
			return true
		}
	}
	return false
}
