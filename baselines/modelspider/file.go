package modelspider

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"

	"github.com/ntcir-pmr/mreval/eval/fsutil"
)

// Ranker is a trained Model Spider network together with everything needed
// to use it: how its inputs are encoded (Repr), which model each free
// token belongs to, and how it was trained.
type Ranker struct {
	Net *Network
	// Repr says how topics and models are turned into network inputs.
	Repr Representation
	// Models[r] is the identifier of the model of free-token row r.
	Models []string
	// NetSeed seeded the initial parameters; Train the optimisation.
	NetSeed uint64
	Train   TrainConfig
}

// Representation describes the encoding of topics and models; exactly one
// of its fields matches Kind.
type Representation struct {
	Kind       string         `json:"kind"`
	Probes     *ProbeSpec     `json:"probes,omitempty"`
	Bundle     *BundleSpec    `json:"bundle,omitempty"`
	Estimators *EstimatorSpec `json:"estimators,omitempty"`
}

// Representation kinds.
const (
	ReprProbes     = "probes"
	ReprBundle     = "bundle"
	ReprEstimators = "estimators"
)

func (r Representation) validate() error {
	var ok bool
	switch r.Kind {
	case ReprProbes:
		ok = r.Probes != nil && r.Bundle == nil && r.Estimators == nil
	case ReprBundle:
		ok = r.Bundle != nil && r.Probes == nil && r.Estimators == nil
	case ReprEstimators:
		ok = r.Estimators != nil && r.Probes == nil && r.Bundle == nil
	default:
		return fmt.Errorf("unknown representation kind %q", r.Kind)
	}
	if !ok {
		return fmt.Errorf("representation %q: its fields do not match its kind", r.Kind)
	}
	return nil
}

// fileMagic opens every ranker file; FileVersion is the layout version
// written after it. A reader refuses versions it does not know.
const (
	fileMagic   = "MRMSPDR\n"
	FileVersion = 1
)

// fileHeader is the JSON part of a ranker file.
type fileHeader struct {
	Format  string         `json:"format"`
	Config  Config         `json:"config"`
	Repr    Representation `json:"representation"`
	Models  []string       `json:"models"`
	NetSeed uint64         `json:"net_seed"`
	Train   TrainConfig    `json:"train"`
	Tensors []fileTensor   `json:"tensors"`
}

type fileTensor struct {
	Name string `json:"name"`
	Rows int    `json:"rows"`
	Cols int    `json:"cols"`
}

// maxHeader bounds the JSON header a reader accepts, so that a corrupt
// length field cannot make it allocate gigabytes.
const maxHeader = 64 << 20

// WriteTo writes the ranker in the versioned binary format:
//
//	magic "MRMSPDR\n" | version uint32 | header length uint32 | header JSON |
//	parameters as float64, little endian, tensors in header order |
//	CRC-32 (IEEE) of everything before it, uint32
//
// All integers are little endian. The header holds the architecture, the
// representation, the model identifiers, the seeds and training settings,
// and the name and shape of every tensor.
func (r *Ranker) WriteTo(w io.Writer) (int64, error) {
	if err := r.check(); err != nil {
		return 0, err
	}
	h := fileHeader{Format: "mreval modelspider ranker", Config: r.Net.cfg, Repr: r.Repr, Models: r.Models, NetSeed: r.NetSeed, Train: r.Train}
	for _, s := range r.Net.lay.specs {
		h.Tensors = append(h.Tensors, fileTensor{Name: s.Name, Rows: s.Rows, Cols: s.Cols})
	}
	js, err := json.Marshal(h)
	if err != nil {
		return 0, err
	}
	var buf bytes.Buffer
	buf.WriteString(fileMagic)
	binary.Write(&buf, binary.LittleEndian, uint32(FileVersion))
	binary.Write(&buf, binary.LittleEndian, uint32(len(js)))
	buf.Write(js)
	var b8 [8]byte
	for _, v := range r.Net.params {
		binary.LittleEndian.PutUint64(b8[:], math.Float64bits(v))
		buf.Write(b8[:])
	}
	binary.Write(&buf, binary.LittleEndian, crc32.ChecksumIEEE(buf.Bytes()))
	n, err := w.Write(buf.Bytes())
	return int64(n), err
}

// Save writes the ranker to path atomically.
func (r *Ranker) Save(path string) error {
	return fsutil.WriteFile(path, 0o644, func(w io.Writer) error {
		_, err := r.WriteTo(w)
		return err
	})
}

func (r *Ranker) check() error {
	if r.Net == nil {
		return errors.New("ranker has no network")
	}
	if err := r.Repr.validate(); err != nil {
		return err
	}
	if len(r.Models) != r.Net.cfg.NumModels {
		return fmt.Errorf("ranker names %d models for %d free-token rows", len(r.Models), r.Net.cfg.NumModels)
	}
	seen := make(map[string]bool, len(r.Models))
	for _, m := range r.Models {
		if seen[m] {
			return fmt.Errorf("ranker lists model %q twice", m)
		}
		seen[m] = true
	}
	return nil
}

// MaxFileSize bounds the ranker file Load reads into memory. A ranker of
// the paper's width (d = 1,024) over the recycling pool is about 40 MB.
const MaxFileSize = 512 << 20

