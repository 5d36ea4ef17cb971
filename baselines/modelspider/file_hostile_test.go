package modelspider

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rankerFile assembles a ranker file around a header and parameter bytes,
// with a valid checksum, so that Decode reaches the checks behind it.
func rankerFile(t testing.TB, h fileHeader, params []byte) []byte {
	t.Helper()
	js, err := json.Marshal(h)
	require.NoError(t, err)
	var b bytes.Buffer
	b.WriteString(fileMagic)
	require.NoError(t, binary.Write(&b, binary.LittleEndian, uint32(FileVersion)))
	require.NoError(t, binary.Write(&b, binary.LittleEndian, uint32(len(js))))
	b.Write(js)
	b.Write(params)
	require.NoError(t, binary.Write(&b, binary.LittleEndian, crc32.ChecksumIEEE(b.Bytes())))
	return b.Bytes()
}

// claimedTensors lists the tensors newLayout makes for cfg, as a hostile
// header would copy them to pass the shape comparison.
func claimedTensors(cfg Config) []fileTensor {
	var out []fileTensor
	for _, s := range newLayout(cfg).specs {
		out = append(out, fileTensor{Name: s.Name, Rows: s.Rows, Cols: s.Cols})
	}
	return out
}

// TestDecodeHostileSizes pins that sizes claimed by a header are checked
// against the bytes present before anything is multiplied or allocated.
// With d = 2^61 the 7·2^61 + 1 parameters of the layout wrapped, times 8,
// to exactly the 8 bytes present, and make() panicked; now the
// configuration is refused by its size, and a tensor list claiming more
// than the bytes present is refused before it is compared with it.
func TestDecodeHostileSizes(t *testing.T) {
	wrap := Config{Dim: 1 << 61, NumModels: 1, TaskFeatures: 1}
	small := Config{Dim: 1, NumModels: 1, TaskFeatures: 1}
	probes := Representation{Kind: ReprProbes, Probes: &ProbeSpec{}}
	tests := []struct {
		name   string
		header fileHeader
		params int // bytes of parameters present
		want   string
	}{
		{"layout size wraps to the bytes present",
			fileHeader{Config: wrap, Repr: probes, Models: []string{"m"}, Tensors: claimedTensors(wrap)}, 8,
			"config: 2305843009213693952 or more parameters, more than a network may have (16777216)"},
		{"tensor claims more than the bytes present",
			fileHeader{Config: small, Repr: probes, Models: []string{"m"},
				Tensors: []fileTensor{{Name: "model.free", Rows: 1, Cols: 1 << 61}}}, 8,
			"tensor 0 (model.free) of 1×2305843009213693952 parameters does not fit in the file's 8 parameter bytes"},
		{"tensor products wrap to the bytes present",
			fileHeader{Config: small, Repr: probes, Models: []string{"m"},
				Tensors: []fileTensor{{Name: "model.free", Rows: 1 << 32, Cols: 1 << 32}, {Name: "model.bias", Rows: 1, Cols: 1}}}, 8,
			"tensor 0 (model.free) of 4294967296×4294967296 parameters does not fit in the file's 8 parameter bytes"},
		{"negative shape",
			fileHeader{Config: small, Repr: probes, Models: []string{"m"},
				Tensors: []fileTensor{{Name: "model.free", Rows: -1, Cols: -8}}}, 8,
			"tensor 0 (model.free) has a negative shape -1×-8"},
		{"more free-token rows than models named",
			fileHeader{Config: Config{Dim: 1, NumModels: 5, TaskFeatures: 1}, Repr: probes, Models: []string{"m"}}, 0,
			"names 1 models for 5 free-token rows"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode(rankerFile(t, tc.header, make([]byte, tc.params)))
			require.Error(t, err)
			assert.Equal(t, "ranker file: "+tc.want, err.Error())
		})
	}
}

func TestLoadRefusesNonRegularAndHugeFiles(t *testing.T) {
	_, err := Load(os.DevNull)
	require.Error(t, err)
	assert.Equal(t, os.DevNull+": not a regular file but a device", err.Error())

	_, err = Load(t.TempDir())
	require.Error(t, err)
	assert.Contains(t, err.Error(), ": not a regular file but a directory")

	big := filepath.Join(t.TempDir(), "big.msp")
	f, err := os.Create(big)
	require.NoError(t, err)
	require.NoError(t, f.Truncate(MaxFileSize+1)) // sparse: no disk used
	require.NoError(t, f.Close())
	_, err = Load(big)
	require.Error(t, err)
	assert.Equal(t, big+": "+strconv.Itoa(MaxFileSize+1)+" bytes, more than a ranker file may have (536870912)", err.Error())
}

