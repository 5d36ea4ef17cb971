package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ntcir-pmr/mreval/eval/assess"
	"github.com/ntcir-pmr/mreval/eval/fsutil"
)

func init() {
	register(&cli.Command{
		Name:      "pool",
		Usage:     "pool the top documents of runs into judging sheets for the assessors",
		ArgsUsage: "RUN [RUN...]",
		Description: `For each topic, the union of every RUN's top --depth documents (score order),
shuffled with --seed so that the assessors cannot see ranks, is written to
the -o/--output directory as a judging sheet: <topic>.csv, or with
--assessors A,B one sheet per assessor, <topic>.<assessor>.csv, its assessor
column filled in. Sheets are CSV
with the columns topic,lora_id,assessor,grade; the grade is left empty for the
assessor (0-3). Also written: judging-pool.tsv (the items to judge, for
'mreval qrels from-judgments --judging-pool') and pool-stats.txt (the statistics
printed here). Existing files are never overwritten. Assessor names have no '.'
(it separates topic and assessor in the file name), and at most --max-sheets
sheets are written.

--depth 1:30,2:20,3:10 pools each run to the depth of its priority (runs of
other priorities are left out); the priority comes from the run tag through
--run-name (e.g. '{team}-B-{priority}'), or, with --store, from what intake
recorded. --budget N keeps at most N documents per topic: those some run
ranks highest (best rank in any pooled run, then the smaller priority, then
docno). See docs/organizers.md.`,
		Flags: withLimitFlags([]cli.Flag{
			&cli.StringFlag{Name: "depth", Value: "20", Usage: "documents of each run's ranking of a topic that enter the pool, or per priority: 1:30,2:20,3:10"},
			&cli.IntFlag{Name: "budget", Usage: "most documents judged per topic (0 = no cap)"},
			runNameFlag,
			&cli.StringFlag{Name: "store", Usage: "pool the current runs of this submission store (instead of RUN files)"},
			&cli.StringFlag{Name: "task", Value: "B", Usage: "with --store: the subtask whose runs to pool"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "seed of the per-topic shuffle"},
			&cli.StringFlag{Name: "assessors", Usage: "comma-separated assessor names: one sheet per topic and assessor"},
			outputFlag("directory to write the sheets to (required; created if needed; no file in it is replaced)"), oldOutputFlag(),
			&cli.IntFlag{Name: "max-sheets", Value: assess.DefaultMaxSheets, Usage: "refuse a pool that makes more judging sheets (topics × assessors)"},
		}),
		Action: poolAction,
	})
}

func poolAction(c *cli.Context) error {
	out, err := requireOutputDir(c)
	if err != nil {
		return err
	}
	opts, err := poolOptionsFromFlags(c) // pool_priority.go
	if err != nil {
		return err
	}
	if c.Int("max-sheets") <= 0 {
		return usagef("--max-sheets must be positive")
	}
	var assessors []string
	if a := c.String("assessors"); a != "" {
		for _, s := range strings.Split(a, ",") {
			assessors = append(assessors, strings.TrimSpace(s))
		}
	}
	lim, err := limitsFromFlags(c)
	if err != nil {
		return err
	}
	runs, err := poolRuns(c, lim, &opts)
	if err != nil {
		return err
	}
	pooled, err := assess.Pool(runs, opts)
	if err != nil {
		return err
	}
	sheets, err := pooled.SheetsMax(assessors, c.Int("max-sheets"))
	if err != nil {
		return usageError{err}
	}
	var jp, stats bytes.Buffer
	if err := assess.WriteJudgingPool(&jp, pooled); err != nil {
		return err
	}
	if err := pooled.WriteStats(&stats); err != nil {
		return err
	}
	type file struct {
		name  string
		data  []byte
		sheet bool
	}
	files := []file{{"judging-pool.tsv", jp.Bytes(), false}, {"pool-stats.txt", stats.Bytes(), false}}
	named := map[string]bool{"judging-pool.tsv": true, "pool-stats.txt": true}
	for _, s := range sheets {
		if named[s.Name] { // SheetsMax makes names unique; never let two share a file
			return fmt.Errorf("two judging sheets are named %s", s.Name)
		}
		named[s.Name] = true
		var b bytes.Buffer
		if err := assess.WriteSheet(&b, s.Rows); err != nil {
			return err
		}
		files = append(files, file{s.Name, b.Bytes(), true})
	}
	// Filled sheets are the assessors' work: refuse to replace any file,
	// and say so before writing anything.
	for _, f := range files {
		p := filepath.Join(out, f.name)
		if _, err := os.Lstat(p); err == nil {
			return fmt.Errorf("%s already exists; pool never overwrites sheets (choose a new -o/--output directory)", p)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	// Each file is created new (link(2) refuses an existing name), so
	// neither a naming mistake nor a concurrent writer can replace a
	// sheet; the count printed is the count of sheets written.
	written := 0
	for _, f := range files {
		err := fsutil.WriteFileNew(filepath.Join(out, f.name), 0o644, func(w io.Writer) error {
			_, err := w.Write(f.data)
			return err
		})
		if err != nil {
			return fmt.Errorf("%w (%d of %d judging sheets written before it)", err, written, len(sheets))
		}
		if f.sheet {
			written++
		}
	}
	c.App.Writer.Write(stats.Bytes())
	wrote(c, out, fmt.Sprintf("%d judging sheets, judging-pool.tsv and pool-stats.txt", written))
	return nil
}
