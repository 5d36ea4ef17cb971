package intake

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval/validate"
)

func mustPattern(t *testing.T, p string) *validate.NamePattern {
	t.Helper()
	np, err := validate.ParseNamePattern(p)
	require.NoError(t, err)
	return np
}

// TestSubmitRecordsConventions: the description, the pattern and what the
// tag says go into the manifest entry; the stored run keeps its SYSDESC
// line; a tag naming another team is refused.
func TestSubmitRecordsConventions(t *testing.T) {
	s := testStore(t)
	v := testValidator(t, validate.TaskA).WithRunName(mustPattern(t, "{team}-A-{priority}"))
	tests := []struct {
		name, team, text, reason string
		desc                     string
		parts                    *validate.NameParts
	}{
		{name: "described", team: "t1", text: "<sysdesc> BM25 + RM3 </sysdesc>\n" + runText("T1-A-1", 0),
			desc: "BM25 + RM3", parts: &validate.NameParts{Team: "T1", Priority: 1}},
		{name: "undescribed", team: "t1", text: runText("t1-A-2", 0), parts: &validate.NameParts{Team: "t1", Priority: 2}},
		{name: "another team's name", team: "t2", text: runText("t1-A-3", 0),
			reason: `run tag "t1-A-3" names team "t1", but it is submitted by team "t2"`},
		{name: "pattern not followed", team: "t1", text: runText("t1-B-1", 0),
			reason: "the run is invalid (INVALID: 1 error (Subtask A; run tag \"t1-B-1\"; 3 of 3 topics; 15 run lines))"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := submit(t, s, v, Submission{Path: writeFile(t, "r.run", tc.text), Team: tc.team})
			if tc.reason != "" {
				assert.False(t, res.Accepted)
				assert.Equal(t, tc.reason, res.Reason)
				return
			}
			require.True(t, res.Accepted, res.Reason)
			assert.Equal(t, tc.desc, res.Entry.Description)
			assert.Equal(t, tc.parts, res.Entry.Name)
			assert.Equal(t, "{team}-A-{priority}", res.Entry.RunName)
		})
	}
	lines := manifestLines(t, s)
	require.Len(t, lines, 2)
	assert.Contains(t, lines[0], `"description":"BM25 + RM3","run_name":"{team}-A-{priority}","name":{"team":"T1","priority":1}}`)
	assert.Contains(t, lines[1], `"run_name":"{team}-A-{priority}","name":{"team":"t1","priority":2}}`)
	assert.NotContains(t, lines[1], "description")
	assert.True(t, strings.HasPrefix(readStore(t, s, "A/t1/T1-A-1/v1.run"), "<SYSDESC>BM25 + RM3</SYSDESC>\ncola Q0 org/alpha 1 100 T1-A-1\n"))
	runs, err := ListRuns(s.Dir)
	require.NoError(t, err)
	run, err := runs[0].ReadRun(validate.DefaultLimits)
	require.NoError(t, err)
	assert.Equal(t, "BM25 + RM3", run.Description)
}

// TestStoreRunNamePattern: a pattern set on the store applies to every
// intake; a validator with another pattern is refused as a mistake.
func TestStoreRunNamePattern(t *testing.T) {
	s := testStore(t)
	v := testValidator(t, validate.TaskA)
	require.NoError(t, s.SetRunName("{team}-A-{priority}"))
	raw := readStore(t, s, ManifestName)
	assert.Equal(t, `{"store_format":3,"note":"mreval submission store: one accepted version of a run per line after this one","run_name":"{team}-A-{priority}"}`+"\n", raw)
	got, err := RunNamePattern(s.Dir)
	require.NoError(t, err)
	assert.Equal(t, "{team}-A-{priority}", got)

	res := submit(t, s, v, Submission{Path: writeFile(t, "r", runText("myrun", 0)), Team: "t1"})
	assert.False(t, res.Accepted)
	assert.Equal(t, []string{`r:1:25: error: run tag "myrun" does not follow the run name pattern {team}-A-{priority} (for example TEAM-A-1) [run-name]`},
		problemTexts(res.Report))
	res = submit(t, s, v, Submission{Path: writeFile(t, "r", runText("t1-A-1", 0)), Team: "t1"})
	require.True(t, res.Accepted, res.Reason)
	assert.Equal(t, &validate.NameParts{Team: "t1", Priority: 1}, res.Entry.Name)

	_, err = s.Submit(v.WithRunName(mustPattern(t, "{team}-{priority}")), Submission{Path: writeFile(t, "r", runText("t1-2", 0)), Team: "t1"})
	assert.EqualError(t, err, "run name pattern {team}-{priority} differs from the store's {team}-A-{priority} (set with 'mreval intake settings')")

	// Changing the pattern keeps the entries; removing it too.
	require.NoError(t, s.SetRunName(""))
	lines := manifestLines(t, s)
	require.Len(t, lines, 1)
	assert.Contains(t, lines[0], `"name":{"team":"t1","priority":1}}`)
	assert.EqualError(t, s.SetRunName("{team"), `run name pattern "{team": unbalanced brace`)

	// A forged header pattern is refused by every reader.
	mf := filepath.Join(s.Dir, ManifestName)
	require.NoError(t, os.WriteFile(mf, []byte(`{"store_format":3,"note":"x","run_name":"{bad}"}`+"\n"), 0o644))
	_, err = ListRuns(s.Dir)
	assert.EqualError(t, err, mf+`:1: the store's run name pattern "{bad}": unknown placeholder {bad} (known: {team} {subtask} {priority} {any})`)
}

