package transfer

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// npyFile assembles a .npy file from a version, the header text exactly as
// given (no padding or newline added) and the payload.
func npyFile(major byte, header string, payload []byte) []byte {
	b := []byte(npyMagic)
	b = append(b, major, 0)
	if major == 1 {
		b = binary.LittleEndian.AppendUint16(b, uint16(len(header)))
	} else {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(header)))
	}
	return append(append(b, header...), payload...)
}

// npyDict is a header as numpy writes it, without padding.
func npyDict(descr, fortran, shape string) string {
	return "{'descr': '" + descr + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }\n"
}

func le32s(vs ...float32) []byte {
	var b []byte
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
	}
	return b
}

func withLimits(t *testing.T, l Limits) {
	t.Helper()
	prev := CurrentLimits()
	require.NoError(t, SetLimits(l))
	t.Cleanup(func() { require.NoError(t, SetLimits(prev)) })
}

// TestNpyNumpyWrittenFiles reads files written by numpy.save (the
// conformance vectors; format 1.0, headers padded to 128 bytes) and pins
// values read with Python's struct module.
func TestNpyNumpyWrittenFiles(t *testing.T) {
	dir := filepath.Join(conformanceDir, "case02")
	raw, err := os.ReadFile(filepath.Join(dir, "features.npy"))
	require.NoError(t, err)
	assert.Equal(t, "\x93NUMPY\x01\x00v\x00{'descr': '<f4', 'fortran_order': False, 'shape': (40, 8), }", string(raw[:70]))

	f, err := ReadFeatures(filepath.Join(dir, "features.npy"))
	require.NoError(t, err)
	assert.Equal(t, [2]int{40, 8}, [2]int{f.Rows, f.Cols})
	assert.Equal(t, []float64{0.25789639353752136, 4.072727680206299, 1.39609956741333}, f.Data[:3])
	assert.Equal(t, []float64{3.2302937507629395, 1.3256288766860962}, f.Data[len(f.Data)-2:])

	l, err := ReadLabels(filepath.Join(dir, "labels.npy"))
	require.NoError(t, err)
	assert.Equal(t, []int{4, 3, 1, 2, 4, 3, 2, 0, 2, 1, 0, 4, 2, 2, 3, 2, 3, 2, 3, 1,
		3, 4, 0, 3, 1, 1, 3, 0, 3, 4, 3, 0, 2, 3, 0, 1, 4, 3, 4, 2}, l)

	p, err := ReadProbs(filepath.Join(dir, "probs.npy"))
	require.NoError(t, err)
	assert.Equal(t, [2]int{40, 5}, [2]int{p.Rows, p.Cols})
	assert.Equal(t, []float64{0.74694586026371, 0.0036139294614230847, 0.010507130426679062, 0.19130699626392617, 0.047626083584261764}, p.Row(0))

	tg, err := ReadTargets(filepath.Join(dir, "targets.npy"))
	require.NoError(t, err)
	assert.Equal(t, [2]int{40, 1}, [2]int{tg.Rows, tg.Cols})
	assert.Equal(t, []float64{0.1515567865998236, -0.5961196435952703, -1.705000695628729}, tg.Data[:3])
}

