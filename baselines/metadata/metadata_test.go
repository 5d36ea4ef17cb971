package metadata

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/zoo"
)

// makeQrels builds qrels from topic → model → value.
func makeQrels(vals map[string]map[string]float64) *eval.Qrels {
	q := &eval.Qrels{ByID: map[string]*eval.TopicQrels{}}
	for t, m := range vals {
		tq := &eval.TopicQrels{Topic: t, Value: map[string]float64{}}
		for _, d := range eval.SortedKeys(m) {
			tq.Value[d] = m[d]
			tq.Docs = append(tq.Docs, d)
		}
		q.ByID[t] = tq
	}
	q.Topics = eval.SortedKeys(q.ByID)
	return q
}

// order returns the docs of topic in evaluation order, and their scores.
func order(t *testing.T, r *eval.Run, topic string) ([]string, []float64) {
	t.Helper()
	rk := r.Ranking(topic)
	require.NotNil(t, rk, topic)
	var docs []string
	var scores []float64
	for _, e := range rk.Entries {
		docs = append(docs, e.Doc)
		scores = append(scores, e.Score)
	}
	return docs, scores
}

// small is a three-model collection: prior(a) = 70, prior(b) = 80,
// prior(c) = 60.
func small() *zoo.Data {
	return &zoo.Data{
		Qrels: makeQrels(map[string]map[string]float64{
			"t1": {"a": 80, "b": 70, "c": 60},
			"t2": {"a": 60, "b": 90, "c": 60},
			"x":  {"a": 50, "b": 55, "c": 70},
			"y":  {"a": 1, "b": 2, "c": 3},
		}),
		Pool:   []string{"a", "b", "c"},
		Train:  []string{"t1", "t2"},
		Test:   []string{"x", "y"},
		Base:   map[string]string{"a": "A", "b": "B", "c": "A"},
		MNLILP: map[string]float64{"a": 0.9, "b": 0.5, "c": 0.7},
		Descriptions: map[string]string{
			"x": "Tweets classified by sentiment",
			"y": "Questions classified by answer type",
		},
	}
}

func TestPrior(t *testing.T) {
	d := small()
	p, err := Prior(d)
	require.NoError(t, err)
	assert.Equal(t, []float64{70, 80, 60}, p)

	r, err := PriorRun("prior", d)
	require.NoError(t, err)
	assert.Equal(t, "prior", r.Tag)
	assert.Equal(t, []string{"x", "y"}, r.Topics)
	for _, topic := range r.Topics {
		docs, scores := order(t, r, topic)
		assert.Equal(t, []string{"b", "a", "c"}, docs)
		assert.Equal(t, []float64{80, 70, 60}, scores)
	}

	d.Pool = append(d.Pool, "unjudged")
	_, err = Prior(d)
	assert.ErrorContains(t, err, `no judgment of "unjudged" on topic "t1"`)
	_, err = Prior(&zoo.Data{Qrels: d.Qrels, Pool: d.Pool})
	assert.ErrorContains(t, err, "no train topics")
}

func TestMNLILP(t *testing.T) {
	d := small()
	r, err := MNLILPRun("mnli-lp", d)
	require.NoError(t, err)
	docs, scores := order(t, r, "y")
	assert.Equal(t, []string{"a", "c", "b"}, docs)
	assert.Equal(t, []float64{0.9, 0.7, 0.5}, scores)

	delete(d.MNLILP, "c")
	_, err = MNLILPRun("mnli-lp", d)
	assert.ErrorContains(t, err, `model "c" has no mnli_lp value`)
}

func TestRandom(t *testing.T) {
	d := small()
	r1 := RandomRun("random", d, 7)
	r2 := RandomRun("random", d, 7)
	assert.Equal(t, r1, r2, "same seed, same run")
	// By definition: topic i uses PCG(seed, i); model j takes output j.
	for i, topic := range d.Test {
		src := rand.NewPCG(7, uint64(i))
		for _, m := range d.Pool {
			want := float64(src.Uint64()>>11) * 0x1p-53
			var got float64
			for _, e := range r1.ByID[topic].Entries {
				if e.Doc == m {
					got = e.Score
				}
			}
			assert.Equal(t, want, got, "%s %s", topic, m)
			assert.True(t, got >= 0 && got < 1)
		}
	}
	assert.NotEqual(t, r1, RandomRun("random", d, 8))
}

