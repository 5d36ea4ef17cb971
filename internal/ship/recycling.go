package ship

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/ntcir-pmr/mreval/eval/collection"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
)

// Source files of the recycling collection, relative to the root.
const (
	recyclingModelsCSV = "qrels/source/model-recycling/models_tested.csv"
	recyclingPretrain  = "qrels/source/model-recycling/pretrain"
)

// recyclingPretrainFiles maps each per-seed results table to the base
// model it fine-tuned (the file names flatten the Hugging Face IDs).
var recyclingPretrainFiles = []struct{ file, base string }{
	{"models_results_bert_base_cased_pretrain.csv", "bert-base-cased"},
	{"models_results_bert_base_uncased_pretrain.csv", "bert-base-uncased"},
	{"models_results_google_t5_v1_1_base_pretrain.csv", "google/t5-v1_1-base"},
	{"models_results_microsoft_deberta_v3_base_pretrain.csv", "microsoft/deberta-v3-base"},
	{"models_results_roberta_base_pretrain.csv", "roberta-base"},
	{"models_results_t5_base_pretrain.csv", "t5-base"},
}

// recyclingMetaColumns are the metadata columns of models_tested.csv; the
// ignored ones are listed so that a column added to the source is noticed
// rather than silently skipped.
var (
	recyclingMetaColumns    = []string{"model_name", "base_model", "size", "layers", "model_type", "tokenizer", "mnli_lp"}
	recyclingIgnoredColumns = []string{"classification", "from_flax", "from_tf", "last_modified"}
)

// recyclingModel is one pool model of models_tested.csv.
type recyclingModel struct {
	id, base, size, layers, modelType, tokenizer, mnliLP string
	percent                                              map[string]string // topic → value in percent, as text
	line                                                 int
}

// recyclingSource is the parsed model-recycling table.
type recyclingSource struct {
	topics     []string // the 36 dataset columns, byte order
	pool       []recyclingModel
	partial    int      // rows not evaluated on every dataset (left out)
	duplicates []string // "name (lines a and b)" for repeated full rows
}

// readRecycling reads models_tested.csv. The pool is every model evaluated
// on all datasets; a name appearing twice keeps its first row.
func readRecycling(root string) (*recyclingSource, error) {
	t, err := readTable(root, recyclingModelsCSV, ',')
	if err != nil {
		return nil, err
	}
	meta, err := t.require(recyclingMetaColumns...)
	if err != nil {
		return nil, err
	}
	topicIDs := make([]string, len(recyclingTopics))
	for i, ti := range recyclingTopics {
		topicIDs[i] = ti.ID
	}
	slices.Sort(topicIDs)
	topicCol, err := t.require(topicIDs...)
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, c := range append(append(append([]string{}, recyclingMetaColumns...), recyclingIgnoredColumns...), topicIDs...) {
		known[c] = true
	}
	for _, h := range t.header {
		if !known[h] {
			return nil, fmt.Errorf("%s:1: unknown column %q (not a dataset of the topic table nor known metadata)", t.name, h)
		}
	}

	src := &recyclingSource{topics: topicIDs}
	firstLine := map[string]int{}
	for i, row := range t.rows {
		full := true
		for _, c := range topicCol {
			if row[c] == "" {
				full = false
				break
			}
		}
		if !full {
			src.partial++
			continue
		}
		id := row[meta[0]]
		if err := checkID(id); err != nil {
			return nil, t.errorf(i, "model_name: %v", err)
		}
		if prev, dup := firstLine[id]; dup {
			src.duplicates = append(src.duplicates, fmt.Sprintf("%s (lines %d and %d)", id, prev, t.lines[i]))
			continue
		}
		firstLine[id] = t.lines[i]
		m := recyclingModel{
			id: id, base: row[meta[1]], size: row[meta[2]], layers: row[meta[3]],
			modelType: row[meta[4]], tokenizer: row[meta[5]], mnliLP: row[meta[6]],
			percent: make(map[string]string, len(topicIDs)), line: t.lines[i],
		}
		for j, c := range topicCol {
			p, err := ShiftDecimal(row[c], 2)
			if err != nil {
				return nil, t.errorf(i, "column %s: %v", topicIDs[j], err)
			}
			m.percent[topicIDs[j]] = p
		}
		if m.mnliLP != "" {
			if _, err := parseFinite(m.mnliLP); err != nil {
				return nil, t.errorf(i, "column mnli_lp: %v", err)
			}
		}
		src.pool = append(src.pool, m)
	}
	if len(src.pool) == 0 {
		return nil, fmt.Errorf("%s: no model is evaluated on all %d datasets", t.name, len(topicIDs))
	}
	return src, nil
}

// parseFinite parses a decimal that must be a finite number.
func parseFinite(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a finite number", s)
	}
	return v, nil
}

// qrels writes recycling.qrels: topics in byte order, models in pool
// (file) order, values in percent as text.
func (s *recyclingSource) qrels() []byte {
	recs := make([]trecfmt.QrelsRecord, 0, len(s.topics)*len(s.pool))
	for _, t := range s.topics {
		for _, m := range s.pool {
			recs = append(recs, trecfmt.QrelsRecord{Topic: t, Doc: m.id, Value: m.percent[t]})
		}
	}
	var b bytes.Buffer
	trecfmt.WriteQrels(&b, recs) // a bytes.Buffer never fails
	return b.Bytes()
}

