package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/collection"
	"github.com/ntcir-pmr/mreval/eval/inputs"
	"github.com/ntcir-pmr/mreval/eval/leaderboard"
	"github.com/ntcir-pmr/mreval/eval/measure"
	"github.com/ntcir-pmr/mreval/eval/report"
	"github.com/ntcir-pmr/mreval/eval/stats"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/ntcir-pmr/mreval/internal/progress"
)

// leaderboardMeasures are the default columns of the leaderboard.
var leaderboardMeasures = []string{"ndcg@10", "tauw", "regret@1"}

const defaultCollection = "recycling"

func init() {
	register(&cli.Command{
		Name:      "leaderboard",
		Usage:     "rank runs with confidence intervals, significance tests and effect sizes",
		ArgsUsage: "[QRELS] [RUN...]",
		Description: `Scores runs on a collection's test topics and ranks them by the first measure
(or --sort), best first: regret, where lower is better, ranks ascending.
Per run and measure: the mean over topics, t and percentile-bootstrap
confidence intervals and the number of topics where the measure is
undefined. Per measure: paired t and randomisation tests with Holm
correction, Hedges' g_z, the randomised Tukey HSD test (p-value matrix and
compact letter display) and Sakai's ES_HSD. See docs/leaderboard.md.

Without flags: collection ` + defaultCollection + `, its test topics, the runs of its runs
directory, measures ` + strings.Join(leaderboardMeasures, " ") + `.
Runs come from --runs DIR (every *.run and *.run.gz), --store DIR (the
current runs of a submission store, named TEAM/TAG) or RUN files. As in
eval and trec_eval, the qrels may come first: leaderboard QRELS RUN...
(a first file whose lines have a qrels line's four fields is the qrels).
A run lacking a topic is scored on an empty ranking for it (and warned
about), so that every run is averaged over the same topics.
Same inputs and --seed give byte-identical output.`,
		Flags: withLimitFlags(append([]cli.Flag{
			&cli.StringFlag{Name: "collection", Value: defaultCollection, Usage: "shipped collection: " + strings.Join(collection.Names(), ", ")},
			&cli.StringFlag{Name: "qrels", Usage: "qrels file (instead of a collection)"},
			&cli.StringFlag{Name: "topics", Usage: "score only the topics listed in this file (default: the collection's test topics, or every topic of --qrels)"},
			&cli.StringFlag{Name: "runs", Usage: "directory of run files (*.run, *.run.gz)"},
			&cli.StringFlag{Name: "store", Usage: "submission store: rank its current runs"},
			&cli.StringFlag{Name: "task", Value: "A", Usage: "with --store: the subtask whose runs to rank"},
			&cli.StringSliceFlag{Name: "m", Usage: "measure (repeatable; default: " + strings.Join(leaderboardMeasures, ", ") + ")"},
			&cli.StringFlag{Name: "sort", Usage: "measure that orders the leaderboard (default: the first)"},
			&cli.StringFlag{Name: "format", Value: "table", Usage: strings.Join(report.LeaderboardFormats, "|")},
			outputFlag("write the board to this file (\"-\" = standard output, the default)"), oldOutputFlag(),
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "seed of the bootstrap, randomisation and HSD resampling"},
			&cli.IntFlag{Name: "resamples", Value: stats.DefaultResamples, Usage: "B of the bootstrap intervals and of the randomisation tests"},
			&cli.IntFlag{Name: "permutations", Value: stats.DefaultResamples, Usage: "B of the randomised Tukey HSD test"},
			&cli.Float64Flag{Name: "alpha", Value: leaderboard.DefaultAlpha, Usage: "significance level; confidence intervals are at 1 − alpha"},
			&cli.StringFlag{Name: "scatter-run", Usage: "html: run whose scores are plotted against the true values (default: the top run)"},
			&cli.BoolFlag{Name: "timestamp", Usage: "print the time the report was made (output then differs between calls)"},
			&cli.BoolFlag{Name: "base-names", Usage: "name the qrels, topics and run files by their base names, so that a board to publish shows no path of this machine (the submission site's boards do)"},
			&cli.BoolFlag{Name: "describe", Usage: "show each run's team and system description (shown anyway when some run has one)"},
			&cli.BoolFlag{Name: "details", Usage: "table: also per measure the confidence intervals, pairwise tests and Tukey HSD p-values (the other formats always have them)"},
			runNameFlag,
			leaderboardNoiseFlag, leaderboardNoNoiseFlag, leaderboardNoiseDrawsFlag,
		}, append(constraintFlags(), listFlags()...)...)),
		Action: leaderboardAction,
	})
}

// lbInput is what the leaderboard is computed from, with the names the
// report shows.
type lbInput struct {
	qrels      *eval.Qrels
	runs       []*eval.Run
	collection string
	qrelsName  string
	topicsFrom string
	limits     trecfmt.Limits    // of reading the files (the limit flags)
	teams      map[string]string // run tag → team, where known (leaderboard_describe.go)
	judgedTop  float64           // measure.GradingScale of the qrels before restricting them
}

