package main

import (
	"fmt"
	"math"

	"github.com/urfave/cli/v2"

	"github.com/ntcir-pmr/mreval/eval/trecfmt"
)

// limitFlags are the flags of the input limits (docs/limits.md): one set,
// defined here only, for every command that reads runs, qrels, topic or
// pool lists, tables or judging sheets. def gives their defaults:
// trecfmt.DefaultLimits, or validate.DefaultLimits for validate and intake.
func limitFlags(def trecfmt.Limits) []cli.Flag {
	def = def.WithDefaults()
	return []cli.Flag{
		&cli.StringFlag{Name: trecfmt.FlagMaxBytes, Aliases: []string{"max-size"}, Value: formatSize(def.MaxBytes),
			Usage: "largest input (decompressed), e.g. 500MiB, 4GiB, 1000000"},
		&cli.IntFlag{Name: trecfmt.FlagMaxLine, Value: def.MaxLine, Usage: "longest input line in bytes"},
		&cli.Float64Flag{Name: trecfmt.FlagMaxRatio, Value: def.MaxRatio, Usage: "largest gzip expansion ratio (real runs: 5-15)"},
		&cli.IntFlag{Name: trecfmt.FlagMaxTopics, Value: def.MaxTopics, Usage: "most topics in a run or qrels file"},
		&cli.IntFlag{Name: trecfmt.FlagMaxDocsPerTopic, Value: def.MaxDocsPerTopic, Usage: "most documents of one topic in a run or qrels file"},
		&cli.IntFlag{Name: trecfmt.FlagMaxEntries, Value: def.MaxEntries, Usage: "most data lines in a run, qrels or list file"},
		&cli.DurationFlag{Name: trecfmt.FlagReadTimeout, Value: def.ReadTimeout, Usage: "longest time to read one input file, e.g. 30s, 1h"},
	}
}

// withLimitFlags appends the limit flags (with trecfmt.DefaultLimits) to
// a command's own flags.
func withLimitFlags(flags []cli.Flag) []cli.Flag {
	return append(flags, limitFlags(trecfmt.DefaultLimits)...)
}

// limitsFromFlags reads the limit flags; a value that is not a positive
// bound is a usage error.
func limitsFromFlags(c *cli.Context) (trecfmt.Limits, error) {
	var lim trecfmt.Limits
	var err error
	if lim.MaxBytes, err = parseSize(c.String(trecfmt.FlagMaxBytes)); err != nil {
		return lim, usagef("--%s: %v", trecfmt.FlagMaxBytes, err)
	}
	lim.MaxRatio = c.Float64(trecfmt.FlagMaxRatio)
	if !(lim.MaxRatio >= 1) || math.IsInf(lim.MaxRatio, 0) {
		return lim, usagef("--%s must be a finite number of at least 1", trecfmt.FlagMaxRatio)
	}
	for _, f := range []struct {
		name string
		dst  *int
	}{
		{trecfmt.FlagMaxLine, &lim.MaxLine},
		{trecfmt.FlagMaxTopics, &lim.MaxTopics},
		{trecfmt.FlagMaxDocsPerTopic, &lim.MaxDocsPerTopic},
		{trecfmt.FlagMaxEntries, &lim.MaxEntries},
	} {
		if *f.dst = c.Int(f.name); *f.dst <= 0 {
			return lim, usagef("--%s must be positive", f.name)
		}
	}
	if lim.ReadTimeout = c.Duration(trecfmt.FlagReadTimeout); lim.ReadTimeout <= 0 {
		return lim, usagef("--%s must be positive", trecfmt.FlagReadTimeout)
	}
	return lim, nil
}

// formatSize writes a byte count the way parseSize reads it, in the
// largest binary unit that divides it.
func formatSize(n int64) string {
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.mult && n%u.mult == 0 {
			return fmt.Sprintf("%d%s", n/u.mult, u.suffix)
		}
	}
	return fmt.Sprint(n)
}