func problemTexts(rep *validate.Report) []string {
	var out []string
	for _, p := range rep.Problems {
		out = append(out, p.String())
	}
	return out
}

// TestEntryConventionsChecked: the reader refuses format-3 fields a forged
// or damaged manifest could hold.
func TestEntryConventionsChecked(t *testing.T) {
	s := testStore(t)
	v := testValidator(t, validate.TaskA).WithRunName(mustPattern(t, "{team}-A-{priority}"))
	res := submit(t, s, v, Submission{Path: writeFile(t, "r", "<SYSDESC>d</SYSDESC>\n"+runText("t1-A-1", 0)), Team: "t1"})
	require.True(t, res.Accepted, res.Reason)
	mf := filepath.Join(s.Dir, ManifestName)
	good := readStore(t, s, ManifestName)
	tests := []struct {
		old, new, err string
	}{
		{`"description":"d"`, `"description":"a\u001bb"`, `:2: system description "a\x1bb" is not printable UTF-8`},
		{`"description":"d"`, `"description":"` + strings.Repeat("x", MaxDescription+1) + `"`, `:2: system description of 4097 bytes, more than 4096`},
		{`"run_name":"{team}-A-{priority}",`, ``, `:2: run name parts and run name pattern go together`},
		{`"name":{"team":"t1"`, `"name":{"team":"../x"`, `:2: run name part "../x" is not 1 to 64 characters from A-Z a-z 0-9 _ .`},
		{`"priority":1`, `"priority":1000`, `:2: priority 1000 is outside 0..999`},
		{`"run_name":"{team}-A-{priority}"`, `"run_name":"{x}"`, `:2: run name pattern "{x}": unknown placeholder {x} (known: {team} {subtask} {priority} {any})`},
	}
	for _, tc := range tests {
		t.Run(tc.err, func(t *testing.T) {
			require.Equal(t, 1, strings.Count(good, tc.old))
			require.NoError(t, os.WriteFile(mf, []byte(strings.Replace(good, tc.old, tc.new, 1)), 0o644))
			_, err := ListRuns(s.Dir)
			assert.EqualError(t, err, mf+tc.err)
		})
	}
}

// TestMigrateFormat2: a format-2 store is refused until verify --repair
// rewrites its header; the entries and files stay as they are.
func TestMigrateFormat2(t *testing.T) {
	s := testStore(t)
	v := testValidator(t, validate.TaskA)
	for _, tag := range []string{"a", "b"} {
		require.True(t, submit(t, s, v, Submission{Path: writeFile(t, "r", runText(tag, 0)), Team: "t1"}).Accepted)
	}
	format3 := readStore(t, s, ManifestName)
	format2 := strings.Replace(format3, `"store_format":3`, `"store_format":2`, 1)
	mf := filepath.Join(s.Dir, ManifestName)
	require.NoError(t, os.WriteFile(mf, []byte(format2), 0o644))

	want := "store " + s.Dir + " is in the old format 2 (no room for system descriptions and run name parts); run 'mreval intake verify --repair --store " + s.Dir + "' to migrate it"
	_, err := ListRuns(s.Dir)
	assert.EqualError(t, err, want+": old store format")
	assert.ErrorIs(t, err, ErrOldFormat)
	_, err = s.Submit(v, Submission{Path: writeFile(t, "r", runText("c", 0)), Team: "t1"})
	assert.ErrorIs(t, err, ErrOldFormat)
	_, err = Verify(s.Dir, false)
	assert.ErrorIs(t, err, ErrOldFormat)

	res, err := Verify(s.Dir, true)
	require.NoError(t, err)
	assert.Equal(t, []string{"migrated the store from format 2 to format 3: the same 2 versions of 2 runs, whose entries may now record the system description and the run name's parts; the old manifest is kept as MANIFEST.format2.jsonl"}, res.Repairs)
	assert.True(t, res.OK(), res.Findings)
	assert.Equal(t, format3, readStore(t, s, ManifestName))
	assert.Equal(t, format2, readStore(t, s, format2ManifestName))

	res, err = Verify(s.Dir, true)
	require.NoError(t, err)
	assert.Empty(t, res.Repairs, "migrated once")
	assert.True(t, res.OK(), res.Findings)
	assert.True(t, submit(t, s, v, Submission{Path: writeFile(t, "r", runText("c", 0)), Team: "t1"}).Accepted)

	// A format-2 header cannot carry format-3 settings.
	require.NoError(t, os.WriteFile(mf, []byte(`{"store_format":2,"note":"x","run_name":"{team}"}`+"\n"), 0o644))
	_, err = ListRuns(s.Dir)
	assert.EqualError(t, err, mf+":1: a format-2 header with a run name pattern: the manifest was damaged")
}
