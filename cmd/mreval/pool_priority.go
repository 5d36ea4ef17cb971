package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/assess"
	"github.com/ntcir-pmr/mreval/eval/intake"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/ntcir-pmr/mreval/internal/safetext"
)

// maxPoolDepth bounds a depth of --depth: a pool is judged by people.
const maxPoolDepth = 100_000

// parseDepths reads --depth: a depth ("20"), or depths per priority
// ("1:30,2:20,3:10"; byPriority is then set).
func parseDepths(s string) (depth int, byPriority map[int]int, err error) {
	if !strings.Contains(s, ":") {
		d, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || d < 1 || d > maxPoolDepth {
			return 0, nil, fmt.Errorf("--depth %q: give a depth from 1 to %d, or priority:depth pairs such as 1:30,2:20,3:10", s, maxPoolDepth)
		}
		return d, nil, nil
	}
	byPriority = map[int]int{}
	for _, pair := range strings.Split(s, ",") {
		ps, ds, ok := strings.Cut(strings.TrimSpace(pair), ":")
		prio, err1 := strconv.Atoi(ps)
		d, err2 := strconv.Atoi(ds)
		if !ok || err1 != nil || err2 != nil || prio < 1 || prio > 999 || d < 1 || d > maxPoolDepth {
			return 0, nil, fmt.Errorf("--depth: %q is not priority:depth (a priority from 1 to 999, a depth from 1 to %d)", pair, maxPoolDepth)
		}
		if _, dup := byPriority[prio]; dup {
			return 0, nil, fmt.Errorf("--depth: priority %d is given twice", prio)
		}
		byPriority[prio] = d
	}
	return 0, byPriority, nil
}

func poolOptionsFromFlags(c *cli.Context) (assess.PoolOptions, error) {
	opts := assess.PoolOptions{Seed: c.Uint64("seed"), Budget: c.Int("budget")}
	var err error
	if opts.Depth, opts.ByPriority, err = parseDepths(c.String("depth")); err != nil {
		return opts, usageError{err}
	}
	if opts.Budget < 0 {
		return opts, usagef("--budget must not be negative")
	}
	switch {
	case c.IsSet("store") && c.NArg() > 0:
		return opts, usagef("give runs one way: --store DIR or RUN files")
	case !c.IsSet("store") && c.NArg() == 0:
		return opts, usagef("pool needs at least one RUN")
	case c.IsSet("task") && !c.IsSet("store"):
		return opts, usagef("--task goes with --store")
	}
	return opts, nil
}

// poolRuns reads the runs to pool and, when the depth is per priority,
// each run's priority: from the run tag through the run name pattern, or
// from the store's manifest.
func poolRuns(c *cli.Context, lim trecfmt.Limits, opts *assess.PoolOptions) ([]*eval.Run, error) {
	pattern, err := runNameFromFlags(c)
	if err != nil {
		return nil, err
	}
	var runs []*eval.Run
	if dir := c.String("store"); dir != "" {
		stored, err := intake.ListRuns(dir)
		if err != nil {
			return nil, err
		}
		task := strings.ToUpper(c.String("task"))
		for _, s := range stored {
			if s.Task != task {
				continue
			}
			run, err := s.ReadRun(lim)
			if err != nil {
				return nil, err
			}
			run.File = s.Team + "/" + s.Tag
			runs = append(runs, run)
			if pattern == nil && opts.ByPriority != nil {
				if s.Name == nil || s.Name.Priority == 0 {
					return nil, fmt.Errorf("run %s/%s of store %s has no priority (it was stored without a run name pattern with {priority}); give --run-name", s.Team, s.Tag, safetext.Name(dir))
				}
				opts.Priorities = append(opts.Priorities, s.Name.Priority)
			}
		}
		if len(runs) == 0 {
			return nil, fmt.Errorf("store %s: no current runs of task %s", safetext.Name(dir), task)
		}
	} else {
		for _, p := range c.Args().Slice() {
			r, err := trecfmt.ReadRunFile(p, lim)
			if err != nil {
				return nil, err
			}
			runs = append(runs, r)
		}
	}
	if opts.ByPriority == nil || opts.Priorities != nil {
		return runs, nil
	}
	if pattern == nil {
		return nil, usagef("--depth %s needs each run's priority: give --run-name with {priority} (or --store, whose runs were named with one)", c.String("depth"))
	}
	for _, r := range runs {
		parts, err := pattern.Match(r.Tag)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", safetext.Name(r.File), err)
		}
		if parts.Priority == 0 {
			return nil, usagef("--run-name %s has no {priority}, which --depth %s needs", pattern, c.String("depth"))
		}
		opts.Priorities = append(opts.Priorities, parts.Priority)
	}
	return runs, nil
}
