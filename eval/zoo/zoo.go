// Package zoo describes a Subtask A model pool beyond its judgments: the
// metadata of each pool model (Model, one row of a collection's model
// metadata table, e.g. qrels/recycling.models.tsv) and Data, the input that
// every Subtask A baseline shares. eval/collection reads them from a
// collection; the packages under baselines/ consume them. The package has no
// I/O and no behaviour, so that both sides can import it without importing
// each other.
package zoo

import "github.com/ntcir-pmr/mreval/eval"

// Model is a pool model's metadata as written in the source table: numbers
// stay text, so that a consumer that parses one can name the model and the
// field of a bad value.
type Model struct {
	ID        string
	BaseModel string // the checkpoint it was fine-tuned from
	Params    string // parameter count
	Layers    string
	ModelType string
	Tokenizer string
	MNLILP    string // linear-probe accuracy on MNLI (fraction); "" when not measured
}

// Data is what a Subtask A baseline knows of a collection.
type Data struct {
	// Qrels holds the judgments; only train topics are read, except by
	// probe-knn, which reads the probe models' values on the test topic.
	Qrels *eval.Qrels
	// Pool lists the models to rank.
	Pool []string
	// Train and Test are the topic split.
	Train, Test []string
	// Base maps a model to its base architecture (arch-prior).
	Base map[string]string
	// MNLILP maps a model to its linear-probe accuracy on MNLI (mnli-lp).
	MNLILP map[string]float64
	// Descriptions maps a topic to its task description (name-match).
	Descriptions map[string]string
}
