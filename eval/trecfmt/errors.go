// Package trecfmt reads and writes the text formats of mreval: TREC run
// files, qrels, and one-identifier-per-line lists (topics, pools). Readers
// stream, accept gzip transparently, and report problems as file:line:col.
package trecfmt

import (
	"fmt"
	"strings"

	"github.com/ntcir-pmr/mreval/internal/safetext"
)

// Error is a problem at a place in an input file. Col is 1-based and 0 when
// the problem concerns the whole line.
type Error struct {
	File string
	Line int
	Col  int
	Code string // stable machine-readable kind, e.g. "fields", "score"
	Msg  string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(safetext.Name(e.File))
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Col > 0 {
			fmt.Fprintf(&b, ":%d", e.Col)
		}
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

func errorf(file string, line, col int, code, format string, args ...any) *Error {
	return &Error{File: file, Line: line, Col: col, Code: code, Msg: fmt.Sprintf(format, args...)}
}
