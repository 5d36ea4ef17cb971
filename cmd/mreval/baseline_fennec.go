package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ntcir-pmr/mreval/baselines/fennec"
	"github.com/ntcir-pmr/mreval/eval/collection"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
)

func init() {
	baselineCmd.Subcommands = append(baselineCmd.Subcommands, &cli.Command{
		Name:  "fennec",
		Usage: "rank the pool by a Fennec-style transfer space (low-rank factorisation of the train topics, test topics placed from the probe models)",
		Description: `Factorises the train topics × pool matrix of fine-tuned accuracies into model
and task vectors plus biases, places each test topic from the accuracies of the
probe models of probe-knn, and scores b_m + c_t + u_m·v_t. Rank and λ are chosen
by leave-one-topic-out cross-validation on the train topics unless given.
With --cold-start, a seeded 10% of the pool is held out of training and scored
from its metadata (the cold-start map). See docs/baselines-fennec.md.`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "collection", Value: "recycling", Usage: "collection with a train/test split and model metadata"},
			&cli.IntFlag{Name: "rank", Usage: "dimension of the transfer space (0 = choose by cross-validation)"},
			&cli.Float64Flag{Name: "lambda", Usage: "ridge weight of factorisation and fold-in (0 = choose by cross-validation)"},
			&cli.BoolFlag{Name: "cold-start", Usage: "hold a seeded 10% of the models out of training and score them from their metadata"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "with --cold-start: seed of the held-out models and of the map's cross-validation folds"},
			outputFlag("run file to write (required; \"-\" = standard output)"), oldOutputFlag(),
			&cli.StringFlag{Name: "tag", Usage: "run tag (default: the output file's name without extension)"},
		},
		Action: baselineFennecAction,
	})
}

func baselineFennecAction(c *cli.Context) error {
	if c.NArg() > 0 {
		return usagef("unexpected argument %q", c.Args().First())
	}
	outPath, err := requireOutput(c)
	if err != nil {
		return err
	}
	opt := fennec.Options{Rank: c.Int("rank"), Lambda: c.Float64("lambda")}
	if opt.Rank < 0 {
		return usagef("--rank must be positive, or 0 to choose it by cross-validation")
	}
	if opt.Lambda < 0 {
		return usagef("--lambda must be positive, or 0 to choose it by cross-validation")
	}
	if c.IsSet("seed") && !c.Bool("cold-start") {
		return usagef("--seed only applies with --cold-start (the factorisation has no randomness)")
	}
	tag, err := runTagFromOutput(c, outPath)
	if err != nil {
		return err
	}
	if strings.ContainsAny(tag, " \t\r\n\v\f") || tag == "" {
		return usagef("run tag %q must be a non-empty word", tag)
	}
	col, err := collection.Lookup(c.String("collection"))
	if err != nil {
		return usageError{err}
	}
	d, err := col.BaselineData()
	if err != nil {
		return err
	}
	var note string
	res := &fennec.Result{}
	if c.Bool("cold-start") {
		models, err := col.Models()
		if err != nil {
			return err
		}
		cs, err := fennec.ColdStart(tag, d, models, opt, fennec.ColdStartOptions{Seed: c.Uint64("seed")})
		if err != nil {
			return err
		}
		res.Run = cs.Run
		note = fmt.Sprintf("%s; cold start: %d of %d models held out (seed %d) and scored from %d metadata features (ridge μ = %g)",
			cs.Trained.Note(), len(cs.Held), len(d.Pool), c.Uint64("seed"), len(cs.Features.Names), cs.Map.Mu)
	} else {
		if res, err = fennec.Run(tag, d, opt); err != nil {
			return err
		}
		note = res.Note()
	}
	fmt.Fprintf(c.App.ErrWriter, "note: %s\n", note)
	written, err := writeOutput(c, outPath, func(w io.Writer) error { return trecfmt.WriteRun(w, res.Run) })
	if err == nil {
		wrote(c, written, "the fennec run")
	}
	return err
}
