// Command genbench writes a seeded synthetic qrels and run of any size, for
// benchmarks, in one of two shapes.
//
// The models shape (the default) is the task's: every topic ranks every
// model; half of the models (by default) are judged with a relevance level.
//
//	go run ./scripts/genbench -topics 500 -models 2703 -judged 1350 -out /tmp/bench
//
// The msmarco shape is a run like a BM25 run of MS MARCO passage dev:
// numeric topic ids and docnos (of a collection of 8.8 M passages), the
// top -depth passages of each topic in rank order, topics in no particular
// order, and one relevant passage for most topics (two for some), found in
// the run for most of them.
//
//	go run ./scripts/genbench -shape msmarco -topics 6980 -depth 1000 -out /tmp/msmarco
//
// The tau shape is one topic of -models models, every one judged with an
// accuracy of two decimals (many ties, as in Subtask A) and scored by the
// run with a noisy estimate of it: the input of a weighted τ on a large
// model zoo.
//
//	go run ./scripts/genbench -shape tau -models 1000000 -out /tmp/tau
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
)

func main() {
	topics := flag.Int("topics", 500, "number of topics")
	models := flag.Int("models", 2703, "models ranked per topic")
	judged := flag.Int("judged", 1350, "models judged per topic")
	depth := flag.Int("depth", 1000, "msmarco shape: passages ranked per topic")
	shape := flag.String("shape", "models", "models, msmarco or tau")
	seed := flag.Uint64("seed", 1, "random seed")
	out := flag.String("out", ".", "output directory")
	flag.Parse()
	var err error
	switch *shape {
	case "models":
		err = write(*out, *topics, *models, *judged, *seed)
	case "msmarco":
		err = writeMSMARCO(*out, *topics, *depth, *seed)
	case "tau":
		err = writeTau(*out, *models, *seed)
	default:
		err = fmt.Errorf("unknown -shape %q (models, msmarco or tau)", *shape)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "genbench:", err)
		os.Exit(1)
	}
}

// writeBench creates dir and its bench.qrels and bench.run, lets fill write
// them and flushes both.
func writeBench(dir string, fill func(qrels, run *bufio.Writer)) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	q, err := os.Create(filepath.Join(dir, "bench.qrels"))
	if err != nil {
		return err
	}
	defer q.Close()
	r, err := os.Create(filepath.Join(dir, "bench.run"))
	if err != nil {
		return err
	}
	defer r.Close()
	qw, rw := bufio.NewWriter(q), bufio.NewWriter(r)
	fill(qw, rw)
	if err := qw.Flush(); err != nil {
		return err
	}
	return rw.Flush()
}

func write(dir string, topics, models, judged int, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, 0x6d726576616c))
	return writeBench(dir, func(qw, rw *bufio.Writer) {
		names := make([]string, models)
		for m := range names {
			names[m] = fmt.Sprintf("org%d/model-%04d", m%97, m)
		}
		var line []byte
		for t := 0; t < topics; t++ {
			topic := fmt.Sprintf("topic%03d", t)
			for _, m := range rng.Perm(models)[:judged] {
				// Integer levels 0-4 keep the file valid for trec_eval, which
				// reads relevance with atol.
				fmt.Fprintf(qw, "%s 0 %s %d\n", topic, names[m], rng.IntN(5))
			}
			for rank, m := range rng.Perm(models) {
				line = append(line[:0], topic...)
				line = append(line, " Q0 "...)
				line = append(line, names[m]...)
				line = append(line, ' ')
				line = strconv.AppendInt(line, int64(rank+1), 10)
				line = append(line, ' ')
				line = strconv.AppendFloat(line, float64(models-rank)+rng.Float64(), 'f', 6, 64)
				line = append(line, " bench\n"...)
				rw.Write(line)
			}
		}
	})
}

// The size of MS MARCO's passage collection and the range of its dev
// query ids.
const (
	msmarcoPassages = 8_841_823
	msmarcoMaxQid   = 1_102_400
)

func writeMSMARCO(dir string, topics, depth int, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, 0x6d736d6172636f))
	return writeBench(dir, func(qw, rw *bufio.Writer) {
		qids := map[int]bool{}
		var line []byte
		for len(qids) < topics {
			qid := rng.IntN(msmarcoMaxQid)
			if qids[qid] {
				continue
			}
			qids[qid] = true
			// Distinct passages: a docno twice in a topic is an error for
			// both trec_eval and mreval.
			seen := make(map[int]bool, depth)
			docs := make([]int, 0, depth)
			for len(docs) < depth {
				if d := rng.IntN(msmarcoPassages); !seen[d] {
					seen[d] = true
					docs = append(docs, d)
				}
			}
			relevant := []int{docs[rng.IntN(depth)]}
			if rng.IntN(5) == 0 { // 20 %: the relevant passage was not retrieved
				relevant[0] = rng.IntN(msmarcoPassages)
			}
			if rng.IntN(15) == 0 {
				relevant = append(relevant, rng.IntN(msmarcoPassages))
			}
			for i, d := range relevant {
				if i > 0 && d == relevant[0] {
					continue
				}
				fmt.Fprintf(qw, "%d 0 %d 1\n", qid, d)
			}
			score := 30 + 10*rng.Float64()
			for rank, d := range docs {
				line = strconv.AppendInt(line[:0], int64(qid), 10)
				line = append(line, " Q0 "...)
				line = strconv.AppendInt(line, int64(d), 10)
				line = append(line, ' ')
				line = strconv.AppendInt(line, int64(rank+1), 10)
				line = append(line, ' ')
				line = strconv.AppendFloat(line, score, 'f', 6, 64)
				line = append(line, " Anserini-BM25\n"...)
				rw.Write(line)
				score -= 0.02 * rng.Float64()
			}
		}
	})
}

func writeTau(dir string, models int, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, 0x746175))
	return writeBench(dir, func(qw, rw *bufio.Writer) {
		for m := range models {
			accuracy := 50 + 50*rng.Float64()
			fmt.Fprintf(qw, "t1 0 model-%07d %.2f\n", m, accuracy)
			fmt.Fprintf(rw, "t1 Q0 model-%07d %d %.6f bench\n", m, m+1, accuracy+10*rng.NormFloat64())
		}
	})
}
