package validate

import (
	"bufio"
	"io"
	"os"
	"strings"

	"github.com/ntcir-pmr/mreval/eval/subtaskb"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
)

// Subtask B rules. A Subtask B collection describes its pool and topics in
// tab-separated files with a header row (eval/subtaskb); the run rules of
// the subtask (at most Depth LoRAs per topic, every LoRA from the pool,
// every topic from the topics file) are those of the Validator with
// Task B. ReadRuleList lets --pool and --topics take either form.

// ReadRuleList reads a --pool or --topics file: a plain list of
// identifiers, one per line (trecfmt.ReadIDListFile), or a Subtask B pool
// or topics file, recognised by its header row, of which it returns the
// lora_id or topic_id column. For a topics file whose images are present
// beside it, it also verifies that every image exists and has the SHA-256
// the file gives (subtaskb.Topics.CheckImagesBeside); without the images
// (a topics file handed out alone) they are not checked. lim bounds the
// reading.
func ReadRuleList(path string, lim trecfmt.Limits) ([]string, error) {
	switch subtaskBHeader(path) {
	case "pool":
		p, err := subtaskb.ReadPoolFile(path, lim)
		if err != nil {
			return nil, err
		}
		return p.IDs(), nil
	case "topics":
		t, err := subtaskb.ReadTopicsFile(path, lim)
		if err != nil {
			return nil, err
		}
		if _, err := t.CheckImagesBeside(); err != nil {
			return nil, err
		}
		return t.IDs(), nil
	}
	return trecfmt.ReadIDListFile(path, lim)
}

// subtaskBHeader tells whether the first line of the file is the header of
// a Subtask B pool ("pool") or topics ("topics") file; "" otherwise, or
// when the file cannot be read (the ID-list reader then says why).
func subtaskBHeader(path string) string {
	if path == "-" {
		return ""
	}
	// Only a regular file is peeked at: opening a FIFO would wait for a
	// writer, and reading it would take what the reader proper needs.
	if st, err := os.Stat(path); err != nil || !st.Mode().IsRegular() {
		return ""
	}
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	line, _ := bufio.NewReader(io.LimitReader(f, 64<<10)).ReadString('\n')
	line = strings.TrimRight(strings.TrimPrefix(line, "\ufeff"), "\r\n")
	first, _, tab := strings.Cut(line, "\t")
	switch {
	case !tab: // an identifier list has one field per line
	case strings.TrimSpace(first) == subtaskb.PoolHeader[0]:
		return "pool"
	case strings.TrimSpace(first) == subtaskb.TopicsHeader[0]:
		return "topics"
	}
	return ""
}
