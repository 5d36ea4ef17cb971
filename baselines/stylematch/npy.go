package stylematch

import (
	"encoding/binary"
	"fmt"
	"math"
	"strings"
)

// EncodeNpy returns a rows×cols float32 matrix (C order) as the bytes of a
// .npy file, format version 1.0, little-endian ('<f4'), the header padded
// with spaces to a multiple of 64 bytes as numpy.save writes it, so the
// output is byte-reproducible. The shipped sample embeddings are made by it.
func EncodeNpy(rows, cols int, data []float32) ([]byte, error) {
	if rows < 0 || cols < 0 || rows*cols != len(data) {
		return nil, fmt.Errorf("npy: %d values for a %d×%d matrix", len(data), rows, cols)
	}
	header := fmt.Sprintf("{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }", rows, cols)
	// magic (6) + version (2) + header length (2) + header + '\n'
	if pad := (64 - (10+len(header)+1)%64) % 64; pad > 0 {
		header += strings.Repeat(" ", pad)
	}
	header += "\n"
	out := make([]byte, 0, 10+len(header)+4*len(data))
	out = append(out, "\x93NUMPY\x01\x00"...)
	out = binary.LittleEndian.AppendUint16(out, uint16(len(header)))
	out = append(out, header...)
	for _, v := range data {
		out = binary.LittleEndian.AppendUint32(out, math.Float32bits(v))
	}
	return out, nil
}
