package main

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/collection"
	"github.com/ntcir-pmr/mreval/eval/constraint"
	"github.com/ntcir-pmr/mreval/eval/measure"
	"github.com/ntcir-pmr/mreval/eval/report"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/ntcir-pmr/mreval/eval/validate"
)

// officialMeasures are the task's default measures, per subtask (--task).
var officialMeasures = map[string][]string{
	"A": {"num_q", "ndcg@10", "tauw", "regret@1"},
	"B": {"num_q", "ndcg@10", "q", "nerr@10", "P@10", "judged@10"},
}

func init() {
	register(&cli.Command{
		Name:      "eval",
		Usage:     "score runs against qrels, like trec_eval",
		ArgsUsage: "QRELS RUN [RUN...]  |  --collection NAME RUN [RUN...]",
		Description: `Scores each RUN (TREC format; "-" = stdin; gzip read transparently) against
QRELS. trec_eval's measures (num_q num_ret num_rel num_rel_ret map P recall
recip_rank Rprec ndcg ndcg_cut) print byte-identically to trec_eval 9.0.8.
Without -m: ` + strings.Join(officialMeasures["A"], " ") + ` (--task A), or
` + strings.Join(officialMeasures["B"], " ") + ` (--task B). 'mreval measures' lists all measures.`,
		Flags: withLimitFlags(append([]cli.Flag{
			&cli.BoolFlag{Name: "q", Usage: "print per-topic values too"},
			&cli.BoolFlag{Name: "c", Usage: "average over every qrels topic (a topic the run lacks scores 0)"},
			&cli.StringSliceFlag{Name: "m", Usage: "measure, e.g. ndcg@10, tauw, regret@1, P.5,10 (repeatable)"},
			&cli.StringFlag{Name: "format", Value: "trec", Usage: "trec|table|csv|json"},
			&cli.StringFlag{Name: "gain", Value: "linear", Usage: "nDCG gain: linear|minmax|exp2"},
			&cli.IntFlag{Name: "l", Value: 1, Usage: "relevance level: smallest judged level counted relevant by binary measures"},
			&cli.StringFlag{Name: "topics", Usage: "score only the topics listed in this file (one per line, or a Subtask B topics table)"},
			&cli.StringFlag{Name: "collection", Usage: "take the qrels of a shipped collection (" + strings.Join(collection.Names(), ", ") + "); all arguments are runs"},
			&cli.StringFlag{Name: "split", Usage: "with --collection: score only its train or test topics"},
			&cli.StringFlag{Name: "epsilon", Value: "0", Usage: "near@k tolerance: points, or 'noise' for each topic's fine-tuning σ (needs --collection recycling)"},
			&cli.StringFlag{Name: "task", Value: "A", Usage: "subtask whose official measures are the default: A or B"},
		}, append(append(constraintFlags(), expectFlags()...), listFlags()...)...)),
		Action: evalAction,
	})
}

