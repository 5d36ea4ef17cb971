package transfer

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Bundle file names. A feature bundle is a directory
//
//	topic-dirs.tsv              topic ID <TAB> topic directory, one a line
//	model-dirs.tsv              model ID <TAB> model directory, one a line
//	TOPICDIR/labels.npy         int64 [N]: class labels 0..C−1 (classification), or
//	TOPICDIR/targets.npy        float64 [N, R] (or [N]): regression targets
//	TOPICDIR/MODELDIR/features.npy  float32 or float64 [N, D]: penultimate-layer
//	                                features of the topic's N target samples
//	TOPICDIR/MODELDIR/probs.npy     optional float [N, Cs]: source-head class
//	                                probabilities of the same samples
//
// IDs are UTF-8 text without white space or control characters (they
// become TREC topic and docno fields, are printed in messages, and model
// IDs contain '/'); lines are at most 64 KiB; directories are single path elements
// of letters, digits, '.', '_' and '-', so the mapping from ID to directory
// is explicit and never derived by mangling the ID. In the .tsv files blank
// lines and lines starting with '#' are ignored.
const (
	TopicDirsFile = "topic-dirs.tsv"
	ModelDirsFile = "model-dirs.tsv"
	LabelsFile    = "labels.npy"
	TargetsFile   = "targets.npy"
	FeaturesFile  = "features.npy"
	ProbsFile     = "probs.npy"
)

// The ID maps were called topics.tsv and models.tsv, names that said
// nothing of what they hold and that the collections already use for their
// topic descriptions and model metadata tables. A bundle written before the
// rename is told so rather than that a file is missing.
var renamedIDMaps = map[string]string{
	TopicDirsFile: "topics.tsv",
	ModelDirsFile: "models.tsv",
}

// BundleEntry maps a topic or model ID to its directory in a bundle.
type BundleEntry struct {
	ID  string
	Dir string
}

// Bundle is an opened, structurally checked feature bundle.
type Bundle struct {
	Dir    string
	Topics []BundleEntry
	Models []BundleEntry
	// Regression reports, per topic index, whether the topic has
	// targets.npy rather than labels.npy.
	Regression []bool
	// HasProbs reports, per [topic][model], whether probs.npy is present.
	HasProbs [][]bool
}

// maxIDMapLine bounds a line of topic-dirs.tsv or model-dirs.tsv: an ID and a
// directory name, never near 64 KiB.
const maxIDMapLine = 64 << 10

var dirNamePattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._-]*$`) })

// OpenBundle reads the ID maps of the bundle in dir and checks, from the
// .npy headers and file sizes only, that every file the format requires is
// present with the right dtype and shape and that row counts agree. All
// problems found are reported together, each naming its file.
func OpenBundle(dir string) (*Bundle, error) {
	b := &Bundle{Dir: dir}
	var err error
	if err = checkNotOldNames(dir); err != nil {
		return nil, err
	}
	if b.Topics, err = readIDMap(filepath.Join(dir, TopicDirsFile), "topic"); err != nil {
		return nil, err
	}
	if b.Models, err = readIDMap(filepath.Join(dir, ModelDirsFile), "model"); err != nil {
		return nil, err
	}
	var problems []error
	b.Regression = make([]bool, len(b.Topics))
	b.HasProbs = make([][]bool, len(b.Topics))
	for ti, t := range b.Topics {
		b.HasProbs[ti] = make([]bool, len(b.Models))
		tdir := filepath.Join(dir, t.Dir)
		labels, lerr := npyHeaderOf(filepath.Join(tdir, LabelsFile))
		targets, terr := npyHeaderOf(filepath.Join(tdir, TargetsFile))
		n := -1
		switch {
		case lerr == nil && terr == nil:
			problems = append(problems, fmt.Errorf("%s: topic %q has both %s and %s; keep one", tdir, t.ID, LabelsFile, TargetsFile))
		case lerr == nil:
			if err := labels.expect("labels", "int", 1); err != nil {
				problems = append(problems, err)
			} else {
				n = labels.shape[0]
			}
		case terr == nil:
			b.Regression[ti] = true
			if err := targets.expect("targets", "float", 1, 2); err != nil {
				problems = append(problems, err)
			} else {
				n = targets.shape[0]
			}
		case isNotExist(lerr) && isNotExist(terr):
			problems = append(problems, fmt.Errorf("%s: topic %q has neither %s nor %s", tdir, t.ID, LabelsFile, TargetsFile))
		default:
			for _, e := range []error{lerr, terr} {
				if !isNotExist(e) {
					problems = append(problems, e)
				}
			}
		}
		if n == 0 {
			problems = append(problems, fmt.Errorf("%s: topic %q has no samples", tdir, t.ID))
		}
		for mi, m := range b.Models {
			mdir := filepath.Join(tdir, m.Dir)
			feats, err := npyHeaderOf(filepath.Join(mdir, FeaturesFile))
			if err != nil {
				if isNotExist(err) {
					err = fmt.Errorf("%s: missing (topic %q, model %q)", filepath.Join(mdir, FeaturesFile), t.ID, m.ID)
				}
				problems = append(problems, err)
			} else if err := feats.expect("features", "float", 2); err != nil {
				problems = append(problems, err)
			} else if n >= 0 && feats.shape[0] != n {
				problems = append(problems, fmt.Errorf("%s: %d rows, but the topic has %d samples", feats.path, feats.shape[0], n))
			} else if feats.shape[1] == 0 {
				problems = append(problems, fmt.Errorf("%s: zero feature columns", feats.path))
			}
			probs, err := npyHeaderOf(filepath.Join(mdir, ProbsFile))
			switch {
			case isNotExist(err):
			case err != nil:
				problems = append(problems, err)
			default:
				b.HasProbs[ti][mi] = true
				if err := probs.expect("probabilities", "float", 2); err != nil {
					problems = append(problems, err)
				} else if n >= 0 && probs.shape[0] != n {
					problems = append(problems, fmt.Errorf("%s: %d rows, but the topic has %d samples", probs.path, probs.shape[0], n))
				}
			}
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("bad bundle %s:\n%w", dir, errors.Join(problems...))
	}
	return b, nil
}

// LoadTopic reads the labels or targets of topic ti.
func (b *Bundle) LoadTopic(ti int) (labels []int, targets *Matrix, err error) {
	tdir := filepath.Join(b.Dir, b.Topics[ti].Dir)
	if b.Regression[ti] {
		m, err := ReadTargets(filepath.Join(tdir, TargetsFile))
		if err != nil {
			return nil, nil, err
		}
		return nil, &m, nil
	}
	labels, err = ReadLabels(filepath.Join(tdir, LabelsFile))
	return labels, nil, err
}

// LoadPair reads the features of model mi on topic ti and, when wantProbs
// is set, its source probabilities instead (the estimators that use them
// ignore the features, whose header OpenBundle has checked).
func (b *Bundle) LoadPair(ti, mi int, wantProbs bool) (Matrix, *Matrix, error) {
	mdir := filepath.Join(b.Dir, b.Topics[ti].Dir, b.Models[mi].Dir)
	if !wantProbs {
		f, err := ReadFeatures(filepath.Join(mdir, FeaturesFile))
		return f, nil, err
	}
	if !b.HasProbs[ti][mi] {
		return Matrix{}, nil, fmt.Errorf("%s: missing (topic %q, model %q); the estimator needs source probabilities",
			filepath.Join(mdir, ProbsFile), b.Topics[ti].ID, b.Models[mi].ID)
	}
	p, err := ReadProbs(filepath.Join(mdir, ProbsFile))
	if err != nil {
		return Matrix{}, nil, err
	}
	return Matrix{}, &p, nil
}

// readIDMap parses a topic-dirs.tsv or model-dirs.tsv file.
func readIDMap(path, kind string) ([]BundleEntry, error) {
	// Stat first: opening a FIFO for reading would block until a writer
	// appears.
	if st, err := os.Stat(path); err != nil {
		return nil, err
	} else if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var entries []BundleEntry
	ids := map[string]int{}
	dirs := map[string]int{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, maxIDMapLine)
	line := 1
	for ; sc.Scan(); line++ {
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Split(text, "\t")
		if len(fields) != 2 {
			return nil, fmt.Errorf("%s:%d: want %s ID <TAB> directory, got %d tab-separated fields", path, line, kind, len(fields))
		}
		id, dir := fields[0], fields[1]
		switch {
		case !utf8.ValidString(id):
			return nil, fmt.Errorf("%s:%d: %s ID %q is not valid UTF-8", path, line, kind, id)
		case id == "" || strings.IndexFunc(id, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
			return nil, fmt.Errorf("%s:%d: %s ID %q is empty or contains white space or a control character", path, line, kind, id)
		case !dirNamePattern().MatchString(dir) || strings.HasSuffix(dir, ".npy"):
			return nil, fmt.Errorf("%s:%d: directory %q must be one path element of letters, digits, '.', '_', '-' (not starting with '.' or '-', not ending in .npy)", path, line, dir)
		}
		if prev, ok := ids[id]; ok {
			return nil, fmt.Errorf("%s:%d: %s ID %q already listed on line %d", path, line, kind, id, prev)
		}
		if prev, ok := dirs[dir]; ok {
			return nil, fmt.Errorf("%s:%d: directory %q already used on line %d", path, line, dir, prev)
		}
		ids[id], dirs[dir] = line, line
		entries = append(entries, BundleEntry{ID: id, Dir: dir})
	}
	if err := sc.Err(); errors.Is(err, bufio.ErrTooLong) {
		return nil, fmt.Errorf("%s:%d: line longer than %d bytes", path, line, maxIDMapLine)
	} else if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(entries) == 0 {
		return nil, fmt.Errorf("%s: no %ss listed", path, kind)
	}
	return entries, nil
}

// checkNotOldNames refuses a bundle whose ID maps still carry their names
// from before the rename, naming both names of each, so that the user
// renames the files instead of hunting for a missing one.
func checkNotOldNames(dir string) error {
	var problems []error
	for _, name := range []string{TopicDirsFile, ModelDirsFile} {
		old := renamedIDMaps[name]
		// Lstat: the old file is neither followed nor opened, only named.
		if _, err := os.Lstat(filepath.Join(dir, name)); !isNotExist(err) {
			continue
		}
		if _, err := os.Lstat(filepath.Join(dir, old)); err == nil {
			problems = append(problems, fmt.Errorf("%s is missing but %s is there: the bundle file %s was renamed %s (same format); rename it",
				filepath.Join(dir, name), filepath.Join(dir, old), old, name))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("bundle %s has the old file names:\n%w", dir, errors.Join(problems...))
	}
	return nil
}

// npyHeader is what OpenBundle checks of a .npy file without reading it.
type npyHeader struct {
	path  string
	dtype string
	kind  string // "float" or "int"
	shape []int
}

// npyHeaderOf parses and checks the header of a .npy file, including that
// the file holds exactly the data the header declares.
func npyHeaderOf(path string) (*npyHeader, error) {
	f, l, err := openNpy(path)
	if err != nil {
		return nil, err
	}
	f.Close()
	h := &npyHeader{path: path, dtype: l.dtype, shape: l.shape, kind: "int"}
	if l.kind == 'f' {
		h.kind = "float"
	}
	return h, nil
}

// expect checks the kind of dtype and the number of dimensions.
func (h *npyHeader) expect(what, kind string, dims ...int) error {
	if h.kind != kind {
		want := "be float16, float32 or float64"
		if kind == "int" {
			want = "have " + labelDtypeText
		}
		return fmt.Errorf("%s: %s must %s, got dtype %q", h.path, what, want, h.dtype)
	}
	for _, d := range dims {
		if len(h.shape) == d {
			return nil
		}
	}
	return fmt.Errorf("%s: %s must have %s, got shape %v", h.path, what, dimsText(dims), h.shape)
}

func dimsText(dims []int) string {
	var parts []string
	for _, d := range dims {
		parts = append(parts, fmt.Sprintf("%d dimension(s)", d))
	}
	return strings.Join(parts, " or ")
}
