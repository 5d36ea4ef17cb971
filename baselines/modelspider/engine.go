package modelspider

import (
	"fmt"

	"github.com/ntcir-pmr/mreval/internal/workers"
)

// maxBlocks is the number of contiguous model blocks the pair passes are
// split into. It is a constant, not the number of cores: each block owns
// its gradient buffers and the buffers are summed in block order, so the
// result is the same whatever number of goroutines computes the blocks.
const maxBlocks = 16

// blockRanges splits [0, n) into at most maxBlocks contiguous ranges.
func blockRanges(n int) [][2]int {
	nb := min(n, maxBlocks)
	r := make([][2]int, nb)
	for b := range r {
		r[b] = [2]int{b * n / nb, (b + 1) * n / nb}
	}
	return r
}

// parallel runs fn(0) … fn(jobs−1) on up to GOMAXPROCS goroutines. The
// callers make every job write disjoint memory, so scheduling cannot change
// any result. A panic in a job (a bug) is raised again in the caller's
// goroutine (workers.Do), where the command reports it.
func parallel(jobs int, fn func(job int)) {
	workers.Do(jobs, 0, func(_, j int) { fn(j) })
}

// parallelRanges runs fn over [0, n) split into fixed chunks.
func parallelRanges(n int, fn func(lo, hi int)) {
	br := blockRanges(n)
	parallel(len(br), func(b int) { fn(br[b][0], br[b][1]) })
}

// maxCache bounds the activations kept between the two passes of
// objective (in float64s, 128 MB).
var maxCache = 1 << 24

// cacheFloats is the size of the activation cache for a batch.
func (n *Network) cacheFloats(topics []*batchTopic) int {
	total := 0
	for _, bt := range topics {
		total += len(bt.list) * n.cacheLen(1+len(bt.tokens))
	}
	return total
}

// batchTopic is one topic of a training batch.
type batchTopic struct {
	id       string
	tokens   [][]float64
	list     []int     // indices into the models slice that the loss ranks
	targets  []float64 // parallel to list; higher is better
	pos      []int32   // per model index: position in list, or −1
	specific [][][]float64
	// pair holds per model index its pair inputs on this topic (nil when
	// the network takes none).
	pair [][]float64
	// useSpecific[k] says whether the pair (list[k], topic) includes its
	// PTM-specific tokens in the current step.
	useSpecific []bool
}

func newBatchTopic(id string, tokens [][]float64, nmodels int, list []int, targets []float64, specific [][][]float64, pair [][]float64) *batchTopic {
	bt := &batchTopic{id: id, tokens: tokens, list: list, targets: targets, specific: specific, pair: pair,
		pos: make([]int32, nmodels), useSpecific: make([]bool, len(list))}
	for i := range bt.pos {
		bt.pos[i] = -1
	}
	for k, i := range list {
		bt.pos[i] = int32(k)
	}
	return bt
}

// pairOf returns model i's pair inputs, or nil.
func (bt *batchTopic) pairOf(i int) []float64 {
	if bt.pair == nil {
		return nil
	}
	return bt.pair[i]
}

// penalty holds the L2 strengths of the objective.
type penalty struct {
	tokens, weights float64
}

