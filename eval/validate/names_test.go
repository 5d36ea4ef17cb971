package validate

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 14: a file named $'evil\n\e[31m…' was printed raw, forging a
// report line and colouring the terminal. Every line of the text report
// now starts with the quoted name and holds no control character.
func TestHostileFileNamesAreQuoted(t *testing.T) {
	rules := testRules(t, TaskA)
	rules.MaxPerKind = 1
	v, err := NewValidator(rules)
	require.NoError(t, err)
	dir := t.TempDir()
	for _, name := range []string{"evil\n\x1b[31mrun.txt: valid", "cr\rrun.txt", "rlo\u202etxt.run", "my run.txt"} {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte("cola Q0 org/alpha 0 1 r\ncola Q0 org/beta 0 0.5 r\n"), 0o644))
		var out bytes.Buffer
		require.NoError(t, v.ValidateFile(p).WriteText(&out))
		q := strconv.Quote(p)
		text := out.String()
		assert.NotContains(t, text, "\x1b", name)
		assert.NotContains(t, text, "\r", name)
		lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
		require.GreaterOrEqual(t, len(lines), 3, text)
		assert.Equal(t, q+":1:19: error: rank 0 is not a positive integer (ranks start at 1) [rank]", lines[0])
		assert.Equal(t, q+": ... and 1 more like this [rank]", lines[1])
		for _, l := range lines {
			assert.True(t, strings.HasPrefix(l, q+":"), "%q", l)
		}
		assert.True(t, strings.HasPrefix(lines[len(lines)-1], q+`: INVALID: `), lines[len(lines)-1])
	}
	// An ordinary name prints as before.
	p := filepath.Join(dir, "run.txt")
	require.NoError(t, os.WriteFile(p, []byte("cola Q0 org/alpha 0 1 r\n"), 0o644))
	var out bytes.Buffer
	require.NoError(t, v.ValidateFile(p).WriteText(&out))
	assert.True(t, strings.HasPrefix(out.String(), p+":1:19: error: rank 0"), out.String())
}

// A reader's error may carry the file name quoted or not; the report
// shows the message without it either way.
func TestStripNameQuotedOrNot(t *testing.T) {
	name := "a\nb.run"
	assert.Equal(t, "bad gzip data", stripName(errString(name+": bad gzip data"), name))
	assert.Equal(t, "bad gzip data", stripName(errString(`"a\nb.run": bad gzip data`), name))
	assert.Equal(t, "other.run: x", stripName(errString("other.run: x"), name))
}

type errString string

func (e errString) Error() string { return string(e) }
