package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ntcir-pmr/mreval/eval/fsutil"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/ntcir-pmr/mreval/internal/safetext"
)

// Every command that writes a file names it with -o/--output; the rule is
// the same everywhere (docs/formats.md, "Output files"):
//
//   - "-" is standard output (for commands whose output is text: a run, a
//     board, scores); commands that write a directory refuse it.
//   - A file is written atomically: a temporary file in the same directory,
//     fsynced and renamed over the name, so a reader sees the old file or the
//     complete new one and a failed command leaves the old file as it was.
//   - An existing regular file is replaced: naming it is asking for it, and
//     re-running a command must be able to refresh its output. What is
//     refused is what cannot have been meant: a name that is a directory, a
//     symbolic link or another non-regular file, and a file that is one of
//     the command's own inputs (`fuse -o a.run a.run b.run`).
//
// --out is the flag's old name, kept hidden so that scripts keep working.

const stdoutName = "-"

// outputFlag is the -o/--output flag; usage says what is written. Give
// oldOutputFlag() beside it.
func outputFlag(usage string) cli.Flag {
	return &cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: usage}
}

// oldOutputFlag is --out, the hidden old name of -o/--output.
func oldOutputFlag() cli.Flag {
	return &cli.StringFlag{Name: "out", Hidden: true, Usage: "old name of --output"}
}

// outputName is the file named with -o/--output (or --out), "" when none.
// A name writeOutput would refuse is refused here already, before the work.
func outputName(c *cli.Context) (string, error) {
	o, err := givenOutput(c)
	if err == nil && o != "" && o != stdoutName {
		err = checkOutputTarget(o, nil)
	}
	return o, err
}

// givenOutput is the name given with -o/--output or --out, unchecked.
func givenOutput(c *cli.Context) (string, error) {
	o, old := c.String("output"), c.String("out")
	switch {
	case old != "" && !c.IsSet("output"): // over a default -o
		o = old
	case o != "" && old != "" && o != old:
		return "", usagef("--out is the old name of -o/--output: give one of them, not both")
	case o == "":
		o = old
	}
	return o, nil
}

// requireOutput is outputName for commands that must be told where to
// write.
func requireOutput(c *cli.Context) (string, error) {
	name, err := outputName(c)
	if err == nil && name == "" {
		err = usagef("%s needs -o/--output FILE (\"-\" = standard output)", commandPath(c))
	}
	return name, err
}

// requireFileOutput is requireOutput for commands whose output cannot go
// to standard output; why says why.
func requireFileOutput(c *cli.Context, why string) (string, error) {
	name, err := outputName(c)
	switch {
	case err != nil:
		return "", err
	case name == "":
		return "", usagef("%s needs -o/--output FILE", commandPath(c))
	case name == stdoutName:
		return "", usagef("%s cannot write to standard output (-o -): %s", commandPath(c), why)
	}
	return name, nil
}

// requireOutputDir is requireOutput for commands that write a directory:
// a name that exists must be a directory, not a symbolic link (the files
// are written inside it, and a link would send them elsewhere).
func requireOutputDir(c *cli.Context) (string, error) {
	name, err := givenOutput(c)
	switch {
	case err != nil:
		return "", err
	case name == "":
		return "", usagef("%s needs -o/--output DIR", commandPath(c))
	case name == stdoutName:
		return "", usagef("%s writes a directory: -o/--output cannot be \"-\" (standard output)", commandPath(c))
	}
	st, err := os.Lstat(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return name, nil
	case err != nil:
		return "", fmt.Errorf("output %s: %w", safetext.Name(name), err)
	case st.Mode()&fs.ModeSymlink != 0:
		return "", usagef("output %s is a symbolic link: name the directory itself (mreval does not write through links)", safetext.Name(name))
	case !st.IsDir():
		return "", usagef("output %s exists and is not a directory", safetext.Name(name))
	}
	return name, nil
}

