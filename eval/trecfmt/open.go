package trecfmt

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"
	"unicode/utf8"

	"github.com/ntcir-pmr/mreval/eval/fsutil"
	"github.com/ntcir-pmr/mreval/internal/safetext"
)

// Limits bound what a reader accepts, so that a hostile or broken file ends
// in an error naming the limit rather than exhausting memory or time. Every
// text reader of mreval takes them; docs/limits.md lists them with their
// defaults, flags and messages. A zero (or negative) field means its
// DefaultLimits value: no limit is ever unbounded.
type Limits struct {
	// MaxBytes bounds the (decompressed) size of the input.
	MaxBytes int64
	// MaxLine is the longest accepted line in bytes (without the newline).
	MaxLine int
	// MaxRatio bounds decompressed/compressed size for gzip input.
	MaxRatio float64
	// MaxTopics bounds the distinct topics of a run or qrels file.
	MaxTopics int
	// MaxDocsPerTopic bounds the documents of one topic of a run or qrels.
	MaxDocsPerTopic int
	// MaxEntries bounds the data lines of a run, qrels or identifier list.
	MaxEntries int
	// ReadTimeout bounds the time from opening an input to its last read.
	ReadTimeout time.Duration
}

// DefaultLimits are generous for any real run or qrels file (an MS MARCO
// dev run of 7 M lines and 330 MB is well inside them) and still small
// enough that no input can take the machine down.
var DefaultLimits = Limits{
	MaxBytes:        2 << 30,
	MaxLine:         64 << 10,
	MaxRatio:        100,
	MaxTopics:       1_000_000,
	MaxDocsPerTopic: 100_000,
	MaxEntries:      20_000_000,
	ReadTimeout:     10 * time.Minute,
}

// The names of the limits: the flags of cmd/mreval, and what the errors
// tell the user to raise.
const (
	FlagMaxBytes        = "max-bytes"
	FlagMaxLine         = "max-line"
	FlagMaxRatio        = "max-gzip-ratio"
	FlagMaxTopics       = "max-topics"
	FlagMaxDocsPerTopic = "max-docs-per-topic"
	FlagMaxEntries      = "max-entries"
	FlagReadTimeout     = "read-timeout"
)

// WithDefaults returns l with every unset field taken from DefaultLimits.
func (l Limits) WithDefaults() Limits {
	d := DefaultLimits
	if l.MaxBytes <= 0 {
		l.MaxBytes = d.MaxBytes
	}
	if l.MaxLine <= 0 {
		l.MaxLine = d.MaxLine
	}
	if !(l.MaxRatio > 0) {
		l.MaxRatio = d.MaxRatio
	}
	if l.MaxTopics <= 0 {
		l.MaxTopics = d.MaxTopics
	}
	if l.MaxDocsPerTopic <= 0 {
		l.MaxDocsPerTopic = d.MaxDocsPerTopic
	}
	if l.MaxEntries <= 0 {
		l.MaxEntries = d.MaxEntries
	}
	if l.ReadTimeout <= 0 {
		l.ReadTimeout = d.ReadTimeout
	}
	return l
}

// Source is an opened input: its display name and a reader of its
// (decompressed) bytes.
type Source struct {
	Name    string
	Gzipped bool
	r       io.Reader
	closers []io.Closer
	counted *countingReader // raw bytes read, for the gzip ratio check

	// The time limit is checked once per read of the underlying reader
	// (at most 64 KiB), not per line: a clock read per 64 KiB costs
	// nothing measurable. now is replaced by tests.
	now      func() time.Time
	deadline time.Time
	timeout  time.Duration
}

// Read implements io.Reader.
func (s *Source) Read(p []byte) (int, error) {
	if s.now().After(s.deadline) {
		return 0, s.timeoutError()
	}
	n, err := s.r.Read(p)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		err = s.timeoutError()
	}
	return n, err
}

func (s *Source) timeoutError() error {
	return fmt.Errorf("%s: %w: reading took more than %v (raise --%s if this is intended)", safetext.Name(s.Name), ErrTimeLimit, s.timeout, FlagReadTimeout)
}

