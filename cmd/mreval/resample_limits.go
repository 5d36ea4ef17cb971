package main

import (
	"github.com/ntcir-pmr/mreval/eval/noise"
	"github.com/ntcir-pmr/mreval/eval/stats"
)

// Every resample keeps values per run, measure and topic, so a count typed
// by mistake (--resamples 100000000000) would exhaust memory or run for
// days before printing anything. A hundred times the default is the most
// any of these flags accepts.
const (
	maxResamples = 100 * stats.DefaultResamples // --resamples, --permutations
	maxDraws     = 100 * noise.DefaultDraws     // --draws, --noise-draws
)
