package assess

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/ntcir-pmr/mreval/internal/testtree"
)

// Two runs on two topics. Depth 2: topic t1 pools a, b (r1) and b, c
// (r2); topic t2 pools x, y (r1) and x (r2, which ranks one document).
// Run r1 is written out of rank order on purpose.
const (
	poolRun1 = "t1 Q0 b 2 0.8 r1\nt1 Q0 a 1 0.9 r1\nt1 Q0 z 3 0.1 r1\nt2 Q0 x 1 5 r1\nt2 Q0 y 2 4 r1\n"
	poolRun2 = "t1 Q0 c 1 3 r2\nt1 Q0 b 2 2 r2\nt1 Q0 a 3 1 r2\nt2 Q0 x 1 1 r2\n"
)

func TestPoolByHand(t *testing.T) {
	r1, r2 := testtree.ParseRun(t, "r1.run", poolRun1), testtree.ParseRun(t, "r2.run", poolRun2)
	p, err := Pool([]*eval.Run{r1, r2}, PoolOptions{Depth: 2, Seed: 7})
	require.NoError(t, err)
	assert.Equal(t, []string{"r1.run", "r2.run"}, p.Runs)
	require.Len(t, p.Topics, 2)
	t1, t2 := p.Topics[0], p.Topics[1]
	assert.Equal(t, "t1", t1.Topic)
	assert.ElementsMatch(t, []string{"a", "b", "c"}, t1.Docs)
	assert.Equal(t, []int{2, 2}, t1.Contributed)
	assert.Equal(t, []int{1, 1}, t1.Unique) // a only from r1, c only from r2
	assert.Equal(t, [][]int{{2, 1}, {1, 2}}, t1.Overlap)
	assert.ElementsMatch(t, []string{"x", "y"}, t2.Docs)
	assert.Equal(t, []int{2, 1}, t2.Contributed)
	assert.Equal(t, []int{1, 0}, t2.Unique)
	assert.Equal(t, 5, p.Size())
	contributed, unique, overlap, ranked := p.Stats()
	assert.Equal(t, []int{4, 3}, contributed)
	assert.Equal(t, []int{2, 1}, unique)
	assert.Equal(t, [][]int{{4, 2}, {2, 3}}, overlap)
	assert.Equal(t, []int{2, 2}, ranked)

	var b bytes.Buffer
	require.NoError(t, p.WriteStats(&b))
	assert.Equal(t, `pool: depth 2, seed 7, 2 runs, 2 topics, 5 documents to judge (per topic: min 2, mean 2.5, max 3)

#  run     topics  pooled  unique
1  r1.run  2       4       2
2  r2.run  2       3       1

overlap (documents in the top-depth of both runs, summed over topics):
#  1  2
1  4  2
2  2  3
`, b.String())
}

