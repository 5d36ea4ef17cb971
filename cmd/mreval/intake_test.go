package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIntakeCLI(t *testing.T) {
	store := filepath.Join(t.TempDir(), "store")
	coll := []string{"--pool", "testdata/validate/pool.txt", "--topics", "testdata/validate/topics.txt"}
	intake := func(extra ...string) (int, string, string) {
		return runCLI(append(append([]string{"intake", "--store", store, "--team", "t1"}, coll...), extra...)...)
	}
	valid := "testdata/validate/valid.run"
	raw, err := os.ReadFile(valid)
	require.NoError(t, err)
	// valid.run is already in normal form, so both hashes are its hash.
	sum := sha256.Sum256(raw)
	hash := hex.EncodeToString(sum[:])

	code, stdout, stderr := intake(valid)
	assert.Equal(t, 0, code, stderr)
	assert.Equal(t, `valid.run: valid (Subtask A; run tag "myrun"; 3 of 3 topics; 15 run lines)
accepted: testdata/validate/valid.run: run "myrun" of team "t1" stored as A/t1/myrun/v1.run (version 1; sha256 `+hash+")\n", stdout)
	stored, err := os.ReadFile(filepath.Join(store, "A", "t1", "myrun", "v1.run"))
	require.NoError(t, err)
	assert.Equal(t, string(raw), string(stored))

	code, stdout, _ = intake(valid)
	assert.Equal(t, 1, code)
	assert.Contains(t, stdout, `refused: testdata/validate/valid.run: team "t1" already has run "myrun" for Subtask A (version 1, submitted `)

	code, stdout, _ = intake("--replace", valid)
	assert.Equal(t, 0, code)
	assert.Contains(t, stdout, "stored as A/t1/myrun/v2.run (version 2, replacing version 1; sha256 "+hash+")\n")

	code, stdout, _ = intake("testdata/validate/bad.run")
	assert.Equal(t, 1, code)
	assert.Contains(t, stdout, "bad.run: INVALID: 12 errors, 3 warnings (Subtask A; run tag \"myrun\"; 2 of 3 topics; 12 run lines)\n"+
		"refused: testdata/validate/bad.run: the run is invalid (INVALID: 12 errors, 3 warnings (Subtask A; run tag \"myrun\"; 2 of 3 topics; 12 run lines))\n")

	code, stdout, _ = runCLI("intake", "verify", "--store", store)
	assert.Equal(t, 0, code)
	assert.Equal(t, store+": 1 runs, 2 versions, 4 files re-hashed: OK\n", stdout)

	p := filepath.Join(store, "A", "t1", "myrun", "v1.orig")
	require.NoError(t, os.Chmod(p, 0o644))
	require.NoError(t, os.WriteFile(p, []byte("tampered\n"), 0o644))
	code, stdout, _ = runCLI("intake", "verify", "--store", store)
	assert.Equal(t, 1, code)
	assert.Equal(t, "drift: A/t1/myrun/v1.orig: the original of version 1 has 9 bytes; the manifest says "+strconv.Itoa(len(raw))+"\n"+
		store+": 1 runs, 2 versions, 4 files re-hashed: DRIFT (1 findings)\n", stdout)
}

// TestIntakeCLIQuotesNames: a file named to forge an output line and to
// inject a terminal escape is printed quoted, never raw.
func TestIntakeCLIQuotesNames(t *testing.T) {
	dir := t.TempDir()
	store := filepath.Join(dir, "store")
	raw, err := os.ReadFile("testdata/validate/valid.run")
	require.NoError(t, err)
	evil := filepath.Join(dir, "evil\naccepted: all\x1b[31m.run")
	require.NoError(t, os.WriteFile(evil, raw, 0o644))
	code, stdout, stderr := runCLI("intake", "--store", store, "--team", "t1", "--pool", "testdata/validate/pool.txt", "--topics", "testdata/validate/topics.txt", evil)
	assert.Equal(t, 0, code, stderr)
	last := stdout[strings.LastIndex(strings.TrimSuffix(stdout, "\n"), "\n")+1:]
	assert.True(t, strings.HasPrefix(last, "accepted: "+strconv.Quote(evil)+`: run "myrun" of team "t1" stored as A/t1/myrun/v1.run (version 1; sha256 `), last)
	assert.Equal(t, 1, strings.Count(last, "\n"))
	assert.NotContains(t, last, "\x1b")

	code, stdout, _ = runCLI("intake", "--store", store, "--team", "t1", "--pool", "testdata/validate/pool.txt", "--topics", "testdata/validate/topics.txt", evil+"-missing")
	assert.Equal(t, 1, code)
	assert.Equal(t, "refused: "+strconv.Quote(evil+"-missing")+": cannot read "+strconv.Quote(evil+"-missing")+": no such file or directory\n", stdout)
}

