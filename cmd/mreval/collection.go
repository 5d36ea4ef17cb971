package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/ntcir-pmr/mreval/eval/collection"
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

// buildInWorkingRoot runs build (ship.BuildReporting or CheckReporting)
// in the working root behind a progress bar labelled task, which is gone
// when it returns.
func buildInWorkingRoot[T any](c *cli.Context, task string, build func(root string, report func(done, total int)) (T, error)) (root string, out T, err error) {
	if err = noArgs(c); err != nil {
		return "", out, err
	}
	if root, err = workingRoot(c); err != nil {
		return "", out, err
	}
	bars := newProgress(c)
	defer bars.Finish()
	out, err = build(root, bars.Callback(task))
	return root, out, err
}

func collectionBuild(c *cli.Context) error {
	root, out, err := buildInWorkingRoot(c, "building the collections", ship.BuildReporting)
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
	_, probs, err := buildInWorkingRoot(c, "rebuilding the collections", ship.CheckReporting)
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
