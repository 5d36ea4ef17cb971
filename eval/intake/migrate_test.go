package intake

import (
	"encoding/json"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval/validate"
)

// oldVersion is one accepted version in a store of format 1.
type oldVersion struct {
	task, team, tag string
	version         int
	orig, run       string // the bytes of <tag>.vN.orig and <tag>.vN.run
}

// format1Store builds, by hand, a store as mreval wrote it before format 2:
// A/<team>/<tag>.vN.run and .orig for every version, <tag>.run and
// <tag>.orig hard links to the newest, and a manifest without a header.
// It returns the store and the manifest's bytes.
func format1Store(t *testing.T, versions []oldVersion) (*Store, []byte) {
	t.Helper()
	s := testStore(t)
	var manifest []byte
	prev := map[string]int{}
	for i, ov := range versions {
		team := path.Join(ov.task, ov.team)
		require.NoError(t, os.MkdirAll(s.abs(team), 0o755))
		e := Entry{
			Time: testTime.Add(time.Duration(i) * time.Minute), Task: ov.task, Team: ov.team, Tag: ov.tag,
			Version: ov.version, Replaces: prev[team+"/"+ov.tag], OriginalName: ov.tag + ".txt",
			Original:   FileInfo{Path: format1Path(ov.task, ov.team, ov.tag, ov.version, kindOrig), Size: int64(len(ov.orig)), SHA256: sha(ov.orig)},
			Normalised: FileInfo{Path: format1Path(ov.task, ov.team, ov.tag, ov.version, kindRun), Size: int64(len(ov.run)), SHA256: sha(ov.run)},
			Validation: Summary{Lines: 1, RunLines: 1, Topics: 1, Text: ov.tag + ".txt: valid"},
		}
		prev[team+"/"+ov.tag] = ov.version
		for rel, content := range map[string]string{e.Original.Path: ov.orig, e.Normalised.Path: ov.run} {
			require.NoError(t, os.WriteFile(s.abs(rel), []byte(content), 0o444))
		}
		// The current links, as format 1's linkOver made them: a hard link
		// renamed over <tag>.run — over any file of that name.
		for kind, target := range map[string]string{kindOrig: e.Original.Path, kindRun: e.Normalised.Path} {
			cur := s.abs(path.Join(team, ov.tag+"."+kind))
			tmp := cur + ".link-tmp"
			require.NoError(t, os.Link(s.abs(target), tmp))
			require.NoError(t, os.Rename(tmp, cur))
		}
		line, err := json.Marshal(e)
		require.NoError(t, err)
		manifest = append(append(manifest, line...), '\n')
	}
	require.NoError(t, os.WriteFile(s.abs(ManifestName), manifest, 0o644))
	return s, manifest
}

