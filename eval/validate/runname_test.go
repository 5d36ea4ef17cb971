package validate

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseNamePattern(t *testing.T) {
	tests := []struct {
		pattern, example, err string
	}{
		{"{team}-A-{priority}", "TEAM-A-1", ""},
		{"{team}-{subtask}-{any}-{priority}", "TEAM-A-x-1", ""},
		{"{any}", "x", ""},
		{"{team}-{any}-{any}", "TEAM-x-x", ""},
		{"", "", "run name pattern is empty"},
		{"{team}-{team}", "", `run name pattern "{team}-{team}": {team} appears twice`},
		{"{team}-{prio}", "", `run name pattern "{team}-{prio}": unknown placeholder {prio} (known: {team} {subtask} {priority} {any})`},
		{"{team", "", `run name pattern "{team": unbalanced brace`},
		{"team}", "", `run name pattern "team}": unbalanced brace`},
		{"{team} A", "", `run name pattern "{team} A": ' ' cannot be part of a run tag (use A-Z a-z 0-9 _ . - and the placeholders {team} {subtask} {priority} {any})`},
		{"{team}/{priority}", "", `run name pattern "{team}/{priority}": '/' cannot be part of a run tag (use A-Z a-z 0-9 _ . - and the placeholders {team} {subtask} {priority} {any})`},
		{strings.Repeat("a", 62) + "-{team}", "", `run name pattern "` + strings.Repeat("a", 62) + `-{team}" makes run tags longer than 64 characters`},
		{strings.Repeat("a", 257), "", "run name pattern of 257 bytes is longer than 256"},
	}
	for _, tc := range tests {
		t.Run(tc.pattern, func(t *testing.T) {
			p, err := ParseNamePattern(tc.pattern)
			if tc.err != "" {
				require.Error(t, err)
				assert.Equal(t, tc.err, err.Error())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.example, p.Example())
			assert.Equal(t, tc.pattern, p.String())
		})
	}
}

func TestNamePatternMatch(t *testing.T) {
	tests := []struct {
		pattern, tag string
		parts        NameParts
		err          string
	}{
		{"{team}-A-{priority}", "THUIR-A-1", NameParts{Team: "THUIR", Priority: 1}, ""},
		{"{team}-A-{priority}", "my.team_2-A-12", NameParts{Team: "my.team_2", Priority: 12}, ""},
		{"{team}-{subtask}-{any}-{priority}", "RUCIR-B-bm25-rm3-3", NameParts{Team: "RUCIR", Subtask: "B", Priority: 3}, ""},
		{"{team}-{any}", "T-x", NameParts{Team: "T"}, ""},
		{"{team}-A-{priority}", "THUIR-B-1", NameParts{}, `run tag "THUIR-B-1" does not follow the run name pattern {team}-A-{priority} (for example TEAM-A-1)`},
		{"{team}-A-{priority}", "thuir-a-1", NameParts{}, `run tag "thuir-a-1" does not follow the run name pattern {team}-A-{priority} (for example TEAM-A-1)`},
		{"{team}-A-{priority}", "my-team-A-1", NameParts{}, `run tag "my-team-A-1" does not follow the run name pattern {team}-A-{priority} (for example TEAM-A-1)`},
		{"{team}-A-{priority}", "T-A-x", NameParts{}, `run tag "T-A-x" does not follow the run name pattern {team}-A-{priority} (for example TEAM-A-1)`},
		{"{team}-A-{priority}", "T-A-0", NameParts{}, `run tag "T-A-0": priority "0" of the run name pattern {team}-A-{priority} must be a number from 1 to 999 without leading zeros`},
		{"{team}-A-{priority}", "T-A-01", NameParts{}, `run tag "T-A-01": priority "01" of the run name pattern {team}-A-{priority} must be a number from 1 to 999 without leading zeros`},
		{"{team}-A-{priority}", "T-A-1000", NameParts{}, `run tag "T-A-1000": priority "1000" of the run name pattern {team}-A-{priority} must be a number from 1 to 999 without leading zeros`},
		{"{team}-A-{priority}", "T-A-99999999999999999999", NameParts{}, `run tag "T-A-99999999999999999999": priority "99999999999999999999" of the run name pattern {team}-A-{priority} must be a number from 1 to 999 without leading zeros`},
	}
	for _, tc := range tests {
		t.Run(tc.tag, func(t *testing.T) {
			p, err := ParseNamePattern(tc.pattern)
			require.NoError(t, err)
			parts, err := p.Match(tc.tag)
			if tc.err != "" {
				require.Error(t, err)
				assert.Equal(t, tc.err, err.Error())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.parts, parts)
		})
	}
}

