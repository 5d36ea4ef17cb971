package stylematch

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/baselines/metadata"
	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/subtaskb"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
)

func runText(t *testing.T, run *eval.Run) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, trecfmt.WriteRun(&b, run))
	return b.String()
}

// Topics t1 = (1, 0) and t2 = (0, 2); LoRAs l1 = (1, 1), l2 = (3, 0),
// l3 = (0, −1). Cosines: t1: l1 1/√2, l2 1, l3 0; t2: l1 1/√2, l2 0, l3 −1.
func handEmbeddings() (*Embeddings, *Embeddings) {
	te := &Embeddings{IDs: []string{"t2", "t1"}, Dim: 2, Data: []float64{0, 2, 1, 0}, Source: "topics.npy"}
	le := &Embeddings{IDs: []string{"l1", "l2", "l3"}, Dim: 2, Data: []float64{1, 1, 3, 0, 0, -1}, Source: "loras.npy"}
	return te, le
}

func TestEmbedSimByHand(t *testing.T) {
	te, le := handEmbeddings()
	run, err := EmbedSim([]string{"t1", "t2"}, []string{"l1", "l2", "l3"}, te, le, 2, "es")
	require.NoError(t, err)
	s := trecfmt.FormatScore(1 / math.Sqrt(2))
	assert.Equal(t, "t1 Q0 l2 1 1 es\nt1 Q0 l1 2 "+s+" es\nt2 Q0 l1 1 "+s+" es\nt2 Q0 l2 2 0 es\n", runText(t, run))
	// Depth beyond the pool: everything, the −1 last.
	run, err = EmbedSim([]string{"t1", "t2"}, []string{"l1", "l2", "l3"}, te, le, 100, "es")
	require.NoError(t, err)
	assert.Len(t, run.ByID["t2"].Entries, 3)
	assert.Equal(t, eval.Entry{Doc: "l3", Score: -1, Rank: 3}, run.ByID["t2"].Entries[2])
}

func TestEmbedSimErrors(t *testing.T) {
	te, le := handEmbeddings()
	_, err := EmbedSim([]string{"t1", "t2"}, []string{"l1", "l2", "l3", "l4"}, te, le, 2, "es")
	assert.EqualError(t, err, `loras.npy: no embedding for LoRA "l4"`)
	_, err = EmbedSim([]string{"t1", "t2"}, []string{"l1", "l2"}, te, le, 2, "es")
	assert.EqualError(t, err, `loras.npy: row of "l3", which is not a LoRA of the collection (embeddings of another pool or topic set?)`)
	_, err = EmbedSim([]string{"t1"}, []string{"l1", "l2", "l3"}, te, le, 2, "es")
	assert.EqualError(t, err, `topics.npy: row of "t2", which is not a topic of the collection (embeddings of another pool or topic set?)`)
	zero := &Embeddings{IDs: []string{"l1", "l2", "l3"}, Dim: 2, Data: []float64{1, 1, 0, 0, 0, -1}, Source: "z.npy"}
	_, err = EmbedSim([]string{"t1", "t2"}, []string{"l1", "l2", "l3"}, te, zero, 2, "es")
	assert.EqualError(t, err, `z.npy: the embedding of LoRA "l2" is the zero vector`)
	dup := &Embeddings{IDs: []string{"l1", "l1", "l3"}, Dim: 2, Data: le.Data, Source: "d.npy"}
	_, err = EmbedSim([]string{"t1", "t2"}, []string{"l1", "l3"}, te, dup, 2, "es")
	assert.EqualError(t, err, `d.npy: LoRA "l1" names two rows`)
	wide := &Embeddings{IDs: []string{"l1"}, Dim: 3, Data: []float64{1, 2, 3}, Source: "w.npy"}
	_, err = EmbedSim([]string{"t1", "t2"}, []string{"l1"}, te, wide, 2, "es")
	assert.EqualError(t, err, "embed-sim: topic embeddings have dimension 2 (topics.npy), LoRA embeddings 3 (w.npy)")
	_, err = EmbedSim([]string{"t1", "t2"}, []string{"l1", "l2", "l3"}, te, le, 0, "es")
	assert.EqualError(t, err, "depth 0 must be at least 1")
}

