package intake

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/ntcir-pmr/mreval/eval/validate"
)

// The collection of eval/validate's tests: pool org/alpha org/beta
// org/gamma delta epsilon, topics cola rte sst2.
func testValidator(t testing.TB, task validate.Task) *validate.Validator {
	t.Helper()
	pool, err := trecfmt.ReadIDListFile("../validate/testdata/pool.txt", trecfmt.DefaultLimits)
	require.NoError(t, err)
	topics, err := trecfmt.ReadIDListFile("../validate/testdata/topics.txt", trecfmt.DefaultLimits)
	require.NoError(t, err)
	v, err := validate.NewValidator(validate.Rules{Task: task, Pool: pool, Topics: topics})
	require.NoError(t, err)
	return v
}

var testTime = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func testStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "store"))
	require.NoError(t, err)
	s.Now = func() time.Time { return testTime }
	return s
}

// runText is a valid Subtask A run with the given tag; scoreShift changes
// the scores so that versions differ in content.
func runText(tag string, scoreShift int) string {
	var b strings.Builder
	for _, topic := range []string{"cola", "rte", "sst2"} {
		for i, doc := range []string{"org/alpha", "org/beta", "org/gamma", "delta", "epsilon"} {
			fmt.Fprintf(&b, "%s Q0 %s %d %d %s\n", topic, doc, i+1, 100-10*i+scoreShift, tag)
		}
	}
	return b.String()
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	return p
}

func sha(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func (s *Store) abs(rel string) string { return filepath.Join(s.Dir, filepath.FromSlash(rel)) }

func readStore(t *testing.T, s *Store, rel string) string {
	t.Helper()
	b, err := os.ReadFile(s.abs(rel))
	require.NoError(t, err)
	return string(b)
}

const manifestHeader = `{"store_format":3,"note":"mreval submission store: one accepted version of a run per line after this one"}`

// manifestLines returns the entries of the manifest, after checking its
// format header.
func manifestLines(t *testing.T, s *Store) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(s.Dir, ManifestName))
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	require.Equal(t, manifestHeader, lines[0])
	return lines[1:]
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	names := []string{}
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func submit(t *testing.T, s *Store, v *validate.Validator, sub Submission) *Result {
	t.Helper()
	res, err := s.Submit(v, sub)
	require.NoError(t, err)
	return res
}

func TestSubmitStoresNormalisedAndOriginal(t *testing.T) {
	s := testStore(t)
	v := testValidator(t, validate.TaskA)
	// BOM, CRLF, the iteration column 0, topics out of order, a score
	// written as 9e1, and a score tie (broken by docno, descending).
	orig := "\ufeffsst2 0 epsilon 4 50 myrun\r\nsst2 Q0 delta 5 50 myrun\r\n" + strings.Replace(runText("myrun", 0), "sst2 Q0 delta 4 70 myrun\nsst2 Q0 epsilon 5 60 myrun\n", "", 1)
	orig = strings.Replace(orig, "cola Q0 org/beta 2 90 myrun", "cola Q0 org/beta 2 9e1 myrun", 1)
	path := writeFile(t, "my run.txt", orig)
	res := submit(t, s, v, Submission{Path: path, Team: "t1"})
	require.True(t, res.Accepted, res.Reason)
	assert.Equal(t, 3, res.Report.Warnings) // bom, crlf, iter-0
	wantNorm := "cola Q0 org/alpha 1 100 myrun\ncola Q0 org/beta 2 90 myrun\ncola Q0 org/gamma 3 80 myrun\ncola Q0 delta 4 70 myrun\ncola Q0 epsilon 5 60 myrun\n" +
		"rte Q0 org/alpha 1 100 myrun\nrte Q0 org/beta 2 90 myrun\nrte Q0 org/gamma 3 80 myrun\nrte Q0 delta 4 70 myrun\nrte Q0 epsilon 5 60 myrun\n" +
		"sst2 Q0 org/alpha 1 100 myrun\nsst2 Q0 org/beta 2 90 myrun\nsst2 Q0 org/gamma 3 80 myrun\nsst2 Q0 epsilon 4 50 myrun\nsst2 Q0 delta 5 50 myrun\n"
	assert.Equal(t, wantNorm, readStore(t, s, "A/t1/myrun/v1.run"))
	assert.Equal(t, orig, readStore(t, s, "A/t1/myrun/v1.orig"))
	assert.Equal(t, []string{"v1.orig", "v1.run"}, dirNames(t, s.abs("A/t1/myrun")))

	lines := manifestLines(t, s)
	require.Len(t, lines, 1)
	want := fmt.Sprintf(`{"time":"2026-11-23T12:00:00Z","task":"A","team":"t1","tag":"myrun","version":1,"original_name":"my run.txt",`+
		`"original":{"path":"A/t1/myrun/v1.orig","size":%d,"sha256":"%s"},"normalised":{"path":"A/t1/myrun/v1.run","size":%d,"sha256":"%s"},`+
		`"validation":{"warnings":3,"warning_codes":{"bom":1,"crlf":1,"iter-0":1},"lines":15,"run_lines":15,"topics":3,`+
		`"summary":%q}}`,
		len(orig), sha(orig), len(wantNorm), sha(wantNorm), res.Report.Summary())
	// The summary is the validator's, with the file name as it prints it.
	assert.Regexp(t, `^"?my run.txt"?: valid, 3 warnings \(Subtask A; run tag "myrun"; 3 of 3 topics; 15 run lines\)$`, res.Report.Summary())
	assert.Equal(t, want, lines[0])

	runs, err := ListRuns(s.Dir)
	require.NoError(t, err)
	assert.Equal(t, []StoredRun{{Task: "A", Team: "t1", Tag: "myrun", Version: 1,
		Path: filepath.Join(s.Dir, "A", "t1", "myrun", "v1.run"), InStore: "A/t1/myrun/v1.run", Original: filepath.Join(s.Dir, "A", "t1", "myrun", "v1.orig"),
		SHA256: sha(wantNorm), Size: int64(len(wantNorm)), Submitted: testTime, dir: s.Dir}}, runs)
	run, err := runs[0].ReadRun(trecfmt.DefaultLimits)
	require.NoError(t, err)
	assert.Equal(t, "myrun", run.Tag)
	assert.Len(t, run.Topics, 3)

	ver, err := Verify(s.Dir, false)
	require.NoError(t, err)
	assert.Empty(t, ver.Findings)
	assert.Equal(t, 1, ver.Runs)
	assert.Equal(t, 2, ver.Files)
	st, err := os.Stat(s.abs("A/t1/myrun/v1.run"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o444), st.Mode().Perm(), "stored runs are read-only")
}

