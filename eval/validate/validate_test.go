package validate

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval/trecfmt"
)

// The test collection (testdata/): pool org/alpha org/beta org/gamma delta
// epsilon; topics cola rte sst2; qrels judge cola: alpha beta delta, rte:
// gamma epsilon, sst2: all five.
func testRules(t testing.TB, task Task) Rules {
	t.Helper()
	pool, err := trecfmt.ReadIDListFile("testdata/pool.txt", trecfmt.DefaultLimits)
	require.NoError(t, err)
	topics, err := trecfmt.ReadIDListFile("testdata/topics.txt", trecfmt.DefaultLimits)
	require.NoError(t, err)
	qrels, err := trecfmt.ReadQrelsFile("testdata/qrels.txt", trecfmt.DefaultLimits)
	require.NoError(t, err)
	return Rules{Task: task, Pool: pool, Topics: topics, Qrels: qrels}
}

// baseRun is a valid Subtask A run of the test collection: each topic ranks
// the pool in pool-file order with scores 0.9 … 0.5.
func baseRun() []string {
	var lines []string
	for _, topic := range []string{"cola", "rte", "sst2"} {
		for i, doc := range []string{"org/alpha", "org/beta", "org/gamma", "delta", "epsilon"} {
			lines = append(lines, topic+" Q0 "+doc+" "+string(rune('1'+i))+" 0."+string(rune('9'-i))+" myrun")
		}
	}
	return lines
}

