package metadata

import (
	"fmt"
	"math"
	"strings"
	"unicode"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/zoo"
)

// BM25Params are the free parameters of Okapi BM25.
type BM25Params struct {
	K1 float64 // term-frequency saturation
	B  float64 // document-length normalisation
}

// DefaultBM25 are the customary values k1 = 1.2, b = 0.75 (Robertson and
// Zaragoza 2009, "The Probabilistic Relevance Framework: BM25 and Beyond").
var DefaultBM25 = BM25Params{K1: 1.2, B: 0.75}

// NameMatchRun ranks the pool, per test topic, by the BM25 match between
// the topic's description (the query) and the tokens of each model ID (the
// documents), backed off to the Prior: the order is lexicographic (BM25
// desc, prior desc, model ID desc) and the scores are positions (see
// lexicographicScores). A model whose ID shares no word with the
// description scores BM25 = 0, so the models without a match follow the
// matching ones in prior order.
//
// The document collection of BM25 is the pool: N = |pool|, document
// frequencies and the average length are over the pool's model IDs.
func NameMatchRun(tag string, d *zoo.Data, p BM25Params) (*eval.Run, error) {
	if !(p.K1 >= 0) || math.IsInf(p.K1, 0) || !(p.B >= 0 && p.B <= 1) {
		return nil, fmt.Errorf("name-match: BM25 needs a finite k1 ≥ 0 and 0 ≤ b ≤ 1, got k1 = %v, b = %v", p.K1, p.B)
	}
	prior, err := Prior(d)
	if err != nil {
		return nil, err
	}
	docs := make([][]string, len(d.Pool))
	for i, m := range d.Pool {
		docs[i] = Tokenize(m)
	}
	scores := make(map[string][]float64, len(d.Test))
	for _, t := range d.Test {
		desc, ok := d.Descriptions[t]
		if !ok || strings.TrimSpace(desc) == "" {
			return nil, fmt.Errorf("name-match: topic %q has no description", t)
		}
		scores[t] = lexicographicScores(d.Pool, BM25(Tokenize(desc), docs, p), prior)
	}
	return PoolRun(tag, d.Pool, scores), nil
}

// BM25 scores each document against the query with Okapi BM25:
//
//	score(D, Q) = Σ_{t∈Q} idf(t) · f(t,D)·(k1+1) / (f(t,D) + k1·(1 − b + b·|D|/avgdl))
//	idf(t)      = ln(1 + (N − n(t) + 0.5) / (n(t) + 0.5))
//
// where f(t,D) is the count of t in D, n(t) the number of documents
// containing t and N the number of documents (Robertson and Zaragoza 2009;
// the idf is Lucene's non-negative variant). Each distinct query term
// counts once, in order of first appearance, so a description repeating a
// word does not weigh it twice. An empty collection or one whose documents
// are all empty scores 0 everywhere.
func BM25(query []string, docs [][]string, p BM25Params) []float64 {
	out := make([]float64, len(docs))
	n := len(docs)
	if n == 0 {
		return out
	}
	df := map[string]int{}
	total := 0
	for _, doc := range docs {
		total += len(doc)
		seen := map[string]bool{}
		for _, t := range doc {
			if !seen[t] {
				seen[t] = true
				df[t]++
			}
		}
	}
	if total == 0 {
		return out
	}
	avgdl := float64(total) / float64(n)
	var terms []string
	seen := map[string]bool{}
	for _, t := range query {
		if !seen[t] && df[t] > 0 {
			seen[t] = true
			terms = append(terms, t)
		}
	}
	for i, doc := range docs {
		tf := map[string]int{}
		for _, t := range doc {
			tf[t]++
		}
		// float64(...) around products keeps Go from fusing them into FMA
		// instructions, whose rounding differs between architectures.
		norm := 1 - p.B + float64(p.B*float64(len(doc)))/avgdl
		sum := 0.0
		for _, t := range terms {
			f := float64(tf[t])
			if f == 0 {
				continue
			}
			idf := math.Log(1 + (float64(n-df[t])+0.5)/(float64(df[t])+0.5))
			frac := float64(f*(p.K1+1)) / (f + float64(p.K1*norm))
			sum += float64(idf * frac)
		}
		out[i] = sum
	}
	return out
}

// stopwords are function words of the task descriptions that say nothing
// about a task; dropping them keeps a model called "the-..." or "a-..."
// from matching every description.
var stopwords = map[string]bool{
	"a": true, "an": true, "and": true, "are": true, "as": true, "at": true, "be": true,
	"by": true, "each": true, "for": true, "from": true, "in": true, "into": true,
	"is": true, "it": true, "its": true, "of": true, "on": true, "or": true,
	"such": true, "than": true, "that": true, "the": true, "their": true, "them": true,
	"they": true, "this": true, "to": true, "two": true, "was": true, "were": true,
	"which": true, "whether": true, "with": true, "example": true,
}

// Tokenize splits a model ID or a description into index terms: it splits
// on every character that is not a letter or digit (so on / - _ . and
// spaces), then inside each run at lower-to-upper case changes ("finBERT"
// → fin, bert) and at letter/digit changes ("sst2" → sst, 2); it lowercases
// the pieces, drops pure numbers, one-character pieces and stopwords, and
// conflates plurals with Harman's S stemmer. For example
// "cardiffnlp/twitter-roberta-base-sentiment" → cardiffnlp, twitter,
// roberta, base, sentiment, and "Tweets classified" → tweet, classified.
func Tokenize(s string) []string {
	var out []string
	emit := func(piece []rune) {
		if len(piece) < 2 {
			return
		}
		digits := true
		for _, r := range piece {
			if !unicode.IsDigit(r) {
				digits = false
				break
			}
		}
		if digits {
			return
		}
		w := strings.ToLower(string(piece))
		if stopwords[w] {
			return
		}
		out = append(out, sStem(w))
	}
	var cur []rune
	var prev rune
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			emit(cur)
			cur = cur[:0]
			prev = 0
			continue
		}
		if len(cur) > 0 {
			caseChange := unicode.IsLower(prev) && unicode.IsUpper(r)
			kindChange := unicode.IsDigit(prev) != unicode.IsDigit(r)
			if caseChange || kindChange {
				emit(cur)
				cur = cur[:0]
			}
		}
		cur = append(cur, r)
		prev = r
	}
	emit(cur)
	return out
}

// sStem is the "S" stemmer of Harman (1991), "How effective is
// suffixing?", JASIS 42(1): only the first matching rule applies —
// -ies → -y (not after e or a), -es → -e (not after a, e or o), -s → ""
// (not after u or s).
func sStem(w string) string {
	switch {
	case strings.HasSuffix(w, "ies") && !strings.HasSuffix(w, "eies") && !strings.HasSuffix(w, "aies"):
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "es") && !strings.HasSuffix(w, "aes") && !strings.HasSuffix(w, "ees") && !strings.HasSuffix(w, "oes"):
		return w[:len(w)-1]
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "ss"):
		return w[:len(w)-1]
	}
	return w
}