// sysdescRun is baseRun with first line line1 ("" = none) and the run
// tag tag.
func sysdescRun(line1, tag string) string {
	var b strings.Builder
	if line1 != "" {
		b.WriteString(line1 + "\n")
	}
	for _, l := range baseRun() {
		b.WriteString(strings.TrimSuffix(l, "myrun") + tag + "\n")
	}
	return b.String()
}

func TestValidateSysdescAndRunName(t *testing.T) {
	pattern, err := ParseNamePattern("{team}-A-{priority}")
	require.NoError(t, err)
	tests := []struct {
		name     string
		require  bool
		pattern  *NamePattern
		text     string
		problems []string
		desc     string
		parts    *NameParts
		summary  string
	}{
		{name: "optional and absent", text: sysdescRun("", "myrun"), problems: []string{},
			summary: `run.txt: valid (Subtask A; run tag "myrun"; 3 of 3 topics; 15 run lines)`},
		{name: "optional and present", text: sysdescRun("<sysdesc>BM25</sysdesc>", "myrun"), problems: []string{}, desc: "BM25",
			summary: `run.txt: valid (Subtask A; run tag "myrun"; 3 of 3 topics; 15 run lines)`},
		{name: "required and present", require: true, text: sysdescRun("\ufeff<SYSDESC> LambdaMART </SYSDESC>", "myrun"), desc: "LambdaMART",
			problems: []string{"run.txt:1:1: warning: the file starts with a UTF-8 byte order mark (accepted; the normalised run has none) [bom]"},
			summary:  `run.txt: valid, 1 warning (Subtask A; run tag "myrun"; 3 of 3 topics; 15 run lines)`},
		{name: "required and absent", require: true, text: sysdescRun("", "myrun"),
			problems: []string{"run.txt:1: error: the first line must describe the system: <SYSDESC>short description of the system</SYSDESC> [sysdesc-needed]"},
			summary:  `run.txt: INVALID: 1 error (Subtask A; run tag "myrun"; 3 of 3 topics; 15 run lines)`},
		{name: "required and empty", require: true, text: sysdescRun("<SYSDESC> </SYSDESC>", "myrun"),
			problems: []string{"run.txt:1: error: the system description is empty; describe the system: <SYSDESC>short description of the system</SYSDESC> [sysdesc-needed]"},
			summary:  `run.txt: INVALID: 1 error (Subtask A; run tag "myrun"; 3 of 3 topics; 15 run lines)`},
		{name: "required and malformed: one error", require: true, text: sysdescRun("<SYSDESC>x", "myrun"),
			problems: []string{"run.txt:1:1: error: the SYSDESC line does not end with </SYSDESC>: it must be exactly <SYSDESC>short description of the system</SYSDESC> [sysdesc]"},
			summary:  `run.txt: INVALID: 1 error (Subtask A; run tag "myrun"; 3 of 3 topics; 15 run lines)`},
		{name: "misplaced", text: strings.Replace(sysdescRun("", "myrun"), "\n", "\n<SYSDESC>x</SYSDESC>\n", 1),
			problems: []string{"run.txt:2:1: error: a <SYSDESC> line is allowed only as the first line of the file (this is line 2) [sysdesc]"},
			summary:  `run.txt: INVALID: 1 error (Subtask A; run tag "myrun"; 3 of 3 topics; 15 run lines)`},
		{name: "invalid UTF-8 reported once", text: sysdescRun("<SYSDESC>\xff</SYSDESC>", "myrun"),
			problems: []string{"run.txt:1:10: error: invalid UTF-8 byte 0xff (the file must be UTF-8 encoded) [utf8]"},
			summary:  `run.txt: INVALID: 1 error (Subtask A; run tag "myrun"; 3 of 3 topics; 15 run lines)`},
		{name: "control character", text: sysdescRun("<SYSDESC>a\x1bb</SYSDESC>", "myrun"),
			problems: []string{"run.txt:1:11: error: the system description holds the control character U+001B; use printable text only [sysdesc]"},
			summary:  `run.txt: INVALID: 1 error (Subtask A; run tag "myrun"; 3 of 3 topics; 15 run lines)`},
		{name: "name follows the pattern", pattern: pattern, text: sysdescRun("", "THUIR-A-2"), problems: []string{},
			parts:   &NameParts{Team: "THUIR", Priority: 2},
			summary: `run.txt: valid (Subtask A; run tag "THUIR-A-2" (team THUIR, priority 2); 3 of 3 topics; 15 run lines)`},
		{name: "name does not follow the pattern", pattern: pattern, text: sysdescRun("", "THUIR-B-2"),
			problems: []string{`run.txt:1:25: error: run tag "THUIR-B-2" does not follow the run name pattern {team}-A-{priority} (for example TEAM-A-1) [run-name]`},
			summary:  `run.txt: INVALID: 1 error (Subtask A; run tag "THUIR-B-2"; 3 of 3 topics; 15 run lines)`},
		{name: "bad priority", pattern: pattern, text: sysdescRun("<SYSDESC>x</SYSDESC>", "T-A-0"), desc: "x",
			problems: []string{`run.txt:2:25: error: run tag "T-A-0": priority "0" of the run name pattern {team}-A-{priority} must be a number from 1 to 999 without leading zeros [run-name]`},
			summary:  `run.txt: INVALID: 1 error (Subtask A; run tag "T-A-0"; 3 of 3 topics; 15 run lines)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := testRules(t, TaskA)
			r.RequireSysdesc, r.RunName = tc.require, tc.pattern
			rep := validateString(t, r, tc.text)
			assert.Equal(t, tc.problems, problemStrings(rep))
			assert.Equal(t, tc.desc, rep.Description)
			assert.Equal(t, tc.parts, rep.Name)
			assert.Equal(t, tc.summary, rep.Summary())
		})
	}
}

// The normal form keeps the description as the first line, and is what
// trecfmt writes for the run it reads.
func TestNormalFormKeepsSysdesc(t *testing.T) {
	text := sysdescRun("  <sysdesc> BM25 + RM3 </SYSDESC>", "myrun")
	v, err := NewValidator(testRules(t, TaskA))
	require.NoError(t, err)
	path := writeTemp(t, "run.txt", []byte(text))
	rep, nr := v.NormaliseFile(path)
	require.True(t, rep.Valid(), problemStrings(rep))
	assert.Equal(t, "BM25 + RM3", nr.Description())
	var b bytes.Buffer
	_, err = nr.WriteTo(&b)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(b.String(), "<SYSDESC>BM25 + RM3</SYSDESC>\ncola Q0 org/alpha 1 0.9 myrun\n"), b.String()[:80])
	assert.Equal(t, trecfmtNormal(t, text), b.String())

	var text2 strings.Builder
	require.NoError(t, rep.WriteText(&text2))
	assert.Equal(t, "run.txt: system description: \"BM25 + RM3\"\n"+
		`run.txt: valid (Subtask A; run tag "myrun"; 3 of 3 topics; 15 run lines)`+"\n",
		strings.ReplaceAll(text2.String(), path, "run.txt"))
}
