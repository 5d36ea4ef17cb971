package transfer

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"os"
	"slices"
	"strconv"
	"sync/atomic"
)

// Limits bound what the .npy readers and the estimators accept, so that a
// hostile or broken file ends in an error instead of exhausting memory.
type Limits struct {
	// MaxNpyBytes is the largest .npy file read, header included. Reading
	// converts to float64, so a float32 file takes twice its size in memory.
	MaxNpyBytes int64
	// MaxClassCells bounds N × C, the samples times the classes (largest
	// label + 1) of a classification task: the size of LogME's one-hot
	// target matrix and the bound of N-LEEP's N × K posteriors (K < 5·C).
	// Every other label-sized allocation is bounded by an input's own size.
	MaxClassCells int64
}

// DefaultLimits admit a million samples of 2048 float64 features (16 GiB)
// and, for example, 50,000 samples of 1,000 classes (ImageNet's validation
// set), while keeping the one-hot targets of LogME under 512 MiB.
var DefaultLimits = Limits{MaxNpyBytes: 16 << 30, MaxClassCells: 1 << 26}

var currentLimits atomic.Pointer[Limits]

func init() { currentLimits.Store(&DefaultLimits) }

// SetLimits replaces the limits used by every reader and estimator of the
// package (the command line sets them from its flags before reading).
func SetLimits(l Limits) error {
	if l.MaxNpyBytes <= 0 || l.MaxClassCells <= 0 {
		return fmt.Errorf("transfer limits must be positive, got MaxNpyBytes %d, MaxClassCells %d", l.MaxNpyBytes, l.MaxClassCells)
	}
	currentLimits.Store(&l)
	return nil
}

// CurrentLimits returns the limits in force.
func CurrentLimits() Limits { return *currentLimits.Load() }

// npyMaxHeader caps the HEADER_LEN field of a .npy file. A numeric array's
// header is under 200 bytes even with 64 dimensions; format 1.0 cannot
// exceed 65535 bytes, and numpy's own reader refuses headers over 10,000
// bytes unless told otherwise (max_header_size), so 64 KiB accepts every
// numeric file numpy writes and refuses a 4 GiB header claim before reading.
const npyMaxHeader = 64 << 10

// npyMaxDims is numpy 2's NPY_MAXDIMS.
const npyMaxDims = 64

const npyMagic = "\x93NUMPY"

// npyArray is a decoded .npy file: its shape and its elements in C order,
// either as floats (float dtypes) or as integers (integer dtypes).
type npyArray struct {
	Path   string
	Dtype  string // as in the header, e.g. "<f4"
	Shape  []int
	Floats []float64
	Ints   []int64
}

// npyLayout is what a .npy header says about the data that follows it,
// checked against the size of the file.
type npyLayout struct {
	dtype      string // as in the header, e.g. "<f4"
	kind       byte   // 'f' float, 'i' signed, 'u' unsigned integer
	size       int    // bytes per element
	order      binary.ByteOrder
	shape      []int
	count      int // elements, the product of shape
	fortran    bool
	dataOffset int64 // first data byte
}

// npyDtypeKinds lists the element types read: the type code after the
// byte-order character and its size in bytes.
var npyDtypeKinds = map[string]struct {
	kind byte
	size int
}{
	"f2": {'f', 2}, "f4": {'f', 4}, "f8": {'f', 8},
	"i1": {'i', 1}, "i2": {'i', 2}, "i4": {'i', 4}, "i8": {'i', 8},
	"u1": {'u', 1}, "u2": {'u', 2}, "u4": {'u', 4}, "u8": {'u', 8},
}

// npyError is a .npy problem at the level of the file format.
func npyError(path, format string, args ...any) error {
	return fmt.Errorf("%s: not a valid .npy file: %s", path, fmt.Sprintf(format, args...))
}

