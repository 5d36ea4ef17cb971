package leaderboard

import (
	"fmt"
	"math"
	"strings"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/measure"
	"github.com/ntcir-pmr/mreval/internal/safetext"
)

// Score evaluates every run on every topic of q, as Compute needs: a topic
// a run does not rank is scored on an empty ranking (trec_eval -c), so
// that all runs are averaged over the same topics and a run cannot gain by
// leaving out hard topics. q and the runs should already be restricted to
// the evaluation topics (trecfmt.RestrictTopics).
//
// Every value is defined or undefined for all runs alike. A measure can be
// undefined for a run's ranking of a topic where another ranking has a
// value: a correlation of an empty ranking or of constant scores, judged@k
// of an empty ranking. There the run gets the value of an empty ranking, or
// 0 (no information) when that is undefined too, so leaving a topic out
// can never raise a run's mean. A topic where even the ideal ranking (the
// judged documents scored by their values) has no value — a correlation
// over one judged document or constant judgments, an NTCIR measure without
// relevant documents — is undefined for every run. Means, ranks and the
// Tukey HSD letters therefore use one topic set. Per-topic `eval` output
// keeps null for what is mathematically undefined; only the leaderboard
// fills in (PerTopic is changed in place; All and Undefined keep
// Evaluate's values).
//
// The warnings say which runs miss topics and repeat the evaluation's own
// warnings once each. progress, if not nil, is called after each run with
// the number of runs scored and the total.
func Score(q *eval.Qrels, runs []*eval.Run, cfg measure.Config, progress func(done, total int)) ([]*measure.Result, []string) {
	cfg.Complete = true
	results := make([]*measure.Result, len(runs))
	var warnings []string
	seen := map[string]bool{}
	warn := func(w string) {
		if !seen[w] {
			seen[w] = true
			warnings = append(warnings, w)
		}
	}
	if progress != nil {
		progress(0, len(runs))
	}
	ideal := measure.Evaluate(q, idealRun(q), cfg)
	empty := measure.Evaluate(q, &eval.Run{Tag: "empty", ByID: map[string]*eval.Ranking{}}, cfg)
	for i, run := range runs {
		res := measure.Evaluate(q, run, cfg)
		results[i] = res
		if filled := fillUninformative(res, ideal, empty); len(filled) > 0 {
			warn(fmt.Sprintf("%s: run %s: %s", safetext.Name(run.File), safetext.Name(run.Tag), strings.Join(filled, "; ")))
		}
		var missing []string
		for t, in := range res.InRun {
			if !in {
				missing = append(missing, res.Topics[t])
			}
		}
		// An empty run gets its own warning from Evaluate.
		if len(missing) > 0 && len(run.Topics) > 0 {
			warn(fmt.Sprintf("%s: run %s ranks %d of the %d evaluation topics; the missing %s scored on an empty ranking: %s",
				safetext.Name(run.File), safetext.Name(run.Tag), len(res.Topics)-len(missing), len(res.Topics), plural(len(missing), "topic is", "topics are"), safetext.List(missing, len(missing)))) // every topic: the list is the point
		}
		for _, w := range res.Warnings {
			warn(w)
		}
		if progress != nil {
			progress(i+1, len(runs))
		}
	}
	return results, warnings
}

// idealRun ranks every judged document of q by its judged value (its score).
func idealRun(q *eval.Qrels) *eval.Run {
	run := &eval.Run{Tag: "ideal", Topics: q.Topics, ByID: make(map[string]*eval.Ranking, len(q.Topics))}
	for _, topic := range q.Topics {
		tq := q.ByID[topic]
		r := &eval.Ranking{Topic: topic, Entries: make([]eval.Entry, 0, len(tq.Docs))}
		for _, d := range tq.Docs {
			r.Entries = append(r.Entries, eval.Entry{Doc: d, Score: tq.Value[d]})
		}
		eval.SortEntries(r.Entries)
		run.ByID[topic] = r
	}
	return run
}

// fillUninformative makes res defined exactly where ideal is (see Score):
// an undefined value the ideal ranking has becomes the empty ranking's
// value, or 0; a value the ideal ranking lacks becomes undefined. It
// returns, per measure, the ranked topics it filled in (the run's missing
// topics are reported apart).
func fillUninformative(res, ideal, empty *measure.Result) []string {
	var filled []string
	for c, col := range res.Columns {
		var topics []string
		for i := range res.Topics {
			v, defined := res.PerTopic[i][c], !math.IsNaN(ideal.PerTopic[i][c])
			switch {
			case defined && math.IsNaN(v):
				res.PerTopic[i][c] = empty.PerTopic[i][c]
				if math.IsNaN(res.PerTopic[i][c]) {
					res.PerTopic[i][c] = 0
				}
				if res.InRun[i] {
					topics = append(topics, res.Topics[i])
				}
			case !defined && !math.IsNaN(v):
				res.PerTopic[i][c] = math.NaN()
			}
		}
		if len(topics) > 0 {
			filled = append(filled, fmt.Sprintf("%s is undefined for its ranking of %s (constant scores?) and scores as an empty ranking there (no information: 0 for a correlation): %s",
				col.Name, plural(len(topics), "1 topic", "topics"), strings.Join(topics, ", ")))
		}
	}
	return filled
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Scatter pairs one run's scores with the true values (qrels) of the
// documents it ranks, topic by topic: how well the run's scores track the
// ground truth.
type Scatter struct {
	Run    string // run tag
	Topics []ScatterTopic
}

// ScatterTopic is the scatter of one topic.
type ScatterTopic struct {
	Topic string
	// Points are the judged documents the run ranks, in evaluation order
	// (score descending).
	Points []Point
	// Unjudged counts documents the run ranks that have no true value;
	// Unranked counts judged documents the run does not rank. Neither can
	// be plotted.
	Unjudged, Unranked int
}

// Point is one document: the run's score and its true value.
type Point struct {
	Doc          string
	Score, Truth float64
}

// NewScatter builds the scatter of run on the given topics of q.
func NewScatter(q *eval.Qrels, run *eval.Run, topics []string) *Scatter {
	s := &Scatter{Run: run.Tag}
	for _, topic := range topics {
		st := ScatterTopic{Topic: topic}
		tq := q.Topic(topic)
		ranked := map[string]bool{}
		if r := run.Ranking(topic); r != nil {
			for _, e := range r.Entries {
				ranked[e.Doc] = true
				v, ok := 0.0, false
				if tq != nil {
					v, ok = tq.Value[e.Doc]
				}
				if !ok {
					st.Unjudged++
					continue
				}
				st.Points = append(st.Points, Point{Doc: e.Doc, Score: e.Score, Truth: v})
			}
		}
		if tq != nil {
			for _, d := range tq.Docs {
				if !ranked[d] {
					st.Unranked++
				}
			}
		}
		s.Topics = append(s.Topics, st)
	}
	return s
}
