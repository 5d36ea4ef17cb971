package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ntcir-pmr/mreval/eval/inputs"
	"github.com/ntcir-pmr/mreval/eval/measure"
	"github.com/ntcir-pmr/mreval/eval/noise"
	"github.com/ntcir-pmr/mreval/eval/report"
)

func init() {
	register(&cli.Command{
		Name:      "noise",
		Usage:     "fine-tuning noise of the ground truth and the noise ceilings of the measures",
		ArgsUsage: "[RUN...]",
		Description: `Per topic, how much fine-tuning the same model with another seed moves its
accuracy, from the collection's seed runs of the base models: sigma, the
pooled standard deviation over the base models, and sigma_mad, the median
over base models of 1.4826 × MAD (robust to collapsed runs); both in points.

Then the noise ceilings: the ground truth is re-drawn --draws times — each
model's value plus a draw of the noise model — and the oracle ranking (the
qrels order) is scored on each draw with ` + strings.Join(noise.CeilingMeasures, ", ") + `:
the mean and 95% interval show the best a perfect system can hope to get
when the truth is as noisy as the seed runs say. Noise models (--noise):
empirical (default) adds a residual drawn from the topic's pooled residuals
of the seed runs around their base model's median, collapsed runs included;
gaussian adds N(0, sigma²); gaussian-mad adds N(0, sigma_mad²). All assume
that the base models' seed-to-seed spread stands for every model's.

RUNs are scored on the same draws, next to their score on the shipped qrels;
a topic a run lacks is scored on an empty ranking (and warned about).
Topics: the collection's test topics, or --topics FILE. Same --seed, same
output, whatever the number of cores. See docs/noise.md.`,
		Flags: withLimitFlags([]cli.Flag{
			&cli.StringFlag{Name: "collection", Value: defaultCollection, Usage: "shipped collection with seed runs"},
			&cli.StringFlag{Name: "topics", Usage: "topics to report (one per line; default: the collection's test topics)"},
			&cli.IntFlag{Name: "draws", Value: noise.DefaultDraws, Usage: "B, number of re-drawn ground truths (at least 2)"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "seed of the draws"},
			&cli.StringFlag{Name: "noise", Value: noise.Empirical.String(), Usage: strings.Join(noise.ModelNames, "|")},
			&cli.StringFlag{Name: "format", Value: "table", Usage: strings.Join(report.NoiseFormats, "|")},
			outputFlag("write the report to this file (\"-\" = standard output, the default)"), oldOutputFlag(),
		}),
		Action: noiseAction,
	})
}

func noiseAction(c *cli.Context) error {
	write, ok := report.NoiseWriterFor(c.String("format"))
	if !ok {
		return usagef("--format must be table, csv or json, not %q", c.String("format"))
	}
	model, err := noise.ParseModel(c.String("noise"))
	if err != nil {
		return usageError{err}
	}
	if c.Int("draws") < 2 || c.Int("draws") > maxDraws {
		return usagef("--draws must be from 2 to %d, not %d", maxDraws, c.Int("draws"))
	}
	lim, err := limitsFromFlags(c)
	if err != nil {
		return err
	}
	out, err := outputName(c)
	if err != nil {
		return err
	}
	name := c.String("collection")
	in, seeds, err := inputs.Noise(inputs.NoiseSpec{
		Spec:     inputs.Spec{Collection: name, TopicsFile: c.String("topics"), TestTopics: true, Limits: lim},
		Model:    model,
		RunFiles: c.Args().Slice(),
	})
	if err != nil {
		return inputError(err)
	}
	measures, err := measure.ParseAll(noise.CeilingMeasures)
	if err != nil {
		return err
	}
	bars := newProgress(c)
	defer bars.Finish()
	ceilings, err := noise.ComputeCeilings(in, noise.Config{Measures: measures, Draws: c.Int("draws"), Seed: c.Uint64("seed"),
		Progress: bars.Callback("noise ceilings")})
	bars.Finish()
	if err != nil {
		return err
	}
	for _, w := range noiseWarnings(ceilings) {
		fmt.Fprintf(c.App.ErrWriter, "mreval: warning: %s\n", w)
	}
	written, err := writeOutput(c, out, func(w io.Writer) error {
		return write(w, noise.NewReport(ceilings, seeds, model, noise.DefaultLevel, name))
	}, append(slices.Clone(c.Args().Slice()), c.String("topics"))...)
	if err == nil {
		wrote(c, written, "the noise report")
	}
	return err
}

// noiseWarnings says which runs miss topics and where a score is
// undefined on some draws (its interval then covers the others only).
func noiseWarnings(c *noise.Ceilings) []string {
	var out []string
	for s, sys := range c.Systems {
		if len(sys.Missing) > 0 {
			out = append(out, fmt.Sprintf("%s: run %s ranks %d of the %d topics; scored on an empty ranking on %s",
				sys.File, sys.Tag, len(c.Topics)-len(sys.Missing), len(c.Topics), strings.Join(sys.Missing, ", ")))
		}
		for col, column := range c.Columns {
			for t, topic := range c.Topics {
				n := c.Draws - noise.Summarise(c.Values(s, col, t), noise.DefaultLevel).Defined
				if n == 0 {
					continue
				}
				why := ""
				if column.Family.Name == "tauw" {
					why = " (τw needs two distinct run scores among the judged models)"
				}
				out = append(out, fmt.Sprintf("%s of %s is undefined on topic %s in %d of %d draws%s", column.Name, sys.Tag, topic, n, c.Draws, why))
			}
		}
	}
	return out
}
