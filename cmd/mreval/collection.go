package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ntcir-pmr/mreval/eval/collection"
	"github.com/ntcir-pmr/mreval/eval/fsutil"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/ntcir-pmr/mreval/internal/ship"
)

func init() {
	rootFlag := &cli.StringFlag{
		Name:  "root",
		Usage: "root of the mreval working tree (default: the current directory, if it has qrels/source)",
	}
	register(&cli.Command{
		Name:  "collection",
		Usage: "build, check and list the shipped collections",
		Subcommands: []*cli.Command{
			{
				Name:      "build",
				Usage:     "regenerate qrels/ and runs/ from qrels/source (atomic writes; unchanged files are left alone)",
				ArgsUsage: " ",
				Flags:     []cli.Flag{rootFlag},
				Action:    collectionBuild,
			},
			{
				Name:      "check",
				Usage:     "rebuild in memory and compare with qrels/, runs/ and their SHA256SUMS; exit 1 on any drift",
				ArgsUsage: " ",
				Flags:     []cli.Flag{rootFlag},
				Action:    collectionCheck,
			},
			{
				Name:      "list",
				Usage:     "list the known collections and where they resolve from here",
				ArgsUsage: " ",
				Action:    collectionList,
			},
		},
	})
	// The recycling baselines of the shipped runs join the other baseline
	// rankers under `mreval baseline` (cmd/mreval/baseline.go).
	baselineCmd.Subcommands = append(baselineCmd.Subcommands, &cli.Command{
		Name:      "metadata",
		Usage:     "rank the recycling pool by a shipped recycling baseline (as in runs/recycling/*.run, or with other parameters)",
		ArgsUsage: "NAME (" + strings.Join(ship.BaselineNames(), "|") + ")",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "root", Usage: "read the recycling collection from this tree (default: the current directory if it has it, else the copy embedded in mreval)"},
			&cli.StringFlag{Name: "out", Usage: "run file to write (required)"},
			&cli.StringFlag{Name: "tag", Usage: "run tag (default: the stem of --out)"},
			&cli.Uint64Flag{Name: "seed", Value: ship.ShippedParams().RandomSeed, Usage: "seed of the random baseline"},
			&cli.StringFlag{Name: "probes", Value: strings.Join(ship.ShippedParams().Probes, ","), Usage: "probe-knn: comma-separated probe model IDs"},
			&cli.IntFlag{Name: "k", Value: ship.ShippedParams().K, Usage: "probe-knn: number of neighbour topics (0 = choose by leave-one-topic-out CV on the train topics)"},
			&cli.Float64Flag{Name: "bm25-k1", Value: ship.ShippedParams().BM25.K1, Usage: "name-match: BM25 k1"},
			&cli.Float64Flag{Name: "bm25-b", Value: ship.ShippedParams().BM25.B, Usage: "name-match: BM25 b"},
		},
		Action: baselineMetadataAction,
	})
}

// workingRoot returns the --root directory, or the current directory when
// it is a working tree of the kit (has qrels/source).
func workingRoot(c *cli.Context) (string, error) {
	if r := c.String("root"); r != "" {
		if st, err := os.Stat(filepath.Join(r, "qrels", "source")); err != nil || !st.IsDir() {
			return "", usagef("--root %s: no qrels/source directory there", r)
		}
		return r, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	if st, err := os.Stat(filepath.Join(wd, "qrels", "source")); err != nil || !st.IsDir() {
		return "", usagef("%s is not the root of an mreval working tree (no qrels/source); use --root DIR", wd)
	}
	return wd, nil
}

func noArgs(c *cli.Context) error {
	if c.NArg() > 0 {
		return usagef("collection %s takes no arguments, got %q", c.Command.Name, c.Args().Slice())
	}
	return nil
}

func collectionBuild(c *cli.Context) error {
	if err := noArgs(c); err != nil {
		return err
	}
	root, err := workingRoot(c)
	if err != nil {
		return err
	}
	out, err := ship.Build(root)
	if err != nil {
		return err
	}
	w := c.App.Writer
	for _, n := range out.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	changed, err := ship.WriteFiles(root, out.Files)
	for _, p := range changed {
		fmt.Fprintf(w, "wrote %s\n", p)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%d files written, %d unchanged\n", len(changed), len(out.Files)-len(changed))
	return nil
}

func collectionCheck(c *cli.Context) error {
	if err := noArgs(c); err != nil {
		return err
	}
	root, err := workingRoot(c)
	if err != nil {
		return err
	}
	probs, err := ship.Check(root)
	if err != nil {
		return err
	}
	if len(probs) == 0 {
		fmt.Fprintf(c.App.Writer, "ok: qrels/ and runs/ are exactly what `mreval collection build` makes, and match their SHA256SUMS\n")
		return nil
	}
	for _, p := range probs {
		fmt.Fprintln(c.App.Writer, p)
	}
	return cli.Exit(fmt.Sprintf("collection check: %d problem(s); run `mreval collection build` if the sources changed on purpose", len(probs)), 1)
}

func collectionList(c *cli.Context) error {
	if err := noArgs(c); err != nil {
		return err
	}
	w := c.App.Writer
	for _, name := range collection.Names() {
		col, err := collection.Lookup(name)
		if err != nil {
			fmt.Fprintf(w, "%s\tunavailable: %v\n", name, err)
			continue
		}
		where := col.Root
		if where == "" {
			where = "embedded"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\n", name, where, col.QrelsFile)
	}
	return nil
}

func baselineMetadataAction(c *cli.Context) error {
	if c.NArg() != 1 {
		return usagef("baseline metadata takes one baseline name (%s)", strings.Join(ship.BaselineNames(), ", "))
	}
	name := c.Args().First()
	if c.String("out") == "" {
		return usagef("--out RUN is required")
	}
	known := false
	for _, n := range ship.BaselineNames() {
		known = known || n == name
	}
	if !known {
		return usagef("unknown baseline %q (known: %s)", name, strings.Join(ship.BaselineNames(), ", "))
	}
	var col *collection.Collection
	var err error
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
	outPath := c.String("out")
	tag := c.String("tag")
	if tag == "" {
		tag = runStem(outPath)
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
	return fsutil.WriteFile(outPath, 0o644, func(w io.Writer) error { return trecfmt.WriteRun(w, run) })
}

// runStem is the file name of p without directory and extension (and
// without a .gz): the default run tag.
func runStem(p string) string {
	base := strings.TrimSuffix(filepath.Base(p), ".gz")
	return strings.TrimSuffix(base, filepath.Ext(base))
}
