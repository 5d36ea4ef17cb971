package trecfmt

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A file name from the command line is printed quoted when it holds
// control characters, so that it cannot forge output lines or send
// escape sequences to the terminal.
func TestErrorsQuoteFileNames(t *testing.T) {
	evil := "evil\n\x1b[31mrun.txt"
	err := &Error{File: evil, Line: 3, Col: 2, Msg: "bad score"}
	assert.Equal(t, `"evil\n\x1b[31mrun.txt":3:2: bad score`, err.Error())
	plain := &Error{File: "runs/a.run", Line: 3, Msg: "bad score"}
	assert.Equal(t, "runs/a.run:3: bad score", plain.Error())

	dir := t.TempDir()
	path := filepath.Join(dir, evil)
	require.NoError(t, os.WriteFile(path, []byte("q1 Q0 d1 1 x1 tag\n"), 0o644))
	_, rerr := ReadRunFile(path, DefaultLimits)
	require.Error(t, rerr)
	assert.NotContains(t, rerr.Error(), "\x1b")
	assert.NotContains(t, rerr.Error(), "\n")
	assert.True(t, strings.HasPrefix(rerr.Error(), `"`+dir), rerr.Error())
	assert.Contains(t, rerr.Error(), `evil\n\x1b[31mrun.txt":1:`)

	_, oerr := Open(filepath.Join(dir, "missing\x1b"), DefaultLimits)
	require.Error(t, oerr)
	assert.Contains(t, oerr.Error(), `missing\x1b": cannot open`)
}

// An identifier in a list (topics, pool) is echoed in messages and written
// to files: invalid UTF-8 and control characters are refused at their column.
func TestReadIDListRefusesUnprintableIDs(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"invalid UTF-8", "ok\n  ab\xffc\n", "topics:2:5: the identifier is not valid UTF-8 text or holds a control character"},
		{"escape", "\x1b[31mred\n", "topics:1:1: the identifier is not valid UTF-8 text or holds a control character"},
		{"DEL", "a\x7f\n", "topics:1:2: the identifier is not valid UTF-8 text or holds a control character"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src, err := NewSource("topics", io.NopCloser(strings.NewReader(tc.text)), DefaultLimits)
			require.NoError(t, err)
			_, err = ReadIDList(src, DefaultLimits)
			assert.EqualError(t, err, tc.want)
		})
	}
	src, err := NewSource("topics", io.NopCloser(strings.NewReader("café\nT01\n")), DefaultLimits)
	require.NoError(t, err)
	ids, err := ReadIDList(src, DefaultLimits)
	require.NoError(t, err)
	assert.Equal(t, []string{"café", "T01"}, ids)
}

// A device never ends (/dev/zero) or never was a file: refused at once.
func TestOpenRefusesDevices(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero here")
	}
	_, err := Open("/dev/zero", DefaultLimits)
	assert.EqualError(t, err, "/dev/zero: is a device, not a file (give - to read standard input)")
}

// Fields after the run tag are ignored; a file with CR-only line ends would
// then be one line whose ignored fields are the rest of the run. Refused.
func TestRunWithCROnlyLineEnds(t *testing.T) {
	src, err := NewSource("run.txt", io.NopCloser(strings.NewReader("q1 Q0 d1 1 0.9 tag\rq1 Q0 d2 2 0.8 tag\r")), DefaultLimits)
	require.NoError(t, err)
	_, err = ReadRun(src, DefaultLimits)
	assert.EqualError(t, err, "run.txt:1:19: carriage return inside a line (old Mac line ends? save the file with LF or CRLF line ends)")

	src, err = NewSource("run.txt", io.NopCloser(strings.NewReader("q1 Q0 d1 1 0.9 tag extra\r\nq1 Q0 d2 2 0.8 tag\r\n")), DefaultLimits)
	require.NoError(t, err)
	run, err := ReadRun(src, DefaultLimits)
	require.NoError(t, err, "CRLF line ends with an extra field are fine")
	assert.Len(t, run.ByID["q1"].Entries, 2)
}