func TestArchPrior(t *testing.T) {
	d := small()
	means, err := ArchMeans(d)
	require.NoError(t, err)
	assert.Equal(t, map[string]float64{"A": 65, "B": 80}, means)
	r, err := ArchPriorRun("arch-prior", d)
	require.NoError(t, err)
	docs, scores := order(t, r, "x")
	// B (80) first; within A (65), a (prior 70) before c (prior 60).
	assert.Equal(t, []string{"b", "a", "c"}, docs)
	assert.Equal(t, []float64{3, 2, 1}, scores)

	// Equal architecture and prior: model ID descending.
	d.Base["b"] = "A"
	d.Qrels.ByID["t1"].Value["b"], d.Qrels.ByID["t2"].Value["b"] = 80, 60
	r, err = ArchPriorRun("arch-prior", d)
	require.NoError(t, err)
	docs, _ = order(t, r, "x")
	assert.Equal(t, []string{"b", "a", "c"}, docs)

	delete(d.Base, "c")
	_, err = ArchPriorRun("arch-prior", d)
	assert.ErrorContains(t, err, `model "c" has no base model`)
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"cardiffnlp/twitter-roberta-base-sentiment", []string{"cardiffnlp", "twitter", "roberta", "base", "sentiment"}},
		{"textattack/bert-base-uncased-SST-2", []string{"textattack", "bert", "base", "uncased", "sst"}},
		{"ProsusAI/finBERT_v2.1", []string{"prosus", "ai", "fin", "bert"}},
		{"m3/m3-experiment-roberta-base-tweet-eval-irony-add-v3", []string{"experiment", "roberta", "base", "tweet", "eval", "irony", "add"}},
		{"Tweets (Twitter posts) classified as ironic or not ironic.", []string{"tweet", "twitter", "post", "classified", "ironic", "not", "ironic"}},
		{"SST-5: 5 sentiment levels, e.g. very negative", []string{"sst", "sentiment", "level", "very", "negative"}},
		{"queries classes glass corpus news", []string{"query", "classe", "glass", "corpus", "new"}},
		{"", nil},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, Tokenize(tc.in), tc.in)
	}
}

func TestBM25(t *testing.T) {
	docs := [][]string{{"sentiment", "tweet"}, {"bert", "base"}, {"sentiment"}}
	// idf = ln(1 + (3−2+0.5)/(2+0.5)) = ln 1.6, avgdl = 5/3;
	// d1: ln1.6 · 2.2/(1 + 1.2·(0.25 + 0.75·2/(5/3))), d3 likewise with |D| = 1.
	want := []float64{0.4344571362775708, 0, 0.561960861054684}
	got := BM25([]string{"sentiment", "nomatch"}, docs, DefaultBM25)
	assert.InDeltaSlice(t, want, got, 1e-15)
	assert.Equal(t, got, BM25([]string{"sentiment", "sentiment"}, docs, DefaultBM25), "a repeated query term counts once")
	assert.Equal(t, []float64{0, 0, 0}, BM25(nil, docs, DefaultBM25))
	assert.Equal(t, []float64{}, BM25([]string{"x"}, nil, DefaultBM25))
}

func TestNameMatch(t *testing.T) {
	d := &zoo.Data{
		Qrels: makeQrels(map[string]map[string]float64{
			"t1": {"org/bert-base": 90, "x/tweet-sentiment": 50, "z/sentiment": 60, "q/trec-question": 70},
		}),
		Pool:  []string{"org/bert-base", "x/tweet-sentiment", "z/sentiment", "q/trec-question"},
		Train: []string{"t1"},
		Test:  []string{"x", "y"},
		Descriptions: map[string]string{
			"x": "Tweets classified by sentiment",
			"y": "Open-domain questions classified by answer type",
		},
	}
	r, err := NameMatchRun("name-match", d, DefaultBM25)
	require.NoError(t, err)
	docs, scores := order(t, r, "x")
	// x/tweet-sentiment matches two terms, z/sentiment one; the others
	// follow by prior (bert 90 before trec 70).
	assert.Equal(t, []string{"x/tweet-sentiment", "z/sentiment", "org/bert-base", "q/trec-question"}, docs)
	assert.Equal(t, []float64{4, 3, 2, 1}, scores)
	docs, _ = order(t, r, "y")
	assert.Equal(t, []string{"q/trec-question", "org/bert-base", "z/sentiment", "x/tweet-sentiment"}, docs)

	for _, p := range []BM25Params{{K1: -1, B: 0.75}, {K1: 1.2, B: 1.5}, {K1: math.NaN(), B: 0.75}, {K1: math.Inf(1), B: 0}} {
		_, err = NameMatchRun("name-match", d, p)
		assert.ErrorContains(t, err, "BM25 needs a finite k1 ≥ 0 and 0 ≤ b ≤ 1", "%+v", p)
	}
	d.Descriptions["y"] = "  "
	_, err = NameMatchRun("name-match", d, DefaultBM25)
	assert.ErrorContains(t, err, `topic "y" has no description`)
}

