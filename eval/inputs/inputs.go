// Package inputs assembles what an evaluation reads, as the subcommands of
// mreval name it: the qrels (a file or a shipped collection), the topics
// to evaluate on (a list, a split, the collection's test topics), the runs
// (files, a directory, a submission store or the collection's reference
// runs), the models table of a constraint and the seed runs of the noise
// ceilings. It is to mreval what x/perf's benchproc is to benchstat: the
// subcommands hold flags and output, this package the reading and
// checking in between. Its error messages name the flags, since they are
// what a user changes.
package inputs

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/collection"
	"github.com/ntcir-pmr/mreval/eval/measure"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/ntcir-pmr/mreval/eval/validate"
	"github.com/ntcir-pmr/mreval/internal/safetext"
)

// UsageError marks inputs named wrongly (an unknown collection, flags
// that do not go together), as opposed to inputs whose content is bad.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

func usagef(format string, args ...any) error {
	return &UsageError{fmt.Errorf(format, args...)}
}

// IsUsage reports whether err, or an error it wraps, is a UsageError.
func IsUsage(err error) bool {
	var ue *UsageError
	return errors.As(err, &ue)
}

// Collection looks up a shipped collection; an unknown name is a
// UsageError.
func Collection(name string) (*collection.Collection, error) {
	coll, err := collection.Lookup(name)
	if err != nil {
		return nil, &UsageError{err}
	}
	return coll, nil
}

// Spec names the qrels and topics of an evaluation.
type Spec struct {
	// Collection is a shipped collection whose qrels are used, unless
	// QrelsFile is given.
	Collection string
	QrelsFile  string
	// TopicsFile lists the topics to evaluate on (one per line, or a
	// Subtask B topics table).
	TopicsFile string
	// Split is "train" or "test": the topics of that split of Collection.
	Split string
	// TestTopics makes the collection's test topics the default when
	// neither TopicsFile nor Split is given (leaderboard, noise); without
	// it every judged topic is evaluated (eval).
	TestTopics bool
	// BaseNames makes reports name the files of this disk (QrelsFile,
	// TopicsFile, run files) by their base names: a board to publish names
	// no path of the machine that made it. Collection and store files are
	// named by their place in the collection or store anyway.
	BaseNames bool
	Limits    trecfmt.Limits
}

// shown is how reports name path, a file of this disk (Spec.BaseNames).
func shown(path string, baseNames bool) string {
	if baseNames && path != "" {
		return filepath.Base(path)
	}
	return path
}

// Judgments are the qrels of an evaluation, restricted to its topics.
type Judgments struct {
	Qrels *eval.Qrels
	// QrelsName is the qrels as reports name them: the path given, or the
	// collection's qrels file relative to its root.
	QrelsName string
	// Collection is the shipped collection the qrels come from (nil for a
	// qrels file).
	Collection *collection.Collection
	// GradingScale is measure.GradingScale of the qrels before the
	// restriction, so that a measure's grading does not depend on which
	// topics are evaluated.
	GradingScale float64
	// Topics are the evaluation topics, nil for every judged topic.
	Topics []string
	// TopicsFrom says where Topics come from ("" when nil).
	TopicsFrom string
	Limits     trecfmt.Limits

	baseNames bool // Spec.BaseNames, for the runs read later
}

// CollectionName is the name of the collection, "" for a qrels file.
func (j *Judgments) CollectionName() string {
	if j.Collection == nil {
		return ""
	}
	return j.Collection.Name
}

// Load reads the qrels named by spec and restricts them to its topics.
func Load(spec Spec) (*Judgments, error) {
	j := &Judgments{Limits: spec.Limits, baseNames: spec.BaseNames}
	switch {
	case spec.QrelsFile != "" && spec.Collection != "":
		return nil, usagef("give either --collection or --qrels, not both")
	case spec.QrelsFile != "":
		if spec.Split != "" {
			return nil, usagef("--split needs --collection")
		}
		q, err := trecfmt.ReadQrelsFile(spec.QrelsFile, spec.Limits)
		if err != nil {
			return nil, err
		}
		j.Qrels, j.QrelsName = q, shown(spec.QrelsFile, spec.BaseNames)
	case spec.Collection != "":
		coll, err := Collection(spec.Collection)
		if err != nil {
			return nil, err
		}
		q, err := coll.Qrels()
		if err != nil {
			return nil, err
		}
		j.Qrels, j.QrelsName, j.Collection = q, coll.QrelsFile, coll
	default:
		return nil, usagef("give the qrels: a file or --collection NAME")
	}
	j.GradingScale = measure.GradingScale(j.Qrels)
	topics, from, err := j.topics(spec)
	if err != nil || topics == nil {
		return j, err
	}
	if err := Restrict(j.Qrels, topics, from); err != nil {
		return nil, err
	}
	j.Topics, j.TopicsFrom = topics, from
	return j, nil
}

// topics resolves the topic list of spec and where it comes from; nil
// for every judged topic.
func (j *Judgments) topics(spec Spec) ([]string, string, error) {
	coll := j.Collection
	switch {
	case spec.TopicsFile != "": // before --split, which it overrides
		topics, err := ReadTopics(spec.TopicsFile, spec.Limits)
		return topics, shown(spec.TopicsFile, spec.BaseNames), err
	case spec.Split != "":
		var topics []string
		var err error
		switch spec.Split {
		case "train":
			topics, err = coll.TrainTopics()
		case "test":
			topics, err = coll.TestTopics()
		default:
			return nil, "", usagef("--split must be train or test, not %q", spec.Split)
		}
		if err != nil {
			return nil, "", err
		}
		if topics == nil {
			return nil, "", usagef("collection %s has no train/test split", coll.Name)
		}
		return topics, coll.Name + " " + spec.Split + " split", nil
	case spec.TestTopics && coll != nil:
		topics, err := coll.TestTopics()
		return topics, coll.TestTopicsFile, err
	}
	return nil, "", nil
}

// ReadTopics reads a topic list: one topic per line, or the topic_id
// column of a Subtask B topics table. An empty list is an error, not "no
// restriction": it would evaluate nothing.
func ReadTopics(path string, lim trecfmt.Limits) ([]string, error) {
	topics, err := validate.ReadRuleList(path, lim)
	if err != nil {
		return nil, err
	}
	if len(topics) == 0 {
		return nil, fmt.Errorf("%s: no topics listed (the file is empty)", safetext.Name(path))
	}
	return topics, nil
}

// Restrict keeps only the listed topics in q, and fails, naming each of
// them, when some listed topic has no judgments in q: evaluating on a
// topic nobody judged is a mistake in the list, not a zero. from names
// the list in the message.
func Restrict(q *eval.Qrels, topics []string, from string) error {
	if missing := trecfmt.RestrictTopics(topics, q); len(missing) > 0 {
		return fmt.Errorf("%s: %d listed topics have no judgments in %s: %s", safetext.Name(from), len(missing), safetext.Name(q.File), safetext.List(missing, 10))
	}
	return nil
}

// ReadRun reads a run file and restricts it to the evaluation topics.
func (j *Judgments) ReadRun(path string) (*eval.Run, error) {
	run, err := trecfmt.ReadRunFile(path, j.Limits)
	if err != nil {
		return nil, err
	}
	j.restrictRun(run)
	return run, nil
}

func (j *Judgments) restrictRun(run *eval.Run) {
	if j.Topics != nil {
		trecfmt.RestrictTopics(j.Topics, nil, run)
	}
}
