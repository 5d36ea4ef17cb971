package ship

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/adler32"
	"hash/crc32"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/ntcir-pmr/mreval/baselines/fusion"
	"github.com/ntcir-pmr/mreval/baselines/metadata"
	"github.com/ntcir-pmr/mreval/baselines/stylematch"
	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/assess"
	"github.com/ntcir-pmr/mreval/eval/collection"
	"github.com/ntcir-pmr/mreval/eval/measure"
	"github.com/ntcir-pmr/mreval/eval/subtaskb"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/ntcir-pmr/mreval/internal/numeric"
)

// The synthetic Subtask B sample "subtask-b-sample". No public ground truth
// exists for Subtask B, so the kit ships a made-up collection with a known
// answer: 200 LoRAs in 8 planted style clusters (4 pairs of related
// styles), 10 topics, seeded embeddings, names and tags, graded judgments
// by two simulated assessors, and the baseline runs. Every number below is
// part of what `collection check` pins.
const (
	sampleSeed      = 20250601
	sampleLoRAs     = 200
	sampleTopics    = 10
	sampleDim       = 64
	samplePoolDepth = 20
	samplePoolSeed  = 1
	sampleRunDepth  = stylematch.DefaultDepth
	// sampleAssessorSlip is the probability that a simulated assessor
	// gives a grade one step above or below the planted one.
	sampleAssessorSlip = 0.2
	sampleImageSize    = 32
)

// Spreads of the latent vectors around their style centre, and of the
// observed ("encoder") embeddings around the latent ones, in units of the
// centre's length.
const (
	sampleRelated     = 0.5 // cosine of the centres of two related styles
	sampleTopicSpread = 0.4
	sampleObsNoise    = 0.6
)

// sampleLoRASpread bounds the spread of a LoRA's latent vector around its
// style centre, drawn uniformly per LoRA: how strongly it shows its style.
var sampleLoRASpread = [2]float64{0.4, 1.6}

// sampleGradeCuts are the cosine similarities of latent vectors at which
// the planted grade reaches 1, 2 and 3.
var sampleGradeCuts = [3]float64{0.35, 0.6, 0.75}

// sampleAssessors are the simulated assessors.
var sampleAssessors = []string{"sim-a", "sim-b"}

const (
	sampleDir     = "qrels/subtask-b-sample"
	sampleRunsDir = "runs/subtask-b-sample"
	samplePrefix  = "qrels/subtask-b-sample"
)

// sampleStyle is one planted style cluster. Its words survive
// metadata.Tokenize unchanged, so tags and descriptions can match.
type sampleStyle struct {
	name    string
	words   []string
	trigger string
	rgb     [3]int
}

// Styles 2i and 2i+1 are related (share a direction).
var sampleStyles = []sampleStyle{
	{"Watercolor", []string{"watercolor", "pastel", "wet", "paper", "translucent", "bleed"}, "wtrclr", [3]int{120, 170, 220}},
	{"Ink Sketch", []string{"ink", "pen", "crosshatch", "monochrome", "sketch", "linework"}, "inksk", [3]int{40, 40, 48}},
	{"Anime", []string{"anime", "cel", "manga", "shading", "lineart", "kawaii"}, "anmst", [3]int{250, 150, 190}},
	{"Pixel Art", []string{"pixel", "retro", "sprite", "dither", "arcade", "bit"}, "pxlart", [3]int{90, 200, 90}},
	{"Oil Painting", []string{"oil", "impasto", "canvas", "baroque", "brushwork", "chiaroscuro"}, "oilpnt", [3]int{150, 95, 40}},
	{"Ukiyo-e", []string{"ukiyoe", "woodblock", "edo", "japanese", "flat", "print"}, "ukyoe", [3]int{200, 60, 50}},
	{"3D Render", []string{"render", "octane", "clay", "glossy", "isometric", "cgi"}, "rndr3d", [3]int{170, 170, 180}},
	{"Cyberpunk", []string{"neon", "cyberpunk", "synthwave", "glow", "futuristic", "hologram"}, "cybpnk", [3]int{200, 40, 230}},
}

