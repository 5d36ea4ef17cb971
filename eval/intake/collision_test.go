package intake

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval/fsutil"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/ntcir-pmr/mreval/eval/validate"
)

// assertAllVersionsKept reads every version the manifest lists and checks
// it holds the bytes the test submitted for it, and that verify is clean.
func assertAllVersionsKept(t *testing.T, s *Store, want map[string][]string) {
	t.Helper()
	f, err := openStoreFS(s.Dir)
	require.NoError(t, err)
	defer f.close()
	m, err := readManifest(f)
	require.NoError(t, err)
	got := map[string][]string{}
	for _, e := range m.entries {
		k := e.Team + "/" + e.Tag
		require.Equal(t, len(got[k])+1, e.Version, "%s: versions 1..n in order", k)
		got[k] = append(got[k], readStore(t, s, e.Original.Path))
		assert.Equal(t, e.Original.SHA256, sha(got[k][len(got[k])-1]))
	}
	assert.Equal(t, want, got)
	ver, err := Verify(s.Dir, false)
	require.NoError(t, err)
	assert.Equal(t, []string{}, findingStrings(ver))
}

// TestTagsThatLookLikeVersionFiles is the regression of issue 14: team t
// submits run tag a, then a again with --replace, then a run tagged a.v1.
// Format 1 renamed the new run's current link over a's version-1 files.
// Here every version keeps its bytes, whatever tags look like.
func TestTagsThatLookLikeVersionFiles(t *testing.T) {
	fsutil.NoSyncInTest(t)
	s := testStore(t)
	v := testValidator(t, validate.TaskA)
	want := map[string][]string{}
	add := func(tag string, shift int, replace bool) {
		t.Helper()
		content := runText(tag, shift)
		res := submit(t, s, v, Submission{Path: writeFile(t, "run", content), Team: "t", Replace: replace})
		require.True(t, res.Accepted, res.Reason)
		want["t/"+tag] = append(want["t/"+tag], content)
		assert.Equal(t, len(want["t/"+tag]), res.Entry.Version)
		assert.Equal(t, fmt.Sprintf("A/t/%s/v%d.orig", tag, res.Entry.Version), res.Entry.Original.Path)
	}
	add("a", 0, false)
	add("a", 1, true)
	add("a.v1", 2, false)
	assertAllVersionsKept(t, s, want)
	assert.Equal(t, runText("a", 0), readStore(t, s, "A/t/a/v1.orig"), "a's version 1 is intact")

	// Every tag that looks like a file or directory of the layout.
	for i, tag := range []string{"v1", "v1.run", "v1.orig", "a.v1.run", "a.v1.orig", "a.run", "a.orig", "a.v2", "current",
		"current.run", "MANIFEST.jsonl", "A", "B", "a.v1.v1", "x.v9223372036854775807", "x", "x.v-1", "v0", "v01", "a..b", "_", "a-", "a.tmp-1"} {
		add(tag, i, false)
		add(tag, i+50, true)
	}
	add("a.v1", 3, true)
	add("a", 4, true)
	assertAllVersionsKept(t, s, want)
}

