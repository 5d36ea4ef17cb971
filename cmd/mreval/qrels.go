package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ntcir-pmr/mreval/eval/assess"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/ntcir-pmr/mreval/eval/validate"
)

func init() {
	register(&cli.Command{
		Name:  "qrels",
		Usage: "make qrels from assessors' judgments",
		Subcommands: []*cli.Command{{
			Name:      "from-judgments",
			Usage:     "check filled judging sheets, merge the assessors' grades into qrels, report agreement",
			ArgsUsage: "SHEET [SHEET...]",
			Description: `Reads judging sheets (CSV: topic,lora_id,assessor,grade[,...], as 'mreval pool'
writes them; the assessor column names who graded the row) and checks them all:
grades 0..--max-grade, no empty cell, no row twice, every assessor of a topic
grading all of its items, and with --judging-pool and --pool no item outside
the judging pool or the LoRA pool and none left out. Every problem is listed
with file:line. The grades of each item are merged by --merge into one level;
with two or more assessors the report gives, per pair of assessors, exact
agreement and Cohen's weighted κ (linear and quadratic weights), Krippendorff's
ordinal α over all items, and the list of disagreements.
Merge rules: ` + strings.Join(assess.MergeKinds, ", ") + `.`,
			Flags: withLimitFlags([]cli.Flag{
				outputFlag("qrels file to write (required; \"-\" = standard output, the report then goes to standard error)"), oldOutputFlag(),
				&cli.StringFlag{Name: "merge", Value: "floor-mean", Usage: "merge rule: " + strings.Join(assess.MergeKinds, "|")},
				&cli.StringFlag{Name: "judging-pool", Usage: "judging-pool.tsv written by 'mreval pool': the items the sheets must cover exactly"},
				&cli.StringFlag{Name: "pool", Usage: "the collection's pool (Subtask B pool file, or one id per line): every lora_id must be in it"},
				&cli.IntFlag{Name: "max-grade", Value: assess.DefaultMaxGrade, Usage: "top of the grading scale"},
				&cli.StringFlag{Name: "disagreements", Usage: "also write the items the assessors disagree on as a blank judging sheet, for adjudication (same rules as -o)"},
			}),
			Action: qrelsFromJudgmentsAction,
		}},
	})
}

func qrelsFromJudgmentsAction(c *cli.Context) error {
	out, err := requireOutput(c)
	if err != nil {
		return err
	}
	disagreements := c.String("disagreements")
	if disagreements != "" && disagreements != stdoutName {
		if err := checkOutputTarget(disagreements, nil); err != nil {
			return fmt.Errorf("--disagreements: %w", err)
		}
	}
	if err := distinctOutputs(out, disagreements); err != nil {
		return err
	}
	// Standard output carries the report, unless it carries a file.
	report := c.App.Writer
	if out == stdoutName || disagreements == stdoutName {
		report = c.App.ErrWriter
	}
	if c.NArg() == 0 {
		return usagef("qrels from-judgments needs at least one SHEET")
	}
	rule, err := assess.ParseMergeRule(c.String("merge"))
	if err != nil {
		return usagef("--merge: %v", err)
	}
	maxGrade := c.Int("max-grade")
	if maxGrade < 1 || maxGrade > 100 {
		return usagef("--max-grade must be from 1 to 100")
	}
	lim, err := limitsFromFlags(c)
	if err != nil {
		return err
	}
	opts := assess.MergeOptions{Rule: rule, MaxGrade: maxGrade}
	if p := c.String("judging-pool"); p != "" {
		if opts.Expected, err = assess.ReadJudgingPoolFile(p, lim); err != nil {
			return err
		}
	}
	if p := c.String("pool"); p != "" {
		ids, err := validate.ReadRuleList(p, lim)
		if err != nil {
			return err
		}
		inPool := make(map[string]bool, len(ids))
		for _, id := range ids {
			inPool[id] = true
		}
		opts.InPool, opts.PoolName = func(d string) bool { return inPool[d] }, p
	}
	var judgments []assess.Judgment
	var probs assess.Problems
	for _, path := range c.Args().Slice() {
		js, err := assess.ReadSheetFile(path, maxGrade, lim)
		if ps, ok := err.(assess.Problems); ok {
			probs = append(probs, ps...)
			continue
		}
		if err != nil {
			probs = append(probs, err.Error())
			continue
		}
		judgments = append(judgments, js...)
	}
	if len(probs) > 0 {
		return fmt.Errorf("%d problems in the judging sheets; nothing written:\n%w", len(probs), probs)
	}
	merged, err := assess.Merge(judgments, c.NArg(), opts)
	if ps, ok := err.(assess.Problems); ok {
		return fmt.Errorf("%d problems in the judging sheets; nothing written:\n%w", len(ps), ps)
	}
	if err != nil {
		return err
	}
	if err := merged.WriteReport(report); err != nil {
		return err
	}
	inputs := append(slices.Clone(c.Args().Slice()), c.String("judging-pool"), c.String("pool"))
	if disagreements != "" {
		rows := merged.DisagreementSheet()
		written, err := writeOutput(c, disagreements, func(w io.Writer) error { return assess.WriteSheet(w, rows) }, inputs...)
		if err != nil {
			return fmt.Errorf("--disagreements: %w", err)
		}
		wrote(c, written, fmt.Sprintf("%d disagreements", len(rows)))
	}
	written, err := writeOutput(c, out, func(w io.Writer) error { return trecfmt.WriteQrels(w, merged.Qrels()) }, inputs...)
	if err != nil {
		return err
	}
	wrote(c, written, fmt.Sprintf("the qrels (%d judged items of %d topics)", len(merged.Items), len(merged.Topics)))
	return nil
}