// TestNpyAcceptedHeaders: every form of header numpy's writers produce,
// keys in any order, versions 1.0 to 3.0.
func TestNpyAcceptedHeaders(t *testing.T) {
	two := le32s(1.5, -2)
	for _, tc := range []struct {
		name   string
		raw    []byte
		shape  []int
		floats []float64
	}{
		{"numpy 1.0", npyFile(1, npyDict("<f4", "False", "(2,)"), two), []int{2}, []float64{1.5, -2}},
		{"keys in another order", npyFile(1, "{'shape': (1, 2), 'fortran_order': False, 'descr': '<f4'}   \n", two), []int{1, 2}, []float64{1.5, -2}},
		{"double quotes, no trailing comma, tabs", npyFile(1, "{\"descr\":\t\"<f4\" ,\"fortran_order\":False,\"shape\":(2,1)}\n", two), []int{2, 1}, []float64{1.5, -2}},
		{"python 2 long dimensions", npyFile(1, npyDict("<f4", "False", "(2L,)"), two), []int{2}, []float64{1.5, -2}},
		{"version 2.0", npyFile(2, npyDict("<f4", "False", "(2,)"), two), []int{2}, []float64{1.5, -2}},
		{"version 3.0", npyFile(3, npyDict("<f4", "False", "(2,)"), two), []int{2}, []float64{1.5, -2}},
		{"0-d array", npyFile(1, npyDict("<f4", "False", "()"), two[:4]), []int{}, []float64{1.5}},
		{"zero rows", npyFile(1, npyDict("<f4", "False", "(0, 3)"), nil), []int{0, 3}, []float64{}},
		{"zero next to a huge dimension", npyFile(1, npyDict("<f8", "False", "(0, 9223372036854775807)"), nil), []int{0, math.MaxInt64}, []float64{}},
	} {
		a, err := decodeNpy("x.npy", tc.raw)
		require.NoError(t, err, tc.name)
		assert.Equal(t, tc.shape, a.Shape, tc.name)
		assert.Equal(t, tc.floats, a.Floats, tc.name)
	}
}

// TestNpyDtypes decodes every supported dtype, both byte orders, and
// Fortran order.
func TestNpyDtypes(t *testing.T) {
	be64 := func(v float64) []byte { return binary.BigEndian.AppendUint64(nil, math.Float64bits(v)) }
	for _, tc := range []struct {
		descr, fortran, shape string
		payload               []byte
		floats                []float64
		ints                  []int64
	}{
		{"<f8", "False", "(2,)", binary.LittleEndian.AppendUint64(binary.LittleEndian.AppendUint64(nil, math.Float64bits(0.1)), math.Float64bits(-3)), []float64{0.1, -3}, nil},
		{">f8", "False", "(2,)", append(be64(1.5), be64(-2)...), []float64{1.5, -2}, nil},
		{">f4", "False", "(1,)", []byte{0x3f, 0xc0, 0, 0}, []float64{1.5}, nil},
		// float16: 1.0, −2.0, 65504 (largest), 2⁻²⁴ (smallest subnormal), +Inf.
		{"<f2", "False", "(5,)", []byte{0x00, 0x3c, 0x00, 0xc0, 0xff, 0x7b, 0x01, 0x00, 0x00, 0x7c}, []float64{1, -2, 65504, math.Ldexp(1, -24), math.Inf(1)}, nil},
		{"|i1", "False", "(2,)", []byte{0xff, 0x7f}, nil, []int64{-1, 127}},
		{"|u1", "False", "(2,)", []byte{0xff, 0x00}, nil, []int64{255, 0}},
		{"<i2", "False", "(1,)", []byte{0xfe, 0xff}, nil, []int64{-2}},
		{">u2", "False", "(1,)", []byte{0x01, 0x02}, nil, []int64{258}},
		{"<u4", "False", "(1,)", []byte{0xff, 0xff, 0xff, 0xff}, nil, []int64{4294967295}},
		{">i4", "False", "(1,)", []byte{0xff, 0xff, 0xff, 0xfd}, nil, []int64{-3}},
		{"<i8", "False", "(1,)", []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, nil, []int64{math.MaxInt64}},
		{"<u8", "False", "(1,)", []byte{7, 0, 0, 0, 0, 0, 0, 0}, nil, []int64{7}},
		// Fortran order: column-major 1, 4, 2, 5, 3, 6 is the 2×3 [[1 2 3] [4 5 6]].
		{"<f4", "True", "(2, 3)", le32s(1, 4, 2, 5, 3, 6), []float64{1, 2, 3, 4, 5, 6}, nil},
		{"|u1", "True", "(3, 2)", []byte{1, 2, 3, 4, 5, 6}, nil, []int64{1, 4, 2, 5, 3, 6}},
		{"<f4", "True", "(3,)", le32s(1, 2, 3), []float64{1, 2, 3}, nil},
	} {
		name := tc.descr + " " + tc.fortran + " " + tc.shape
		a, err := decodeNpy("x.npy", npyFile(1, npyDict(tc.descr, tc.fortran, tc.shape), tc.payload))
		require.NoError(t, err, name)
		assert.Equal(t, tc.floats, a.Floats, name)
		assert.Equal(t, tc.ints, a.Ints, name)
	}
}

