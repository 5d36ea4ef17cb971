package modelspider

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
)

// Config fixes the architecture of a ranker network.
type Config struct {
	// Dim is the token width d (the paper uses 1,024).
	Dim int `json:"dim"`
	// FFN is the hidden width of the position-wise feed-forward block after
	// attention; 0 leaves the block out.
	FFN int `json:"ffn"`
	// NumModels is the number of models with a learned free token (rows of
	// E); 0 when the model token comes from features only.
	NumModels int `json:"num_models"`
	// ModelFeatures is the number of metadata features per model that enter
	// the model token through a linear map; 0 for none.
	ModelFeatures int `json:"model_features"`
	// TaskFeatures is the number of input features of a generic task token.
	TaskFeatures int `json:"task_features"`
	// SpecificFeatures[m] is the number of input features of model m's
	// PTM-specific task tokens (its own features of the target data),
	// projected by its own map P_m; 0 (or a short slice) for none.
	SpecificFeatures []int `json:"specific_features,omitempty"`
	// LinearPath adds a linear function of the model features to the
	// score, t̂ += u·x_m: the network then learns task-dependent corrections
	// to a linear metadata ranker, and weight decay shrinks the corrections
	// rather than the metadata signal itself. Needs ModelFeatures > 0.
	LinearPath bool `json:"linear_path,omitempty"`
	// PairFeatures is the number of inputs p_{m,T} that describe one model
	// on one topic (such as the target accuracy of the model's own base
	// model) and enter the score linearly, t̂ += v·p_{m,T}; 0 for none.
	PairFeatures int `json:"pair_features,omitempty"`
}

func (c Config) validate() error {
	switch {
	case c.Dim < 1:
		return fmt.Errorf("config: dim %d, need at least 1", c.Dim)
	case c.FFN < 0:
		return fmt.Errorf("config: ffn %d is negative", c.FFN)
	case c.NumModels < 0 || c.ModelFeatures < 0:
		return fmt.Errorf("config: negative model count or feature count")
	case c.NumModels == 0 && c.ModelFeatures == 0:
		return errors.New("config: a model token needs free tokens (num_models > 0) or model features")
	case c.TaskFeatures < 1:
		return fmt.Errorf("config: task_features %d, need at least 1", c.TaskFeatures)
	case c.PairFeatures < 0:
		return fmt.Errorf("config: pair_features %d is negative", c.PairFeatures)
	case c.LinearPath && c.ModelFeatures == 0:
		return errors.New("config: linear_path needs model features")
	case len(c.SpecificFeatures) > c.NumModels:
		return fmt.Errorf("config: %d specific-feature entries for %d models", len(c.SpecificFeatures), c.NumModels)
	}
	for m, q := range c.SpecificFeatures {
		if q < 0 {
			return fmt.Errorf("config: model %d has %d specific features", m, q)
		}
	}
	return c.checkSize()
}

// MaxParams bounds the parameters of a network: training keeps four
// copies (parameters, gradients, two Adam moments), 512 MiB at this bound.
// The shipped ranker has about 50,000; d = 1,024 over the recycling pool
// about 4.5 million.
const MaxParams = 1 << 24

// checkSize refuses a configuration of more than MaxParams parameters
// before any of its sizes is multiplied unchecked or allocated.
func (c Config) checkSize() error {
	tooBig := func(n int) error {
		return fmt.Errorf("config: %d or more parameters, more than a network may have (%d)", n, MaxParams)
	}
	// Every width is bounded first, so that no product below overflows.
	for _, w := range []int{c.Dim, c.FFN, c.NumModels, c.ModelFeatures, c.TaskFeatures, c.PairFeatures} {
		if w > MaxParams {
			return tooBig(w)
		}
	}
	fixed := c
	fixed.SpecificFeatures = nil
	n := newLayout(fixed).size
	// The per-model tensors of newLayout, counted without building them:
	// specific.proj.m (d × q) and specific.bias.m (d), then specific.type (d).
	specific := false
	for _, q := range c.SpecificFeatures {
		if q > MaxParams {
			return tooBig(q)
		}
		if q > 0 {
			n += c.Dim*q + c.Dim
			specific = true
		}
		if n > MaxParams {
			return tooBig(n)
		}
	}
	if specific {
		n += c.Dim
	}
	if n > MaxParams {
		return tooBig(n)
	}
	return nil
}

