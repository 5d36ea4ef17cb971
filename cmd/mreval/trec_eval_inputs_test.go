package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestTrecEvalInputErrorOrder: the qrels and the run, when both are
// regular files, are read at the same time; the error reported is still
// trec_eval's first: the qrels', then an unknown results format, then the
// run's. From standard input the run is read after the qrels.
func TestTrecEvalInputErrorOrder(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		assert.NoError(t, os.WriteFile(p, []byte(text), 0o644))
		return p
	}
	goodQrels := write("good.qrels", "1 0 d1 1\n1 0 d2 0\n")
	badQrels := write("bad.qrels", "1 0 d1 1\n1 0 d2\n")
	goodRun := write("good.run", "1 Q0 d2 1 2.0 r\n1 Q0 d1 2 1.0 r\n")
	badRun := write("bad.run", "1 Q0 d1 1 high r\n")
	tests := []struct {
		name   string
		args   []string
		stdin  string
		status int
		out    string
		errOut string
	}{
		{"both bad", []string{"-m", "num_q", badQrels, badRun}, "", 2, "",
			"mreval trec_eval: " + badQrels + ":2: expected 4 fields (topic iter docno value), found 3\ntrec_eval: Quit in file '" + badQrels + "'\n"},
		{"bad run", []string{"-m", "num_q", goodQrels, badRun}, "", 2, "",
			"mreval trec_eval: " + badRun + ":1:11: score \"high\" is not a number\ntrec_eval: Quit in file '" + badRun + "'\n"},
		{"format before run", []string{"-T", "foo", "-m", "num_q", goodQrels, badRun}, "", 2, "",
			"trec_eval: Illegal retrieval results format 'foo'\n"},
		{"both good", []string{"-m", "num_q", "-m", "P.1", goodQrels, goodRun}, "", 0,
			"num_q                 \tall\t1\nP_1                   \tall\t0.0000\n", ""},
		{"run on stdin", []string{"-m", "P.1", goodQrels, "-"}, "1 Q0 d1 1 3 r\n", 0,
			"P_1                   \tall\t1.0000\n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.stdin != "" {
				r, w, err := os.Pipe()
				assert.NoError(t, err)
				go func() {
					w.WriteString(tc.stdin)
					w.Close()
				}()
				old := os.Stdin
				os.Stdin = r
				t.Cleanup(func() { os.Stdin = old; r.Close() })
			}
			var out, errOut bytes.Buffer
			status := run(append([]string{"mreval", "trec_eval"}, tc.args...), &out, &errOut)
			assert.Equal(t, tc.status, status)
			assert.Equal(t, tc.out, out.String())
			assert.Equal(t, tc.errOut, errOut.String())
		})
	}
}
