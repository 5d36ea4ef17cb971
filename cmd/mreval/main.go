// Command mreval scores, validates and ranks submissions to the NTCIR
// Pre-trained Model Retrieval task. This package holds flags and wiring only;
// all logic lives in the eval and baselines packages.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/urfave/cli/v2"
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
				return usageError{fmt.Errorf("%v (see 'mreval help %s')", err, c.FullName())}
			}
		}
		setUsageErrors(c.Subcommands)
	}
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
	err := app.Run(permuteArgs(args, app.Commands))
	if err == nil {
		return 0
	}
	var ec exitCoder
	var ue usageError
	switch {
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "mreval: %v\n", err)
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