// TestNpyMalformed pins the error of each malformed file, among them those
// of issue 14 that used to panic, hang or exhaust memory.
func TestNpyMalformed(t *testing.T) {
	f4 := func(shape string) string { return npyDict("<f4", "False", shape) }
	headerOnly := f4("(100000000, 100)")
	v2huge := append([]byte("\x93NUMPY\x02\x00\xff\xff\xff\xff"), "{'descr'"...)
	for _, tc := range []struct {
		name string
		raw  []byte
		want string
	}{
		{"empty", nil, `not a valid .npy file: it does not start with the magic string "\x93NUMPY" and a version`},
		{"text", []byte("hello, world"), `not a valid .npy file: it does not start with the magic string "\x93NUMPY" and a version`},
		{"version 4.0", npyFile(4, f4("(1,)"), le32s(1)), "not a valid .npy file: format version 4.0 is not supported (1.0, 2.0 and 3.0 are)"},
		{"version 1.1", append([]byte("\x93NUMPY\x01\x01"), 0, 0), "not a valid .npy file: format version 1.1 is not supported (1.0, 2.0 and 3.0 are)"},
		{"version 2.0 cut in the length", []byte("\x93NUMPY\x02\x00\x10\x00"), "not a valid .npy file: the file ends inside the header length"},
		{"v2 header length ffffffff", v2huge, "not a valid .npy file: header length 4294967295 exceeds the 65536-byte limit"},
		{"header longer than the file", npyFile(1, f4("(1,)"), nil)[:40], "not a valid .npy file: the header claims 58 bytes, but the file ends after 30"},
		{"no newline", npyFile(1, strings.TrimSuffix(f4("(1,)"), "\n"), le32s(1)), "not a valid .npy file: header does not end with a newline"},
		{"no closing brace", npyFile(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), \n", le32s(1)),
			"not a valid .npy file: header ends where a quoted string was expected (is the closing '}' missing?)"},
		{"no closing brace after a value", npyFile(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,)\n", le32s(1)),
			"not a valid .npy file: header ends where ',' or '}' was expected (is the closing '}' missing?)"},
		{"junk after the dict", npyFile(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), } x\n", le32s(1)),
			"not a valid .npy file: header has 'x' at byte 58 where only space padding after '}' was expected"},
		{"not a dict", npyFile(1, "['descr', '<f4']\n", le32s(1)), "not a valid .npy file: header has '[' at byte 0 where '{' was expected"},
		{"missing key", npyFile(1, "{'descr': '<f4', 'shape': (1,)}\n", le32s(1)), `not a valid .npy file: header has no "fortran_order" key`},
		{"unknown key", npyFile(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}\n", le32s(1)),
			`not a valid .npy file: header has the unknown key "x" (want 'descr', 'fortran_order', 'shape')`},
		{"repeated key", npyFile(1, "{'descr': '<f4', 'descr': '<f8', 'fortran_order': False, 'shape': (1,)}\n", le32s(1)),
			`not a valid .npy file: header repeats the key "descr" at byte 17`},
		{"quote missing after a key", npyFile(1, "{'descr: '<f4'}\n", nil), "not a valid .npy file: header has '<' at byte 10 where ':' was expected"},
		{"unclosed string", npyFile(1, "{'descr\n", nil), "not a valid .npy file: header has a string starting at byte 1 that is never closed"},
		{"escape in string", npyFile(1, "{'descr': '<\\x66\\x34', 'fortran_order': False, 'shape': (1,)}\n", le32s(1)),
			`not a valid .npy file: header has a string at byte 10 with a character other than printable ASCII: "<\\x66\\x34"`},
		{"fortran_order not a bool", npyFile(1, npyDict("<f4", "0", "(1,)"), le32s(1)),
			"not a valid .npy file: header has '0' at byte 34 where True or False was expected"},
		{"structured dtype", npyFile(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,)}\n", le32s(1)),
			"not a valid .npy file: header describes a structured dtype (a list of fields); only plain numeric dtypes are supported"},
		{"complex dtype", npyFile(1, npyDict("<c16", "False", "(1,)"), make([]byte, 16)),
			`not a valid .npy file: header dtype "<c16" is not supported (want float16, float32, float64 or an integer type of 1 to 8 bytes, little- or big-endian)`},
		{"bool dtype", npyFile(1, npyDict("|b1", "False", "(1,)"), []byte{1}),
			`not a valid .npy file: header dtype "|b1" is not supported (want float16, float32, float64 or an integer type of 1 to 8 bytes, little- or big-endian)`},
		{"'|' on a multi-byte dtype", npyFile(1, npyDict("|f8", "False", "(1,)"), make([]byte, 8)),
			`not a valid .npy file: header dtype "|f8" is not supported (want float16, float32, float64 or an integer type of 1 to 8 bytes, little- or big-endian)`},
		{"native byte order", npyFile(1, npyDict("=f8", "False", "(1,)"), make([]byte, 8)),
			`not a valid .npy file: header dtype "=f8" is not supported (want float16, float32, float64 or an integer type of 1 to 8 bytes, little- or big-endian)`},
		{"shape without comma", npyFile(1, f4("(1)"), le32s(1)),
			"not a valid .npy file: header has a shape in parentheses without a comma, which Python reads as a number, not a tuple (a 1-D shape is written (N,))"},
		{"negative dimension", npyFile(1, f4("(-1,)"), le32s(1)),
			"not a valid .npy file: header has '-' at byte 51 where a non-negative integer dimension was expected"},
		{"leading zero", npyFile(1, f4("(01,)"), le32s(1)), "not a valid .npy file: header has the dimension 01 with a leading zero at byte 51"},
		{"dimension beyond int64", npyFile(1, f4("(99999999999999999999,)"), le32s(1)),
			"not a valid .npy file: header has the dimension 99999999999999999999 at byte 51, too large for any array"},
		{"shape not a tuple", npyFile(1, f4("[1]"), le32s(1)), "not a valid .npy file: header has '[' at byte 50 where '(' was expected"},
		{"65 dimensions", npyFile(1, f4("("+strings.Repeat("1, ", 65)+")"), le32s(1)), "not a valid .npy file: header has a shape of more than 64 dimensions"},
		{"Fortran 3-D", npyFile(1, npyDict("<f4", "True", "(1, 1, 1)"), le32s(1)),
			"Fortran-ordered array of shape [1 1 1] is not supported (only 1-D and 2-D arrays are)"},
		{"shape (10^12, 10^12)", npyFile(1, f4("(1000000000000, 1000000000000)"), le32s(1)),
			`file has 98 bytes, its header (dtype "<f4", shape [1000000000000 1000000000000]) declares more than 2⁶³ bytes of data`},
		{"shape (200, 2^59)", npyFile(1, f4("(200, 576460752303423488)"), le32s(1)),
			`file has 93 bytes, its header (dtype "<f4", shape [200 576460752303423488]) declares more than 2⁶³ bytes of data`},
		{"header only, (10^8, 100)", npyFile(1, headerOnly, nil),
			fmt.Sprintf(`file has %d bytes, its header (dtype "<f4", shape [100000000 100]) needs %d`, 10+len(headerOnly), 10+len(headerOnly)+4e10)},
		{"truncated", npyFile(1, f4("(2,)"), le32s(1)), `file has 72 bytes, its header (dtype "<f4", shape [2]) needs 76`},
		{"trailing bytes", npyFile(1, f4("(1,)"), le32s(1, 2)), `file has 76 bytes, its header (dtype "<f4", shape [1]) needs 72`},
		{"uint64 beyond int64", npyFile(1, npyDict("<u8", "False", "(1,)"), []byte{0, 0, 0, 0, 0, 0, 0, 0x80}),
			"value 9223372036854775808 at index 0 does not fit a signed 64-bit integer"},
	} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := decodeNpy("x.npy", tc.raw)
		runtime.ReadMemStats(&after)
		assert.EqualError(t, err, "x.npy: "+tc.want, tc.name)
		assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(64<<10), "%s: allocated %d bytes", tc.name, after.TotalAlloc-before.TotalAlloc)
	}
}

