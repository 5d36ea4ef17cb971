package main

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ntcir-pmr/mreval/baselines/transfer"
	"github.com/ntcir-pmr/mreval/internal/safetext"
)

func init() {
	estimatorUsage := "estimator: " + strings.Join(transfer.EstimatorNames(), "|")
	baselineCmd.Subcommands = append(baselineCmd.Subcommands,
		&cli.Command{
			Name:  "estimate",
			Usage: "score one model's features on one target task with a transferability estimator",
			Description: `Prints the score alone, in shortest round-trip form. --labels (integer [N],
class indices 0 ≤ y < N) for classification or --targets (float [N, R]) for regression (logme only);
--features (float [N, D]) for every estimator but leep and nce, which read --probs (float [N, Cs],
source-head probabilities) instead. An input the estimator does not use is refused.`,
			Flags: []cli.Flag{
				&cli.StringFlag{Name: "estimator", Usage: estimatorUsage},
				&cli.StringFlag{Name: "features", Usage: "features .npy, float32 or float64 [N, D] (all but leep and nce)"},
				&cli.StringFlag{Name: "labels", Usage: "class labels .npy, int64 [N], 0 ≤ y < N"},
				&cli.StringFlag{Name: "targets", Usage: "regression targets .npy, float [N, R]"},
				&cli.StringFlag{Name: "probs", Usage: "source-head class probabilities .npy, float [N, Cs] (leep and nce)"},
				outputFlag("write the score to this file (\"-\" = standard output, the default)"), oldOutputFlag(),
				transferMaxNpySizeFlag(), transferMaxClassCellsFlag(),
			},
			Action: baselineEstimateAction,
		},
		&cli.Command{
			Name:        "sample-bundle",
			Usage:       "write a seeded synthetic feature bundle with models of planted quality",
			Description: "See docs/baselines-transfer.md for the bundle format.",
			Flags: []cli.Flag{
				outputFlag("bundle directory to write (required; created if needed; its bundle files are replaced)"), oldOutputFlag(),
				&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "random seed"},
			},
			Action: baselineSampleAction,
		},
		&cli.Command{
			Name:  "score",
			Usage: "rank every model of a feature bundle on every topic; write a TREC run",
			Description: `Scores all (topic, model) pairs of the bundle in parallel and writes the run
'topic Q0 docno rank score tag' (rank by score descending, ties by docno
descending). A progress bar is shown when stderr is a terminal.`,
			Flags: []cli.Flag{
				&cli.StringFlag{Name: "estimator", Usage: estimatorUsage},
				&cli.StringFlag{Name: "bundle", Usage: "feature bundle directory"},
				outputFlag("run file to write (required; \"-\" = standard output)"), oldOutputFlag(),
				&cli.StringFlag{Name: "tag", Usage: "run tag (default: the estimator name)"},
				transferMaxNpySizeFlag(), transferMaxClassCellsFlag(),
			},
			Action: baselineScoreAction,
		},
	)
}

// defaultMaxNpySize is transfer.DefaultLimits.MaxNpyBytes as the flag
// writes it (a test keeps the two equal).
const defaultMaxNpySize = "16GiB"

func transferMaxNpySizeFlag() cli.Flag {
	return &cli.StringFlag{Name: "max-npy-size", Value: defaultMaxNpySize, Usage: "largest .npy file read, e.g. 500MiB, 64GiB"}
}

func transferMaxClassCellsFlag() cli.Flag {
	return &cli.Int64Flag{Name: "max-class-cells", Value: transfer.DefaultLimits.MaxClassCells,
		Usage: "largest samples × classes (largest label + 1) of a classification topic"}
}

// applyTransferLimits sets the reader and estimator limits from the flags
// and returns the function that restores the previous ones (commands run
// in-process in tests must not leak limits to the next command).
func applyTransferLimits(c *cli.Context) (restore func(), err error) {
	size, err := parseSize(c.String("max-npy-size"))
	if err != nil {
		return nil, usagef("--max-npy-size: %v", err)
	}
	cells := c.Int64("max-class-cells")
	if cells <= 0 {
		return nil, usagef("--max-class-cells must be positive, got %d", cells)
	}
	prev := transfer.CurrentLimits()
	if err := transfer.SetLimits(transfer.Limits{MaxNpyBytes: size, MaxClassCells: cells}); err != nil {
		return nil, usageError{err}
	}
	return func() { _ = transfer.SetLimits(prev) }, nil
}

// requireFlags returns a usage error naming the first missing flag.
func requireFlags(c *cli.Context, names ...string) error {
	for _, n := range names {
		if c.String(n) == "" {
			return usagef("%s needs --%s", commandPath(c), n)
		}
	}
	return nil
}

func lookupEstimatorFlag(c *cli.Context) (transfer.Estimator, error) {
	est, err := transfer.LookupEstimator(c.String("estimator"))
	if errors.Is(err, transfer.ErrUnknownEstimator) {
		return est, usageError{err}
	}
	return est, err
}