// TestMigrateFormat1 migrates a hand-built format-1 store with leftovers of
// interrupted intakes and checks every byte: each version's files under
// their new names, the old names gone once their bytes are kept, the old
// manifest kept byte for byte, the new manifest equal to the old but for
// the paths.
func TestMigrateFormat1(t *testing.T) {
	versions := []oldVersion{
		{"A", "t1", "a", 1, "a v1 as submitted\r\n", "a v1 normalised\n"},
		{"A", "t1", "b", 1, "b v1 as submitted\r\n", "b v1 normalised\n"},
		{"A", "t1", "a", 2, "a v2 as submitted\r\n", "a v2 normalised\n"},
		{"B", "-rf", "x", 1, "x as submitted\r\n", "x normalised\n"}, // a team name format 1 allowed
	}
	s, oldManifest := format1Store(t, versions)
	// Leftovers: a staged file, a temporary link, a temporary manifest,
	// and complete version files of an intake that died before its commit.
	require.NoError(t, os.MkdirAll(s.abs(".staging"), 0o755))
	require.NoError(t, os.WriteFile(s.abs(".staging/submission-1.orig"), []byte("staged"), 0o600))
	require.NoError(t, os.Link(s.abs("A/t1/a.v2.run"), s.abs("A/t1/.a.run.link-1x2y")))
	require.NoError(t, os.WriteFile(s.abs(".MANIFEST.jsonl.tmp-9"), []byte("half"), 0o600))
	require.NoError(t, os.WriteFile(s.abs("A/t1/a.v3.run"), []byte("a v3, never committed\n"), 0o444))

	// Before migrating, everything but verify --repair refuses the store.
	old := "store " + s.Dir + " is in the old format 1 (file names that a run tag could collide with); run 'mreval intake verify --repair --store " + s.Dir + "' to migrate it: old store format"
	_, err := Verify(s.Dir, false)
	assert.EqualError(t, err, old)
	assert.ErrorIs(t, err, ErrOldFormat)
	_, err = ListRuns(s.Dir)
	assert.EqualError(t, err, old)
	v := testValidator(t, validate.TaskA)
	_, err = s.Submit(v, Submission{Path: writeFile(t, "r", runText("c", 0)), Team: "t1"})
	assert.EqualError(t, err, old)
	assert.Equal(t, oldManifest, []byte(readStore(t, s, ManifestName)), "refusing changed nothing")

	ver, err := Verify(s.Dir, true)
	require.NoError(t, err)
	assert.Equal(t, []string{
		"migrated the store from format 1 to format 3: 4 versions of 3 runs now under <task>/<team>/<tag>/v<N>.{orig,run}; the old manifest is kept as MANIFEST.format1.jsonl",
		"removed .staging/submission-1.orig, left by an interrupted intake",
		"removed .MANIFEST.jsonl.tmp-9, left by an interrupted write",
		`removed A/t1/.a.run.link-1x2y, a format-1 file whose bytes are kept in A/t1/a/v2.run`,
		"removed A/t1/a.orig, a format-1 file whose bytes are kept in A/t1/a/v2.orig",
		"removed A/t1/a.run, a format-1 file whose bytes are kept in A/t1/a/v2.run",
		"removed A/t1/a.v1.orig, a format-1 file whose bytes are kept in A/t1/a/v1.orig",
		"removed A/t1/a.v1.run, a format-1 file whose bytes are kept in A/t1/a/v1.run",
		"removed A/t1/a.v2.orig, a format-1 file whose bytes are kept in A/t1/a/v2.orig",
		"removed A/t1/a.v2.run, a format-1 file whose bytes are kept in A/t1/a/v2.run",
		"removed A/t1/b.orig, a format-1 file whose bytes are kept in A/t1/b/v1.orig",
		"removed A/t1/b.run, a format-1 file whose bytes are kept in A/t1/b/v1.run",
		"removed A/t1/b.v1.orig, a format-1 file whose bytes are kept in A/t1/b/v1.orig",
		"removed A/t1/b.v1.run, a format-1 file whose bytes are kept in A/t1/b/v1.run",
		"removed B/-rf/x.orig, a format-1 file whose bytes are kept in B/-rf/x/v1.orig",
		"removed B/-rf/x.run, a format-1 file whose bytes are kept in B/-rf/x/v1.run",
		"removed B/-rf/x.v1.orig, a format-1 file whose bytes are kept in B/-rf/x/v1.orig",
		"removed B/-rf/x.v1.run, a format-1 file whose bytes are kept in B/-rf/x/v1.run",
	}, ver.Repairs)
	assert.Equal(t, []string{"A/t1/a.v3.run: not part of the store (a team's directory holds only run tag directories; a file left from format 1 whose bytes are kept elsewhere is removed by verify --repair)"},
		findingStrings(ver), "the uncommitted version is kept for the organizer to look at")
	assert.Equal(t, 3, ver.Runs)
	assert.Equal(t, 4, ver.Versions)
	assert.Equal(t, 8, ver.Files)

	// Every byte, under its new name; nothing else in the team directories.
	for _, ov := range versions {
		assert.Equal(t, ov.orig, readStore(t, s, versionPath(ov.task, ov.team, ov.tag, ov.version, kindOrig)))
		assert.Equal(t, ov.run, readStore(t, s, versionPath(ov.task, ov.team, ov.tag, ov.version, kindRun)))
	}
	assert.Equal(t, "a v3, never committed\n", readStore(t, s, "A/t1/a.v3.run"))
	assert.Equal(t, []string{"a", "a.v3.run", "b"}, dirNames(t, s.abs("A/t1")))
	assert.Equal(t, []string{"v1.orig", "v1.run", "v2.orig", "v2.run"}, dirNames(t, s.abs("A/t1/a")))
	assert.Equal(t, []string{"x"}, dirNames(t, s.abs("B/-rf")))
	assert.Equal(t, []string{".lock", ".staging", "A", "B", "MANIFEST.format1.jsonl", "MANIFEST.jsonl"}, dirNames(t, s.Dir))
	assert.Equal(t, string(oldManifest), readStore(t, s, format1ManifestName))
	want := manifestHeader + "\n" + strings.NewReplacer(
		"A/t1/a.v1.", "A/t1/a/v1.", "A/t1/a.v2.", "A/t1/a/v2.", "A/t1/b.v1.", "A/t1/b/v1.", "B/-rf/x.v1.", "B/-rf/x/v1.",
	).Replace(string(oldManifest))
	assert.Equal(t, want, readStore(t, s, ManifestName), "the same entries, with the new paths")

	// The store is in use again: a replace continues a's versions.
	res := submit(t, s, v, Submission{Path: writeFile(t, "r", runText("a", 0)), Team: "t1", Replace: true})
	require.True(t, res.Accepted, res.Reason)
	assert.Equal(t, 3, res.Entry.Version)
	assert.Equal(t, 2, res.Entry.Replaces)
	runs, err := ListRuns(s.Dir)
	require.NoError(t, err)
	assert.Len(t, runs, 3)
	ver, err = Verify(s.Dir, true)
	require.NoError(t, err)
	assert.Empty(t, ver.Repairs, "a second repair has nothing to do")
	assert.Len(t, ver.Findings, 1)
}