func TestReadEmbeddings(t *testing.T) {
	dir := t.TempDir()
	data, err := EncodeNpy(2, 3, []float32{1, 2, 3, 4, 5, 0.1})
	require.NoError(t, err)
	// numpy's own header for this array: magic, version 1.0, length 118.
	assert.Equal(t, "\x93NUMPY\x01\x00v\x00{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", string(data[:69]))
	assert.Equal(t, byte('\n'), data[127], "header ends in a newline at byte 128")
	assert.Equal(t, 128+6*4, len(data), "header padded to 64 bytes")
	npy := filepath.Join(dir, "e.npy")
	require.NoError(t, os.WriteFile(npy, data, 0o644))
	ids := filepath.Join(dir, "e.ids")
	require.NoError(t, os.WriteFile(ids, []byte("a\nb\n"), 0o644))
	e, err := ReadEmbeddings(npy, ids)
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b"}, e.IDs)
	assert.Equal(t, 3, e.Dim)
	assert.Equal(t, []float64{4, 5, float64(float32(0.1))}, e.Row(1))

	require.NoError(t, os.WriteFile(ids, []byte("a\n"), 0o644))
	_, err = ReadEmbeddings(npy, ids)
	assert.EqualError(t, err, ids+" names 1 rows, but "+npy+" has 2 rows")
	_, err = EncodeNpy(2, 2, []float32{1})
	assert.EqualError(t, err, "npy: 1 values for a 2×2 matrix")
}

func TestLoRATerms(t *testing.T) {
	l := subtaskb.LoRA{Name: "Soft Watercolor v2", Tags: []string{"oil painting", "the pastels"}, TriggerWords: []string{"wtrclr01"}}
	assert.Equal(t, []string{"soft", "watercolor", "oil", "painting", "pastel", "wtrclr"}, LoRATerms(l))
}

func TestTagMatchByHand(t *testing.T) {
	pool := []subtaskb.LoRA{
		{ID: "l1", Name: "Watercolor Dream", Tags: []string{"pastel"}},
		{ID: "l2", Name: "Pixel Art", Tags: []string{"retro"}},
		{ID: "l3", Name: "Oil"},
	}
	topics := []subtaskb.Topic{
		{ID: "t1", Description: "A pastel watercolor harbour"},
		{ID: "t2", Description: "A retro game"},
		{ID: "t3", Description: "Nothing in common"},
	}
	run, notes, err := TagMatch(topics, pool, metadata.DefaultBM25, 10, "tm")
	require.NoError(t, err)
	assert.Equal(t, []string{"tag-match: the description of topic t3 shares no term with any LoRA; the run leaves the topic out"}, notes)
	// Documents: l1 = watercolor dream pastel (3 terms), l2 = pixel art
	// retro (3), l3 = oil (1): N = 3, avgdl = 7/3. Each query term is in
	// one document: idf = ln(1 + 2.5/1.5). For l1, K = 1.2·(0.25 +
	// 0.75·3/(7/3)) and each of its two matching terms adds idf·2.2/(1 + K).
	idf := math.Log(1 + 2.5/1.5)
	k := 1.2 * (0.25 + 0.75*3/(7.0/3))
	require.Len(t, run.ByID["t1"].Entries, 1)
	assert.Equal(t, "l1", run.ByID["t1"].Entries[0].Doc)
	assert.InDelta(t, 2*idf*2.2/(1+k), run.ByID["t1"].Entries[0].Score, 1e-12)
	assert.InDelta(t, idf*2.2/(1+k), run.ByID["t2"].Entries[0].Score, 1e-12)
	assert.Equal(t, []string{"t1", "t2"}, run.Topics)

	_, _, err = TagMatch(topics, pool, metadata.BM25Params{K1: 1.2, B: 2}, 10, "tm")
	assert.EqualError(t, err, "tag-match: BM25 needs k1 ≥ 0 and 0 ≤ b ≤ 1, got k1 = 1.2, b = 2")
}

func TestTruncateKeepsEvaluationOrder(t *testing.T) {
	// Ties at the cut: docno descending decides, as trec_eval orders them.
	run := trecfmt.NewRun("x", map[string]map[string]float64{"t": {"a": 1, "b": 1, "c": 1, "d": 2}})
	Truncate(run, 2)
	assert.Equal(t, "t Q0 d 1 2 x\nt Q0 c 2 1 x\n", runText(t, run))
}
