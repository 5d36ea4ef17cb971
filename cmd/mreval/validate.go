package main

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/collection"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/ntcir-pmr/mreval/eval/validate"
)

func init() {
	register(&cli.Command{
		Name:      "validate",
		Usage:     "check run files against the task rules before submitting them",
		ArgsUsage: "RUN [RUN...]",
		Description: `Checks each RUN (TREC format; gzip read transparently; "-" = stdin) against
the rules of the task and the collection's pool and topic list, and reports
every problem with file:line:column. Exit status: 0 = every run valid
(warnings allowed), 1 = some run invalid, 2 = usage error (including
unreadable --qrels/--pool/--topics files).

The collection is either --collection NAME (its test topics by default, see
--split) or the two files --pool and --topics (and, optionally, --qrels:
with it, missing models are told apart as judged or not).`,
		Flags: append(validationFlags(),
			&cli.StringFlag{Name: "format", Value: "text", Usage: "report format: text|json"},
		),
		Action: validateAction,
	})
}

// validationFlags are the flags that choose the rules; intake shares them.
func validationFlags() []cli.Flag {
	flags := []cli.Flag{
		&cli.StringFlag{Name: "task", Value: "A", Usage: "subtask: A (every pool model ranked per topic) or B (at most --depth per topic)"},
		&cli.StringFlag{Name: "collection", Usage: "collection to validate against (" + strings.Join(collection.Names(), ", ") + ")"},
		&cli.StringFlag{Name: "split", Value: "test", Usage: "with --collection: topics the run must rank: test|train|all"},
		&cli.StringFlag{Name: "qrels", Usage: "qrels file (optional with --pool and --topics)"},
		&cli.StringFlag{Name: "pool", Usage: "pool file: the documents a run may rank, one per line"},
		&cli.StringFlag{Name: "topics", Usage: "topic list: the topics a run must rank, one per line"},
		&cli.IntFlag{Name: "depth", Value: validate.DefaultDepth, Usage: "Subtask B: most documents per topic"},
		&cli.IntFlag{Name: "max-per-kind", Value: validate.DefaultMaxPerKind, Usage: "problems shown per kind and file (0 = all)"},
		&cli.BoolFlag{Name: "require-sysdesc", Usage: "the first line must be <SYSDESC>description of the system</SYSDESC>"},
		runNameFlag,
	}
	// --max-size (kept as an alias of --max-bytes), --max-line and
	// --max-gzip-ratio are the limit flags of every command, with the
	// stricter defaults of a submission.
	return append(flags, limitFlags(validate.DefaultLimits)...)
}

// rulesFromFlags reads the rules of validationFlags that need no file:
// the limits, --depth and --max-per-kind.
func rulesFromFlags(c *cli.Context) (validate.Rules, error) {
	lim, err := limitsFromFlags(c)
	if err != nil {
		return validate.Rules{}, err
	}
	if c.Int("depth") <= 0 {
		return validate.Rules{}, usagef("--depth must be positive")
	}
	if c.Int("max-per-kind") < 0 {
		return validate.Rules{}, usagef("--max-per-kind must not be negative")
	}
	rules := validate.Rules{Depth: c.Int("depth"), Limits: lim, MaxPerKind: c.Int("max-per-kind")}
	if rules.MaxPerKind == 0 {
		rules.MaxPerKind = -1 // show all
	}
	return rules, nil
}

// validatorFromFlags builds the validator the flags describe. Every
// problem here is a usage error: without rules no run can be judged.
func validatorFromFlags(c *cli.Context) (*validate.Validator, error) {
	task, err := validate.ParseTask(c.String("task"))
	if err != nil {
		return nil, usageError{err}
	}
	rules, err := rulesFromFlags(c)
	if err != nil {
		return nil, err
	}
	rules.Task = task
	files := c.IsSet("qrels") || c.IsSet("pool") || c.IsSet("topics")
	switch name := c.String("collection"); {
	case name != "" && files:
		return nil, usagef("give either --collection or --pool and --topics (and --qrels), not both")
	case name != "":
		if err := loadCollection(name, c.String("split"), &rules, c.App.ErrWriter); err != nil {
			return nil, err
		}
	case files:
		if c.IsSet("split") {
			return nil, usagef("--split goes with --collection; --topics names the topics")
		}
		if err := loadRuleFiles(c.String("qrels"), c.String("pool"), c.String("topics"), rules.Limits, &rules); err != nil {
			return nil, err
		}
	default:
		return nil, usagef("no collection: give --collection NAME, or --pool FILE and --topics FILE (and --qrels FILE)")
	}
	rules.RequireSysdesc = c.Bool("require-sysdesc")
	if rules.RunName, err = runNameFromFlags(c); err != nil {
		return nil, err
	}
	v, err := validate.NewValidator(rules)
	if err != nil {
		return nil, usageError{err}
	}
	return v, nil
}