func TestReplaceKeepsVersions(t *testing.T) {
	s := testStore(t)
	v := testValidator(t, validate.TaskA)
	first := writeFile(t, "a.run", runText("myrun", 0))
	second := writeFile(t, "b.run", runText("myrun", 1))
	third := writeFile(t, "c.run", runText("myrun", 2))
	require.True(t, submit(t, s, v, Submission{Path: first, Team: "t1"}).Accepted)

	res := submit(t, s, v, Submission{Path: second, Team: "t1"})
	assert.False(t, res.Accepted)
	assert.Equal(t, `team "t1" already has run "myrun" for Subtask A (version 1, submitted 2026-11-23T12:00:00Z); use --replace to submit a new version (version 1 is kept)`, res.Reason)
	assert.Len(t, manifestLines(t, s), 1, "a refused run changes nothing")

	res = submit(t, s, v, Submission{Path: second, Team: "t1", Replace: true})
	require.True(t, res.Accepted, res.Reason)
	assert.Equal(t, 2, res.Entry.Version)
	assert.Equal(t, 1, res.Entry.Replaces)
	res = submit(t, s, v, Submission{Path: third, Team: "t1", Replace: true})
	require.True(t, res.Accepted, res.Reason)
	assert.Equal(t, 3, res.Entry.Version)

	assert.Equal(t, runText("myrun", 0), readStore(t, s, "A/t1/myrun/v1.orig"))
	assert.Equal(t, runText("myrun", 1), readStore(t, s, "A/t1/myrun/v2.orig"))
	assert.Equal(t, runText("myrun", 2), readStore(t, s, "A/t1/myrun/v3.orig"))
	assert.Equal(t, runText("myrun", 2), readStore(t, s, "A/t1/myrun/v3.run"))
	assert.Len(t, manifestLines(t, s), 3)
	runs, err := ListRuns(s.Dir)
	require.NoError(t, err)
	require.Len(t, runs, 1)
	assert.Equal(t, 3, runs[0].Version)
	assert.Equal(t, sha(runText("myrun", 2)), runs[0].SHA256)
	ver, err := Verify(s.Dir, false)
	require.NoError(t, err)
	assert.Empty(t, ver.Findings)
	assert.Equal(t, 3, ver.Versions)
	assert.Equal(t, 6, ver.Files)
}