func (c Config) specificFeatures(m int) int {
	if m < 0 || m >= len(c.SpecificFeatures) {
		return 0
	}
	return c.SpecificFeatures[m]
}

func (c Config) hasSpecific() bool {
	for _, q := range c.SpecificFeatures {
		if q > 0 {
			return true
		}
	}
	return false
}

// tensorKind groups tensors for weight decay and for the per-block
// gradient buffers of training.
type tensorKind int

const (
	kindToken  tensorKind = iota // free model tokens: decay DecayTokens
	kindWeight                   // weight matrices: decay DecayWeights
	kindOther                    // biases, layer-norm gains: no decay
)

type tensorSpec struct {
	Name       string
	Rows, Cols int
	kind       tensorKind
	pair       bool // gradient accumulated per (model, topic) pair
	off        int
}

func (t tensorSpec) size() int { return t.Rows * t.Cols }

// layout places every tensor of the network in one flat vector, so that
// parameters, gradients and Adam moments share one indexing and the file
// format is a plain list. The tensors whose gradients are accumulated per
// pair come last, as one contiguous range [pairLo, size).
type layout struct {
	specs  []tensorSpec
	byName map[string]int
	size   int
	pairLo int
}

func newLayout(c Config) *layout {
	d := c.Dim
	l := &layout{byName: map[string]int{}}
	add := func(name string, rows, cols int, kind tensorKind, pair bool) {
		l.byName[name] = len(l.specs)
		l.specs = append(l.specs, tensorSpec{Name: name, Rows: rows, Cols: cols, kind: kind, pair: pair, off: l.size})
		l.size += rows * cols
	}
	if c.NumModels > 0 {
		add("model.free", c.NumModels, d, kindToken, false)
	}
	if c.ModelFeatures > 0 {
		add("model.proj", d, c.ModelFeatures, kindWeight, false)
	}
	add("model.bias", 1, d, kindOther, false)
	if c.LinearPath {
		add("model.linear", 1, c.ModelFeatures, kindWeight, false)
	}
	add("task.proj", d, c.TaskFeatures, kindWeight, false)
	add("task.bias", 1, d, kindOther, false)
	add("attn.q", d, d, kindWeight, false)
	add("attn.k", d, d, kindWeight, false)
	add("attn.v", d, d, kindWeight, false)
	for m, q := range c.SpecificFeatures {
		if q > 0 {
			add("specific.proj."+strconv.Itoa(m), d, q, kindWeight, false)
			add("specific.bias."+strconv.Itoa(m), 1, d, kindOther, false)
		}
	}
	l.pairLo = l.size
	if c.hasSpecific() {
		add("specific.type", 1, d, kindOther, true)
	}
	add("ln1.gain", 1, d, kindOther, true)
	add("ln1.bias", 1, d, kindOther, true)
	if c.FFN > 0 {
		add("ffn.w1", c.FFN, d, kindWeight, true)
		add("ffn.b1", 1, c.FFN, kindOther, true)
		add("ffn.w2", d, c.FFN, kindWeight, true)
		add("ffn.b2", 1, d, kindOther, true)
		add("ln2.gain", 1, d, kindOther, true)
		add("ln2.bias", 1, d, kindOther, true)
	}
	if c.PairFeatures > 0 {
		add("pair.linear", 1, c.PairFeatures, kindWeight, true)
	}
	add("head.w", 1, d, kindWeight, true)
	add("head.b", 1, 1, kindOther, true)
	return l
}

// tensors are named views into a flat vector laid out by a layout; a
// tensor outside the bound range is nil.
type tensors struct {
	free, modelProj, modelBias     []float64
	modelLinear, pairLinear        []float64
	taskProj, taskBias             []float64
	wq, wk, wv                     []float64
	specProj, specBias             [][]float64 // per model; nil when none
	specType                       []float64
	ln1Gain, ln1Bias               []float64
	ffnW1, ffnB1, ffnW2, ffnB2     []float64
	ln2Gain, ln2Bias, headW, headB []float64
}

