package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ntcir-pmr/mreval/eval/collection"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/ntcir-pmr/mreval/internal/ship"
)

func init() {
	// The recycling baselines of the shipped runs join the other baseline
	// rankers under `mreval baseline` (cmd/mreval/baseline.go).
	baselineCmd.Subcommands = append(baselineCmd.Subcommands, &cli.Command{
		Name:      "metadata",
		Usage:     "rank the recycling pool by a shipped recycling baseline (as in runs/recycling/*.run, or with other parameters)",
		ArgsUsage: "NAME (" + strings.Join(ship.BaselineNames(), "|") + ")",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "root", Usage: "read the recycling collection from this tree (default: the current directory if it has it, else the copy embedded in mreval)"},
			outputFlag("run file to write (required; \"-\" = standard output)"), oldOutputFlag(),
			&cli.StringFlag{Name: "tag", Usage: "run tag (default: the output file's name without extension)"},
			&cli.Uint64Flag{Name: "seed", Value: ship.ShippedParams().RandomSeed, Usage: "seed of the random baseline"},
			&cli.StringFlag{Name: "probes", Value: strings.Join(ship.ShippedParams().Probes, ","), Usage: "probe-knn: comma-separated probe model IDs"},
			&cli.IntFlag{Name: "k", Value: ship.ShippedParams().K, Usage: "probe-knn: number of neighbour topics (0 = choose by leave-one-topic-out CV on the train topics)"},
			&cli.Float64Flag{Name: "bm25-k1", Value: ship.ShippedParams().BM25.K1, Usage: "name-match: BM25 k1"},
			&cli.Float64Flag{Name: "bm25-b", Value: ship.ShippedParams().BM25.B, Usage: "name-match: BM25 b"},
		},
		Action: baselineMetadataAction,
	})
}

func baselineMetadataAction(c *cli.Context) error {
	if c.NArg() != 1 {
		return usagef("baseline metadata takes one baseline name (%s)", strings.Join(ship.BaselineNames(), ", "))
	}
	name := c.Args().First()
	outPath, err := requireOutput(c)
	if err != nil {
		return err
	}
	known := false
	for _, n := range ship.BaselineNames() {
		known = known || n == name
	}
	if !known {
		return usagef("unknown baseline %q (known: %s)", name, strings.Join(ship.BaselineNames(), ", "))
	}
	var col *collection.Collection
	if root := c.String("root"); root != "" {
		col, err = collection.LookupIn(root, "recycling")
	} else {
		col, err = collection.Lookup("recycling")
	}
	if err != nil {
		return err
	}
	d, err := col.BaselineData()
	if err != nil {
		return err
	}
	p := ship.Params{
		RandomSeed: c.Uint64("seed"),
		K:          c.Int("k"),
	}
	p.BM25.K1, p.BM25.B = c.Float64("bm25-k1"), c.Float64("bm25-b")
	if p.K < 0 {
		return usagef("--k must be positive, or 0 to choose it by cross-validation")
	}
	for _, s := range strings.Split(c.String("probes"), ",") {
		if s = strings.TrimSpace(s); s != "" {
			p.Probes = append(p.Probes, s)
		}
	}
	if len(p.Probes) == 0 {
		return usagef("--probes lists no model")
	}
	tag, err := runTagFromOutput(c, outPath)
	if err != nil {
		return err
	}
	if strings.ContainsAny(tag, " \t\n") || tag == "" {
		return usagef("run tag %q must be a non-empty word", tag)
	}
	run, note, err := ship.BaselineRun(d, name, tag, p)
	if err != nil {
		return err
	}
	if note != "" {
		fmt.Fprintf(c.App.ErrWriter, "note: %s\n", note)
	}
	written, err := writeOutput(c, outPath, func(w io.Writer) error { return trecfmt.WriteRun(w, run) })
	if err == nil {
		wrote(c, written, "the "+name+" run")
	}
	return err
}

// runStem is the file name of p without directory and extension (and
// without a .gz): the default run tag.
func runStem(p string) string {
	base := strings.TrimSuffix(filepath.Base(p), ".gz")
	return strings.TrimSuffix(base, filepath.Ext(base))
}
