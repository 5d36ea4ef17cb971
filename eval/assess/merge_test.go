package assess

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval/trecfmt"
)

func TestParseSheetErrors(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"empty", "", []string{`s.csv: empty file (the header row "topic,lora_id,assessor,grade" is missing)`}},
		{"header", "topic,lora,assessor,grade\n", []string{`s.csv:1: the header is "topic,lora,assessor,grade"; a judging sheet starts with the columns topic,lora_id,assessor,grade`}},
		{"cells", "topic,lora_id,assessor,grade\n" +
			"t1,a,ann,3\n" + // fine
			"t1,b,,2\n" + // no assessor
			"t1,c,ann,\n" + // no grade
			"t1,d,ann,4\n" + // beyond the scale
			"t1,e,ann,2.5\n" + // not an integer
			"t1,f g,ann,1\n" + // white space in the id
			"t1,h,ann\n" + // a field short
			",,,\n" + // blank spreadsheet row: skipped
			"t1,i,ann,-1\n",
			[]string{
				"s.csv:3: assessor is empty",
				"s.csv:4: the grade of c for topic t1 is missing",
				`s.csv:5: grade "4" of d for topic t1 is not an integer from 0 to 3`,
				`s.csv:6: grade "2.5" of e for topic t1 is not an integer from 0 to 3`,
				`s.csv:7: lora_id "f g" contains white space`,
				"s.csv:8: 3 fields, the header has 4",
				`s.csv:10: grade "-1" of i for topic t1 is not an integer from 0 to 3`,
			}},
		{"quotes", "topic,lora_id,assessor,grade\nt1,\"a,ann,3\n", []string{`s.csv:2:13: extraneous or missing " in quoted-field`}},
		{"control", "topic,lora_id,assessor,grade\nt1,a,sim\x1b[31m-a,1\n", []string{`s.csv:2: assessor "sim\x1b[31m-a" contains a control character`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseSheet("s.csv", []byte(tc.text), 3)
			require.Error(t, err)
			assert.Equal(t, strings.Join(tc.want, "\n"), err.Error())
		})
	}
}

func TestParseSheet(t *testing.T) {
	// BOM, CRLF, quoted cells, spaces around cells and an extra comment
	// column are all accepted.
	text := "\ufefftopic,lora_id,assessor,grade,comment\r\nt1,a,ann, 3 ,\"nice, clean\"\r\n\"t1\",b,ann,0,\r\n"
	js, err := ParseSheet("s.csv", []byte(text), 3)
	require.NoError(t, err)
	assert.Equal(t, []Judgment{
		{Topic: "t1", Doc: "a", Assessor: "ann", Grade: 3, File: "s.csv", Line: 2},
		{Topic: "t1", Doc: "b", Assessor: "ann", Grade: 0, File: "s.csv", Line: 3},
	}, js)
}

// sheet builds the judgments of one assessor on topic t1.
func sheet(t *testing.T, file, assessor string, grades map[string]int, order ...string) []Judgment {
	t.Helper()
	var b strings.Builder
	b.WriteString("topic,lora_id,assessor,grade\n")
	for _, d := range order {
		b.WriteString("t1," + d + "," + assessor + "," + string(rune('0'+grades[d])) + "\n")
	}
	js, err := ParseSheet(file, []byte(b.String()), 3)
	require.NoError(t, err)
	return js
}