// bind returns views of data, which holds the layout's range [base,
// base+len(data)).
func (l *layout) bind(c Config, data []float64, base int) tensors {
	get := func(name string) []float64 {
		i, ok := l.byName[name]
		if !ok {
			return nil
		}
		s := l.specs[i]
		lo, hi := s.off-base, s.off-base+s.size()
		if lo < 0 || hi > len(data) {
			return nil
		}
		return data[lo:hi:hi]
	}
	t := tensors{
		free: get("model.free"), modelProj: get("model.proj"), modelBias: get("model.bias"),
		modelLinear: get("model.linear"), pairLinear: get("pair.linear"),
		taskProj: get("task.proj"), taskBias: get("task.bias"),
		wq: get("attn.q"), wk: get("attn.k"), wv: get("attn.v"),
		specType: get("specific.type"),
		ln1Gain:  get("ln1.gain"), ln1Bias: get("ln1.bias"),
		ffnW1: get("ffn.w1"), ffnB1: get("ffn.b1"), ffnW2: get("ffn.w2"), ffnB2: get("ffn.b2"),
		ln2Gain: get("ln2.gain"), ln2Bias: get("ln2.bias"),
		headW: get("head.w"), headB: get("head.b"),
	}
	if c.hasSpecific() {
		t.specProj = make([][]float64, c.NumModels)
		t.specBias = make([][]float64, c.NumModels)
		for m := range c.SpecificFeatures {
			t.specProj[m] = get("specific.proj." + strconv.Itoa(m))
			t.specBias[m] = get("specific.bias." + strconv.Itoa(m))
		}
	}
	return t
}

// Network is a Model Spider ranker: its architecture and parameters.
type Network struct {
	cfg    Config
	lay    *layout
	params []float64
	w      tensors
}

// NewNetwork builds a network with seeded random initial parameters:
// attention maps N(0, 2/(d+d)) as in the reference code's
// MultiHeadAttention, input projections N(0, 1/fan_in), free model tokens
// N(0, 1/d), layer-norm gains 1, biases 0, the linear and pair paths 0
// (so that a network starts as one without them).
func NewNetwork(cfg Config, seed uint64) (*Network, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	n := &Network{cfg: cfg, lay: newLayout(cfg)}
	n.params = make([]float64, n.lay.size)
	n.w = n.lay.bind(cfg, n.params, 0)
	rng := rand.New(rand.NewPCG(seed, 0x6d73706964657221))
	fill := func(x []float64, std float64) {
		for i := range x {
			x[i] = rng.NormFloat64() * std
		}
	}
	d := float64(cfg.Dim)
	for _, s := range n.lay.specs {
		x := n.params[s.off : s.off+s.size()]
		switch s.Name {
		case "model.free":
			fill(x, 1/math.Sqrt(d))
		case "attn.q", "attn.k", "attn.v":
			fill(x, math.Sqrt(2/(2*d)))
		case "ln1.gain", "ln2.gain":
			for i := range x {
				x[i] = 1
			}
		case "head.w":
			fill(x, 1/math.Sqrt(d))
		case "specific.type":
			fill(x, 1/math.Sqrt(d))
		case "model.linear", "pair.linear":
		default:
			if s.kind == kindWeight {
				fill(x, 1/math.Sqrt(float64(s.Cols)))
			}
		}
	}
	return n, nil
}

// Config returns the network's architecture.
func (n *Network) Config() Config { return n.cfg }

// NumParams returns the number of scalar parameters.
func (n *Network) NumParams() int { return n.lay.size }

// ModelRef says how the network builds the token of one model to score:
// Free is its row of learned free tokens, or −1 for a model the network was
// not trained on; Features are its metadata features (Config.ModelFeatures
// of them).
type ModelRef struct {
	Free     int
	Features []float64
}

func (n *Network) checkModels(models []ModelRef) error {
	for i, m := range models {
		if m.Free < -1 || m.Free >= n.cfg.NumModels {
			return fmt.Errorf("model %d: free-token row %d outside [-1, %d)", i, m.Free, n.cfg.NumModels)
		}
		if len(m.Features) != n.cfg.ModelFeatures {
			return fmt.Errorf("model %d: %d features, the network takes %d", i, len(m.Features), n.cfg.ModelFeatures)
		}
		if !allFinite(m.Features) {
			return fmt.Errorf("model %d: non-finite feature", i)
		}
	}
	return nil
}

func (n *Network) checkTokens(tokens [][]float64, what string) error {
	if len(tokens) == 0 {
		return fmt.Errorf("%s: no task tokens", what)
	}
	for i, t := range tokens {
		if len(t) != n.cfg.TaskFeatures {
			return fmt.Errorf("%s: task token %d has %d features, the network takes %d", what, i, len(t), n.cfg.TaskFeatures)
		}
		if !allFinite(t) {
			return fmt.Errorf("%s: task token %d has a non-finite feature", what, i)
		}
	}
	return nil
}