func leaderboardAction(c *cli.Context) error {
	format := c.String("format")
	write, ok := report.LeaderboardWriterFor(format)
	if !ok {
		return usagef("--format must be one of %s, not %q", strings.Join(report.LeaderboardFormats, ", "), format)
	}
	if c.IsSet("scatter-run") && format != "html" {
		return usagef("--scatter-run applies to --format html only")
	}
	if c.Bool("details") && format != "table" {
		return usagef("--details applies to --format table only (the %s format always holds every detail)", format)
	}
	specs := c.StringSlice("m")
	if len(specs) == 0 {
		specs = leaderboardMeasures
	}
	measures, err := measure.ParseAll(specs)
	if err != nil {
		return usageError{err}
	}
	if err := leaderboard.CheckColumns(measure.Columns(measures)); err != nil {
		return usageError{err}
	}
	if sort := c.String("sort"); sort != "" {
		var names []string
		for _, col := range measure.Columns(measures) {
			names = append(names, col.Name)
		}
		if !slices.Contains(names, sort) {
			return usagef("--sort %s is not one of the measures (%s)", sort, strings.Join(names, ", "))
		}
	}
	alpha := c.Float64("alpha")
	if !(alpha > 0 && alpha < 1) {
		return usagef("--alpha must be in (0, 1), not %v", alpha)
	}
	if c.Int("resamples") < 1 || c.Int("permutations") < 1 {
		return usagef("--resamples and --permutations must be positive")
	}
	if c.Int("resamples") > maxResamples || c.Int("permutations") > maxResamples {
		return usagef("--resamples and --permutations must be at most %d", maxResamples)
	}

	bars := newProgress(c)
	defer bars.Finish()
	in, err := leaderboardInput(c, bars)
	if err != nil {
		return err
	}

	if err := leaderboard.CheckTags(in.runs); err != nil {
		return err
	}
	scatterRun := -1
	if c.IsSet("scatter-run") {
		tag := c.String("scatter-run")
		if scatterRun = slices.IndexFunc(in.runs, func(r *eval.Run) bool { return r.Tag == tag }); scatterRun < 0 {
			return usagef("--scatter-run %s: no run has that tag", tag)
		}
	}

	cfg := measure.Config{Measures: measures, Options: measure.DefaultOptions()}
	if err := setListOptions(c, cfg.Options, measures, in.judgedTop, in.qrelsName, in.collection); err != nil {
		return err
	}
	cons, err := inputs.Constraint(c.String("constraint"), c.String("models"), in.collection, in.limits)
	if err != nil {
		return inputError(err)
	}
	if cons != nil {
		if cfg.Feasible, err = cons.FeasibleSet(in.qrels, in.runs...); err != nil {
			return err
		}
	}
	results, warnings := leaderboard.Score(in.qrels, in.runs, cfg, bars.Callback("scoring runs"))
	for _, w := range warnings {
		fmt.Fprintf(c.App.ErrWriter, "mreval: warning: %s\n", w)
	}
	lb, err := leaderboard.Compute(in.qrels, results, leaderboard.Options{
		SortBy:       c.String("sort"),
		Level:        1 - alpha,
		Alpha:        alpha,
		Seed:         c.Uint64("seed"),
		Resamples:    c.Int("resamples"),
		Permutations: c.Int("permutations"),
		Progress:     bars.Report,
	})
	if err != nil {
		return err
	}
	bars.Finish()
	lb.Collection, lb.Qrels, lb.TopicsFrom = in.collection, in.qrelsName, in.topicsFrom
	for i := range lb.Runs {
		lb.Runs[i].Team = in.teams[lb.Runs[i].Tag]
	}
	if cons != nil {
		// The noise ceilings are drawn over the whole pool; under a
		// constraint they would answer another question, so they are left
		// out (and said to be).
		lb.Constraint = cons.Expr
		if !c.Bool("no-noise") && c.IsSet("noise") {
			return usagef("--noise cannot be combined with --constraint")
		}
	} else if err := addLeaderboardNoise(c, lb, in, measures, bars); err != nil {
		return err
	}

	if format == "html" {
		if scatterRun < 0 { // the top run
			scatterRun = slices.IndexFunc(in.runs, func(r *eval.Run) bool { return r.Tag == lb.Runs[0].Tag })
		}
		lb.Scatter = leaderboard.NewScatter(in.qrels, in.runs[scatterRun], lb.Topics)
	}

	opt := report.LeaderboardOptions{Describe: c.Bool("describe"), Details: c.Bool("details")}
	if c.Bool("timestamp") {
		opt.Timestamp = time.Now().UTC().Format(time.RFC3339)
	}
	out, err := outputName(c)
	if err != nil {
		return err
	}
	written, err := writeOutput(c, out, func(w io.Writer) error { return write(w, lb, opt) }, inputFiles(in)...)
	if err == nil {
		wrote(c, written, "the leaderboard")
	}
	return err
}

// leaderboardInput reads the qrels, the topic list and the runs named by
// the flags, restricted to the evaluation topics.
func leaderboardInput(c *cli.Context, bars *progress.Bars) (*lbInput, error) {
	lim, err := limitsFromFlags(c)
	if err != nil {
		return nil, err
	}
	qrelsFile, runFiles := leaderboardArgs(c, lim)
	spec := inputs.Spec{Collection: c.String("collection"), QrelsFile: qrelsFile,
		TopicsFile: c.String("topics"), TestTopics: true, BaseNames: c.Bool("base-names"), Limits: lim}
	if spec.QrelsFile != "" && !c.IsSet("collection") {
		spec.Collection = "" // the default gives way to --qrels
	}
	runs := inputs.Runs{Dir: c.String("runs"), Store: c.String("store"), Task: c.String("task"), Files: runFiles}
	set, err := inputs.LoadSet(spec, runs, bars.Callback("reading runs"))
	if err != nil {
		return nil, inputError(err)
	}
	in := &lbInput{qrels: set.Qrels, runs: set.Runs, collection: set.CollectionName(), qrelsName: set.QrelsName,
		topicsFrom: set.TopicsFrom, limits: lim, teams: set.Teams, judgedTop: set.GradingScale}
	if !c.IsSet("store") {
		if err := in.teamsFromNames(c); err != nil {
			return nil, err
		}
	}
	return in, nil
}
