package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"

	"github.com/urfave/cli/v2"

	"github.com/ntcir-pmr/mreval/eval/expect"
	"github.com/ntcir-pmr/mreval/eval/fsutil"
	"github.com/ntcir-pmr/mreval/eval/measure"
	"github.com/ntcir-pmr/mreval/eval/report"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
)

// expectFlags are eval's reproducibility check (docs/ci.md).
func expectFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "expect", Usage: "compare with the scores in this file (what --format json wrote) instead of printing them; exit 1 on drift"},
		&cli.StringSliceFlag{Name: "tolerance", Usage: "with --expect: largest accepted |got − expected|, e.g. 1e-6 or 1e-9,tauw=1e-4 (default 1e-9)"},
		&cli.BoolFlag{Name: "expect-update", Usage: "with --expect: rewrite the file with the current scores, listing what changed"},
	}
}

// expectation is a parsed --expect file and what eval must compute for it.
type expectation struct {
	file     *expect.File
	perTopic bool
}

// readExpect reads --expect (nil without it). When -m is not given, *specs
// becomes the file's measures, so that the check needs no more flags than
// the command that wrote the file.
func readExpect(c *cli.Context, specs *[]string) (*expectation, error) {
	path := c.String("expect")
	if path == "" {
		for _, f := range []string{"tolerance", "expect-update"} {
			if c.IsSet(f) {
				return nil, usagef("--%s needs --expect FILE", f)
			}
		}
		return nil, nil
	}
	switch {
	case c.IsSet("format"):
		return nil, usagef("--format has no effect with --expect (it prints a drift report)")
	case c.Bool("expect-update") && c.IsSet("tolerance"):
		return nil, usagef("--tolerance has no effect with --expect-update (the file records the exact scores)")
	case c.Bool("expect-update") && path == "-":
		return nil, usagef("--expect-update needs a file, not standard input")
	case path == "-" && contains(c.Args().Slice(), "-"):
		return nil, usagef("--expect - and a run on standard input cannot both read it")
	}
	if c.Bool("expect-update") {
		st, err := os.Lstat(path)
		if err == nil && st.Mode()&os.ModeSymlink != 0 {
			return nil, usagef("--expect-update: %s is a symbolic link; give the file it points to (the update replaces the file it is given)", path)
		}
	}
	f, err := expect.Read(path, trecfmt.Limits{})
	if err != nil {
		return nil, err
	}
	if len(*specs) == 0 {
		names := f.Measures()
		if len(names) == 0 {
			return nil, fmt.Errorf("%s holds no values to compare", f.Name)
		}
		if _, err := measure.ParseAll(names); err != nil {
			return nil, fmt.Errorf("%s: %v (give -m to choose the measures)", f.Name, err)
		}
		*specs = names
	}
	return &expectation{file: f, perTopic: c.Bool("q") || f.HasPerTopic()}, nil
}

// check compares the results with the file, or with --expect-update
// rewrites it.
func (e *expectation) check(c *cli.Context, results []*measure.Result) error {
	got := expect.FromResults(results, e.perTopic)
	out := c.App.Writer
	if c.Bool("expect-update") {
		return e.update(out, results, got)
	}
	tol, err := expect.ParseTolerance(c.StringSlice("tolerance"))
	if err != nil {
		return usageError{err}
	}
	measures := e.file.Measures()
	for _, s := range got {
		for _, m := range s.Measures {
			if !slices.Contains(measures, m) {
				measures = append(measures, m)
			}
		}
	}
	if err := tol.CheckNames(measures); err != nil {
		return usageError{err}
	}
	rep, err := expect.Compare(e.file.Runs, got, tol)
	if err != nil {
		return err
	}
	if len(rep.Drifts) == 0 {
		fmt.Fprintf(out, "%d values checked against %s: all within tolerance (largest |delta| %s)\n",
			rep.Checked, e.file.Name, strconv.FormatFloat(rep.MaxDelta, 'g', 3, 64))
		return nil
	}
	if err := expect.WriteDrift(out, rep.Drifts); err != nil {
		return err
	}
	noteRuns(c.App.ErrWriter, e.file.Name, rep)
	return fmt.Errorf("%d of %d values drifted beyond tolerance from %s", len(rep.Drifts), rep.Checked, e.file.Name)
}

// update rewrites the file when any value differs, keeping its mode; it
// lists every changed value, since the new file replaces them all.
func (e *expectation) update(out io.Writer, results []*measure.Result, got []*expect.Scores) error {
	rep, err := expect.Compare(e.file.Runs, got, expect.Tolerance{})
	if err != nil {
		return err
	}
	if len(rep.Drifts) == 0 {
		fmt.Fprintf(out, "%s is up to date: %d values checked, none changed\n", e.file.Name, rep.Checked)
		return nil
	}
	st, err := os.Stat(e.file.Name)
	if err != nil {
		return err
	}
	if err := expect.WriteDrift(out, rep.Drifts); err != nil {
		return err
	}
	err = fsutil.WriteFile(e.file.Name, st.Mode().Perm(), func(w io.Writer) error {
		return report.WriteJSON(w, results, report.EvalOptions{PerTopic: e.perTopic})
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "updated %s: %d of %d values changed\n", e.file.Name, len(rep.Drifts), rep.Checked)
	return nil
}

// noteRuns names the runs found on one side only, whose every value is a
// row of the drift table: a wrong file or a renamed run tag is then
// obvious at once.
func noteRuns(w io.Writer, file string, rep *expect.Report) {
	for _, tag := range rep.OnlyExpected {
		fmt.Fprintf(w, "mreval: note: run %q of %s was not scored (no run given has that tag)\n", tag, file)
	}
	for _, tag := range rep.OnlyGot {
		fmt.Fprintf(w, "mreval: note: run %q is not in %s\n", tag, file)
	}
}