func (n *Network) checkSpecific(m int, tokens [][]float64, what string) error {
	q := n.cfg.specificFeatures(m)
	if q == 0 {
		return fmt.Errorf("%s: model row %d has no PTM-specific projection", what, m)
	}
	if len(tokens) == 0 {
		return fmt.Errorf("%s: model row %d: empty PTM-specific token set", what, m)
	}
	for i, t := range tokens {
		if len(t) != q {
			return fmt.Errorf("%s: model row %d: specific token %d has %d features, want %d", what, m, i, len(t), q)
		}
		if !allFinite(t) {
			return fmt.Errorf("%s: model row %d: specific token %d has a non-finite feature", what, m, i)
		}
	}
	return nil
}

// checkPair checks the pair inputs of a topic: nil for a network without
// pair features, else one row of PairFeatures finite values per model.
func (n *Network) checkPair(pair [][]float64, models int, what string) error {
	q := n.cfg.PairFeatures
	switch {
	case q == 0 && pair != nil:
		return fmt.Errorf("%s: pair inputs given, the network takes none", what)
	case q == 0:
		return nil
	case len(pair) != models:
		return fmt.Errorf("%s: pair inputs for %d models, want %d", what, len(pair), models)
	}
	for i, v := range pair {
		if len(v) != q {
			return fmt.Errorf("%s: model %d has %d pair inputs, the network takes %d", what, i, len(v), q)
		}
		if !allFinite(v) {
			return fmt.Errorf("%s: model %d has a non-finite pair input", what, i)
		}
	}
	return nil
}

// modelSide holds what depends on the model only: θ_m and its query, key
// and value, each a row of length d, and the linear path u·x_m.
type modelSide struct {
	theta, q, k, v []float64
	linear         []float64
}

func newModelSide(count, d int) *modelSide {
	return &modelSide{
		theta: make([]float64, count*d), q: make([]float64, count*d),
		k: make([]float64, count*d), v: make([]float64, count*d),
		linear: make([]float64, count),
	}
}

// modelForward computes θ_m = E_m + W_m x_m + b_m and W_q θ_m, W_k θ_m,
// W_v θ_m for models [lo, hi).
func (n *Network) modelForward(w *tensors, models []ModelRef, ms *modelSide, lo, hi int) {
	d := n.cfg.Dim
	for i := lo; i < hi; i++ {
		theta := ms.theta[i*d : (i+1)*d]
		copy(theta, w.modelBias)
		if f := models[i].Free; f >= 0 {
			addTo(theta, w.free[f*d:(f+1)*d])
		}
		if n.cfg.ModelFeatures > 0 {
			matVecAdd(w.modelProj, nil, models[i].Features, theta)
		}
		matVec(w.wq, theta, ms.q[i*d:(i+1)*d])
		matVec(w.wk, theta, ms.k[i*d:(i+1)*d])
		matVec(w.wv, theta, ms.v[i*d:(i+1)*d])
		if n.cfg.LinearPath {
			ms.linear[i] = dot(w.modelLinear, models[i].Features)
		}
	}
}

// taskSide holds a topic's generic task tokens t_i = W_t u_i + b_t and
// their keys and values.
type taskSide struct {
	tok, k, v [][]float64
}

func (n *Network) taskForward(w *tensors, inputs [][]float64) *taskSide {
	d := n.cfg.Dim
	ts := &taskSide{}
	for _, u := range inputs {
		t := make([]float64, d)
		copy(t, w.taskBias)
		matVecAdd(w.taskProj, nil, u, t)
		k := make([]float64, d)
		v := make([]float64, d)
		matVec(w.wk, t, k)
		matVec(w.wv, t, v)
		ts.tok = append(ts.tok, t)
		ts.k = append(ts.k, k)
		ts.v = append(ts.v, v)
	}
	return ts
}

// pairState holds the activations of one (model, topic) pair and scratch
// for its backward pass. It grows to the largest sequence seen.
type pairState struct {
	d                 int
	keys, values      [][]float64
	a, da             []float64
	h, y, xhat1, r1   []float64
	rstd1, rstd2      float64
	hidden, f, xhat2  []float64
	r2                []float64
	spec, sk, sv      [][]float64 // PTM-specific tokens and their keys and values
	specIn            [][]float64
	pairIn            []float64
	dh, dr, dy, dspec []float64
	dhidden, df       []float64
	dkeys, dvalues    [][]float64
	nspec             int
}

