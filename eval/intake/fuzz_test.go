package intake

import (
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type versionName struct {
	task, team, tag string
	version         int
	kind            string
}

func fuzzVersionName(taskB bool, team, tag string, version int, orig bool) versionName {
	n := versionName{task: "A", team: team, tag: tag, kind: kindRun}
	if taskB {
		n.task = "B"
	}
	if orig {
		n.kind = kindOrig
	}
	// Any int, folded into the range the store writes.
	n.version = 1 + int(uint(version)%maxVersion)
	return n
}

// FuzzStoreNames checks the store's name handling on any team names, run
// tags and version numbers: checking a name never panics; for names the
// store accepts, the file path of a version is local (no "..", not
// absolute), exactly <task>/<team>/<tag>/v<N>.<kind>, inside the store
// when joined to it, and parses back to the same version, so that no two
// versions — whatever their tags look like — share a file. Any string the
// version-file parser accepts is one the namer makes.
func FuzzStoreNames(f *testing.F) {
	f.Add(false, "t", "a", 1, true, "t", "a.v1", 1, false)
	f.Add(false, "t", "a", 1, false, "t", "a", 2, true)
	f.Add(false, "t", "a.v1.run", 1, false, "t", "a.v1", 1, false)
	f.Add(false, "t", "v1.run", 1, false, "t", "v1", 1, true)
	f.Add(true, "x", "x.v9223372036854775807", -1, false, "x", "x", 9223372036854775807, false)
	f.Add(false, "-rf", "..", 0, false, "a/b", ".", 0, false)
	f.Add(false, "t\n", "a\x00", 1, false, "\x1b[31m", "é", 1, false)
	f.Add(false, "current", "current", 1, false, "MANIFEST.jsonl", ".staging", 1, false)
	f.Fuzz(func(t *testing.T, taskB1 bool, team1, tag1 string, v1 int, taskB2 bool, team2, tag2 string, v2 int, orig bool) {
		a := fuzzVersionName(taskB1, team1, tag1, v1, orig)
		b := fuzzVersionName(taskB2, team2, tag2, v2, !orig)
		for _, s := range []string{team1, tag1, team2, tag2} {
			if n, kind, ok := parseVersionFileName(s); ok {
				assert.Equal(t, s, versionFileName(n, kind))
			}
			// Checking never panics, and the message quotes the name.
			if err := CheckName("run tag", s); err != nil {
				assert.NotContains(t, err.Error(), "\n")
				assert.NotContains(t, err.Error(), "\x1b")
			}
		}
		valid := func(n versionName) bool {
			return checkStoredName("team name", n.team) == nil && checkStoredName("run tag", n.tag) == nil
		}
		store := filepath.FromSlash("/srv/store") // path arithmetic only
		for _, n := range []versionName{a, b} {
			if !valid(n) {
				continue
			}
			p := versionPath(n.task, n.team, n.tag, n.version, n.kind)
			require.True(t, filepath.IsLocal(filepath.FromSlash(p)), "%q is not local", p)
			require.Equal(t, path.Clean(p), p)
			require.Equal(t, []string{n.task, n.team, n.tag, versionFileName(n.version, n.kind)}, strings.Split(p, "/"))
			rel, err := filepath.Rel(store, filepath.Join(store, filepath.FromSlash(p)))
			require.NoError(t, err)
			require.Equal(t, filepath.FromSlash(p), rel, "stays inside the store")
			task, team, tag, version, kind, ok := parseVersionPath(p)
			require.True(t, ok, p)
			require.Equal(t, n, versionName{task, team, tag, version, kind}, "the path names exactly this version")
		}
		if valid(a) && valid(b) {
			pa := versionPath(a.task, a.team, a.tag, a.version, a.kind)
			pb := versionPath(b.task, b.team, b.tag, b.version, b.kind)
			require.Equal(t, a == b, pa == pb, "%q and %q", pa, pb)
		}
	})
}
