// Package collection knows the shipped collections of the kit — the
// Subtask A collection "recycling" (Hugging Face text models fine-tuned on
// 36 classification datasets), the Model Spider zoos "modelspider-single"
// and "modelspider-multi" and the synthetic "subtask-b-sample" — where to
// find them and how to read them.
//
// Lookup resolves a collection by name, from the working tree when its
// files are there and otherwise from the copy embedded in the binary, so
// that an installed mreval works from any directory. The files themselves
// are made from the source tables by internal/ship (`mreval collection
// build`); this package only reads them, and imports nothing from
// baselines/.
package collection

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	mreval "github.com/ntcir-pmr/mreval"
	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/ntcir-pmr/mreval/eval/zoo"
)

// Collection is a shipped collection resolved to a directory or to the
// embedded copy; obtain one from Lookup, LookupIn or Embedded. File fields
// are slash-separated paths relative to the root (e.g.
// "qrels/recycling.qrels"); an empty field means the collection has no
// such file.
type Collection struct {
	Name string
	// Root is the directory the files are read from; "" when they come
	// from the copy embedded in the binary.
	Root string

	QrelsFile       string
	TrainTopicsFile string
	TestTopicsFile  string
	PoolFile        string
	ModelsFile      string // per-model metadata (recycling.models.tsv)
	TopicsFile      string // per-topic descriptions (recycling.topics.tsv)
	SeedsFile       string // seed runs of the base models (recycling.seeds.tsv)
	RunsDir         string // the reference runs
	// Note is what the collection is for, when a report built from it
	// must say so (the synthetic Subtask B sample); "" otherwise.
	Note string
	// RunName is the run name pattern (validate.NamePattern) that runs
	// submitted for the collection follow, e.g. "{team}-A-{priority}";
	// validate, intake and pool use it unless --run-name is given. None of
	// the shipped collections sets one: their reference runs are baselines,
	// not team submissions.
	RunName string

	fsys fs.FS
}

var specs = []Collection{
	{
		Name:            "recycling",
		QrelsFile:       "qrels/recycling.qrels",
		TrainTopicsFile: "qrels/recycling.train.topics",
		TestTopicsFile:  "qrels/recycling.test.topics",
		PoolFile:        "qrels/recycling.pool",
		ModelsFile:      "qrels/recycling.models.tsv",
		TopicsFile:      "qrels/recycling.topics.tsv",
		SeedsFile:       "qrels/recycling.seeds.tsv",
		RunsDir:         "runs/recycling",
	},
	{Name: "modelspider-single", QrelsFile: "qrels/modelspider-single.qrels", RunsDir: "runs/modelspider-single"},
	{Name: "modelspider-multi", QrelsFile: "qrels/modelspider-multi.qrels"},
	{Name: "subtask-b-sample", QrelsFile: "qrels/subtask-b-sample.qrels", PoolFile: "qrels/subtask-b-sample.pool",
		RunsDir: "runs/subtask-b-sample", Note: SampleNote},
}

// SampleNote is what the Subtask B sample is for; its README and every
// report made from it say so.
const SampleNote = "synthetic, for format and pipeline checks only"

// Names lists the known collections.
func Names() []string {
	out := make([]string, len(specs))
	for i, s := range specs {
		out[i] = s.Name
	}
	return out
}

func spec(name string) (Collection, error) {
	for _, s := range specs {
		if s.Name == name {
			return s, nil
		}
	}
	return Collection{}, fmt.Errorf("unknown collection %q (known: %s)", name, strings.Join(Names(), ", "))
}

// Lookup resolves a collection by name: from the current directory when it
// holds the collection's qrels file (a working tree of the kit), otherwise
// from the copy embedded in the binary. Explicit file paths given by a
// user should always be preferred over a Lookup.
func Lookup(name string) (*Collection, error) {
	s, err := spec(name)
	if err != nil {
		return nil, err
	}
	if wd, err := os.Getwd(); err == nil {
		if st, err := os.Stat(filepath.Join(wd, filepath.FromSlash(s.QrelsFile))); err == nil && st.Mode().IsRegular() {
			return LookupIn(wd, name)
		}
	}
	return Embedded(name)
}

// LookupIn resolves a collection in the tree rooted at root; its qrels
// file must exist there.
func LookupIn(root, name string) (*Collection, error) {
	s, err := spec(name)
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	s.Root = abs
	s.fsys = os.DirFS(abs)
	if _, err := fs.Stat(s.fsys, s.QrelsFile); err != nil {
		return nil, fmt.Errorf("collection %s: %s: %w", name, s.Path(s.QrelsFile), err)
	}
	return &s, nil
}