func newPairState(c Config) *pairState {
	d := c.Dim
	p := &pairState{d: d}
	for _, s := range []*[]float64{&p.h, &p.y, &p.xhat1, &p.r1, &p.f, &p.xhat2, &p.r2, &p.dh, &p.dr, &p.dy, &p.dspec, &p.df} {
		*s = make([]float64, d)
	}
	p.hidden = make([]float64, c.FFN)
	p.dhidden = make([]float64, c.FFN)
	return p
}

func (p *pairState) grow(length, nspec int) {
	for len(p.a) < length {
		p.a = append(p.a, 0)
		p.da = append(p.da, 0)
		p.dkeys = append(p.dkeys, make([]float64, p.d))
		p.dvalues = append(p.dvalues, make([]float64, p.d))
	}
	for len(p.spec) < nspec {
		p.spec = append(p.spec, make([]float64, p.d))
		p.sk = append(p.sk, make([]float64, p.d))
		p.sv = append(p.sv, make([]float64, p.d))
	}
}

// pairForward scores model i (row free of E, or −1) on a topic: the
// sequence [θ; task tokens; PTM-specific tokens] passes one attention layer
// read at position 0, layer norm, the optional feed-forward block and the
// linear head. specific holds the raw inputs of model row m's PTM-specific
// tokens, or nil for the generic score.
func (n *Network) pairForward(w *tensors, ms *modelSide, i, m int, ts *taskSide, specific [][]float64, pairIn []float64, p *pairState) float64 {
	d := n.cfg.Dim
	length := 1 + len(ts.tok) + len(specific)
	p.grow(length, len(specific))
	p.nspec = len(specific)
	p.specIn = specific
	p.pairIn = pairIn
	theta := ms.theta[i*d : (i+1)*d]
	p.keys = append(p.keys[:0], ms.k[i*d:(i+1)*d])
	p.values = append(p.values[:0], ms.v[i*d:(i+1)*d])
	p.keys = append(p.keys, ts.k...)
	p.values = append(p.values, ts.v...)
	for j, u := range specific {
		s := p.spec[j]
		copy(s, w.specBias[m])
		addTo(s, w.specType)
		matVecAdd(w.specProj[m], nil, u, s)
		matVec(w.wk, s, p.sk[j])
		matVec(w.wv, s, p.sv[j])
		p.keys = append(p.keys, p.sk[j])
		p.values = append(p.values, p.sv[j])
	}
	attendForward(ms.q[i*d:(i+1)*d], p.keys, p.values, p.a[:length], p.h)
	for j := range p.y {
		p.y[j] = theta[j] + p.h[j]
	}
	p.rstd1 = layerNormForward(p.y, w.ln1Gain, w.ln1Bias, p.xhat1, p.r1)
	out := p.r1
	if n.cfg.FFN > 0 {
		ffnForward(w.ffnW1, w.ffnB1, w.ffnW2, w.ffnB2, p.r1, p.hidden, p.f)
		p.rstd2 = layerNormForward(p.f, w.ln2Gain, w.ln2Bias, p.xhat2, p.r2)
		out = p.r2
	}
	score := dot(w.headW, out) + w.headB[0] + ms.linear[i]
	if pairIn != nil {
		score += dot(w.pairLinear, pairIn)
	}
	return score
}

// pairGrads receives the gradients of one pair's backward pass: g holds
// the per-pair tensors (bound to a block buffer), dTheta/dq/dk/dv the
// model's rows, dTaskK/dTaskV the topic's token rows, spec the full
// gradient views for the model's PTM-specific projection, and outer
// collects (∂k, ∂v, s) triples of specific tokens for W_k and W_v.
type pairGrads struct {
	g                  tensors
	dTheta, dq, dk, dv []float64
	dTaskK, dTaskV     [][]float64
	specProj, specBias []float64
	outer              *[]float64
}