func TestPoolDeterminism(t *testing.T) {
	// A topic of 40 documents in two runs of depth 30.
	var a, b strings.Builder
	for i := 0; i < 40; i++ {
		d := string(rune('A'+i%26)) + strings.Repeat("x", i/26)
		a.WriteString("q Q0 " + d + " 1 " + trecfmt.FormatScore(float64(i)) + " a\n")
		b.WriteString("q Q0 " + d + " 1 " + trecfmt.FormatScore(float64(-i)) + " b\n")
	}
	ra, rb := testtree.ParseRun(t, "a", a.String()), testtree.ParseRun(t, "b", b.String())
	other := testtree.ParseRun(t, "c", "other Q0 A 1 1 c\n")
	p1, err := Pool([]*eval.Run{ra, rb}, PoolOptions{Depth: 30, Seed: 1})
	require.NoError(t, err)
	p2, err := Pool([]*eval.Run{rb, ra, other}, PoolOptions{Depth: 30, Seed: 1})
	require.NoError(t, err)
	p3, err := Pool([]*eval.Run{ra, rb}, PoolOptions{Depth: 30, Seed: 2})
	require.NoError(t, err)
	require.Len(t, p1.Topics[0].Docs, 40)
	// Same seed: same order, whatever the order of the runs and the other
	// topics; another seed, another order of the same documents.
	assert.Equal(t, p1.Topics[0].Docs, p2.Topics[1].Docs)
	assert.NotEqual(t, p1.Topics[0].Docs, p3.Topics[0].Docs)
	assert.ElementsMatch(t, p1.Topics[0].Docs, p3.Topics[0].Docs)
	// The order hides the ranks: it is not run a's score order.
	sorted := slices.Clone(p1.Topics[0].Docs)
	slices.Sort(sorted)
	assert.NotEqual(t, sorted, p1.Topics[0].Docs)
	// Regression pin of the first documents (the shuffle of PCG(1,
	// FNV-1a-64("q"))): a change here changes every shipped judging sheet.
	assert.Equal(t, []string{"S", "P", "W", "Jx", "B"}, p1.Topics[0].Docs[:5])
	// FNV-1a-64 of "q": (offset basis XOR 'q') × prime, modulo 2^64.
	basis, prime := uint64(14695981039346656037), uint64(1099511628211)
	assert.Equal(t, (basis^'q')*prime, topicStream("q"))
}

func TestPoolErrors(t *testing.T) {
	r := testtree.ParseRun(t, "r", "t Q0 a 1 1 r\n")
	_, err := Pool([]*eval.Run{r}, PoolOptions{Depth: 0})
	assert.ErrorContains(t, err, "depth 0 must be at least 1")
	_, err = Pool(nil, PoolOptions{Depth: 1})
	assert.ErrorContains(t, err, "no runs")
	p, err := Pool([]*eval.Run{testtree.ParseRun(t, "r", "a/b Q0 x 1 1 r\n")}, PoolOptions{Depth: 1})
	require.NoError(t, err)
	_, err = p.Sheets(nil)
	assert.ErrorContains(t, err, `topic id "a/b" cannot name a sheet file`)
	p, err = Pool([]*eval.Run{r}, PoolOptions{Depth: 1})
	require.NoError(t, err)
	_, err = p.Sheets([]string{"ann", "ann"})
	assert.ErrorContains(t, err, `assessor "ann" is named twice`)
	_, err = p.Sheets([]string{"ann lee"})
	assert.ErrorContains(t, err, `assessor name "ann lee"`)
}

func TestSheetsAndJudgingPool(t *testing.T) {
	r1, r2 := testtree.ParseRun(t, "r1.run", poolRun1), testtree.ParseRun(t, "r2.run", poolRun2)
	p, err := Pool([]*eval.Run{r1, r2}, PoolOptions{Depth: 2, Seed: 7})
	require.NoError(t, err)
	sheets, err := p.Sheets([]string{"ann", "bob"})
	require.NoError(t, err)
	var names []string
	for _, s := range sheets {
		names = append(names, s.Name)
	}
	assert.Equal(t, []string{"t1.ann.csv", "t1.bob.csv", "t2.ann.csv", "t2.bob.csv"}, names)
	var b bytes.Buffer
	require.NoError(t, WriteSheet(&b, sheets[0].Rows))
	want := "topic,lora_id,assessor,grade\n"
	for _, d := range p.Topics[0].Docs {
		want += "t1," + d + ",ann,\n"
	}
	assert.Equal(t, want, b.String())

	blank, err := p.Sheets(nil)
	require.NoError(t, err)
	assert.Equal(t, "t1.csv", blank[0].Name)
	assert.Equal(t, "", blank[0].Rows[0].Assessor)

	b.Reset()
	require.NoError(t, WriteJudgingPool(&b, p))
	jp, err := ParseJudgingPool("jp.tsv", b.Bytes())
	require.NoError(t, err)
	assert.Equal(t, []string{"t1", "t2"}, jp.Topics)
	assert.Equal(t, p.Topics[0].Docs, jp.Docs["t1"])
	assert.True(t, jp.Has("t2", "y"))
	assert.False(t, jp.Has("t2", "a"))

	_, err = ParseJudgingPool("jp.tsv", []byte("topic\tlora_id\nt1\ta\nt1\ta\n"))
	assert.EqualError(t, err, "jp.tsv:3: a of topic t1 is listed twice")
	_, err = ParseJudgingPool("jp.tsv", []byte("topic,lora_id\n"))
	assert.EqualError(t, err, `jp.tsv:1: the header must be "topic\tlora_id"`)
	_, err = ParseJudgingPool("jp.tsv", []byte("topic\tlora_id\nt1 a\n"))
	assert.EqualError(t, err, "jp.tsv:2: want `topic<TAB>lora_id`")
}

