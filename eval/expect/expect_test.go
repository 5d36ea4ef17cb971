package expect

import (
	"bytes"
	"compress/gzip"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/measure"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
)

// twoRuns is what `mreval eval -q --format json` writes for two runs over
// topics T1 and T2 (tauw undefined on T2 of run b).
const twoRuns = `[
{
  "run": "a",
  "file": "a.run",
  "per_topic": {
    "T1": {"ndcg@10": 0.5, "tauw": 0.25},
    "T2": {"ndcg@10": 0.75, "tauw": -1}
  },
  "all": {"num_q": 2, "ndcg@10": 0.625, "tauw": -0.375}
},
{
  "run": "b",
  "file": "b.run",
  "per_topic": {
    "T1": {"ndcg@10": 1, "tauw": 1},
    "T2": {"ndcg@10": 0, "tauw": null}
  },
  "all": {"num_q": 2, "ndcg@10": 0.5, "tauw": 1}
}
]
`

func mustParse(t *testing.T, text string) *File {
	t.Helper()
	f, err := Parse("expected.json", []byte(text))
	require.NoError(t, err)
	return f
}

func TestParse(t *testing.T) {
	f := mustParse(t, twoRuns)
	require.Len(t, f.Runs, 2)
	a, b := f.Runs[0], f.Runs[1]
	assert.Equal(t, "a", a.Run)
	assert.Equal(t, "a.run", a.File)
	assert.Equal(t, 2, a.Line)
	assert.Equal(t, 11, b.Line)
	assert.Equal(t, map[string]float64{"ndcg@10": 0.75, "tauw": -1}, a.PerTopic["T2"])
	assert.Equal(t, map[string]float64{"num_q": 2, "ndcg@10": 0.625, "tauw": -0.375}, a.All)
	assert.True(t, math.IsNaN(b.PerTopic["T2"]["tauw"]))
	assert.Equal(t, []string{"ndcg@10", "tauw", "num_q"}, a.Measures)
	assert.Equal(t, []string{"ndcg@10", "tauw", "num_q"}, f.Measures())
	assert.True(t, f.HasPerTopic())

	one := mustParse(t, `{"run": "r", "per_topic": {}, "all": {"P_5": 0.2, "map": null}}`)
	require.Len(t, one.Runs, 1)
	assert.Equal(t, 1, one.Runs[0].Line)
	assert.False(t, one.HasPerTopic())
	assert.Equal(t, []string{"P_5", "map"}, one.Measures())
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, text, want string
	}{
		{"empty", ``, "expected.json:1:1: unexpected end of file (truncated JSON?)"},
		{"truncated", "{\"run\": \"a\",\n \"all\": {\"x\": 1", "expected.json:2:16: unexpected end of file (truncated JSON?)"},
		{"syntax", "{\"run\": \"a\",\n \"all\": {\"x\" 1}}", `expected.json:2:14: invalid JSON: invalid character '1' after object key`},
		{"not an object", `"scores"`, "expected.json:1:1: expected a run object or an array of them (the output of `mreval eval --format json`), found the string \"scores\""},
		{"empty array", `[ ]`, "expected.json:1:3: no runs: the array is empty"},
		{"array of numbers", `[1]`, `expected.json:1:2: run: expected "{", found the number 1`},
		{"unknown key", "{\"run\": \"a\", \"al\": {}}", `expected.json:1:14: unknown key "al" in a run object (expected run, file, per_topic, all)`},
		{"duplicate key", "{\"run\": \"a\", \"all\": {}, \"run\": \"b\"}", `expected.json:1:25: run object: key "run" appears twice`},
		{"duplicate measure", "{\"run\": \"a\", \"all\": {\"x\": 1,\n \"x\": 2}}", `expected.json:2:2: "all": key "x" appears twice`},
		{"duplicate topic", `{"run": "a", "per_topic": {"T1": {}, "T1": {}}, "all": {}}`, `expected.json:1:38: per_topic: key "T1" appears twice`},
		{"duplicate run", "[{\"run\": \"a\", \"all\": {}},\n {\"run\": \"a\", \"all\": {}}]", `expected.json:2:2: run "a" appears twice (first at line 1); runs are matched by their tag`},
		{"missing run", `{"all": {}}`, `expected.json:1:1: run object lacks the key "run"`},
		{"missing all", `{"run": "a"}`, `expected.json:1:1: run object lacks the key "all"`},
		{"string value", `{"run": "a", "all": {"x": "0.5"}}`, `expected.json:1:27: "all", x: expected a number or null, found the string "0.5"`},
		{"overflow", `{"run": "a", "all": {"x": 1e400}}`, `expected.json:1:27: "all", x: 1e400 is out of range`},
		{"topic not object", `{"run": "a", "per_topic": {"T1": 3}, "all": {}}`, `expected.json:1:34: topic "T1": expected "{", found the number 3`},
		{"run not string", `{"run": 7, "all": {}}`, `expected.json:1:9: "run" must be a string, not the number 7`},
		{"empty measure", `{"run": "a", "all": {"": 1}}`, `expected.json:1:22: "all": empty measure name`},
		{"trailing", "{\"run\": \"a\", \"all\": {}}\n{}", "expected.json:2:1: unexpected data after the end of the JSON value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("expected.json", []byte(tc.text))
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

func TestReadLimits(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "e.json")
	require.NoError(t, os.WriteFile(path, []byte(twoRuns), 0o644))
	f, err := Read(path, trecfmt.Limits{})
	require.NoError(t, err)
	assert.Len(t, f.Runs, 2)
	assert.Equal(t, path, f.Name)

	_, err = Read(path, trecfmt.Limits{MaxBytes: 100})
	require.ErrorIs(t, err, trecfmt.ErrTooLarge)
	assert.Contains(t, err.Error(), path+": input too large: more than 100 bytes")

	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, err = zw.Write([]byte(twoRuns))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	require.NoError(t, os.WriteFile(path+".gz", gz.Bytes(), 0o644))
	f, err = Read(path+".gz", trecfmt.Limits{})
	require.NoError(t, err)
	assert.Equal(t, 0.625, f.Runs[0].All["ndcg@10"])

	_, err = Read(filepath.Join(dir, "none.json"), trecfmt.Limits{})
	assert.EqualError(t, err, filepath.Join(dir, "none.json")+": cannot open: no such file or directory")
}

func TestParseTolerance(t *testing.T) {
	tol, err := ParseTolerance(nil)
	require.NoError(t, err)
	assert.Equal(t, 1e-9, tol.For("ndcg@10"))

	tol, err = ParseTolerance([]string{"1e-6, regret@1=0.01", "tauw=0"})
	require.NoError(t, err)
	assert.Equal(t, 1e-6, tol.For("ndcg@10"))
	assert.Equal(t, 0.01, tol.For("regret@1"))
	assert.Equal(t, 0.0, tol.For("tauw"))
	assert.NoError(t, tol.CheckNames([]string{"ndcg@10", "regret@1", "tauw"}))
	assert.EqualError(t, tol.CheckNames([]string{"ndcg@10", "tauw"}), "--tolerance names regret@1, which is not among the compared measures (ndcg@10 tauw)")

	for spec, want := range map[string]string{
		"-1":            `--tolerance "-1": "-1" is not a non-negative number`,
		"x":             `--tolerance "x": "x" is not a non-negative number`,
		"NaN":           `--tolerance "NaN": "NaN" is not a non-negative number`,
		"Inf":           `--tolerance "Inf": "Inf" is not a non-negative number`,
		"ndcg@10=":      `--tolerance "ndcg@10=": "" is not a non-negative number`,
		"=0.1":          `--tolerance "=0.1": empty measure name before '='`,
		"1e-6,1e-7":     `--tolerance "1e-6,1e-7": the default tolerance is given twice`,
		"tauw=1,tauw=2": `--tolerance "tauw=1,tauw=2": measure tauw is given twice`,
		"":              `--tolerance "": "" is not a non-negative number`,
	} {
		_, err := ParseTolerance([]string{spec})
		assert.EqualError(t, err, want, spec)
	}
}

// got builds computed scores for runs a and b equal to twoRuns, then
// lets edit change them.
func got(t *testing.T, edit func(a, b *Scores)) []*Scores {
	t.Helper()
	f := mustParse(t, twoRuns)
	for _, s := range f.Runs {
		s.Line = 0
	}
	if edit != nil {
		edit(f.Runs[0], f.Runs[1])
	}
	return f.Runs
}

func TestCompare(t *testing.T) {
	nan := math.NaN()
	num := func(x float64) Value { return Value{x, true} }
	absent := Value{}
	null := Value{nan, true}
	for _, tc := range []struct {
		name    string
		tol     []string
		edit    func(a, b *Scores)
		checked int
		want    []Drift
		max     float64
	}{
		{name: "identical", checked: 14},
		{
			name:    "within default tolerance",
			edit:    func(a, b *Scores) { a.PerTopic["T1"]["ndcg@10"] += 5e-10 },
			checked: 14, max: 5e-10,
		},
		{
			name: "drift in one topic",
			edit: func(a, b *Scores) {
				a.PerTopic["T2"]["ndcg@10"] = 0.7
				a.PerTopic["T2"]["tauw"] = -0.999999
			},
			checked: 14,
			want: []Drift{
				{Run: "a", Topic: "T2", Measure: "ndcg@10", Expected: num(0.75), Got: num(0.7)},
				{Run: "a", Topic: "T2", Measure: "tauw", Expected: num(-1), Got: num(-0.999999)},
			},
		},
		{
			name:    "drift in all only",
			edit:    func(a, b *Scores) { b.All["ndcg@10"] = 0.5001 },
			checked: 14,
			want:    []Drift{{Run: "b", Topic: "all", IsAll: true, Measure: "ndcg@10", Expected: num(0.5), Got: num(0.5001)}},
		},
		{
			name:    "missing topic",
			edit:    func(a, b *Scores) { delete(b.PerTopic, "T1") },
			checked: 14,
			want: []Drift{
				{Run: "b", Topic: "T1", Measure: "ndcg@10", Expected: num(1), Got: absent},
				{Run: "b", Topic: "T1", Measure: "tauw", Expected: num(1), Got: absent},
			},
		},
		{
			name:    "extra topic",
			edit:    func(a, b *Scores) { a.PerTopic["T3"] = map[string]float64{"ndcg@10": 0} },
			checked: 15,
			want:    []Drift{{Run: "a", Topic: "T3", Measure: "ndcg@10", Expected: absent, Got: num(0)}},
		},
		{
			name: "null versus a number",
			edit: func(a, b *Scores) {
				b.PerTopic["T2"]["tauw"] = 0
				a.All["tauw"] = nan
			},
			checked: 14,
			want: []Drift{
				{Run: "a", Topic: "all", IsAll: true, Measure: "tauw", Expected: num(-0.375), Got: null},
				{Run: "b", Topic: "T2", Measure: "tauw", Expected: null, Got: num(0)},
			},
		},
		{
			name: "tolerance per measure",
			tol:  []string{"tauw=0.01"},
			edit: func(a, b *Scores) {
				a.PerTopic["T1"]["tauw"] = 0.255          // within 0.01
				a.PerTopic["T1"]["ndcg@10"] = 0.500001    // beyond the default 1e-9
				b.All["tauw"] = 0.98                      // beyond 0.01
				b.PerTopic["T1"]["ndcg@10"] = 1 + 0.5e-10 // within the default
			},
			checked: 14, max: 0.005000000000000004,
			want: []Drift{
				{Run: "b", Topic: "all", IsAll: true, Measure: "tauw", Expected: num(1), Got: num(0.98)},
				{Run: "a", Topic: "T1", Measure: "ndcg@10", Expected: num(0.5), Got: num(0.500001)},
			},
		},
		{
			name:    "zero tolerance",
			tol:     []string{"0"},
			edit:    func(a, b *Scores) { a.All["ndcg@10"] = math.Nextafter(0.625, 1) },
			checked: 14,
			want:    []Drift{{Run: "a", Topic: "all", IsAll: true, Measure: "ndcg@10", Expected: num(0.625), Got: num(0.6250000000000001)}},
		},
		{
			name: "measure missing and run missing",
			edit: func(a, b *Scores) {
				delete(a.All, "num_q")
				b.Run = "c"
				b.PerTopic = map[string]map[string]float64{}
				b.All = map[string]float64{"num_q": 2}
			},
			checked: 7 + 7 + 1,
			want: []Drift{
				{Run: "a", Topic: "all", IsAll: true, Measure: "num_q", Expected: num(2), Got: absent},
				{Run: "b", Topic: "T1", Measure: "ndcg@10", Expected: num(1), Got: absent},
				{Run: "b", Topic: "T1", Measure: "tauw", Expected: num(1), Got: absent},
				{Run: "b", Topic: "T2", Measure: "ndcg@10", Expected: num(0), Got: absent},
				{Run: "b", Topic: "T2", Measure: "tauw", Expected: null, Got: absent},
				{Run: "b", Topic: "all", IsAll: true, Measure: "ndcg@10", Expected: num(0.5), Got: absent},
				{Run: "b", Topic: "all", IsAll: true, Measure: "num_q", Expected: num(2), Got: absent},
				{Run: "b", Topic: "all", IsAll: true, Measure: "tauw", Expected: num(1), Got: absent},
				{Run: "c", Topic: "all", IsAll: true, Measure: "num_q", Expected: absent, Got: num(2)},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tol, err := ParseTolerance(tc.tol)
			require.NoError(t, err)
			rep, err := Compare(mustParse(t, twoRuns).Runs, got(t, tc.edit), tol)
			require.NoError(t, err)
			assert.Equal(t, tc.checked, rep.Checked)
			assert.InDelta(t, tc.max, rep.MaxDelta, 1e-15)
			require.Len(t, rep.Drifts, len(tc.want))
			for i, w := range tc.want {
				d := rep.Drifts[i]
				assert.Equal(t, w.Run+" "+w.Topic+" "+w.Measure+" "+w.Expected.String()+" "+w.Got.String(),
					d.Run+" "+d.Topic+" "+d.Measure+" "+d.Expected.String()+" "+d.Got.String(), "drift %d", i)
				assert.Equal(t, w.IsAll, d.IsAll, "drift %d", i)
			}
			if tc.name == "measure missing and run missing" {
				assert.Equal(t, []string{"b"}, rep.OnlyExpected)
				assert.Equal(t, []string{"c"}, rep.OnlyGot)
			} else {
				assert.Empty(t, rep.OnlyExpected)
				assert.Empty(t, rep.OnlyGot)
			}
		})
	}
}

func TestCompareDeltaAndTable(t *testing.T) {
	rep, err := Compare(mustParse(t, twoRuns).Runs, got(t, func(a, b *Scores) {
		a.PerTopic["T2"]["ndcg@10"] = 0.7
		b.All["ndcg@10"] = 0.5001
		delete(b.PerTopic, "T1")
		b.PerTopic["T2"]["tauw"] = 0
	}), Tolerance{Default: 1e-9})
	require.NoError(t, err)
	require.Len(t, rep.Drifts, 5)
	assert.InDelta(t, -0.05, rep.Drifts[3].Delta(), 1e-15)
	assert.True(t, math.IsNaN(rep.Drifts[0].Delta()))
	var buf bytes.Buffer
	require.NoError(t, WriteDrift(&buf, rep.Drifts))
	assert.Equal(t, strings.Join([]string{
		"┌─────┬───────┬─────────┬──────────┬────────┬─────────┐",
		"│ run │ topic │ measure │ expected │  got   │  delta  │",
		"├─────┼───────┼─────────┼──────────┼────────┼─────────┤",
		"│ b   │ T1    │ ndcg@10 │ 1        │ absent │ –       │",
		"│ b   │ T1    │ tauw    │ 1        │ absent │ –       │",
		"│ b   │ T2    │ tauw    │ null     │ 0      │ –       │",
		"│ a   │ T2    │ ndcg@10 │ 0.75     │ 0.7    │ -0.05   │",
		"│ b   │ all   │ ndcg@10 │ 0.5      │ 0.5001 │ +0.0001 │",
		"└─────┴───────┴─────────┴──────────┴────────┴─────────┘",
		"",
	}, "\n"), buf.String())
}

func TestCompareDuplicateGotTag(t *testing.T) {
	g := got(t, func(a, b *Scores) { b.Run = "a"; a.File, b.File = "x.run", "y.run" })
	_, err := Compare(nil, g, Tolerance{})
	assert.EqualError(t, err, `x.run and y.run both have run tag "a"; --expect matches runs by tag`)
}

// TestFromResults scores a tiny run and checks that
// FromResults holds what the JSON writer would write: per-topic values for
// every scored topic except num_q's, undefined values as NaN.
func TestFromResults(t *testing.T) {
	q := &eval.Qrels{File: "q", Topics: []string{"T1", "T2"}, ByID: map[string]*eval.TopicQrels{
		"T1": {Topic: "T1", Value: map[string]float64{"d1": 1, "d2": 0}, Docs: []string{"d1", "d2"}, Lines: []int{1, 2}},
		"T2": {Topic: "T2", Value: map[string]float64{"d1": 0}, Docs: []string{"d1"}, Lines: []int{3}},
	}}
	run := &eval.Run{File: "r.run", Tag: "r", Topics: []string{"T1", "T2"}, ByID: map[string]*eval.Ranking{
		"T1": {Topic: "T1", Entries: []eval.Entry{{Doc: "d2", Score: 2}, {Doc: "d1", Score: 1}}},
		"T2": {Topic: "T2", Entries: []eval.Entry{{Doc: "d1", Score: 1}}},
	}}
	ms, err := measure.ParseAll([]string{"num_q", "P_1", "recip_rank"})
	require.NoError(t, err)
	res := measure.Evaluate(q, run, measure.Config{Measures: ms})
	s := FromResults([]*measure.Result{res}, true)
	require.Len(t, s, 1)
	assert.Equal(t, "r", s[0].Run)
	assert.Equal(t, "r.run", s[0].File)
	assert.Equal(t, map[string]float64{"P_1": 0, "recip_rank": 0.5}, s[0].PerTopic["T1"])
	// T2 has no relevant document: trec_eval scores it 0. Measures come in
	// trec_eval's table order, as ParseAll puts them.
	assert.Equal(t, map[string]float64{"P_1": 0, "recip_rank": 0}, s[0].PerTopic["T2"])
	assert.Equal(t, map[string]float64{"num_q": 2, "P_1": 0, "recip_rank": 0.25}, s[0].All)
	assert.Equal(t, []string{"recip_rank", "P_1", "num_q"}, s[0].Measures)

	noTopics := FromResults([]*measure.Result{res}, false)
	assert.Empty(t, noTopics[0].PerTopic)
}
