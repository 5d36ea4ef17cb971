package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/measure"
	"github.com/ntcir-pmr/mreval/eval/report"
	"github.com/ntcir-pmr/mreval/eval/treceval"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/ntcir-pmr/mreval/internal/workers"
)

const trecEvalDescription = `trec_eval 9.0.8 as a drop-in: the same arguments (getopt syntax, -q -c -n -J
-l N -M N -N N -m MEASURE[.PARAMS], joined forms -mmap -l2 -M10 -qc, long
options), the same default measures (official), the same output bytes and
exit status. Installed under the name trec_eval (a symlink to mreval), the
binary runs this mode directly. Not supported: -D with a debug level, -Z,
and the prefs, qrels_prefs and qrels_jg formats (-R) with their measures.
See docs/measures.md for the measures and the few differences.`

func init() {
	// The mode is dispatched by run before the command line reaches
	// urfave/cli (whose flag parsing is not getopt's); the command is
	// registered so that 'mreval help' lists and explains it.
	register(&cli.Command{
		Name:            "trec_eval",
		Usage:           "trec_eval 9.0.8's command line, output and exit status (drop-in)",
		ArgsUsage:       "[-q] [-c] [-n] [-J] [-l N] [-M N] [-m MEASURE]... QRELS RUN",
		Description:     trecEvalDescription,
		SkipFlagParsing: true,
		Action: func(c *cli.Context) error {
			if status := trecEvalMain(c.Args().Slice(), c.App.Writer, c.App.ErrWriter); status != 0 {
				return exitStatus(status)
			}
			return nil
		},
	})
}

// trecEvalArgs tells whether args (as os.Args) call the trec_eval mode —
// the binary named trec_eval, or `mreval trec_eval` — and returns the
// arguments of trec_eval itself.
func trecEvalArgs(args []string) ([]string, bool) {
	switch {
	case len(args) == 0:
		return nil, false
	case strings.TrimSuffix(filepath.Base(args[0]), ".exe") == "trec_eval":
		return args[1:], true
	case len(args) > 1 && args[1] == "trec_eval":
		return args[2:], true
	}
	return nil, false
}

// trecEvalMain runs trec_eval's command line and returns its exit status.
func trecEvalMain(args []string, stdout, stderr io.Writer) int {
	_, posixlyCorrect := os.LookupEnv("POSIXLY_CORRECT")
	opts, err := treceval.ParseArgs(args, posixlyCorrect)
	if err != nil {
		return trecEvalFail(stderr, err)
	}
	switch {
	case opts.Version:
		fmt.Fprint(stderr, treceval.VersionLine)
		return 0
	case opts.Help:
		fmt.Fprintf(stdout, "mreval trec_eval %s\n\n%s\n\nMeasures (-m NAME or -m NAME.PARAMS; nicknames official, all_trec, set):\n  %s\n",
			"[-q] [-c] [-n] [-J] [-l N] [-M N] [-N N] [-m MEASURE]... QRELS RUN", trecEvalDescription, strings.Join(trecEvalMeasureNames(), " "))
		return 0
	}
	qrels, run, err := trecEvalInputs(opts)
	if err != nil {
		return trecEvalFail(stderr, err)
	}
	ms, unsupported, err := opts.Measures.Measures()
	if err != nil {
		return trecEvalFail(stderr, err)
	}
	if opts.HasDebugQuery {
		trecfmt.RestrictTopics([]string{opts.DebugQuery}, nil, run)
	}
	if !sharesTopic(qrels, run) {
		return trecEvalFail(stderr, &treceval.Error{Status: treceval.StatusNoQuery, Msg: "trec_eval: No queries with both results and relevance info"})
	}
	if err := calcProblem(ms, unsupported); err != nil {
		return trecEvalFail(stderr, err)
	}
	mopts := measure.DefaultOptions()
	mopts.RelevanceLevel = opts.RelevanceLevel
	mopts.LimitRetrieved = opts.LimitRetrieved
	mopts.MaxRetrieved = int(min(opts.MaxRetrieved, math.MaxInt32))
	mopts.JudgedOnly = opts.JudgedOnly
	mopts.NumDocsInColl = opts.NumDocsInColl
	res := measure.Evaluate(qrels, run, measure.Config{Measures: ms, Options: mopts, Complete: opts.Complete})
	// trec_eval prints no warnings; mreval's about nDCG and grading
	// scales concern its own measures.
	if err := report.WriteTrec(stdout, []*measure.Result{res}, report.EvalOptions{PerTopic: opts.PerTopic, NoSummary: opts.NoSummary}); err != nil {
		fmt.Fprintf(stderr, "mreval trec_eval: %v\n", err)
		return treceval.StatusUsage
	}
	return 0
}

