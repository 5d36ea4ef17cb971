package intake

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval/fsutil"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/ntcir-pmr/mreval/eval/validate"
)

// snapshot records every path under dir with its content (or link target),
// to show that a directory outside the store is untouched.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	require.NoError(t, filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		require.NoError(t, err)
		rel, _ := filepath.Rel(dir, p)
		switch {
		case d.Type()&os.ModeSymlink != 0:
			target, err := os.Readlink(p)
			require.NoError(t, err)
			out[rel] = "-> " + target
		case d.IsDir():
			out[rel] = "dir"
		default:
			b, err := os.ReadFile(p)
			require.NoError(t, err)
			out[rel] = string(b)
		}
		return nil
	}))
	return out
}

// victimDir is a directory outside the store with files named like those
// a store holds, which a store following links would list, delete or
// overwrite.
func victimDir(t *testing.T) string {
	dir := filepath.Join(t.TempDir(), "victim")
	for rel, content := range map[string]string{
		"precious.txt": "precious\n", "submission-1.orig": "staged-looking\n", ".x.tmp-1": "temp-looking\n",
		"v1.run": "version-looking\n", "MANIFEST.jsonl": "", "t1/myrun/v1.run": "nested\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
	return dir
}

// TestPlantedSymlinks plants a symbolic link in place of each kind of
// entry of a store — pointing at a directory or file outside it — and runs
// intake, verify, verify --repair and the scorer's reader: each refuses
// with an error or finding naming the link, and nothing outside the store
// is created, changed or deleted.
func TestPlantedSymlinks(t *testing.T) {
	fsutil.NoSyncInTest(t)
	v := testValidator(t, validate.TaskA)
	cases := []struct {
		name    string
		plant   func(t *testing.T, s *Store, victim string) // replaces an entry by a link into victim
		submit  string                                      // error of an intake by team t1 ("" = accepted)
		others  bool                                        // team t2 gets the same error
		verify  string                                      // error of verify ("" = none)
		finding []string                                    // findings of verify
	}{
		{
			name:   ".staging",
			others: true,
			plant:  func(t *testing.T, s *Store, victim string) { replaceByLink(t, s, ".staging", victim) },
			submit: "{store}/.staging is a symbolic link: the store never follows links (mreval does not make them; remove it)",
			finding: []string{
				".staging: " + linkProblem,
			},
		},
		{
			name:   "A",
			others: true,
			plant:  func(t *testing.T, s *Store, victim string) { replaceByLink(t, s, "A", victim) },
			submit: "{store}/A is a symbolic link: the store never follows links (mreval does not make them; remove it)",
			finding: []string{
				"A: " + linkProblem,
				`A/t1/myrun/v1.orig: the original of version 1 is reached through A, ` + linkProblem,
				`A/t1/myrun/v1.run: the normalised run of version 1 is reached through A, ` + linkProblem,
			},
		},
		{
			name:   "team",
			plant:  func(t *testing.T, s *Store, victim string) { replaceByLink(t, s, "A/t1", victim) },
			submit: "{store}/A/t1 is a symbolic link: the store never follows links (mreval does not make them; remove it)",
			finding: []string{
				"A/t1: " + linkProblem,
				`A/t1/myrun/v1.orig: the original of version 1 is reached through A/t1, ` + linkProblem,
				`A/t1/myrun/v1.run: the normalised run of version 1 is reached through A/t1, ` + linkProblem,
			},
		},
		{
			name:   "tag",
			plant:  func(t *testing.T, s *Store, victim string) { replaceByLink(t, s, "A/t1/myrun", victim) },
			submit: "{store}/A/t1/myrun is a symbolic link: the store never follows links (mreval does not make them; remove it)",
			finding: []string{
				"A/t1/myrun: " + linkProblem,
				`A/t1/myrun/v1.orig: the original of version 1 is reached through A/t1/myrun, ` + linkProblem,
				`A/t1/myrun/v1.run: the normalised run of version 1 is reached through A/t1/myrun, ` + linkProblem,
			},
		},
		{
			name: "version file",
			plant: func(t *testing.T, s *Store, victim string) {
				replaceByLink(t, s, "A/t1/myrun/v1.run", filepath.Join(victim, "v1.run"))
			},
			finding: []string{
				`A/t1/myrun/v1.run: the normalised run of version 1 is reached through A/t1/myrun/v1.run, ` + linkProblem,
			},
		},
		{
			name:   ".lock",
			others: true,
			plant: func(t *testing.T, s *Store, victim string) {
				replaceByLink(t, s, ".lock", filepath.Join(victim, "created-by-lock"))
			},
			submit: "{store}/.lock is a symbolic link: the store never follows links (mreval does not make them; remove it)",
			verify: "{store}/.lock is a symbolic link: the store never follows links (mreval does not make them; remove it)",
		},
		{
			name:   "MANIFEST.jsonl",
			others: true,
			plant: func(t *testing.T, s *Store, victim string) {
				replaceByLink(t, s, "MANIFEST.jsonl", filepath.Join(victim, "MANIFEST.jsonl"))
			},
			submit: "{store}/MANIFEST.jsonl is a symbolic link: the store never follows links (mreval does not make them; remove it)",
			verify: "{store}/MANIFEST.jsonl is a symbolic link: the store never follows links (mreval does not make them; remove it)",
		},
		{
			name: "staged directory and temporary file",
			plant: func(t *testing.T, s *Store, victim string) {
				require.NoError(t, os.Symlink(victim, s.abs(".staging/intake-planted")))
				require.NoError(t, os.Symlink(filepath.Join(victim, ".x.tmp-1"), s.abs(".MANIFEST.jsonl.tmp-1")))
				require.NoError(t, os.Symlink(filepath.Join(victim, "precious.txt"), s.abs(".staging/submission-1.orig")))
			},
			finding: []string{
				".MANIFEST.jsonl.tmp-1: " + linkProblem,
				".staging/intake-planted: " + linkProblem,
				".staging/submission-1.orig: " + linkProblem,
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := testStore(t)
			require.True(t, submit(t, s, v, Submission{Path: writeFile(t, "r", runText("myrun", 0)), Team: "t1"}).Accepted)
			victim := victimDir(t)
			before := snapshot(t, victim)
			tc.plant(t, s, victim)
			expand := func(msg string) string { return strings.ReplaceAll(msg, "{store}", s.Dir) }

			for _, team := range []string{"t1", "t2"} {
				res, err := s.Submit(v, Submission{Path: writeFile(t, "r", runText("myrun", 1)), Team: team, Replace: true})
				if tc.submit == "" || team == "t2" && !tc.others {
					require.NoError(t, err, team)
					assert.True(t, res.Accepted, res.Reason)
					continue
				}
				assert.EqualError(t, err, expand(tc.submit), team)
				var le *LinkError
				assert.True(t, errors.As(err, &le))
			}
			for _, repair := range []bool{false, true} {
				ver, err := Verify(s.Dir, repair)
				if tc.verify != "" {
					assert.EqualError(t, err, expand(tc.verify))
					continue
				}
				require.NoError(t, err)
				var links []string
				for _, f := range ver.Findings {
					if strings.Contains(f.Problem, "symbolic link") {
						links = append(links, f.Path+": "+f.Problem)
					}
				}
				assert.Equal(t, tc.finding, links, "repair %v: %v", repair, ver.Findings)
				for _, r := range ver.Repairs {
					assert.NotRegexp(t, "^removed ", r, "repair touches no link")
				}
			}
			_, err := ListRuns(s.Dir)
			if tc.name == "MANIFEST.jsonl" {
				assert.EqualError(t, err, expand(tc.verify))
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, before, snapshot(t, victim), "nothing outside the store changed")
		})
	}
}

// replaceByLink moves rel out of the store and puts a symbolic link to
// target in its place.
func replaceByLink(t *testing.T, s *Store, rel, target string) {
	t.Helper()
	p := s.abs(rel)
	if _, err := os.Lstat(p); err == nil {
		require.NoError(t, os.Rename(p, filepath.Join(t.TempDir(), "moved-away")))
	}
	require.NoError(t, os.Symlink(target, p))
}

// TestReadRunRefusesLinks: the scorer's reader does not follow a link in
// place of a stored run, even one to identical bytes.
func TestReadRunRefusesLinks(t *testing.T) {
	s := testStore(t)
	v := testValidator(t, validate.TaskA)
	require.True(t, submit(t, s, v, Submission{Path: writeFile(t, "r", runText("myrun", 0)), Team: "t1"}).Accepted)
	runs, err := ListRuns(s.Dir)
	require.NoError(t, err)
	copyOf := filepath.Join(t.TempDir(), "copy")
	require.NoError(t, os.WriteFile(copyOf, []byte(runText("myrun", 0)), 0o644))
	replaceByLink(t, s, "A/t1/myrun/v1.run", copyOf)
	_, err = runs[0].ReadRun(trecfmt.DefaultLimits)
	assert.EqualError(t, err, "store "+s.Dir+": "+s.abs("A/t1/myrun/v1.run")+" is a symbolic link: the store never follows links (mreval does not make them; remove it)")
}