var (
	sampleNouns   = []string{"Dream", "Mood", "Vibe", "Master", "Style", "Aesthetic", "Touch", "Diffusion"}
	sampleGeneric = []string{"Concept Mix", "Detail Tweaker", "Add More", "My LoRA", "Experiment", "Character Helper"}
	// sampleTopicTags are subject tags, which the topic descriptions share:
	// they make tag-match confuse subject with style, as real tags do.
	sampleTopicTags = []string{"portrait", "landscape", "character", "city", "animal", "detailed", "night", "flower"}
	sampleSubjects  = []string{
		"A harbour landscape at dusk", "Portrait of an old fisherman", "A fox in a snowy forest, animal study",
		"A busy city street at night", "A lighthouse landscape on a cliff", "Animal portrait of a cat asleep",
		"A mountain village landscape at sunrise", "A robot character reading a book", "A detailed flower still life",
		"A girl character holding an umbrella",
	}
)

// sampleData is the generated collection before it is written out.
type sampleData struct {
	loras      []subtaskb.LoRA
	topics     []subtaskb.Topic
	loraStyle  []int
	topicStyle []int
	latentL    [][]float64 // unit vectors
	latentT    [][]float64
	obsL, obsT []float32 // observed embeddings, row-major
	images     [][]byte  // PNG of each topic
}

// sampleRNG returns the PCG stream of one purpose of the generator.
func sampleRNG(stream uint64) *rand.Rand { return rand.New(rand.NewPCG(sampleSeed, stream)) }

// gauss is an approximately standard normal draw (Irwin–Hall: the sum of
// 12 uniforms minus 6). It uses additions only, so it is bit-identical on
// every machine, unlike a draw through math.Log or math.Exp.
func gauss(r *rand.Rand) float64 {
	s := 0.0
	for i := 0; i < 12; i++ {
		s += r.Float64()
	}
	return s - 6
}

func gaussVec(r *rand.Rand, d int, scale float64) []float64 {
	v := make([]float64, d)
	for i := range v {
		v[i] = float64(gauss(r)*scale) / math.Sqrt(float64(d))
	}
	return v
}

func unit(v []float64) []float64 {
	n := math.Sqrt(numeric.Dot(v, v))
	out := make([]float64, len(v))
	for i := range v {
		out[i] = v[i] / n
	}
	return out
}

// axpy returns a·x + b·y.
func axpy(a float64, x []float64, b float64, y []float64) []float64 {
	out := make([]float64, len(x))
	for i := range x {
		out[i] = float64(a*x[i]) + float64(b*y[i])
	}
	return out
}

func loraID(i int) string  { return fmt.Sprintf("lora-%03d", i+1) }
func topicID(i int) string { return fmt.Sprintf("T%02d", i+1) }

