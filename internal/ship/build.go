package ship

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing/fstest"

	"github.com/ntcir-pmr/mreval/baselines/fennec"
	"github.com/ntcir-pmr/mreval/baselines/metadata"
	"github.com/ntcir-pmr/mreval/baselines/modelspider"
	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/collection"
	"github.com/ntcir-pmr/mreval/eval/fsutil"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/ntcir-pmr/mreval/eval/zoo"
)

// File is one file made by Build.
type File struct {
	Path string // slash-separated, relative to the root
	Data []byte
}

// Params are the settings of the shipped recycling baselines that have
// any: the seed of random, the probe models of probe-knn and fennec, the k
// of probe-knn and the BM25 parameters of name-match.
type Params struct {
	RandomSeed uint64              // seed of the random run
	Probes     []string            // probe models of probe-knn and fennec
	K          int                 // neighbours of probe-knn; 0 = leave-one-topic-out CV
	BM25       metadata.BM25Params // name-match
}

// ShippedParams returns the parameters of the shipped reference runs.
func ShippedParams() Params {
	return Params{
		RandomSeed: 1,
		Probes:     slices.Clone(metadata.DefaultProbes),
		K:          0,
		BM25:       metadata.DefaultBM25,
	}
}

// baselineNames are the baselines of runs/recycling, in the order Build
// makes them: the metadata baselines, fennec (the transfer-space
// factorisation of baselines/fennec) and modelspider (the learned ranker of
// baselines/modelspider, trained with seed 0). Each is shipped as
// runs/recycling/<name>.run with run tag <name>.
var baselineNames = []string{"prior", "mnli-lp", "random", "arch-prior", "name-match", "probe-knn", "fennec", "modelspider"}

// BaselineNames returns the names of the recycling baselines (see
// BaselineRun), in the order Build makes them.
func BaselineNames() []string { return slices.Clone(baselineNames) }

// BaselineRun computes one recycling baseline: a metadata baseline,
// fennec or modelspider. It returns the run and a note on parameters
// chosen from the data (the k of probe-knn, fennec's rank and λ), or "".
func BaselineRun(d *zoo.Data, name, tag string, p Params) (*eval.Run, string, error) {
	switch name {
	case "prior":
		r, err := metadata.PriorRun(tag, d)
		return r, "", err
	case "mnli-lp":
		r, err := metadata.MNLILPRun(tag, d)
		return r, "", err
	case "random":
		return metadata.RandomRun(tag, d, p.RandomSeed), "", nil
	case "arch-prior":
		r, err := metadata.ArchPriorRun(tag, d)
		return r, "", err
	case "name-match":
		r, err := metadata.NameMatchRun(tag, d, p.BM25)
		return r, "", err
	case "probe-knn":
		r, k, err := metadata.ProbeKNNRun(tag, d, metadata.KNNOptions{Probes: p.Probes, K: p.K})
		if err != nil {
			return nil, "", err
		}
		how := "given"
		if p.K == 0 {
			how = "chosen by leave-one-topic-out cross-validation on the train topics"
		}
		return r, fmt.Sprintf("probe-knn: k = %d (%s), probes %s", k, how, strings.Join(probesOrDefault(p.Probes), ", ")), nil
	case "fennec":
		r, err := fennec.Run(tag, d, fennec.Options{Probes: p.Probes})
		if err != nil {
			return nil, "", err
		}
		return r.Run, r.Note(), nil
	case "modelspider":
		r, err := modelspider.BuildRecyclingRun(d)
		if err != nil {
			return nil, "", err
		}
		r.Tag = tag
		return r, "modelspider: trained on the train topics with the shipped configuration, seed 0", nil
	}
	return nil, "", fmt.Errorf("unknown baseline %q (known: %s)", name, strings.Join(baselineNames, ", "))
}

func probesOrDefault(p []string) []string {
	if len(p) == 0 {
		return metadata.DefaultProbes
	}
	return p
}

