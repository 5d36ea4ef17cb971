package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/ntcir-pmr/mreval/baselines/modelspider"
	"github.com/ntcir-pmr/mreval/baselines/transfer"
	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/collection"
	"github.com/ntcir-pmr/mreval/eval/fsutil"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/ntcir-pmr/mreval/internal/safetext"
)

func init() {
	baselineCmd.Subcommands = append(baselineCmd.Subcommands, &cli.Command{
		Name:  "modelspider",
		Usage: "Model Spider learned ranker (Zhang et al., NeurIPS 2023): train, rank, report",
		Description: `The learned ranker of docs/baselines-modelspider.md. Train it on topics with
known fine-tuning results, then rank models for new topics. Representations:
probes (Subtask A: the probe models' accuracies on the topic, the probe-knn
budget) and bundle (class prototypes of a feature bundle, re-ranking with
each model's own features).`,
		Subcommands: []*cli.Command{
			{
				Name:      "train",
				Usage:     "train a ranker and save it (versioned binary file, written atomically)",
				ArgsUsage: " ",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "repr", Value: modelspider.ReprProbes, Usage: "task representation: probes|bundle"},
					&cli.StringFlag{Name: "collection", Value: "recycling", Usage: "probes: the collection (its qrels give the truth and the probe accuracies)"},
					&cli.StringFlag{Name: "topics", Usage: "file of training topic IDs, one a line (probes: default the collection's train topics)"},
					&cli.StringFlag{Name: "bundle", Usage: "bundle: feature bundle directory"},
					&cli.StringFlag{Name: "qrels", Usage: "bundle: qrels with the fine-tuning results (topics not fully judged are ordered by RankAgg)"},
					&cli.StringFlag{Name: "psi", Usage: "bundle: model whose features tokenise the topics (default: the bundle's first)"},
					&cli.Uint64Flag{Name: "seed", Usage: "seed of the initial parameters and of training"},
					outputFlag("ranker file to write (required; \"-\" = standard output)"), oldOutputFlag(),
					&cli.IntFlag{Name: "dim", Usage: "token width d (default: the shipped setting)"},
					&cli.IntFlag{Name: "ffn", Usage: "feed-forward width, 0 = none (default: the shipped setting)"},
					&cli.IntFlag{Name: "steps", Usage: "Adam steps (default: the shipped setting)"},
					&cli.Float64Flag{Name: "lr", Usage: "initial learning rate (default: the shipped setting)"},
					&cli.Float64Flag{Name: "decay-tokens", Usage: "L2 strength on the free model tokens"},
					&cli.Float64Flag{Name: "decay-weights", Usage: "L2 strength on the weight matrices"},
					&cli.StringFlag{Name: "weighting", Usage: "loss position weights: hyperbolic|uniform"},
					&cli.BoolFlag{Name: "free-tokens", Usage: "probes: learn a free token per pool model (default: the shipped setting)"},
					&cli.BoolFlag{Name: "linear-path", Usage: "probes: add a linear function of the model metadata to the score (default: the shipped setting)"},
					&cli.BoolFlag{Name: "base-accuracy-path", Usage: "probes: add the accuracy of the model's own base on the topic to the score, linearly (default: the shipped setting)"},
				},
				Action: modelspiderTrain,
			},
			{
				Name:      "rank",
				Usage:     "rank models for topics with a trained ranker; write a TREC run",
				ArgsUsage: " ",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "model", Usage: "ranker file (required)"},
					&cli.StringFlag{Name: "topics", Usage: "file of topic IDs to rank, one a line (required)"},
					outputFlag("run file to write (required; \"-\" = standard output)"), oldOutputFlag(),
					&cli.StringFlag{Name: "tag", Value: modelspider.RecyclingRunTag, Usage: "run tag"},
					&cli.StringFlag{Name: "bundle", Usage: "bundle: feature bundle directory with the topics"},
					&cli.IntFlag{Name: "rerank", Value: 10, Usage: "bundle: re-rank the top k with PTM-specific tokens (0 = off)"},
				},
				Action: modelspiderRank,
			},
			{
				Name:      "report",
				Usage:     "run every experiment of docs/baselines-modelspider.md and write the document (takes a while)",
				ArgsUsage: " ",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "root", Usage: "root of the mreval working tree (default: the current directory)"},
					&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Value: "docs/baselines-modelspider.md",
						Usage: "document to write (its hand-written history is kept)"}, oldOutputFlag(),
					&cli.IntFlag{Name: "seeds", Value: 5, Usage: "seeds per reported configuration"},
				},
				Action: modelspiderReport,
			},
		},
	})
}

