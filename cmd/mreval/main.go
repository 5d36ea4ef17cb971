// Command mreval scores, validates and ranks submissions to the NTCIR
// Pre-trained Model Retrieval task. This package holds flags and wiring only;
// all logic lives in the eval and baselines packages.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"runtime/debug"
	"sort"
	"strings"
	"sync"

	"github.com/urfave/cli/v2"

	"github.com/ntcir-pmr/mreval/internal/suggest"
)

// commands is filled by the init functions of the subcommand files, so that
// adding a subcommand touches one file only.
var commands []*cli.Command

func register(c *cli.Command) { commands = append(commands, c) }

func newApp(stdout, stderr io.Writer) *cli.App {
	cmds := append([]*cli.Command(nil), commands...)
	sort.Slice(cmds, func(i, j int) bool { return cmds[i].Name < cmds[j].Name })
	setUsageErrors(cmds)
	return &cli.App{
		Name:                 "mreval",
		Usage:                "evaluation kit of the NTCIR Pre-trained Model Retrieval task",
		Commands:             cmds,
		Writer:               stdout,
		ErrWriter:            stderr,
		EnableBashCompletion: true,
		// cli's own version flag prints "mreval version X" through a
		// package-level printer; ours prints the same line as `mreval version`.
		HideVersion: true,
		Flags: []cli.Flag{&cli.BoolFlag{
			Name: "version", Usage: "print the module version and source revision (as `mreval version`)",
		}},
		Action: func(c *cli.Context) error {
			if c.Bool("version") {
				_, err := fmt.Fprintln(c.App.Writer, versionLine(debug.ReadBuildInfo()))
				return err
			}
			if c.Args().Present() { // run's checkCommandPath reports these first
				return unknownCommand(c.Args().First(), c.App.Commands, "")
			}
			return cli.ShowAppHelp(c)
		},
		// -m ndcg_cut.5,10 is one measure with two cutoffs, as in trec_eval.
		DisableSliceFlagSeparator: true,
		// Errors are printed once, by run, with the exit code they carry.
		ExitErrHandler: func(*cli.Context, error) {},
		OnUsageError: func(c *cli.Context, err error, _ bool) error {
			return usageError{err}
		},
	}
}

// setUsageErrors makes a bad flag of any (sub)command a short message and
// exit status 2, rather than a page of help on stdout.
func setUsageErrors(cmds []*cli.Command) {
	for _, c := range cmds {
		if c.OnUsageError == nil {
			c.OnUsageError = func(_ *cli.Context, err error, _ bool) error {
				return usageError{fmt.Errorf("%v%s (see 'mreval help %s')", err, flagSuggestion(err, c.Flags), c.FullName())}
			}
		}
		setUsageErrors(c.Subcommands)
	}
}

// undefinedFlag finds the flag name in the flag package's error for a flag
// the command does not define.
var undefinedFlag = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^flag provided but not defined: -+(\S+)$`) })

// flagSuggestion is "; did you mean --qrels?" for a mistyped flag name close
// to one the command defines, or "".
func flagSuggestion(err error, flags []cli.Flag) string {
	m := undefinedFlag().FindStringSubmatch(err.Error())
	if m == nil {
		return ""
	}
	var names []string
	for _, f := range flags {
		names = append(names, f.Names()...)
	}
	names = append(names, "help")
	close := suggest.Closest(m[1], names, 3)
	if len(close) == 0 {
		return ""
	}
	for i, n := range close {
		close[i] = dashes(n) + n
	}
	return "; did you mean " + strings.Join(close, " or ") + "?"
}

// dashes is how the help text spells a flag: -o, --output.
func dashes(name string) string {
	if len(name) == 1 {
		return "-"
	}
	return "--"
}

// flagInError finds a flag name in the flag package's messages, which always
// spell it with one dash ("flag provided but not defined: -qrels").
var flagInError = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(not defined: |needs an argument: |for flag |value "[^"]*" for )-([^\s:;=]+)`)
})