func evalAction(c *cli.Context) error {
	lim, err := limitsFromFlags(c)
	if err != nil {
		return err
	}
	qrels, runPaths, err := evalInputs(c, lim)
	if err != nil {
		return err
	}
	write, err := evalWriter(c.String("format"))
	if err != nil {
		return err
	}
	specs := c.StringSlice("m")
	exp, err := readExpect(c, &specs)
	if err != nil {
		return err
	}
	defaults, ok := officialMeasures[strings.ToUpper(c.String("task"))]
	if !ok {
		return usagef("--task must be A or B, not %q", c.String("task"))
	}
	if len(specs) == 0 {
		specs = defaults
	}
	measures, err := measure.ParseAll(specs)
	if err != nil {
		return usageError{err}
	}
	if name := measure.TextMeasure(measures); name != "" && c.String("format") != "trec" {
		return usagef("%s is text, not a number: only --format trec prints it", name)
	}
	gain, ok := measure.ParseGain(c.String("gain"))
	if !ok {
		return usagef("--gain must be linear, minmax or exp2, not %q", c.String("gain"))
	}
	opts := measure.DefaultOptions()
	opts.Gain = gain
	opts.RelevanceLevel = int64(c.Int("l"))
	if err := setListOptions(c, opts, measures, measure.GradingScale(qrels), qrels.File, c.String("collection")); err != nil {
		return err
	}
	topics, err := evalTopics(c, qrels, lim)
	if err != nil {
		return err
	}
	if err := setEpsilon(c, opts, qrels); err != nil {
		return err
	}
	cons, err := loadConstraint(c, c.String("collection"), lim)
	if err != nil {
		return err
	}
	var results []*measure.Result
	warned := map[string]bool{}
	for _, path := range runPaths {
		run, err := trecfmt.ReadRunFile(path, lim)
		if err != nil {
			return err
		}
		if topics != nil {
			trecfmt.RestrictTopics(topics, nil, run)
		}
		cfg := measure.Config{Measures: measures, Options: opts, Complete: c.Bool("c")}
		if cons != nil {
			if cfg.Feasible, err = feasibleSet(cons, qrels, run); err != nil {
				return err
			}
		}
		res := measure.Evaluate(qrels, run, cfg)
		for _, w := range res.Warnings {
			// Warnings about the qrels repeat for every run; say them once.
			if !warned[w] {
				warned[w] = true
				fmt.Fprintf(c.App.ErrWriter, "mreval: warning: %s\n", w)
			}
		}
		results = append(results, res)
	}
	if exp != nil {
		return exp.check(c, results)
	}
	return write(c.App.Writer, results, report.EvalOptions{PerTopic: c.Bool("q")})
}

// evalInputs resolves the qrels (a file, or a shipped collection) and the
// run paths.
func evalInputs(c *cli.Context, lim trecfmt.Limits) (*eval.Qrels, []string, error) {
	args := c.Args().Slice()
	if name := c.String("collection"); name != "" {
		if len(args) == 0 {
			return nil, nil, usagef("eval --collection %s needs at least one RUN", name)
		}
		coll, err := collection.Lookup(name)
		if err != nil {
			return nil, nil, usageError{err}
		}
		if coll.Note != "" {
			fmt.Fprintf(c.App.ErrWriter, "mreval: note: collection %s is %s\n", name, coll.Note)
		}
		q, err := coll.Qrels()
		return q, args, err
	}
	if c.String("split") != "" {
		return nil, nil, usagef("--split needs --collection")
	}
	if len(args) < 2 {
		return nil, nil, usagef("eval needs QRELS and at least one RUN (or --collection NAME and RUNs)")
	}
	q, err := trecfmt.ReadQrelsFile(args[0], lim)
	return q, args[1:], err
}

// evalTopics restricts qrels to --topics or --split and returns the topic
// list to apply to runs (nil = no restriction).
func evalTopics(c *cli.Context, qrels *eval.Qrels, lim trecfmt.Limits) ([]string, error) {
	var topics []string
	var from string
	switch {
	case c.String("topics") != "":
		from = c.String("topics")
		var err error
		// A plain list, or a Subtask B topics table (its topic_id column).
		if topics, err = validate.ReadRuleList(from, lim); err != nil {
			return nil, err
		}
		if len(topics) == 0 {
			// Not "no restriction": an empty list would score nothing.
			return nil, fmt.Errorf("%s: no topics listed (the file is empty)", from)
		}
	case c.String("split") != "":
		coll, err := collection.Lookup(c.String("collection"))
		if err != nil {
			return nil, usageError{err}
		}
		switch c.String("split") {
		case "train":
			topics, err = coll.TrainTopics()
		case "test":
			topics, err = coll.TestTopics()
		default:
			return nil, usagef("--split must be train or test, not %q", c.String("split"))
		}
		if err != nil {
			return nil, err
		}
		from = c.String("collection") + " " + c.String("split") + " split"
	default:
		return nil, nil
	}
	if missing := trecfmt.RestrictTopics(topics, qrels); len(missing) > 0 {
		return nil, fmt.Errorf("%s: %d listed topics have no judgments in %s: %s", from, len(missing), qrels.File, strings.Join(missing, ", "))
	}
	return topics, nil
}