// Close releases the underlying file.
func (s *Source) Close() error {
	var first error
	for i := len(s.closers) - 1; i >= 0; i-- {
		if err := s.closers[i].Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Open opens path for reading; "-" is standard input. Gzip data is
// recognised by its magic number, whatever the file is called.
func Open(path string, lim Limits) (*Source, error) {
	var f io.ReadCloser
	name := path
	if path == "-" {
		f = io.NopCloser(os.Stdin)
		name = "<stdin>"
	} else {
		timeout := lim.WithDefaults().ReadTimeout
		file, err := fsutil.OpenRead(path, timeout)
		if errors.Is(err, fsutil.ErrNoWriter) {
			return nil, fmt.Errorf("%s: cannot open: %w: nothing wrote to it (a FIFO?) for %v (raise --%s if this is intended)",
				safetext.Name(path), ErrTimeLimit, timeout, FlagReadTimeout)
		}
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("%s: cannot open: %w", safetext.Name(path), pe.Err)
			}
			return nil, err
		}
		if st, err := file.Stat(); err == nil && st.IsDir() {
			file.Close()
			return nil, fmt.Errorf("%s: is a directory, not a file", safetext.Name(path))
		} else if err == nil && st.Mode()&fs.ModeDevice != 0 {
			// /dev/zero or /dev/urandom never end; no input is a device.
			file.Close()
			return nil, fmt.Errorf("%s: is a device, not a file (give - to read standard input)", safetext.Name(path))
		}
		// A FIFO or socket that stalls would block a read, and the clock
		// check between reads, forever; the runtime poller can interrupt
		// those. Regular files do not stall and refuse deadlines.
		file.SetReadDeadline(time.Now().Add(lim.WithDefaults().ReadTimeout))
		f = file
	}
	return NewSource(name, f, lim)
}

// NewSource wraps r (closed by Source.Close) like Open does.
func NewSource(name string, r io.ReadCloser, lim Limits) (*Source, error) {
	lim = lim.WithDefaults()
	src := &Source{Name: name, closers: []io.Closer{r}, now: time.Now, timeout: lim.ReadTimeout}
	src.deadline = src.now().Add(lim.ReadTimeout)
	counted := &countingReader{r: r}
	br := bufio.NewReaderSize(counted, 1<<16)
	magic, _ := br.Peek(2)
	var data io.Reader = br
	if bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			src.Close()
			return nil, fmt.Errorf("%s: %w: %v", safetext.Name(name), ErrBadGzip, err)
		}
		zr.Multistream(true)
		src.Gzipped = true
		src.closers = append(src.closers, zr)
		src.counted = counted
		data = &gzipGuard{r: zr, raw: counted, rawBuf: br, name: name, maxRatio: lim.MaxRatio}
	}
	src.r = &sizeGuard{r: data, left: lim.MaxBytes, max: lim.MaxBytes, name: name}
	return src, nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// ErrTooLarge reports input beyond Limits.MaxBytes or MaxRatio.
var ErrTooLarge = errors.New("input too large")

// ErrGzipRatio reports gzip input expanding beyond Limits.MaxRatio (a
// decompression bomb). errors.Is(err, ErrTooLarge) holds for it too, and it
// reads the same.
var ErrGzipRatio error = gzipRatioError{}

type gzipRatioError struct{}

func (gzipRatioError) Error() string        { return ErrTooLarge.Error() }
func (gzipRatioError) Is(target error) bool { return target == ErrTooLarge }

// ErrTimeLimit reports input still being read when Limits.ReadTimeout
// ran out.
var ErrTimeLimit = errors.New("read time limit exceeded")

// ErrBadGzip reports corrupt or truncated gzip data.
var ErrBadGzip = errors.New("bad gzip data")

type sizeGuard struct {
	r    io.Reader
	left int64
	max  int64
	name string
}