// generateSample makes the collection from the seed alone.
func generateSample() *sampleData {
	d := &sampleData{}
	geo := sampleRNG(1)
	nPairs := len(sampleStyles) / 2
	pairDir := make([][]float64, nPairs)
	for p := range pairDir {
		pairDir[p] = unit(gaussVec(geo, sampleDim, 1))
	}
	centre := make([][]float64, len(sampleStyles))
	for k := range centre {
		own := unit(gaussVec(geo, sampleDim, 1))
		centre[k] = unit(axpy(math.Sqrt(sampleRelated), pairDir[k/2], math.Sqrt(1-sampleRelated), own))
	}

	// LoRAs: equally many per style, in a shuffled order.
	attr := sampleRNG(2)
	d.loraStyle = make([]int, sampleLoRAs)
	for i := range d.loraStyle {
		d.loraStyle[i] = i % len(sampleStyles)
	}
	attr.Shuffle(len(d.loraStyle), func(i, j int) { d.loraStyle[i], d.loraStyle[j] = d.loraStyle[j], d.loraStyle[i] })
	for i, k := range d.loraStyle {
		spread := sampleLoRASpread[0] + float64(geo.Float64()*(sampleLoRASpread[1]-sampleLoRASpread[0]))
		d.latentL = append(d.latentL, unit(axpy(1, centre[k], 1, gaussVec(geo, sampleDim, spread))))
		d.loras = append(d.loras, sampleLoRA(attr, i, k))
	}

	// Topics: style i mod 8, so styles 0 and 1 have two topics each.
	for i := 0; i < sampleTopics; i++ {
		k := i % len(sampleStyles)
		d.topicStyle = append(d.topicStyle, k)
		d.latentT = append(d.latentT, unit(axpy(1, centre[k], 1, gaussVec(geo, sampleDim, sampleTopicSpread))))
		st := sampleStyles[k]
		w := pick(attr, st.words, 3)
		desc := fmt.Sprintf("%s in %s %s style, with %s", sampleSubjects[i], w[0], w[1], w[2])
		img := sampleImage(i, k)
		d.images = append(d.images, img)
		d.topics = append(d.topics, subtaskb.Topic{
			ID: topicID(i), Image: "subtask-b-sample/images/" + topicID(i) + ".png",
			ImageSHA256: subtaskb.SHA256(img), Description: desc,
		})
	}

	// Observed embeddings: the latent vectors plus encoder noise, float32.
	obs := sampleRNG(3)
	for _, z := range d.latentT {
		for _, x := range axpy(1, z, 1, gaussVec(obs, sampleDim, sampleObsNoise)) {
			d.obsT = append(d.obsT, float32(x))
		}
	}
	for _, z := range d.latentL {
		for _, x := range axpy(1, z, 1, gaussVec(obs, sampleDim, sampleObsNoise)) {
			d.obsL = append(d.obsL, float32(x))
		}
	}
	return d
}

// sampleLoRA makes the metadata of LoRA i of style k: a name that names
// the style 70% of the time, two or three of the style's words as tags
// (plus, at times, a word of the related style or of a random one; 10% of
// the LoRAs have no tags), and a trigger word.
func sampleLoRA(r *rand.Rand, i, k int) subtaskb.LoRA {
	st := sampleStyles[k]
	l := subtaskb.LoRA{ID: loraID(i), BaseModel: "SD-1.5", License: "synthetic", SourceURL: "https://example.org/synthetic/" + loraID(i)}
	if r.IntN(2) == 1 {
		l.BaseModel = "SDXL"
	}
	if r.Float64() < 0.7 {
		l.Name = fmt.Sprintf("%s %s v%d", strings.ToUpper(st.words[0][:1])+st.words[0][1:], sampleNouns[r.IntN(len(sampleNouns))], 1+r.IntN(3))
	} else {
		l.Name = fmt.Sprintf("%s %d", sampleGeneric[r.IntN(len(sampleGeneric))], 1+r.IntN(99))
	}
	if r.Float64() >= 0.1 {
		l.Tags = pick(r, st.words[1:], 1+r.IntN(3))
		if r.Float64() < 0.3 {
			rel := sampleStyles[k^1].words
			l.Tags = append(l.Tags, rel[r.IntN(len(rel))])
		}
		if r.Float64() < 0.2 {
			other := sampleStyles[r.IntN(len(sampleStyles))].words
			l.Tags = append(l.Tags, other[r.IntN(len(other))])
		}
		l.Tags = append(l.Tags, pick(r, sampleTopicTags, r.IntN(3))...)
	}
	l.TriggerWords = []string{fmt.Sprintf("%s%02d", st.trigger, 1+r.IntN(99))}
	return l
}

// pick returns n distinct elements of words in a random order.
func pick(r *rand.Rand, words []string, n int) []string {
	idx := r.Perm(len(words))
	out := make([]string, n)
	for i := range out {
		out[i] = words[idx[i]]
	}
	return out
}

// plantedGrade is the grade the generator plants for a topic and a LoRA:
// the cosine similarity of their latent vectors cut at sampleGradeCuts.
func (d *sampleData) plantedGrade(t, l int) int {
	s := numeric.Dot(d.latentT[t], d.latentL[l])
	g := 0
	for _, c := range sampleGradeCuts {
		if s >= c {
			g++
		}
	}
	return g
}

