package ship

import (
	"bytes"
	"image/png"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/baselines/stylematch"
	"github.com/ntcir-pmr/mreval/eval/assess"
	"github.com/ntcir-pmr/mreval/eval/collection"
	"github.com/ntcir-pmr/mreval/eval/subtaskb"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
)

func TestSampleFiles(t *testing.T) {
	var paths []string
	npyBytes := 0
	for _, f := range built(t).Files {
		if strings.Contains(f.Path, "subtask-b-sample") {
			paths = append(paths, f.Path)
			if strings.HasSuffix(f.Path, ".npy") {
				npyBytes += len(f.Data)
			}
		}
	}
	want := []string{"qrels/subtask-b-sample.qrels", "qrels/subtask-b-sample.pool.tsv", "qrels/subtask-b-sample.pool",
		"qrels/subtask-b-sample.topics.tsv", "qrels/subtask-b-sample/README.md"}
	for i := 1; i <= 10; i++ {
		want = append(want, "qrels/subtask-b-sample/images/T"+twoDigits(i)+".png")
	}
	want = append(want, "qrels/subtask-b-sample/topics.npy", "qrels/subtask-b-sample/topics.ids",
		"qrels/subtask-b-sample/loras.npy", "qrels/subtask-b-sample/loras.ids", "qrels/subtask-b-sample/judgments/judging-pool.tsv")
	for i := 1; i <= 10; i++ {
		want = append(want, "qrels/subtask-b-sample/judgments/T"+twoDigits(i)+".sim-a.csv", "qrels/subtask-b-sample/judgments/T"+twoDigits(i)+".sim-b.csv")
	}
	want = append(want, "runs/subtask-b-sample/embed-sim.run", "runs/subtask-b-sample/tag-match.run", "runs/subtask-b-sample/fusion-rrf.run")
	assert.Equal(t, want, paths)
	sums := string(builtFile(t, "runs/SHA256SUMS"))
	assert.Equal(t, 3, strings.Count(sums, "  subtask-b-sample/"))
	sums = string(builtFile(t, "qrels/SHA256SUMS"))
	assert.Equal(t, len(want)-3, strings.Count(sums, "  subtask-b-sample"), "every qrels/ file of the sample is pinned")
	// 128-byte headers, float32: (10 + 200) × 64 × 4 bytes.
	assert.Equal(t, 2*128+(10+200)*64*4, npyBytes)
}

func twoDigits(i int) string {
	s := strconv.Itoa(i)
	if len(s) == 1 {
		s = "0" + s
	}
	return s
}

func TestSampleIsSynthetic(t *testing.T) {
	readme := string(builtFile(t, "qrels/subtask-b-sample/README.md"))
	assert.True(t, strings.HasPrefix(readme, "# subtask-b-sample — synthetic, for format and pipeline checks only\n"))
	// Every report section repeats it.
	assert.Equal(t, 3, strings.Count(readme, "synthetic, for format and pipeline checks only)"), readme)
	var note string
	for _, n := range built(t).Notes {
		if strings.HasPrefix(n, "subtask-b-sample") {
			note = n
		}
	}
	assert.Contains(t, note, "subtask-b-sample (synthetic, for format and pipeline checks only): 200 LoRAs x 10 topics")
	c, err := collection.LookupIn(root, "subtask-b-sample")
	require.NoError(t, err)
	assert.Equal(t, collection.SampleNote, c.Note)
	pool, err := c.Pool()
	require.NoError(t, err)
	assert.Len(t, pool, 200)
	runs, err := c.RunFiles()
	require.NoError(t, err)
	assert.Equal(t, []string{"runs/subtask-b-sample/embed-sim.run", "runs/subtask-b-sample/fusion-rrf.run", "runs/subtask-b-sample/tag-match.run"}, runs)
}

