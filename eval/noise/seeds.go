// Package noise measures how noisy the ground truth of Subtask A is: the
// spread of one model's fine-tuned accuracy across random seeds, taken from
// the base checkpoints' seed runs (qrels/recycling.seeds.tsv).
package noise

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/ntcir-pmr/mreval/internal/numeric"
)

// Seeds holds the seed runs: per topic, per base model, the values of its
// runs in seed order.
type Seeds struct {
	Topics []string
	ByID   map[string]*TopicSeeds
}

// TopicSeeds are the seed runs of one topic.
type TopicSeeds struct {
	Topic  string
	Bases  []string             // base models in file order
	Values map[string][]float64 // base model → values (percent)
}

// ParseSeeds reads a seeds table: a header `topic base_model seed value`
// and one tab-separated row per seed run.
func ParseSeeds(name string, data []byte) (*Seeds, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	if len(lines) == 0 || lines[0] != "topic\tbase_model\tseed\tvalue" {
		return nil, fmt.Errorf("%s:1: header must be topic, base_model, seed, value (tab-separated)", name)
	}
	s := &Seeds{ByID: map[string]*TopicSeeds{}}
	seen := map[[3]string]int{}
	for i, line := range lines[1:] {
		n := i + 2
		if line == "" {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			return nil, fmt.Errorf("%s:%d: expected 4 tab-separated fields, found %d", name, n, len(f))
		}
		// The number syntax of runs and qrels (ParseFloat took 1_0 and 0x10).
		v, err := trecfmt.ParseNumber([]byte(f[3]))
		if err != nil {
			return nil, fmt.Errorf("%s:%d: value %q is not a finite number", name, n, f[3])
		}
		key := [3]string{f[0], f[1], f[2]}
		if prev, dup := seen[key]; dup {
			return nil, fmt.Errorf("%s:%d: seed %s of %s on %s is listed twice (lines %d and %d)", name, n, f[2], f[1], f[0], prev, n)
		}
		seen[key] = n
		t := s.ByID[f[0]]
		if t == nil {
			t = &TopicSeeds{Topic: f[0], Values: map[string][]float64{}}
			s.ByID[f[0]] = t
			s.Topics = append(s.Topics, f[0])
		}
		if _, ok := t.Values[f[1]]; !ok {
			t.Bases = append(t.Bases, f[1])
		}
		t.Values[f[1]] = append(t.Values[f[1]], v)
	}
	slices.Sort(s.Topics)
	return s, nil
}

// Sigma is the pooled standard deviation of the topic's seed runs over the
// base models,
//
//	σ_t = sqrt( Σ_b Σ_s (x_bs − mean_b)² / Σ_b (n_b − 1) ),
//
// skipping base models with fewer than two runs. ok is false when no base
// model has two runs.
func (t *TopicSeeds) Sigma() (sigma float64, ok bool) {
	ss, df := 0.0, 0
	for _, b := range t.Bases {
		xs := t.Values[b]
		if len(xs) < 2 {
			continue
		}
		m := numeric.Mean(xs)
		for _, x := range xs {
			d := x - m
			ss += d * d
		}
		df += len(xs) - 1
	}
	if df == 0 {
		return 0, false
	}
	return math.Sqrt(ss / float64(df)), true
}

// SigmaMAD is the robust spread: the median over base models of
// 1.4826 × MAD (median absolute deviation from the base model's median),
// which ignores collapsed runs that inflate Sigma.
func (t *TopicSeeds) SigmaMAD() (sigma float64, ok bool) {
	var per []float64
	for _, b := range t.Bases {
		xs := t.Values[b]
		if len(xs) < 2 {
			continue
		}
		med := median(xs)
		dev := make([]float64, len(xs))
		for i, x := range xs {
			dev[i] = math.Abs(x - med)
		}
		per = append(per, 1.4826*median(dev))
	}
	if len(per) == 0 {
		return 0, false
	}
	return median(per), true
}

// Runs is the number of seed runs of the topic.
func (t *TopicSeeds) Runs() int {
	n := 0
	for _, xs := range t.Values {
		n += len(xs)
	}
	return n
}

// median of a copy of xs (mean of the two middle values for even n).
func median(xs []float64) float64 {
	c := slices.Clone(xs)
	slices.Sort(c)
	n := len(c)
	if n%2 == 1 {
		return c[n/2]
	}
	return (c[n/2-1] + c[n/2]) / 2
}