// objective computes
//
//	J = (1/|topics|) Σ_T ℓ_rank(T) + (λ_tok/2)‖E‖² + (λ_w/2) Σ‖W‖²
//
// over the given topics and writes ∂J/∂params into grad (len NumParams).
// It also returns the mean ranking loss without the penalty.
func (n *Network) objective(models []ModelRef, topics []*batchTopic, weighting Weighting, pen penalty, grad []float64) (obj, rankLoss float64, err error) {
	c := n.cfg
	d := c.Dim
	w := &n.w
	M := len(models)
	clear(grad)
	gw := n.lay.bind(c, grad, 0)

	ms := newModelSide(M, d)
	parallelRanges(M, func(lo, hi int) { n.modelForward(w, models, ms, lo, hi) })
	tsides := make([]*taskSide, len(topics))
	for t, bt := range topics {
		tsides[t] = n.taskForward(w, bt.tokens)
	}
	spec := func(bt *batchTopic, i int) [][]float64 {
		if k := bt.pos[i]; k >= 0 && bt.useSpecific[k] {
			return bt.specific[i]
		}
		return nil
	}

	// Pass 1: scores.
	blocks := blockRanges(M)
	scores := make([][]float64, len(topics))
	for t, bt := range topics {
		scores[t] = make([]float64, len(bt.list))
	}
	// Pass 1 keeps the activations of the pairs without PTM-specific
	// tokens for pass 2 when they fit in maxCache floats; otherwise pass 2
	// recomputes them (with bit-identical results).
	caches := make([][]float64, len(blocks))
	useCache := n.cacheFloats(topics) <= maxCache
	parallel(len(blocks), func(b int) {
		p := newPairState(c)
		var cache []float64
		if useCache {
			size := 0
			for i := blocks[b][0]; i < blocks[b][1]; i++ {
				for _, bt := range topics {
					if bt.pos[i] >= 0 {
						size += n.cacheLen(1 + len(bt.tokens))
					}
				}
			}
			cache = make([]float64, 0, size)
		}
		for i := blocks[b][0]; i < blocks[b][1]; i++ {
			for t, bt := range topics {
				if k := bt.pos[i]; k >= 0 {
					sp := spec(bt, i)
					scores[t][k] = n.pairForward(w, ms, i, models[i].Free, tsides[t], sp, bt.pairOf(i), p)
					if useCache && sp == nil {
						cache = p.saveActivations(cache, 1+len(tsides[t].tok), c.FFN > 0)
					}
				}
			}
		}
		caches[b] = cache
	})

	// Loss.
	dscores := make([][]float64, len(topics))
	inv := 1 / float64(len(topics))
	for t, bt := range topics {
		dscores[t] = make([]float64, len(bt.list))
		l, err := RankLoss(scores[t], bt.targets, weighting, dscores[t])
		if err != nil {
			return 0, 0, fmt.Errorf("topic %s: %w", bt.id, err)
		}
		rankLoss += l
		for k := range dscores[t] {
			dscores[t][k] *= inv
		}
	}
	rankLoss *= inv

	// Pass 2: backward, each block into its own buffers.
	dTheta := make([]float64, M*d)
	dq := make([]float64, M*d)
	dk := make([]float64, M*d)
	dv := make([]float64, M*d)
	dLinear := make([]float64, M) // ∂J/∂(u·x_i), summed over the topics
	type blockBuf struct {
		pair  []float64
		taskK [][][]float64
		taskV [][][]float64
		outer []float64
	}
	bufs := make([]*blockBuf, len(blocks))
	pairLen := n.lay.size - n.lay.pairLo
	parallel(len(blocks), func(b int) {
		bb := &blockBuf{pair: make([]float64, pairLen)}
		for _, ts := range tsides {
			kk := make([][]float64, len(ts.tok))
			vv := make([][]float64, len(ts.tok))
			for j := range kk {
				kk[j] = make([]float64, d)
				vv[j] = make([]float64, d)
			}
			bb.taskK = append(bb.taskK, kk)
			bb.taskV = append(bb.taskV, vv)
		}
		bufs[b] = bb
		p := newPairState(c)
		pg := &pairGrads{g: n.lay.bind(c, bb.pair, n.lay.pairLo), outer: &bb.outer}
		cache := caches[b]
		for i := blocks[b][0]; i < blocks[b][1]; i++ {
			pg.dTheta, pg.dq, pg.dk, pg.dv = dTheta[i*d:(i+1)*d], dq[i*d:(i+1)*d], dk[i*d:(i+1)*d], dv[i*d:(i+1)*d]
			m := models[i].Free
			if m >= 0 && gw.specProj != nil {
				pg.specProj, pg.specBias = gw.specProj[m], gw.specBias[m]
			}
			for t, bt := range topics {
				k := bt.pos[i]
				if k < 0 {
					continue
				}
				sp := spec(bt, i)
				if useCache && sp == nil {
					cache = n.restoreActivations(w, ms, i, tsides[t], bt.pairOf(i), p, cache)
				} else {
					n.pairForward(w, ms, i, m, tsides[t], sp, bt.pairOf(i), p)
				}
				if dscores[t][k] == 0 {
					continue
				}
				dLinear[i] += dscores[t][k]
				pg.dTaskK, pg.dTaskV = bb.taskK[t], bb.taskV[t]
				n.pairBackward(w, ms, i, m, tsides[t], p, dscores[t][k], pg)
			}
		}
	})

	// Reduce, always in block and topic order.
	for _, bb := range bufs {
		addTo(grad[n.lay.pairLo:], bb.pair)
	}
	gk := make([]float64, d)
	gv := make([]float64, d)
	dt := make([]float64, d)
	for t, ts := range tsides {
		for j, tok := range ts.tok {
			clear(gk)
			clear(gv)
			for _, bb := range bufs {
				addTo(gk, bb.taskK[t][j])
				addTo(gv, bb.taskV[t][j])
			}
			outerAdd(gw.wk, gk, tok)
			outerAdd(gw.wv, gv, tok)
			clear(dt)
			matTVecAdd(w.wk, gk, dt)
			matTVecAdd(w.wv, gv, dt)
			addTo(gw.taskBias, dt)
			outerAdd(gw.taskProj, dt, topics[t].tokens[j])
		}
	}
	for _, bb := range bufs {
		for o := 0; o < len(bb.outer); o += 3 * d {
			outerAdd(gw.wk, bb.outer[o:o+d], bb.outer[o+2*d:o+3*d])
			outerAdd(gw.wv, bb.outer[o+d:o+2*d], bb.outer[o+2*d:o+3*d])
		}
	}
	// Attention maps: row r of ∂W_q is Σ_i ∂q_i[r] θ_i, summed in model
	// order whatever the split into row ranges.
	parallelRanges(d, func(lo, hi int) {
		for r := lo; r < hi; r++ {
			for i := 0; i < M; i++ {
				theta := ms.theta[i*d : (i+1)*d]
				axpy(dq[i*d+r], theta, gw.wq[r*d:(r+1)*d])
				axpy(dk[i*d+r], theta, gw.wk[r*d:(r+1)*d])
				axpy(dv[i*d+r], theta, gw.wv[r*d:(r+1)*d])
			}
		}
	})
	parallelRanges(M, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			g := dTheta[i*d : (i+1)*d]
			matTVecAdd(w.wq, dq[i*d:(i+1)*d], g)
			matTVecAdd(w.wk, dk[i*d:(i+1)*d], g)
			matTVecAdd(w.wv, dv[i*d:(i+1)*d], g)
		}
	})
	for i := 0; i < M; i++ {
		g := dTheta[i*d : (i+1)*d]
		addTo(gw.modelBias, g)
		if f := models[i].Free; f >= 0 {
			addTo(gw.free[f*d:(f+1)*d], g)
		}
	}
	if c.LinearPath {
		for i := 0; i < M; i++ {
			axpy(dLinear[i], models[i].Features, gw.modelLinear)
		}
	}
	if c.ModelFeatures > 0 {
		p := c.ModelFeatures
		parallelRanges(d, func(lo, hi int) {
			for r := lo; r < hi; r++ {
				for i := 0; i < M; i++ {
					axpy(dTheta[i*d+r], models[i].Features, gw.modelProj[r*p:(r+1)*p])
				}
			}
		})
	}

	// Penalty.
	obj = rankLoss
	for _, s := range n.lay.specs {
		var lambda float64
		switch s.kind {
		case kindToken:
			lambda = pen.tokens
		case kindWeight:
			lambda = pen.weights
		}
		if lambda == 0 {
			continue
		}
		x := n.params[s.off : s.off+s.size()]
		obj += lambda / 2 * dot(x, x)
		axpy(lambda, x, grad[s.off:s.off+s.size()])
	}
	return obj, rankLoss, nil
}