// TestMigrateDamagedFormat1 migrates the stores the old naming damaged:
// a tag "a.v1" whose current link replaced a's version-1 files (the bytes
// are lost unless another name still holds them), and the version
// overflow that locked a store.
func TestMigrateDamagedFormat1(t *testing.T) {
	t.Run("collision after replace: bytes lost", func(t *testing.T) {
		s, _ := format1Store(t, []oldVersion{
			{"A", "t", "a", 1, "a1 orig\n", "a1 run\n"},
			{"A", "t", "a", 2, "a2 orig\n", "a2 run\n"},
			{"A", "t", "a.v1", 1, "X orig\n", "X run\n"},
		})
		assert.Equal(t, "X run\n", readStore(t, s, "A/t/a.v1.run"), "format 1 overwrote a's version 1")
		ver, err := Verify(s.Dir, true)
		require.NoError(t, err)
		assert.Equal(t, []string{
			`LOST before migration: the bytes of A/t/a.v1.orig (version 1 of run A/t/a, 8 bytes, SHA-256 ` + sha("a1 orig\n") + `) are nowhere in the store; A/t/a/v1.orig stays in the manifest and verify reports it missing`,
			`LOST before migration: the bytes of A/t/a.v1.run (version 1 of run A/t/a, 7 bytes, SHA-256 ` + sha("a1 run\n") + `) are nowhere in the store; A/t/a/v1.run stays in the manifest and verify reports it missing`,
		}, ver.Repairs[:2])
		assert.Equal(t, []string{
			"A/t/a/v1.orig: the original of version 1 is missing",
			"A/t/a/v1.run: the normalised run of version 1 is missing",
		}, findingStrings(ver))
		assert.Equal(t, "a2 run\n", readStore(t, s, "A/t/a/v2.run"))
		assert.Equal(t, "X run\n", readStore(t, s, "A/t/a.v1/v1.run"))
		assert.Equal(t, []string{"a", "a.v1"}, dirNames(t, s.abs("A/t")), "every old file's bytes are kept")
	})
	t.Run("collision without replace: bytes found under the current link", func(t *testing.T) {
		s, _ := format1Store(t, []oldVersion{
			{"A", "t", "a", 1, "a1 orig\n", "a1 run\n"},
			{"A", "t", "a.v1", 1, "X orig\n", "X run\n"},
		})
		ver, err := Verify(s.Dir, true)
		require.NoError(t, err)
		assert.Equal(t, []string{
			`the bytes of A/t/a.v1.orig (version 1 of run A/t/a) were under A/t/a.orig; kept as A/t/a/v1.orig`,
			`the bytes of A/t/a.v1.run (version 1 of run A/t/a) were under A/t/a.run; kept as A/t/a/v1.run`,
		}, ver.Repairs[:2])
		assert.Equal(t, []string{}, findingStrings(ver))
		assert.Equal(t, "a1 orig\n", readStore(t, s, "A/t/a/v1.orig"))
		assert.Equal(t, "a1 run\n", readStore(t, s, "A/t/a/v1.run"))
		assert.Equal(t, "X orig\n", readStore(t, s, "A/t/a.v1/v1.orig"))
		assert.Equal(t, []string{"a", "a.v1"}, dirNames(t, s.abs("A/t")))
	})
	t.Run("version overflow", func(t *testing.T) {
		s, _ := format1Store(t, []oldVersion{
			{"A", "t", "x.v9223372036854775807", 1, "big orig\n", "big run\n"},
			{"A", "t", "x", -9223372036854775808, "x orig\n", "x run\n"},
		})
		_, err := ListRuns(s.Dir)
		assert.ErrorIs(t, err, ErrOldFormat, "no longer \"version -9223372036854775808 is not positive\"")
		ver, err := Verify(s.Dir, true)
		require.NoError(t, err)
		assert.Equal(t, "MANIFEST.jsonl:2: run A/t/x version -9223372036854775808 (an overflowed number) becomes version 1", ver.Repairs[0])
		assert.Equal(t, []string{}, findingStrings(ver))
		assert.Equal(t, "x run\n", readStore(t, s, "A/t/x/v1.run"))
		assert.Equal(t, "big run\n", readStore(t, s, "A/t/x.v9223372036854775807/v1.run"))
		runs, err := ListRuns(s.Dir)
		require.NoError(t, err)
		require.Len(t, runs, 2)
		assert.Equal(t, 1, runs[0].Version)
	})
	t.Run("interrupted migration", func(t *testing.T) {
		versions := []oldVersion{{"A", "t", "a", 1, "a1 orig\n", "a1 run\n"}, {"A", "t", "a", 2, "a2 orig\n", "a2 run\n"}}
		s, _ := format1Store(t, versions)
		// Died after linking one file: the migration picks up from there.
		require.NoError(t, os.MkdirAll(s.abs("A/t/a"), 0o755))
		require.NoError(t, os.Link(s.abs("A/t/a.v1.orig"), s.abs("A/t/a/v1.orig")))
		f, err := openStoreFS(s.Dir)
		require.NoError(t, err)
		defer f.close()
		notes, err := s.migrate(f)
		require.NoError(t, err)
		assert.Len(t, notes, 1)
		// Died after the commit, before the old files were removed: the
		// store is in format 2, and the next repair (or intake) clears up.
		assert.Equal(t, []string{"a", "a.orig", "a.run", "a.v1.orig", "a.v1.run", "a.v2.orig", "a.v2.run"}, dirNames(t, s.abs("A/t")))
		ver, err := Verify(s.Dir, false)
		require.NoError(t, err)
		assert.Len(t, ver.Findings, 6)
		res := submit(t, s, testValidator(t, validate.TaskA), Submission{Path: writeFile(t, "r", runText("b", 0)), Team: "t"})
		require.True(t, res.Accepted, res.Reason)
		assert.Len(t, res.Notes, 6)
		assert.Equal(t, []string{"a", "b"}, dirNames(t, s.abs("A/t")))
		for _, ov := range versions {
			assert.Equal(t, ov.orig, readStore(t, s, versionPath("A", "t", "a", ov.version, kindOrig)))
			assert.Equal(t, ov.run, readStore(t, s, versionPath("A", "t", "a", ov.version, kindRun)))
		}
		ver, err = Verify(s.Dir, false)
		require.NoError(t, err)
		assert.Equal(t, []string{}, findingStrings(ver))
	})
	t.Run("a foreign file where a version goes", func(t *testing.T) {
		s, raw := format1Store(t, []oldVersion{{"A", "t", "a", 1, "a1 orig\n", "a1 run\n"}})
		require.NoError(t, os.MkdirAll(s.abs("A/t/a"), 0o755))
		require.NoError(t, os.WriteFile(s.abs("A/t/a/v1.run"), []byte("foreign\n"), 0o644))
		_, err := Verify(s.Dir, true)
		assert.EqualError(t, err, "migrating A/t/a.v1.run: "+s.abs("A/t/a/v1.run")+" exists and holds other bytes; move it out of the store and run verify --repair again")
		assert.Equal(t, "foreign\n", readStore(t, s, "A/t/a/v1.run"), "never replaced")
		assert.Equal(t, string(raw), readStore(t, s, ManifestName), "not committed")
		_, err = os.Stat(filepath.Join(s.Dir, format1ManifestName))
		assert.True(t, os.IsNotExist(err))
	})
}
