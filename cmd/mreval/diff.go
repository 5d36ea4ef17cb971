package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/collection"
	"github.com/ntcir-pmr/mreval/eval/measure"
	"github.com/ntcir-pmr/mreval/eval/rundiff"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
)

func init() {
	register(&cli.Command{
		Name:      "diff",
		Usage:     "compare two runs topic by topic: did a re-run reproduce a run?",
		ArgsUsage: "RUN_A RUN_B",
		Description: `Per topic: whether the rankings are identical (same documents, same order;
scores may differ, max_dscore shows by how much), how many documents moved
(shared documents at another rank), how many only one run ranks, and
Kendall's τ between the ranks of the shared documents. With --qrels or
--collection, also the change of each measure (B − A). Rankings are in
evaluation order (score descending, ties by docno), as trec_eval reads them.
Exit status as diff(1): 0 identical, 1 different, 2 trouble.`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "qrels", Usage: "score both runs against this qrels file and show the measure deltas"},
			&cli.StringFlag{Name: "collection", Usage: "like --qrels, with the qrels of a shipped collection (" + strings.Join(collection.Names(), ", ") + ")"},
			&cli.StringSliceFlag{Name: "m", Usage: "measure for the deltas (repeatable; default: the official measures of --task)"},
			&cli.BoolFlag{Name: "c", Usage: "average over every qrels topic (a topic a run lacks scores 0)"},
			&cli.StringFlag{Name: "task", Value: "A", Usage: "subtask whose official measures are the default: A or B"},
			&cli.StringFlag{Name: "format", Value: "table", Usage: "table|json|csv"},
		},
		Action: func(c *cli.Context) error {
			err := diffAction(c)
			var status exitStatus
			if err == nil || errors.As(err, &status) {
				return err
			}
			return diffTrouble{err}
		},
	})
}

// diffTrouble is any failure of diff: exit status 2, as diff(1) uses 1 for
// "different".
type diffTrouble struct{ err error }

func (e diffTrouble) Error() string { return e.err.Error() }
func (e diffTrouble) Unwrap() error { return e.err }
func (e diffTrouble) ExitCode() int { return 2 }

func diffAction(c *cli.Context) error {
	if c.NArg() != 2 {
		return usagef("diff needs exactly two runs, RUN_A and RUN_B (%d given)", c.NArg())
	}
	var write func(io.Writer, *rundiff.Diff) error
	switch c.String("format") {
	case "table":
		write = rundiff.WriteTable
	case "json":
		write = rundiff.WriteJSON
	case "csv":
		write = rundiff.WriteCSV
	default:
		return usagef("--format must be table, json or csv, not %q", c.String("format"))
	}
	qrels, err := diffQrels(c)
	if err != nil {
		return err
	}
	var runs [2]*eval.Run
	for i, path := range c.Args().Slice() {
		if runs[i], err = trecfmt.ReadRunFile(path, trecfmt.DefaultLimits); err != nil {
			return err
		}
	}
	d := rundiff.Compare(runs[0], runs[1])
	if qrels != nil {
		specs := c.StringSlice("m")
		if len(specs) == 0 {
			var ok bool
			if specs, ok = officialMeasures[strings.ToUpper(c.String("task"))]; !ok {
				return usagef("--task must be A or B, not %q", c.String("task"))
			}
		}
		measures, err := measure.ParseAll(specs)
		if err != nil {
			return usageError{err}
		}
		cfg := measure.Config{Measures: measures, Options: measure.DefaultOptions(), Complete: c.Bool("c")}
		ra, rb := measure.Evaluate(qrels, runs[0], cfg), measure.Evaluate(qrels, runs[1], cfg)
		var warned []string
		for _, w := range append(ra.Warnings, rb.Warnings...) {
			if !slices.Contains(warned, w) {
				warned = append(warned, w)
				fmt.Fprintf(c.App.ErrWriter, "mreval: warning: %s\n", w)
			}
		}
		d.AddScores(ra, rb)
	}
	if err := write(c.App.Writer, d); err != nil {
		return err
	}
	if !d.Identical() {
		return exitStatus(1)
	}
	return nil
}

// diffQrels reads --qrels or --collection (nil with neither).
func diffQrels(c *cli.Context) (*eval.Qrels, error) {
	path, name := c.String("qrels"), c.String("collection")
	switch {
	case path != "" && name != "":
		return nil, usagef("give --qrels or --collection, not both")
	case path != "":
		return trecfmt.ReadQrelsFile(path, trecfmt.DefaultLimits)
	case name != "":
		coll, err := collection.Lookup(name)
		if err != nil {
			return nil, usageError{err}
		}
		return coll.Qrels()
	}
	for _, f := range []string{"m", "c", "task"} {
		if c.IsSet(f) {
			dash := "-"
			if len(f) > 1 {
				dash = "--"
			}
			return nil, usagef("%s%s needs --qrels or --collection (the measures need judgments)", dash, f)
		}
	}
	return nil, nil
}