// trainConfigFlags overrides the training settings given on the command
// line.
func trainConfigFlags(c *cli.Context, tc *modelspider.TrainConfig) {
	override(c, "steps", &tc.Steps, c.Int)
	if override(c, "lr", &tc.LR, c.Float64) {
		tc.LRMin = min(tc.LRMin, tc.LR)
	}
	override(c, "decay-tokens", &tc.DecayTokens, c.Float64)
	override(c, "decay-weights", &tc.DecayWeights, c.Float64)
	if c.IsSet("weighting") {
		tc.Weighting = modelspider.Weighting(c.String("weighting"))
	}
}

// override sets *dst to the flag's value when the flag was given, leaving
// the shipped default otherwise, and reports whether it did.
func override[T any](c *cli.Context, name string, dst *T, get func(string) T) bool {
	if !c.IsSet(name) {
		return false
	}
	*dst = get(name)
	return true
}

func modelspiderTrain(c *cli.Context) error {
	out, err := requireOutput(c)
	if err != nil {
		return err
	}
	seed := c.Uint64("seed")
	var bar func(int, float64)
	bars := newProgress(c)
	defer bars.Finish()
	trainingBar := func(steps int) func(int, float64) {
		report := bars.Callback("training")
		if report == nil {
			return nil
		}
		done := 0
		return func(step int, obj float64) {
			done++
			report(done, steps)
			bars.Describe(fmt.Sprintf("training, loss %.4f", obj))
		}
	}
	var r *modelspider.Ranker
	switch c.String("repr") {
	case modelspider.ReprProbes:
		col, err := collection.Lookup(c.String("collection"))
		if err != nil {
			return err
		}
		d, err := col.BaselineData()
		if err != nil {
			return err
		}
		if c.String("topics") != "" {
			if d.Train, err = readTopicList(c.String("topics")); err != nil {
				return err
			}
		}
		opt := modelspider.ShippedRecycling().WithSeed(seed)
		opt.Collection = col.Name
		override(c, "dim", &opt.Dim, c.Int)
		override(c, "ffn", &opt.FFN, c.Int)
		override(c, "free-tokens", &opt.FreeTokens, c.Bool)
		override(c, "linear-path", &opt.LinearPath, c.Bool)
		override(c, "base-accuracy-path", &opt.BaseAccuracyPath, c.Bool)
		trainConfigFlags(c, &opt.Train)
		bar = trainingBar(opt.Train.Steps)
		if r, _, err = modelspider.TrainRecycling(d, opt, bar); err != nil {
			return err
		}
	case modelspider.ReprBundle:
		if err := requireFlags(c, "bundle", "qrels", "topics"); err != nil {
			return err
		}
		b, err := transfer.OpenBundle(c.String("bundle"))
		if err != nil {
			return err
		}
		q, err := trecfmt.ReadQrelsFile(c.String("qrels"), trecfmt.DefaultLimits)
		if err != nil {
			return err
		}
		topics, err := readTopicList(c.String("topics"))
		if err != nil {
			return err
		}
		opt := modelspider.DefaultBundle.WithSeed(seed)
		opt.Psi = c.String("psi")
		override(c, "dim", &opt.Dim, c.Int)
		override(c, "ffn", &opt.FFN, c.Int)
		trainConfigFlags(c, &opt.Train)
		bar = trainingBar(opt.Train.Steps)
		var rankAgg []string
		if r, rankAgg, err = modelspider.TrainBundle(b, q, topics, opt, bar); err != nil {
			return err
		}
		if len(rankAgg) > 0 {
			fmt.Fprintf(c.App.ErrWriter, "mreval: %d training topics are not fully judged and were ordered by RankAgg: %v\n", len(rankAgg), rankAgg)
		}
	default:
		return usagef("--repr %q: want %s or %s", c.String("repr"), modelspider.ReprProbes, modelspider.ReprBundle)
	}
	bars.Finish()
	written, err := writeOutput(c, out, func(w io.Writer) error {
		_, err := r.WriteTo(w)
		return err
	}, c.String("topics"), c.String("qrels"))
	if err == nil {
		wrote(c, written, "the trained ranker")
	}
	return err
}

