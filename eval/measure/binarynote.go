package measure

import (
	"fmt"
	"math"
	"strings"

	"github.com/ntcir-pmr/mreval/eval"
)

// binaryFamilies are the measures that see a judged document only as
// relevant (level ≥ -l) or not.
var binaryFamilies = map[string]bool{
	"num_rel": true, "num_rel_ret": true, "map": true, "gm_map": true, "Rprec": true, "bpref": true,
	"recip_rank": true, "iprec_at_recall": true, "P": true, "recall": true, "infAP": true, "gm_bpref": true,
	"Rprec_mult": true, "utility": true, "11pt_avg": true, "binG": true, "map_cut": true, "relative_P": true,
	"success": true, "set_P": true, "set_relative_P": true, "set_recall": true, "set_map": true, "set_F": true,
	"yaap": true, "ap": true, "hit": true, "prec": true, "rr": true,
}

// allRelevantNote warns when binary-relevance measures meet graded qrels in
// which (nearly) every judged document is relevant — Subtask A's
// accuracies, where 1 judged model in 3,000 is below level 1. Each judged
// model then counts as relevant, so P and map are about 1.0 for any run of
// judged models and say nothing about its order. "" when it does not apply.
func allRelevantNote(q *eval.Qrels, ms []*Measure, level int64) string {
	var names []string
	for _, m := range ms {
		if binaryFamilies[m.Family.Name] {
			names = append(names, m.Names...)
		}
	}
	if len(names) == 0 {
		return ""
	}
	graded := false
	judged, relevant := 0, 0
	for _, t := range q.ByID {
		for _, v := range t.Value {
			judged++
			if v >= float64(level) {
				relevant++
			}
			if v != math.Trunc(v) || v > 1 {
				graded = true
			}
		}
	}
	// Below 95% relevant, the non-relevant documents are enough for binary
	// measures to tell runs apart.
	if !graded || judged == 0 || float64(relevant) < 0.95*float64(judged) {
		return ""
	}
	if len(names) > 3 {
		names = append(names[:3], "...")
	}
	share := "every judged document has"
	if relevant < judged {
		share = fmt.Sprintf("%d of the %d judged documents have", relevant, judged)
	}
	return fmt.Sprintf("%s: %s a value ≥ %d (the values are graded, up to %g), so %s count nearly every judged document as relevant and hardly tell one order from another (use ndcg@k, tauw or regret@k; -l sets the level)",
		q.File, share, level, GradingScale(q), strings.Join(names, ", "))
}

// integerGainNote warns when trec_eval's nDCG (ndcg_cut, ndcg_trec), whose
// gains are the judged values truncated to integers as trec_eval reads
// them, meets qrels with fractional values: it then differs from mreval's
// ndcg@k on the float values, and the user should know which is which.
func integerGainNote(q *eval.Qrels, ms []*Measure) string {
	var names []string
	for _, m := range ms {
		if m.Family.Name == "ndcg_cut" || m.Family.Name == "ndcg_trec" {
			names = append(names, m.Names...)
		}
	}
	if len(names) == 0 {
		return ""
	}
	for _, t := range q.ByID {
		for _, v := range t.Value {
			if v != math.Trunc(v) {
				verb := "uses"
				if len(names) > 1 {
					verb = "use"
				}
				return fmt.Sprintf("%s: the judged values have fractions; %s %s trec_eval's integer gains (each value truncated), ndcg@k the values themselves ('mreval measures ndcg' compares them)",
					q.File, strings.Join(names, ", "), verb)
			}
		}
	}
	return ""
}