// edit returns baseRun with line n (1-based) replaced; an empty text
// deletes it.
func edit(repl map[int]string) string {
	var b strings.Builder
	for i, l := range baseRun() {
		if r, ok := repl[i+1]; ok {
			if r == "" {
				continue
			}
			l = r
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}

func validateString(t *testing.T, r Rules, content string) *Report {
	t.Helper()
	v, err := NewValidator(r)
	require.NoError(t, err)
	lim := v.Rules().Limits
	src, err := trecfmt.NewSource("run.txt", io.NopCloser(strings.NewReader(content)), lim)
	require.NoError(t, err)
	defer src.Close()
	return v.Validate(src)
}

func problemStrings(rep *Report) []string {
	out := []string{}
	for _, p := range rep.Problems {
		out = append(out, p.String())
	}
	return out
}

func TestValidRun(t *testing.T) {
	for _, task := range []Task{TaskA, TaskB} {
		rep := validateString(t, testRules(t, task), edit(nil))
		assert.True(t, rep.Valid())
		assert.Empty(t, rep.Problems)
		assert.Equal(t, Report{File: "run.txt", Task: task, Tag: "myrun", Lines: 15, RunLines: 15, Topics: 3, TopicsExpected: 3,
			Complete: true, Problems: []Problem{}, Omitted: map[string]int{}},
			Report{File: rep.File, Task: rep.Task, Tag: rep.Tag, Lines: rep.Lines, RunLines: rep.RunLines, Topics: rep.Topics,
				TopicsExpected: rep.TopicsExpected, Complete: rep.Complete, Problems: rep.Problems, Omitted: rep.Omitted})
		assert.Equal(t, `run.txt: valid (Subtask `+string(task)+`; run tag "myrun"; 3 of 3 topics; 15 run lines)`, rep.Summary())
	}
}

const missingEffect = "Subtask A needs every pool model ranked exactly once per topic. If scored as is, a judged model missing from a run is tied below everything for τw, skipped for regret, and has gain 0 for nDCG; "

// TestMalformed pins the exact report of each rule. Most cases use
// Subtask B so that a changed line does not also count as a missing model.
func TestMalformed(t *testing.T) {
	long := "cola Q0 org/alpha 1 0.9 " + strings.Repeat("x", 5000)
	cases := []struct {
		name    string
		task    Task
		rules   func(*Rules)
		content string
		valid   bool
		want    []string
	}{
		{
			name: "fields", task: TaskB, content: edit(map[int]string{2: "cola Q0 org/beta 2 0.8"}),
			want: []string{"run.txt:2: error: expected 6 fields (topic Q0 docno rank score tag), found 5 [fields]"},
		},
		{
			name: "fields, too many", task: TaskB, content: edit(map[int]string{2: "cola Q0 org/beta 2 0.8 myrun extra"}),
			want: []string{"run.txt:2: error: expected 6 fields (topic Q0 docno rank score tag), found 7 [fields]"},
		},
		{
			name: "iteration column", task: TaskB, content: edit(map[int]string{3: "cola Q1 org/gamma 3 0.7 myrun"}),
			want: []string{`run.txt:3:6: error: the iteration column is "Q1"; it must be Q0 [iter]`},
		},
		{
			name: "iteration column 0 is a warning", task: TaskB, valid: true,
			content: edit(map[int]string{3: "cola 0 org/gamma 3 0.7 myrun", 7: "rte 0 org/beta 2 0.8 myrun"}),
			want:    []string{`run.txt:3: warning: the iteration column is "0" instead of "Q0" on 2 lines (accepted; trec_eval ignores this column) [iter-0]`},
		},
		{
			name: "rank not an integer", task: TaskB, content: edit(map[int]string{2: "cola Q0 org/beta 2.0 0.8 myrun"}),
			want: []string{`run.txt:2:18: error: rank "2.0" is not an integer [rank]`},
		},
		{
			name: "rank zero", task: TaskB, content: edit(map[int]string{1: "cola Q0 org/alpha 0 0.9 myrun"}),
			want: []string{`run.txt:1:19: error: rank 0 is not a positive integer (ranks start at 1) [rank]`},
		},
		{
			name: "rank negative", task: TaskB, content: edit(map[int]string{1: "cola Q0 org/alpha -1 0.9 myrun"}),
			want: []string{`run.txt:1:19: error: rank -1 is not a positive integer (ranks start at 1) [rank]`},
		},
		{
			name: "rank too large", task: TaskB, content: edit(map[int]string{5: "cola Q0 epsilon 3000000000 0.5 myrun"}),
			want: []string{`run.txt:5:17: error: rank 3000000000 is too large (at most 2147483647) [rank]`},
		},
		{
			name: "score not a number", task: TaskB, content: edit(map[int]string{2: "cola Q0 org/beta 2 high myrun"}),
			want: []string{`run.txt:2:20: error: score "high" is not a number [score]`},
		},
		{
			name: "score NaN", task: TaskB, content: edit(map[int]string{2: "cola Q0 org/beta 2 NaN myrun"}),
			want: []string{`run.txt:2:20: error: score "NaN" is not a finite number [score]`},
		},
		{
			name: "score overflows", task: TaskB, content: edit(map[int]string{2: "cola Q0 org/beta 2 1e400 myrun"}),
			want: []string{`run.txt:2:20: error: score "1e400" is not a finite number [score]`},
		},
		{
			name: "rank and score both bad: both reported", task: TaskB, content: edit(map[int]string{2: "cola Q0 org/beta two inf myrun"}),
			want: []string{
				`run.txt:2:18: error: rank "two" is not an integer [rank]`,
				`run.txt:2:22: error: score "inf" is not a finite number [score]`,
			},
		},
		{
			name: "run tag syntax", task: TaskB,
			content: strings.ReplaceAll(edit(nil), "myrun", "my/run"),
			want:    []string{`run.txt:1:25: error: run tag "my/run" is not valid: use 1 to 64 characters from A-Z a-z 0-9 _ . - [tag]`},
		},
		{
			name: "run tag too long", task: TaskB,
			content: strings.ReplaceAll(edit(nil), "myrun", strings.Repeat("r", 65)),
			want:    []string{`run.txt:1:25: error: run tag "` + strings.Repeat("r", 40) + `…" is not valid: use 1 to 64 characters from A-Z a-z 0-9 _ . - [tag]`},
		},
		{
			name: "run tag differs", task: TaskB,
			content: edit(map[int]string{4: "cola Q0 delta 4 0.6 other", 9: "rte Q0 delta 4 0.6 other", 12: "sst2 Q0 org/beta 2 0.8 third"}),
			want: []string{
				`run.txt:4:21: error: run tag "other" differs from "myrun" of line 1; every line must carry the same tag (2 lines) [tag-mismatch]`,
				`run.txt:12:24: error: run tag "third" differs from "myrun" of line 1; every line must carry the same tag [tag-mismatch]`,
			},
		},
		{
			name: "document not in the pool", task: TaskB,
			content: edit(map[int]string{2: "cola Q0 beta 2 0.8 myrun", 7: "rte Q0 beta 2 0.8 myrun", 12: "sst2 Q0 zeta 2 0.8 myrun"}),
			want: []string{
				`run.txt:2:9: error: document "beta" is not in the pool (did you mean "org/beta"?) (2 lines) [not-in-pool]`,
				`run.txt:12:9: error: document "zeta" is not in the pool [not-in-pool]`,
			},
		},
		{
			// With the organisation where the pool has none, and the other
			// organisation; then typos, by edit distance (budget 1 for
			// names under 10 bytes).
			name: "document with a wrong or extra organisation, or a typo", task: TaskB,
			content: edit(map[int]string{2: "cola Q0 google/delta 2 0.8 myrun", 7: "rte Q0 other/beta 2 0.8 myrun", 12: "sst2 Q0 org/gama 2 0.8 myrun", 13: "sst2 Q0 epsilom 3 0.7 myrun"}),
			want: []string{
				`run.txt:2:9: error: document "google/delta" is not in the pool (did you mean "delta"?) [not-in-pool]`,
				`run.txt:7:8: error: document "other/beta" is not in the pool (did you mean "org/beta"?) [not-in-pool]`,
				`run.txt:12:9: error: document "org/gama" is not in the pool (did you mean "org/gamma"?) [not-in-pool]`,
				`run.txt:13:9: error: document "epsilom" is not in the pool (did you mean "epsilon"?) [not-in-pool]`,
			},
		},
		{
			name: "document in another case", task: TaskB,
			content: edit(map[int]string{4: "cola Q0 Delta 4 0.6 myrun"}),
			want:    []string{`run.txt:4:9: error: document "Delta" is not in the pool (did you mean "delta"?) [not-in-pool]`},
		},
		{
			name: "topic not in the list", task: TaskB,
			content: edit(nil) + "mnli Q0 org/alpha 1 1 myrun\nmnli Q0 org/beta 2 0.5 myrun\n",
			want:    []string{`run.txt:16:1: error: topic "mnli" is not in the topic list (2 lines) [unknown-topic]`},
		},
		{
			name: "duplicate document", task: TaskB,
			content: edit(map[int]string{3: "cola Q0 org/alpha 3 0.7 myrun"}),
			want:    []string{`run.txt:3:9: error: document "org/alpha" appears twice for topic "cola" (lines 1 and 3) [duplicate]`},
		},
		{
			name: "repeated rank", task: TaskB, valid: true,
			content: edit(map[int]string{3: "cola Q0 org/gamma 2 0.7 myrun"}),
			want: []string{`run.txt:3: warning: topic "cola": rank 2 is given to both "org/beta" (line 2) and "org/gamma" (line 3). ` +
				`Ranks should be unique; trec_eval ignores them and the score order will be scored [rank-repeated]`},
		},
		{
			name: "ranks disagree with scores", task: TaskB, valid: true,
			// rte: beta rank 2 scores 0.4, below delta (0.6) and epsilon (0.5).
			content: edit(map[int]string{7: "rte Q0 org/beta 2 0.4 myrun"}),
			want: []string{`run.txt:7: warning: topic "rte": the rank column disagrees with the score order at 4 of 5 positions. ` +
				`Position 2 by rank is "org/beta" (rank 2, score 0.4), but by score (descending, ties by docno descending) it is "org/gamma" (line 8, rank 3, score 0.7). ` +
				`trec_eval ignores ranks: the score order will be scored [rank-order]`},
		},
		{
			name: "ranks disagree with a score tie", task: TaskB, valid: true,
			// delta and epsilon tie at 0.5: docno descending puts epsilon first.
			content: edit(map[int]string{14: "sst2 Q0 delta 4 0.5 myrun", 15: "sst2 Q0 epsilon 5 0.5 myrun"}),
			want: []string{`run.txt:14: warning: topic "sst2": the rank column disagrees with the score order at 2 of 5 positions. ` +
				`Position 4 by rank is "delta" (rank 4, score 0.5), but by score (descending, ties by docno descending) it is "epsilon" (line 15, rank 5, score 0.5); ` +
				`their scores tie, so the docno order decides. trec_eval ignores ranks: the score order will be scored [rank-order]`},
		},
		{
			name: "lines in any order are fine when ranks agree", task: TaskA, valid: true,
			content: "sst2 Q0 epsilon 5 0.5 myrun\n" + strings.Replace(edit(map[int]string{15: ""}), "cola Q0 org/beta 2 0.8 myrun\n", "", 1) +
				"cola Q0 org/beta 2 0.8 myrun\n",
			want: []string{},
		},
		{
			name: "missing topic", task: TaskB,
			content: edit(map[int]string{6: "", 7: "", 8: "", 9: "", 10: ""}),
			want: []string{`run.txt: error: topic "rte" of the topic list has no lines (an absent topic is scored as an empty ranking: ` +
				`nDCG 0 and the largest possible regret) [missing-topics]`},
		},
		{
			name: "missing topics", task: TaskB,
			content: "cola Q0 delta 1 1 myrun\n",
			want: []string{`run.txt: error: 2 of 3 topics of the topic list have no lines: "rte", "sst2" (an absent topic is scored as an empty ranking: ` +
				`nDCG 0 and the largest possible regret) [missing-topics]`},
		},
		{
			name: "Subtask A: missing models, judged", task: TaskA,
			content: edit(map[int]string{1: "", 4: "", 5: ""}),
			want: []string{`run.txt: error: topic "cola": 3 of 5 pool models are not ranked: "delta", "epsilon", "org/alpha". ` +
				missingEffect + `2 of them are judged for this topic [missing-models]`},
		},
		{
			name: "Subtask A: missing models, unjudged", task: TaskA,
			content: edit(map[int]string{6: ""}),
			want: []string{`run.txt: error: topic "rte": 1 of 5 pool models are not ranked: "org/alpha". ` +
				missingEffect + `none of them is judged for this topic, so its scores are unaffected [missing-models]`},
		},
		{
			name: "Subtask A: missing models, no qrels", task: TaskA, rules: func(r *Rules) { r.Qrels = nil },
			content: edit(map[int]string{12: ""}),
			want: []string{`run.txt: error: topic "sst2": 1 of 5 pool models are not ranked: "org/beta". ` +
				missingEffect + `the qrels are not available here to tell which of them are judged [missing-models]`},
		},
		{
			name: "a topic whose documents are all unknown is present, not missing", task: TaskA,
			content: edit(map[int]string{6: "rte Q0 nobody 1 1 myrun", 7: "", 8: "", 9: "", 10: ""}),
			want: []string{
				`run.txt:6:8: error: document "nobody" is not in the pool [not-in-pool]`,
				`run.txt: error: topic "rte": 5 of 5 pool models are not ranked: "delta", "epsilon", "org/alpha", "org/beta", "org/gamma". ` +
					missingEffect + `2 of them are judged for this topic [missing-models]`,
			},
		},
		{
			name: "Subtask B: depth", task: TaskB, rules: func(r *Rules) { r.Depth = 3 },
			content: edit(map[int]string{9: "", 10: ""}),
			want: []string{
				`run.txt:4: error: topic "cola" ranks 5 documents; Subtask B accepts at most 3 per topic (this line is number 4) [depth]`,
				`run.txt:12: error: topic "sst2" ranks 5 documents; Subtask B accepts at most 3 per topic (this line is number 4) [depth]`,
			},
		},
		{
			name: "UTF-8 byte order mark and CRLF", task: TaskA, valid: true,
			content: "\ufeff" + strings.ReplaceAll(edit(nil), "\n", "\r\n"),
			want: []string{
				`run.txt:1: warning: 15 lines end in CRLF (Windows line ends; accepted, the normalised run uses LF) [crlf]`,
				`run.txt:1:1: warning: the file starts with a UTF-8 byte order mark (accepted; the normalised run has none) [bom]`,
			},
		},
		{
			name: "NUL byte", task: TaskB, content: edit(map[int]string{2: "cola Q0 org/beta 2 0.8 my\x00run"}),
			want: []string{`run.txt:2:26: error: NUL byte in line (binary file?) [nul]`},
		},
		{
			name: "byte order mark inside the file", task: TaskB,
			content: edit(map[int]string{6: "\ufeffrte Q0 org/alpha 1 0.9 myrun"}),
			want:    []string{`run.txt:6:1: error: byte order mark (U+FEFF) inside the file (were files with byte order marks concatenated?) [bom-inside]`},
		},
		{
			name: "invalid UTF-8", task: TaskB, content: edit(map[int]string{2: "cola Q0 org/b\xe9ta 2 0.8 myrun"}),
			want: []string{
				`run.txt:2:9: error: document "org/b\xe9ta" is not in the pool [not-in-pool]`,
				`run.txt:2:14: error: invalid UTF-8 byte 0xe9 (the file must be UTF-8 encoded) [utf8]`,
			},
		},
		{
			name: "UTF-16", task: TaskA, content: "\xff\xfec\x00o\x00l\x00a\x00",
			want: []string{`run.txt:1:1: error: the file is UTF-16 encoded (it starts with a UTF-16 byte order mark); save it as UTF-8 [encoding]`},
		},
		{
			name: "line too long", task: TaskB, content: edit(map[int]string{1: long}),
			want: []string{`run.txt:1: error: line longer than 4096 bytes (raise --max-line if this is intended) [line-length]`},
		},
		{
			name: "empty file", task: TaskA, content: "\n  \n",
			want: []string{`run.txt: error: the file has no run lines [empty]`},
		},
		{
			name: "size limit", task: TaskA, rules: func(r *Rules) { r.Limits.MaxBytes = 100 },
			content: edit(nil),
			want: []string{`run.txt:4: error: input too large: more than 100 bytes (raise --max-bytes if this is intended); ` +
				`reading stopped here and the whole-file checks were skipped [too-large]`},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := testRules(t, tc.task)
			if tc.rules != nil {
				tc.rules(&r)
			}
			rep := validateString(t, r, tc.content)
			assert.Equal(t, tc.want, problemStrings(rep))
			assert.Equal(t, tc.valid, rep.Valid(), rep.Summary())
		})
	}
}

// TestOneLineManyProblems: every independent field problem of a line is
// reported, not just the first.
func TestOneLineManyProblems(t *testing.T) {
	rep := validateString(t, testRules(t, TaskB), edit(map[int]string{2: "bogus Q9 nothing 0 x other"}))
	assert.Equal(t, []string{
		`run.txt:2:1: error: topic "bogus" is not in the topic list [unknown-topic]`,
		`run.txt:2:7: error: the iteration column is "Q9"; it must be Q0 [iter]`,
		`run.txt:2:10: error: document "nothing" is not in the pool [not-in-pool]`,
		`run.txt:2:18: error: rank 0 is not a positive integer (ranks start at 1) [rank]`,
		`run.txt:2:20: error: score "x" is not a number [score]`,
		`run.txt:2:22: error: run tag "other" differs from "myrun" of line 1; every line must carry the same tag [tag-mismatch]`,
	}, problemStrings(rep))
	assert.Equal(t, 6, rep.Errors)
}

// TestCap: problems beyond MaxPerKind are counted, and the text report
// says how many were left out.
func TestCap(t *testing.T) {
	var b strings.Builder
	b.WriteString(edit(nil))
	for i := 0; i < 30; i++ {
		b.WriteString("cola Q0 org/alpha\n")
	}
	r := testRules(t, TaskA)
	r.MaxPerKind = 2
	rep := validateString(t, r, b.String())
	assert.Equal(t, 30, rep.Errors)
	assert.Equal(t, map[string]int{"fields": 28}, rep.Omitted)
	var out bytes.Buffer
	require.NoError(t, rep.WriteText(&out))
	assert.Equal(t, `run.txt:16: error: expected 6 fields (topic Q0 docno rank score tag), found 3 [fields]
run.txt:17: error: expected 6 fields (topic Q0 docno rank score tag), found 3 [fields]
run.txt: ... and 28 more like this [fields]
run.txt: INVALID: 30 errors (Subtask A; run tag "myrun"; 3 of 3 topics; 45 run lines)
`, out.String())
}

func TestJSON(t *testing.T) {
	rep := validateString(t, testRules(t, TaskB), edit(map[int]string{2: "cola Q0 org/beta 2 0.8 other"}))
	var out bytes.Buffer
	require.NoError(t, WriteJSON(&out, []*Report{rep}))
	assert.JSONEq(t, `{
  "valid": false,
  "files": [{
    "file": "run.txt", "task": "B", "tag": "myrun", "lines": 15, "run_lines": 15, "topics": 3, "topics_expected": 3,
    "errors": 1, "warnings": 0, "complete": true, "omitted": {},
    "problems": [{"file": "run.txt", "line": 2, "column": 24, "code": "tag-mismatch", "severity": "error",
      "message": "run tag \"other\" differs from \"myrun\" of line 1; every line must carry the same tag"}],
    "valid": false,
    "summary": "run.txt: INVALID: 1 error (Subtask B; run tag \"myrun\"; 3 of 3 topics; 15 run lines)"
  }]
}`, out.String())
}

func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, data, 0o644))
	return p
}