// InFS resolves a collection in the file system fsys, whose files are
// shown under root: a build reads the files it has just made in memory
// through it, with the same code as a collection on disk.
func InFS(name, root string, fsys fs.FS) (*Collection, error) {
	s, err := spec(name)
	if err != nil {
		return nil, err
	}
	s.Root, s.fsys = root, fsys
	if _, err := fs.Stat(s.fsys, s.QrelsFile); err != nil {
		return nil, fmt.Errorf("collection %s: %s: %w", name, s.Path(s.QrelsFile), unwrapPathError(err))
	}
	return &s, nil
}

// Embedded resolves a collection in the copy embedded in the binary.
func Embedded(name string) (*Collection, error) {
	s, err := spec(name)
	if err != nil {
		return nil, err
	}
	s.fsys = mreval.Files
	if _, err := fs.Stat(s.fsys, s.QrelsFile); err != nil {
		return nil, fmt.Errorf("collection %s: the binary was built without %s", name, s.QrelsFile)
	}
	return &s, nil
}

// Path returns the name under which a file of the collection is shown:
// its path on disk, or "embedded:<rel>" for the embedded copy.
func (c *Collection) Path(rel string) string {
	if c.Root == "" {
		return "embedded:" + rel
	}
	return filepath.Join(c.Root, filepath.FromSlash(rel))
}

// ReadFile returns the content of a file of the collection.
func (c *Collection) ReadFile(rel string) ([]byte, error) {
	b, err := fs.ReadFile(c.fsys, rel)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.Path(rel), unwrapPathError(err))
	}
	return b, nil
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Open opens a file of the collection for the trecfmt readers; error
// messages name it by Path.
func (c *Collection) Open(rel string, lim trecfmt.Limits) (*trecfmt.Source, error) {
	f, err := c.fsys.Open(rel)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.Path(rel), unwrapPathError(err))
	}
	return trecfmt.NewSource(c.Path(rel), f, lim)
}

// Qrels reads the collection's qrels.
func (c *Collection) Qrels() (*eval.Qrels, error) {
	src, err := c.Open(c.QrelsFile, trecfmt.DefaultLimits)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	return trecfmt.ReadQrels(src, trecfmt.DefaultLimits)
}

func (c *Collection) idList(rel string) ([]string, error) {
	src, err := c.Open(rel, trecfmt.DefaultLimits)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	return trecfmt.ReadIDList(src, trecfmt.DefaultLimits)
}

// TrainTopics returns the training topics, or nil when the collection has
// no train/test split.
func (c *Collection) TrainTopics() ([]string, error) {
	if c.TrainTopicsFile == "" {
		return nil, nil
	}
	return c.idList(c.TrainTopicsFile)
}

// TestTopics returns the topics to evaluate on: the test split, or every
// topic of the qrels when the collection has no split (the Model Spider
// zoos, which are evaluated on all their datasets).
func (c *Collection) TestTopics() ([]string, error) {
	if c.TestTopicsFile != "" {
		return c.idList(c.TestTopicsFile)
	}
	q, err := c.Qrels()
	if err != nil {
		return nil, err
	}
	return q.Topics, nil
}

// Pool returns the models to rank: the pool file, or, without one, every
// judged model in order of first appearance (topics in byte order).
func (c *Collection) Pool() ([]string, error) {
	if c.PoolFile != "" {
		return c.idList(c.PoolFile)
	}
	q, err := c.Qrels()
	if err != nil {
		return nil, err
	}
	var pool []string
	seen := map[string]bool{}
	for _, t := range q.Topics {
		for _, d := range q.ByID[t].Docs {
			if !seen[d] {
				seen[d] = true
				pool = append(pool, d)
			}
		}
	}
	return pool, nil
}

// ModelsHeader and TopicsHeader are the header rows of the model metadata
// table (ModelsFile, one zoo.Model a row) and of the topic descriptions
// (TopicsFile, one TopicInfo a row); internal/ship writes them.
var (
	ModelsHeader = []string{"model_id", "base_model", "params", "layers", "model_type", "tokenizer", "mnli_lp"}
	TopicsHeader = []string{"id", "name", "description"}
)

