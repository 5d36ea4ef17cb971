package assess

import (
	"cmp"
	"fmt"
	"maps"
	"slices"

	"github.com/ntcir-pmr/mreval/eval"
)

// Pooling by priority (the NTCIR habit): each run says how much its team
// wants it judged (priority 1 first), and the organisers pool deeper from
// high-priority runs, and cap what a topic may cost.

// newPooled checks the options and fixes each run's depth.
func newPooled(runs []*eval.Run, opts PoolOptions) (*Pooled, error) {
	p := &Pooled{Depth: opts.Depth, Seed: opts.Seed, Budget: opts.Budget, Depths: make([]int, len(runs))}
	if opts.Budget < 0 {
		return nil, fmt.Errorf("pool: budget %d is negative", opts.Budget)
	}
	if opts.Priorities != nil {
		if len(opts.Priorities) != len(runs) {
			return nil, fmt.Errorf("pool: %d priorities for %d runs", len(opts.Priorities), len(runs))
		}
		p.Priorities = slices.Clone(opts.Priorities)
	}
	if opts.ByPriority == nil {
		if opts.Depth < 1 {
			return nil, fmt.Errorf("pool: depth %d must be at least 1", opts.Depth)
		}
		for i := range p.Depths {
			p.Depths[i] = opts.Depth
		}
		p.JudgedK = opts.Depth
		return p, nil
	}
	if p.Priorities == nil {
		return nil, fmt.Errorf("pool: a depth per priority needs each run's priority")
	}
	p.Depth = 0
	p.ByPriority = map[int]int{}
	for prio, d := range opts.ByPriority {
		if prio < 1 || d < 1 {
			return nil, fmt.Errorf("pool: priority %d with depth %d: both must be at least 1", prio, d)
		}
		p.ByPriority[prio] = d
		p.JudgedK = max(p.JudgedK, d)
	}
	pooled := 0
	for i, prio := range p.Priorities {
		if p.Depths[i] = p.ByPriority[prio]; p.Depths[i] > 0 {
			pooled++
		}
	}
	if pooled == 0 {
		return nil, fmt.Errorf("pool: no run has a priority the depths name (%s)", FormatDepths(p.ByPriority))
	}
	return p, nil
}

// candidate is a document some run put forward for a topic, with the best
// (rank, priority) any of them gave it.
type candidate struct {
	rank, priority int
	runs           []int
}

// candidates returns the topic's pool: every document in the top Depths[i]
// of run i's ranking, capped to Budget by capPool. ranked holds each run's
// ranking in evaluation order.
func (p *Pooled) candidates(ranked [][]eval.Entry, tp *TopicPool) map[string][]int {
	cands := map[string]*candidate{}
	for i, entries := range ranked {
		prio := 0
		if p.Priorities != nil {
			prio = p.Priorities[i]
		}
		for pos, e := range entries[:min(p.Depths[i], len(entries))] {
			c := cands[e.Doc]
			if c == nil {
				c = &candidate{rank: pos + 1, priority: prio}
				cands[e.Doc] = c
			} else if pos+1 < c.rank || pos+1 == c.rank && prio < c.priority {
				c.rank, c.priority = pos+1, prio
			}
			c.runs = append(c.runs, i)
		}
	}
	if p.Budget > 0 && len(cands) > p.Budget {
		tp.Capped = len(cands) - p.Budget
		capPool(cands, p.Budget)
	}
	out := make(map[string][]int, len(cands))
	for d, c := range cands {
		out[d] = c.runs
	}
	return out
}

// capPool keeps the budget documents that some run ranks highest: ordered
// by the best rank any run gives them, then by the best (smallest)
// priority of a run giving that rank, then by docno in byte order, the
// first budget stay. So every run's top documents are judged before any
// run's lower ones, and among documents at the same rank those of the
// runs their teams most want judged come first.
func capPool(cands map[string]*candidate, budget int) {
	docs := make([]string, 0, len(cands))
	for d := range cands {
		docs = append(docs, d)
	}
	slices.SortFunc(docs, func(a, b string) int {
		ca, cb := cands[a], cands[b]
		return cmp.Or(cmp.Compare(ca.rank, cb.rank), cmp.Compare(ca.priority, cb.priority), cmp.Compare(a, b))
	})
	for _, d := range docs[budget:] {
		delete(cands, d)
	}
}

// FormatDepths prints depths per priority as --depth takes them:
// "1:30,2:20,3:10".
func FormatDepths(byPriority map[int]int) string {
	var s []byte
	for i, prio := range slices.Sorted(maps.Keys(byPriority)) {
		if i > 0 {
			s = append(s, ',')
		}
		s = fmt.Appendf(s, "%d:%d", prio, byPriority[prio])
	}
	return string(s)
}

// PriorityStats are, per priority of the runs, how many pooled documents
// its runs put forward (a document several priorities pooled counts for
// each), and how many no run of a higher priority (a smaller number) had
// put forward: what pooling that priority added. The New counts sum to
// the pool's size.
type PriorityStats struct {
	Priority   int
	Runs       int
	Depth      int
	Pooled     int
	New        int
	JudgedTopK int // summed over the priority's runs: documents of their top JudgedK in the pool
}

// ByPriorityStats sums the pool over topics per priority, in priority
// order (runs left out included, with depth 0).
func (p *Pooled) ByPriorityStats() []PriorityStats {
	if p.Priorities == nil {
		return nil
	}
	idx := map[int]int{}
	var out []PriorityStats
	prios := slices.Clone(p.Priorities)
	slices.Sort(prios)
	for _, prio := range slices.Compact(prios) {
		idx[prio] = len(out)
		out = append(out, PriorityStats{Priority: prio, Depth: p.ByPriority[prio]})
		if p.ByPriority == nil {
			out[len(out)-1].Depth = p.Depth
		}
	}
	for i, prio := range p.Priorities {
		out[idx[prio]].Runs++
		for _, t := range p.Topics {
			out[idx[prio]].JudgedTopK += t.Judged[i]
		}
	}
	for _, t := range p.Topics {
		for _, runs := range t.pooledBy {
			best := -1
			seen := map[int]bool{}
			for _, i := range runs {
				prio := p.Priorities[i]
				if !seen[prio] {
					seen[prio] = true
					out[idx[prio]].Pooled++
				}
				if best < 0 || prio < best {
					best = prio
				}
			}
			out[idx[best]].New++
		}
	}
	return out
}