func gzipBytes(t testing.TB, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, err := zw.Write(data)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return b.Bytes()
}

// TestFiles covers what only a file on disk has: the size check before
// reading, gzip, and unopenable files.
func TestFiles(t *testing.T) {
	v, err := NewValidator(testRules(t, TaskA))
	require.NoError(t, err)

	t.Run("gzip run is read transparently", func(t *testing.T) {
		p := writeTemp(t, "run.gz", gzipBytes(t, []byte(edit(nil))))
		rep := v.ValidateFile(p)
		assert.True(t, rep.Valid(), rep.Summary())
		assert.Equal(t, 15, rep.RunLines)
	})
	t.Run("oversized file is refused before reading", func(t *testing.T) {
		r := testRules(t, TaskA)
		r.Limits.MaxBytes = 100
		small, err := NewValidator(r)
		require.NoError(t, err)
		p := writeTemp(t, "run.txt", []byte(edit(nil)))
		rep := small.ValidateFile(p)
		assert.Equal(t, []Problem{{File: p, Code: CodeTooLarge, Severity: Error,
			Msg: "the file is 424 bytes, more than the limit of 100 bytes"}}, rep.Problems)
		assert.Equal(t, 0, rep.Lines)
		assert.False(t, rep.Complete)
	})
	t.Run("gzip bomb", func(t *testing.T) {
		// 16 MiB of blank lines compress about 1000 times.
		p := writeTemp(t, "bomb.gz", gzipBytes(t, bytes.Repeat([]byte("\n"), 16<<20)))
		rep := v.ValidateFile(p)
		require.Len(t, rep.Problems, 1)
		got := rep.Problems[0]
		assert.Equal(t, CodeGzipBomb, got.Code)
		assert.Equal(t, "input too large: gzip expands more than 100 times (a decompression bomb? raise --max-gzip-ratio if the file is genuine); "+
			"reading stopped here and the whole-file checks were skipped", got.Msg)
		// The ratio is judged on the compressed bytes read so far, which
		// include the reader's 64 KiB read-ahead: here the whole 16 KiB
		// file, so reading stops after about 100 × 16 KiB of output (and
		// never before 1 MiB, where headers could dominate).
		assert.Greater(t, got.Line, 1<<20)
		assert.Less(t, got.Line, 4<<20, "stops long before the 16 MiB")
		assert.False(t, rep.Valid())
	})
	t.Run("gzip beyond the size limit", func(t *testing.T) {
		r := testRules(t, TaskA)
		r.Limits.MaxBytes = 200
		small, err := NewValidator(r)
		require.NoError(t, err)
		p := writeTemp(t, "run.gz", gzipBytes(t, []byte(edit(nil))))
		rep := small.ValidateFile(p)
		require.Len(t, rep.Problems, 1)
		assert.Equal(t, CodeTooLarge, rep.Problems[0].Code)
		assert.Equal(t, "input too large: more than 200 bytes (raise --max-bytes if this is intended); "+
			"reading stopped here and the whole-file checks were skipped", rep.Problems[0].Msg)
	})
	t.Run("truncated gzip", func(t *testing.T) {
		z := gzipBytes(t, []byte(edit(nil)))
		p := writeTemp(t, "run.gz", z[:len(z)-10])
		rep := v.ValidateFile(p)
		require.Len(t, rep.Problems, 1)
		assert.Equal(t, CodeGzip, rep.Problems[0].Code)
		assert.Equal(t, "bad gzip data: unexpected EOF; reading stopped here and the whole-file checks were skipped", rep.Problems[0].Msg)
	})
	t.Run("not gzip after the magic number", func(t *testing.T) {
		p := writeTemp(t, "run.gz", []byte{0x1f, 0x8b, 0, 0})
		rep := v.ValidateFile(p)
		assert.Equal(t, []Problem{{File: p, Code: CodeGzip, Severity: Error, Msg: "bad gzip data: unexpected EOF"}}, rep.Problems)
	})
	t.Run("missing file", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "nope.run")
		rep := v.ValidateFile(p)
		assert.Equal(t, []Problem{{File: p, Code: CodeOpen, Severity: Error, Msg: "cannot open: no such file or directory"}}, rep.Problems)
	})
	t.Run("directory", func(t *testing.T) {
		d := t.TempDir()
		rep := v.ValidateFile(d)
		assert.Equal(t, []Problem{{File: d, Code: CodeOpen, Severity: Error, Msg: "is a directory, not a file"}}, rep.Problems)
	})
}

