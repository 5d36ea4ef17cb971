package stylematch

import (
	"fmt"

	"github.com/ntcir-pmr/mreval/baselines/metadata"
	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/subtaskb"
)

// LoRATerms are the index terms of a LoRA for tag-match: its name, tags
// and trigger words run through metadata.Tokenize (split at non-letters
// and case changes, lowercased, stopwords and one-letter pieces dropped, S
// stemmer), in that order.
func LoRATerms(l subtaskb.LoRA) []string {
	terms := metadata.Tokenize(l.Name)
	for _, t := range l.Tags {
		terms = append(terms, metadata.Tokenize(t)...)
	}
	for _, t := range l.TriggerWords {
		terms = append(terms, metadata.Tokenize(t)...)
	}
	return terms
}

// TagMatch ranks, for each topic, the LoRAs of the pool by Okapi BM25
// (metadata.BM25, with the pool as the document collection) between the
// topic's description (the query) and each LoRA's terms (LoRATerms), and
// keeps the first depth in evaluation order (score descending, ties by
// lora_id descending). Only LoRAs sharing at least one term with the
// description (BM25 > 0) are ranked: the rest have no evidence and are
// left out rather than listed in arbitrary order, so a topic may rank
// fewer than depth LoRAs. A topic whose description matches no LoRA at all
// is left out of the run and named in the returned notes.
func TagMatch(topics []subtaskb.Topic, pool []subtaskb.LoRA, p metadata.BM25Params, depth int, tag string) (*eval.Run, []string, error) {
	if !(p.K1 >= 0) || !(p.B >= 0 && p.B <= 1) {
		return nil, nil, fmt.Errorf("tag-match: BM25 needs k1 ≥ 0 and 0 ≤ b ≤ 1, got k1 = %v, b = %v", p.K1, p.B)
	}
	docs := make([][]string, len(pool))
	for i, l := range pool {
		docs[i] = LoRATerms(l)
	}
	scores := make(map[string]map[string]float64, len(topics))
	var notes []string
	for _, t := range topics {
		bm := metadata.BM25(metadata.Tokenize(t.Description), docs, p)
		s := map[string]float64{}
		for i, l := range pool {
			if bm[i] > 0 {
				s[l.ID] = bm[i]
			}
		}
		if len(s) == 0 {
			notes = append(notes, fmt.Sprintf("tag-match: the description of topic %s shares no term with any LoRA; the run leaves the topic out", t.ID))
			continue
		}
		scores[t.ID] = s
	}
	run, err := topK(tag, scores, depth)
	return run, notes, err
}