func TestRunLimit(t *testing.T) {
	s := testStore(t)
	v := testValidator(t, validate.TaskA)
	for _, tag := range []string{"b", "a"} {
		res := submit(t, s, v, Submission{Path: writeFile(t, tag, runText(tag, 0)), Team: "t1", MaxRuns: 2})
		require.True(t, res.Accepted, res.Reason)
	}
	res := submit(t, s, v, Submission{Path: writeFile(t, "c", runText("c", 0)), Team: "t1", MaxRuns: 2})
	assert.False(t, res.Accepted)
	assert.Equal(t, `team "t1" already has 2 runs for Subtask A ("a", "b"), the limit; replace one of them with --replace`, res.Reason)
	res = submit(t, s, v, Submission{Path: writeFile(t, "a", runText("a", 5)), Team: "t1", MaxRuns: 2, Replace: true})
	assert.True(t, res.Accepted, "replacing does not count against the limit")
	res = submit(t, s, v, Submission{Path: writeFile(t, "c", runText("c", 0)), Team: "t2", MaxRuns: 2})
	assert.True(t, res.Accepted, "the limit is per team")
	vb := testValidator(t, validate.TaskB)
	res = submit(t, s, vb, Submission{Path: writeFile(t, "c", runText("c", 0)), Team: "t1", MaxRuns: 2})
	assert.True(t, res.Accepted, "and per task")
	assert.Equal(t, "B/t1/c/v1.run", res.Entry.Normalised.Path)
}

func TestCheckName(t *testing.T) {
	const rule = "; use 1 to 64 characters from A-Z a-z 0-9 _ . - not starting with '.' or '-'"
	cases := map[string]string{
		"../etc":                 `team name "../etc" is not allowed: it contains the path separator '/'`,
		"/abs":                   `team name "/abs" is not allowed: it contains the path separator '/'`,
		`a\b`:                    `team name "a\\b" is not allowed: it contains the path separator '\\'`,
		"..":                     `team name ".." is not allowed: it starts with '.'`,
		".":                      `team name "." is not allowed: it starts with '.'`,
		".hidden":                `team name ".hidden" is not allowed: it starts with '.'`,
		"-rf":                    `team name "-rf" is not allowed: it starts with '-' (it would read as an option)`,
		"--":                     `team name "--" is not allowed: it starts with '-' (it would read as an option)`,
		"-":                      `team name "-" is not allowed: it starts with '-' (it would read as an option)`,
		"a\x00b":                 `team name "a\x00b" is not allowed: it contains the control character U+0000`,
		"a\nb":                   `team name "a\nb" is not allowed: it contains the control character U+000A`,
		"evil\n\x1b[31mOK":       `team name "evil\n\x1b[31mOK" is not allowed: it contains the control character U+000A`,
		"\x1b[2J":                `team name "\x1b[2J" is not allowed: it contains the control character U+001B`,
		"a\u0085b":               `team name "a\u0085b" is not allowed: it contains the control character U+0085`,
		"a\u202eb":               `team name "a\u202eb" is not allowed: it contains '\u202e'`,
		"tëam":                   `team name "tëam" is not allowed: it contains 'ë'`,
		"a b":                    `team name "a b" is not allowed: it contains ' '`,
		"a\xffb":                 `team name "a\xffb" is not allowed: it is not valid UTF-8`,
		"$(rm)":                  `team name "$(rm)" is not allowed: it contains '$'`,
		"a*":                     `team name "a*" is not allowed: it contains '*'`,
		strings.Repeat("x", 65):  `team name "` + strings.Repeat("x", 65) + `" is not allowed: it is 65 bytes long`,
		strings.Repeat("y", 1e4): `team name "` + strings.Repeat("y", 80) + `"… (10000 bytes) is not allowed: it is 10000 bytes long`,
	}
	for name, want := range cases {
		err := CheckName("team name", name)
		assert.EqualError(t, err, want+rule, "%q", name)
		// Quoted: nothing in the message can drive a terminal.
		for _, r := range err.Error() {
			assert.True(t, r >= 0x20 && r != 0x7f && (r < 0x80 || r >= 0xa0) && r != 0x202e, "%q in the message for %q", r, name)
		}
	}
	assert.EqualError(t, CheckName("team name", ""), "team name is empty"+rule)
	for _, ok := range []string{"t1", "NTCIR-team_2.v", strings.Repeat("x", 64), "a..b", "a-", "a.v1", "v1", "a.v1.run", "current", "x.v9223372036854775807"} {
		assert.NoError(t, CheckName("team name", ok), ok)
	}
	// Stores written before the '-' rule may hold such names: the manifest
	// reader accepts them, intake does not make new ones.
	assert.NoError(t, checkStoredName("team name", "-rf"))
}

