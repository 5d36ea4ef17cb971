package transfer

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// NLEEP settings. The paper and its public implementations (Google
// Research's stable_transfer, TencentARC/SFDA) fit sklearn's GaussianMixture
// with 5 components per target class on PCA-reduced features keeping 80% of
// the variance; the remaining choices are ours and are documented at NLEEP.
const (
	nleepVarianceKept   = 0.8  // PCA: smallest k whose explained variance ratio exceeds 80%
	nleepComponentRatio = 5    // Gaussian components per target class
	nleepRegCovar       = 1e-6 // added to every variance (sklearn's reg_covar)
	nleepMaxIter        = 100  // EM iterations (sklearn's max_iter)
	nleepTol            = 1e-3 // EM stops when the mean log-likelihood gains less (sklearn's tol)
	nleepKMeansMaxIter  = 100  // Lloyd iterations of the k-means initialisation
	nleepSeedStream     = 0x4e4c454550
)

// NLEEP returns the Gaussian LEEP score of features f for class labels y:
// LEEP (see LEEP) with the source head's probabilities θ(x_i) replaced by
// the posterior p(z | x_i) of a Gaussian mixture fitted to the target
// features,
//
//	NLEEP = 1/N·Σ_i log Σ_z P̂(y_i | z)·p(z | x_i),   P̂(y, z) = 1/N·Σ_{i: y_i = y} p(z | x_i).
//
// Reference: Y. Li, X. Jia, R. Sang, Y. Zhu, B. Green, L. Wang, B. Gong,
// "Ranking Neural Checkpoints", CVPR 2021.
//
// Choices (the paper leaves them to sklearn defaults or does not fix them):
//   - PCA keeps the smallest number of components whose cumulative explained
//     variance ratio exceeds 0.8 (sklearn PCA(n_components=0.8)).
//   - K = 5·C Gaussian components for the C classes present; while K ≥ N it
//     is lowered by C (as in SFDA-derived code), and fewer than one is an
//     error.
//   - Diagonal covariances (sklearn's default is full): full covariances cost
//     O(N·K·d²) per EM step, prohibitive at d in the hundreds, and are
//     ill-conditioned with few samples per component. reg_covar = 1e-6 is
//     added to every variance.
//   - Initialisation as sklearn's init_params="kmeans": k-means++ seeding
//     from rand.NewPCG(seed, ·), at most 100 Lloyd iterations, one-hot
//     responsibilities; then EM for at most 100 iterations, stopping when the
//     mean log-likelihood improves by less than 1e-3.
//
// The result depends on seed only through the initialisation and is
// reproducible for a given seed.
func NLEEP(features Matrix, labels []int, seed uint64) (float64, error) {
	numClasses, err := checkFeaturesLabels(features, labels)
	if err != nil {
		return 0, err
	}
	n := features.Rows
	present := 0
	seen := make([]bool, numClasses)
	for _, y := range labels {
		if !seen[y] {
			seen[y] = true
			present++
		}
	}
	k := nleepComponentRatio * present
	for k >= n {
		k -= present
	}
	if k < 1 {
		return 0, fmt.Errorf("NLEEP undefined: %d samples are too few for a mixture over %d classes", n, present)
	}
	p, err := fitPCA(features)
	if err != nil {
		return 0, fmt.Errorf("NLEEP: %w", err)
	}
	x := p.scores(p.componentsFor(nleepVarianceKept))
	rng := rand.New(rand.NewPCG(seed, nleepSeedStream))
	gmm := fitDiagGMM(x, k, rng)
	post := gmm.posteriors(x)
	score, err := LEEP(post, labels)
	if err != nil {
		return 0, fmt.Errorf("NLEEP: %w", err)
	}
	return score, nil
}

// diagGMM is a Gaussian mixture with diagonal covariances.
type diagGMM struct {
	k, d     int
	logW     []float64 // log mixing weights
	means    Matrix    // k×d
	vars     Matrix    // k×d
	logNorms []float64 // −½·Σ_j log(2π·var_j) per component
}

func fitDiagGMM(x Matrix, k int, rng *rand.Rand) *diagGMM {
	n, d := x.Rows, x.Cols
	assign := kmeans(x, k, rng)
	resp := NewMatrix(n, k)
	for i, a := range assign {
		resp.Data[i*k+a] = 1
	}
	g := &diagGMM{k: k, d: d, logW: make([]float64, k), means: NewMatrix(k, d), vars: NewMatrix(k, d), logNorms: make([]float64, k)}
	g.mStep(x, resp)
	prev := math.Inf(-1)
	for iter := 0; iter < nleepMaxIter; iter++ {
		ll := g.eStep(x, resp)
		g.mStep(x, resp)
		if math.Abs(ll-prev) < nleepTol {
			break
		}
		prev = ll
	}
	return g
}