func evalWriter(format string) (func(io.Writer, []*measure.Result, report.EvalOptions) error, error) {
	switch format {
	case "trec":
		return report.WriteTrec, nil
	case "json":
		return report.WriteJSON, nil
	case "csv":
		return report.WriteCSV, nil
	case "table":
		return report.WriteTable, nil
	}
	return nil, usagef("--format must be trec, table, csv or json, not %q", format)
}

// constraintFlags are shared by eval and leaderboard.
func constraintFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "models", Usage: "models table (TSV with header, first column = model id) for --constraint; default: the collection's"},
		&cli.StringFlag{Name: "constraint", Usage: "score only models that fit, e.g. params<=130e6,layers<=6 (base_model!=t5-base; ',' = and)"},
	}
}

// loadConstraint parses --constraint against --models or the models table
// of the named collection; nil when no constraint is given.
func loadConstraint(c *cli.Context, collName string, lim trecfmt.Limits) (*constraint.Constraint, error) {
	expr := c.String("constraint")
	if expr == "" {
		if c.String("models") != "" {
			return nil, usagef("--models is only used with --constraint")
		}
		return nil, nil
	}
	var table *constraint.Table
	var err error
	switch {
	case c.String("models") != "":
		table, err = constraint.ReadTableFile(c.String("models"), lim)
	case collName != "":
		var coll *collection.Collection
		if coll, err = collection.Lookup(collName); err != nil {
			return nil, usageError{err}
		}
		if coll.ModelsFile == "" {
			return nil, usagef("collection %s has no models table; give --models FILE", coll.Name)
		}
		var data []byte
		if data, err = coll.ReadFile(coll.ModelsFile); err == nil {
			table, err = constraint.ParseTable(coll.ModelsFile, data)
		}
	default:
		return nil, usagef("--constraint needs --models FILE (or --collection NAME with a models table)")
	}
	if err != nil {
		return nil, err
	}
	cons, err := constraint.Parse(expr, table)
	if err != nil {
		return nil, usageError{err}
	}
	return cons, nil
}

// feasibleSet resolves the constraint for every judged and retrieved model
// up front, so that a model missing from the table is an error, not a
// silent guess.
func feasibleSet(cons *constraint.Constraint, q *eval.Qrels, runs ...*eval.Run) (func(string) bool, error) {
	fits := map[string]bool{}
	check := func(doc, where string) error {
		if _, done := fits[doc]; done {
			return nil
		}
		ok, err := cons.Feasible(doc)
		if err != nil {
			return fmt.Errorf("%s (%s)", err, where)
		}
		fits[doc] = ok
		return nil
	}
	for _, topic := range q.Topics {
		t := q.ByID[topic]
		for i, d := range t.Docs {
			if err := check(d, fmt.Sprintf("judged at %s:%d", q.File, t.Lines[i])); err != nil {
				return nil, err
			}
		}
	}
	for _, run := range runs {
		for _, topic := range run.Topics {
			for _, e := range run.ByID[topic].Entries {
				if err := check(e.Doc, fmt.Sprintf("ranked at %s:%d", run.File, e.Line)); err != nil {
					return nil, err
				}
			}
		}
	}
	return func(doc string) bool { return fits[doc] }, nil
}

// setEpsilon reads --epsilon: a number of points, or "noise" for each
// topic's fine-tuning σ from the collection's seed runs.
func setEpsilon(c *cli.Context, opts *measure.Options, q *eval.Qrels) error {
	text := c.String("epsilon")
	if text != "noise" {
		v, err := strconv.ParseFloat(text, 64)
		if err != nil || v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return usagef("--epsilon must be a non-negative number of points or 'noise', not %q", text)
		}
		opts.Epsilon = v
		return nil
	}
	sigmas, err := topicNoise(c.String("collection"))
	if err != nil {
		return err
	}
	opts.EpsilonByTopic = map[string]float64{}
	for _, topic := range q.Topics {
		s, ok := sigmas[topic]
		if !ok {
			return fmt.Errorf("--epsilon noise: no seed runs for topic %s", topic)
		}
		opts.EpsilonByTopic[topic] = s
	}
	return nil
}