// sampleImage draws the image of topic i (style k): the style's colour,
// lighter towards the bottom, crossed by a diagonal band whose position
// depends on the topic. Integer arithmetic only.
func sampleImage(i, k int) []byte {
	n := sampleImageSize
	c := sampleStyles[k].rgb
	pix := make([]byte, 0, n*n*3)
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			for ch := 0; ch < 3; ch++ {
				v := c[ch] + (255-c[ch])*y/(2*n)
				if (x+y+3*i)%16 < 3 {
					v = 255 - v
				}
				pix = append(pix, byte(v))
			}
		}
	}
	return encodePNG(n, n, pix)
}

// encodePNG writes 8-bit RGB pixels as a PNG whose image data is one
// stored (uncompressed) deflate block, so the bytes depend on the pixels
// alone (image/png's compressor may change between Go releases).
func encodePNG(w, h int, rgb []byte) []byte {
	raw := make([]byte, 0, h*(1+3*w))
	for y := 0; y < h; y++ {
		raw = append(raw, 0) // filter: none
		raw = append(raw, rgb[y*3*w:(y+1)*3*w]...)
	}
	if len(raw) > 0xffff {
		panic("encodePNG: image too large for one stored block")
	}
	z := []byte{0x78, 0x01, 0x01} // zlib header; final stored block
	n := uint16(len(raw))
	z = binary.LittleEndian.AppendUint16(z, n)
	z = binary.LittleEndian.AppendUint16(z, ^n)
	z = append(z, raw...)
	z = binary.BigEndian.AppendUint32(z, adler32.Checksum(raw))
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, 8, 2, 0, 0, 0) // 8 bits, RGB, deflate, no filter method, no interlace
	for _, c := range []struct {
		typ  string
		data []byte
	}{{"IHDR", ihdr}, {"IDAT", z}, {"IEND", nil}} {
		b.Write(binary.BigEndian.AppendUint32(nil, uint32(len(c.data))))
		body := append([]byte(c.typ), c.data...)
		b.Write(body)
		b.Write(binary.BigEndian.AppendUint32(nil, crc32.ChecksumIEEE(body)))
	}
	return b.Bytes()
}