func TestMergeRules(t *testing.T) {
	docs := []string{"a", "b", "c", "d"}
	ann := sheet(t, "ann.csv", "ann", map[string]int{"a": 3, "b": 2, "c": 0, "d": 1}, docs...)
	bob := sheet(t, "bob.csv", "bob", map[string]int{"a": 3, "b": 1, "c": 1, "d": 3}, docs...)
	tests := []struct {
		rule string
		want string
	}{
		// a: 3 3; b: 2 1; c: 0 1; d: 1 3
		{"floor-mean", "t1 0 a 3\nt1 0 b 1\nt1 0 c 0\nt1 0 d 2\n"},
		{"ceil-mean", "t1 0 a 3\nt1 0 b 2\nt1 0 c 1\nt1 0 d 2\n"},
		{"min", "t1 0 a 3\nt1 0 b 1\nt1 0 c 0\nt1 0 d 1\n"},
		{"max", "t1 0 a 3\nt1 0 b 2\nt1 0 c 1\nt1 0 d 3\n"},
		{"median-low", "t1 0 a 3\nt1 0 b 1\nt1 0 c 0\nt1 0 d 1\n"},
	}
	for _, tc := range tests {
		rule, err := ParseMergeRule(tc.rule)
		require.NoError(t, err)
		m, err := Merge(append(ann, bob...), 2, MergeOptions{Rule: rule})
		require.NoError(t, err, tc.rule)
		var b bytes.Buffer
		require.NoError(t, trecfmt.WriteQrels(&b, m.Qrels()))
		assert.Equal(t, tc.want, b.String(), tc.rule)
	}

	// A third assessor, by median: a 3 3 2 → 3; b 2 1 2 → 2; c 0 1 0 → 0; d 1 3 2 → 2.
	cat := sheet(t, "cat.csv", "cat", map[string]int{"a": 2, "b": 2, "c": 0, "d": 2}, docs...)
	m, err := Merge(append(append(ann, bob...), cat...), 3, MergeOptions{Rule: MergeRule{Kind: "median-low"}})
	require.NoError(t, err)
	var levels []int
	for _, it := range m.Items {
		levels = append(levels, it.Level)
	}
	assert.Equal(t, []int{3, 2, 0, 2}, levels)
	assert.Len(t, m.Pairs, 3)
	assert.Equal(t, []string{"ann", "bob", "cat"}, m.Assessors)

	// Adjudication: the adjudicator grades exactly b, c and d.
	dee := sheet(t, "dee.csv", "dee", map[string]int{"b": 2, "c": 0, "d": 3}, "b", "c", "d")
	rule, err := ParseMergeRule("adjudicate:dee")
	require.NoError(t, err)
	m, err = Merge(append(append(ann, bob...), dee...), 3, MergeOptions{Rule: rule})
	require.NoError(t, err)
	levels = levels[:0]
	for _, it := range m.Items {
		levels = append(levels, it.Level)
	}
	assert.Equal(t, []int{3, 2, 0, 3}, levels)
	assert.Equal(t, []string{"ann", "bob"}, m.Assessors, "the adjudicator is not a regular assessor")
	// Without the adjudicator's grade of d; with one of a, where ann and
	// bob agree.
	partial := sheet(t, "dee.csv", "dee", map[string]int{"a": 3, "b": 2, "c": 0}, "a", "b", "c")
	_, err = Merge(append(append(ann, bob...), partial...), 3, MergeOptions{Rule: rule})
	assert.EqualError(t, err, "dee.csv:2: the adjudicator dee graded a of topic t1, on which the assessors agree (ann=3 bob=3)\n"+
		"t1 d: the assessors disagree (ann=1 bob=3) and the adjudicator dee has not graded it")

	_, err = ParseMergeRule("mean")
	assert.EqualError(t, err, `unknown merge rule "mean" (want floor-mean, ceil-mean, min, max, median-low, adjudicate:NAME)`)
	_, err = ParseMergeRule("adjudicate:")
	assert.ErrorContains(t, err, "the adjudicator's name must be")
}

func TestMergeAgreementAndReport(t *testing.T) {
	docs := []string{"a", "b", "c", "d"}
	// The items of TestWeightedKappaFromGrades: (0,0) (1,2) (2,2) (3,1).
	ann := sheet(t, "t1.ann.csv", "ann", map[string]int{"a": 0, "b": 1, "c": 2, "d": 3}, docs...)
	bob := sheet(t, "t1.bob.csv", "bob", map[string]int{"a": 0, "b": 2, "c": 2, "d": 1}, docs...)
	m, err := Merge(append(ann, bob...), 2, MergeOptions{})
	require.NoError(t, err)
	require.Len(t, m.Pairs, 1)
	p := m.Pairs[0]
	assert.Equal(t, 4, p.Items)
	assert.Equal(t, 0.5, p.Exact)
	assert.InDelta(t, 1-0.75/(18.0/16), p.KappaLinear.Value, 1e-12)
	assert.InDelta(t, 1-1.25/2, p.KappaQuadratic.Value, 1e-12)
	alpha, err := Alpha([][]float64{{0, 0}, {1, 2}, {2, 2}, {3, 1}}, Ordinal)
	require.NoError(t, err)
	assert.Equal(t, alpha, m.Alpha.Value)
	assert.Equal(t, 4, m.AlphaItems)
	assert.Equal(t, []Row{{Topic: "t1", Doc: "b"}, {Topic: "t1", Doc: "d"}}, m.DisagreementSheet())

	var b bytes.Buffer
	require.NoError(t, m.WriteReport(&b))
	assert.Equal(t, `judgments: 8 from 2 sheets by 2 assessors (ann, bob); 1 topics, 4 items
grades given (regular assessors): 0: 2, 1: 2, 2: 3, 3: 1
qrels levels (merge rule floor-mean): 0: 1, 1: 1, 2: 2, 3: 0

agreement
  assessors  items  exact   Cohen's κw (linear)  Cohen's κw (quadratic)
  ann bob    4      0.5000  0.3333               0.3750
  Krippendorff's α (ordinal), 4 items with two or more grades: `+m.Alpha.String()+`

disagreements: 2 items
  topic  lora_id  grades       level
  t1     b        ann=1 bob=2  1
  t1     d        ann=3 bob=1  2
`, b.String())

	// One assessor only: no agreement, said so.
	m, err = Merge(ann, 1, MergeOptions{})
	require.NoError(t, err)
	b.Reset()
	require.NoError(t, m.WriteReport(&b))
	assert.Contains(t, b.String(), "items graded by one assessor only (no agreement data): 4\n")
	assert.Contains(t, b.String(), "  no item was graded by two assessors\n")
	assert.Contains(t, b.String(), "two or more grades: undefined\n")

	// Both always give 2: κ and α are undefined, with the reason.
	same := map[string]int{"a": 2, "b": 2}
	m, err = Merge(append(sheet(t, "x", "ann", same, "a", "b"), sheet(t, "y", "bob", same, "a", "b")...), 2, MergeOptions{})
	require.NoError(t, err)
	assert.Contains(t, m.Pairs[0].KappaLinear.Undefined, "no disagreement is expected by chance")
	assert.Contains(t, m.Alpha.Undefined, "every pairable value is the same")
}