// Models returns the per-model metadata, or nil when the collection has
// none.
func (c *Collection) Models() ([]zoo.Model, error) {
	if c.ModelsFile == "" {
		return nil, nil
	}
	rows, err := c.tsv(c.ModelsFile, ModelsHeader)
	if err != nil {
		return nil, err
	}
	out := make([]zoo.Model, len(rows))
	for i, r := range rows {
		out[i] = zoo.Model{ID: r[0], BaseModel: r[1], Params: r[2], Layers: r[3], ModelType: r[4], Tokenizer: r[5], MNLILP: r[6]}
	}
	return out, nil
}

// Topics returns the per-topic names and descriptions, or nil when the
// collection has none.
func (c *Collection) Topics() ([]TopicInfo, error) {
	if c.TopicsFile == "" {
		return nil, nil
	}
	rows, err := c.tsv(c.TopicsFile, TopicsHeader)
	if err != nil {
		return nil, err
	}
	out := make([]TopicInfo, len(rows))
	for i, r := range rows {
		out[i] = TopicInfo{ID: r[0], Name: r[1], Description: r[2]}
	}
	return out, nil
}

// tsv reads a tab-separated file with the given header.
func (c *Collection) tsv(rel string, header []string) ([][]string, error) {
	data, err := c.ReadFile(rel)
	if err != nil {
		return nil, err
	}
	var rows [][]string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	line := 0
	for sc.Scan() {
		line++
		f := strings.Split(sc.Text(), "\t")
		if line == 1 {
			if !slices.Equal(f, header) {
				return nil, fmt.Errorf("%s:1: header is %q, want %q", c.Path(rel), f, header)
			}
			continue
		}
		if len(f) != len(header) {
			return nil, fmt.Errorf("%s:%d: %d fields, want %d", c.Path(rel), line, len(f), len(header))
		}
		rows = append(rows, f)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", c.Path(rel), err)
	}
	if line == 0 {
		return nil, fmt.Errorf("%s: empty file (no header)", c.Path(rel))
	}
	return rows, nil
}

// RunFiles lists the reference runs (*.run under RunsDir) in byte order,
// as paths relative to the root.
func (c *Collection) RunFiles() ([]string, error) {
	if c.RunsDir == "" {
		return nil, nil
	}
	entries, err := fs.ReadDir(c.fsys, c.RunsDir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.Path(c.RunsDir), unwrapPathError(err))
	}
	var out []string
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasSuffix(e.Name(), ".run") {
			out = append(out, path.Join(c.RunsDir, e.Name()))
		}
	}
	return out, nil
}

// ReadRun reads a run file of the collection (a path from RunFiles).
func (c *Collection) ReadRun(rel string) (*eval.Run, error) {
	src, err := c.Open(rel, trecfmt.DefaultLimits)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	return trecfmt.ReadRun(src, trecfmt.DefaultLimits)
}

// BaselineData gathers what every Subtask A baseline uses: qrels, split,
// pool, base models, mnli_lp values and topic descriptions. Only
// collections with a split, a models file and a topics file have it.
func (c *Collection) BaselineData() (*zoo.Data, error) {
	if c.TrainTopicsFile == "" || c.ModelsFile == "" || c.TopicsFile == "" {
		return nil, fmt.Errorf("collection %s has no train/test split, model metadata or topic descriptions for the Subtask A baselines", c.Name)
	}
	return loadBaselineData(c)
}

func loadBaselineData(c *Collection) (*zoo.Data, error) {
	d := &zoo.Data{}
	var err error
	if d.Qrels, err = c.Qrels(); err != nil {
		return nil, err
	}
	if d.Train, err = c.TrainTopics(); err != nil {
		return nil, err
	}
	if d.Test, err = c.TestTopics(); err != nil {
		return nil, err
	}
	if d.Pool, err = c.Pool(); err != nil {
		return nil, err
	}
	models, err := c.Models()
	if err != nil {
		return nil, err
	}
	d.Base = make(map[string]string, len(models))
	d.MNLILP = make(map[string]float64, len(models))
	for _, m := range models {
		d.Base[m.ID] = m.BaseModel
		if m.MNLILP == "" {
			continue
		}
		// The number syntax of runs and qrels: ParseFloat read nan as a
		// score and 1_0 as 10.
		v, err := trecfmt.ParseNumber([]byte(m.MNLILP))
		if err != nil {
			return nil, fmt.Errorf("models: mnli_lp %q of %s is not a finite number", m.MNLILP, m.ID)
		}
		d.MNLILP[m.ID] = v
	}
	topics, err := c.Topics()
	if err != nil {
		return nil, err
	}
	d.Descriptions = make(map[string]string, len(topics))
	for _, t := range topics {
		d.Descriptions[t.ID] = t.Description
	}
	return d, nil
}
