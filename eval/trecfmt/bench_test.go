package trecfmt

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"testing"
)

// syntheticRun builds a run of topics × models lines in memory.
func syntheticRun(topics, models int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	for t := 0; t < topics; t++ {
		for rank, m := range rng.Perm(models) {
			fmt.Fprintf(&b, "topic%03d Q0 org%d/model-%04d %d %s bench\n", t, m%97, m, rank+1,
				strconv.FormatFloat(float64(models-rank)+rng.Float64(), 'f', 6, 64))
		}
	}
	return b.Bytes()
}

// syntheticMSMARCO builds a run shaped like a BM25 run of MS MARCO
// passage dev (as scripts/genbench -shape msmarco writes it): numeric
// topic ids in no order, the top depth of 8.8 M numeric docnos per topic in
// rank order.
func syntheticMSMARCO(topics, depth int) []byte {
	rng := rand.New(rand.NewPCG(5, 6))
	var b []byte
	for _, qid := range rng.Perm(1_102_400)[:topics] {
		score := 30 + 10*rng.Float64()
		seen := make(map[int]bool, depth)
		for rank := 1; rank <= depth; {
			d := rng.IntN(8_841_823)
			if seen[d] {
				continue
			}
			seen[d] = true
			b = strconv.AppendInt(b, int64(qid), 10)
			b = append(b, " Q0 "...)
			b = strconv.AppendInt(b, int64(d), 10)
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(rank), 10)
			b = append(b, ' ')
			b = strconv.AppendFloat(b, score, 'f', 6, 64)
			b = append(b, " Anserini-BM25\n"...)
			score -= 0.02 * rng.Float64()
			rank++
		}
	}
	return b
}

func syntheticQrels(topics, models, judged int) []byte {
	rng := rand.New(rand.NewPCG(3, 4))
	var b bytes.Buffer
	for t := 0; t < topics; t++ {
		for _, m := range rng.Perm(models)[:judged] {
			fmt.Fprintf(&b, "topic%03d 0 org%d/model-%04d %d\n", t, m%97, m, rng.IntN(5))
		}
	}
	return b.Bytes()
}

func source(data []byte) *Source {
	src, err := NewSource("bench", io.NopCloser(bytes.NewReader(data)), DefaultLimits)
	if err != nil {
		panic(err)
	}
	return src
}

// BenchmarkReadRun reads 1/5 of the kit's benchmark run: 100 topics × 2,703
// models (270 k lines).
func BenchmarkReadRun(b *testing.B) {
	data := syntheticRun(100, 2703)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadRun(source(data), DefaultLimits); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadRunMSMARCO reads 1/20 of an MS MARCO passage dev run: 349
// topics × 1,000 docnos (349 k lines, 16 MB).
func BenchmarkReadRunMSMARCO(b *testing.B) {
	data := syntheticMSMARCO(349, 1000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadRun(source(data), DefaultLimits); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadQrels reads 100 topics × 1,350 judgments.
func BenchmarkReadQrels(b *testing.B) {
	data := syntheticQrels(100, 2703, 1350)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadQrels(source(data), DefaultLimits); err != nil {
			b.Fatal(err)
		}
	}
}