// Output is the result of Build.
type Output struct {
	Files []File   // every generated file, SHA256SUMS last
	Notes []string // facts about the build worth reporting
}

// File returns the generated file at rel, or nil.
func (o *Output) File(rel string) *File {
	for i := range o.Files {
		if o.Files[i].Path == rel {
			return &o.Files[i]
		}
	}
	return nil
}

// Build regenerates, in memory, every shipped file of the collections from
// the source tables under root/qrels/source: the recycling qrels, split,
// pool, metadata, per-seed values and topic descriptions; the Model Spider
// qrels and published estimator runs; the reference runs of the recycling
// baselines (BaselineNames, with ShippedParams); the synthetic Subtask B
// sample; and qrels/SHA256SUMS and runs/SHA256SUMS. The output depends on
// the sources alone.
func Build(root string) (*Output, error) {
	return BuildReporting(root, nil)
}

// BuildReporting is Build telling report, when not nil, how many of its
// steps are done: one per recycling baseline (training the learned ones
// is most of the time) and one for the rest.
func BuildReporting(root string, report func(done, total int)) (*Output, error) {
	if report == nil {
		report = func(int, int) {}
	}
	total := len(baselineNames) + 1
	report(0, total)
	out, err := build(root, func(d *zoo.Data) ([]File, []string, error) {
		return recyclingRuns(d, func(done int) { report(done, total) })
	})
	if err == nil {
		report(total, total)
	}
	return out, err
}

// recyclingRuns makes runs/recycling/<name>.run for every baseline, with
// the notes worth reporting; made is told how many are done.
func recyclingRuns(d *zoo.Data, made func(int)) ([]File, []string, error) {
	var files []File
	var notes []string
	for i, name := range baselineNames {
		run, note, err := BaselineRun(d, name, name, ShippedParams())
		if err != nil {
			return nil, nil, err
		}
		var b bytes.Buffer
		if err := trecfmt.WriteRun(&b, run); err != nil {
			return nil, nil, err
		}
		files = append(files, File{Path: "runs/recycling/" + name + ".run", Data: b.Bytes()})
		if note != "" {
			notes = append(notes, note)
		}
		made(i + 1)
	}
	return files, notes, nil
}

