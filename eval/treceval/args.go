// Package treceval is trec_eval 9.0.8's command line, for `mreval
// trec_eval` and a mreval binary installed as trec_eval: its getopt_long
// syntax, its options, its measure names, nicknames and parameter rules
// (C's atol and atof, the first parameter list of a measure named twice),
// and the exit status of each refusal. It parses; eval/measure scores and
// eval/report prints.
package treceval

import (
	"errors"
	"fmt"
	"strings"
)

// Exit statuses of trec_eval 9.0.8.
const (
	StatusUsage   = 1 // bad option, operand count or measure name
	StatusInput   = 2 // unreadable input file, unknown format, bad measure parameters
	StatusCalc    = 4 // a measure cannot be computed (duplicate documents, ...)
	StatusNoQuery = 7 // no topic has both results and judgments
)

// Options is a parsed trec_eval command line.
type Options struct {
	Help, Version  bool
	PerTopic       bool  // -q
	Complete       bool  // -c
	NoSummary      bool  // -n
	JudgedOnly     bool  // -J
	RelevanceLevel int64 // -l, default 1
	// LimitRetrieved is set by -M, MaxRetrieved its value.
	LimitRetrieved bool
	MaxRetrieved   int64
	NumDocsInColl  int64 // -N
	// DebugQuery is the topic of -D 0.QID, the only one evaluated then
	// (when HasDebugQuery).
	DebugQuery    string
	HasDebugQuery bool
	RelFormat     string // -R, default qrels
	ResultsFormat string // -T, default trec_results
	// Measures holds the measures marked by -m (official without -m).
	Measures *Selection
	// Qrels and Run are the two operands.
	Qrels, Run string
}

// Error is a refusal, with the exit status trec_eval gives it. Msg is
// printed on stderr; Usage adds trec_eval's usage text.
type Error struct {
	Status int
	Msg    string
	Usage  bool
}

func (e *Error) Error() string { return e.Msg }

// UsageText is trec_eval 9.0.8's short usage message, printed on stderr
// after a bad option or operand count.
const UsageText = `Usage: trec_eval [-h] [-q] {-m measure}* trec_rel_file trec_top_file
   -h: Give full help information, including other options
   -q: In addition to summary evaluation, give evaluation for each query
   -m: calculate and print measures indicated by 'measure'
       ('-m all_qrels' prints all qrels measures, '-m official' is default)
`

// VersionLine is what trec_eval 9.0.8 prints on stderr for -v: its
// Makefile still says 9.0.7.
const VersionLine = "trec_eval version 9.0.7\n"

const shortOptions = "hvqm:cl:nD:JN:M:R:T:oZ:"

var longOptions = []longOption{
	{"help", false, 'h'},
	{"version", false, 'v'},
	{"query_eval_wanted", false, 'q'},
	{"measure", true, 'm'},
	{"complete_rel_info_wanted", false, 'c'},
	{"level_for_rel", true, 'l'},
	{"nosummary", false, 'n'},
	{"Debug_level", true, 'D'},
	{"Judged_docs_only", false, 'J'},
	{"Number_docs_in_coll", true, 'N'},
	{"Max_retrieved_per_topic", true, 'M'},
	{"Rel_info_format", true, 'R'},
	{"Results_format", true, 'T'},
	{"Output_old_results_format", true, 'o'},
	{"Zscore", true, 'Z'},
}

// errVersion stops the scan at -v, as trec_eval exits there.
var errVersion = errors.New("version")

// ParseArgs parses trec_eval's arguments (without the program name) in
// trec_eval's order: an option that ends trec_eval (-v, a bad option, an
// unknown measure) ends the parse where it stands, so `-v -x` prints the
// version and `-x -v` is a usage error. posixlyCorrect is whether the
// POSIXLY_CORRECT environment variable is set (options then end at the
// first operand, as with glibc).
func ParseArgs(args []string, posixlyCorrect bool) (*Options, error) {
	o := &Options{RelevanceLevel: 1, RelFormat: "qrels", ResultsFormat: "trec_results", Measures: &Selection{}}
	operands, err := getopt(args, shortOptions, longOptions, posixlyCorrect, func(op opt) error { return o.set(op) })
	var ge *getoptError
	switch {
	case errors.Is(err, errVersion):
		o.Version = true
		return o, nil
	case errors.As(err, &ge):
		return nil, &Error{Status: StatusUsage, Msg: "trec_eval: " + ge.msg, Usage: true}
	case err != nil:
		return nil, err
	}
	if o.Help {
		return o, nil
	}
	if len(operands) != 2 {
		return nil, &Error{Status: StatusUsage, Usage: true}
	}
	o.Qrels, o.Run = operands[0], operands[1]
	if len(o.Measures.marked) == 0 {
		if err := o.Measures.Mark("official"); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// set applies one option.
func (o *Options) set(op opt) error {
	switch op.short {
	case 'h':
		o.Help = true
	case 'v':
		return errVersion
	case 'q':
		o.PerTopic = true
	case 'm':
		return o.Measures.Mark(op.arg)
	case 'c':
		o.Complete = true
	case 'l':
		o.RelevanceLevel = atol(op.arg)
	case 'n':
		o.NoSummary = true
	case 'J':
		o.JudgedOnly = true
	case 'N':
		o.NumDocsInColl = atol(op.arg)
	case 'M':
		o.LimitRetrieved, o.MaxRetrieved = true, atol(op.arg)
		if o.MaxRetrieved < 0 {
			// trec_eval 9.0.8 crashes on a negative -M (it sorts a
			// negative number of documents).
			return &Error{Status: StatusUsage, Msg: fmt.Sprintf("mreval trec_eval: %s %s: the number of documents per topic must not be negative", op.text, op.arg)}
		}
	case 'D':
		level, query, hasQuery := strings.Cut(op.arg, ".")
		if atol(level) != 0 {
			return &Error{Status: StatusUsage, Msg: fmt.Sprintf("mreval trec_eval: %s %s: debug output is not supported (only -D 0.QID, which evaluates topic QID alone)", op.text, op.arg)}
		}
		o.DebugQuery, o.HasDebugQuery = query, hasQuery
	case 'R':
		o.RelFormat = op.arg
	case 'T':
		o.ResultsFormat = op.arg
	case 'o':
		// Obsolete in trec_eval 9.0.8: accepted and without effect.
	case 'Z':
		return &Error{Status: StatusUsage, Msg: fmt.Sprintf("mreval trec_eval: %s: z-scores are not supported", op.text)}
	}
	return nil
}
