package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ntcir-pmr/mreval/baselines/metadata"
	"github.com/ntcir-pmr/mreval/baselines/stylematch"
	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/subtaskb"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/ntcir-pmr/mreval/eval/validate"
)

func init() {
	common := func(extra ...cli.Flag) []cli.Flag {
		return append([]cli.Flag{
			&cli.StringFlag{Name: "topics", Usage: "Subtask B topics file (TSV: topic_id image image_sha256 description)"},
			&cli.StringFlag{Name: "pool", Usage: "Subtask B pool file (TSV: lora_id base_model name trigger_words tags source_url license)"},
			outputFlag("run file to write (required; \"-\" = standard output)"), oldOutputFlag(),
			&cli.StringFlag{Name: "tag", Usage: "run tag (default: the output file's name without extension)"},
			&cli.IntFlag{Name: "depth", Value: stylematch.DefaultDepth, Usage: "LoRAs ranked per topic"},
		}, extra...)
	}
	baselineCmd.Subcommands = append(baselineCmd.Subcommands,
		&cli.Command{
			Name:  "embed-sim",
			Usage: "Subtask B: rank the LoRA pool by cosine similarity of image embeddings",
			Description: `Scores each (topic, LoRA) by the cosine similarity of the topic image's embedding
and the LoRA's embedding, read from .npy matrices (float32 or float64, one row
per topic or LoRA) whose rows are named by an ids file (one id per line, in row
order; default: the .npy path with .ids instead of .npy). The embeddings must
cover exactly the topics and the pool. They come from any image encoder run
outside the kit (e.g. CLIP on the topic images and on images generated with
each LoRA): see docs/subtask-b.md.`,
			Flags: common(
				&cli.StringFlag{Name: "topic-emb", Usage: "topic embeddings .npy [topics, dim]"},
				&cli.StringFlag{Name: "topic-ids", Usage: "ids of the rows of --topic-emb (default: same name, .ids)"},
				&cli.StringFlag{Name: "lora-emb", Usage: "LoRA embeddings .npy [LoRAs, dim]"},
				&cli.StringFlag{Name: "lora-ids", Usage: "ids of the rows of --lora-emb (default: same name, .ids)"},
			),
			Action: baselineEmbedSimAction,
		},
		&cli.Command{
			Name:  "tag-match",
			Usage: "Subtask B: rank the LoRA pool by BM25 of the topic description against each LoRA's name, tags and trigger words",
			Description: `Okapi BM25 with the pool as the collection, the topic's description as the query
and each LoRA's name, tags and trigger words as the document (tokenised like
the name-match baseline of Subtask A). Only LoRAs sharing a term with the
description are ranked, so a topic may get fewer than --depth.`,
			Flags: common(
				&cli.Float64Flag{Name: "bm25-k1", Value: metadata.DefaultBM25.K1, Usage: "BM25 k1"},
				&cli.Float64Flag{Name: "bm25-b", Value: metadata.DefaultBM25.B, Usage: "BM25 b"},
			),
			Action: baselineTagMatchAction,
		},
	)
}

// subtaskBRunFlags checks the flags every Subtask B baseline shares and
// returns the output name and the run tag.
func subtaskBRunFlags(c *cli.Context, names ...string) (out, tag string, err error) {
	if c.NArg() > 0 {
		return "", "", usagef("unexpected argument %q", c.Args().First())
	}
	if err := requireFlags(c, append([]string{"topics", "pool"}, names...)...); err != nil {
		return "", "", err
	}
	if out, err = requireOutput(c); err != nil {
		return "", "", err
	}
	if c.Int("depth") < 1 {
		return "", "", usagef("--depth must be at least 1")
	}
	if tag, err = runTagFromOutput(c, out); err != nil {
		return "", "", err
	}
	if !validate.ValidTag(tag) {
		return "", "", usagef("run tag %q is not valid: use 1 to 64 characters from A-Z a-z 0-9 _ . -", tag)
	}
	return out, tag, nil
}

// subtaskBInput is what every Subtask B baseline starts from.
type subtaskBInput struct {
	out, tag string
	topics   *subtaskb.Topics
	pool     *subtaskb.Pool
}

// readSubtaskBInput checks the flags every Subtask B baseline shares (names
// are the further required ones) and reads --topics and --pool.
func readSubtaskBInput(c *cli.Context, names ...string) (*subtaskBInput, error) {
	out, tag, err := subtaskBRunFlags(c, names...)
	if err != nil {
		return nil, err
	}
	topics, err := subtaskb.ReadTopicsFile(c.String("topics"), trecfmt.DefaultLimits)
	if err != nil {
		return nil, err
	}
	pool, err := subtaskb.ReadPoolFile(c.String("pool"), trecfmt.DefaultLimits)
	if err != nil {
		return nil, err
	}
	return &subtaskBInput{out: out, tag: tag, topics: topics, pool: pool}, nil
}

func baselineEmbedSimAction(c *cli.Context) error {
	in, err := readSubtaskBInput(c, "topic-emb", "lora-emb")
	if err != nil {
		return err
	}
	te, err := stylematch.ReadEmbeddings(c.String("topic-emb"), idsPath(c.String("topic-emb"), c.String("topic-ids")))
	if err != nil {
		return err
	}
	le, err := stylematch.ReadEmbeddings(c.String("lora-emb"), idsPath(c.String("lora-emb"), c.String("lora-ids")))
	if err != nil {
		return err
	}
	run, err := stylematch.EmbedSim(in.topics.IDs(), in.pool.IDs(), te, le, c.Int("depth"), in.tag)
	if err != nil {
		return err
	}
	return writeRunOutput(c, in.out, run, "the embed-sim run", c.String("topics"), c.String("pool"),
		c.String("topic-emb"), idsPath(c.String("topic-emb"), c.String("topic-ids")),
		c.String("lora-emb"), idsPath(c.String("lora-emb"), c.String("lora-ids")))
}

// idsPath is the ids file of an embeddings file: given, or beside it.
func idsPath(npy, given string) string {
	if given != "" {
		return given
	}
	return strings.TrimSuffix(npy, ".npy") + ".ids"
}

func baselineTagMatchAction(c *cli.Context) error {
	in, err := readSubtaskBInput(c)
	if err != nil {
		return err
	}
	p := metadata.BM25Params{K1: c.Float64("bm25-k1"), B: c.Float64("bm25-b")}
	run, notes, err := stylematch.TagMatch(in.topics.Topics, in.pool.LoRAs, p, c.Int("depth"), in.tag)
	if err != nil {
		return usageError{err} // only the BM25 parameters can be wrong here
	}
	for _, n := range notes {
		fmt.Fprintf(c.App.ErrWriter, "mreval: note: %s\n", n)
	}
	return writeRunOutput(c, in.out, run, "the tag-match run", c.String("topics"), c.String("pool"))
}

// writeRunOutput writes run to -o/--output and names it.
// inputs are the files read, which out must not be.
func writeRunOutput(c *cli.Context, out string, run *eval.Run, what string, inputs ...string) error {
	written, err := writeOutput(c, out, func(w io.Writer) error { return trecfmt.WriteRun(w, run) }, inputs...)
	if err == nil {
		wrote(c, written, what)
	}
	return err
}