// FuzzDecode: no ranker file makes Decode panic or allocate beyond its
// size, and whatever it accepts writes back to the same bytes.
func FuzzDecode(f *testing.F) {
	probes := Representation{Kind: ReprProbes, Probes: &ProbeSpec{}}
	small := Config{Dim: 2, FFN: 1, NumModels: 2, TaskFeatures: 1, SpecificFeatures: []int{0, 1}}
	f.Add(rankerFile(f, fileHeader{Config: small, Repr: probes, Models: []string{"a", "b"}, Tensors: claimedTensors(small)},
		make([]byte, 8*newLayout(small).size)))
	wrap := Config{Dim: 1 << 61, NumModels: 1, TaskFeatures: 1}
	f.Add(rankerFile(f, fileHeader{Config: wrap, Repr: probes, Models: []string{"m"}, Tensors: claimedTensors(wrap)}, make([]byte, 8)))
	f.Add([]byte(fileMagic))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) >= 4 {
			// Most mutations only break the checksum: re-sign them (on a copy:
			// the input belongs to the fuzzer) so that the fuzzer explores
			// what lies behind it.
			data = bytes.Clone(data)
			binary.LittleEndian.PutUint32(data[len(data)-4:], crc32.ChecksumIEEE(data[:len(data)-4]))
		}
		r, err := Decode(data)
		if err != nil {
			return
		}
		var out bytes.Buffer
		if _, err := r.WriteTo(&out); err != nil {
			t.Fatalf("accepted ranker does not write back: %v", err)
		}
	})
}

// TestConfigSizeBound pins that a configuration is refused by its
// parameter count before a network is built: --dim 100000000 made
// makeslice panic, --ffn 100000000 ran out of memory.
func TestConfigSizeBound(t *testing.T) {
	ok := Config{Dim: 16, NumModels: 3, TaskFeatures: 4, SpecificFeatures: []int{0, 2}}
	require.NoError(t, ok.validate())
	// 3·16 free + 16 bias + 16·4 proj + 16 bias + 3·256 attention + 2·16 ln1
	// + 16 head.w + 1 head.b = 961, and model 1's 16·2 + 16 specific, + 16 type.
	assert.Equal(t, 961+48+16, newLayout(ok).size)

	// Counts by hand: d = 4096 is 3·4096² attention + 7·4096 + 1; FFN 5e6 at
	// d = 2 is 2·(2·5e6) + 5e6 + 33; the first specific map of 2·2^23 + 2
	// already passes the bound (29 fixed parameters before it).
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{Dim: 100_000_000, NumModels: 1, TaskFeatures: 1}, "config: 100000000 or more parameters, more than a network may have (16777216)"},
		{Config{Dim: 4096, NumModels: 1, TaskFeatures: 1}, "config: 50360321 or more parameters, more than a network may have (16777216)"},
		{Config{Dim: 2, FFN: 100_000_000, NumModels: 1, TaskFeatures: 1}, "config: 100000000 or more parameters, more than a network may have (16777216)"},
		{Config{Dim: 2, FFN: 5_000_000, NumModels: 1, TaskFeatures: 1}, "config: 25000033 or more parameters, more than a network may have (16777216)"},
		{Config{Dim: 2, NumModels: 2, TaskFeatures: 1, SpecificFeatures: []int{1 << 23, 1 << 23}}, "config: 16777247 or more parameters, more than a network may have (16777216)"},
		{Config{Dim: 1 << 61, NumModels: 1, TaskFeatures: 1}, "config: 2305843009213693952 or more parameters, more than a network may have (16777216)"},
	} {
		assert.EqualError(t, tc.cfg.validate(), tc.want)
	}
}

func TestTrainStepsBound(t *testing.T) {
	tc := TrainConfig{Steps: MaxSteps, LR: 0.01, Weighting: Hyperbolic}
	require.NoError(t, tc.validate())
	for _, steps := range []int{0, MaxSteps + 1, 1_000_000_000_000} {
		tc.Steps = steps
		assert.EqualError(t, tc.validate(), fmt.Sprintf("train: %d steps, need 1 to 10000", steps))
	}
}