// parseNpyPrefix reads the magic, version, header length and header of a
// .npy file of fileSize bytes from r, parses the header strictly and checks
// that the file holds exactly the data the header declares. Nothing is
// allocated from a size the file claims before that size has been checked
// against fileSize.
func parseNpyPrefix(path string, r io.Reader, fileSize int64) (*npyLayout, error) {
	if max := CurrentLimits().MaxNpyBytes; fileSize > max {
		return nil, fmt.Errorf("%s: file has %d bytes, more than the %d-byte limit for .npy files (--max-npy-size)", path, fileSize, max)
	}
	var pre [12]byte
	if _, err := io.ReadFull(r, pre[:min(10, fileSize)]); err != nil || fileSize < 10 || string(pre[:6]) != npyMagic {
		return nil, npyError(path, "it does not start with the magic string \"\\x93NUMPY\" and a version")
	}
	major, minor := pre[6], pre[7]
	var hlen, prefix int64
	switch {
	case major == 1 && minor == 0:
		hlen, prefix = int64(binary.LittleEndian.Uint16(pre[8:10])), 10
	case (major == 2 || major == 3) && minor == 0:
		if fileSize < 12 {
			return nil, npyError(path, "the file ends inside the header length")
		}
		if _, err := io.ReadFull(r, pre[10:12]); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		hlen, prefix = int64(binary.LittleEndian.Uint32(pre[8:12])), 12
	default:
		return nil, npyError(path, "format version %d.%d is not supported (1.0, 2.0 and 3.0 are)", major, minor)
	}
	if hlen > npyMaxHeader {
		return nil, npyError(path, "header length %d exceeds the %d-byte limit", hlen, npyMaxHeader)
	}
	if prefix+hlen > fileSize {
		return nil, npyError(path, "the header claims %d bytes, but the file ends after %d", hlen, fileSize-prefix)
	}
	header := make([]byte, hlen)
	if _, err := io.ReadFull(r, header); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	l, err := parseNpyHeader(header)
	if err != nil {
		return nil, npyError(path, "header %s", err)
	}
	l.dataOffset = prefix + hlen
	if l.fortran && len(l.shape) > 2 {
		return nil, fmt.Errorf("%s: Fortran-ordered array of shape %v is not supported (only 1-D and 2-D arrays are)", path, l.shape)
	}
	need, ok := npyDataBytes(l.shape, l.size)
	if !ok || need > math.MaxInt64-l.dataOffset {
		return nil, fmt.Errorf("%s: file has %d bytes, its header (dtype %q, shape %v) declares more than 2⁶³ bytes of data", path, fileSize, l.dtype, l.shape)
	}
	if want := l.dataOffset + need; want != fileSize {
		return nil, fmt.Errorf("%s: file has %d bytes, its header (dtype %q, shape %v) needs %d", path, fileSize, l.dtype, l.shape, want)
	}
	// need ≤ fileSize ≤ MaxNpyBytes, so the count fits an int and every
	// allocation below is bounded by the file's real size.
	l.count = int(need / int64(l.size))
	return l, nil
}

// npyDataBytes returns the product of shape and size, the bytes of data
// the header declares; ok is false when it exceeds math.MaxInt64. A zero
// dimension makes the product 0 however large the others are.
func npyDataBytes(shape []int, size int) (int64, bool) {
	if slices.Contains(shape, 0) {
		return 0, true
	}
	n := uint64(size)
	for _, d := range shape {
		hi, lo := bits.Mul64(n, uint64(d))
		if hi != 0 || lo > math.MaxInt64 {
			return 0, false
		}
		n = lo
	}
	return int64(n), true
}

