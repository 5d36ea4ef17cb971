package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ntcir-pmr/mreval/eval/collection"
	"github.com/ntcir-pmr/mreval/eval/inputs"
	"github.com/ntcir-pmr/mreval/eval/leaderboard"
	"github.com/ntcir-pmr/mreval/eval/measure"
	"github.com/ntcir-pmr/mreval/eval/noise"
	"github.com/ntcir-pmr/mreval/internal/progress"
)

// The leaderboard's noise ceiling: for a collection with seed runs, the
// oracle's scores on re-drawn ground truths and which run differences are
// larger than the noise (see eval/leaderboard/noise.go, docs/noise.md).
var (
	leaderboardNoiseFlag = &cli.StringFlag{Name: "noise", Value: noise.Empirical.String(),
		Usage: "noise model of the noise ceiling (collections with seed runs): " + strings.Join(noise.ModelNames, "|"),
		Action: func(_ *cli.Context, name string) error {
			if _, err := noise.ParseModel(name); err != nil {
				return usageError{err}
			}
			return nil
		}}
	leaderboardNoNoiseFlag = &cli.BoolFlag{Name: "no-noise", Usage: "leave out the noise ceiling"}
	// The leaderboard re-draws fewer ground truths than `mreval noise`
	// (1,000) so that the default leaderboard stays under a second; 200
	// draws put the interval ends within about a hundredth of the
	// 1,000-draw figures (docs/noise.md).
	leaderboardNoiseDrawsFlag = &cli.IntFlag{Name: "noise-draws", Value: 200,
		Usage: "re-drawn ground truths for the noise ceiling (mreval noise uses 1000)"}
)

// noiseShown are the leaderboard formats with a noise-ceiling section;
// the others (csv, latex) do not compute it.
var noiseShown = map[string]bool{"table": true, "md": true, "html": true, "json": true}

// addLeaderboardNoise sets lb.Noise when the leaderboard is on a collection
// with seed runs and --no-noise is not given: 1,000 re-drawn ground truths
// of the leaderboard's topics, seeded with --seed, on which the oracle and
// every run are scored with the leaderboard's measures.
func addLeaderboardNoise(c *cli.Context, lb *leaderboard.Leaderboard, in *lbInput, measures []*measure.Measure, bars *progress.Bars) error {
	if c.Bool("no-noise") || !noiseShown[c.String("format")] {
		return nil
	}
	var coll *collection.Collection
	if in.collection != "" {
		var err error
		if coll, err = inputs.Collection(in.collection); err != nil {
			return inputError(err)
		}
	}
	if coll == nil || coll.SeedsFile == "" {
		if c.IsSet("noise") {
			return usagef("--noise needs a collection with seed runs (recycling)")
		}
		return nil
	}
	model, err := noise.ParseModel(c.String("noise"))
	if err != nil {
		return usageError{err}
	}
	draws := c.Int("noise-draws")
	if draws < 2 || draws > maxDraws {
		return usagef("--noise-draws must be from 2 to %d", maxDraws)
	}
	seeds, err := inputs.Seeds(in.collection)
	if err != nil {
		return inputError(err)
	}
	perturb, err := inputs.Perturbations(coll, seeds, lb.Topics, model)
	if err != nil {
		return fmt.Errorf("%v, so the leaderboard has no noise ceiling (use --no-noise)", err)
	}
	ceilings, err := noise.ComputeCeilings(noise.Input{Qrels: in.qrels, Topics: lb.Topics, Noise: perturb, Runs: in.runs},
		noise.Config{Measures: measures, Options: measure.DefaultOptions(), Draws: draws, Seed: c.Uint64("seed"), Progress: bars.Callback("noise ceiling")})
	bars.Finish()
	if err != nil {
		return err
	}
	return leaderboard.AddNoise(lb, ceilings, model)
}