// loadCollection fills rules from a shipped collection and passes on the
// collection's note (the Subtask B sample says it is synthetic) to stderr.
func loadCollection(name, split string, rules *validate.Rules, stderr io.Writer) error {
	coll, err := collection.Lookup(name)
	if err != nil {
		return usagef("--collection: %v", err)
	}
	if coll.Note != "" {
		fmt.Fprintf(stderr, "mreval: note: collection %s is %s\n", name, coll.Note)
	}
	switch split {
	case "test":
		rules.Topics, err = coll.TestTopics()
	case "train":
		rules.Topics, err = coll.TrainTopics()
		if err == nil && rules.Topics == nil {
			err = fmt.Errorf("collection %s has no train/test split", name)
		}
	case "all":
		var train []string
		if train, err = coll.TrainTopics(); err == nil {
			if rules.Topics, err = coll.TestTopics(); err == nil {
				rules.Topics = append(rules.Topics, train...)
			}
		}
	default:
		return usagef("--split must be test, train or all, not %q", split)
	}
	if err != nil {
		return usagef("--collection %s: %v", name, err)
	}
	if rules.Pool, err = coll.Pool(); err != nil {
		return usagef("--collection %s: %v", name, err)
	}
	if rules.Qrels, err = coll.Qrels(); err != nil {
		return usagef("--collection %s: %v", name, err)
	}
	return nil
}

func loadRuleFiles(qrelsFile, poolFile, topicsFile string, lim trecfmt.Limits, rules *validate.Rules) error {
	if poolFile == "" || topicsFile == "" {
		return usagef("--pool and --topics are both needed without --collection")
	}
	var err error
	if rules.Pool, err = validate.ReadRuleList(poolFile, lim); err != nil {
		return usagef("--pool: %v", err)
	}
	if rules.Topics, err = validate.ReadRuleList(topicsFile, lim); err != nil {
		return usagef("--topics: %v", err)
	}
	for _, list := range []struct {
		flag, file string
		ids        []string
	}{{"--pool", poolFile, rules.Pool}, {"--topics", topicsFile, rules.Topics}} {
		if len(list.ids) == 0 {
			return usagef("%s: %s: no identifiers listed (the file is empty)", list.flag, list.file)
		}
	}
	if qrelsFile != "" {
		var q *eval.Qrels
		if q, err = trecfmt.ReadQrelsFile(qrelsFile, lim); err != nil {
			return usagef("--qrels: %v", err)
		}
		rules.Qrels = q
	}
	return nil
}

// parseSize reads a byte count with an optional binary or decimal unit:
// 1048576, 1MiB, 1GiB, 500MB, 2G (= GiB).
func parseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	units := []struct {
		suffix string
		mult   int64
	}{
		{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
		{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
		{"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"T", 1 << 40}, {"B", 1},
	}
	mult := int64(1)
	for _, u := range units {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a positive size (e.g. 1GiB, 500MiB, 1000000)", s)
	}
	if n > math.MaxInt64/mult {
		return 0, fmt.Errorf("%q is too large", s)
	}
	return n * mult, nil
}

// exitStatus ends a command with a status and no further message: the
// command has printed its report already.
type exitStatus int

func (e exitStatus) Error() string { return "" }
func (e exitStatus) ExitCode() int { return int(e) }

func validateAction(c *cli.Context) error {
	format := c.String("format")
	if format != "text" && format != "json" {
		return usagef("--format must be text or json, not %q", format)
	}
	if c.NArg() == 0 {
		return usagef("validate needs at least one RUN file")
	}
	v, err := validatorFromFlags(c)
	if err != nil {
		return err
	}
	var reports []*validate.Report
	valid := 0
	w := c.App.Writer
	for _, path := range c.Args().Slice() {
		rep := v.ValidateFile(path)
		if rep.Valid() {
			valid++
		}
		if format == "text" {
			if err := rep.WriteText(w); err != nil {
				return err
			}
		} else {
			reports = append(reports, rep)
		}
	}
	if format == "json" {
		if err := validate.WriteJSON(w, reports); err != nil {
			return err
		}
	} else if c.NArg() > 1 {
		fmt.Fprintf(w, "%d of %d runs valid\n", valid, c.NArg())
	}
	if valid < c.NArg() {
		return exitStatus(1)
	}
	return nil
}