// probeData: probes p1, p2; train topics s1, s2, s3; test topic x.
func probeData() *zoo.Data {
	return &zoo.Data{
		Qrels: makeQrels(map[string]map[string]float64{
			"s1": {"p1": 80, "p2": 70, "m": 50},
			"s2": {"p1": 60, "p2": 60, "m": 10},
			"s3": {"p1": 90, "p2": 90, "m": 80},
			"x":  {"p1": 83, "p2": 74, "m": 0},
		}),
		Pool:  []string{"p1", "p2", "m"},
		Train: []string{"s1", "s2", "s3"},
		Test:  []string{"x"},
	}
}

func TestProbeVectorAndNeighbors(t *testing.T) {
	d := probeData()
	v, err := ProbeVector(d.Qrels, "x", []string{"p2", "p1"})
	require.NoError(t, err)
	assert.Equal(t, []float64{74, 83}, v)
	_, err = ProbeVector(d.Qrels, "x", []string{"p3"})
	assert.ErrorContains(t, err, `probe model "p3" is not judged on topic "x"`)
	_, err = ProbeVector(d.Qrels, "nope", []string{"p1"})
	assert.ErrorContains(t, err, `no topic "nope"`)

	// x = (83, 74): distances 5 (s1), √305 (s3), √725 (s2).
	nb, err := Neighbors(d.Qrels, "x", d.Train, []string{"p1", "p2"}, 2)
	require.NoError(t, err)
	require.Len(t, nb, 2)
	assert.Equal(t, Neighbor{Topic: "s1", Distance: 5, Weight: 0.2}, nb[0])
	assert.Equal(t, "s3", nb[1].Topic)
	assert.InDelta(t, 17.46424919657298, nb[1].Distance, 1e-12)
	assert.InDelta(t, 1/17.46424919657298, nb[1].Weight, 1e-15)

	pred, err := KNNPredict(d.Qrels, []string{"m"}, nb)
	require.NoError(t, err)
	// (0.2·50 + 80/√305) / (0.2 + 1/√305)
	assert.InDelta(t, 56.67727635530696, pred[0], 1e-12)

	_, err = Neighbors(d.Qrels, "x", d.Train, []string{"p1", "p2"}, 4)
	assert.ErrorContains(t, err, "k = 4 is outside 1..3")
}

func TestNeighborsAtDistanceZero(t *testing.T) {
	d := probeData()
	d.Qrels.ByID["x"].Value["p1"], d.Qrels.ByID["x"].Value["p2"] = 80, 70 // equal to s1
	nb, err := Neighbors(d.Qrels, "x", d.Train, []string{"p1", "p2"}, 3)
	require.NoError(t, err)
	assert.Equal(t, []float64{1, 0, 0}, []float64{nb[0].Weight, nb[1].Weight, nb[2].Weight})
	pred, err := KNNPredict(d.Qrels, []string{"m"}, nb)
	require.NoError(t, err)
	assert.Equal(t, []float64{50}, pred)
}

func TestProbeKNNRun(t *testing.T) {
	d := probeData()
	r, k, err := ProbeKNNRun("probe-knn", d, KNNOptions{Probes: []string{"p1", "p2"}, K: 2})
	require.NoError(t, err)
	assert.Equal(t, 2, k)
	docs, scores := order(t, r, "x")
	// p1: (0.2·80 + 90/√305)/(0.2 + 1/√305); p2 likewise with 70, 90.
	w3 := 1 / math.Sqrt(305)
	assert.Equal(t, []string{"p1", "p2", "m"}, docs)
	assert.InDeltaSlice(t, []float64{(0.2*80 + 90*w3) / (0.2 + w3), (0.2*70 + 90*w3) / (0.2 + w3), 56.67727635530696}, scores, 1e-12)

	_, _, err = ProbeKNNRun("probe-knn", d, KNNOptions{Probes: []string{"p1", "zz"}, K: 2})
	assert.ErrorContains(t, err, `probe model "zz" is not in the pool`)
	_, _, err = ProbeKNNRun("probe-knn", d, KNNOptions{Probes: []string{"p1", "p1"}, K: 2})
	assert.ErrorContains(t, err, `listed twice`)
}

