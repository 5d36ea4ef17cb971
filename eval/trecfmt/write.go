package trecfmt

import (
	"bufio"
	"io"
	"strconv"

	"github.com/ntcir-pmr/mreval/eval"
)

// FormatScore prints a score in the shortest form that reads back to the
// same float64, so written runs are exact and byte-reproducible.
func FormatScore(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// WriteRun writes run in TREC format: a <SYSDESC> first line when the run
// has a description, then topics in byte order, each ranking in evaluation
// order with ranks 1..n, tag = run.Tag. Entries must already be sorted
// (eval.SortEntries).
func WriteRun(w io.Writer, run *eval.Run) error {
	bw := bufio.NewWriter(w)
	var buf []byte
	if run.Description != "" {
		// ReadRun reads it back; NormalRun.WriteTo writes the same line.
		if _, err := bw.Write(AppendSysdesc(nil, run.Description)); err != nil {
			return err
		}
	}
	for _, topic := range run.Topics {
		r := run.ByID[topic]
		for i, e := range r.Entries {
			buf = buf[:0]
			buf = append(buf, topic...)
			buf = append(buf, " Q0 "...)
			buf = append(buf, e.Doc...)
			buf = append(buf, ' ')
			buf = strconv.AppendInt(buf, int64(i+1), 10)
			buf = append(buf, ' ')
			buf = strconv.AppendFloat(buf, e.Score, 'g', -1, 64)
			buf = append(buf, ' ')
			buf = append(buf, run.Tag...)
			buf = append(buf, '\n')
			if _, err := bw.Write(buf); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}

// QrelsRecord is one line of a qrels file as written: the value is kept as
// text so that decimal values are copied exactly, never re-rounded.
type QrelsRecord struct {
	Topic, Doc, Value string
}

// WriteQrels writes `topic 0 docno value` lines in the given order.
func WriteQrels(w io.Writer, recs []QrelsRecord) error {
	bw := bufio.NewWriter(w)
	for _, r := range recs {
		bw.WriteString(r.Topic)
		bw.WriteString(" 0 ")
		bw.WriteString(r.Doc)
		bw.WriteByte(' ')
		bw.WriteString(r.Value)
		if err := bw.WriteByte('\n'); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// NewRun builds a run from per-topic document scores, sorting each topic
// into evaluation order. scores[topic][doc] = score.
func NewRun(tag string, scores map[string]map[string]float64) *eval.Run {
	run := &eval.Run{Tag: tag, ByID: map[string]*eval.Ranking{}}
	for topic, docs := range scores {
		r := &eval.Ranking{Topic: topic, Entries: make([]eval.Entry, 0, len(docs))}
		for d, s := range docs {
			r.Entries = append(r.Entries, eval.Entry{Doc: d, Score: s})
		}
		eval.SortEntries(r.Entries)
		for i := range r.Entries {
			r.Entries[i].Rank = int32(i + 1)
		}
		run.ByID[topic] = r
	}
	run.Topics = eval.SortedKeys(run.ByID)
	return run
}