// split returns the train and test topics, each in byte order.
func (s *recyclingSource) split() (train, test []string, err error) {
	isTest := map[string]bool{}
	for _, t := range recyclingTestTopics {
		isTest[t] = true
	}
	for _, t := range s.topics {
		if isTest[t] {
			test = append(test, t)
		} else {
			train = append(train, t)
		}
	}
	if len(test) != len(recyclingTestTopics) {
		return nil, nil, fmt.Errorf("recycling: %d of the %d test topics are dataset columns", len(test), len(recyclingTestTopics))
	}
	return train, test, nil
}

func idList(ids []string) []byte {
	var b bytes.Buffer
	for _, id := range ids {
		b.WriteString(id)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

func (s *recyclingSource) poolIDs() []string {
	ids := make([]string, len(s.pool))
	for i, m := range s.pool {
		ids[i] = m.id
	}
	return ids
}

// modelsTSV writes recycling.models.tsv: the pool's metadata as written in
// the source.
func (s *recyclingSource) modelsTSV() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(strings.Join(collection.ModelsHeader, "\t") + "\n")
	for _, m := range s.pool {
		fields := []string{m.id, m.base, m.size, m.layers, m.modelType, m.tokenizer, m.mnliLP}
		for _, f := range fields {
			if strings.ContainsAny(f, "\t\n\r") {
				return nil, fmt.Errorf("%s:%d: metadata field %q of %s holds a tab or newline", recyclingModelsCSV, m.line, f, m.id)
			}
		}
		b.WriteString(strings.Join(fields, "\t") + "\n")
	}
	return b.Bytes(), nil
}

// topicsTSV writes recycling.topics.tsv in topic byte order.
func topicsTSV() ([]byte, error) {
	ts := slices.Clone(recyclingTopics)
	slices.SortFunc(ts, func(a, b collection.TopicInfo) int { return strings.Compare(a.ID, b.ID) })
	var b bytes.Buffer
	b.WriteString(strings.Join(collection.TopicsHeader, "\t") + "\n")
	for _, t := range ts {
		for _, f := range []string{t.ID, t.Name, t.Description} {
			if strings.ContainsAny(f, "\t\n\r") {
				return nil, fmt.Errorf("topic table: %q holds a tab or newline", f)
			}
		}
		fmt.Fprintf(&b, "%s\t%s\t%s\n", t.ID, t.Name, t.Description)
	}
	return b.Bytes(), nil
}

// seedRow is one fine-tuning run of a base model in the pretrain tables.
type seedRow struct {
	topic, base string
	seed        int
	value       string // percent, as text
}

// seedsTSV reads the six per-seed tables and writes recycling.seeds.tsv:
// one row per (topic, base model, seed) sorted in that order (topic and
// base in byte order, seed numerically). stsb takes the spearmanr column,
// every other dataset the accuracy column; empty cells — runs whose metric
// the source left blank — are skipped and reported in the notes.
func seedsTSV(root string, topics []string) ([]byte, []string, error) {
	isTopic := map[string]bool{}
	for _, t := range topics {
		isTopic[t] = true
	}
	var rows []seedRow
	var skipped []string
	for _, f := range recyclingPretrainFiles {
		t, err := readTable(root, recyclingPretrain+"/"+f.file, '\t')
		if err != nil {
			return nil, nil, err
		}
		col, err := t.require("dataset name", "accuracy", "spearmanr", "stage")
		if err != nil {
			return nil, nil, err
		}
		seen := map[[2]string]int{}
		for i, row := range t.rows {
			topic, stage := row[col[0]], row[col[3]]
			if !isTopic[topic] {
				return nil, nil, t.errorf(i, "dataset %q is not a topic of the collection", topic)
			}
			seed, err := strconv.Atoi(stage)
			if err != nil || seed < 0 {
				return nil, nil, t.errorf(i, "stage %q is not a non-negative integer", stage)
			}
			key := [2]string{topic, stage}
			if prev, dup := seen[key]; dup {
				return nil, nil, t.errorf(i, "dataset %s, stage %s appears twice (lines %d and %d)", topic, stage, prev, t.lines[i])
			}
			seen[key] = t.lines[i]
			metric := "accuracy"
			if topic == "stsb" {
				metric = "spearmanr"
			}
			cell := row[col[1]]
			if metric == "spearmanr" {
				cell = row[col[2]]
			}
			if cell == "" {
				skipped = append(skipped, fmt.Sprintf("%s:%d (%s, %s, stage %d)", t.name, t.lines[i], f.base, topic, seed))
				continue
			}
			p, err := ShiftDecimal(cell, 2)
			if err != nil {
				return nil, nil, t.errorf(i, "%s: %v", metric, err)
			}
			rows = append(rows, seedRow{topic: topic, base: f.base, seed: seed, value: p})
		}
	}
	slices.SortFunc(rows, func(a, b seedRow) int {
		if c := strings.Compare(a.topic, b.topic); c != 0 {
			return c
		}
		if c := strings.Compare(a.base, b.base); c != 0 {
			return c
		}
		return a.seed - b.seed
	})
	var b bytes.Buffer
	b.WriteString("topic\tbase_model\tseed\tvalue\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "%s\t%s\t%d\t%s\n", r.topic, r.base, r.seed, r.value)
	}
	var notes []string
	if len(skipped) > 0 {
		notes = append(notes, fmt.Sprintf("recycling.seeds.tsv: skipped %d empty metric cell(s): %s", len(skipped), strings.Join(skipped, "; ")))
	}
	return b.Bytes(), notes, nil
}
