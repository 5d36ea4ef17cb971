package modelspider

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
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
// to exactly the 8 bytes present, and make() panicked.
func TestDecodeHostileSizes(t *testing.T) {
	wrap := Config{Dim: 1 << 61, NumModels: 1, TaskFeatures: 1}
	wide := Config{Dim: 1 << 40, NumModels: 1, TaskFeatures: 1}
	probes := Representation{Kind: ReprProbes, Probes: &ProbeSpec{}}
	tests := []struct {
		name   string
		header fileHeader
		params int // bytes of parameters present
		want   string
	}{
		{"layout size wraps to the bytes present",
			fileHeader{Config: wrap, Repr: probes, Models: []string{"m"}, Tensors: claimedTensors(wrap)}, 8,
			"tensor 0 (model.free) of 1×2305843009213693952 parameters does not fit in the file's 8 parameter bytes"},
		{"d·d overflows to 0",
			fileHeader{Config: wide, Repr: probes, Models: []string{"m"}, Tensors: claimedTensors(wide)}, 0,
			"tensor 0 (model.free) of 1×1099511627776 parameters does not fit in the file's 0 parameter bytes"},
		{"negative shape",
			fileHeader{Config: Config{Dim: 1, NumModels: 1, TaskFeatures: 1}, Repr: probes, Models: []string{"m"},
				Tensors: []fileTensor{{Name: "model.free", Rows: -1, Cols: -8}}}, 8,
			"tensor 0 (model.free) has a negative shape -1×-8"},
		{"more free-token rows than models named",
			fileHeader{Config: Config{Dim: 1, NumModels: 1 << 40, TaskFeatures: 1, SpecificFeatures: []int{1, 1}}, Repr: probes,
				Models: []string{"m"}}, 0,
			"names 1 models for 1099511627776 free-token rows"},
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
			// Most mutations only break the checksum: re-sign them so that the
			// fuzzer explores what lies behind it.
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
