package measure

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval"
)

// gradedCase builds one topic "T" judged with levels and a run given as
// (doc, score) pairs in file order: entry i is on line i+1, and the ranking
// is in evaluation order, as trecfmt.ReadRun leaves it.
func gradedCase(levels map[string]float64, file ...any) (*eval.Qrels, *eval.Run) {
	tq := &eval.TopicQrels{Topic: "T", Value: levels, Docs: eval.SortedKeys(levels)}
	for i := range tq.Docs {
		tq.Lines = append(tq.Lines, i+1)
	}
	q := &eval.Qrels{File: "t.qrels", Topics: []string{"T"}, ByID: map[string]*eval.TopicQrels{"T": tq}}
	r := &eval.Ranking{Topic: "T"}
	for i := 0; i < len(file); i += 2 {
		r.Entries = append(r.Entries, eval.Entry{Doc: file[i].(string), Score: file[i+1].(float64), Line: int32(i/2 + 1)})
	}
	eval.SortEntries(r.Entries)
	return q, &eval.Run{File: "t.run", Topics: []string{"T"}, ByID: map[string]*eval.Ranking{"T": r}}
}

// TestNTCIRNamesAreNTCIRExact: 1.00000001 and 1 are equal as float32, so
// trec_eval ties them and puts docno d2 before d1; NTCIREVAL compares
// float64 and puts the relevant d1 first.
func TestNTCIRNamesAreNTCIRExact(t *testing.T) {
	q, run := gradedCase(map[string]float64{"d1": 1, "d2": 0}, "d1", 1.00000001, "d2", 1.0)
	got := scoreOne(t, q, run, Config{}, "map", "ap", "recip_rank", "rr", "P.1", "prec@1", "mrr")
	want := map[string]float64{
		"map": 0.5, "recip_rank": 0.5, "P_1": 0, "mrr": 0.5, // trec_eval: d2, d1
		"ap": 1, "rr": 1, "prec@1": 1, // NTCIREVAL: d1, d2
	}
	assert.Equal(t, want, got)

	for name, convention := range map[string]string{
		"map": "trec_eval", "P": "trec_eval", "p": "trec_eval", "recip_rank": "trec_eval", "mrr": "trec_eval",
		"ap": "NTCIREVAL", "rr": "NTCIREVAL", "prec": "NTCIREVAL", "q": "NTCIREVAL", "nerr": "NTCIREVAL",
		"msndcg": "NTCIREVAL", "ndcg_orig": "NTCIREVAL", "hit": "NTCIREVAL", "rbp": "NTCIREVAL",
		"tauw": "mreval", "regret": "mreval", "judged": "mreval",
	} {
		f, ok := Lookup(name)
		require.True(t, ok, name)
		assert.Equal(t, convention, f.Convention(), name)
	}
}

// TestOrderFile: the file lists d2 (score 0.1) before d1 (score 0.9).
// Score order puts the relevant d1 first; file order, as NTCIREVAL reads
// the list, puts it second. trec_eval's measures keep score order.
func TestOrderFile(t *testing.T) {
	q, run := gradedCase(map[string]float64{"d1": 2, "d2": 0, "d3": 1}, "d2", 0.1, "d1", 0.9, "d3", 0.5)
	specs := []string{"ap", "rr", "prec@1", "q", "regret@1", "judged@1", "map"}
	byScore := scoreOne(t, q, run, Config{}, specs...)
	opts := DefaultOptions()
	opts.Order = OrderFile
	byFile := scoreOne(t, q, run, Config{Options: opts}, specs...)
	// Score order d1(2) d3(1) d2(0): AP = (1/1 + 2/2)/2 = 1; Q = 1.
	assert.Equal(t, 1.0, byScore["ap"])
	assert.Equal(t, 1.0, byScore["q"])
	assert.Equal(t, 0.0, byScore["regret@1"])
	// File order d2(0) d1(2) d3(1): AP = (1/2 + 2/3)/2 = 7/12; RR = 1/2;
	// Q with β = 1, cg = 0,2,3 and cg* = 2,3,3:
	// Q = ((1+2)/(2+3) + (2+3)/(3+3))/2 = (3/5 + 5/6)/2 = 43/60;
	// regret@1 = 2 − 0 (the top model is d2, level 0).
	assert.InDelta(t, 7.0/12, byFile["ap"], 1e-15)
	assert.Equal(t, 0.5, byFile["rr"])
	assert.Equal(t, 0.0, byFile["prec@1"])
	assert.InDelta(t, 43.0/60, byFile["q"], 1e-15)
	assert.Equal(t, 2.0, byFile["regret@1"])
	assert.Equal(t, 1.0, byFile["judged@1"])
	assert.Equal(t, 1.0, byFile["map"], "trec_eval's map keeps trec_eval's order")
	assert.Equal(t, 1.0, byScore["map"])
}

