package trecfmt

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval"
)

// smallDocStore shrinks the interner to 256 docnos and arena blocks to
// 512 bytes for the test.
func smallDocStore(t *testing.T) {
	interned, arena := maxInterned, arenaSize
	maxInterned, arenaSize = 256, 512
	t.Cleanup(func() { maxInterned, arenaSize = interned, arena })
}

// TestReadRunManyDistinctDocs crosses the interner's capacity, so that
// docnos come from the interner (the first 256), then from arena blocks
// after lookups in the full interner (the next 256, none found there),
// then from arena blocks without lookups (the last 888), and checks
// every entry's docno, score, rank and line, and a duplicate found among
// the last docnos.
func TestReadRunManyDistinctDocs(t *testing.T) {
	smallDocStore(t)
	const topics, perTopic = 70, 20
	var b strings.Builder
	for q := range topics {
		for d := range perTopic {
			fmt.Fprintf(&b, "q%02d Q0 doc-%06d %d %d.5 tag\n", q, q*perTopic+d, d+1, perTopic-d)
		}
	}
	text := b.String()
	run, err := readRunString(t, text, DefaultLimits)
	require.NoError(t, err)
	require.Len(t, run.Topics, topics)
	for q := range topics {
		r := run.ByID[fmt.Sprintf("q%02d", q)]
		require.Len(t, r.Entries, perTopic)
		for d, e := range r.Entries {
			want := eval.Entry{Doc: fmt.Sprintf("doc-%06d", q*perTopic+d), Score: float64(perTopic-d) + 0.5,
				Rank: int32(d + 1), Line: int32(q*perTopic + d + 1)}
			if e != want {
				t.Fatalf("topic %d entry %d: got %+v, want %+v", q, d, e, want)
			}
		}
	}

	dup := text + "q69 Q0 doc-001390 21 0.1 tag\n"
	_, err = readRunString(t, dup, DefaultLimits)
	assert.EqualError(t, err, `run.txt:1401: document "doc-001390" appears twice for topic "q69" (lines 1391 and 1401)`)
}

// TestReadRunRecurringDocs checks that docnos ranked for every topic are
// shared strings and that a docno whose bytes are reused by the scanner
// keeps its value (the interner copies).
func TestReadRunRecurringDocs(t *testing.T) {
	text := "t1 Q0 m/a 1 3 x\nt1 Q0 m/b 2 2 x\nt2 Q0 m/b 1 5 x\nt2 Q0 m/a 2 4 x\nt1 Q0 m/c 3 1 x\n"
	run, err := readRunString(t, text, DefaultLimits)
	require.NoError(t, err)
	var got []string
	for _, topic := range run.Topics {
		for _, e := range run.ByID[topic].Entries {
			got = append(got, topic+":"+e.Doc)
		}
	}
	assert.Equal(t, []string{"t1:m/a", "t1:m/b", "t1:m/c", "t2:m/b", "t2:m/a"}, got)
	assert.Equal(t, []int32{1, 2, 5}, []int32{run.ByID["t1"].Entries[0].Line, run.ByID["t1"].Entries[1].Line, run.ByID["t1"].Entries[2].Line})
}

// TestReadQrelsManyDistinctDocs is TestReadRunManyDistinctDocs for qrels.
func TestReadQrelsManyDistinctDocs(t *testing.T) {
	smallDocStore(t)
	const topics, perTopic = 70, 20
	var b strings.Builder
	for q := range topics {
		for d := range perTopic {
			fmt.Fprintf(&b, "q%02d 0 doc-%06d %d\n", q, q*perTopic+d, d%4)
		}
	}
	text := b.String()
	qrels, err := ReadQrels(source([]byte(text)), DefaultLimits)
	require.NoError(t, err)
	require.Len(t, qrels.Topics, topics)
	for q := range topics {
		tq := qrels.ByID[fmt.Sprintf("q%02d", q)]
		require.Len(t, tq.Docs, perTopic)
		require.Len(t, tq.Value, perTopic)
		for d, doc := range tq.Docs {
			want := fmt.Sprintf("doc-%06d", q*perTopic+d)
			if doc != want || tq.Value[want] != float64(d%4) || tq.Lines[d] != q*perTopic+d+1 {
				t.Fatalf("topic %d judgment %d: got %q value %v line %d", q, d, doc, tq.Value[want], tq.Lines[d])
			}
		}
	}

	dup := text + "q69 0 doc-001390 1\n"
	_, err = ReadQrels(source([]byte(dup)), DefaultLimits)
	assert.EqualError(t, err, `bench:1401: document "doc-001390" is judged twice for topic "q69" (lines 1391 and 1401)`)
}

// TestDocStoreStopsLookingUp: with an interner of 4, a window of 4
// lookups finding none stops the lookups, also after more than 4 hits
// before the interner filled; every docno is right either way.
func TestDocStoreStopsLookingUp(t *testing.T) {
	interned, arena := maxInterned, arenaSize
	maxInterned, arenaSize = 4, 8
	t.Cleanup(func() { maxInterned, arenaSize = interned, arena })
	docs := []string{"a", "b", "a", "c", "a", "a", "a", "a", "a", "d", "e", "f", "g", "h", "i", "j", "a"}
	r := &eval.Ranking{Entries: make([]eval.Entry, len(docs))}
	d := newDocStore()
	var skipped []bool
	for i, doc := range docs {
		d.set(r, i, []byte(doc))
		skipped = append(skipped, d.skipIntern)
	}
	d.flush()
	for i, doc := range docs {
		assert.Equal(t, doc, r.Entries[i].Doc, "entry %d", i)
	}
	// a b c d fill the interner between 6 hits of a; e, the first miss,
	// ends the first window (6 hits in 7 lookups: lookups go on); f g h i
	// make the next one without a hit.
	assert.Equal(t, []bool{false, false, false, false, false, false, false, false, false, false,
		false, false, false, false, true, true, true}, skipped)
	assert.Len(t, d.interned, 4)
}
