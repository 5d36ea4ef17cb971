package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/collection"
	"github.com/ntcir-pmr/mreval/eval/inputs"
	"github.com/ntcir-pmr/mreval/eval/measure"
	"github.com/ntcir-pmr/mreval/eval/report"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
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
			&cli.BoolFlag{Name: "c", Usage: "average over every qrels topic, scoring a topic the run lacks on an empty ranking (implied by --split and --topics)"},
			&cli.StringSliceFlag{Name: "m", Usage: "measure, e.g. ndcg@10, tauw, regret@1, P.5,10 (repeatable)"},
			&cli.StringFlag{Name: "format", Value: "trec", Usage: "trec|table|csv|json"},
			&cli.StringFlag{Name: "gain", Value: "linear", Usage: "nDCG gain: linear|minmax|exp2"},
			&cli.IntFlag{Name: "l", Value: 1, Usage: "relevance level: smallest judged level counted relevant by binary measures"},
			&cli.StringFlag{Name: "topics", Usage: "score only the topics listed in this file (one per line, or a Subtask B topics table)"},
			&cli.StringFlag{Name: "collection", Usage: "take the qrels of a shipped collection (" + strings.Join(collection.Names(), ", ") + "); all arguments are runs"},
			&cli.StringFlag{Name: "split", Usage: "with --collection: score only its train or test topics"},
			&cli.StringFlag{Name: "epsilon", Value: "0", Usage: "near@k tolerance: points, or 'noise' for each topic's fine-tuning σ (needs --collection recycling)"},
			&cli.StringFlag{Name: "task", Value: "A", Usage: "subtask whose official measures are the default: A or B"},
			outputFlag("write the scores to this file (\"-\" = standard output, the default)"), oldOutputFlag(),
		}, append(append(constraintFlags(), expectFlags()...), listFlags()...)...)),
		Action: evalAction,
	})
}

func evalAction(c *cli.Context) error {
	lim, err := limitsFromFlags(c)
	if err != nil {
		return err
	}
	spec, runPaths, err := evalSpec(c, lim)
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
	in, err := inputs.Load(spec)
	if err != nil {
		return inputError(err)
	}
	if coll := in.Collection; coll != nil && coll.Note != "" {
		fmt.Fprintf(c.App.ErrWriter, "mreval: note: collection %s is %s\n", coll.Name, coll.Note)
	}
	opts := measure.DefaultOptions()
	opts.Gain = gain
	opts.RelevanceLevel = int64(c.Int("l"))
	if err := setListOptions(c, opts, measures, in.GradingScale, in.Qrels.File, c.String("collection")); err != nil {
		return err
	}
	if err := setEpsilon(c, opts, in.Qrels); err != nil {
		return err
	}
	cons, err := inputs.Constraint(c.String("constraint"), c.String("models"), c.String("collection"), lim)
	if err != nil {
		return inputError(err)
	}
	var results []*measure.Result
	warned := map[string]bool{}
	for _, path := range runPaths {
		run, err := in.ReadRun(path)
		if err != nil {
			return err
		}
		cfg := measure.Config{Measures: measures, Options: opts, Complete: completeOverTopics(c.App.ErrWriter, in, run, c.Bool("c"))}
		if cons != nil {
			if cfg.Feasible, err = cons.FeasibleSet(in.Qrels, run); err != nil {
				return err
			}
		}
		res := measure.Evaluate(in.Qrels, run, cfg)
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
	out, err := outputName(c)
	if err != nil {
		return err
	}
	written, err := writeOutput(c, out, func(w io.Writer) error {
		return write(w, results, report.EvalOptions{PerTopic: c.Bool("q")})
	}, append(slices.Clone(runPaths), in.Qrels.File)...)
	if err == nil {
		wrote(c, written, "the scores")
	}
	return err
}

// evalSpec reads the arguments: QRELS RUN..., or RUN... with --collection.
func evalSpec(c *cli.Context, lim trecfmt.Limits) (inputs.Spec, []string, error) {
	spec := inputs.Spec{Collection: c.String("collection"), TopicsFile: c.String("topics"), Split: c.String("split"), Limits: lim}
	args := c.Args().Slice()
	if spec.Collection != "" {
		if len(args) == 0 {
			return spec, nil, usagef("eval --collection %s needs at least one RUN", spec.Collection)
		}
		return spec, args, nil
	}
	if spec.Split != "" {
		return spec, nil, usagef("--split needs --collection")
	}
	if len(args) < 2 {
		return spec, nil, usagef("eval needs QRELS and at least one RUN (or --collection NAME and RUNs)")
	}
	spec.QrelsFile = args[0]
	return spec, args[1:], nil
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
	byTopic, err := inputs.EpsilonByTopic(c.String("collection"), q)
	if err != nil {
		return inputError(err)
	}
	opts.EpsilonByTopic = byTopic
	return nil
}
