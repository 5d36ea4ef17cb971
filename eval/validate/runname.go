package validate

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/ntcir-pmr/mreval/eval/trecfmt"
)

// NamePattern is a run naming convention, e.g. "{team}-A-{priority}" for
// the NTCIR habit of naming runs <TEAM>-<SUBTASK>-<...>-<PRIORITY>. It is
// matched against the whole run tag (the name the store, the leaderboard
// and the pool know a run by). Placeholders:
//
//	{team}      the team: letters, digits, '_' and '.' (no '-', which separates the parts)
//	{subtask}   the subtask: letters, digits, '_' and '.'
//	{priority}  the run's priority: 1 to 999 without leading zeros (1 = judge first)
//	{any}       anything a run tag may hold, '-' included (shortest match)
//
// Text between the placeholders must match exactly (letter case
// included). {team}, {subtask} and {priority} may each appear once, {any}
// any number of times.
type NamePattern struct {
	text    string
	re      *regexp.Regexp
	groups  []string // placeholder of each capture group
	example string
}

// NameParts are what a run tag says about itself through a NamePattern.
type NameParts struct {
	Team     string `json:"team,omitempty"`
	Subtask  string `json:"subtask,omitempty"`
	Priority int    `json:"priority,omitempty"`
}

// MaxPriority is the largest priority a name may carry.
const MaxPriority = 999

var placeholders = map[string]struct{ re, example string }{
	"team":     {`[A-Za-z0-9_.]+`, "TEAM"},
	"subtask":  {`[A-Za-z0-9_.]+`, "A"},
	"priority": {`[0-9]+`, "1"},
	"any":      {`[A-Za-z0-9_.-]+?`, "x"},
}

// ParseNamePattern reads a naming pattern; the error says what is wrong
// with it.
func ParseNamePattern(text string) (*NamePattern, error) {
	if text == "" {
		return nil, fmt.Errorf("run name pattern is empty")
	}
	if len(text) > 256 {
		return nil, fmt.Errorf("run name pattern of %d bytes is longer than 256", len(text))
	}
	p := &NamePattern{text: text}
	var re, ex strings.Builder
	re.WriteString("^")
	seen := map[string]bool{}
	for rest := text; rest != ""; {
		i := strings.IndexAny(rest, "{}")
		if i < 0 {
			i = len(rest)
		}
		lit := rest[:i]
		for _, c := range lit {
			if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-') {
				return nil, fmt.Errorf("run name pattern %q: %q cannot be part of a run tag (use A-Z a-z 0-9 _ . - and the placeholders {team} {subtask} {priority} {any})", text, c)
			}
		}
		re.WriteString(regexp.QuoteMeta(lit))
		ex.WriteString(lit)
		rest = rest[i:]
		if rest == "" {
			break
		}
		end := strings.IndexByte(rest, '}')
		if rest[0] == '}' || end < 0 {
			return nil, fmt.Errorf("run name pattern %q: unbalanced brace", text)
		}
		name := rest[1:end]
		ph, ok := placeholders[name]
		if !ok {
			return nil, fmt.Errorf("run name pattern %q: unknown placeholder {%s} (known: {team} {subtask} {priority} {any})", text, name)
		}
		if name != "any" {
			if seen[name] {
				return nil, fmt.Errorf("run name pattern %q: {%s} appears twice", text, name)
			}
			seen[name] = true
		}
		re.WriteString("(" + ph.re + ")")
		ex.WriteString(ph.example)
		p.groups = append(p.groups, name)
		rest = rest[end+1:]
	}
	re.WriteString("$")
	p.re = regexp.MustCompile(re.String())
	p.example = ex.String()
	if !ValidTag(p.example) {
		return nil, fmt.Errorf("run name pattern %q makes run tags longer than 64 characters", text)
	}
	return p, nil
}

// String is the pattern as written.
func (p *NamePattern) String() string { return p.text }

// Example is a run tag that follows the pattern: TEAM for {team}, A for
// {subtask}, 1 for {priority}, x for {any}.
func (p *NamePattern) Example() string { return p.example }

// Match splits a run tag by the pattern, or says why it does not follow it.
func (p *NamePattern) Match(tag string) (NameParts, error) {
	m := p.re.FindStringSubmatch(tag)
	if m == nil {
		return NameParts{}, fmt.Errorf("run tag %q does not follow the run name pattern %s (for example %s)", tag, p.text, p.example)
	}
	var parts NameParts
	for i, name := range p.groups {
		v := m[i+1]
		switch name {
		case "team":
			parts.Team = v
		case "subtask":
			parts.Subtask = v
		case "priority":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > MaxPriority || v[0] == '0' {
				return NameParts{}, fmt.Errorf("run tag %q: priority %q of the run name pattern %s must be a number from 1 to %d without leading zeros", tag, v, p.text, MaxPriority)
			}
			parts.Priority = n
		}
	}
	return parts, nil
}

// Describe says what a matched name means, for a report: "team X,
// subtask A, priority 1".
func (n NameParts) Describe() string {
	var out []string
	if n.Team != "" {
		out = append(out, "team "+n.Team)
	}
	if n.Subtask != "" {
		out = append(out, "subtask "+n.Subtask)
	}
	if n.Priority > 0 {
		out = append(out, "priority "+strconv.Itoa(n.Priority))
	}
	return strings.Join(out, ", ")
}

// checkSysdesc checks a <SYSDESC> line: the first line, well formed.
func (c *checker) checkSysdesc(s *trecfmt.Scanner) {
	if s.Line() != 1 {
		c.addTrec(trecfmt.MisplacedSysdesc(s))
		return
	}
	c.sysdescTried = true
	d, p := trecfmt.ParseSysdesc(s)
	switch {
	case p == nil:
		c.sysdesc, c.rep.Description = true, d
	case p.Code == CodeUTF8:
		// Reported for the whole line already.
	default:
		c.addTrec(p)
	}
}

// namingRules checks what needs the first lines only: the required
// <SYSDESC> line and the run name pattern.
func (c *checker) namingRules() {
	rules, rep := c.v.rules, c.rep
	if rules.RequireSysdesc && rep.Lines > 0 {
		switch {
		case !c.sysdesc && !c.sysdescTried:
			rep.addf(Error, 1, 0, CodeSysdescNeeded, "the first line must describe the system: %s", trecfmt.SysdescExample)
		case c.sysdesc && rep.Description == "":
			rep.addf(Error, 1, 0, CodeSysdescNeeded, "the system description is empty; describe the system: %s", trecfmt.SysdescExample)
		}
	}
	if rules.RunName != nil && c.tagSeen && ValidTag(c.tag) {
		parts, err := rules.RunName.Match(c.tag)
		if err != nil {
			rep.addf(Error, c.tagLine, c.tagCol, CodeRunName, "%v", err)
			return
		}
		rep.Name = &parts
	}
}

// WithRunName returns a validator with the rules of v and the run name
// pattern p (nil: none); v is unchanged.
func (v *Validator) WithRunName(p *NamePattern) *Validator {
	c := *v
	c.rules.RunName = p
	return &c
}