func (g *sizeGuard) Read(p []byte) (int, error) {
	if g.left <= 0 {
		// Distinguish "exactly at the limit" from "beyond it".
		var one [1]byte
		n, err := g.r.Read(one[:])
		if n > 0 {
			return 0, fmt.Errorf("%s: %w: more than %d bytes (raise --%s if this is intended)", safetext.Name(g.name), ErrTooLarge, g.max, FlagMaxBytes)
		}
		return 0, err
	}
	if int64(len(p)) > g.left {
		p = p[:g.left]
	}
	n, err := g.r.Read(p)
	g.left -= int64(n)
	return n, err
}

type gzipGuard struct {
	r        io.Reader
	raw      *countingReader
	rawBuf   *bufio.Reader // between raw and the decompressor
	out      int64
	name     string
	maxRatio float64
}

// minRatioCheck avoids judging the ratio on the first few kilobytes, where
// headers dominate.
const minRatioCheck = 1 << 20

func (g *gzipGuard) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	g.out += int64(n)
	// The compressed bytes the decompressor has consumed, not those read
	// ahead into its buffer: a bomb is caught after 1 MiB of output, not
	// after 100 times the read-ahead.
	consumed := g.raw.n - int64(g.rawBuf.Buffered())
	if g.out > minRatioCheck && consumed > 0 && float64(g.out)/float64(consumed) > g.maxRatio {
		return n, fmt.Errorf("%s: %w: gzip expands more than %g times (a decompression bomb? raise --%s if the file is genuine)", safetext.Name(g.name), ErrGzipRatio, g.maxRatio, FlagMaxRatio)
	}
	if err != nil && err != io.EOF {
		err = fmt.Errorf("%s: %w: %v", safetext.Name(g.name), ErrBadGzip, err)
	}
	return n, err
}

// ReadTextFile reads the whole of path ("-" = standard input, gzip read
// transparently) within the size and time limits of lim, for readers that
// parse a text file as a whole (models tables, judging sheets, judging
// pools, Subtask B tables), and refuses what no such file holds: a line
// longer than lim.MaxLine, a NUL byte, a byte order mark after the start,
// invalid UTF-8 or a carriage return inside a line, as an *Error at its
// line and column. It returns the data and the name to use in messages.
func ReadTextFile(path string, lim Limits) (data []byte, name string, err error) {
	src, err := Open(path, lim)
	if err != nil {
		return nil, path, err
	}
	defer src.Close()
	data, err = io.ReadAll(src)
	if err != nil {
		return nil, src.Name, err
	}
	if p := checkText(src.Name, data, lim.WithDefaults().MaxLine); p != nil {
		return nil, src.Name, p
	}
	return data, src.Name, nil
}

// checkText returns the first problem of data as a text file (see
// ReadTextFile), or nil.
func checkText(name string, data []byte, maxLine int) *Error {
	rest := bytes.TrimPrefix(data, bom)
	for n := 1; len(rest) > 0; n++ {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		line = bytes.TrimSuffix(line, []byte{'\r'})
		switch {
		case len(line) > maxLine:
			return errorf(name, n, 0, "line-length", "line longer than %d bytes (raise --%s if this is intended)", maxLine, FlagMaxLine)
		case bytes.IndexByte(line, 0) >= 0:
			return errorf(name, n, bytes.IndexByte(line, 0)+1, "nul", "NUL byte in line (binary file?)")
		case bytes.Contains(line, bom):
			return errorf(name, n, bytes.Index(line, bom)+1, "bom-inside", "byte order mark (U+FEFF) inside the file (were files with byte order marks concatenated?)")
		case !utf8.Valid(line):
			col := FirstInvalidUTF8(line)
			return errorf(name, n, col+1, "utf8", "invalid UTF-8 byte 0x%02x (the file must be UTF-8 encoded)", line[col])
		case bytes.IndexByte(line, '\r') >= 0:
			return errorf(name, n, bytes.IndexByte(line, '\r')+1, "cr", "carriage return inside a line (old Mac line ends? save the file with LF or CRLF line ends)")
		}
	}
	return nil
}

// FirstInvalidUTF8 returns the offset of the first byte of b that is not
// part of valid UTF-8, or len(b).
func FirstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}