// TestLeaderboardStoreRefusesTampered: a stored run whose bytes changed
// after intake is not scored; leaderboard names it and exits 1.
func TestLeaderboardStoreRefusesTampered(t *testing.T) {
	store := filepath.Join(t.TempDir(), "store")
	code, stdout, stderr := runCLI("intake", "--store", store, "--team", "t1", "--pool", "testdata/validate/pool.txt", "--topics", "testdata/validate/topics.txt", "testdata/validate/valid.run")
	require.Equal(t, 0, code, stdout+stderr)
	lb := []string{"leaderboard", "--qrels", "testdata/validate/qrels.txt", "--store", store, "--format", "csv", "--resamples", "100", "--permutations", "100"}
	code, _, stderr = runCLI(lb...)
	require.Equal(t, 0, code, stderr)

	p := filepath.Join(store, "A", "t1", "myrun", "v1.run")
	raw, err := os.ReadFile(p)
	require.NoError(t, err)
	// Same size, the top model swapped with the second: a forged ranking.
	forged := strings.Replace(strings.Replace(string(raw), "org/alpha 1", "org/TMPxx 1", 1), "org/beta 2", "org/alpha 2", 1)
	forged = strings.Replace(forged, "org/TMPxx 1", "org/beta 1", 1)
	require.Len(t, forged, len(raw))
	require.NotEqual(t, string(raw), forged)
	require.NoError(t, os.Chmod(p, 0o644))
	require.NoError(t, os.WriteFile(p, []byte(forged), 0o644))
	code, stdout, stderr = runCLI(lb...)
	assert.Equal(t, 1, code)
	assert.Empty(t, stdout)
	sum := sha256.Sum256([]byte(forged))
	want := sha256.Sum256(raw)
	assert.Equal(t, "mreval: "+p+": SHA-256 "+hex.EncodeToString(sum[:])+"; the manifest says "+strconv.Itoa(len(raw))+" bytes with SHA-256 "+hex.EncodeToString(want[:])+
		": stored run changed since intake, so it is not scored (mreval intake verify --store "+store+" lists every change)\n", stderr)
}

