package assess

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
)

// writePriorityStats is WriteStats for a pool by priority or under a
// budget: the settings, what each priority contributed, and per run its
// depth, what it pooled and how much of its top JudgedK is judged.
func (p *Pooled) writePriorityStats(w io.Writer, total, lo int, mean float64, hi int) error {
	var b bytes.Buffer
	depth := strconv.Itoa(p.Depth)
	if p.ByPriority != nil {
		depth = FormatDepths(p.ByPriority) + " (priority:depth; other priorities not pooled)"
	}
	budget := "none"
	capped := 0
	if p.Budget > 0 {
		budget = strconv.Itoa(p.Budget) + " documents per topic"
		for _, t := range p.Topics {
			capped += t.Capped
		}
	}
	fmt.Fprintf(&b, "pool: depth %s, budget %s, seed %d, %d runs, %d topics, %d documents to judge (per topic: min %d, mean %.1f, max %d)\n",
		depth, budget, p.Seed, len(p.Runs), len(p.Topics), total, lo, mean, hi)
	if p.Budget > 0 {
		fmt.Fprintf(&b, "budget: %d documents left out over %d topics (kept by best rank in any run, then priority, then docno)\n", capped, len(p.Topics))
	}
	if ps := p.ByPriorityStats(); ps != nil {
		b.WriteString("\nby priority (pooled: documents its runs put in the pool; new: of them, none of a higher priority had):\n")
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "priority\truns\tdepth\tpooled\tnew\tjudged in top %d\n", p.JudgedK)
		for _, s := range ps {
			fmt.Fprintf(tw, "%d\t%d\t%d\t%d\t%d\t%d\n", s.Priority, s.Runs, s.Depth, s.Pooled, s.New, s.JudgedTopK)
		}
		tw.Flush()
	}
	contributed, unique, _, ranked := p.Stats()
	b.WriteString("\nruns (judged: documents of its top " + strconv.Itoa(p.JudgedK) + " in the pool, summed over topics):\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\trun\tpriority\tdepth\ttopics\tpooled\tunique\tjudged")
	for i, r := range p.Runs {
		prio := "–"
		if p.Priorities != nil {
			prio = strconv.Itoa(p.Priorities[i])
		}
		judged := 0
		for _, t := range p.Topics {
			judged += t.Judged[i]
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%d\t%d\t%d\t%d\n", i+1, r, prio, p.Depths[i], ranked[i], contributed[i], unique[i], judged)
	}
	tw.Flush()
	_, err := w.Write(b.Bytes())
	return err
}
