package intake

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval/fsutil"
	"github.com/ntcir-pmr/mreval/eval/validate"
	"github.com/ntcir-pmr/mreval/internal/thorough"
)

// hostileTags are run tags that look like the store's own names — version
// files, current links of format 1, the manifest, task directories,
// temporary files — or break its rules.
var hostileTags = []string{
	"a", "a.v1", "a.v2", "v1", "v2", "v1.run", "v1.orig", "a.v1.run", "a.v1.orig", "a.run", "a.orig", "a.v1.v1",
	"current", "current.run", "x", "x.v9223372036854775807", "x.v-1", "v0", "v01", "v999999", "v1000000",
	"MANIFEST.jsonl", "A", "B", ".staging", ".lock", "a.tmp-1", ".a.tmp-1", "a..b", "..", ".", "-rf", "--", "_", "-",
	strings.Repeat("z", 64), strings.Repeat("z", 65),
}

var hostileTeams = []string{"t", "u", "v1", "a.v1", "-rf", "..", "a/b", "t\n", "é", ".t"}

// randomTag is a hostile tag or a random one over the characters of the
// layout's names.
func randomTag(r *rand.Rand) string {
	if r.IntN(3) > 0 {
		return hostileTags[r.IntN(len(hostileTags))]
	}
	const alphabet = "av1.r-"
	b := make([]byte, 1+r.IntN(4))
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

// TestStoreProperty runs a few hundred random intakes, replaces, verifies,
// repairs and crash leftovers with tags and teams from a hostile alphabet,
// and checks after each step that exactly the expected submissions were
// accepted, that every accepted byte is retrievable from the version the
// manifest names, and that verify is clean (or reports exactly the planted
// leftovers, which the next repair or intake removes).
func TestStoreProperty(t *testing.T) {
	fsutil.NoSyncInTest(t)
	s := testStore(t)
	v := testValidator(t, validate.TaskA)
	r := rand.New(rand.NewPCG(14, 2026))
	model := map[string][]string{} // team/tag → accepted originals, oldest first
	leftovers := 0                 // planted since the last cleanup
	accepted, refusedRuns := 0, 0

	checkBytes := func(step int) {
		t.Helper()
		if t.Failed() {
			t.FailNow()
		}
		f, err := openStoreFS(s.Dir)
		require.NoError(t, err)
		defer f.close()
		m, err := readManifest(f)
		require.NoError(t, err)
		got := map[string][]string{}
		for _, e := range m.entries {
			k := e.Team + "/" + e.Tag
			got[k] = append(got[k], readStore(t, s, e.Original.Path))
			run := readStore(t, s, e.Normalised.Path)
			require.Equal(t, e.Normalised.SHA256, sha(run), "step %d: %s", step, e.Normalised.Path)
		}
		require.Equal(t, model, got, "step %d", step)
	}
	// The everyday suite takes the first 120 steps: every intake scans the
	// store for leftovers, so the cost grows with the square of the steps.
	steps := 120
	if thorough.Enabled() {
		steps = 250
	}
	for step := 0; step < steps; step++ {
		switch op := r.IntN(10); {
		case op < 7: // an intake, new or replacing
			team := hostileTeams[r.IntN(2)] // mostly the two plain teams, so that tags repeat
			if r.IntN(4) == 0 {
				team = hostileTeams[r.IntN(len(hostileTeams))]
			}
			tag := randomTag(r)
			replace := r.IntN(2) == 0
			content := runText(tag, step)
			res, err := s.Submit(v, Submission{Path: writeFile(t, "run", content), Team: team, Replace: replace})
			require.NoError(t, err, "step %d: team %q tag %q", step, team, tag)
			key := team + "/" + tag
			want := CheckName("team name", team) == nil && validate.ValidTag(tag) && CheckName("run tag", tag) == nil &&
				(replace || len(model[key]) == 0)
			require.Equal(t, want, res.Accepted, "step %d: team %q tag %q replace %v: %s", step, team, tag, replace, res.Reason)
			if res.Accepted {
				accepted++
				model[key] = append(model[key], content)
				require.Equal(t, len(model[key]), res.Entry.Version, "step %d", step)
				leftovers = 0
			} else {
				refusedRuns++
				if res.Report != nil && res.Report.Valid() && CheckName("run tag", tag) == nil {
					leftovers = 0 // it took the lock and recovered
				}
			}
		case op < 8: // verify, or verify --repair
			repair := r.IntN(2) == 0
			ver, err := Verify(s.Dir, repair)
			require.NoError(t, err, "step %d", step)
			if repair {
				assert.Len(t, ver.Repairs, leftovers, "step %d: %v", step, ver.Repairs)
				leftovers = 0
			}
			require.Len(t, ver.Findings, leftovers, "step %d: %v", step, ver.Findings)
		case op < 9: // what a crash leaves: a dead intake's staging directory, a temporary manifest
			if r.IntN(2) == 0 {
				dir := s.abs(fmt.Sprintf(".staging/intake-dead%d", step))
				require.NoError(t, os.MkdirAll(dir, 0o700))
				require.NoError(t, os.WriteFile(dir+"/orig", []byte("half a run"), 0o444))
			} else {
				require.NoError(t, os.WriteFile(s.abs(fmt.Sprintf(".MANIFEST.jsonl.tmp-%d", step)), []byte("half"), 0o600))
			}
			leftovers++
		default:
			checkBytes(step)
		}
	}
	ver, err := Verify(s.Dir, true)
	require.NoError(t, err)
	assert.Empty(t, ver.Findings)
	checkBytes(-1)
	// The sequence exercised both outcomes, and replaces (the fixed seed
	// gives 45 accepted, 43 refused and 4 replaced in 120 steps; 80, 99
	// and 12 in 250).
	assert.Greater(t, accepted, steps/6)
	assert.Greater(t, refusedRuns, steps/6)
	replaced := 0
	for _, versions := range model {
		if len(versions) > 1 {
			replaced++
		}
	}
	assert.GreaterOrEqual(t, replaced, steps/30)
	t.Logf("%d accepted, %d refused, %d runs with more than one version", accepted, refusedRuns, replaced)
}
