package trecfmt

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ntcir-pmr/mreval/eval"
)

// The NTCIR convention (WWW, Temporalia, IMine, …): a run may open with one
// line `<SYSDESC>short description of the system</SYSDESC>` before its TREC
// lines. The tags are matched in any letter case; a byte order mark before
// the line is stripped like before any first line.
const (
	sysdescOpen  = "<sysdesc>"
	sysdescClose = "</sysdesc>"
	// CodeSysdesc is the Error.Code of a malformed or misplaced SYSDESC line.
	CodeSysdesc = "sysdesc"
	// SysdescExample is the line a participant is shown when one is
	// missing or malformed.
	SysdescExample = "<SYSDESC>short description of the system</SYSDESC>"
)

// IsSysdescLine reports whether the current line is meant as a SYSDESC
// line: its first field starts with "<sysdesc" or "</sysdesc" in any case.
// No topic id of a real run starts so, and catching the attempts too turns
// a mistyped line into a SYSDESC error rather than a "6 fields" one.
func IsSysdescLine(s *Scanner) bool {
	f := s.Fields()
	if len(f) == 0 || f[0][0] != '<' {
		return false
	}
	return hasPrefixFold(f[0], "<sysdesc") || hasPrefixFold(f[0], "</sysdesc")
}

// ParseSysdesc reads the current line (one IsSysdescLine accepts) as a
// SYSDESC line and returns the description, trimmed of surrounding white
// space. The line must be exactly <SYSDESC>text</SYSDESC> (white space
// around it allowed); the text must be UTF-8 without control characters
// (C0, C1, DEL) or the invisible characters that reorder or break the text
// around it (bidirectional controls, line and paragraph separators), which
// would let a description forge what a report around it says. Its length
// is bounded by the line limit, which the caller checks first (LineProblem).
// An empty description is returned as "", not refused: whether one is
// required is the validator's rule.
func ParseSysdesc(s *Scanner) (string, *Error) {
	line := s.Bytes()
	start := 0
	for start < len(line) && isSpace(line[start]) {
		start++
	}
	end := len(line)
	for end > start && isSpace(line[end-1]) {
		end--
	}
	body := line[start:end]
	if !hasPrefixFold(body, sysdescOpen) {
		return "", errorf(s.Name, s.Line(), start+1, CodeSysdesc,
			"malformed SYSDESC line: it must be exactly %s", SysdescExample)
	}
	if len(body) < len(sysdescOpen)+len(sysdescClose) || !hasSuffixFold(body, sysdescClose) {
		return "", errorf(s.Name, s.Line(), start+1, CodeSysdesc,
			"the SYSDESC line does not end with </SYSDESC>: it must be exactly %s", SysdescExample)
	}
	text := body[len(sysdescOpen) : len(body)-len(sysdescClose)]
	textCol := start + len(sysdescOpen) + 1
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRune(text[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return "", errorf(s.Name, s.Line(), textCol+i, "utf8",
				"invalid UTF-8 byte 0x%02x in the system description (the file must be UTF-8 encoded)", text[i])
		case forbiddenInDescription(r):
			return "", errorf(s.Name, s.Line(), textCol+i, CodeSysdesc,
				"the system description holds the control character %U; use printable text only", r)
		case r == '<' && (hasPrefixFold(text[i:], "<sysdesc") || hasPrefixFold(text[i:], "</sysdesc")):
			return "", errorf(s.Name, s.Line(), textCol+i, CodeSysdesc,
				"a SYSDESC line holds one description: a second <SYSDESC> or </SYSDESC> tag is inside it")
		}
		i += size
	}
	return strings.TrimSpace(string(text)), nil
}

// forbiddenInDescription reports the runes a description may not hold.
func forbiddenInDescription(r rune) bool {
	switch r {
	case '\u061c', '\u200e', '\u200f', '\u2028', '\u2029', '\ufeff':
		return true
	}
	return unicode.IsControl(r) || r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069'
}

// misplacedSysdesc is the error for a SYSDESC line after the first line.
func misplacedSysdesc(s *Scanner) *Error {
	return errorf(s.Name, s.Line(), s.FieldColumn(0), CodeSysdesc,
		"a <SYSDESC> line is allowed only as the first line of the file (this is line %d)", s.Line())
}

// MisplacedSysdesc is misplacedSysdesc for the validator.
func MisplacedSysdesc(s *Scanner) *Error { return misplacedSysdesc(s) }

// readSysdesc handles a SYSDESC line met by ReadRun: the description of
// the run on line 1, an error anywhere else.
func readSysdesc(s *Scanner, run *eval.Run) error {
	if s.Line() != 1 {
		return misplacedSysdesc(s)
	}
	d, p := ParseSysdesc(s)
	if p != nil {
		return p
	}
	run.Description = d
	return nil
}

// AppendSysdesc appends the SYSDESC line of a description, in the form the
// kit writes it (upper-case tags, LF).
func AppendSysdesc(buf []byte, description string) []byte {
	buf = append(buf, "<SYSDESC>"...)
	buf = append(buf, description...)
	return append(buf, "</SYSDESC>\n"...)
}

func hasPrefixFold(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && bytes.EqualFold(b[:len(prefix)], []byte(prefix))
}

func hasSuffixFold(b []byte, suffix string) bool {
	return len(b) >= len(suffix) && bytes.EqualFold(b[len(b)-len(suffix):], []byte(suffix))
}

// PrintableDescription reports whether a description holds none of the
// characters ParseSysdesc refuses, for stores that keep descriptions.
func PrintableDescription(d string) bool {
	for _, r := range d {
		if forbiddenInDescription(r) {
			return false
		}
	}
	return true
}
