package serve

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ntcir-pmr/mreval/eval/fsutil"
	"github.com/ntcir-pmr/mreval/eval/intake"
	"github.com/ntcir-pmr/mreval/eval/validate"
	"github.com/ntcir-pmr/mreval/internal/safetext"
)

// PhasesFile is the organizer's declaration of the phases, in the store.
const PhasesFile = "phases.json"

// maxPhasesBytes bounds the phases file: a handful of phases is a few
// hundred bytes.
const maxPhasesBytes = 1 << 20

// Phase is one submission period of the task, as declared in phases.json.
type Phase struct {
	// Name is the phase's identifier: the API's ?phase= value and the
	// directory of its runs (checked like a team name).
	Name string `json:"name"`
	// Title is shown on the pages; "" shows Name.
	Title string `json:"title,omitempty"`
	// Task is the subtask, "A" (the default) or "B".
	Task string `json:"task,omitempty"`
	// Split names the collection's topics the runs must rank (test, train
	// or all); TopicsFile instead names a topic list (relative to the
	// store). Exactly one, except that without --collection the server's
	// --topics file is the default.
	Split      string `json:"split,omitempty"`
	TopicsFile string `json:"topics_file,omitempty"`
	// Opens and Closes bound the phase: a submission is accepted when
	// Opens <= now < Closes.
	Opens  time.Time `json:"opens"`
	Closes time.Time `json:"closes"`
	// PerDay and Total cap the submissions (every accepted version,
	// replacements included) of one team in this phase per UTC day and in
	// all; MaxRuns caps its distinct run tags. 0 means no cap.
	PerDay  int `json:"per_day,omitempty"`
	Total   int `json:"total,omitempty"`
	MaxRuns int `json:"max_runs,omitempty"`
	// Scores is "public" (shown as soon as a run is accepted) or "hidden"
	// (only who submitted how many runs, until the organizer releases the
	// phase).
	Scores string `json:"scores"`
	// PublicLeaderboard shows the phase's board without signing in.
	PublicLeaderboard bool `json:"leaderboard_public"`
}

// Score visibility.
const (
	ScoresPublic = "public"
	ScoresHidden = "hidden"
)

// DisplayName is the title, or the name.
func (p *Phase) DisplayName() string {
	if p.Title != "" {
		return p.Title
	}
	return p.Name
}

// State says where now is relative to the phase.
func (p *Phase) State(now time.Time) string {
	switch {
	case now.Before(p.Opens):
		return "not open yet"
	case now.Before(p.Closes):
		return "open"
	default:
		return "closed"
	}
}

// IsOpen reports whether submissions are accepted at now.
func (p *Phase) IsOpen(now time.Time) bool { return p.State(now) == "open" }

// Phases is the parsed phases file.
type Phases struct {
	Phases []Phase `json:"phases"`
}

// Lookup finds a phase by name.
func (ps *Phases) Lookup(name string) *Phase {
	for i := range ps.Phases {
		if ps.Phases[i].Name == name {
			return &ps.Phases[i]
		}
	}
	return nil
}

// Open lists the phases open at now.
func (ps *Phases) Open(now time.Time) []*Phase {
	var out []*Phase
	for i := range ps.Phases {
		if ps.Phases[i].IsOpen(now) {
			out = append(out, &ps.Phases[i])
		}
	}
	return out
}

// LoadPhases reads DIR/phases.json. haveCollection says whether the server
// was given a collection (Split needs one).
func LoadPhases(dir string, haveCollection bool) (*Phases, error) {
	name := filepath.Join(dir, PhasesFile)
	f, err := fsutil.OpenRegular(name)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s: no phases file: write one (see docs/serve.md) or start with --demo", safetext.Name(name))
		}
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxPhasesBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", safetext.Name(name), err)
	}
	if len(data) > maxPhasesBytes {
		return nil, fmt.Errorf("%s: larger than %d bytes: not a phases file", safetext.Name(name), maxPhasesBytes)
	}
	return ParsePhases(safetext.Name(name), data, haveCollection)
}

// ParsePhases reads a phases file; file names it in errors. Unknown fields,
// a missing field and any inconsistency are errors: a typo in a deadline
// must not silently open a phase.
func ParsePhases(file string, data []byte, haveCollection bool) (*Phases, error) {
	var ps Phases
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	if err := d.Decode(&ps); err != nil {
		return nil, fmt.Errorf("%s: %s", file, jsonError(data, d, err))
	}
	if d.More() {
		return nil, fmt.Errorf("%s: more than one JSON value", file)
	}
	if len(ps.Phases) == 0 {
		return nil, fmt.Errorf(`%s: no phases: the file must hold {"phases": [...]} with at least one phase`, file)
	}
	seen := map[string]bool{}
	for i := range ps.Phases {
		p := &ps.Phases[i]
		where := fmt.Sprintf("%s: phase %d", file, i+1)
		if p.Name != "" {
			where += " (" + safetext.Name(p.Name) + ")"
		}
		if err := intake.CheckName("phase name", p.Name); err != nil {
			return nil, fmt.Errorf("%s: %v", where, err)
		}
		if seen[p.Name] {
			return nil, fmt.Errorf("%s: the name is used by an earlier phase", where)
		}
		seen[p.Name] = true
		if p.Task == "" {
			p.Task = string(validate.TaskA)
		}
		if _, err := validate.ParseTask(p.Task); err != nil {
			return nil, fmt.Errorf("%s: task: %v", where, err)
		}
		p.Task = strings.ToUpper(p.Task)
		switch {
		case p.Split != "" && p.TopicsFile != "":
			return nil, fmt.Errorf("%s: give split or topics_file, not both", where)
		case p.Split != "" && !haveCollection:
			return nil, fmt.Errorf("%s: split %q needs a collection (--collection); without one give topics_file", where, p.Split)
		case p.Split != "" && p.Split != "test" && p.Split != "train" && p.Split != "all":
			return nil, fmt.Errorf("%s: split must be test, train or all, not %q", where, p.Split)
		case p.Split == "" && p.TopicsFile == "" && haveCollection:
			return nil, fmt.Errorf("%s: give split (test, train or all) or topics_file", where)
		}
		if p.Opens.IsZero() || p.Closes.IsZero() {
			return nil, fmt.Errorf("%s: opens and closes are both needed (RFC 3339 times, e.g. 2026-09-01T00:00:00Z)", where)
		}
		if !p.Opens.Before(p.Closes) {
			return nil, fmt.Errorf("%s: closes (%s) is not after opens (%s)", where, p.Closes.Format(time.RFC3339), p.Opens.Format(time.RFC3339))
		}
		if p.PerDay < 0 || p.Total < 0 || p.MaxRuns < 0 {
			return nil, fmt.Errorf("%s: per_day, total and max_runs must not be negative (0 = no limit)", where)
		}
		if p.Scores != ScoresPublic && p.Scores != ScoresHidden {
			return nil, fmt.Errorf("%s: scores must be %q or %q, not %q", where, ScoresPublic, ScoresHidden, p.Scores)
		}
	}
	return &ps, nil
}

// jsonError turns a decoding error into one with a line and column.
func jsonError(data []byte, d *json.Decoder, err error) string {
	off := d.InputOffset()
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	col := int(off) - bytes.LastIndexByte(data[:off], '\n')
	return fmt.Sprintf("%d:%d: %v", line, col, err)
}

// WritePhases writes a phases file into dir, refusing to replace one.
func WritePhases(dir string, ps *Phases) error {
	data, err := json.MarshalIndent(ps, "", "  ")
	if err != nil {
		return err
	}
	return writeNew(dir, PhasesFile, append(data, '\n'))
}
