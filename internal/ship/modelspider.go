package ship

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
)

// Source files of the Model Spider collections, relative to the root.
const (
	spiderSingleCSV   = "qrels/source/model-spider/finetune_single.csv"
	spiderMultiCSV    = "qrels/source/model-spider/finetune_multi.csv"
	spiderBaselineCSV = "qrels/source/model-spider/baseline_scores.csv"
)

// spiderEstimators maps the columns of baseline_scores.csv to run names.
var spiderEstimators = []struct{ column, run string }{
	{"H-Score", "hscore"},
	{"LEEP", "leep"},
	{"LogME", "logme"},
	{"NCE", "nce"},
	{"NLEEP", "nleep"},
	{"OTCE", "otce"},
	{"PACTranDirichlet", "pactran"},
	{"GBC", "gbc"},
	{"LFC", "lfc"},
}

// spiderMetrics are the metric names finetune_*.csv may use.
var spiderMetrics = map[string]bool{"accuracy": true, "neg_mse": true}

// spiderQrels reads a finetune_*.csv table (dataset, model, score, metric)
// and writes its qrels: topics in byte order, models in file order within
// a topic, values copied as written. It also returns the judged
// (dataset, model) pairs.
func spiderQrels(root, rel string) ([]byte, map[[2]string]bool, error) {
	t, err := readTable(root, rel, ',')
	if err != nil {
		return nil, nil, err
	}
	col, err := t.require("dataset", "model", "score", "metric")
	if err != nil {
		return nil, nil, err
	}
	byTopic := map[string][]trecfmt.QrelsRecord{}
	judged := map[[2]string]bool{}
	for i, row := range t.rows {
		ds, model, score, metric := row[col[0]], row[col[1]], row[col[2]], row[col[3]]
		for _, id := range []string{ds, model} {
			if err := checkID(id); err != nil {
				return nil, nil, t.errorf(i, "%v", err)
			}
		}
		if !spiderMetrics[metric] {
			return nil, nil, t.errorf(i, "unknown metric %q (want accuracy or neg_mse)", metric)
		}
		if _, err := parseFinite(score); err != nil {
			return nil, nil, t.errorf(i, "score: %v", err)
		}
		key := [2]string{ds, model}
		if judged[key] {
			return nil, nil, t.errorf(i, "dataset %s, model %s appears twice", ds, model)
		}
		judged[key] = true
		byTopic[ds] = append(byTopic[ds], trecfmt.QrelsRecord{Topic: ds, Doc: model, Value: score})
	}
	var recs []trecfmt.QrelsRecord
	for _, ds := range eval.SortedKeys(byTopic) {
		recs = append(recs, byTopic[ds]...)
	}
	var b bytes.Buffer
	trecfmt.WriteQrels(&b, recs)
	return b.Bytes(), judged, nil
}

// spiderRuns reads baseline_scores.csv and writes one run per estimator,
// named runs/modelspider-single/<run>.run. Scores are copied as written;
// the order is by their parsed value (descending, ties by model ID
// descending, as trec_eval). Every (dataset, model) must be judged in the
// single-source qrels.
func spiderRuns(root string, judged map[[2]string]bool) ([]File, error) {
	t, err := readTable(root, spiderBaselineCSV, ',')
	if err != nil {
		return nil, err
	}
	names := []string{"Dataset", "Model"}
	for _, e := range spiderEstimators {
		names = append(names, e.column)
	}
	col, err := t.require(names...)
	if err != nil {
		return nil, err
	}
	if len(t.header) != len(names) {
		return nil, fmt.Errorf("%s:1: expected the %d columns %s, found %d", t.name, len(names), strings.Join(names, ","), len(t.header))
	}
	runs := make([]map[string][]textEntry, len(spiderEstimators))
	for e := range runs {
		runs[e] = map[string][]textEntry{}
	}
	seen := map[[2]string]bool{}
	for i, row := range t.rows {
		ds, model := row[col[0]], row[col[1]]
		key := [2]string{ds, model}
		if !judged[key] {
			return nil, t.errorf(i, "dataset %s, model %s is not judged in %s", ds, model, spiderSingleCSV)
		}
		if seen[key] {
			return nil, t.errorf(i, "dataset %s, model %s appears twice", ds, model)
		}
		seen[key] = true
		for e := range spiderEstimators {
			text := row[col[2+e]]
			v, err := parseFinite(text)
			if err != nil {
				return nil, t.errorf(i, "%s: %v", spiderEstimators[e].column, err)
			}
			runs[e][ds] = append(runs[e][ds], textEntry{doc: model, score: text, value: v})
		}
	}
	files := make([]File, len(spiderEstimators))
	for e, est := range spiderEstimators {
		files[e] = File{Path: "runs/modelspider-single/" + est.run + ".run", Data: textRun(est.run, runs[e])}
	}
	return files, nil
}

// textEntry is a run entry whose score is kept as the source wrote it.
type textEntry struct {
	doc, score string
	value      float64
}

// textRun writes a TREC run whose scores are copied as text: topics in
// byte order, each ranked by value descending, ties by docno descending
// (eval.CompareEntries), ranks 1..n.
func textRun(tag string, byTopic map[string][]textEntry) []byte {
	var b bytes.Buffer
	for _, topic := range eval.SortedKeys(byTopic) {
		es := slices.Clone(byTopic[topic])
		slices.SortFunc(es, func(x, y textEntry) int {
			if c := cmp.Compare(y.value, x.value); c != 0 {
				return c
			}
			return cmp.Compare(y.doc, x.doc)
		})
		for i, e := range es {
			fmt.Fprintf(&b, "%s Q0 %s %d %s %s\n", topic, e.doc, i+1, e.score, tag)
		}
	}
	return b.Bytes()
}
