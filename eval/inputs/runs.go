package inputs

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/intake"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/ntcir-pmr/mreval/internal/safetext"
)

// Runs names where the runs of a leaderboard come from: at most one of
// Dir, Store and Files; none means the collection's reference runs.
type Runs struct {
	Dir   string   // every *.run and *.run.gz of a directory
	Store string   // the current runs of a submission store
	Task  string   // with Store: the subtask whose runs are taken
	Files []string // run files
}

// Set is the input of a leaderboard: judgments and the runs restricted to
// their topics.
type Set struct {
	*Judgments
	Runs []*eval.Run
	// Teams maps a run tag to its team, for runs of a store (tagged
	// TEAM/TAG).
	Teams map[string]string
}

// source reads one run.
type source func() (*eval.Run, error)

// LoadSet reads the judgments of spec and the runs of from, each run
// restricted to the evaluation topics. progress, when not nil, is told how
// many runs have been read.
func LoadSet(spec Spec, from Runs, progress func(done, total int)) (*Set, error) {
	given := 0
	for _, set := range []bool{from.Dir != "", from.Store != "", len(from.Files) > 0} {
		if set {
			given++
		}
	}
	if given > 1 {
		return nil, usagef("give runs one way: --runs DIR, --store DIR or RUN files")
	}
	if spec.QrelsFile != "" && spec.Collection != "" {
		return nil, usagef("give either --collection or --qrels, not both")
	}
	if spec.QrelsFile != "" && given == 0 {
		return nil, usagef("with --qrels, give the runs: --runs DIR, --store DIR or RUN files")
	}
	j, err := Load(spec)
	if err != nil {
		return nil, err
	}
	if len(j.Qrels.Topics) == 0 {
		return nil, fmt.Errorf("%s: no topics to evaluate on", j.QrelsName)
	}
	set := &Set{Judgments: j}
	var srcs []source
	switch {
	case from.Dir != "":
		srcs, err = set.dirSources(from.Dir)
	case from.Store != "":
		srcs, err = set.storeSources(from.Store, strings.ToUpper(from.Task))
	case len(from.Files) > 0:
		for _, p := range from.Files {
			srcs = append(srcs, set.fileSource(p))
		}
	default:
		srcs, err = set.collectionSources()
	}
	if err != nil {
		return nil, err
	}
	for i, s := range srcs {
		if progress != nil {
			progress(i, len(srcs))
		}
		run, err := s()
		if err != nil {
			return nil, err
		}
		j.restrictRun(run)
		set.Runs = append(set.Runs, run)
	}
	if progress != nil {
		progress(len(srcs), len(srcs))
	}
	return set, nil
}

func (s *Set) fileSource(path string) source {
	return func() (*eval.Run, error) {
		run, err := trecfmt.ReadRunFile(path, s.Limits)
		if err == nil {
			run.File = shown(run.File, s.baseNames)
		}
		return run, err
	}
}

// dirSources are the *.run and *.run.gz files of dir. A file named like a
// run is scored or refused, never skipped: a symlink counts as the file it
// names; a FIFO or device would block or never end, a dangling link is a
// lost run.
func (s *Set) dirSources(dir string) ([]source, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var srcs []source
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".run") && !strings.HasSuffix(e.Name(), ".run.gz") {
			continue
		}
		p := filepath.Join(dir, e.Name())
		if !e.Type().IsRegular() {
			info, err := os.Stat(p)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", safetext.Name(p), err)
			}
			if !info.Mode().IsRegular() {
				return nil, fmt.Errorf("%s: not a regular file", safetext.Name(p))
			}
		}
		srcs = append(srcs, s.fileSource(p))
	}
	if len(srcs) == 0 {
		return nil, fmt.Errorf("%s: no run files (*.run, *.run.gz)", dir)
	}
	return srcs, nil
}

// storeSources are the current runs of task in the store at dir, read
// through the store's verified reader and tagged TEAM/TAG.
func (s *Set) storeSources(dir, task string) ([]source, error) {
	stored, err := intake.ListRuns(dir)
	if err != nil {
		return nil, err
	}
	var srcs []source
	for _, st := range stored {
		if st.Task != task {
			continue
		}
		tag := st.Team + "/" + st.Tag
		if s.Teams == nil {
			s.Teams = map[string]string{}
		}
		s.Teams[tag] = st.Team
		srcs = append(srcs, func() (*eval.Run, error) {
			// ReadRun refuses a run whose bytes are not those accepted.
			run, err := st.ReadRun(s.Limits)
			if err == nil {
				// Shown by where it is in the store, not on this disk:
				// a published board names no server path.
				run.File = st.InStore
				run.Tag = tag
				if run.Description == "" {
					run.Description = st.Description
				}
			}
			return run, err
		})
	}
	if len(srcs) == 0 {
		return nil, fmt.Errorf("store %s: no current runs of task %s", dir, task)
	}
	return srcs, nil
}

// collectionSources are the reference runs of the collection, shown by
// their path in the collection, not on this disk.
func (s *Set) collectionSources() ([]source, error) {
	coll := s.Collection
	files, err := coll.RunFiles()
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("collection %s has no reference runs; give --runs DIR, --store DIR or RUN files", coll.Name)
	}
	var srcs []source
	for _, rel := range files {
		srcs = append(srcs, func() (*eval.Run, error) {
			run, err := coll.ReadRun(rel)
			if err == nil {
				run.File = rel
			}
			return run, err
		})
	}
	return srcs, nil
}