// simulateGrades fills the sheets as the two simulated assessors would:
// the planted grade, one step off (up or down, within 0–3) with
// probability sampleAssessorSlip. Assessor a on topic t draws from the
// stream (seed, 100 + 100·a + t), items in sheet order.
func (d *sampleData) simulateGrades(sheets []assess.Sheet) {
	loraIdx := map[string]int{}
	for i, l := range d.loras {
		loraIdx[l.ID] = i
	}
	for s := range sheets {
		rows := sheets[s].Rows
		a := indexOf(sampleAssessors, rows[0].Assessor)
		t := topicIndex(rows[0].Topic)
		r := sampleRNG(uint64(100 + 100*a + t))
		for i := range rows {
			g := d.plantedGrade(t, loraIdx[rows[i].Doc])
			if r.Float64() < sampleAssessorSlip {
				if r.IntN(2) == 0 {
					g--
				} else {
					g++
				}
				g = min(max(g, 0), assess.DefaultMaxGrade)
			}
			rows[i].Grade = strconv.Itoa(g)
		}
	}
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

func topicIndex(id string) int {
	n, _ := strconv.Atoi(strings.TrimPrefix(id, "T"))
	return n - 1
}

// subtaskBSample builds every file of the sample. Each step reads back
// what the previous one wrote, through the same parsers the CLI uses.
func subtaskBSample() ([]File, string, error) {
	d := generateSample()
	var files []File
	add := func(rel string, data []byte) { files = append(files, File{Path: rel, Data: data}) }

	var poolTSV, topicsTSV bytes.Buffer
	if err := subtaskb.WritePool(&poolTSV, d.loras); err != nil {
		return nil, "", err
	}
	if err := subtaskb.WriteTopics(&topicsTSV, d.topics); err != nil {
		return nil, "", err
	}
	pool, err := subtaskb.ParsePool(samplePrefix+".pool.tsv", poolTSV.Bytes())
	if err != nil {
		return nil, "", err
	}
	topics, err := subtaskb.ParseTopics(samplePrefix+".topics.tsv", topicsTSV.Bytes())
	if err != nil {
		return nil, "", err
	}
	topicEmb, err := stylematch.EncodeNpy(sampleTopics, sampleDim, d.obsT)
	if err != nil {
		return nil, "", err
	}
	loraEmb, err := stylematch.EncodeNpy(sampleLoRAs, sampleDim, d.obsL)
	if err != nil {
		return nil, "", err
	}

	// The baselines and their fusion.
	te := &stylematch.Embeddings{IDs: topics.IDs(), Dim: sampleDim, Data: widen(d.obsT), Source: sampleDir + "/topics.npy"}
	le := &stylematch.Embeddings{IDs: pool.IDs(), Dim: sampleDim, Data: widen(d.obsL), Source: sampleDir + "/loras.npy"}
	embed, err := stylematch.EmbedSim(topics.IDs(), pool.IDs(), te, le, sampleRunDepth, "embed-sim")
	if err != nil {
		return nil, "", err
	}
	tags, notes, err := stylematch.TagMatch(topics.Topics, pool.LoRAs, metadata.DefaultBM25, sampleRunDepth, "tag-match")
	if err != nil {
		return nil, "", err
	}
	if len(notes) > 0 {
		return nil, "", fmt.Errorf("subtask-b-sample: %s", strings.Join(notes, "; "))
	}
	fused, err := fusion.RRF([]*eval.Run{embed, tags}, fusion.DefaultRRFK, "fusion-rrf")
	if err != nil {
		return nil, "", err
	}
	stylematch.Truncate(fused, sampleRunDepth)
	runs := map[string]*eval.Run{"embed-sim": embed, "tag-match": tags, "fusion-rrf": fused}
	runBytes := map[string][]byte{}
	for _, name := range []string{"embed-sim", "tag-match", "fusion-rrf"} {
		var b bytes.Buffer
		if err := trecfmt.WriteRun(&b, runs[name]); err != nil {
			return nil, "", err
		}
		runBytes[name] = b.Bytes()
		// Read back as `mreval pool` reads the files, named by path.
		src, err := trecfmt.NewSource(sampleRunsDir+"/"+name+".run", io.NopCloser(bytes.NewReader(b.Bytes())), trecfmt.DefaultLimits)
		if err != nil {
			return nil, "", err
		}
		if runs[name], err = trecfmt.ReadRun(src, trecfmt.DefaultLimits); err != nil {
			return nil, "", err
		}
	}

	// Pooling the two baselines, judging by the simulated assessors, and
	// merging into qrels.
	pooled, err := assess.Pool([]*eval.Run{runs["embed-sim"], runs["tag-match"]}, assess.PoolOptions{Depth: samplePoolDepth, Seed: samplePoolSeed})
	if err != nil {
		return nil, "", err
	}
	var jp, stats bytes.Buffer
	if err := assess.WriteJudgingPool(&jp, pooled); err != nil {
		return nil, "", err
	}
	if err := pooled.WriteStats(&stats); err != nil {
		return nil, "", err
	}
	expected, err := assess.ParseJudgingPool(sampleDir+"/judgments/judging-pool.tsv", jp.Bytes())
	if err != nil {
		return nil, "", err
	}
	sheets, err := pooled.Sheets(sampleAssessors)
	if err != nil {
		return nil, "", err
	}
	d.simulateGrades(sheets)
	var judgments []assess.Judgment
	var sheetFiles []File
	for _, s := range sheets {
		var b bytes.Buffer
		if err := assess.WriteSheet(&b, s.Rows); err != nil {
			return nil, "", err
		}
		rel := sampleDir + "/judgments/" + s.Name
		js, err := assess.ParseSheet(rel, b.Bytes(), assess.DefaultMaxGrade)
		if err != nil {
			return nil, "", err
		}
		judgments = append(judgments, js...)
		sheetFiles = append(sheetFiles, File{Path: rel, Data: b.Bytes()})
	}
	merged, err := assess.Merge(judgments, len(sheets), assess.MergeOptions{
		Rule: assess.MergeRule{Kind: "floor-mean"}, Expected: expected,
		InPool: pool.Has, PoolName: pool.File,
	})
	if err != nil {
		return nil, "", err
	}
	var qrels bytes.Buffer
	if err := trecfmt.WriteQrels(&qrels, merged.Qrels()); err != nil {
		return nil, "", err
	}
	var report bytes.Buffer
	if err := merged.WriteReport(&report); err != nil {
		return nil, "", err
	}
	q, err := trecfmt.ReadQrels(memSource(samplePrefix+".qrels", qrels.Bytes()), trecfmt.DefaultLimits)
	if err != nil {
		return nil, "", err
	}
	measureNames, scores, err := sampleScores(q, runs)
	if err != nil {
		return nil, "", err
	}

	add(samplePrefix+".qrels", qrels.Bytes())
	add(samplePrefix+".pool.tsv", poolTSV.Bytes())
	add(samplePrefix+".pool", idList(pool.IDs()))
	add(samplePrefix+".topics.tsv", topicsTSV.Bytes())
	add(sampleDir+"/README.md", sampleReadme(stats.String(), report.String(), measureNames, scores))
	for i, t := range d.topics {
		add("qrels/"+t.Image, d.images[i])
	}
	add(sampleDir+"/topics.npy", topicEmb)
	add(sampleDir+"/topics.ids", idList(topics.IDs()))
	add(sampleDir+"/loras.npy", loraEmb)
	add(sampleDir+"/loras.ids", idList(pool.IDs()))
	add(sampleDir+"/judgments/judging-pool.tsv", jp.Bytes())
	files = append(files, sheetFiles...)
	for _, name := range []string{"embed-sim", "tag-match", "fusion-rrf"} {
		add(sampleRunsDir+"/"+name+".run", runBytes[name])
	}
	note := fmt.Sprintf("subtask-b-sample (%s): %d LoRAs x %d topics; %d items pooled at depth %d, judged by %d simulated assessors (%s); Krippendorff's alpha %s",
		collection.SampleNote, len(d.loras), len(d.topics), pooled.Size(), samplePoolDepth, len(sampleAssessors), kappaSummary(merged), merged.Alpha)
	return files, note, nil
}

func kappaSummary(m *assess.Merged) string {
	var parts []string
	for _, p := range m.Pairs {
		parts = append(parts, fmt.Sprintf("linear-weighted kappa %s", p.KappaLinear))
	}
	return strings.Join(parts, ", ")
}

func widen(x []float32) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}