// mStep sets weights, means and variances from the responsibilities; like
// sklearn, 10·machine-epsilon keeps an empty component's mass positive.
func (g *diagGMM) mStep(x, resp Matrix) {
	n, k, d := x.Rows, g.k, g.d
	nk := make([]float64, k)
	sum := NewMatrix(k, d)
	sum2 := NewMatrix(k, d)
	for i := 0; i < n; i++ {
		xr := x.Row(i)
		for c, r := range resp.Row(i) {
			if r == 0 {
				continue
			}
			nk[c] += r
			s, s2 := sum.Row(c), sum2.Row(c)
			for j, v := range xr {
				s[j] += r * v
				s2[j] += r * v * v
			}
		}
	}
	const tiny = 10 * 2.220446049250313e-16
	for c := 0; c < k; c++ {
		m := nk[c] + tiny
		g.logW[c] = math.Log(m / (float64(n) + float64(k)*tiny))
		mean, vr := g.means.Row(c), g.vars.Row(c)
		norm := 0.0
		for j := 0; j < d; j++ {
			mean[j] = sum.At(c, j) / m
			// E[x²] − mean², clamped: round-off can make it slightly negative.
			vr[j] = math.Max(sum2.At(c, j)/m-mean[j]*mean[j], 0) + nleepRegCovar
			norm -= 0.5 * math.Log(2*math.Pi*vr[j])
		}
		g.logNorms[c] = norm
	}
}

// eStep fills resp with the posteriors and returns the mean log-likelihood.
func (g *diagGMM) eStep(x, resp Matrix) float64 {
	total := 0.0
	logp := make([]float64, g.k)
	for i := 0; i < x.Rows; i++ {
		total += g.logPosterior(x.Row(i), logp)
		r := resp.Row(i)
		for c, v := range logp {
			r[c] = math.Exp(v)
		}
	}
	return total / float64(x.Rows)
}

// logPosterior writes log p(z | x) into out and returns log p(x).
func (g *diagGMM) logPosterior(xr []float64, out []float64) float64 {
	best := math.Inf(-1)
	for c := 0; c < g.k; c++ {
		mean, vr := g.means.Row(c), g.vars.Row(c)
		q := 0.0
		for j, v := range xr {
			dv := v - mean[j]
			q += dv * dv / vr[j]
		}
		out[c] = g.logW[c] + g.logNorms[c] - 0.5*q
		best = math.Max(best, out[c])
	}
	s := 0.0
	for _, v := range out {
		s += math.Exp(v - best)
	}
	lse := best + math.Log(s)
	for c := range out {
		out[c] -= lse
	}
	return lse
}

func (g *diagGMM) posteriors(x Matrix) Matrix {
	post := NewMatrix(x.Rows, g.k)
	g.eStep(x, post)
	return post
}

// kmeans clusters the rows of x into k groups (k-means++ seeding, Lloyd
// iterations until no assignment changes) and returns each row's cluster.
// A cluster that empties keeps its previous centre.
func kmeans(x Matrix, k int, rng *rand.Rand) []int {
	n, d := x.Rows, x.Cols
	centers := NewMatrix(k, d)
	dist := make([]float64, n)
	copy(centers.Row(0), x.Row(rng.IntN(n)))
	for i := range dist {
		dist[i] = sqDist(x.Row(i), centers.Row(0))
	}
	for c := 1; c < k; c++ {
		total := 0.0
		for _, v := range dist {
			total += v
		}
		pick := n - 1
		if total > 0 {
			u := rng.Float64() * total
			for i, v := range dist {
				u -= v
				if u < 0 {
					pick = i
					break
				}
			}
		} else {
			pick = rng.IntN(n)
		}
		copy(centers.Row(c), x.Row(pick))
		for i := range dist {
			dist[i] = math.Min(dist[i], sqDist(x.Row(i), centers.Row(c)))
		}
	}
	assign := make([]int, n)
	for i := range assign {
		assign[i] = -1
	}
	counts := make([]int, k)
	for iter := 0; iter < nleepKMeansMaxIter; iter++ {
		changed := false
		for i := 0; i < n; i++ {
			best, bestD := 0, math.Inf(1)
			for c := 0; c < k; c++ {
				if dd := sqDist(x.Row(i), centers.Row(c)); dd < bestD {
					best, bestD = c, dd
				}
			}
			if assign[i] != best {
				assign[i], changed = best, true
			}
		}
		if !changed {
			break
		}
		clear(counts)
		sums := NewMatrix(k, d)
		for i, a := range assign {
			counts[a]++
			s := sums.Row(a)
			for j, v := range x.Row(i) {
				s[j] += v
			}
		}
		for c := 0; c < k; c++ {
			if counts[c] == 0 {
				continue
			}
			cr := centers.Row(c)
			for j, s := range sums.Row(c) {
				cr[j] = s / float64(counts[c])
			}
		}
	}
	return assign
}

func sqDist(a, b []float64) float64 {
	s := 0.0
	for i, v := range a {
		dv := v - b[i]
		s += dv * dv
	}
	return s
}
