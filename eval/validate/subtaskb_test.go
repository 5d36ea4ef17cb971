package validate

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval/subtaskb"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
)

func writeFile(t *testing.T, path, text string) string {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
	return path
}

func TestReadRuleListSubtaskB(t *testing.T) {
	dir := t.TempDir()
	pool := writeFile(t, filepath.Join(dir, "pool.tsv"), strings.Join(subtaskb.PoolHeader, "\t")+"\n"+
		"l1\tSDXL\tOne\t\t\t\t\nl2\tSD-1.5\tTwo\t\t\t\t\nl3\tSDXL\tThree\t\t\t\t\n")
	img := []byte("image bytes")
	topicsText := strings.Join(subtaskb.TopicsHeader, "\t") + "\n" +
		"T1\timg/t1.png\t" + subtaskb.SHA256(img) + "\ta style\n"
	topics := writeFile(t, filepath.Join(dir, "topics.tsv"), topicsText)
	ids := writeFile(t, filepath.Join(dir, "pool.txt"), "l1\nl2\n")

	got, err := ReadRuleList(pool, trecfmt.DefaultLimits)
	require.NoError(t, err)
	assert.Equal(t, []string{"l1", "l2", "l3"}, got)
	got, err = ReadRuleList(ids, trecfmt.DefaultLimits)
	require.NoError(t, err)
	assert.Equal(t, []string{"l1", "l2"}, got)
	// Without the image beside it, the topics file is read unchecked.
	got, err = ReadRuleList(topics, trecfmt.DefaultLimits)
	require.NoError(t, err)
	assert.Equal(t, []string{"T1"}, got)
	// With it, the hash is checked.
	writeFile(t, filepath.Join(dir, "img", "t1.png"), string(img))
	_, err = ReadRuleList(topics, trecfmt.DefaultLimits)
	require.NoError(t, err)
	writeFile(t, filepath.Join(dir, "img", "t1.png"), "another image")
	_, err = ReadRuleList(topics, trecfmt.DefaultLimits)
	assert.EqualError(t, err, topics+`:2: image img/t1.png of topic "T1" has SHA-256 `+subtaskb.SHA256([]byte("another image"))+
		`, the topics file says `+subtaskb.SHA256(img))
	// A broken table is reported with its line.
	writeFile(t, pool, strings.Join(subtaskb.PoolHeader, "\t")+"\nl1\tSDXL\n")
	_, err = ReadRuleList(pool, trecfmt.DefaultLimits)
	assert.EqualError(t, err, pool+":2: 2 tab-separated fields, want 7 (lora_id base_model name trigger_words tags source_url license)")
	_, err = ReadRuleList(filepath.Join(dir, "none.tsv"), trecfmt.DefaultLimits)
	assert.ErrorContains(t, err, "none.tsv: cannot open")
}

func TestSubtaskBRunAgainstTSVRules(t *testing.T) {
	dir := t.TempDir()
	pool := writeFile(t, filepath.Join(dir, "pool.tsv"), strings.Join(subtaskb.PoolHeader, "\t")+"\n"+
		"l1\tSDXL\tOne\t\t\t\t\nl2\tSD-1.5\tTwo\t\t\t\t\nl3\tSDXL\tThree\t\t\t\t\n")
	topics := writeFile(t, filepath.Join(dir, "topics.tsv"), strings.Join(subtaskb.TopicsHeader, "\t")+"\n"+
		"T1\tt1.png\t"+subtaskb.SHA256(nil)+"\ta style\nT2\tt2.png\t"+subtaskb.SHA256(nil)+"\tanother\n")
	r := Rules{Task: TaskB, Depth: 2}
	var err error
	r.Pool, err = ReadRuleList(pool, trecfmt.DefaultLimits)
	require.NoError(t, err)
	r.Topics, err = ReadRuleList(topics, trecfmt.DefaultLimits)
	require.NoError(t, err)
	v, err := NewValidator(r)
	require.NoError(t, err)
	run := writeFile(t, filepath.Join(dir, "r.run"),
		"T1 Q0 l1 1 0.9 r\nT1 Q0 l2 2 0.8 r\nT1 Q0 l3 3 0.7 r\nT2 Q0 l9 1 0.9 r\n")
	rep := v.ValidateFile(run)
	var codes []string
	for _, p := range rep.Problems {
		codes = append(codes, p.Code+":"+strconv.Itoa(p.Line))
	}
	// The third LoRA of T1 is beyond depth 2; l9 is not in pool.tsv.
	assert.Equal(t, []string{CodeDepth + ":3", CodeNotInPool + ":4"}, codes)
	assert.False(t, rep.Valid())
}