// echoFlagsAsTyped respells the flag an error names the way the user typed
// it (--qrels stays --qrels), so the message matches the command line.
func echoFlagsAsTyped(msg string, args []string) string {
	re := flagInError()
	return re.ReplaceAllStringFunc(msg, func(m string) string {
		sub := re.FindStringSubmatch(m)
		name := sub[2]
		for _, a := range args {
			if a == "--" {
				break
			}
			bare := strings.TrimLeft(a, "-")
			if before, _, _ := strings.Cut(bare, "="); before == name && len(a) > len(bare) {
				return sub[1] + a[:len(a)-len(bare)] + name
			}
		}
		return m
	})
}

// checkCommandPath reports a command name that names no command: `mreval
// leaderbord` or `mreval baseline estimat` or `mreval help evl`. It walks the
// command path as cli does and stops at the first flag, or at a command that
// takes arguments of its own.
func checkCommandPath(args []string, cmds []*cli.Command) error {
	parent := ""
	for i := 0; i < len(args); i++ {
		name := args[i]
		if strings.HasPrefix(name, "-") {
			return nil
		}
		if parent == "" && (name == "help" || name == "h") {
			if i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") && findCommand(cmds, args[i+1]) == nil {
				return unknownCommand(args[i+1], cmds, "")
			}
			return nil
		}
		cmd := findCommand(cmds, name)
		if cmd == nil {
			return unknownCommand(name, cmds, parent)
		}
		if len(cmd.Subcommands) == 0 || cmd.Action != nil {
			return nil
		}
		parent = strings.TrimSpace(parent + " " + name)
		cmds = cmd.Subcommands
	}
	return nil
}

// unknownCommand is the usage error for a command name that names nothing,
// with the nearest names when there are any.
func unknownCommand(name string, cmds []*cli.Command, parent string) error {
	var names []string
	for _, c := range cmds {
		if !c.Hidden {
			names = append(names, c.Name)
		}
	}
	if parent == "" {
		names = append(names, "help")
	}
	full := strings.TrimSpace("mreval " + parent)
	msg := fmt.Sprintf("unknown command %q for '%s'", name, full)
	if close := suggest.Closest(name, names, 3); len(close) > 0 {
		msg += "; did you mean " + suggest.Phrase(close) + "?"
	}
	return usageError{fmt.Errorf("%s (see '%s --help')", msg, full)}
}

// usageError marks a bad invocation (exit status 2), as opposed to bad input
// data or a failed check (exit status 1).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// usagef builds a usageError.
func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// exitCoder lets a command choose its exit status (validate: 1 = invalid run).
type exitCoder interface{ ExitCode() int }

// run executes the CLI and returns the process exit status. It never panics:
// a panic inside a command is reported as an internal error.
func run(args []string, stdout, stderr io.Writer) (status int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "mreval: internal error: %v\n(please report this with the command line and input files)\n", r)
			status = 3
		}
	}()
	if trecArgs, ok := trecEvalArgs(args); ok {
		return trecEvalMain(trecArgs, stdout, stderr)
	}
	app := newApp(stdout, stderr)
	if len(args) > 1 {
		if err := checkCommandPath(args[1:], app.Commands); err != nil {
			fmt.Fprintf(stderr, "mreval: %v\n", err)
			return 2
		}
	}
	err := app.Run(permuteArgs(args, app.Commands))
	if err == nil {
		return 0
	}
	var ec exitCoder
	var ue usageError
	switch {
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "mreval: %s\n", echoFlagsAsTyped(err.Error(), args))
		return 2
	case errors.As(err, &ec):
		if msg := err.Error(); msg != "" {
			fmt.Fprintf(stderr, "mreval: %s\n", msg)
		}
		return ec.ExitCode()
	default:
		fmt.Fprintf(stderr, "mreval: %v\n", err)
		return 1
	}
}

func main() { os.Exit(run(os.Args, os.Stdout, os.Stderr)) }
