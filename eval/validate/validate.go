// Package validate checks a participant's run file against the rules of the
// NTCIR Pre-trained Model Retrieval task before it is submitted or accepted:
// line syntax (through eval/trecfmt, the parser every other part of mreval
// uses), the collection's pool and topic list, the whole-file rules of each
// subtask, and the encoding and size limits that keep a hostile file from
// exhausting memory.
//
// Every problem is reported in one pass, with file, line and column, as an
// error (the run is invalid) or a warning (the run is accepted as is, but
// something in it is probably not what the participant meant). Memory is
// bounded by the collection (16 bytes per pool document per topic of the
// list that the run names), never by the length of the run.
package validate

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sync"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
)

// Task is a subtask of the PMR task.
type Task string

const (
	// TaskA ranks every model of the pool for each target task; τw and
	// regret need the full ranking.
	TaskA Task = "A"
	// TaskB ranks at most Depth documents per topic.
	TaskB Task = "B"
)

// ParseTask reads "A" or "B" (case-insensitive).
func ParseTask(s string) (Task, error) {
	switch s {
	case "A", "a":
		return TaskA, nil
	case "B", "b":
		return TaskB, nil
	}
	return "", fmt.Errorf("unknown task %q (want A or B)", s)
}

// DefaultLimits are the validator's input limits: trecfmt.DefaultLimits
// with lines up to 4 KiB and files up to 1 GiB (decompressed), since a
// submission is a run of the task, not any TREC file. Real run files
// compress about 5–15 times; a decompression bomb about 1000 times.
var DefaultLimits = func() trecfmt.Limits {
	lim := trecfmt.DefaultLimits
	lim.MaxLine, lim.MaxBytes = 4<<10, 1<<30
	return lim
}()

const (
	// DefaultDepth is the Subtask B limit of documents per topic.
	DefaultDepth = 100
	// DefaultMaxPerKind is how many problems of one kind a report shows.
	DefaultMaxPerKind = 20
)

// Rules configure a Validator.
type Rules struct {
	Task Task
	// Pool lists the documents (model IDs) a run may rank.
	Pool []string
	// Topics lists the topics a run must rank, and the only ones it may.
	Topics []string
	// Qrels, when known, tells which missing documents are judged, so the
	// report can say how the run would be scored; it may be nil (test
	// judgments are not published to participants).
	Qrels *eval.Qrels
	// Depth is the Subtask B limit per topic; 0 means DefaultDepth.
	Depth int
	// Limits bound the input; a zero field takes its DefaultLimits value.
	Limits trecfmt.Limits
	// MaxPerKind caps the problems of one code shown per file (the rest
	// are counted); 0 means DefaultMaxPerKind, negative means no cap.
	MaxPerKind int
	// RequireSysdesc makes the <SYSDESC> first line (trecfmt.ParseSysdesc)
	// mandatory, with a description that is not empty. Without it the
	// line is optional; a malformed or misplaced one is an error either way.
	RequireSysdesc bool
	// RunName, when set, is the naming convention the run tag must follow;
	// the report then holds what the name says (Report.Name).
	RunName *NamePattern
}

// Validator checks run files against one set of Rules. It is safe for
// concurrent use: each call keeps its state to itself.
type Validator struct {
	rules    Rules
	pool     []string // sorted in byte order, so index order is docno order
	docIdx   map[string]uint32
	topics   []string // sorted in byte order
	topicIdx map[string]int
}

// tagPattern is the run tag syntax of the task rules.
var tagPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`) })

// ValidTag reports whether tag is a legal run tag: 1 to 64 characters from
// A–Z, a–z, 0–9, underscore, dot and hyphen.
func ValidTag(tag string) bool { return tagPattern().MatchString(tag) }

// NewValidator prepares the indexes of the pool and topic list. It fails
// when the rules themselves are unusable: an empty or duplicated pool or
// topic list, or qrels judging a document outside the pool.
func NewValidator(r Rules) (*Validator, error) {
	switch r.Task {
	case TaskA, TaskB:
	case "":
		return nil, errors.New("validate: no task given (A or B)")
	default:
		return nil, fmt.Errorf("validate: unknown task %q (want A or B)", r.Task)
	}
	if len(r.Pool) == 0 {
		return nil, errors.New("validate: the pool is empty")
	}
	if len(r.Topics) == 0 {
		return nil, errors.New("validate: the topic list is empty")
	}
	if int64(len(r.Pool)) >= 1<<32-1 {
		return nil, fmt.Errorf("validate: pool of %d documents is too large", len(r.Pool))
	}
	if r.Depth == 0 {
		r.Depth = DefaultDepth
	}
	if r.Depth < 0 {
		return nil, fmt.Errorf("validate: depth %d is negative", r.Depth)
	}
	if r.MaxPerKind == 0 {
		r.MaxPerKind = DefaultMaxPerKind
	}
	if r.Limits.MaxLine <= 0 {
		r.Limits.MaxLine = DefaultLimits.MaxLine
	}
	if r.Limits.MaxBytes <= 0 {
		r.Limits.MaxBytes = DefaultLimits.MaxBytes
	}
	r.Limits = r.Limits.WithDefaults()
	v := &Validator{rules: r}
	v.pool = slices.Clone(r.Pool)
	slices.Sort(v.pool)
	v.docIdx = make(map[string]uint32, len(v.pool))
	for i, d := range v.pool {
		if i > 0 && v.pool[i-1] == d {
			return nil, fmt.Errorf("validate: pool lists %q twice", d)
		}
		v.docIdx[d] = uint32(i)
	}
	v.topics = slices.Clone(r.Topics)
	slices.Sort(v.topics)
	v.topicIdx = make(map[string]int, len(v.topics))
	for i, t := range v.topics {
		if i > 0 && v.topics[i-1] == t {
			return nil, fmt.Errorf("validate: topic list names %q twice", t)
		}
		v.topicIdx[t] = i
	}
	if r.Qrels != nil {
		for _, t := range r.Qrels.Topics {
			tq := r.Qrels.ByID[t]
			for i, d := range tq.Docs {
				if _, ok := v.docIdx[d]; !ok {
					where := r.Qrels.File
					if i < len(tq.Lines) {
						where = fmt.Sprintf("%s:%d", where, tq.Lines[i])
					}
					return nil, fmt.Errorf("validate: %s judges %q for topic %q, which is not in the pool", where, d, t)
				}
			}
		}
	}
	return v, nil
}

// Rules returns the rules in force, defaults filled in.
func (v *Validator) Rules() Rules { return v.rules }