// parseNpyHeader parses the header dictionary, for example
//
//	{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }
//
// followed by spaces and a final '\n'. It accepts the keys in any order and
// the Python literal forms numpy's writers produce (either quote, optional
// trailing commas, the 'L' suffix of Python 2 integers), and nothing else:
// numpy parses the header with ast.literal_eval, whose other forms no writer
// of numeric arrays produces.
func parseNpyHeader(h []byte) (*npyLayout, error) {
	if len(h) == 0 || h[len(h)-1] != '\n' {
		return nil, errors.New("does not end with a newline")
	}
	p := &headerParser{s: h[:len(h)-1]}
	l := &npyLayout{}
	seen := map[string]bool{}
	p.space()
	if err := p.expect('{'); err != nil {
		return nil, err
	}
	for {
		p.space()
		if p.peek() == '}' {
			break
		}
		keyAt := p.pos
		key, err := p.str()
		if err != nil {
			return nil, err
		}
		if seen[key] {
			return nil, fmt.Errorf("repeats the key %q at byte %d", key, keyAt)
		}
		seen[key] = true
		p.space()
		if err := p.expect(':'); err != nil {
			return nil, err
		}
		p.space()
		switch key {
		case "descr":
			if p.peek() == '[' {
				return nil, errors.New("describes a structured dtype (a list of fields); only plain numeric dtypes are supported")
			}
			if l.dtype, err = p.str(); err != nil {
				return nil, err
			}
		case "fortran_order":
			if l.fortran, err = p.boolean(); err != nil {
				return nil, err
			}
		case "shape":
			if l.shape, err = p.tuple(); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("has the unknown key %q (want 'descr', 'fortran_order', 'shape')", key)
		}
		p.space()
		if p.peek() == ',' {
			p.pos++
			continue
		}
		if p.peek() != '}' {
			return nil, p.unexpected("',' or '}'")
		}
	}
	p.pos++ // '}'
	for ; p.pos < len(p.s); p.pos++ {
		if p.s[p.pos] != ' ' {
			return nil, p.unexpected("only space padding after '}'")
		}
	}
	for _, k := range []string{"descr", "fortran_order", "shape"} {
		if !seen[k] {
			return nil, fmt.Errorf("has no %q key", k)
		}
	}
	if err := l.setDtype(); err != nil {
		return nil, err
	}
	return l, nil
}

// setDtype decodes l.dtype: a byte-order character and a type code.
func (l *npyLayout) setDtype() error {
	unsupported := fmt.Errorf("dtype %q is not supported (want float16, float32, float64 or an integer type of 1 to 8 bytes, little- or big-endian)", l.dtype)
	if len(l.dtype) < 2 {
		return unsupported
	}
	k, ok := npyDtypeKinds[l.dtype[1:]]
	if !ok {
		return unsupported
	}
	switch l.dtype[0] {
	case '<':
		l.order = binary.LittleEndian
	case '>':
		l.order = binary.BigEndian
	case '|':
		if k.size != 1 {
			return unsupported
		}
		l.order = binary.LittleEndian
	default:
		return unsupported
	}
	l.kind, l.size = k.kind, k.size
	return nil
}

// headerParser reads the tokens of a .npy header dictionary.
type headerParser struct {
	s   []byte
	pos int
}

func (p *headerParser) peek() byte {
	if p.pos < len(p.s) {
		return p.s[p.pos]
	}
	return 0
}

func (p *headerParser) space() {
	for p.pos < len(p.s) && (p.s[p.pos] == ' ' || p.s[p.pos] == '\t') {
		p.pos++
	}
}

func (p *headerParser) unexpected(want string) error {
	if p.pos >= len(p.s) {
		return fmt.Errorf("ends where %s was expected (is the closing '}' missing?)", want)
	}
	return fmt.Errorf("has %q at byte %d where %s was expected", p.s[p.pos], p.pos, want)
}

func (p *headerParser) expect(c byte) error {
	if p.peek() != c {
		return p.unexpected(fmt.Sprintf("%q", c))
	}
	p.pos++
	return nil
}