// TestNamesCannotEscape: hostile team names and run tags are refused and
// nothing is written anywhere.
func TestNamesCannotEscape(t *testing.T) {
	s := testStore(t)
	v := testValidator(t, validate.TaskA)
	good := writeFile(t, "run", runText("myrun", 0))
	for _, team := range []string{"../evil", "/tmp/evil", "..", "a/../../b", ".x", "a\nb", "-rf", "--", "\x00", "é", strings.Repeat("z", 4096)} {
		res := submit(t, s, v, Submission{Path: good, Team: team})
		assert.False(t, res.Accepted, team)
		assert.Nil(t, res.Report, "refused before reading the run")
		assert.Equal(t, CheckName("team name", team).Error(), res.Reason)
	}
	assert.Empty(t, dirNames(t, s.Dir), "refused before touching the store")
	// Run tags that the task's tag syntax allows but a directory name must
	// not start with.
	for _, tag := range []string{"..", ".hidden", "-rf", "--"} {
		res := submit(t, s, v, Submission{Path: writeFile(t, "run", runText(tag, 0)), Team: "t1"})
		assert.False(t, res.Accepted)
		assert.Equal(t, CheckName("run tag", tag).Error()+" (the store cannot hold it)", res.Reason)
		assert.True(t, res.Report.Valid())
	}
	assert.Equal(t, []string{".staging"}, dirNames(t, s.Dir))
	assert.Empty(t, dirNames(t, filepath.Join(s.Dir, stagingName)), "refused submissions leave no staged files")
	assert.Len(t, dirNames(t, filepath.Dir(s.Dir)), 1, "nothing next to the store")
}

func TestInvalidRunRefused(t *testing.T) {
	s := testStore(t)
	v := testValidator(t, validate.TaskA)
	bad := writeFile(t, "bad.run", strings.Replace(runText("myrun", 0), "cola Q0 delta 4 70", "cola Q0 delta x 70", 1))
	res := submit(t, s, v, Submission{Path: bad, Team: "t1"})
	assert.False(t, res.Accepted)
	assert.Equal(t, `the run is invalid (INVALID: 1 error (Subtask A; run tag "myrun"; 3 of 3 topics; 15 run lines))`, res.Reason)
	assert.Equal(t, `bad.run:4:15: error: rank "x" is not an integer [rank]`, res.Report.Problems[0].String())
	_, err := os.Stat(filepath.Join(s.Dir, ManifestName))
	assert.True(t, os.IsNotExist(err), "no manifest for a refused run")

	res = submit(t, s, v, Submission{Path: filepath.Join(t.TempDir(), "missing.run"), Team: "t1"})
	assert.False(t, res.Accepted)
	assert.Contains(t, res.Reason, "missing.run: no such file or directory")

	limited, err := validate.NewValidator(validate.Rules{Task: validate.TaskA, Pool: []string{"delta"}, Topics: []string{"cola"},
		Limits: trecfmt.Limits{MaxBytes: 10}})
	require.NoError(t, err)
	res = submit(t, s, limited, Submission{Path: bad, Team: "t1"})
	assert.Equal(t, "bad.run is larger than the limit of 10 bytes", res.Reason)
}