// The shipped judgments follow the planted grades: each simulated
// assessor gives the planted grade or one step off, so a floor-mean of two
// is within one step of it; about a fifth of the grades slip.
func TestSampleJudgmentsFollowThePlantedGrades(t *testing.T) {
	d := generateSample()
	lora := map[string]int{}
	for i, l := range d.loras {
		lora[l.ID] = i
	}
	q, err := trecfmt.ReadQrels(memSource("q", builtFile(t, "qrels/subtask-b-sample.qrels")), trecfmt.DefaultLimits)
	require.NoError(t, err)
	require.Len(t, q.Topics, 10)
	items := 0
	for _, topic := range q.Topics {
		tq := q.ByID[topic]
		for _, doc := range tq.Docs {
			planted := d.plantedGrade(topicIndex(topic), lora[doc])
			assert.LessOrEqual(t, abs(int(tq.Value[doc])-planted), 1, "%s %s", topic, doc)
			items++
		}
	}
	slips, grades := 0, 0
	for _, f := range built(t).Files {
		if !strings.HasSuffix(f.Path, ".csv") {
			continue
		}
		js, err := assess.ParseSheet(f.Path, f.Data, 3)
		require.NoError(t, err)
		for _, j := range js {
			grades++
			g := d.plantedGrade(topicIndex(j.Topic), lora[j.Doc])
			require.LessOrEqual(t, abs(j.Grade-g), 1)
			if j.Grade != g {
				slips++
			}
		}
	}
	assert.Equal(t, 2*items, grades, "two grades per judged item")
	// Slips: probability 0.2, minus the ones clipped at 0 or 3 (which
	// change nothing); binomial sd over ~600 grades is about 0.016.
	rate := float64(slips) / float64(grades)
	assert.Greater(t, rate, 0.08)
	assert.Less(t, rate, 0.25)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// The shipped files read back through the readers the CLI uses give the
// same runs and qrels: embed-sim from the .npy files, tag-match from the
// TSVs, the qrels from the sheets.
func TestSampleRoundTripFromTree(t *testing.T) {
	q := filepath.Join(root, "qrels", "subtask-b-sample")
	topics, err := subtaskb.ReadTopicsFile(q+".topics.tsv", trecfmt.DefaultLimits)
	require.NoError(t, err)
	ic, err := topics.CheckImagesBeside()
	require.NoError(t, err)
	assert.Equal(t, subtaskb.ImageCheck{Present: 10}, ic)
	pool, err := subtaskb.ReadPoolFile(q+".pool.tsv", trecfmt.DefaultLimits)
	require.NoError(t, err)
	te, err := stylematch.ReadEmbeddings(filepath.Join(q, "topics.npy"), filepath.Join(q, "topics.ids"))
	require.NoError(t, err)
	le, err := stylematch.ReadEmbeddings(filepath.Join(q, "loras.npy"), filepath.Join(q, "loras.ids"))
	require.NoError(t, err)
	run, err := stylematch.EmbedSim(topics.IDs(), pool.IDs(), te, le, 100, "embed-sim")
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, trecfmt.WriteRun(&b, run))
	assert.Equal(t, string(builtFile(t, "runs/subtask-b-sample/embed-sim.run")), b.String())

	expected, err := assess.ReadJudgingPoolFile(filepath.Join(q, "judgments", "judging-pool.tsv"), trecfmt.DefaultLimits)
	require.NoError(t, err)
	sheets, err := filepath.Glob(filepath.Join(q, "judgments", "*.csv"))
	require.NoError(t, err)
	require.Len(t, sheets, 20)
	var js []assess.Judgment
	for _, s := range sheets {
		j, err := assess.ReadSheetFile(s, 3, trecfmt.DefaultLimits)
		require.NoError(t, err)
		js = append(js, j...)
	}
	m, err := assess.Merge(js, len(sheets), assess.MergeOptions{Expected: expected, InPool: pool.Has})
	require.NoError(t, err)
	b.Reset()
	require.NoError(t, trecfmt.WriteQrels(&b, m.Qrels()))
	assert.Equal(t, string(builtFile(t, "qrels/subtask-b-sample.qrels")), b.String())
}

func TestSampleImage(t *testing.T) {
	data := builtFile(t, "qrels/subtask-b-sample/images/T03.png")
	img, err := png.Decode(bytes.NewReader(data))
	require.NoError(t, err)
	assert.Equal(t, 32, img.Bounds().Dx())
	// T03 (i = 2) has style 2 (Anime, RGB 250 150 190). Pixel (0, 0): the
	// colour; (0, 31): lighter, c + (255 − c)·31/64 in integers; (10, 0):
	// (10 + 0 + 3·2) mod 16 = 0 < 3, inside the band: 255 − c.
	r, g, b, _ := img.At(0, 0).RGBA()
	assert.Equal(t, []uint32{250, 150, 190}, []uint32{r >> 8, g >> 8, b >> 8})
	r, g, b, _ = img.At(0, 31).RGBA()
	assert.Equal(t, []uint32{250 + 5*31/64, 150 + 105*31/64, 190 + 65*31/64}, []uint32{r >> 8, g >> 8, b >> 8})
	r, g, b, _ = img.At(10, 0).RGBA()
	assert.Equal(t, []uint32{5, 105, 65}, []uint32{r >> 8, g >> 8, b >> 8})
}
