//go:build unix

package trecfmt

import (
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOpenFIFOWithoutWriter: opening a FIFO that nobody writes to would
// wait for ever; the read timeout bounds the open as it bounds the reads.
func TestOpenFIFOWithoutWriter(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "stuck.run")
	require.NoError(t, syscall.Mkfifo(fifo, 0o644))
	_, err := Open(fifo, Limits{ReadTimeout: 20 * time.Millisecond})
	require.ErrorIs(t, err, ErrTimeLimit)
	assert.EqualError(t, err, fifo+": cannot open: read time limit exceeded: nothing wrote to it (a FIFO?) for 20ms "+
		"(raise --read-timeout if this is intended)")
}