func memSource(name string, data []byte) *trecfmt.Source {
	src, err := trecfmt.NewSource(name, io.NopCloser(bytes.NewReader(data)), trecfmt.DefaultLimits)
	if err != nil {
		panic(err) // NewSource fails only on corrupt gzip, which plain text is not
	}
	return src
}

// sampleMeasures are the Subtask B measures of the sample's README.
var sampleMeasures = []string{"ndcg@10", "q", "nerr@10", "P@10", "judged@10", "judged@20"}

// sampleScores evaluates the runs on the sample's qrels: the names of the
// measure values in output order, and their means per run.
func sampleScores(q *eval.Qrels, runs map[string]*eval.Run) ([]string, map[string][]float64, error) {
	ms, err := measure.ParseAll(sampleMeasures)
	if err != nil {
		return nil, nil, err
	}
	var names []string
	for _, c := range measure.Columns(ms) {
		names = append(names, c.Name)
	}
	out := map[string][]float64{}
	for name, r := range runs {
		res := measure.Evaluate(q, r, measure.Config{Measures: ms, Workers: 1})
		out[name] = res.All
	}
	return names, out, nil
}

// judgedSentence says how far the qrels cover each run, from its judged@k
// means.
func judgedSentence(measures []string, scores map[string][]float64) string {
	var parts []string
	for _, name := range []string{"embed-sim", "tag-match", "fusion-rrf"} {
		var cov []string
		for c, m := range measures {
			if strings.HasPrefix(m, "judged@") {
				cov = append(cov, fmt.Sprintf("%s %.4f", m, scores[name][c]))
			}
		}
		parts = append(parts, name+": "+strings.Join(cov, ", "))
	}
	return "Coverage by the judgments (" + strings.Join(parts, "; ") + "). The pooled runs are fully judged down\n" +
		"to the pool depth; `fusion-rrf`, which was not pooled, ranks unjudged LoRAs, scored as non-relevant\n" +
		"(`--condensed` removes them from the ranking instead)."
}