// TestConcurrentGoroutines: intakes racing on one store serialise on the
// lock; the manifest gets one whole line per accepted run.
func TestConcurrentGoroutines(t *testing.T) {
	s := testStore(t)
	v := testValidator(t, validate.TaskA)
	const n = 8
	paths := make([]string, n)
	for i := range paths {
		paths[i] = writeFile(t, "run", runText("r"+strconv.Itoa(i), i))
	}
	same := writeFile(t, "same", runText("same", 0))
	var wg sync.WaitGroup
	results := make([]*Result, 2*n)
	errs := make([]error, 2*n)
	for i := 0; i < n; i++ {
		wg.Add(2)
		go func(i int) {
			defer wg.Done()
			results[i], errs[i] = s.Submit(v, Submission{Path: paths[i], Team: "t" + strconv.Itoa(i%3)})
		}(i)
		go func(i int) {
			defer wg.Done()
			// All racing for one tag: exactly one is first; with
			// replace, every one becomes a version.
			results[n+i], errs[n+i] = s.Submit(v, Submission{Path: same, Team: "shared", Replace: i%2 == 1})
		}(i)
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	for i := 0; i < n; i++ {
		assert.True(t, results[i].Accepted, results[i].Reason)
	}
	acceptedSame := 0
	for i := n; i < 2*n; i++ {
		if results[i].Accepted {
			acceptedSame++
		}
	}
	lines := manifestLines(t, s)
	assert.Len(t, lines, n+acceptedSame)
	var versions []int
	for _, l := range lines {
		var e Entry
		require.NoError(t, json.Unmarshal([]byte(l), &e), l)
		if e.Tag == "same" {
			versions = append(versions, e.Version)
		}
	}
	want := make([]int, acceptedSame)
	for i := range want {
		want[i] = i + 1
	}
	assert.Equal(t, want, versions, "versions of the shared run are 1..k in manifest order")
	assert.GreaterOrEqual(t, acceptedSame, 1)
	assert.LessOrEqual(t, acceptedSame, n/2+1, "only the first of the non-replace submissions can succeed")
	ver, err := Verify(s.Dir, false)
	require.NoError(t, err)
	assert.Empty(t, ver.Findings)
	assert.Equal(t, n+1, ver.Runs)
}

// The helper process: when re-executed by a test with MREVAL_INTAKE_HELPER
// set, the test binary submits one file and exits. MREVAL_INTAKE_CRASH
// names a stage at which it dies without cleaning up, as a crash would.
func TestHelperProcess(t *testing.T) {
	if os.Getenv("MREVAL_INTAKE_HELPER") != "1" {
		return
	}
	if stage := os.Getenv("MREVAL_INTAKE_CRASH"); stage != "" {
		testHook = func(s string) {
			if s == stage {
				os.Exit(42)
			}
		}
	}
	s, err := Open(os.Getenv("MREVAL_STORE"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	v := testValidator(t, validate.TaskA)
	for _, p := range strings.Split(os.Getenv("MREVAL_FILES"), ",") {
		res, err := s.Submit(v, Submission{Path: p, Team: os.Getenv("MREVAL_TEAM"), Replace: os.Getenv("MREVAL_REPLACE") == "1"})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		if !res.Accepted {
			fmt.Fprintln(os.Stderr, res.Reason)
			os.Exit(1)
		}
	}
	os.Exit(0)
}

func helper(store, team string, replace bool, crashAt string, files ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), "MREVAL_INTAKE_HELPER=1", "MREVAL_STORE="+store, "MREVAL_TEAM="+team,
		"MREVAL_FILES="+strings.Join(files, ","), "MREVAL_INTAKE_CRASH="+crashAt)
	if replace {
		cmd.Env = append(cmd.Env, "MREVAL_REPLACE=1")
	}
	return cmd
}

func TestConcurrentProcesses(t *testing.T) {
	s := testStore(t)
	const perProcess = 5
	var cmds []*exec.Cmd
	for p := 0; p < 2; p++ {
		var files []string
		for i := 0; i < perProcess; i++ {
			tag := fmt.Sprintf("p%dr%d", p, i)
			files = append(files, writeFile(t, tag, runText(tag, i)))
		}
		cmd := helper(s.Dir, "team"+strconv.Itoa(p), false, "", files...)
		require.NoError(t, cmd.Start())
		cmds = append(cmds, cmd)
	}
	for _, cmd := range cmds {
		require.NoError(t, cmd.Wait())
	}
	lines := manifestLines(t, s)
	require.Len(t, lines, 2*perProcess)
	var tags []string
	for _, l := range lines {
		var e Entry
		require.NoError(t, json.Unmarshal([]byte(l), &e), l)
		tags = append(tags, e.Team+"/"+e.Tag)
	}
	slices.Sort(tags)
	assert.Equal(t, []string{"team0/p0r0", "team0/p0r1", "team0/p0r2", "team0/p0r3", "team0/p0r4",
		"team1/p1r0", "team1/p1r1", "team1/p1r2", "team1/p1r3", "team1/p1r4"}, tags)
	ver, err := Verify(s.Dir, false)
	require.NoError(t, err)
	assert.Empty(t, ver.Findings)
}

// TestCrash kills an intake (a replace of version 1 by version 2) at every
// step and checks that the store is in the old or the new state — never a
// half file — and that the next intake finishes or clears the leftovers.
func TestCrash(t *testing.T) {
	v := testValidator(t, validate.TaskA)
	v1, v2 := runText("myrun", 0), runText("myrun", 7)
	staged := ".staging/*: " + stagedProblem
	cases := []struct {
		stage    string
		version  int      // version the manifest lists after the crash
		findings []string // what verify reports before repair
		after    []string // what verify reports after the next intake
		setAside []string // uncommitted files the next intake moves to .uncommitted/
		next     int      // version the next replace gets
	}{
		{stage: "staged-original", version: 1, findings: []string{staged}, next: 2},
		{stage: "staged", version: 1, findings: []string{staged}, next: 2},
		{stage: "locked", version: 1, findings: []string{staged}, next: 2},
		// The next intake sets the uncommitted files aside in .uncommitted/
		// (kept, not counted as drift), so version 2 is free again.
		{stage: "linked-original", version: 1, findings: []string{staged, "A/t1/myrun/v2.orig: " + uncommittedProblem},
			setAside: []string{"A/t1/myrun/v2.orig"}, next: 2},
		{stage: "versioned", version: 1, findings: []string{staged, "A/t1/myrun/v2.orig: " + uncommittedProblem, "A/t1/myrun/v2.run: " + uncommittedProblem},
			setAside: []string{"A/t1/myrun/v2.orig", "A/t1/myrun/v2.run"}, next: 2},
		{stage: "committed", version: 2, findings: []string{staged}, next: 3},
	}
	for _, tc := range cases {
		t.Run(tc.stage, func(t *testing.T) {
			s := testStore(t)
			require.True(t, submit(t, s, v, Submission{Path: writeFile(t, "v1", v1), Team: "t1"}).Accepted)
			err := helper(s.Dir, "t1", true, tc.stage, writeFile(t, "v2", v2)).Run()
			var exit *exec.ExitError
			require.ErrorAs(t, err, &exit)
			require.Equal(t, 42, exit.ExitCode(), "the helper died at %s", tc.stage)

			// A reader sees a whole committed state.
			runs, err := ListRuns(s.Dir)
			require.NoError(t, err)
			require.Len(t, runs, 1)
			assert.Equal(t, tc.version, runs[0].Version)
			run, err := runs[0].ReadRun(trecfmt.DefaultLimits)
			require.NoError(t, err)
			assert.Equal(t, map[int]float64{1: 100, 2: 107}[tc.version], run.ByID["cola"].Entries[0].Score)
			assertNoHalfFiles(t, s, v1, v2)

			ver, err := Verify(s.Dir, false)
			require.NoError(t, err)
			assert.Equal(t, tc.findings, findingStrings(ver))

			// The next intake clears up and carries on.
			res := submit(t, s, v, Submission{Path: writeFile(t, "v3", runText("myrun", 9)), Team: "t1", Replace: true})
			require.True(t, res.Accepted, res.Reason)
			assert.Equal(t, tc.next, res.Entry.Version)
			require.Len(t, res.Notes, 1+len(tc.setAside))
			assert.Regexp(t, `^removed "?\.staging/intake-[0-9a-z]+"?, left by an interrupted intake$`, res.Notes[0])
			for i, rel := range tc.setAside {
				assert.Equal(t, "set aside "+rel+" in .uncommitted: complete files of an intake interrupted before its commit (never accepted; kept, not deleted)", res.Notes[1+i])
			}
			if len(tc.setAside) > 0 {
				assert.Equal(t, v2, readStore(t, s, ".uncommitted/A/t1/myrun/v2.orig"), "the bytes of the interrupted intake are kept")
			}
			ver, err = Verify(s.Dir, false)
			require.NoError(t, err)
			want := tc.after
			if want == nil {
				want = []string{}
			}
			assert.Equal(t, want, findingStrings(ver))
			for version, content := range map[int]string{1: v1, tc.next: runText("myrun", 9)} {
				assert.Equal(t, content, readStore(t, s, fmt.Sprintf("A/t1/myrun/v%d.orig", version)))
			}
			if tc.version == 2 {
				assert.Equal(t, v2, readStore(t, s, "A/t1/myrun/v2.orig"))
			}
		})
	}
}

func findingStrings(v *Verification) []string {
	out := []string{}
	for _, f := range v.Findings {
		p := f.Path
		if strings.HasPrefix(p, stagingName+"/") {
			p = stagingName + "/*" // random names
		}
		out = append(out, p+": "+f.Problem)
	}
	return out
}

// assertNoHalfFiles: every visible file of the store holds a complete
// version (the bytes of v1 or v2, or their normal form, which is the same
// here).
func assertNoHalfFiles(t *testing.T, s *Store, contents ...string) {
	t.Helper()
	err := filepath.WalkDir(s.Dir, func(p string, d os.DirEntry, err error) error {
		require.NoError(t, err)
		name := d.Name()
		if d.IsDir() || name == ManifestName || name == lockName || strings.HasPrefix(name, ".") || strings.Contains(p, stagingName) {
			return nil
		}
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		assert.Contains(t, contents, string(b), "%s is not a whole version", s.rel(p))
		return nil
	})
	require.NoError(t, err)
}

func TestVerifyReportsTampering(t *testing.T) {
	s := testStore(t)
	v := testValidator(t, validate.TaskA)
	v1, v2 := runText("myrun", 0), runText("myrun", 3)
	require.True(t, submit(t, s, v, Submission{Path: writeFile(t, "a", v1), Team: "t1"}).Accepted)
	require.True(t, submit(t, s, v, Submission{Path: writeFile(t, "b", v2), Team: "t1", Replace: true}).Accepted)

	// Edit version 1's original in place, delete version 2's normal form,
	// add a stray file, a stray team, a file where only tag directories
	// belong, and a file named to forge an output line.
	p := s.abs("A/t1/myrun/v1.orig")
	require.NoError(t, os.Chmod(p, 0o644))
	edited := strings.Replace(v1, "cola Q0 org/alpha 1 100", "cola Q0 org/alpha 1 101", 1)
	require.NoError(t, os.WriteFile(p, []byte(edited), 0o644))
	require.NoError(t, os.Remove(s.abs("A/t1/myrun/v2.run")))
	require.NoError(t, os.WriteFile(s.abs("A/t1/myrun/notes.txt"), []byte("x"), 0o644))
	require.NoError(t, os.WriteFile(s.abs("A/t1/myrun/v7.run"), []byte("x"), 0o644))
	require.NoError(t, os.WriteFile(s.abs("A/t1/stray.run"), []byte("x"), 0o644))
	require.NoError(t, os.Mkdir(s.abs("A/.sneaky"), 0o755))
	require.NoError(t, os.WriteFile(s.abs("extra"), []byte("x"), 0o644))
	require.NoError(t, os.WriteFile(s.abs("evil\ndrift: all fine\x1b[0m"), []byte("x"), 0o644))

	ver, err := Verify(s.Dir, false)
	require.NoError(t, err)
	assert.Equal(t, []string{
		"A/.sneaky: not part of the store",
		"A/t1/myrun/notes.txt: not part of the store",
		"A/t1/myrun/v1.orig: the original of version 1 has SHA-256 " + sha(edited) + "; the manifest says " + sha(v1) + " (changed since intake)",
		"A/t1/myrun/v2.run: the normalised run of version 2 is missing",
		"A/t1/myrun/v7.run: " + uncommittedProblem,
		"A/t1/stray.run: not part of the store (a team's directory holds only run tag directories; a file left from format 1 whose bytes are kept elsewhere is removed by verify --repair)",
		"evil\ndrift: all fine\x1b[0m: not part of the store",
		"extra: not part of the store",
	}, findingStrings(ver))
	assert.False(t, ver.OK())
	assert.Equal(t, `"evil\ndrift: all fine\x1b[0m": not part of the store`, ver.Findings[6].String(), "names are quoted when printed")

	// The scorer's reader refuses the changed run by name.
	runs, err := ListRuns(s.Dir)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(s.abs("A/t1/myrun/v2.run"), []byte(strings.Replace(v2, "103", "999", 1)), 0o644))
	_, err = runs[0].ReadRun(trecfmt.DefaultLimits)
	assert.ErrorIs(t, err, ErrTampered)
	assert.EqualError(t, err, s.abs("A/t1/myrun/v2.run")+": SHA-256 "+sha(strings.Replace(v2, "103", "999", 1))+"; the manifest says "+
		strconv.Itoa(len(v2))+" bytes with SHA-256 "+sha(v2)+": stored run changed since intake, so it is not scored (mreval intake verify --store "+s.Dir+" lists every change)")
	require.NoError(t, os.WriteFile(s.abs("A/t1/myrun/v2.run"), []byte(v2+"cola Q0 delta 6 1 myrun\n"), 0o644))
	_, err = runs[0].ReadRun(trecfmt.DefaultLimits)
	assert.ErrorIs(t, err, ErrTampered)
	assert.ErrorContains(t, err, s.abs("A/t1/myrun/v2.run")+": "+strconv.Itoa(len(v2)+24)+" bytes; the manifest says ")
	require.NoError(t, os.WriteFile(s.abs("A/t1/myrun/v2.run"), []byte(v2), 0o644))
	run, err := runs[0].ReadRun(trecfmt.DefaultLimits)
	require.NoError(t, err, "the same bytes again read fine")
	assert.Equal(t, 103.0, run.ByID["cola"].Entries[0].Score)

	// A damaged manifest is an error, for verify, intake and listing alike.
	mf := filepath.Join(s.Dir, ManifestName)
	raw, err := os.ReadFile(mf)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(mf, raw[:len(raw)-1], 0o644))
	_, err = Verify(s.Dir, false)
	assert.EqualError(t, err, mf+": the last line is incomplete (no newline): the manifest was damaged")
	require.NoError(t, os.WriteFile(mf, append(raw, []byte("{not json}\n")...), 0o644))
	_, err = ListRuns(s.Dir)
	assert.ErrorContains(t, err, mf+":4: not a manifest entry: ")
	_, err = s.Submit(v, Submission{Path: writeFile(t, "c", v2), Team: "t2"})
	assert.ErrorContains(t, err, mf+":4: not a manifest entry: ")
	lines := strings.SplitAfter(string(raw), "\n")
	forged := lines[0] + strings.Replace(lines[1], `"path":"A/t1/myrun/v1.run"`, `"path":"../../etc/passwd"`, 1)
	require.NoError(t, os.WriteFile(mf, []byte(forged), 0o644))
	_, err = ListRuns(s.Dir)
	assert.EqualError(t, err, mf+`:2: normalised path "../../etc/passwd" should be "A/t1/myrun/v1.run"`)
	require.NoError(t, os.WriteFile(mf, []byte(`{"store_format":4,"note":"x"}`+"\n"), 0o644))
	_, err = ListRuns(s.Dir)
	assert.EqualError(t, err, mf+`:1: store format 4; this mreval reads format 3 (and migrates formats 1 and 2)`)
}