func TestChooseK(t *testing.T) {
	// Probe vectors s1 = (80, 70), s2 = (60, 60), s3 = (90, 90): s1 is √500
	// from both others, s2 and s3 are √1800 apart. Truth over the pool
	// (p1, p2, m): s1 (80, 70, 50) ranks (3, 2, 1); s2 (60, 60, 10) and
	// s3 (90, 90, 80) rank (2.5, 2.5, 1).
	//
	// k = 1: s1 takes s2 (tie at √500 broken by topic ID), predicting ranks
	// (2.5, 2.5, 1); s2 and s3 take s1, predicting (3, 2, 1). Each time
	// ρ((3,2,1), (2.5,2.5,1)) = 1.5/√(1.5·2) = √3/2.
	// k = 2: s1 gets (75, 75, 45) → (2.5, 2.5, 1); s2 and s3 get p1 > p2 > m
	// → (3, 2, 1). Again √3/2 each, so the tie goes to k = 1.
	d := probeData()
	cv, err := ChooseK(d, []string{"p1", "p2"})
	require.NoError(t, err)
	require.Len(t, cv.MeanSpearman, 2)
	assert.InDelta(t, math.Sqrt(3)/2, cv.MeanSpearman[0], 1e-12)
	assert.InDelta(t, math.Sqrt(3)/2, cv.MeanSpearman[1], 1e-12)
	assert.Equal(t, 1, cv.K, "ties go to the smaller k")

	// Make s1's truth agree with the k = 2 prediction only: m best.
	d.Qrels.ByID["s1"].Value["m"] = 99
	cv, err = ChooseK(d, []string{"p1", "p2"})
	require.NoError(t, err)
	// k = 1: s1 truth ranks (2, 1, 3) vs prediction (2.5, 2.5, 1): ρ = −√3/2;
	// s2 and s3 now see s1's (80, 70, 99) → (2, 1, 3) vs (2.5, 2.5, 1): −√3/2.
	// k = 2 (weights 1/√500 ≈ 0.0447 for s1, 1/√1800 ≈ 0.0236 for the other):
	// s1 vs (75, 75, 45): −√3/2; s2 gets m ≈ 6.313 > p1 ≈ 5.699 > p2 ≈ 5.252
	// (unnormalised) → −√3/2; s3 gets p1 ≈ 4.992 > m ≈ 4.663 > p2 ≈ 4.545
	// → ranks (3, 1, 2) vs (2.5, 2.5, 1): ρ = 0. Mean −√3/3 > −√3/2: k = 2.
	assert.InDelta(t, -math.Sqrt(3)/2, cv.MeanSpearman[0], 1e-12)
	assert.InDelta(t, -math.Sqrt(3)/3, cv.MeanSpearman[1], 1e-12)
	assert.Equal(t, 2, cv.K)

	_, err = ChooseK(&zoo.Data{Qrels: d.Qrels, Pool: d.Pool, Train: []string{"s1"}}, []string{"p1"})
	assert.ErrorContains(t, err, "at least 2 train topics")
}

func TestSpearman(t *testing.T) {
	tests := []struct {
		x, y []float64
		want float64
	}{
		{[]float64{1, 2, 3}, []float64{10, 20, 30}, 1},
		{[]float64{1, 2, 3}, []float64{3, 2, 1}, -1},
		{[]float64{1, 2, 2, 3}, []float64{1, 2, 3, 4}, 4.5 / math.Sqrt(22.5)},
		{[]float64{5, 1, 4, 2, 3}, []float64{1, 2, 3, 4, 5}, -0.3},
	}
	for _, tc := range tests {
		got, err := Spearman(tc.x, tc.y)
		require.NoError(t, err)
		assert.InDelta(t, tc.want, got, 1e-15, "%v %v", tc.x, tc.y)
	}
	_, err := Spearman([]float64{1, 1}, []float64{1, 2})
	assert.ErrorContains(t, err, "constant")
	_, err = Spearman([]float64{1}, []float64{1})
	assert.Error(t, err)
	_, err = Spearman([]float64{1, 2}, []float64{1})
	assert.Error(t, err)
}

func TestPoolRun(t *testing.T) {
	run := PoolRun("tag", []string{"a", "b", "c"}, map[string][]float64{"t1": {1, 3, 2}, "t2": {0.5, 0.25, 0.75}})
	assert.Equal(t, "tag", run.Tag)
	assert.Equal(t, []string{"t1", "t2"}, run.Topics)
	docs := func(topic string) (ids []string, scores []float64) {
		for _, e := range run.Ranking(topic).Entries {
			ids, scores = append(ids, e.Doc), append(scores, e.Score)
		}
		return ids, scores
	}
	ids, scores := docs("t1")
	assert.Equal(t, []string{"b", "c", "a"}, ids)
	assert.Equal(t, []float64{3, 2, 1}, scores)
	ids, _ = docs("t2")
	assert.Equal(t, []string{"c", "a", "b"}, ids)
}