func TestNpyFileLimitAndKinds(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f.npy")
	require.NoError(t, writeNpy(p, []int{2, 2}, []float32{1, 2, 3, 4}))
	withLimits(t, Limits{MaxNpyBytes: 80, MaxClassCells: DefaultLimits.MaxClassCells})
	_, err := ReadFeatures(p)
	assert.EqualError(t, err, p+": file has 144 bytes, more than the 80-byte limit for .npy files (--max-npy-size)")

	_, err = ReadFeatures(dir)
	assert.EqualError(t, err, dir+": not a regular file")
	fifo := filepath.Join(dir, "fifo.npy")
	if syscall.Mkfifo(fifo, 0o600) == nil {
		_, err = ReadFeatures(fifo) // would block in open(2) if opened
		assert.EqualError(t, err, fifo+": not a regular file")
	}
	_, err = ReadFeatures(filepath.Join(dir, "absent.npy"))
	assert.ErrorIs(t, err, os.ErrNotExist)
}

// TestReadLabels pins the label rule: integers with 0 ≤ y < N, N × C within
// MaxClassCells, checked before anything is sized by a label.
func TestReadLabels(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, shape []int, data any) string {
		p := filepath.Join(dir, name)
		require.NoError(t, writeNpy(p, shape, data))
		return p
	}
	p := write("ok.npy", []int{4}, []int64{2, 0, 1, 0})
	l, err := ReadLabels(p)
	require.NoError(t, err)
	assert.Equal(t, []int{2, 0, 1, 0}, l)

	huge := write("huge.npy", []int{3}, []int64{0, 1, 2147483647})
	_, err = ReadLabels(huge)
	assert.EqualError(t, err, huge+": label 2147483647 of sample 2 is not a class index: labels must be 0 ≤ y < N = 3, the number of samples")
	neg := write("neg.npy", []int{3}, []int64{0, -1, 1})
	_, err = ReadLabels(neg)
	assert.EqualError(t, err, neg+": label -1 of sample 1 is not a class index: labels must be 0 ≤ y < N = 3, the number of samples")
	fl := write("float.npy", []int{2}, []float64{0, math.NaN()})
	_, err = ReadLabels(fl)
	assert.EqualError(t, err, fl+`: labels must have an integer dtype (int64, or any signed or unsigned integer of 1 to 8 bytes), got dtype "<f8"`)
	twoD := write("2d.npy", []int{1, 2}, []int64{0, 1})
	_, err = ReadLabels(twoD)
	assert.EqualError(t, err, twoD+": labels must be a 1-D array, got shape [1 2]")

	// N = 20,000 samples, one of them labelled 19,999: C = N, and LogME's
	// one-hot targets would take 20,000² doubles (3.2 GB) for a 160 kB
	// file. The default limit of 2²⁶ class cells refuses it.
	sparse := make([]int64, 20000)
	sparse[1] = 19999
	sp := write("sparse.npy", []int{20000}, sparse)
	_, err = ReadLabels(sp)
	assert.EqualError(t, err, sp+": 20000 samples × 20000 classes (largest label 19999 + 1) exceeds the limit of 67108864 class cells (--max-class-cells)")
}