// TestIntakeVerifyOldFormat: a store of the old layout is refused by plain
// verify, intake and leaderboard alike, with the command that migrates it.
func TestIntakeVerifyOldFormat(t *testing.T) {
	store := filepath.Join(t.TempDir(), "store")
	raw, err := os.ReadFile("testdata/validate/valid.run")
	require.NoError(t, err)
	sum := sha256.Sum256(raw)
	h := hex.EncodeToString(sum[:])
	require.NoError(t, os.MkdirAll(filepath.Join(store, "A", "t1"), 0o755))
	for _, name := range []string{"myrun.v1.run", "myrun.v1.orig", "myrun.run", "myrun.orig"} {
		require.NoError(t, os.WriteFile(filepath.Join(store, "A", "t1", name), raw, 0o444))
	}
	line := `{"time":"2026-11-23T12:00:00Z","task":"A","team":"t1","tag":"myrun","version":1,"original_name":"valid.run",` +
		`"original":{"path":"A/t1/myrun.v1.orig","size":` + strconv.Itoa(len(raw)) + `,"sha256":"` + h + `"},` +
		`"normalised":{"path":"A/t1/myrun.v1.run","size":` + strconv.Itoa(len(raw)) + `,"sha256":"` + h + `"},` +
		`"validation":{"warnings":0,"lines":15,"run_lines":15,"topics":3,"summary":"valid.run: valid"}}` + "\n"
	require.NoError(t, os.WriteFile(filepath.Join(store, "MANIFEST.jsonl"), []byte(line), 0o644))
	old := "store " + store + " is in the old format 1 (file names that a run tag could collide with); run 'mreval intake verify --repair --store " + store + "' to migrate it: old store format"

	code, stdout, stderr := runCLI("intake", "verify", "--store", store)
	assert.Equal(t, 1, code)
	assert.Empty(t, stdout)
	assert.Equal(t, "mreval: "+old+"\n", stderr)
	code, _, stderr = runCLI("intake", "--store", store, "--team", "t2", "--pool", "testdata/validate/pool.txt", "--topics", "testdata/validate/topics.txt", "testdata/validate/valid.run")
	assert.Equal(t, 1, code)
	assert.Equal(t, "mreval: testdata/validate/valid.run: "+old+"\n", stderr)
	code, _, stderr = runCLI("leaderboard", "--qrels", "testdata/validate/qrels.txt", "--store", store)
	assert.Equal(t, 1, code)
	assert.Equal(t, "mreval: "+old+"\n", stderr)

	code, stdout, stderr = runCLI("intake", "verify", "--repair", "--store", store)
	assert.Equal(t, 0, code, stderr)
	assert.Equal(t, "repaired: migrated the store from format 1 to format 3: 1 versions of 1 runs now under <task>/<team>/<tag>/v<N>.{orig,run}; the old manifest is kept as MANIFEST.format1.jsonl\n"+
		"repaired: removed A/t1/myrun.orig, a format-1 file whose bytes are kept in A/t1/myrun/v1.orig\n"+
		"repaired: removed A/t1/myrun.run, a format-1 file whose bytes are kept in A/t1/myrun/v1.orig\n"+
		"repaired: removed A/t1/myrun.v1.orig, a format-1 file whose bytes are kept in A/t1/myrun/v1.orig\n"+
		"repaired: removed A/t1/myrun.v1.run, a format-1 file whose bytes are kept in A/t1/myrun/v1.orig\n"+
		store+": 1 runs, 1 versions, 2 files re-hashed: OK\n", stdout)
	code, stdout, _ = runCLI("intake", "verify", "--store", store)
	assert.Equal(t, 0, code)
	assert.Equal(t, store+": 1 runs, 1 versions, 2 files re-hashed: OK\n", stdout)
}

func TestIntakeUsage(t *testing.T) {
	store := t.TempDir()
	coll := []string{"--pool", "testdata/validate/pool.txt", "--topics", "testdata/validate/topics.txt"}
	cases := map[string]struct {
		args []string
		want string
	}{
		"no store":        {append([]string{"intake", "--team", "t"}, coll...), "mreval: intake needs --store DIR\n"},
		"no team":         {append([]string{"intake", "--store", store}, coll...), "mreval: intake needs --team TEAM\n"},
		"no runs":         {append([]string{"intake", "--store", store, "--team", "t"}, coll...), "mreval: intake needs at least one RUN file\n"},
		"bad team":        {append([]string{"intake", "--store", store, "--team", "../t", "x.run"}, coll...), "mreval: --team: team name \"../t\" is not allowed: it contains the path separator '/'; use 1 to 64 characters from A-Z a-z 0-9 _ . - not starting with '.' or '-'\n"},
		"option team":     {append([]string{"intake", "--store", store, "--team=-rf", "x.run"}, coll...), "mreval: --team: team name \"-rf\" is not allowed: it starts with '-' (it would read as an option); use 1 to 64 characters from A-Z a-z 0-9 _ . - not starting with '.' or '-'\n"},
		"escape team":     {append([]string{"intake", "--store", store, "--team", "a\x1b[2Jb", "x.run"}, coll...), "mreval: --team: team name \"a\\x1b[2Jb\" is not allowed: it contains the control character U+001B; use 1 to 64 characters from A-Z a-z 0-9 _ . - not starting with '.' or '-'\n"},
		"no collection":   {[]string{"intake", "--store", store, "--team", "t", "x.run"}, "mreval: no collection: give --collection NAME, or --pool FILE and --topics FILE (and --qrels FILE)\n"},
		"verify no store": {[]string{"intake", "verify"}, "mreval: intake verify needs --store DIR\n"},
		"verify args":     {[]string{"intake", "verify", "--store", store, "x"}, "mreval: intake verify takes no arguments, got \"x\"\n"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := runCLI(tc.args...)
			assert.Equal(t, 2, code)
			assert.Empty(t, stdout)
			assert.Equal(t, tc.want, stderr)
		})
	}
	entries, err := os.ReadDir(store)
	require.NoError(t, err)
	assert.Empty(t, entries, "usage errors touch nothing")
}