// trecEvalInputs reads the qrels and the run in trec_eval's order, with
// its exit statuses: 2 for an unreadable or malformed file or an unknown
// format, 4 for a document ranked twice for a topic.
func trecEvalInputs(opts *treceval.Options) (*eval.Qrels, *eval.Run, error) {
	switch opts.RelFormat {
	case "qrels":
	case "prefs", "qrels_prefs", "qrels_jg":
		return nil, nil, &treceval.Error{Status: treceval.StatusInput, Msg: fmt.Sprintf("mreval trec_eval: -R %s is not supported (only qrels)", opts.RelFormat)}
	default:
		return nil, nil, &treceval.Error{Status: treceval.StatusInput, Msg: fmt.Sprintf("trec_eval: Illegal rel_format '%s'", opts.RelFormat)}
	}
	resultsOK := opts.ResultsFormat == "trec_results"
	var (
		qrels          *eval.Qrels
		run            *eval.Run
		qrelsErr, rErr error
	)
	// Two regular files are read at the same time, on two cores; a pipe or
	// standard input (which both arguments may name) one after the other.
	// The errors keep trec_eval's order either way: the qrels', the
	// results format, the run's.
	parallel := 1
	if resultsOK && isRegularFile(opts.Qrels) && isRegularFile(opts.Run) {
		parallel = 2
	}
	workers.Do(2, parallel, func(_, input int) {
		switch {
		case input == 0:
			qrels, qrelsErr = trecEvalRead(opts.Qrels, trecfmt.ReadQrelsFile)
		case resultsOK && (parallel == 2 || qrelsErr == nil):
			run, rErr = trecEvalRead(opts.Run, trecfmt.ReadRunFile)
		}
	})
	if qrelsErr != nil {
		return nil, nil, qrelsErr
	}
	if !resultsOK {
		return nil, nil, &treceval.Error{Status: treceval.StatusInput, Msg: fmt.Sprintf("trec_eval: Illegal retrieval results format '%s'", opts.ResultsFormat)}
	}
	return qrels, run, rErr
}

func isRegularFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}

// trecEvalRead reads one input file; trec_eval refuses an empty file.
func trecEvalRead[T any](path string, read func(string, trecfmt.Limits) (T, error)) (T, error) {
	var zero T
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() && fi.Size() == 0 {
		return zero, &treceval.Error{Status: treceval.StatusInput, Msg: fmt.Sprintf("mreval trec_eval: %s: empty file\ntrec_eval: Quit in file '%s'", path, path)}
	}
	v, err := read(path, trecfmt.DefaultLimits)
	if err != nil {
		status := treceval.StatusInput
		var te *trecfmt.Error
		if errors.As(err, &te) && te.Code == "duplicate" {
			status = treceval.StatusCalc
		}
		return zero, &treceval.Error{Status: status, Msg: fmt.Sprintf("mreval trec_eval: %v\ntrec_eval: Quit in file '%s'", err, path)}
	}
	return v, nil
}

// sharesTopic tells whether some topic has both judgments and results.
func sharesTopic(q *eval.Qrels, run *eval.Run) bool {
	for _, t := range run.Topics {
		if q.Topic(t) != nil {
			return true
		}
	}
	return false
}

// calcProblem is the error trec_eval meets computing the first topic: a
// measure that needs another qrels format, or utility without four
// coefficients.
func calcProblem(ms []*measure.Measure, unsupported []string) error {
	if len(unsupported) > 0 {
		return &treceval.Error{Status: treceval.StatusCalc, Msg: fmt.Sprintf("mreval trec_eval: %s needs preference or judgment-group qrels (-R prefs, qrels_jg), which mreval does not read\ntrec_eval: Can't calculate measure '%s'", unsupported[0], unsupported[0])}
	}
	for _, m := range ms {
		if m.Family.ParamCount > 0 && len(m.Params) != m.Family.ParamCount {
			return &treceval.Error{Status: treceval.StatusCalc, Msg: fmt.Sprintf("trec_eval.calc_%s: improper number of coefficients\ntrec_eval: Can't calculate measure '%s'", m.Family.Name, m.Family.Name)}
		}
	}
	return nil
}

// trecEvalFail prints err as trec_eval would and returns its status.
func trecEvalFail(stderr io.Writer, err error) int {
	var te *treceval.Error
	if !errors.As(err, &te) {
		fmt.Fprintf(stderr, "mreval trec_eval: %v\n", err)
		return treceval.StatusUsage
	}
	if te.Msg != "" {
		fmt.Fprintln(stderr, te.Msg)
	}
	if te.Usage {
		fmt.Fprint(stderr, treceval.UsageText)
	}
	return te.Status
}

// trecEvalMeasureNames lists trec_eval's measures mreval computes.
func trecEvalMeasureNames() []string {
	var names []string
	for _, f := range measure.Families() {
		if f.Trec && (f.TrecName != "" || f.Name != "ndcg") {
			names = append(names, f.TrecEvalName())
		}
	}
	return names
}