// commandPath is the command as typed without flags: "baseline tag-match".
func commandPath(c *cli.Context) string {
	var names []string
	for _, ctx := range c.Lineage() {
		if ctx.Command != nil && ctx.Command.Name != "" {
			names = append(names, ctx.Command.Name)
		}
	}
	if n := len(names); n > 0 && names[n-1] == c.App.Name { // the root command
		names = names[:n-1]
	}
	slices.Reverse(names)
	return strings.Join(names, " ")
}

// runTagFromOutput is the run tag of a command that writes a run: --tag,
// or the stem of the output file's name. Standard output has no name, so
// with -o - the tag must be given.
func runTagFromOutput(c *cli.Context, out string) (string, error) {
	if tag := c.String("tag"); tag != "" {
		return tag, nil
	}
	if out == stdoutName {
		return "", usagef("with -o - (standard output) give the run tag with --tag: by default it is the output file's name without its extension")
	}
	return runStem(out), nil
}

// distinctOutputs refuses two outputs of one command that are the same
// file: the second would replace the first.
func distinctOutputs(names ...string) error {
	for i, a := range names {
		for _, b := range names[:i] {
			if a == "" || b == "" {
				continue
			}
			if a == stdoutName && b == stdoutName {
				return usagef("only one output can be standard output (-)")
			}
			if a == stdoutName || b == stdoutName {
				continue
			}
			same := filepath.Clean(a) == filepath.Clean(b)
			if sa, err := os.Stat(a); err == nil {
				if sb, err := os.Stat(b); err == nil {
					same = same || os.SameFile(sa, sb)
				}
			}
			if same {
				return usagef("outputs %s and %s are the same file", safetext.Name(b), safetext.Name(a))
			}
		}
	}
	return nil
}

// writeOutput writes fill's output to name: standard output for "" or "-",
// otherwise the file, by the rule above. inputs are the command's input
// files, which the output must not be. It returns the name written ("" for
// standard output), for the command's closing line.
func writeOutput(c *cli.Context, name string, fill func(w io.Writer) error, inputs ...string) (string, error) {
	if name == "" || name == stdoutName {
		return "", fill(c.App.Writer)
	}
	if err := checkOutputTarget(name, inputs); err != nil {
		return "", err
	}
	return name, fsutil.WriteFile(name, 0o644, fill)
}

// checkOutputTarget refuses an output name that cannot have been meant.
func checkOutputTarget(name string, inputs []string) error {
	st, err := os.Lstat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("output %s: %w", safetext.Name(name), err)
	}
	switch {
	case st.Mode()&fs.ModeSymlink != 0:
		return usagef("output %s is a symbolic link: name the file itself (mreval does not write through links)", safetext.Name(name))
	case st.IsDir():
		return usagef("output %s is a directory: name a file", safetext.Name(name))
	case !st.Mode().IsRegular():
		return usagef("output %s is not a regular file", safetext.Name(name))
	}
	for _, in := range inputs {
		if in == stdoutName {
			continue
		}
		if ist, err := os.Stat(in); err == nil && os.SameFile(st, ist) {
			return usagef("output %s is also an input of this command: writing it would destroy the input", safetext.Name(name))
		}
	}
	return nil
}

// wrote is the closing line of a command that wrote a file: on standard
// error, so that standard output stays the data.
func wrote(c *cli.Context, name, what string) {
	if name != "" {
		fmt.Fprintf(c.App.ErrWriter, "mreval: wrote %s to %s\n", what, safetext.Name(name))
	}
}

// qrelsFirstArg reports whether the first of args is a qrels file rather
// than a run, so that `leaderboard QRELS RUN...` works as `eval QRELS RUN...`
// and trec_eval do. It is not a guess: a qrels line has four fields and a
// run line six, so the first non-blank line decides; a file that cannot be
// read is left for the run reader to report.
func qrelsFirstArg(args []string, lim trecfmt.Limits) bool {
	if len(args) < 2 || args[0] == stdoutName {
		return false
	}
	src, err := trecfmt.Open(args[0], lim)
	if err != nil {
		return false
	}
	defer src.Close()
	sc := trecfmt.NewScanner(src, lim)
	for sc.Scan() {
		if !trecfmt.IsBlank(sc) {
			return len(sc.Fields()) == 4
		}
	}
	return false
}