// TestVersionBound: a version number past maxVersion is refused before it
// is written, with a reason, and the store stays readable; a manifest line
// with a version out of range is refused by the reader, and the writer
// checks the same bound.
func TestVersionBound(t *testing.T) {
	s := testStore(t)
	v := testValidator(t, validate.TaskA)
	// The tag of the overflow, then the tag it overflowed.
	for _, tag := range []string{"x.v9223372036854775807", "x"} {
		res := submit(t, s, v, Submission{Path: writeFile(t, "r", runText(tag, 0)), Team: "t"})
		require.True(t, res.Accepted, res.Reason)
		assert.Equal(t, 1, res.Entry.Version)
	}
	// A version file of the last allowed number that the manifest does not
	// name (left by an interrupted intake, or planted) is set aside by the
	// next intake, kept in .uncommitted/, so it takes no number.
	require.NoError(t, os.WriteFile(s.abs("A/t/x/v999999.run"), []byte("planted"), 0o444))
	res := submit(t, s, v, Submission{Path: writeFile(t, "r", runText("x", 1)), Team: "t", Replace: true})
	require.True(t, res.Accepted, res.Reason)
	assert.Equal(t, 2, res.Entry.Version)
	assert.Equal(t, "planted", readStore(t, s, ".uncommitted/A/t/x/v999999.run"))
	// Larger numbers are not version files: they do not count.
	require.NoError(t, os.WriteFile(s.abs("A/t/x/v1000000.run"), []byte("planted"), 0o444))
	require.NoError(t, os.WriteFile(s.abs("A/t/x/v9223372036854775807.run"), []byte("planted"), 0o444))
	res = submit(t, s, v, Submission{Path: writeFile(t, "r", runText("x", 2)), Team: "t", Replace: true})
	require.True(t, res.Accepted, res.Reason)
	assert.Equal(t, 3, res.Entry.Version)
	runs, err := ListRuns(s.Dir)
	require.NoError(t, err)
	assert.Len(t, runs, 2)
	ver, err := Verify(s.Dir, false)
	require.NoError(t, err)
	assert.Equal(t, []string{"A/t/x/v1000000.run: not part of the store", "A/t/x/v9223372036854775807.run: not part of the store"}, findingStrings(ver))

	// The reader refuses what the writer never writes ...
	mf := s.abs(ManifestName)
	raw, err := os.ReadFile(mf)
	require.NoError(t, err)
	lines := strings.SplitAfter(string(raw), "\n")
	for version, want := range map[string]string{
		"1000000":              `:4: version 1000000 is outside 1..999999`,
		"-9223372036854775808": `:4: version -9223372036854775808 is outside 1..999999`,
		"0":                    `:4: version 0 is outside 1..999999`,
		"9223372036854775808":  `:4: not a manifest entry: json: cannot unmarshal number 9223372036854775808 into Go struct field Entry.version of type int`,
	} {
		forged := strings.Replace(lines[3], `"version":2`, `"version":`+version, 1)
		forged = strings.ReplaceAll(forged, "/v2.", "/v"+version+".")
		require.NoError(t, os.WriteFile(mf, []byte(lines[0]+lines[1]+lines[2]+forged), 0o644))
		_, err := ListRuns(s.Dir)
		assert.EqualError(t, err, mf+want, version)
	}
	require.NoError(t, os.WriteFile(mf, raw, 0o644))
	// ... and the writer checks every entry against the reader's rules.
	e := *res.Entry
	e.Version, e.Replaces = maxVersion+1, 1
	e.Original.Path = versionPath("A", "t", "x", maxVersion+1, kindOrig)
	e.Normalised.Path = versionPath("A", "t", "x", maxVersion+1, kindRun)
	_, err = appendLine(raw, &e)
	assert.EqualError(t, err, "refusing to write a manifest entry the reader would refuse: version 1000000 is outside 1..999999")
	e = *res.Entry
	e.OriginalName = strings.Repeat("n", maxOriginalName+1)
	_, err = appendLine(raw, &e)
	assert.EqualError(t, err, "refusing to write a manifest entry the reader would refuse: original name of 1025 bytes, more than 1024")
	res = submit(t, s, v, Submission{Path: writeFile(t, "r", runText("y", 1)), Team: "t", Name: strings.Repeat("n", maxOriginalName+1)})
	assert.Equal(t, "the file name is 1025 bytes long, more than 1024", res.Reason)
}