// Topics t and t.x with assessors x.y and y both made t.x.y.csv, and one
// sheet silently replaced the other. Assessor names have no '.', so the
// last dot before .csv separates topic and assessor: no two sheets share
// a name.
func TestSheetNamesAreUnambiguous(t *testing.T) {
	r := testtree.ParseRun(t, "r", "t Q0 a 1 1 r\nt.x Q0 b 1 1 r\n")
	p, err := Pool([]*eval.Run{r}, PoolOptions{Depth: 1})
	require.NoError(t, err)
	_, err = p.Sheets([]string{"x.y", "y"})
	assert.EqualError(t, err, `assessor name "x.y": use 1 to 64 characters from A-Z a-z 0-9 _ - (it follows the topic and a '.' in the sheet's file name)`)
	sheets, err := p.Sheets([]string{"x-y", "y"})
	require.NoError(t, err)
	var names []string
	for _, s := range sheets {
		names = append(names, s.Name)
	}
	assert.Equal(t, []string{"t.x-y.csv", "t.y.csv", "t.x.x-y.csv", "t.x.y.csv"}, names)
	for _, a := range []string{"", ".ann", "-ann", "ann,bob", strings.Repeat("a", 65)} {
		_, err = p.Sheets([]string{a})
		assert.ErrorContains(t, err, "assessor name", "%q", a)
	}
}

// Topics T1 and t1 are two files on Linux but one on macOS or Windows.
func TestSheetNamesDifferingOnlyInCaseAreRefused(t *testing.T) {
	r := testtree.ParseRun(t, "r", "T1 Q0 a 1 1 r\nt1 Q0 b 1 1 r\n")
	p, err := Pool([]*eval.Run{r}, PoolOptions{Depth: 1})
	require.NoError(t, err)
	_, err = p.Sheets([]string{"ann"})
	assert.EqualError(t, err, `the sheets of topic "T1" (assessor "ann") and of topic "t1" (assessor "ann") would be named T1.ann.csv and t1.ann.csv, one file where letter case is ignored`)
	_, err = p.Sheets(nil)
	assert.EqualError(t, err, `the sheets of topic "T1" and of topic "t1" would be named T1.csv and t1.csv, one file where letter case is ignored`)
}

func TestSheetsLimit(t *testing.T) {
	r := testtree.ParseRun(t, "r", "t1 Q0 a 1 1 r\nt2 Q0 a 1 1 r\nt3 Q0 a 1 1 r\n")
	p, err := Pool([]*eval.Run{r}, PoolOptions{Depth: 1})
	require.NoError(t, err)
	_, err = p.SheetsMax([]string{"ann", "bob"}, 5)
	assert.EqualError(t, err, "the pool makes 6 judging sheets (3 topics × 2 assessors), above the limit of 5")
	sheets, err := p.SheetsMax([]string{"ann", "bob"}, 6)
	require.NoError(t, err)
	assert.Len(t, sheets, 6)
	sheets, err = p.SheetsMax(nil, 0) // 0: DefaultMaxSheets
	require.NoError(t, err)
	assert.Len(t, sheets, 3)
}