func baselineEstimateAction(c *cli.Context) error {
	if c.NArg() > 0 {
		return usagef("unexpected argument %q", c.Args().First())
	}
	if err := requireFlags(c, "estimator"); err != nil {
		return err
	}
	est, err := lookupEstimatorFlag(c)
	if err != nil {
		return err
	}
	if err := estimateInputsUsed(c, est); err != nil {
		return err
	}
	out, err := outputName(c)
	if err != nil {
		return err
	}
	restore, err := applyTransferLimits(c)
	if err != nil {
		return err
	}
	defer restore()
	var in transfer.Inputs
	// rows names the file that fixes the number of samples, for the check
	// that the labels have one per sample.
	rows, rowsFile := 0, ""
	if p := c.String("features"); p != "" {
		if in.Features, err = transfer.ReadFeatures(p); err != nil {
			return err
		}
		rows, rowsFile = in.Features.Rows, p
	}
	if p := c.String("probs"); p != "" {
		probs, err := transfer.ReadProbs(p)
		if err != nil {
			return err
		}
		in.Probs = &probs
		rows, rowsFile = probs.Rows, p
	}
	if p := c.String("labels"); p != "" {
		if in.Labels, err = transfer.ReadLabels(p); err != nil {
			return err
		}
		if len(in.Labels) != rows {
			return fmt.Errorf("%s has %d labels, %s has %d rows", p, len(in.Labels), rowsFile, rows)
		}
	} else {
		t, err := transfer.ReadTargets(c.String("targets"))
		if err != nil {
			return err
		}
		in.Targets = &t
	}
	score, err := est.Score(in)
	if err != nil {
		// The estimator knows its matrices, not their files: name the inputs.
		return fmt.Errorf("%s on %s: %w", est.Name, estimateInputNames(c), err)
	}
	written, err := writeOutput(c, out, func(w io.Writer) error {
		_, err := fmt.Fprintln(w, strconv.FormatFloat(score, 'g', -1, 64))
		return err
	}, estimateInputFiles(c)...)
	if err == nil {
		wrote(c, written, "the "+est.Name+" score")
	}
	return err
}

// estimateInputsUsed asks for exactly the inputs est reads: the features
// or (leep, nce) the source head's probabilities, and labels or (logme)
// regression targets. An input it would ignore is refused, so that nobody
// believes a score depends on a file it never read.
func estimateInputsUsed(c *cli.Context, est transfer.Estimator) error {
	used, unused := "features", "probs"
	if est.NeedsProbs {
		used, unused = "probs", "features"
	}
	if c.String(unused) != "" {
		return usagef("%s does not use --%s (it reads --%s): leave it out", est.Name, unused, used)
	}
	if c.String(used) == "" {
		return usagef("%s needs --%s", est.Name, used)
	}
	switch {
	case c.String("labels") != "" && c.String("targets") != "":
		return usagef("give exactly one of --labels and --targets, not both")
	case c.String("targets") != "" && !est.Regression:
		return usagef("%s does not use --targets: it scores classification topics only (give --labels)", est.Name)
	case c.String("labels") == "" && c.String("targets") == "":
		if est.Regression {
			return usagef("%s needs --labels (classification) or --targets (regression)", est.Name)
		}
		return usagef("%s needs --labels", est.Name)
	}
	return nil
}

// estimateInputFiles are the files given to baseline estimate.
func estimateInputFiles(c *cli.Context) []string {
	var files []string
	for _, flag := range []string{"features", "labels", "targets", "probs"} {
		if p := c.String(flag); p != "" {
			files = append(files, p)
		}
	}
	return files
}

// estimateInputNames lists the input files given to baseline estimate, for
// an error that arises from their values together rather than from one
// file's syntax.
func estimateInputNames(c *cli.Context) string {
	var names []string
	for _, flag := range []string{"features", "labels", "targets", "probs"} {
		if p := c.String(flag); p != "" {
			names = append(names, safetext.Name(p))
		}
	}
	return strings.Join(names, ", ")
}

func baselineSampleAction(c *cli.Context) error {
	if c.NArg() > 0 {
		return usagef("unexpected argument %q", c.Args().First())
	}
	out, err := requireOutputDir(c)
	if err != nil {
		return err
	}
	info, err := transfer.SampleBundle(out, c.Uint64("seed"), transfer.SampleConfig{})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(c.App.Writer, "%d topics, %d models; planted order: %s\n",
		len(info.Topics), len(info.Models), strings.Join(info.Planted, " > "))
	wrote(c, out, "a sample feature bundle")
	return err
}

func baselineScoreAction(c *cli.Context) error {
	if c.NArg() > 0 {
		return usagef("unexpected argument %q", c.Args().First())
	}
	if err := requireFlags(c, "estimator", "bundle"); err != nil {
		return err
	}
	out, err := requireOutput(c)
	if err != nil {
		return err
	}
	est, err := lookupEstimatorFlag(c)
	if err != nil {
		return err
	}
	tag := c.String("tag")
	if tag == "" {
		tag = est.Name
	}
	if strings.ContainsAny(tag, " \t\r\n\v\f") {
		return usagef("--tag %q contains white space", tag)
	}
	restore, err := applyTransferLimits(c)
	if err != nil {
		return err
	}
	defer restore()
	b, err := transfer.OpenBundle(c.String("bundle"))
	if err != nil {
		return err
	}
	var opts transfer.ScoreOptions
	bars := newProgress(c)
	defer bars.Finish()
	opts.Progress = bars.Callback("scoring with " + est.Name)
	results, err := transfer.ScoreBundle(b, est, opts)
	bars.Finish()
	if err != nil {
		return err
	}
	written, err := writeOutput(c, out, func(w io.Writer) error { return transfer.WriteRunTo(w, tag, results) })
	if err == nil {
		wrote(c, written, fmt.Sprintf("the %s run (%d topics)", est.Name, len(results)))
	}
	return err
}
