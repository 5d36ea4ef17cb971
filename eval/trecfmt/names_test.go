package trecfmt

import (
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