// str reads a quoted string without escapes.
func (p *headerParser) str() (string, error) {
	q := p.peek()
	if q != '\'' && q != '"' {
		return "", p.unexpected("a quoted string")
	}
	start := p.pos + 1
	end := bytes.IndexByte(p.s[start:], q)
	if end < 0 {
		return "", fmt.Errorf("has a string starting at byte %d that is never closed", p.pos)
	}
	s := p.s[start : start+end]
	for _, c := range s {
		if c < ' ' || c > '~' || c == '\\' {
			return "", fmt.Errorf("has a string at byte %d with a character other than printable ASCII: %q", p.pos, s)
		}
	}
	p.pos = start + end + 1
	return string(s), nil
}

func (p *headerParser) boolean() (bool, error) {
	for _, w := range []string{"True", "False"} {
		if bytes.HasPrefix(p.s[p.pos:], []byte(w)) {
			p.pos += len(w)
			return w == "True", nil
		}
	}
	return false, p.unexpected("True or False")
}

// tuple reads a shape: a parenthesised tuple of non-negative integers; a
// single dimension needs its trailing comma, as in Python.
func (p *headerParser) tuple() ([]int, error) {
	if err := p.expect('('); err != nil {
		return nil, err
	}
	shape := []int{}
	trailingComma := false
	for {
		p.space()
		if p.peek() == ')' {
			if len(shape) == 1 && !trailingComma {
				return nil, errors.New("has a shape in parentheses without a comma, which Python reads as a number, not a tuple (a 1-D shape is written (N,))")
			}
			p.pos++
			return shape, nil
		}
		d, err := p.dim()
		if err != nil {
			return nil, err
		}
		if len(shape) == npyMaxDims {
			return nil, fmt.Errorf("has a shape of more than %d dimensions", npyMaxDims)
		}
		shape = append(shape, d)
		p.space()
		switch p.peek() {
		case ',':
			p.pos++
			trailingComma = true
		case ')':
			trailingComma = false
		default:
			return nil, p.unexpected("',' or ')' in the shape")
		}
	}
}

// dim reads one non-negative dimension, without leading zeros.
func (p *headerParser) dim() (int, error) {
	start := p.pos
	for p.pos < len(p.s) && p.s[p.pos] >= '0' && p.s[p.pos] <= '9' {
		p.pos++
	}
	digits := string(p.s[start:p.pos])
	if digits == "" {
		return 0, p.unexpected("a non-negative integer dimension")
	}
	if len(digits) > 1 && digits[0] == '0' {
		return 0, fmt.Errorf("has the dimension %s with a leading zero at byte %d", digits, start)
	}
	if p.peek() == 'L' {
		p.pos++
	}
	d, err := strconv.ParseInt(digits, 10, 0)
	if err != nil {
		return 0, fmt.Errorf("has the dimension %s at byte %d, too large for any array", digits, start)
	}
	return int(d), nil
}

// openNpy opens a regular .npy file, parses and checks its header and
// leaves the file at the first data byte. Both the bundle check (header
// only) and readNpy use it, so they accept exactly the same files.
func openNpy(path string) (*os.File, *npyLayout, error) {
	// Stat first: opening a FIFO for reading would block until a writer
	// appears.
	st, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, nil, fmt.Errorf("%s: not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	if st, err = f.Stat(); err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, nil, fmt.Errorf("%s: not a regular file", path)
	}
	l, err := parseNpyPrefix(path, f, st.Size())
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, l, nil
}

