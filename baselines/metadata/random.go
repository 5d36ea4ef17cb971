package metadata

import (
	"math/rand/v2"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/ntcir-pmr/mreval/eval/zoo"
)

// RandomRun ranks the pool uniformly at random, independently per test
// topic: the floor every other baseline must beat.
//
// Topic i of d.Test (in the given order) draws from its own PCG stream
// rand.NewPCG(seed, i); pool model j (in pool order) gets the j-th 64-bit
// output, reduced to its top 53 bits and scaled to [0, 1). Only the PCG
// generator itself is used — no library shuffling or range reduction —
// so the run depends on the seed alone, on every Go version and machine.
func RandomRun(tag string, d *zoo.Data, seed uint64) *eval.Run {
	scores := make(map[string]map[string]float64, len(d.Test))
	for i, t := range d.Test {
		src := rand.NewPCG(seed, uint64(i))
		s := make(map[string]float64, len(d.Pool))
		for _, m := range d.Pool {
			s[m] = float64(src.Uint64()>>11) * 0x1p-53
		}
		scores[t] = s
	}
	return trecfmt.NewRun(tag, scores)
}
