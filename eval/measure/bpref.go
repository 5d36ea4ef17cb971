package measure

func init() {
	Register(&Family{
		Name:    "bpref",
		Summary: "binary preference (judged documents only)",
		Help: `Binary preference: how many judged non-relevant documents are ranked above
each relevant one, counting only judged documents (unjudged ones are
skipped, not taken as non-relevant):
    bpref = (1/R) Σ_{r relevant retrieved} (1 − min(n_r, R) / min(N, R))
R = num_rel, N = judged non-relevant documents of the topic (levels 0 to
-l − 1), n_r = judged non-relevant documents ranked above r; the term is 1
when n_r = 0. 0 when R = 0.
Cite: Buckley & Voorhees, "Retrieval Evaluation with Incomplete
Information", SIGIR 2004 (trec_eval 9.0.8, m_bpref.c).`,
		Trec: true,
		Calc: func(t *Topic, _ []float64, out []float64) { out[0] = bpref(t) },
	})
}

// bpref is m_bpref.c's computation, shared with gm_bpref.
func bpref(t *Topic) float64 {
	c := t.trecCounts()
	var numNonrel int64
	for _, lc := range c.levels {
		if lc.level < t.Opts.RelevanceLevel {
			numNonrel += lc.count
		}
	}
	var nonrelSoFar int64
	sum := 0.0
	for _, r := range c.rels {
		switch {
		case r == relNonPool || r == relUnjudged:
			continue
		case r >= 0 && r < t.Opts.RelevanceLevel:
			nonrelSoFar++
		case nonrelSoFar > 0:
			sum += 1 - float64(min(nonrelSoFar, c.numRel))/float64(min(numNonrel, c.numRel))
		default:
			sum++
		}
	}
	if c.numRel > 0 {
		sum /= float64(c.numRel)
	}
	return sum
}