func modelspiderRank(c *cli.Context) error {
	if err := requireFlags(c, "model", "topics"); err != nil {
		return err
	}
	out, err := requireOutput(c)
	if err != nil {
		return err
	}
	r, err := modelspider.Load(c.String("model"))
	if err != nil {
		return err
	}
	topics, err := readTopicList(c.String("topics"))
	if err != nil {
		return err
	}
	tag := c.String("tag")
	var run *eval.Run
	switch r.Repr.Kind {
	case modelspider.ReprProbes:
		col, err := collection.Lookup(r.Repr.Probes.Collection)
		if err != nil {
			return err
		}
		d, err := col.BaselineData()
		if err != nil {
			return err
		}
		if run, err = r.RankRecycling(d, topics, tag); err != nil {
			return err
		}
	case modelspider.ReprBundle:
		if err := requireFlags(c, "bundle"); err != nil {
			return err
		}
		b, err := transfer.OpenBundle(c.String("bundle"))
		if err != nil {
			return err
		}
		if run, err = r.RankBundle(b, topics, c.Int("rerank"), tag); err != nil {
			return err
		}
	default:
		return fmt.Errorf("%s: the %q representation is ranked by `mreval baseline modelspider report` only", c.String("model"), r.Repr.Kind)
	}
	written, err := writeOutput(c, out, func(w io.Writer) error { return trecfmt.WriteRun(w, run) }, c.String("model"), c.String("topics"))
	if err == nil {
		wrote(c, written, fmt.Sprintf("the run of %d topics", len(topics)))
	}
	return err
}

func modelspiderReport(c *cli.Context) error {
	out, err := requireFileOutput(c, "the hand-written history is read from the document it replaces")
	if err != nil {
		return err
	}
	root := c.String("root")
	if root == "" {
		root = "."
	}
	if c.Int("seeds") < 1 {
		return usagef("--seeds %d: need at least 1", c.Int("seeds"))
	}
	col, err := collection.LookupIn(root, "recycling")
	if err != nil {
		return err
	}
	in := modelspider.ReportInputs{RecyclingRuns: map[string]*eval.Run{}}
	if in.Recycling, err = col.BaselineData(); err != nil {
		return err
	}
	for _, name := range []string{"mnli-lp", "probe-knn", "prior", "arch-prior"} {
		if in.RecyclingRuns[name], err = col.ReadRun(col.RunsDir + "/" + name + ".run"); err != nil {
			return err
		}
	}
	shipped, err := col.ReadFile(col.RunsDir + "/modelspider.run")
	if err == nil {
		in.ShippedRun = shipped
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if in.Zoo, err = modelspider.LoadZoo(filepath.Join(root, "qrels", "modelspider-single.qrels"),
		filepath.Join(root, "runs", "modelspider-single"), modelspider.ZooEstimators); err != nil {
		return err
	}
	// The history of the choice is hand-written: keep it from the document
	// being replaced.
	opt := modelspider.ReportOptions{Seeds: c.Int("seeds"), Log: c.App.ErrWriter}
	if old, err := readEarlierReport(out); err != nil {
		return err
	} else if opt.History, err = modelspider.HandWrittenHistory(old); err != nil {
		return fmt.Errorf("%s: %w", out, err)
	}
	doc, err := modelspider.Report(in, opt)
	if err != nil {
		return err
	}
	written, err := writeOutput(c, out, func(w io.Writer) error {
		_, err := w.Write(doc)
		return err
	})
	if err == nil {
		wrote(c, written, "the report")
	}
	return err
}

// maxReportSize bounds the earlier document the report reads its history
// from; the generated one is about 40 kB.
const maxReportSize = 16 << 20

// readEarlierReport returns the document at path, or nil when there is
// none.
func readEarlierReport(path string) ([]byte, error) {
	return fsutil.ReadOptional(path, maxReportSize, "a report of this command")
}

// readTopicList reads a --topics file; an empty one is an error, not a run
// or a training without topics.
func readTopicList(path string) ([]string, error) {
	topics, err := trecfmt.ReadIDListFile(path, trecfmt.DefaultLimits)
	if err == nil && len(topics) == 0 {
		err = fmt.Errorf("%s: no topics listed (the file is empty)", safetext.Name(path))
	}
	return topics, err
}