// build is Build with the step that runs the recycling baselines given, so
// that tests on the full sources can leave out the training of the learned
// baselines (which `collection check` covers).
func build(root string, runs func(*zoo.Data) ([]File, []string, error)) (*Output, error) {
	out := &Output{}
	add := func(rel string, data []byte) { out.Files = append(out.Files, File{Path: rel, Data: data}) }

	// Subtask A: model recycling.
	rs, err := readRecycling(root)
	if err != nil {
		return nil, err
	}
	train, test, err := rs.split()
	if err != nil {
		return nil, err
	}
	models, err := rs.modelsTSV()
	if err != nil {
		return nil, err
	}
	topics, err := topicsTSV()
	if err != nil {
		return nil, err
	}
	seeds, notes, err := seedsTSV(root, rs.topics)
	if err != nil {
		return nil, err
	}
	add("qrels/recycling.qrels", rs.qrels())
	add("qrels/recycling.train.topics", idList(train))
	add("qrels/recycling.test.topics", idList(test))
	add("qrels/recycling.pool", idList(rs.poolIDs()))
	add("qrels/recycling.models.tsv", models)
	add("qrels/recycling.seeds.tsv", seeds)
	add("qrels/recycling.topics.tsv", topics)
	out.Notes = append(out.Notes, fmt.Sprintf("recycling: %d pool models x %d topics (%d train, %d test); %d rows not evaluated on every dataset left out",
		len(rs.pool), len(rs.topics), len(train), len(test), rs.partial))
	if len(rs.duplicates) > 0 {
		out.Notes = append(out.Notes, fmt.Sprintf("recycling: %d repeated model names kept at their first row: %s",
			len(rs.duplicates), strings.Join(rs.duplicates, "; ")))
	}
	out.Notes = append(out.Notes, notes...)

	// Model Spider zoos.
	single, judged, err := spiderQrels(root, spiderSingleCSV)
	if err != nil {
		return nil, err
	}
	multi, _, err := spiderQrels(root, spiderMultiCSV)
	if err != nil {
		return nil, err
	}
	add("qrels/modelspider-single.qrels", single)
	add("qrels/modelspider-multi.qrels", multi)

	// The baselines read the recycling files just made, through the same
	// code as a resolved collection.
	mem := fstest.MapFS{}
	for _, f := range out.Files {
		mem[f.Path] = &fstest.MapFile{Data: f.Data}
	}
	c, err := collection.InFS("recycling", root, mem)
	if err != nil {
		return nil, err
	}
	d, err := c.BaselineData()
	if err != nil {
		return nil, err
	}
	recRuns, runNotes, err := runs(d)
	if err != nil {
		return nil, err
	}
	out.Files = append(out.Files, recRuns...)
	out.Notes = append(out.Notes, runNotes...)
	spider, err := spiderRuns(root, judged)
	if err != nil {
		return nil, err
	}
	out.Files = append(out.Files, spider...)

	// The synthetic Subtask B sample (subtaskb.go): made from its seed.
	sample, note, err := subtaskBSample()
	if err != nil {
		return nil, err
	}
	out.Files = append(out.Files, sample...)
	out.Notes = append(out.Notes, note)

	// Checksums: qrels/SHA256SUMS also pins the source tables.
	sources, err := sourceFiles(root)
	if err != nil {
		return nil, err
	}
	var qsums, rsums []File
	for _, f := range out.Files {
		switch {
		case strings.HasPrefix(f.Path, "qrels/"):
			qsums = append(qsums, File{Path: strings.TrimPrefix(f.Path, "qrels/"), Data: f.Data})
		case strings.HasPrefix(f.Path, "runs/"):
			rsums = append(rsums, File{Path: strings.TrimPrefix(f.Path, "runs/"), Data: f.Data})
		}
	}
	for _, s := range sources {
		qsums = append(qsums, File{Path: strings.TrimPrefix(s.Path, "qrels/"), Data: s.Data})
	}
	add("qrels/SHA256SUMS", sha256sums(qsums))
	add("runs/SHA256SUMS", sha256sums(rsums))
	return out, nil
}

// sourceFiles reads the data files under qrels/source (not the Markdown
// notes, not hidden files), in path order.
func sourceFiles(root string) ([]File, error) {
	base := filepath.Join(root, "qrels", "source")
	var out []File
	err := filepath.WalkDir(base, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(e.Name(), ".") && p != base {
			if e.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !e.Type().IsRegular() || strings.HasSuffix(e.Name(), ".md") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		out = append(out, File{Path: filepath.ToSlash(rel), Data: data})
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}

// sha256sums writes files in the format of sha256sum(1): "<hex>  <path>",
// sorted by path.
func sha256sums(files []File) []byte {
	files = slices.Clone(files)
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	var b bytes.Buffer
	for _, f := range files {
		sum := sha256.Sum256(f.Data)
		fmt.Fprintf(&b, "%s  %s\n", hex.EncodeToString(sum[:]), f.Path)
	}
	return b.Bytes()
}

// WriteFiles writes the files under root, each atomically, skipping those
// whose content is already identical. It returns the paths it wrote.
func WriteFiles(root string, files []File) ([]string, error) {
	var changed []string
	for _, f := range files {
		p := filepath.Join(root, filepath.FromSlash(f.Path))
		if old, err := os.ReadFile(p); err == nil && bytes.Equal(old, f.Data) {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return changed, err
		}
		if err := fsutil.WriteBytes(p, f.Data, 0o644); err != nil {
			return changed, err
		}
		changed = append(changed, f.Path)
	}
	return changed, nil
}