// Load reads a ranker written by Save.
func Load(path string) (*Ranker, error) {
	data, err := readBounded(path)
	if err != nil {
		return nil, err
	}
	r, err := Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

// Decode reads a ranker from the bytes of a ranker file.
func Decode(data []byte) (*Ranker, error) {
	if len(data) < len(fileMagic)+12 || string(data[:len(fileMagic)]) != fileMagic {
		return nil, errors.New("not a modelspider ranker file (bad magic number)")
	}
	body, sum := data[:len(data)-4], binary.LittleEndian.Uint32(data[len(data)-4:])
	if crc32.ChecksumIEEE(body) != sum {
		return nil, errors.New("ranker file is corrupt (checksum mismatch)")
	}
	p := len(fileMagic)
	version := binary.LittleEndian.Uint32(data[p:])
	if version != FileVersion {
		return nil, fmt.Errorf("ranker file version %d, this mreval reads version %d", version, FileVersion)
	}
	hlen := binary.LittleEndian.Uint32(data[p+4:])
	p += 8
	if hlen > maxHeader || int(hlen) > len(body)-p {
		return nil, fmt.Errorf("ranker file header length %d exceeds the file", hlen)
	}
	var h fileHeader
	dec := json.NewDecoder(bytes.NewReader(body[p : p+int(hlen)]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil {
		return nil, fmt.Errorf("ranker file header: %w", err)
	}
	p += int(hlen)
	if err := h.Config.validate(); err != nil {
		return nil, fmt.Errorf("ranker file: %w", err)
	}
	// The layout is built from the configuration only once the header's
	// own counts are consistent with it and with the bytes present, so that
	// no claimed size is allocated or multiplied unchecked.
	if len(h.Models) != h.Config.NumModels {
		return nil, fmt.Errorf("ranker file: names %d models for %d free-token rows", len(h.Models), h.Config.NumModels)
	}
	params, err := tensorParams(h.Tensors, len(body)-p)
	if err != nil {
		return nil, fmt.Errorf("ranker file: %w", err)
	}
	lay := newLayout(h.Config)
	if len(h.Tensors) != len(lay.specs) {
		return nil, fmt.Errorf("ranker file lists %d tensors, its configuration has %d", len(h.Tensors), len(lay.specs))
	}
	for i, s := range lay.specs {
		ft := h.Tensors[i]
		if ft.Name != s.Name || ft.Rows != s.Rows || ft.Cols != s.Cols {
			return nil, fmt.Errorf("ranker file tensor %d is %s %d×%d, its configuration wants %s %d×%d", i, ft.Name, ft.Rows, ft.Cols, s.Name, s.Rows, s.Cols)
		}
	}
	if params != lay.size {
		return nil, fmt.Errorf("ranker file holds %d parameters, its configuration needs %d", params, lay.size)
	}
	net := &Network{cfg: h.Config, lay: lay, params: make([]float64, lay.size)}
	for i := range net.params {
		net.params[i] = math.Float64frombits(binary.LittleEndian.Uint64(body[p+8*i:]))
	}
	if !allFinite(net.params) {
		return nil, errors.New("ranker file holds a non-finite parameter")
	}
	net.w = lay.bind(h.Config, net.params, 0)
	r := &Ranker{Net: net, Repr: h.Repr, Models: h.Models, NetSeed: h.NetSeed, Train: h.Train}
	if err := r.check(); err != nil {
		return nil, fmt.Errorf("ranker file: %w", err)
	}
	return r, nil
}

// tensorParams returns the number of parameters the tensors hold, checking
// every shape and the running total against the avail parameter bytes, so
// that no product or sum can overflow.
func tensorParams(tensors []fileTensor, avail int) (int, error) {
	limit := avail / 8
	total := 0
	for i, ft := range tensors {
		if ft.Rows < 0 || ft.Cols < 0 {
			return 0, fmt.Errorf("tensor %d (%s) has a negative shape %d×%d", i, ft.Name, ft.Rows, ft.Cols)
		}
		if ft.Rows != 0 && ft.Cols > (limit-total)/ft.Rows {
			return 0, fmt.Errorf("tensor %d (%s) of %d×%d parameters does not fit in the file's %d parameter bytes", i, ft.Name, ft.Rows, ft.Cols, avail)
		}
		total += ft.Rows * ft.Cols
	}
	if 8*total != avail {
		return 0, fmt.Errorf("file holds %d parameter bytes, its tensors need %d", avail, 8*total)
	}
	return total, nil
}

// readBounded reads a regular file of at most MaxFileSize bytes.
func readBounded(path string) ([]byte, error) {
	// Stat first: opening a FIFO would wait for a writer.
	if info, err := os.Stat(path); err == nil && !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file but %s", path, fileKind(info.Mode()))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file but %s", path, fileKind(info.Mode()))
	}
	if info.Size() > MaxFileSize {
		return nil, fmt.Errorf("%s: %d bytes, more than a ranker file may have (%d)", path, info.Size(), MaxFileSize)
	}
	data := make([]byte, 0, info.Size())
	buf := bytes.NewBuffer(data)
	if _, err := io.Copy(buf, io.LimitReader(f, MaxFileSize+1)); err != nil {
		return nil, err
	}
	if buf.Len() > MaxFileSize {
		return nil, fmt.Errorf("%s: more than a ranker file may have (%d bytes)", path, MaxFileSize)
	}
	return buf.Bytes(), nil
}

// fileKind names what a non-regular file is, for an error message.
func fileKind(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&os.ModeNamedPipe != 0:
		return "a named pipe"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m&os.ModeDevice != 0:
		return "a device"
	default:
		return "a special file"
	}
}
