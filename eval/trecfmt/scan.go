package trecfmt

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// Scanner splits an input into lines and whitespace-separated fields. It
// strips a leading UTF-8 byte order mark and the CR of CRLF line ends,
// recording that it did, and never allocates per line: the slices it returns
// are valid until the next call to Scan.
type Scanner struct {
	Name    string
	br      *bufio.Reader
	maxLine int
	line    int
	raw     []byte
	long    []byte // accumulates an over-long line up to maxLine
	fields  [][]byte
	tooLong bool
	err     error

	// SawBOM is set when the input started with a UTF-8 byte order mark.
	SawBOM bool
	// CRLFLines counts lines that ended in CRLF.
	CRLFLines int
}

var bom = []byte{0xef, 0xbb, 0xbf}

// NewScanner reads lines of src. Lines longer than lim.MaxLine are reported
// through TooLong and truncated.
func NewScanner(src *Source, lim Limits) *Scanner {
	s := &Scanner{Name: src.Name, br: bufio.NewReaderSize(src, 1<<16), maxLine: lim.WithDefaults().MaxLine, fields: make([][]byte, 0, 8)}
	if b, err := s.br.Peek(3); err == nil && bytes.Equal(b, bom) {
		s.br.Discard(3)
		s.SawBOM = true
	}
	return s
}

// Scan advances to the next line; it returns false at the end of input or on
// a read error (see Err).
func (s *Scanner) Scan() bool {
	if s.err != nil {
		return false
	}
	s.tooLong = false
	s.fields = s.fields[:0]
	line, err := s.br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) || (err == nil && len(line) > s.maxLine+2) {
		line = s.readLong(line, err)
		err = s.err
		if err != nil && err != io.EOF {
			return false
		}
	}
	if err != nil && err != io.EOF {
		s.err = err
		return false
	}
	if len(line) == 0 && err == io.EOF {
		s.err = io.EOF
		return false
	}
	if err == io.EOF {
		s.err = io.EOF // the last line had no newline; return it, stop next time
	}
	s.line++
	line = bytes.TrimSuffix(line, []byte{'\n'})
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
		s.CRLFLines++
	}
	if len(line) > s.maxLine {
		line = line[:s.maxLine]
		s.tooLong = true
	}
	s.raw = line
	return true
}

// readLong consumes the rest of a line that does not fit the buffer,
// keeping its first maxLine+2 bytes so the caller sees it is too long.
// Two, not one: Scan strips a final CR from what it is given, and a line
// cut after maxLine+1 bytes of which the last is a CR would then look like
// a line of exactly maxLine bytes, its tail silently lost.
func (s *Scanner) readLong(first []byte, err error) []byte {
	keep := s.maxLine + 2
	s.long = append(s.long[:0], first...)
	for errors.Is(err, bufio.ErrBufferFull) {
		var more []byte
		more, err = s.br.ReadSlice('\n')
		if len(s.long) < keep {
			s.long = append(s.long, more...)
		}
	}
	if err != nil {
		s.err = err
	}
	if len(s.long) > keep {
		s.long = s.long[:keep]
	}
	return s.long
}

// Err returns the first read error, or nil at a clean end of input.
func (s *Scanner) Err() error {
	if s.err == io.EOF {
		return nil
	}
	return s.err
}

// Line returns the 1-based number of the current line.
func (s *Scanner) Line() int { return s.line }

// Bytes returns the current line without its line end.
func (s *Scanner) Bytes() []byte { return s.raw }

// TooLong reports whether the current line exceeded the line limit (Bytes
// then holds only its beginning).
func (s *Scanner) TooLong() bool { return s.tooLong }

// Fields splits the current line on spaces, tabs and other ASCII white
// space, like trec_eval's sscanf("%s").
func (s *Scanner) Fields() [][]byte {
	if len(s.fields) > 0 {
		return s.fields
	}
	line := s.raw
	for i := 0; i < len(line); {
		for i < len(line) && isSpace(line[i]) {
			i++
		}
		start := i
		for i < len(line) && !isSpace(line[i]) {
			i++
		}
		if i > start {
			s.fields = append(s.fields, line[start:i])
		}
	}
	return s.fields
}

// FieldColumn returns the 1-based byte column at which field i of the
// current line starts.
func (s *Scanner) FieldColumn(i int) int {
	f := s.Fields()
	if i < 0 || i >= len(f) {
		return 0
	}
	// The fields alias s.raw, so the offset is pointer arithmetic on the
	// shared backing array; compute it via capacity to avoid unsafe.
	return cap(s.raw) - cap(f[i]) + 1
}

func isSpace(c byte) bool { return spaces[c] }

// spaces holds the bytes isSpace accepts: a table lookup is cheaper than
// five comparisons on every byte of a 300 MB run.
var spaces = [256]bool{' ': true, '\t': true, '\r': true, '\v': true, '\f': true}
