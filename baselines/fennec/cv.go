package fennec

import (
	"fmt"
	"slices"

	"github.com/ntcir-pmr/mreval/internal/workers"
)

// Grid is the set of (rank, λ) pairs that cross-validation tries.
type Grid struct {
	Ranks   []int
	Lambdas []float64
}

// DefaultGrid is the grid of the shipped run: ranks 1–8 and λ from 1 to 200
// in a 1-2-5 progression. The singular values of the double-centred
// recycling train matrix run from about 900 down to about 80, so λ in this
// range shrinks the space little; it acts mainly in FoldIn, where it
// weighs four probe equations against ‖v‖², from hardly at all (λ = 1) to
// switching the task vector nearly off (λ = 200, close to the prior run;
// see docs/baselines-fennec.md).
var DefaultGrid = Grid{
	Ranks:   []int{1, 2, 3, 4, 5, 6, 7, 8},
	Lambdas: []float64{1, 2, 5, 10, 20, 50, 100, 200},
}

// CVResult is the outcome of CrossValidate.
type CVResult struct {
	Grid Grid
	// Rank and Lambda are the chosen pair.
	Rank   int
	Lambda float64
	// MeanSpearman[i][j] is the mean over the held-out topics of the
	// Spearman correlation of predicted and true values with rank
	// Grid.Ranks[i] and λ = Grid.Lambdas[j].
	MeanSpearman [][]float64
}

// CrossValidate chooses (R, λ) by leave-one-topic-out cross-validation on
// the complete nModels × nTopics matrix a: each topic in turn is held out,
// the other topics are factorised (Factorize), the held-out topic is placed
// in the space from the values of the probe models on it (FoldIn with the
// same λ), exactly as a test topic is, and the predicted values of all
// models are scored by their Spearman correlation with the true ones
// (metadata.Spearman; computed here by rankCorrelator). The pair with the highest mean correlation wins;
// ties go to the smaller rank, then the larger λ (the simpler model).
//
// Spearman's ρ is the criterion for the reason probe-knn uses it
// (metadata.ChooseK): on 24 topics it varies smoothly over the grid, where
// regret@1 jumps. The held-out topics are processed by up to nWorkers
// goroutines (0 = GOMAXPROCS); each writes its own slot and the means are
// summed in topic order, so the result does not depend on the number.
func CrossValidate(a []float64, nModels, nTopics int, probes []int, grid Grid, nWorkers int) (*CVResult, error) {
	if nTopics < 2 {
		return nil, fmt.Errorf("cross-validation needs at least 2 topics, have %d", nTopics)
	}
	if len(grid.Ranks) == 0 || len(grid.Lambdas) == 0 {
		return nil, fmt.Errorf("cross-validation: empty grid (%d ranks, %d λ values)", len(grid.Ranks), len(grid.Lambdas))
	}
	for _, r := range grid.Ranks {
		if r < 0 || r > min(nModels, nTopics-1) {
			return nil, fmt.Errorf("cross-validation: rank %d is outside 0..%d (a fold has %d topics)", r, min(nModels, nTopics-1), nTopics-1)
		}
	}
	nr, nl := len(grid.Ranks), len(grid.Lambdas)
	rho := make([][]float64, nTopics) // rho[held][i*nl+j]
	// Folds write disjoint rows; the error returned is the lowest fold's,
	// and a panic in a fold (a bug) is an error too (workers.Run).
	err := workers.Run(nTopics, nWorkers, func(_, h int) error {
		var err error
		rho[h], err = cvFold(a, nModels, nTopics, h, probes, grid)
		return err
	})
	if err != nil {
		return nil, err
	}
	res := &CVResult{Grid: grid, MeanSpearman: make([][]float64, nr)}
	best := -2.0
	for i, r := range grid.Ranks {
		res.MeanSpearman[i] = make([]float64, nl)
		for j, l := range grid.Lambdas {
			s := 0.0
			for h := 0; h < nTopics; h++ {
				s += rho[h][i*nl+j]
			}
			mean := s / float64(nTopics)
			res.MeanSpearman[i][j] = mean
			better := mean > best ||
				mean == best && (r < res.Rank || r == res.Rank && l > res.Lambda)
			if better {
				best, res.Rank, res.Lambda = mean, r, l
			}
		}
	}
	return res, nil
}

// cvFold returns the Spearman correlations of every grid pair on held-out
// topic h, in the order i·len(Lambdas) + j.
func cvFold(a []float64, nModels, nTopics, h int, probes []int, grid Grid) ([]float64, error) {
	rest := make([]float64, 0, nModels*(nTopics-1))
	truth := make([]float64, nModels)
	for m := 0; m < nModels; m++ {
		row := a[m*nTopics : (m+1)*nTopics]
		rest = append(rest, row[:h]...)
		rest = append(rest, row[h+1:]...)
		truth[m] = row[h]
	}
	acc := make([]float64, len(probes))
	for i, p := range probes {
		acc[i] = truth[p]
	}
	d, err := decompose(rest, nModels, nTopics-1)
	if err != nil {
		return nil, err
	}
	corr, err := newRankCorrelator(truth)
	if err != nil {
		return nil, fmt.Errorf("cross-validation on held-out topic %d: %w", h, err)
	}
	out := make([]float64, 0, len(grid.Ranks)*len(grid.Lambdas))
	pred := make([]float64, nModels)
	for _, r := range grid.Ranks {
		for _, l := range grid.Lambdas {
			f, err := d.factors(r, l)
			if err != nil {
				return nil, err
			}
			c, v, err := FoldIn(f, probes, acc, l)
			if err != nil {
				return nil, err
			}
			for m := range pred {
				pred[m] = f.Score(m, c, v)
			}
			rho, err := corr.rho(pred)
			if err != nil {
				return nil, fmt.Errorf("cross-validation on held-out topic %d with rank %d, λ = %g: %w", h, r, l, err)
			}
			out = append(out, rho)
		}
	}
	return out, nil
}

// restrict returns grid with its ranks (when rank > 0) or λ values (when
// lambda > 0) replaced by the given one.
func (g Grid) restrict(rank int, lambda float64) Grid {
	out := Grid{Ranks: slices.Clone(g.Ranks), Lambdas: slices.Clone(g.Lambdas)}
	if rank > 0 {
		out.Ranks = []int{rank}
	}
	if lambda > 0 {
		out.Lambdas = []float64{lambda}
	}
	return out
}