// TestRepairRemovesLeftovers: verify --repair removes a dead intake's
// staging directory and temporary files, sets complete but uncommitted
// version files aside in .uncommitted/ (kept byte for byte, not drift), and
// touches nothing else.
func TestRepairRemovesLeftovers(t *testing.T) {
	s := testStore(t)
	v := testValidator(t, validate.TaskA)
	v1, v2 := runText("myrun", 0), runText("myrun", 4)
	require.True(t, submit(t, s, v, Submission{Path: writeFile(t, "v1", v1), Team: "t1"}).Accepted)
	err := helper(s.Dir, "t1", true, "versioned", writeFile(t, "v2", v2)).Run()
	require.Error(t, err)
	require.NoError(t, os.WriteFile(s.abs(".MANIFEST.jsonl.tmp-123"), []byte("half"), 0o600))
	require.NoError(t, os.WriteFile(s.abs(".staging/submission-1.orig"), []byte("a format-1 leftover"), 0o600))

	ver, err := Verify(s.Dir, true)
	require.NoError(t, err)
	require.Len(t, ver.Repairs, 5)
	assert.Regexp(t, `^removed \.staging/intake-[0-9a-z]+, left by an interrupted intake$`, ver.Repairs[0])
	assert.Equal(t, `removed .staging/submission-1.orig, left by an interrupted intake`, ver.Repairs[1])
	assert.Equal(t, `removed .MANIFEST.jsonl.tmp-123, left by an interrupted write`, ver.Repairs[2])
	setAside := " in .uncommitted: complete files of an intake interrupted before its commit (never accepted; kept, not deleted)"
	assert.Equal(t, "set aside A/t1/myrun/v2.orig"+setAside, ver.Repairs[3])
	assert.Equal(t, "set aside A/t1/myrun/v2.run"+setAside, ver.Repairs[4])
	assert.Equal(t, []string{}, findingStrings(ver))
	assert.Equal(t, v2, readStore(t, s, ".uncommitted/A/t1/myrun/v2.orig"))
	assert.Equal(t, []string{"v1.orig", "v1.run"}, dirNames(t, s.abs("A/t1/myrun")))
	assert.Empty(t, dirNames(t, s.abs(".staging")))
	assert.Equal(t, []string{".lock", ".staging", ".uncommitted", "A", "MANIFEST.jsonl"}, dirNames(t, s.Dir))
}

func TestParseVersionFileName(t *testing.T) {
	type parsed struct {
		v    int
		kind string
	}
	for name, want := range map[string]parsed{
		"v1.run": {1, "run"}, "v12.orig": {12, "orig"}, "v999999.run": {999999, "run"},
		"v0.run": {}, "v01.run": {}, "v.run": {}, "v1000000.run": {}, "v9223372036854775807.run": {}, "v99999999999999999999.run": {},
		"v-1.run": {}, "v+1.run": {}, "v1.txt": {}, "v1.run.run": {}, "v1": {}, "1.run": {}, "x.v1.run": {}, "V1.run": {}, "v1.Run": {}, "": {},
		"v١.run": {}, // an Arabic-Indic digit
	} {
		n, kind, ok := parseVersionFileName(name)
		assert.Equal(t, want, parsed{n, kind}, name)
		assert.Equal(t, want.v > 0, ok, name)
		if ok {
			assert.Equal(t, name, versionFileName(n, kind), "the parser inverts the namer")
		}
	}
}