func readNpy(path string) (*npyArray, error) {
	f, l, err := openNpy(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return decodeNpyData(path, f, l)
}

// decodeNpy parses and decodes a whole .npy file held in memory.
func decodeNpy(path string, raw []byte) (*npyArray, error) {
	r := bytes.NewReader(raw)
	l, err := parseNpyPrefix(path, r, int64(len(raw)))
	if err != nil {
		return nil, err
	}
	return decodeNpyData(path, r, l)
}

// decodeNpyData reads the l.count elements that follow the header, whose
// size parseNpyPrefix has checked against the file's, and returns them in
// C order.
func decodeNpyData(path string, r io.Reader, l *npyLayout) (*npyArray, error) {
	arr := &npyArray{Path: path, Dtype: l.dtype, Shape: l.shape}
	if l.kind == 'f' {
		arr.Floats = make([]float64, l.count)
	} else {
		arr.Ints = make([]int64, l.count)
	}
	buf := make([]byte, l.size*min(l.count, 1<<16/l.size))
	for done := 0; done < l.count; {
		chunk := min(l.count-done, len(buf)/l.size)
		if _, err := io.ReadFull(r, buf[:chunk*l.size]); err != nil {
			return nil, fmt.Errorf("%s: truncated while reading (the file changed?): shape %v needs %d values of %d bytes, the file ends after about %d",
				path, l.shape, l.count, l.size, done)
		}
		for k := 0; k < chunk; k++ {
			b := buf[k*l.size : (k+1)*l.size]
			if l.kind == 'f' {
				arr.Floats[done+k] = decodeFloat(b, l.order)
				continue
			}
			v, ok := decodeInt(b, l.kind, l.order)
			if !ok {
				return nil, fmt.Errorf("%s: value %d at index %d does not fit a signed 64-bit integer", path, l.order.Uint64(b), done+k)
			}
			arr.Ints[done+k] = v
		}
		done += chunk
	}
	if l.fortran && len(l.shape) == 2 {
		// Column-major data of shape (rows, cols) is the C-order data of
		// its transpose; parseNpyPrefix has refused Fortran order beyond
		// two dimensions.
		rows, cols := l.shape[0], l.shape[1]
		if arr.Floats != nil {
			arr.Floats = transpose(cols, rows, arr.Floats)
		} else {
			ints := make([]int64, l.count)
			for i := 0; i < rows; i++ {
				for j := 0; j < cols; j++ {
					ints[i*cols+j] = arr.Ints[j*rows+i]
				}
			}
			arr.Ints = ints
		}
	}
	return arr, nil
}

func decodeFloat(b []byte, order binary.ByteOrder) float64 {
	switch len(b) {
	case 2:
		return float16ToFloat64(order.Uint16(b))
	case 4:
		return float64(math.Float32frombits(order.Uint32(b)))
	default:
		return math.Float64frombits(order.Uint64(b))
	}
}

// decodeInt returns the integer in b; ok is false for a uint64 above
// math.MaxInt64.
func decodeInt(b []byte, kind byte, order binary.ByteOrder) (v int64, ok bool) {
	signed := kind == 'i'
	switch len(b) {
	case 1:
		if signed {
			return int64(int8(b[0])), true
		}
		return int64(b[0]), true
	case 2:
		if signed {
			return int64(int16(order.Uint16(b))), true
		}
		return int64(order.Uint16(b)), true
	case 4:
		if signed {
			return int64(int32(order.Uint32(b))), true
		}
		return int64(order.Uint32(b)), true
	default:
		u := order.Uint64(b)
		if !signed && u > math.MaxInt64 {
			return 0, false
		}
		return int64(u), true
	}
}

// float16ToFloat64 converts an IEEE 754 half-precision value exactly.
func float16ToFloat64(h uint16) float64 {
	sign := 1.0
	if h&0x8000 != 0 {
		sign = -1
	}
	exp := int(h>>10) & 0x1f
	frac := float64(h & 0x3ff)
	switch exp {
	case 0:
		return sign * math.Ldexp(frac, -24) // subnormal: frac·2⁻¹⁰·2⁻¹⁴
	case 0x1f:
		if frac != 0 {
			return math.NaN()
		}
		return math.Inf(int(sign))
	}
	return sign * math.Ldexp(1024+frac, exp-25) // (1 + frac·2⁻¹⁰)·2^(exp−15)
}

// ReadFeatures reads an N×D float feature matrix from a .npy file,
// converting to float64; non-finite values are errors.
func ReadFeatures(path string) (Matrix, error) {
	return readFloatMatrix(path, "features", false)
}

// ReadProbs reads an N×Cs matrix of class probabilities and checks that
// every row is a probability distribution (entries in [0, 1], sum within
// 1e-4 of 1).
func ReadProbs(path string) (Matrix, error) {
	m, err := readFloatMatrix(path, "probabilities", false)
	if err != nil {
		return m, err
	}
	if err := checkProbs(m); err != nil {
		return m, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// ReadTargets reads N×R float regression targets; a 1-D array of length N is
// read as N×1.
func ReadTargets(path string) (Matrix, error) {
	return readFloatMatrix(path, "targets", true)
}

// labelDtypeText names what labels must be.
const labelDtypeText = "an integer dtype (int64, or any signed or unsigned integer of 1 to 8 bytes)"

// ReadLabels reads a 1-D integer array of class labels and checks them as
// the estimators will (see checkLabels): 0 ≤ y < N and N × C within
// Limits.MaxClassCells.
func ReadLabels(path string) ([]int, error) {
	a, err := readNpy(path)
	if err != nil {
		return nil, err
	}
	if a.Ints == nil {
		return nil, fmt.Errorf("%s: labels must have %s, got dtype %q", path, labelDtypeText, a.Dtype)
	}
	if len(a.Shape) != 1 {
		return nil, fmt.Errorf("%s: labels must be a 1-D array, got shape %v", path, a.Shape)
	}
	labels := make([]int, len(a.Ints))
	for i, v := range a.Ints {
		if v < 0 || v >= int64(len(a.Ints)) {
			return nil, fmt.Errorf("%s: %w", path, labelRangeError(v, i, len(a.Ints)))
		}
		labels[i] = int(v)
	}
	if _, err := checkLabels(labels, len(labels)); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return labels, nil
}

func readFloatMatrix(path, what string, allow1D bool) (Matrix, error) {
	a, err := readNpy(path)
	if err != nil {
		return Matrix{}, err
	}
	if a.Floats == nil {
		return Matrix{}, fmt.Errorf("%s: %s must be float16, float32 or float64, got dtype %q", path, what, a.Dtype)
	}
	var m Matrix
	switch {
	case len(a.Shape) == 2:
		m = Matrix{Rows: a.Shape[0], Cols: a.Shape[1], Data: a.Floats}
	case len(a.Shape) == 1 && allow1D:
		m = Matrix{Rows: a.Shape[0], Cols: 1, Data: a.Floats}
	default:
		return Matrix{}, fmt.Errorf("%s: %s must be a 2-D array, got shape %v", path, what, a.Shape)
	}
	if m.Rows == 0 || m.Cols == 0 {
		return Matrix{}, fmt.Errorf("%s: %s array of shape %v is empty", path, what, a.Shape)
	}
	if err := m.check(what); err != nil {
		return Matrix{}, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// probSumTolerance bounds |Σ_j p_ij − 1| for a row of probabilities; float32
// softmax outputs sum to 1 within about 1e-6.
const probSumTolerance = 1e-4

func checkProbs(m Matrix) error {
	if err := m.check("probabilities"); err != nil {
		return err
	}
	if m.Rows == 0 || m.Cols == 0 {
		return fmt.Errorf("probabilities: empty %d×%d matrix", m.Rows, m.Cols)
	}
	for i := 0; i < m.Rows; i++ {
		sum := 0.0
		for j, p := range m.Row(i) {
			if p < 0 || p > 1 {
				return fmt.Errorf("probability %v at row %d, column %d is outside [0, 1]", p, i, j)
			}
			sum += p
		}
		if math.Abs(sum-1) > probSumTolerance {
			return fmt.Errorf("probabilities of row %d sum to %v, not 1", i, sum)
		}
	}
	return nil
}

// errNotExist is matched by callers that treat a missing optional file as
// absent.
var errNotExist = os.ErrNotExist

func isNotExist(err error) bool { return errors.Is(err, errNotExist) }
