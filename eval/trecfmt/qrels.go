package trecfmt

import (
	"slices"

	"github.com/ntcir-pmr/mreval/eval"
)

// QrelsLine is one parsed qrels line; slices alias the scanner's buffer.
type QrelsLine struct {
	Topic, Iter, Doc []byte
	Value            float64
}

// ParseQrelsLine checks and splits one qrels line: `topic iter docno value`.
// Values may be integers (relevance levels) or decimals (accuracies), in
// the syntax of ParseNumber.
func ParseQrelsLine(s *Scanner) (QrelsLine, *Error) {
	f := s.Fields()
	if len(f) != 4 {
		return QrelsLine{}, errorf(s.Name, s.Line(), 0, "fields",
			"expected 4 fields (topic iter docno value), found %d", len(f))
	}
	v, p := parseNumberField(s, 3, "value", "judgment")
	if p != nil {
		return QrelsLine{}, p
	}
	return QrelsLine{Topic: f[0], Iter: f[1], Doc: f[2], Value: v}, nil
}

// ReadQrelsFile reads qrels from path ("-" = stdin, gzip transparent).
func ReadQrelsFile(path string, lim Limits) (*eval.Qrels, error) {
	return readFile(path, lim, ReadQrels)
}

// ReadQrels reads qrels. A document judged twice for a topic is an error
// naming both lines; blank lines are skipped.
func ReadQrels(src *Source, lim Limits) (*eval.Qrels, error) {
	lim = lim.WithDefaults()
	s := NewScanner(src, lim)
	q := &eval.Qrels{File: src.Name, ByID: map[string]*eval.TopicQrels{}}
	docs := newDocStore()
	// Values are gathered in slices and the per-topic maps built once at
	// the end at their final size: growing 500 maps entry by entry costs
	// several times the memory of the result.
	type topicValues struct {
		t      *eval.TopicQrels
		values []float64
	}
	byTopic := map[string]*topicValues{}
	var last *topicValues
	lastLen := 16
	err := forEachDataLine(s, lim.MaxEntries, func() error {
		l, p := ParseQrelsLine(s)
		if p != nil {
			return p
		}
		tv := last
		// Qrels list a topic's lines together, as runs do (see ReadRun).
		if tv == nil || string(l.Topic) != tv.t.Topic {
			tv = byTopic[string(l.Topic)]
		}
		if tv == nil {
			if len(q.ByID) >= lim.MaxTopics {
				return topicLimitError(s, lim.MaxTopics)
			}
			topic := string(l.Topic)
			// Capacity: the previous topic's size (see ReadRun).
			t := &eval.TopicQrels{Topic: topic, Docs: make([]string, 0, lastLen), Lines: make([]int, 0, lastLen)}
			tv = &topicValues{t: t, values: make([]float64, 0, lastLen)}
			q.ByID[topic] = t
			byTopic[topic] = tv
		}
		if last != tv {
			if last != nil {
				lastLen = max(1, len(last.t.Docs))
			}
			last = tv
		}
		t := tv.t
		if len(t.Docs) >= lim.MaxDocsPerTopic {
			return docsLimitError(s, t.Topic, lim.MaxDocsPerTopic)
		}
		t.Docs = append(t.Docs, "")
		docs.setJudged(t, len(t.Docs)-1, l.Doc)
		t.Lines = append(t.Lines, s.Line())
		tv.values = append(tv.values, l.Value)
		return nil
	})
	if err != nil {
		return nil, err
	}
	docs.flush()
	q.Topics = eval.SortedKeys(q.ByID)
	for _, topic := range q.Topics {
		t := q.ByID[topic]
		vals := byTopic[topic].values
		t.Value = make(map[string]float64, len(t.Docs))
		for i, doc := range t.Docs {
			if _, dup := t.Value[doc]; dup {
				first := slices.Index(t.Docs, doc)
				return nil, errorf(src.Name, t.Lines[i], 0, "duplicate",
					"document %q is judged twice for topic %q (lines %d and %d)", doc, topic, t.Lines[first], t.Lines[i])
			}
			t.Value[doc] = vals[i]
		}
	}
	return q, nil
}