// TestEstimatorsCheckLabelsFirst: labels [0, 1, 2147483647] once made
// LogME, LEEP, H-score and N-LEEP run out of memory and NCE take 3.5 GB;
// every estimator now refuses them before allocating.
func TestEstimatorsCheckLabelsFirst(t *testing.T) {
	features := Matrix{Rows: 3, Cols: 2, Data: []float64{1, 2, 3, 4, 5, 7}}
	probs := Matrix{Rows: 3, Cols: 2, Data: []float64{1, 0, 0.5, 0.5, 0, 1}}
	labels := []int{0, 1, 2147483647}
	const want = "label 2147483647 of sample 2 is not a class index: labels must be 0 ≤ y < N = 3, the number of samples"
	for _, e := range Estimators() {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := e.Score(Inputs{Features: features, Labels: labels, Probs: &probs})
		runtime.ReadMemStats(&after)
		assert.EqualError(t, err, want, e.Name)
		assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(1<<20), e.Name)
	}
	_, err := NCE([]int{0, 5, 1}, []int{0, 1, 1})
	assert.EqualError(t, err, "source labels: label 5 of sample 1 is not a class index: labels must be 0 ≤ y < N = 3, the number of samples")

	// The class-cell limit: 4 samples × 4 classes = 16 cells > 12, while
	// 4 × 3 = 12 is within it.
	withLimits(t, Limits{MaxNpyBytes: DefaultLimits.MaxNpyBytes, MaxClassCells: 12})
	_, err = LogME(NewMatrix(4, 2), []int{0, 3, 1, 2})
	assert.EqualError(t, err, "4 samples × 4 classes (largest label 3 + 1) exceeds the limit of 12 class cells (--max-class-cells)")
	c, err := checkLabels([]int{0, 2, 1, 2}, 4)
	require.NoError(t, err)
	assert.Equal(t, 3, c)
}