// TestVersionBoundRefused: a run whose newest version is the last allowed
// number gets no further version; the refusal says what to do.
func TestVersionBoundRefused(t *testing.T) {
	s := testStore(t)
	v := testValidator(t, validate.TaskA)
	require.True(t, submit(t, s, v, Submission{Path: writeFile(t, "r", runText("x", 0)), Team: "t"}).Accepted)
	// Renumber version 1 to 999999, files and manifest alike.
	for _, kind := range []string{"orig", "run"} {
		require.NoError(t, os.Link(s.abs("A/t/x/v1."+kind), s.abs("A/t/x/v999999."+kind)))
		require.NoError(t, os.Remove(s.abs("A/t/x/v1."+kind)))
	}
	mf := s.abs(ManifestName)
	raw, err := os.ReadFile(mf)
	require.NoError(t, err)
	forged := strings.ReplaceAll(strings.Replace(string(raw), `"version":1,`, `"version":999999,`, 1), "/v1.", "/v999999.")
	require.NoError(t, os.WriteFile(mf, []byte(forged), 0o644))
	ver, err := Verify(s.Dir, false)
	require.NoError(t, err)
	require.Empty(t, findingStrings(ver))

	res := submit(t, s, v, Submission{Path: writeFile(t, "r", runText("x", 1)), Team: "t", Replace: true})
	assert.False(t, res.Accepted)
	assert.Equal(t, `run "x" of team "t" for Subtask A has 999999 versions, the most the store keeps; submit it under a new run tag`, res.Reason)
	runs, err := ListRuns(s.Dir)
	require.NoError(t, err)
	require.Len(t, runs, 1)
	assert.Equal(t, 999999, runs[0].Version)
}

// TestStalledSubmissionBlocksNobody: a submission whose input stalls (a
// FIFO or a terminal nobody types into) is copied without the store lock,
// so other intakes, verify and repair go ahead; its staging directory is
// not mistaken for a crashed intake's; when the input resumes it is stored
// whole.
func TestStalledSubmissionBlocksNobody(t *testing.T) {
	s := testStore(t)
	v := testValidator(t, validate.TaskA)
	content := runText("slow", 0)
	pr, pw := io.Pipe()
	done := make(chan *Result)
	go func() {
		res, err := s.Submit(v, Submission{Path: "-", Reader: pr, Team: "t1"})
		assert.NoError(t, err)
		done <- res
	}()
	// Once the first half is read, the intake is in its staging directory.
	_, err := io.WriteString(pw, content[:len(content)/2])
	require.NoError(t, err)

	res := submit(t, s, v, Submission{Path: writeFile(t, "r", runText("fast", 0)), Team: "t2"})
	require.True(t, res.Accepted, res.Reason)
	assert.Empty(t, res.Notes, "the live staging directory is not a crashed intake's")
	ver, err := Verify(s.Dir, true)
	require.NoError(t, err)
	assert.Empty(t, ver.Repairs)
	assert.Equal(t, []string{}, findingStrings(ver))
	staging := dirNames(t, s.abs(stagingName))
	require.Len(t, staging, 1, "the stalled intake's directory")

	_, err = io.WriteString(pw, content[len(content)/2:])
	require.NoError(t, err)
	require.NoError(t, pw.Close())
	slow := <-done
	require.True(t, slow.Accepted, slow.Reason)
	assert.Equal(t, "<stdin>", slow.Entry.OriginalName)
	assert.Equal(t, content, readStore(t, s, "A/t1/slow/v1.orig"))
	assert.Empty(t, dirNames(t, s.abs(stagingName)))
	assertAllVersionsKept(t, s, map[string][]string{"t2/fast": {runText("fast", 0)}, "t1/slow": {content}})
}

func TestStoreDirNamesAreQuoted(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a\nb")
	_, err := Verify(dir, false)
	assert.EqualError(t, err, fmt.Sprintf("store %q: stat %s: no such file or directory", dir, dir))
}

// TestReadTimeLimit: a submission still being read when the read time
// limit runs out is refused with the flag that raises it, and leaves
// nothing behind.
func TestReadTimeLimit(t *testing.T) {
	s := testStore(t)
	pool, topics := []string{"org/alpha", "org/beta", "org/gamma", "delta", "epsilon"}, []string{"cola", "rte", "sst2"}
	v, err := validate.NewValidator(validate.Rules{Task: validate.TaskA, Pool: pool, Topics: topics,
		Limits: trecfmt.Limits{ReadTimeout: time.Nanosecond}})
	require.NoError(t, err)
	pr, pw := io.Pipe()
	defer pw.Close()
	res, err := s.Submit(v, Submission{Path: "-", Reader: pr, Team: "t1"})
	require.NoError(t, err)
	assert.False(t, res.Accepted)
	assert.Equal(t, "reading <stdin> took more than 1ns (raise --read-timeout if this is intended)", res.Reason)
	assert.Empty(t, dirNames(t, s.abs(stagingName)))
}