// TestCondensedEveryNTCIRMeasure: u is unjudged and ranked first; the
// condensed list drops it, for AP, RR and P@k as for the graded measures,
// while judged@k reads the list as submitted and map stays trec_eval's.
func TestCondensedEveryNTCIRMeasure(t *testing.T) {
	q, run := gradedCase(map[string]float64{"d1": 1, "d2": 0}, "u", 3.0, "d2", 2.0, "d1", 1.0)
	specs := []string{"ap", "rr", "prec@2", "hit@2", "msndcg@2", "judged@3", "map"}
	full := scoreOne(t, q, run, Config{}, specs...)
	opts := DefaultOptions()
	opts.Condensed = true
	condensed := scoreOne(t, q, run, Config{Options: opts}, specs...)
	// Uncondensed u d2 d1: AP = 1/3, RR = 1/3, P@2 = 0, Hit@2 = 0, MSnDCG@2 = 0.
	assert.InDelta(t, 1.0/3, full["ap"], 1e-15)
	assert.InDelta(t, 1.0/3, full["rr"], 1e-15)
	assert.Equal(t, 0.0, full["prec@2"])
	assert.Equal(t, 0.0, full["hit@2"])
	assert.Equal(t, 0.0, full["msndcg@2"])
	// Condensed d2 d1: AP = RR = 1/2, P@2 = 1/2, Hit@2 = 1,
	// MSnDCG@2 = (1/ln 3)/(1/ln 2) = ln 2/ln 3.
	assert.Equal(t, 0.5, condensed["ap"])
	assert.Equal(t, 0.5, condensed["rr"])
	assert.Equal(t, 0.5, condensed["prec@2"])
	assert.Equal(t, 1.0, condensed["hit@2"])
	assert.InDelta(t, math.Log(2)/math.Log(3), condensed["msndcg@2"], 1e-15)
	assert.InDelta(t, 2.0/3, condensed["judged@3"], 1e-15, "judged@k: before condensing")
	assert.InDelta(t, 1.0/3, condensed["map"], 1e-15, "map stays trec_eval's")
}

func TestCheckOptions(t *testing.T) {
	ms, err := ParseAll([]string{"num_q", "num_rel", "ap", "q", "judged@10", "tauw", "regret@1"})
	require.NoError(t, err)
	cond := DefaultOptions()
	cond.Condensed = true
	file := DefaultOptions()
	file.Order = OrderFile
	assert.NoError(t, CheckOptions(ms, cond))
	assert.NoError(t, CheckOptions(ms, file))
	trec, err := ParseAll([]string{"ap", "P@10"})
	require.NoError(t, err)
	assert.NoError(t, CheckOptions(trec, DefaultOptions()))
	assert.EqualError(t, CheckOptions(trec, cond), "--condensed does not apply to P@10, which follows trec_eval (score order, unjudged documents kept); use NTCIREVAL's measures (ap, rr, prec@k, msndcg@k, q, nerr@k, …) or drop --condensed")
	assert.ErrorContains(t, CheckOptions(trec, file), "--order file does not apply to P@10")
}

// TestNoRelevantDocument: one rule for the whole NTCIREVAL family — no
// value on a topic without a relevant document — and one warning.
func TestNoRelevantDocument(t *testing.T) {
	q, run := gradedCase(map[string]float64{"d1": 0, "d2": 0}, "d1", 2.0, "d2", 1.0)
	specs := []string{"ap", "rr", "prec@5", "hit@5", "msndcg@5", "ndcg_orig@5", "nerr@5", "q", "rbp", "map", "recip_rank"}
	ms, err := ParseAll(specs)
	require.NoError(t, err)
	res := Evaluate(q, run, Config{Measures: ms})
	for c, col := range res.Columns {
		v := res.PerTopic[0][c]
		if col.Family.NTCIR {
			assert.True(t, math.IsNaN(v), "%s: undefined", col.Name)
			assert.True(t, math.IsNaN(res.All[c]), "%s: no topic, no mean", col.Name)
		} else {
			assert.Equal(t, 0.0, v, "%s is trec_eval's: 0", col.Name)
		}
	}
	assert.Equal(t, []string{"t.qrels: 1 topic(s) judge no document relevant (level > 0): T; NTCIREVAL's measures (ap, rr, prec@5, hit@5, msndcg@5, ndcg_orig@5, nerr@5, q, rbp) are undefined there and left out of the mean"}, res.Warnings)
}

// TestMaxLevelFromQrels: levels stop at 2, so nERR and RBP use g_max = 2
// unless told otherwise. Run d2 (level 1), d1 (level 2); ideal d1, d2.
func TestMaxLevelFromQrels(t *testing.T) {
	q, run := gradedCase(map[string]float64{"d1": 2, "d2": 1}, "d2", 2.0, "d1", 1.0)
	got := scoreOne(t, q, run, Config{}, "nerr@2", "rbp_0.5")
	// g_max = 2, stop probability g/3: ERR = 1/3 + (1/2)(2/3)(2/3) = 5/9,
	// ideal 2/3 + (1/2)(1/3)(1/3) = 13/18, nERR = 10/13;
	// RBP = 0.5·(1/2) + 0.25·(2/2) = 1/2.
	assert.InDelta(t, 10.0/13, got["nerr@2"], 1e-15)
	assert.InDelta(t, 0.5, got["rbp_0.5"], 1e-15)
	opts := DefaultOptions()
	opts.MaxLevel = 3
	got = scoreOne(t, q, run, Config{Options: opts}, "nerr@2", "rbp_0.5")
	// g_max = 3, stop probability g/4: ERR = 1/4 + (1/2)(1/2)(3/4) = 7/16,
	// ideal 1/2 + (1/2)(1/4)(1/2) = 9/16, nERR = 7/9;
	// RBP = 0.5·(1/3) + 0.25·(2/3) = 1/3.
	assert.InDelta(t, 7.0/9, got["nerr@2"], 1e-15)
	assert.InDelta(t, 1.0/3, got["rbp_0.5"], 1e-15)
	assert.Equal(t, 2.0, GradingScale(q))
}