// TestProbsValidated: source probabilities must be finite, non-empty rows
// summing to 1.
func TestProbsValidated(t *testing.T) {
	labels := []int{0, 1}
	for _, tc := range []struct {
		probs Matrix
		want  string
	}{
		{Matrix{Rows: 2, Cols: 2, Data: []float64{1, 0, math.NaN(), 1}}, "probabilities: non-finite value NaN at row 1, column 0"},
		{Matrix{Rows: 2, Cols: 2, Data: []float64{1, 0, math.Inf(1), 0}}, "probabilities: non-finite value +Inf at row 1, column 0"},
		{Matrix{Rows: 2, Cols: 1, Data: []float64{1}}, "probabilities: 1 values for a 2×1 matrix"},
		{Matrix{Rows: 2, Cols: 0}, "probabilities: empty 2×0 matrix"},
		{Matrix{Rows: 2, Cols: 2, Data: []float64{1.5, -0.5, 0, 1}}, "probability 1.5 at row 0, column 0 is outside [0, 1]"},
	} {
		_, err := LEEP(tc.probs, labels)
		assert.EqualError(t, err, tc.want)
		_, err = NCEFromProbs(tc.probs, labels)
		assert.EqualError(t, err, tc.want)
	}
}

// TestBundleHugeShapeClaim: a features header claiming (200, 2⁵⁹) wrapped
// the bundle's size check to 0 and panicked a worker goroutine; it is now a
// bundle error naming the file.
func TestBundleHugeShapeClaim(t *testing.T) {
	dir := t.TempDir()
	_, err := SampleBundle(dir, 7, SampleConfig{Models: 2, Topics: 1, Dim: 4})
	require.NoError(t, err)
	feat := filepath.Join(dir, "topic-01", "model-01", FeaturesFile)
	raw := npyFile(1, npyDict("<f4", "False", "(200, 576460752303423488)"), make([]byte, 200*4*4))
	require.NoError(t, os.WriteFile(feat, raw, 0o644))
	_, err = OpenBundle(dir)
	assert.EqualError(t, err, "bad bundle "+dir+":\n"+feat+`: file has 3289 bytes, its header (dtype "<f4", shape [200 576460752303423488]) declares more than 2⁶³ bytes of data`)
}

// TestScoreBundleWorkerPanic: a panic inside a worker reaches the caller as
// an error naming the pair, not as a crash.
func TestScoreBundleWorkerPanic(t *testing.T) {
	dir := t.TempDir()
	_, err := SampleBundle(dir, 7, SampleConfig{Models: 2, Topics: 1, Dim: 4})
	require.NoError(t, err)
	b, err := OpenBundle(dir)
	require.NoError(t, err)
	boom := Estimator{Name: "boom", score: func(Inputs) (float64, error) { panic("index out of range [7] with length 3") }}
	_, err = ScoreBundle(b, boom, ScoreOptions{Workers: 2})
	assert.EqualError(t, err, `topic "synth/topic-1", model "synth-org/alpha-base": boom: internal error (a bug, please report it with this input): index out of range [7] with length 3`)
}