func sampleReadme(stats, report string, measures []string, scores map[string][]float64) []byte {
	var b strings.Builder
	b.WriteString("# subtask-b-sample — " + collection.SampleNote + "\n\n")
	b.WriteString("**This collection is synthetic, for format and pipeline checks only.** Its LoRAs, topics, images,\n" +
		"embeddings and judgments are made up by a seeded generator (`internal/ship/sample.go`); the scores\n" +
		"below say nothing about real style retrieval. It exists so that the Subtask B tools — pool and topic\n" +
		"files, the validator, the baselines, `mreval fuse`, pooling, judging sheets, `mreval qrels\n" +
		"from-judgments` and `mreval eval --task B` — can be run end to end and checked against a known answer.\n" +
		"Generated by `mreval collection build` and verified byte for byte by `mreval collection check`; do not\n" +
		"edit. Formats and workflow: `docs/subtask-b.md`.\n\n")
	fmt.Fprintf(&b, "## How it is made\n\n"+
		"- %d LoRAs in %d planted style clusters of %d LoRAs each (four pairs of related styles:", sampleLoRAs, len(sampleStyles), sampleLoRAs/len(sampleStyles))
	for k := 0; k < len(sampleStyles); k += 2 {
		sep := ","
		if k+2 == len(sampleStyles) {
			sep = ")."
		}
		fmt.Fprintf(&b, " %s–%s%s", sampleStyles[k].name, sampleStyles[k+1].name, sep)
	}
	fmt.Fprintf(&b, " Each LoRA\n"+
		"  has a latent unit vector (its style centre plus noise) in %d dimensions, a name, tags and a trigger word;\n"+
		"  the names name the style 70%% of the time, the tags are words of the style with some words of other styles.\n"+
		"- %d topics (topic i has style i mod 8), each with a latent vector, a %d×%d PNG image and a description.\n"+
		"- The embeddings (`topics.npy`, `loras.npy`, float32) are the latent vectors plus noise, standing in for an\n"+
		"  image encoder such as CLIP; `topics.ids` and `loras.ids` name their rows.\n"+
		"- The planted grade of a (topic, LoRA) is the cosine similarity of their latent vectors cut at %g, %g and %g\n"+
		"  (grades 1, 2, 3): same style mostly 2–3, related style mostly 1, other styles 0.\n"+
		"- Runs: `embed-sim` and `tag-match` (depth %d) and their reciprocal rank fusion `fusion-rrf` (k = %d,\n"+
		"  cut to depth %d).\n"+
		"- Judging: `embed-sim` and `tag-match` pooled at depth %d (seed %d); each topic's sheet graded by two\n"+
		"  simulated assessors (%s), each giving the planted grade, or one step off with probability %g;\n"+
		"  merged by `floor-mean`. `fusion-rrf` was not pooled: it plays a later run with unjudged documents.\n\n",
		sampleDim, sampleTopics, sampleImageSize, sampleImageSize, sampleGradeCuts[0], sampleGradeCuts[1], sampleGradeCuts[2],
		sampleRunDepth, fusion.DefaultRRFK, sampleRunDepth, samplePoolDepth, samplePoolSeed, strings.Join(sampleAssessors, ", "), sampleAssessorSlip)
	b.WriteString("## Files\n\n| file | content |\n| --- | --- |\n")
	fmt.Fprintf(&b, "| `../subtask-b-sample.pool.tsv` | the pool file: %d LoRAs |\n", sampleLoRAs)
	b.WriteString("| `../subtask-b-sample.pool` | its `lora_id` column, one per line (for `--pool` of `mreval validate`, `--collection`) |\n")
	fmt.Fprintf(&b, "| `../subtask-b-sample.topics.tsv` | the topics file: %d topics, images under `images/` |\n", sampleTopics)
	b.WriteString("| `../subtask-b-sample.qrels` | the merged judgments, levels 0–3 |\n")
	fmt.Fprintf(&b, "| `images/%s.png` … `%s.png` | the topic images |\n", topicID(0), topicID(sampleTopics-1))
	fmt.Fprintf(&b, "| `topics.npy`, `topics.ids`, `loras.npy`, `loras.ids` | the embeddings (%d × %d and %d × %d, float32) and the ids of their rows |\n",
		sampleTopics, sampleDim, sampleLoRAs, sampleDim)
	b.WriteString("| `judgments/judging-pool.tsv` | the items to judge, as `mreval pool` writes it |\n")
	b.WriteString("| `judgments/<topic>.<assessor>.csv` | the filled judging sheets |\n")
	b.WriteString("| `../../runs/subtask-b-sample/*.run` | the three runs |\n\n")
	b.WriteString("## Round trip\n\nFrom the module root, these reproduce the shipped files exactly (the CLI tests run them):\n\n```\n" +
		"Q=qrels/subtask-b-sample; R=runs/subtask-b-sample\n" +
		"mreval baseline embed-sim --topics $Q.topics.tsv --pool $Q.pool.tsv --topic-emb $Q/topics.npy --topic-ids $Q/topics.ids \\\n" +
		"    --lora-emb $Q/loras.npy --lora-ids $Q/loras.ids -o embed-sim.run\n" +
		"mreval baseline tag-match --topics $Q.topics.tsv --pool $Q.pool.tsv -o tag-match.run\n" +
		"mreval fuse --method rrf --depth 100 -o fusion-rrf.run embed-sim.run tag-match.run\n" +
		"mreval pool --depth 20 --seed 1 --assessors sim-a,sim-b -o sheets $R/embed-sim.run $R/tag-match.run\n" +
		"   # sheets/ = $Q/judgments/ with the grade column empty\n" +
		"mreval qrels from-judgments --judging-pool $Q/judgments/judging-pool.tsv --pool $Q.pool.tsv \\\n" +
		"    -o sample.qrels $Q/judgments/*.csv             # = $Q.qrels\n" +
		"mreval eval --task B --collection subtask-b-sample $R/*.run\n```\n\n")
	b.WriteString("## Pool statistics (" + collection.SampleNote + ")\n\n```\n" + stats + "```\n\n")
	summary := report
	if i := strings.Index(report, "\ndisagreements:"); i >= 0 {
		end := strings.Index(report[i+1:], "\n")
		summary = report[:i+1+end+1]
	}
	b.WriteString("## Judgments (" + collection.SampleNote + ")\n\n`mreval qrels from-judgments` reports (the list of disagreements is left out here):\n\n```\n" + summary + "```\n\n")
	b.WriteString("## Scores (" + collection.SampleNote + ")\n\nMeans over the " + strconv.Itoa(sampleTopics) + " topics (`mreval eval --collection subtask-b-sample -m " + strings.Join(sampleMeasures, " -m ") + " RUN`):\n\n")
	b.WriteString("| run | " + strings.Join(measures, " | ") + " |\n|" + strings.Repeat(" --- |", len(measures)+1) + "\n")
	for _, name := range []string{"embed-sim", "tag-match", "fusion-rrf"} {
		b.WriteString("| " + name)
		for _, v := range scores[name] {
			fmt.Fprintf(&b, " | %.4f", v)
		}
		b.WriteString(" |\n")
	}
	b.WriteString("\n" + judgedSentence(measures, scores) + "\n")
	return []byte(b.String())
}
