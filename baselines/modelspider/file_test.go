package modelspider

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func tinyRanker(t *testing.T) *Ranker {
	t.Helper()
	net, _, _ := tinyProblemWith(t, 3, true, true)
	return &Ranker{
		Net:     net,
		Repr:    Representation{Kind: ReprEstimators, Estimators: &EstimatorSpec{Estimators: []string{"a", "b"}}},
		Models:  []string{"m/0", "m/1", "m/2", "m/3", "m/4"},
		NetSeed: 7,
		Train:   TrainConfig{Seed: 7, Steps: 3, LR: 0.1, Weighting: Hyperbolic},
	}
}

func TestRankerRoundTrip(t *testing.T) {
	r := tinyRanker(t)
	path := filepath.Join(t.TempDir(), "r.msp")
	require.NoError(t, r.Save(path))
	got, err := Load(path)
	require.NoError(t, err)
	assert.Equal(t, r.Net.cfg, got.Net.cfg)
	assert.Equal(t, r.Repr, got.Repr)
	assert.Equal(t, r.Models, got.Models)
	assert.Equal(t, r.NetSeed, got.NetSeed)
	assert.Equal(t, r.Train, got.Train)
	require.Len(t, got.Net.params, len(r.Net.params))
	for i := range r.Net.params {
		require.Equal(t, math.Float64bits(r.Net.params[i]), math.Float64bits(got.Net.params[i]))
	}
	// The loaded network computes the same scores.
	_, models, batch := tinyProblemWith(t, 3, true, true)
	s1, err := r.Net.NewScorer(models)
	require.NoError(t, err)
	s2, err := got.Net.NewScorer(models)
	require.NoError(t, err)
	a, err := s1.ScoresWith(batch[0].tokens, batch[0].pair)
	require.NoError(t, err)
	b, err := s2.ScoresWith(batch[0].tokens, batch[0].pair)
	require.NoError(t, err)
	assert.Equal(t, a, b)
	// Saving again gives the same bytes.
	var w1, w2 bytes.Buffer
	_, err = r.WriteTo(&w1)
	require.NoError(t, err)
	_, err = got.WriteTo(&w2)
	require.NoError(t, err)
	assert.Equal(t, w1.Bytes(), w2.Bytes())
}

func TestRankerFileErrors(t *testing.T) {
	var buf bytes.Buffer
	_, err := tinyRanker(t).WriteTo(&buf)
	require.NoError(t, err)
	good := buf.Bytes()
	// resign recomputes the checksum after a deliberate change, so that the
	// check behind it is reached.
	resign := func(b []byte) []byte {
		binary.LittleEndian.PutUint32(b[len(b)-4:], crc32.ChecksumIEEE(b[:len(b)-4]))
		return b
	}
	clone := func() []byte { return append([]byte(nil), good...) }
	hlen := int(binary.LittleEndian.Uint32(good[12:]))
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "bad magic number"},
		{"not a ranker", []byte("topic Q0 doc 1 2.5 tag\n"), "bad magic number"},
		{"flipped bit", func() []byte { b := clone(); b[len(b)/2] ^= 1; return b }(), "checksum mismatch"},
		{"truncated", good[:len(good)-9], "checksum mismatch"},
		{"future version", func() []byte { b := clone(); b[8] = 9; return resign(b) }(), "version 9, this mreval reads version 1"},
		{"header too long", func() []byte { b := clone(); binary.LittleEndian.PutUint32(b[12:], 1<<30); return resign(b) }(), "header length"},
		{"missing parameters", func() []byte {
			b := append(clone()[:len(good)-4-8], 0, 0, 0, 0)
			return resign(b)
		}(), "parameter bytes"},
		{"non-finite parameter", func() []byte {
			b := clone()
			binary.LittleEndian.PutUint64(b[16+hlen:], math.Float64bits(math.NaN()))
			return resign(b)
		}(), "non-finite parameter"},
		{"unknown header field", func() []byte {
			b := clone()
			hdr := bytes.Replace(b[16:16+hlen], []byte(`"format"`), []byte(`"formax"`), 1)
			copy(b[16:], hdr)
			return resign(b)
		}(), "unknown field"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode(tc.data)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	_, err = Load(filepath.Join(t.TempDir(), "absent.msp"))
	assert.ErrorIs(t, err, os.ErrNotExist)
}

func TestSaveIsAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.msp")
	require.NoError(t, os.WriteFile(path, []byte("old"), 0o644))
	r := tinyRanker(t)
	r.Models = r.Models[:2] // inconsistent with the network: WriteTo refuses
	require.Error(t, r.Save(path))
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "old", string(b), "a failed save leaves the old file")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary file left behind")
}

func TestCopeland(t *testing.T) {
	// Three rankings of items A, B, C. Pairwise majorities: A beats B (2:1),
	// A beats C (3:0), B and C tie (one each, one ranking ties them).
	scores := [][]float64{
		{3, 2, 1}, // A > B > C
		{2, 3, 1}, // B > A > C
		{9, 1, 1}, // A > B = C
	}
	got, err := Copeland(scores)
	require.NoError(t, err)
	assert.Equal(t, []float64{2, 0, -2}, got)

	// B beats C only in the second ranking, loses in none: B wins the pair.
	got, err = Copeland([][]float64{{1, 5, 5}, {1, 6, 5}})
	require.NoError(t, err)
	assert.Equal(t, []float64{-2, 2, 0}, got)

	_, err = Copeland(nil)
	assert.ErrorContains(t, err, "no rankings")
	_, err = Copeland([][]float64{{1, 2}, {1}})
	assert.ErrorContains(t, err, "ranking 1 has 1 items")
	_, err = Copeland([][]float64{{1, math.Inf(1)}})
	assert.ErrorContains(t, err, "scores item 1 +Inf")
}
