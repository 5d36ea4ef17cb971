package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ntcir-pmr/mreval/baselines/fusion"
	"github.com/ntcir-pmr/mreval/baselines/stylematch"
	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
)

var fuseMethods = []string{"copeland", "borda", "combsum", "combmnz", "rrf"}

func init() {
	register(&cli.Command{
		Name:      "fuse",
		Usage:     "combine runs into one by rank aggregation or score fusion",
		ArgsUsage: "RUN RUN...",
		Description: "Methods: copeland (pairwise majority, Model Spider's rank aggregation), borda (Borda count),\n" +
			"combsum and combmnz (sum of normalised scores; --norm minmax|zscore|rank), rrf (reciprocal rank fusion, --k).\n" +
			"Tied scores share their average rank; each topic uses the union of the retrieved docs.",
		Flags: withLimitFlags([]cli.Flag{
			&cli.StringFlag{Name: "method", Usage: strings.Join(fuseMethods, "|") + " (required)"},
			&cli.Float64Flag{Name: "k", Value: fusion.DefaultRRFK, Usage: "rrf: the constant k of 1/(k + rank)"},
			&cli.StringFlag{Name: "norm", Value: "minmax", Usage: "combsum/combmnz: score normalisation, " + strings.Join(fusion.Norms, "|")},
			outputFlag("fused run file to write (required; \"-\" = standard output)"), oldOutputFlag(),
			&cli.StringFlag{Name: "tag", Usage: "run tag of the fused run (default: the output file's name without extension)"},
			&cli.IntFlag{Name: "copeland-max-docs", Value: fusion.DefaultCopelandMaxDocs,
				Usage: "copeland over 3+ runs compares every pair of docs: refuse a topic with more docs"},
			&cli.IntFlag{Name: "depth", Usage: "keep only the first N documents of each topic (Subtask B runs are depth-limited); 0 = all"},
		}),
		Action: fuseAction,
	})
}

func fuseAction(c *cli.Context) error {
	method := c.String("method")
	if method == "" {
		return usagef("--method is required (%s)", strings.Join(fuseMethods, ", "))
	}
	out, err := requireOutput(c)
	if err != nil {
		return err
	}
	known := false
	for _, m := range fuseMethods {
		known = known || m == method
	}
	if !known {
		return usagef("unknown --method %q (want %s)", method, strings.Join(fuseMethods, ", "))
	}
	if c.IsSet("k") && method != "rrf" {
		return usagef("--k applies to --method rrf only")
	}
	if c.IsSet("norm") && method != "combsum" && method != "combmnz" {
		return usagef("--norm applies to --method combsum and combmnz only")
	}
	if c.NArg() < 2 {
		return usagef("fuse needs at least two runs, got %d", c.NArg())
	}
	if c.IsSet("copeland-max-docs") && method != "copeland" {
		return usagef("--copeland-max-docs applies to --method copeland only")
	}
	if c.Int("copeland-max-docs") <= 0 {
		return usagef("--copeland-max-docs must be positive")
	}
	if c.Int("depth") < 0 {
		return usagef("--depth must not be negative")
	}
	tag, err := runTagFromOutput(c, out)
	if err != nil {
		return err
	}
	if tag == "" || strings.ContainsAny(tag, " \t\r\n") {
		return usagef("run tag %q must be a non-empty word", tag)
	}
	var norm fusion.Norm
	if method == "combsum" || method == "combmnz" {
		n, err := fusion.ParseNorm(c.String("norm"))
		if err != nil {
			return usagef("--norm: %v", err)
		}
		norm = n
	}
	lim, err := limitsFromFlags(c)
	if err != nil {
		return err
	}
	// Reading dominates on big runs; the fusion itself is one pass per
	// topic.
	bars := newProgress(c)
	defer bars.Finish()
	runs := make([]*eval.Run, c.NArg())
	for i, p := range c.Args().Slice() {
		bars.Report("reading runs", i, len(runs))
		r, err := trecfmt.ReadRunFile(p, lim)
		if err != nil {
			return err
		}
		runs[i] = r
	}
	bars.Report("reading runs", len(runs), len(runs))
	bars.Finish()
	var fused *eval.Run
	switch method {
	case "copeland":
		fused, err = fusion.CopelandMaxDocs(runs, tag, c.Int("copeland-max-docs"))
	case "borda":
		fused, err = fusion.Borda(runs, tag)
	case "combsum":
		fused, err = fusion.CombSUM(runs, norm, tag)
	case "combmnz":
		fused, err = fusion.CombMNZ(runs, norm, tag)
	case "rrf":
		fused, err = fusion.RRF(runs, c.Float64("k"), tag)
	}
	if err != nil {
		return err
	}
	if d := c.Int("depth"); d > 0 {
		stylematch.Truncate(fused, d)
	}
	written, err := writeOutput(c, out, func(w io.Writer) error { return trecfmt.WriteRun(w, fused) }, c.Args().Slice()...)
	if err != nil {
		return err
	}
	wrote(c, written, fmt.Sprintf("the fusion of %d runs by %s (%d topics)", len(runs), method, len(fused.Topics)))
	return nil
}