func TestNewValidatorRejectsBadRules(t *testing.T) {
	good := testRules(t, TaskA)
	cases := []struct {
		name string
		edit func(*Rules)
		want string
	}{
		{"no task", func(r *Rules) { r.Task = "" }, "validate: no task given (A or B)"},
		{"bad task", func(r *Rules) { r.Task = "C" }, `validate: unknown task "C" (want A or B)`},
		{"empty pool", func(r *Rules) { r.Pool = nil }, "validate: the pool is empty"},
		{"empty topics", func(r *Rules) { r.Topics = nil }, "validate: the topic list is empty"},
		{"duplicate pool", func(r *Rules) { r.Pool = append(r.Pool, "delta") }, `validate: pool lists "delta" twice`},
		{"duplicate topic", func(r *Rules) { r.Topics = append(r.Topics, "rte") }, `validate: topic list names "rte" twice`},
		{"qrels outside pool", func(r *Rules) { r.Pool = r.Pool[1:] }, `validate: testdata/qrels.txt:1 judges "org/alpha" for topic "cola", which is not in the pool`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := good
			r.Pool = append([]string(nil), good.Pool...)
			r.Topics = append([]string(nil), good.Topics...)
			tc.edit(&r)
			_, err := NewValidator(r)
			assert.EqualError(t, err, tc.want)
		})
	}
}

