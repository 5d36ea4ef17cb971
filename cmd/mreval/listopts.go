package main

import (
	"fmt"
	"math"

	"github.com/urfave/cli/v2"

	"github.com/ntcir-pmr/mreval/eval/measure"
)

// collectionScales are the grading scales shipped collections declare:
// the top relevance level of their scale, whatever their judgments reach.
// Collections without one (accuracy qrels) take the highest judged level.
var collectionScales = map[string]float64{"subtask-b-sample": 3}

// listFlags are the options of the ranked list that NTCIREVAL's measures
// read, shared by eval and leaderboard.
func listFlags() []cli.Flag {
	return []cli.Flag{
		&cli.Float64Flag{Name: "max-level", Usage: "top level of the grading scale for nERR and RBP (default: the collection's declared scale, else the highest level judged in the qrels)"},
		&cli.StringFlag{Name: "order", Value: "score", Usage: "run order of every measure but trec_eval's: score (score descending, ties by docno descending) or file (the run file's line order, as NTCIREVAL reads a list)"},
		&cli.BoolFlag{Name: "condensed", Usage: "remove unjudged documents from the list of every measure but trec_eval's (refused with them) and judged@k, as NTCIREVAL's condensed lists"},
	}
}

// setListOptions reads --max-level, --order and --condensed into opts and
// says on standard error which grading scale nERR and RBP use. judgedTop is
// measure.GradingScale of the qrels before they are restricted to some
// topics: the scale is the collection's, not the subset's. collName is ""
// for a qrels file.
func setListOptions(c *cli.Context, opts *measure.Options, ms []*measure.Measure, judgedTop float64, qrelsFile, collName string) error {
	order, ok := measure.ParseOrder(c.String("order"))
	if !ok {
		return usagef("--order must be score or file, not %q", c.String("order"))
	}
	opts.Order = order
	opts.Condensed = c.Bool("condensed")
	if err := measure.CheckOptions(ms, opts); err != nil {
		return usageError{err}
	}
	var from string
	declared, hasScale := collectionScales[collName]
	switch {
	case c.IsSet("max-level"):
		v := c.Float64("max-level")
		if !(v > 0) || math.IsInf(v, 0) {
			return usagef("--max-level must be a positive number, not %v", v)
		}
		if v < judgedTop && measure.UsesMaxLevel(ms) {
			// nERR and RBP would exceed 1: a level above the scale's top
			// stops the reader with probability > 1.
			return usagef("--max-level %v is below the highest level judged in %s, %v", v, qrelsFile, judgedTop)
		}
		opts.MaxLevel, from = v, "--max-level"
	case hasScale:
		opts.MaxLevel, from = declared, "the scale of collection "+collName+"; --max-level overrides"
	default:
		opts.MaxLevel, from = judgedTop, "the highest level judged in "+qrelsFile+"; --max-level overrides"
	}
	if measure.UsesMaxLevel(ms) {
		fmt.Fprintf(c.App.ErrWriter, "mreval: nERR and RBP use the grading scale's top level L = %g (%s)\n", opts.MaxLevel, from)
	}
	return nil
}