// pairBackward back-propagates ∂L/∂score = gs through the pair last run by
// pairForward (model index i, row m, topic ts).
func (n *Network) pairBackward(w *tensors, ms *modelSide, i, m int, ts *taskSide, p *pairState, gs float64, out *pairGrads) {
	d := n.cfg.Dim
	length := 1 + len(ts.tok) + p.nspec
	last := p.r1
	if n.cfg.FFN > 0 {
		last = p.r2
	}
	// head
	if p.pairIn != nil {
		axpy(gs, p.pairIn, out.g.pairLinear)
	}
	out.g.headB[0] += gs
	axpy(gs, last, out.g.headW)
	for j := range p.dr {
		p.dr[j] = float64(gs * w.headW[j])
	}
	if n.cfg.FFN > 0 {
		layerNormBackward(p.dr, w.ln2Gain, p.xhat2, p.rstd2, out.g.ln2Gain, out.g.ln2Bias, p.df)
		ffnBackward(w.ffnW1, w.ffnW2, p.r1, p.hidden, p.df, out.g.ffnW1, out.g.ffnB1, out.g.ffnW2, out.g.ffnB2, p.dhidden, p.dr)
	}
	layerNormBackward(p.dr, w.ln1Gain, p.xhat1, p.rstd1, out.g.ln1Gain, out.g.ln1Bias, p.dy)
	// y = θ + h
	addTo(out.dTheta, p.dy)
	for j := 0; j < length; j++ {
		clear(p.dkeys[j])
		clear(p.dvalues[j])
	}
	attendBackward(ms.q[i*d:(i+1)*d], p.keys, p.values, p.a[:length], p.dy, p.da[:length], out.dq, p.dkeys[:length], p.dvalues[:length])
	addTo(out.dk, p.dkeys[0])
	addTo(out.dv, p.dvalues[0])
	for t := range ts.tok {
		addTo(out.dTaskK[t], p.dkeys[1+t])
		addTo(out.dTaskV[t], p.dvalues[1+t])
	}
	for j := 0; j < p.nspec; j++ {
		gk, gv := p.dkeys[1+len(ts.tok)+j], p.dvalues[1+len(ts.tok)+j]
		clear(p.dspec)
		matTVecAdd(w.wk, gk, p.dspec)
		matTVecAdd(w.wv, gv, p.dspec)
		*out.outer = append(*out.outer, gk...)
		*out.outer = append(*out.outer, gv...)
		*out.outer = append(*out.outer, p.spec[j]...)
		addTo(out.g.specType, p.dspec)
		addTo(out.specBias, p.dspec)
		outerAdd(out.specProj, p.dspec, p.specIn[j])
	}
}

// cacheLen is the number of floats saveActivations stores for a pair with
// a sequence of the given length.
func (n *Network) cacheLen(length int) int { return length + 2 + 2*n.cfg.Dim + n.cfg.FFN }

// saveActivations appends what pairBackward needs of the pair last run by
// pairForward (without PTM-specific tokens) to buf; the pair inputs are
// the caller's and are given back to restoreActivations.
func (p *pairState) saveActivations(buf []float64, length int, ffn bool) []float64 {
	buf = append(buf, p.a[:length]...)
	buf = append(buf, p.rstd1)
	buf = append(buf, p.xhat1...)
	if ffn {
		buf = append(buf, p.rstd2)
		buf = append(buf, p.xhat2...)
		buf = append(buf, p.hidden...)
	}
	return buf
}

// restoreActivations is the inverse of saveActivations: it puts pair
// (i, ts) back into p as pairForward left it, as far as pairBackward reads
// it, and returns the rest of buf. The values are the stored ones, so the
// backward pass is bit-identical to one after a fresh forward pass.
func (n *Network) restoreActivations(w *tensors, ms *modelSide, i int, ts *taskSide, pairIn []float64, p *pairState, buf []float64) []float64 {
	d := n.cfg.Dim
	length := 1 + len(ts.tok)
	p.grow(length, 0)
	p.nspec = 0
	p.specIn = nil
	p.pairIn = pairIn
	p.keys = append(p.keys[:0], ms.k[i*d:(i+1)*d])
	p.values = append(p.values[:0], ms.v[i*d:(i+1)*d])
	p.keys = append(p.keys, ts.k...)
	p.values = append(p.values, ts.v...)
	buf = buf[copy(p.a[:length], buf):]
	p.rstd1, buf = buf[0], buf[1:]
	buf = buf[copy(p.xhat1, buf):]
	for j, x := range p.xhat1 {
		p.r1[j] = float64(w.ln1Gain[j]*x) + w.ln1Bias[j]
	}
	if n.cfg.FFN > 0 {
		p.rstd2, buf = buf[0], buf[1:]
		buf = buf[copy(p.xhat2, buf):]
		buf = buf[copy(p.hidden, buf):]
		for j, x := range p.xhat2 {
			p.r2[j] = float64(w.ln2Gain[j]*x) + w.ln2Bias[j]
		}
	}
	return buf
}