// TestNormalFormMatchesTrecfmt: the normal form is what trecfmt.WriteRun
// writes for the run trecfmt.ReadRun reads, whatever the order, line ends,
// number formats and rank column of the input.
func TestNormalFormMatchesTrecfmt(t *testing.T) {
	input := "\ufeffsst2 0 delta 9 5e-1 myrun\r\n" +
		"cola Q0 org/beta 1 0.80 myrun\r\n" +
		"rte\tQ0\torg/gamma 3 +0.7 myrun\n\n" +
		"cola Q0 org/alpha 2 0.9 myrun\n" +
		"sst2 Q0 epsilon 1 0.5 myrun\n" +
		"sst2 Q0 org/alpha 2 1E0 myrun"
	r := testRules(t, TaskB)
	v, err := NewValidator(r)
	require.NoError(t, err)
	src, err := trecfmt.NewSource("run.txt", io.NopCloser(strings.NewReader(input)), v.Rules().Limits)
	require.NoError(t, err)
	rep, nr := v.Normalise(src)
	require.True(t, rep.Valid(), rep.Summary())
	require.NotNil(t, nr)
	var got bytes.Buffer
	n, err := nr.WriteTo(&got)
	require.NoError(t, err)
	assert.Equal(t, int64(got.Len()), n)
	assert.Equal(t, "cola Q0 org/alpha 1 0.9 myrun\n"+
		"cola Q0 org/beta 2 0.8 myrun\n"+
		"rte Q0 org/gamma 1 0.7 myrun\n"+
		"sst2 Q0 org/alpha 1 1 myrun\n"+
		"sst2 Q0 epsilon 2 0.5 myrun\n"+
		"sst2 Q0 delta 3 0.5 myrun\n", got.String())
	assert.Equal(t, trecfmtNormal(t, input), got.String())
}