func TestMergeProblems(t *testing.T) {
	docs := []string{"a", "b", "c"}
	g := map[string]int{"a": 1, "b": 2, "c": 3}
	ann := sheet(t, "t1.ann.csv", "ann", g, docs...)
	bob := sheet(t, "t1.bob.csv", "bob", g, "a", "c") // misses b
	dup := sheet(t, "more.csv", "ann", g, "a")
	_, err := Merge(append(append(ann, bob...), dup...), 3, MergeOptions{})
	assert.EqualError(t, err, "more.csv:2: a of topic t1 is judged twice by ann (first at t1.ann.csv:2)\n"+
		"t1.bob.csv: assessor bob has not graded 1 of the 3 items of topic t1 (missing rows): b")

	// Against the judging pool and the LoRA pool.
	jp, err := ParseJudgingPool("jp.tsv", []byte("topic\tlora_id\nt1\tb\nt1\ta\nt1\te\nt2\ta\n"))
	require.NoError(t, err)
	inPool := func(d string) bool { return d != "c" }
	_, err = Merge(ann, 1, MergeOptions{Expected: jp, InPool: inPool, PoolName: "pool.tsv"})
	assert.EqualError(t, err, `t1.ann.csv:4: lora_id "c" is not in the pool pool.tsv`+"\n"+
		"jp.tsv: topic t2 has no judgments (1 items in the judging pool)\n"+
		"t1.ann.csv: assessor ann has not graded 1 of the 3 items of topic t1 (missing rows): e")
	jp2, err := ParseJudgingPool("jp.tsv", []byte("topic\tlora_id\nt1\ta\nt1\tb\n"))
	require.NoError(t, err)
	_, err = Merge(ann, 1, MergeOptions{Expected: jp2})
	assert.EqualError(t, err, "t1.ann.csv:4: c of topic t1 is not in the judging pool jp.tsv")

	_, err = Merge(nil, 0, MergeOptions{})
	assert.EqualError(t, err, "no judgments")
}

func TestProblemsCap(t *testing.T) {
	var p Problems
	for i := 0; i < 25; i++ {
		p = append(p, "x")
	}
	assert.Equal(t, strings.Repeat("x\n", 20)+"... and 5 more problems", p.Error())
}

// TestSheetNeutralisesFormulas: topics and LoRA IDs that a spreadsheet
// would run as formulas are written with a leading apostrophe, and the
// sheet reads back to the same IDs, whether it comes back as written or
// saved again by a spreadsheet (which drops the apostrophe).
func TestSheetNeutralisesFormulas(t *testing.T) {
	rows := []Row{
		{Topic: "=t", Doc: `=HYPERLINK("http://x","y")`, Assessor: "ann", Grade: "1"},
		{Topic: "t1", Doc: "-lora", Assessor: "ann", Grade: "2"},
		{Topic: "t1", Doc: "+1", Assessor: "ann", Grade: "0"},
		{Topic: "t1", Doc: "@sum", Assessor: "ann", Grade: "3"},
		{Topic: "t1", Doc: "'quoted", Assessor: "ann", Grade: "1"},
		{Topic: "t1", Doc: "plain-lora", Assessor: "ann", Grade: "2"},
	}
	var b bytes.Buffer
	require.NoError(t, WriteSheet(&b, rows))
	assert.Equal(t, "topic,lora_id,assessor,grade\n"+
		"'=t,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",ann,1\n"+
		"t1,'-lora,ann,2\n"+
		"t1,'+1,ann,0\n"+
		"t1,'@sum,ann,3\n"+
		"t1,''quoted,ann,1\n"+
		"t1,plain-lora,ann,2\n", b.String())

	js, err := ParseSheet("s.csv", b.Bytes(), 3)
	require.NoError(t, err)
	require.Len(t, js, len(rows))
	for i, j := range js {
		assert.Equal(t, []string{rows[i].Topic, rows[i].Doc}, []string{j.Topic, j.Doc}, "row %d", i+1)
	}

	// As a spreadsheet saves it again: the marks are gone.
	saved := "topic,lora_id,assessor,grade\n=t,-lora,ann,2\n"
	js, err = ParseSheet("s.csv", []byte(saved), 3)
	require.NoError(t, err)
	assert.Equal(t, []string{"=t", "-lora"}, []string{js[0].Topic, js[0].Doc})
}
