// Package stylematch holds the Subtask B baselines, which rank the pool of
// style LoRAs for a topic (a desired style image): embed-sim, the cosine
// similarity of image embeddings, and tag-match, BM25 between the topic's
// description and each LoRA's name, tags and trigger words. Both write at
// most a depth of documents per topic, as Subtask B runs must. Their
// fusion is `mreval fuse`. See docs/subtask-b.md.
package stylematch

import (
	"fmt"
	"math"
	"slices"

	"github.com/ntcir-pmr/mreval/baselines/transfer"
	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/ntcir-pmr/mreval/internal/numeric"
)

// DefaultDepth is how many LoRAs a baseline ranks per topic: the Subtask B
// limit of the validator.
const DefaultDepth = 100

// Embeddings are row vectors named by ids: row i of Data (Dim values) is
// the embedding of IDs[i].
type Embeddings struct {
	IDs  []string
	Dim  int
	Data []float64
	// Source names the files in messages.
	Source string
}

// Row returns the embedding of row i.
func (e *Embeddings) Row(i int) []float64 { return e.Data[i*e.Dim : (i+1)*e.Dim] }

// ReadEmbeddings reads an N×D float32 or float64 .npy matrix and its ids
// file (N identifiers, one per line, naming the rows in order).
func ReadEmbeddings(npyPath, idsPath string) (*Embeddings, error) {
	m, err := transfer.ReadFeatures(npyPath)
	if err != nil {
		return nil, err
	}
	ids, err := trecfmt.ReadIDListFile(idsPath, trecfmt.DefaultLimits)
	if err != nil {
		return nil, err
	}
	if len(ids) != m.Rows {
		return nil, fmt.Errorf("%s names %d rows, but %s has %d rows", idsPath, len(ids), npyPath, m.Rows)
	}
	return &Embeddings{IDs: ids, Dim: m.Cols, Data: m.Data, Source: npyPath}, nil
}

// align returns, for each wanted id, its row in e. Every wanted id must
// have a row, and every row must be wanted: a stray row means the
// embeddings were made for another pool or topic set.
func (e *Embeddings) align(want []string, what string) ([]int, error) {
	row := make(map[string]int, len(e.IDs))
	for i, id := range e.IDs {
		if _, dup := row[id]; dup {
			return nil, fmt.Errorf("%s: %s %q names two rows", e.Source, what, id)
		}
		row[id] = i
	}
	out := make([]int, len(want))
	wanted := make(map[string]bool, len(want))
	for i, id := range want {
		r, ok := row[id]
		if !ok {
			return nil, fmt.Errorf("%s: no embedding for %s %q", e.Source, what, id)
		}
		out[i] = r
		wanted[id] = true
	}
	for _, id := range e.IDs {
		if !wanted[id] {
			return nil, fmt.Errorf("%s: row of %q, which is not a %s of the collection (embeddings of another pool or topic set?)", e.Source, id, what)
		}
	}
	return out, nil
}

// EmbedSim ranks, for each topic, the pool's LoRAs by the cosine
// similarity of the topic image's embedding and the LoRA's embedding:
//
//	score(t, l) = Σ_i x_t,i·y_l,i / (‖x_t‖·‖y_l‖)
//
// and keeps the first depth in evaluation order (score descending, ties
// by lora_id descending). The embeddings must cover exactly the topics
// and the pool, with one dimension; a zero vector (no direction) is an
// error. Sums run in index order with explicit float64 conversions of
// products, so the run is byte-identical on every machine.
func EmbedSim(topics, pool []string, te, le *Embeddings, depth int, tag string) (*eval.Run, error) {
	if te.Dim != le.Dim {
		return nil, fmt.Errorf("embed-sim: topic embeddings have dimension %d (%s), LoRA embeddings %d (%s)", te.Dim, te.Source, le.Dim, le.Source)
	}
	trow, err := te.align(topics, "topic")
	if err != nil {
		return nil, err
	}
	lrow, err := le.align(pool, "LoRA")
	if err != nil {
		return nil, err
	}
	lnorm := make([]float64, len(pool))
	for i, r := range lrow {
		if lnorm[i] = norm(le.Row(r)); lnorm[i] == 0 {
			return nil, fmt.Errorf("%s: the embedding of LoRA %q is the zero vector", le.Source, pool[i])
		}
	}
	scores := make(map[string]map[string]float64, len(topics))
	for ti, topic := range topics {
		x := te.Row(trow[ti])
		xn := norm(x)
		if xn == 0 {
			return nil, fmt.Errorf("%s: the embedding of topic %q is the zero vector", te.Source, topic)
		}
		s := make(map[string]float64, len(pool))
		for li, id := range pool {
			s[id] = numeric.Dot(x, le.Row(lrow[li])) / float64(xn*lnorm[li])
		}
		scores[topic] = s
	}
	return topK(tag, scores, depth)
}

func norm(a []float64) float64 { return math.Sqrt(numeric.Dot(a, a)) }

// topK builds the run and keeps the first depth entries of each topic.
func topK(tag string, scores map[string]map[string]float64, depth int) (*eval.Run, error) {
	if depth < 1 {
		return nil, fmt.Errorf("depth %d must be at least 1", depth)
	}
	run := trecfmt.NewRun(tag, scores)
	Truncate(run, depth)
	return run, nil
}

// Truncate keeps the first depth entries (in evaluation order) of each
// topic of run, which must be sorted (as trecfmt.NewRun and ReadRun leave
// it).
func Truncate(run *eval.Run, depth int) {
	for _, r := range run.ByID {
		if len(r.Entries) > depth {
			r.Entries = slices.Clip(r.Entries[:depth])
		}
	}
}
