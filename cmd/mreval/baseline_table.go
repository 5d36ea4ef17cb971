package main

import (
	"fmt"
	"io"
	"math"
	"path"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ntcir-pmr/mreval/eval/collection"
	"github.com/ntcir-pmr/mreval/eval/measure"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
)

// baselineTableMeasures are the task's official measures, as in the
// leaderboard.
var baselineTableMeasures = []string{"ndcg@10", "tauw", "regret@1"}

func init() {
	baselineCmd.Subcommands = append(baselineCmd.Subcommands, &cli.Command{
		Name:  "table",
		Usage: "the shipped baselines' scores on a collection's test topics, as the Markdown table of docs/baselines.md",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "collection", Value: "recycling", Usage: "shipped collection"},
			outputFlag("write the table to this file (\"-\" = standard output, the default)"), oldOutputFlag(),
		},
		Action: func(c *cli.Context) error {
			out, err := outputName(c)
			if err != nil {
				return err
			}
			table, err := baselineTable(c.String("collection"))
			if err != nil {
				return err
			}
			written, err := writeOutput(c, out, func(w io.Writer) error {
				_, err := io.WriteString(w, table)
				return err
			})
			if err == nil {
				wrote(c, written, "the baseline table")
			}
			return err
		},
	})
}

// baselineTable scores every run of the collection's runs directory on its
// test topics with the official measures and renders a Markdown table,
// runs in file-name order.
func baselineTable(name string) (string, error) {
	coll, err := collection.Lookup(name)
	if err != nil {
		return "", usageError{err}
	}
	q, err := coll.Qrels()
	if err != nil {
		return "", err
	}
	topics, err := coll.TestTopics()
	if err != nil {
		return "", err
	}
	if missing := trecfmt.RestrictTopics(topics, q); len(missing) > 0 {
		return "", fmt.Errorf("collection %s: test topics without judgments: %s", name, strings.Join(missing, ", "))
	}
	files, err := coll.RunFiles()
	if err != nil {
		return "", err
	}
	if len(files) == 0 {
		return "", fmt.Errorf("collection %s ships no runs", name)
	}
	ms, err := measure.ParseAll(baselineTableMeasures)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "| run | %s |\n| --- |%s\n", strings.Join(baselineTableMeasures, " | "), strings.Repeat(" ---: |", len(ms)))
	for _, f := range files {
		run, err := coll.ReadRun(f)
		if err != nil {
			return "", err
		}
		trecfmt.RestrictTopics(topics, nil, run)
		res := measure.Evaluate(q, run, measure.Config{Measures: ms, Complete: true})
		fmt.Fprintf(&b, "| %s |", strings.TrimSuffix(path.Base(f), ".run"))
		for _, v := range res.All {
			if math.IsNaN(v) {
				b.WriteString(" – |")
			} else {
				fmt.Fprintf(&b, " %.4f |", v)
			}
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "\n%d test topics of %s; every topic of the split counts (a topic a run lacks scores 0). regret@1 in accuracy points, lower is better.\n", len(topics), name)
	return b.String(), nil
}
