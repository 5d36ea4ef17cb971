package serve

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/ntcir-pmr/mreval/eval/intake"
)

// boardCache keeps each phase's boards until a run is accepted into the
// phase (or the phase is released): a board is built on the first request
// after that, by one request only, and shared by all.
type boardCache struct {
	mu      sync.Mutex
	gen     map[string]int
	entries map[boardKey]*boardEntry
}

type boardKey struct{ phase, format string }

type boardEntry struct {
	mu   sync.Mutex // held while building
	gen  int
	done bool
	data []byte
	err  error
}

func newBoardCache() *boardCache {
	return &boardCache{gen: map[string]int{}, entries: map[boardKey]*boardEntry{}}
}

// invalidate marks the phase's boards out of date.
func (c *boardCache) invalidate(phase string) {
	c.mu.Lock()
	c.gen[phase]++
	c.mu.Unlock()
}

func (c *boardCache) get(phase, format string, build func() ([]byte, error)) ([]byte, error) {
	k := boardKey{phase, format}
	c.mu.Lock()
	e := c.entries[k]
	if e == nil {
		e = &boardEntry{}
		c.entries[k] = e
	}
	c.mu.Unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	c.mu.Lock()
	gen := c.gen[phase]
	c.mu.Unlock()
	if e.done && e.gen == gen {
		return e.data, e.err
	}
	data, err := build()
	// A run accepted while building has bumped the generation: the next
	// request builds again.
	e.gen, e.done, e.data, e.err = gen, true, data, err
	return data, err
}

// Counts is the board of a phase whose scores are not shown: who
// submitted how many runs.
type Counts struct {
	Phase  string      `json:"phase"`
	Scores string      `json:"scores"` // "hidden", or "none" (no runs yet, or no qrels to score with)
	Note   string      `json:"note"`
	Teams  []TeamCount `json:"teams"`
}

// TeamCount is one team's line of Counts.
type TeamCount struct {
	Team string `json:"team"`
	// Runs counts its current run tags, Submissions every accepted
	// version.
	Runs        int `json:"runs"`
	Submissions int `json:"submissions"`
}

func (s *Server) counts(p *Phase, scores, note string) (*Counts, error) {
	hist, err := intake.History(s.phaseStore(p))
	if err != nil {
		return nil, err
	}
	byTeam := map[string]*TeamCount{}
	tags := map[[2]string]bool{}
	for _, e := range hist {
		if e.Task != p.Task {
			continue
		}
		tc := byTeam[e.Team]
		if tc == nil {
			tc = &TeamCount{Team: e.Team}
			byTeam[e.Team] = tc
		}
		tc.Submissions++
		if k := [2]string{e.Team, e.Tag}; !tags[k] {
			tags[k] = true
			tc.Runs++
		}
	}
	out := &Counts{Phase: p.Name, Scores: scores, Note: note, Teams: []TeamCount{}}
	for _, tc := range byTeam {
		out.Teams = append(out.Teams, *tc)
	}
	slices.SortFunc(out.Teams, func(a, b TeamCount) int { return strings.Compare(a.Team, b.Team) })
	return out, nil
}

// errNoBoard says the scores cannot be shown; the caller shows counts.
type noBoard struct{ scores, note string }

// board returns the phase's board in format (json or html, or any export
// format for the organizer), or the reason there is none to show; admin
// sees scores of hidden phases.
func (s *Server) board(ctx context.Context, p *Phase, format string, admin bool) ([]byte, *noBoard, error) {
	shown, err := s.scoresShown(p)
	if err != nil {
		return nil, nil, err
	}
	if !shown && !admin {
		return nil, &noBoard{"hidden", "scores are hidden until the organizers release the phase"}, nil
	}
	if s.opt.Board == nil {
		return nil, &noBoard{"none", "the server has no relevance judgments to score with"}, nil
	}
	runs, err := intake.ListRuns(s.phaseStore(p))
	if err != nil {
		return nil, nil, err
	}
	if !slices.ContainsFunc(runs, func(r intake.StoredRun) bool { return r.Task == p.Task }) {
		return nil, &noBoard{"none", "no runs yet"}, nil
	}
	data, err := s.boards.get(p.Name, format, func() ([]byte, error) {
		return s.opt.Board(ctx, BoardInput{Phase: p, Store: s.phaseStore(p), Topics: s.topicsPath(p)}, format)
	})
	return data, nil, err
}

// scriptPattern finds the inline scripts of the leaderboard page, whose
// hashes the page's content security policy allows (and nothing else).
var scriptPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?s)<script>(.*?)</script>`) })

func scriptHashes(page []byte) []string {
	var out []string
	for _, m := range scriptPattern().FindAllSubmatch(page, -1) {
		sum := sha256.Sum256(m[1])
		out = append(out, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
	}
	return out
}

// boardScores reads the means of the first measure from a board in the
// leaderboard's JSON, by run name (TEAM/TAG), for the history page.
func boardScores(board []byte) (measure string, means map[string]json.RawMessage, err error) {
	var doc struct {
		Measures []struct {
			Name string `json:"name"`
			Runs []struct {
				Run  string          `json:"run"`
				Mean json.RawMessage `json:"mean"`
			} `json:"runs"`
		} `json:"measures"`
	}
	if err := json.NewDecoder(bytes.NewReader(board)).Decode(&doc); err != nil {
		return "", nil, err
	}
	if len(doc.Measures) == 0 {
		return "", nil, errors.New("the board has no measures")
	}
	means = map[string]json.RawMessage{}
	for _, r := range doc.Measures[0].Runs {
		means[r.Run] = r.Mean
	}
	return doc.Measures[0].Name, means, nil
}