func trecfmtNormal(t testing.TB, input string) string {
	t.Helper()
	src, err := trecfmt.NewSource("run.txt", io.NopCloser(strings.NewReader(input)), trecfmt.DefaultLimits)
	require.NoError(t, err)
	run, err := trecfmt.ReadRun(src, trecfmt.DefaultLimits)
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, trecfmt.WriteRun(&b, run))
	return b.String()
}

func TestNormaliseInvalidGivesNil(t *testing.T) {
	v, err := NewValidator(testRules(t, TaskA))
	require.NoError(t, err)
	src, err := trecfmt.NewSource("run.txt", io.NopCloser(strings.NewReader("cola Q0 delta 1 1 myrun\n")), v.Rules().Limits)
	require.NoError(t, err)
	rep, nr := v.Normalise(src)
	assert.False(t, rep.Valid())
	assert.Nil(t, nr)
}

func TestCommas(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 12345: "12,345", 1234567: "1,234,567", -1234: "-1,234"} {
		assert.Equal(t, want, Commas(n))
	}
}

func TestParseTask(t *testing.T) {
	for in, want := range map[string]Task{"A": TaskA, "a": TaskA, "B": TaskB, "b": TaskB} {
		got, err := ParseTask(in)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	_, err := ParseTask("C")
	assert.EqualError(t, err, `unknown task "C" (want A or B)`)
}
